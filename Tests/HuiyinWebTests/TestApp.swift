import Foundation
import HuiyinCore
import HuiyinStore
import HuiyinWeb
import Logging
import MicroHTTP
import Postgres
import TestSupport
import XCTest

/// The application exactly as `huiyin serve` builds it, on a free port, against the test database,
/// with a clock the test can move and a log the test can read.
final class TestApp: @unchecked Sendable {
    let app: HuiyinApp
    let server: HTTPServer
    let clock: LockedValue<Date>
    let log = LogSink()
    var port: UInt16 { server.port }
    var store: Store { app.store }

    init(database: PostgresConfiguration? = nil, workers: Int = 4, pool: Int? = nil, bodyLimit: Int = 1 << 20,
         now: Date = Date(), migrator: Migrator? = nil, configure: (inout AppConfiguration) -> Void = { _ in }) throws {
        let clock = LockedValue(now)
        self.clock = clock
        // As `huiyin serve` runs: as the application role, which cannot rewrite history.
        try TestApp.prepareDatabase()
        var configuration = try database ?? TestDatabase.configuration()
        if database == nil { configuration.role = "huiyin_app" }
        let store = Store(pool: PostgresPool(configuration: configuration, size: pool ?? workers,
                                             acquireTimeout: 2),
                          now: { clock.value })
        var settings = AppConfiguration()
        settings.bodyLimit = bodyLimit
        configure(&settings)
        let sink = log
        app = HuiyinApp(store: store, migrator: try migrator ?? TestApp.migrator(), configuration: settings,
                        logger: Logger(label: "huiyin-test") { _ in CapturingLogHandler(sink: sink) })
        server = app.makeServer(ServerConfiguration(port: 0, workers: workers))
        try server.start()
    }

    deinit {
        server.stop()
        app.store.pool.close()
    }

    static func migrator() throws -> Migrator {
        Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql").path))
    }

    /// Migrates the test database once and makes sure the small unit tree the tests use exists.
    static func prepareDatabase() throws {
        try prepared.withLock { done in
            guard !done else { return }
            let db = try TestDatabase.connect()
            try migrator().migrate(db)
            let store = Store(pool: PostgresPool(configuration: try TestDatabase.configuration(), size: 1))
            try store.addUnit(code: "t", name: "测试省妇联", level: "province", parentCode: nil)
            try store.addUnit(code: "t-c", name: "测试市妇联", level: "city", parentCode: "t")
            try store.addUnit(code: "t-c-a", name: "甲县妇联", level: "county", parentCode: "t-c")
            try store.addUnit(code: "t-c-b", name: "乙县妇联", level: "county", parentCode: "t-c")
            store.pool.close()
            done = true
        }
    }
    private static let prepared = LockedValue(false)

    /// A new operator in the city unit, with her token.
    func newOperator(role: StaffRole = .operator_, unit: String = "t-c") throws -> (StaffUser, String) {
        try store.addUser(username: "op-\(UUID().uuidString.prefix(8))", displayName: "测试话务员", unitCode: unit, role: role)
    }

    /// A new unit of its own under `parent`, so a test's counts are not disturbed by other tests' cases.
    func newUnit(_ level: String, under parent: String) throws -> String {
        let code = parent + "-" + UUID().uuidString.prefix(8).lowercased()
        try store.addUnit(code: code, name: "测试" + code.suffix(4) + "妇联", level: level, parentCode: parent)
        return code
    }

    func unitID(_ code: String) throws -> Int64 {
        try store.pool.withConnection { try $0.query("SELECT id FROM units WHERE code = \(code)").first!.decode("id") }
    }

    func count(_ sql: String) throws -> Int {
        try store.pool.withConnection { try $0.query(PostgresQuery(unsafeSQL: sql)).first!.decode("n", as: Int.self) }
    }
}

final class LockedValue<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
    func withLock<R>(_ body: (inout T) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&stored)
    }
}

/// Everything the app logged, as text, for the "no personal data in logs" checks.
final class LogSink: @unchecked Sendable {
    private let lines = LockedValue<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.value }
}

struct CapturingLogHandler: LogHandler {
    let sink: LogSink
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        let merged = self.metadata.merging(extra ?? [:]) { $1 }
        sink.append("\(level) \(message) \(merged.map { "\($0)=\($1)" }.sorted().joined(separator: " "))")
    }
}

/// Bodies the tests post.
enum Sample {
    /// A call about a family dispute (not sealed); pass `category: "domestic_violence"` for a sealed case.
    static func call(phone: String = "13800138000", name: String = "王芳", summary: String = "来电反映丈夫酒后多次殴打，要求申请人身安全保护令",
                     category: String = "marriage_family") -> [String: Any] {
        ["channel": "call", "category": category, "summary": summary, "call": ["sub_line": "legal"],
         "petitioner": ["name": name, "phone": phone, "address": "宜昌市西陵区某小区3栋"]]
    }

    static func randomPhone() -> String {
        "139" + String(format: "%08d", Int.random(in: 0..<100_000_000))
    }
}
