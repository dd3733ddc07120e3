import Foundation
import HuiyinStore
import Postgres
import TestSupport
import XCTest

/// "201 means committed": the server is killed mid-load, PostgreSQL is restarted mid-load, and
/// every contact a client saw acknowledged is on record, none twice.
final class DurabilityTests: XCTestCase {
    override func setUpWithError() throws { try TestApp.prepareDatabase() }

    func testSIGKILLUnderLoadLosesNoAcknowledgedContact() throws {
        let port = UInt16(TestDatabase.freePort())
        let server = try launchServer(port: port)
        var reaped = false
        defer { if !reaped { server.signal(SIGKILL); server.wait() } }
        try waitUntilHealthy(port: port)
        let setup = try TestApp()
        let token = try setup.newOperator().1
        let runTag = "kill-\(UUID().uuidString.prefix(8))"

        let acknowledged = LockedValue<[String: String]>([:])  // tag -> tracking number
        let killed = LockedValue(false)
        let group = DispatchGroup()
        for worker in 0..<6 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                var n = 0
                while !killed.value || n % 10 != 0 {
                    n += 1
                    let tag = "\(runTag)-\(worker)-\(n)"
                    guard let r = try? HTTPClient.json(port: port, "POST", "/api/v1/contacts", token: token,
                                                       Sample.call(phone: Sample.randomPhone(), summary: "来电登记 \(tag)")) else {
                        if killed.value { return } else { continue }
                    }
                    if r.status == 201 { acknowledged.withLock { $0[tag] = (try? r.decode(Receipt.self))?.trackingNo } }
                }
            }
        }
        usleep(1_500_000)
        server.signal(SIGKILL)
        killed.value = true
        group.wait()
        XCTAssertEqual(server.wait(), 128 + SIGKILL)
        reaped = true

        let seen = acknowledged.value
        XCTAssertGreaterThan(seen.count, 20, "the load must have produced acknowledged contacts before the kill")
        let rows = try setup.store.pool.withConnection { db in
            try db.query("""
                SELECT c.tracking_no, k.summary FROM contacts k JOIN cases c ON c.id = k.case_id
                WHERE k.summary LIKE \("%" + runTag + "-%")
                """).rows.map { (try $0.decode("tracking_no", as: String.self), try $0.decode("summary", as: String.self)) }
        }
        var stored: [String: [String]] = [:]
        for (number, summary) in rows { stored[String(summary.split(separator: " ").last!), default: []].append(number) }
        for (tag, number) in seen {
            XCTAssertEqual(stored[tag], [number], "acknowledged \(tag) must be stored exactly once")
        }
        XCTAssertTrue(stored.values.allSatisfy { $0.count == 1 }, "no contact stored twice")
    }

    func testSIGTERMStopsTheServerInOrder() throws {
        let port = UInt16(TestDatabase.freePort())
        let server = try launchServer(port: port)
        try waitUntilHealthy(port: port)
        server.signal(SIGTERM)
        XCTAssertEqual(server.wait(), 0, "a clean exit after finishing in-flight requests")
        XCTAssertThrowsError(try HTTPClient.get(port: port, "/healthz"))
    }

    func testPostgresRestartUnderLoadAnswers503ThenRecovers() throws {
        guard let pgctl = ProcessInfo.processInfo.environment["HUIYIN_PG_CTL"] else {
            return XCTFail("HUIYIN_PG_CTL is not set: run the tests through ops/test.sh")
        }
        let t = try TestApp(workers: 4)
        let token = try t.newOperator().1
        let port = t.port
        let statuses = LockedValue<[Int]>([])
        let acknowledged = LockedValue<[String]>([])
        let stop = LockedValue(false)
        let group = DispatchGroup()
        for _ in 0..<4 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                while !stop.value {
                    guard let r = try? HTTPClient.json(port: port, "POST", "/api/v1/contacts", token: token,
                                                       Sample.call(phone: Sample.randomPhone())) else { continue }
                    statuses.withLock { $0.append(r.status) }
                    if r.status == 201, let number = (try? r.decode(Receipt.self))?.trackingNo { acknowledged.withLock { $0.append(number) } }
                    if r.status == 503 { XCTAssertNotNil(r.header("retry-after")); usleep(20_000) }
                }
            }
        }
        usleep(500_000)
        try run(pgctl, "stop")
        usleep(1_000_000)
        let duringOutage = statuses.value.count
        try run(pgctl, "start")
        // Recovery without restarting the server: fresh 201s arrive within seconds.
        let deadline = Date().addingTimeInterval(15)
        var recovered = false
        while Date() < deadline && !recovered {
            usleep(200_000)
            recovered = statuses.value.dropFirst(duringOutage).filter { $0 == 201 }.count >= 10
        }
        stop.value = true
        group.wait()

        let all = statuses.value
        XCTAssertTrue(all.contains(503), "clients must be told 503 while the database is away")
        XCTAssertTrue(recovered, "the server must recover by itself")
        XCTAssertEqual(Set(all).subtracting([201, 503]), [], "only 201 or 503, never a 500")
        let numbers = acknowledged.value
        let stored = try t.store.pool.withConnection { db in
            try db.query("SELECT count(*) AS n FROM cases WHERE tracking_no = ANY(\(unescaped: "string_to_array(")\(numbers.joined(separator: ",")), ','))")
                .first!.decode("n", as: Int.self)
        }
        XCTAssertEqual(stored, numbers.count, "every acknowledged contact is on record")
    }

    private func launchServer(port: UInt16) throws -> Subprocess {
        let env = ProcessInfo.processInfo.environment
        let binary = env["HUIYIN_BIN"] ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("huiyin").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw HTTPClientError(description: "huiyin binary not found at \(binary); build it first")
        }
        let config = try TestDatabase.configuration()
        return try Subprocess.spawn(
            [binary, "serve", "--port", String(port), "--workers", "4",
             "--sql-dir", TestDatabase.repositoryRoot.appendingPathComponent("sql").path, "--log-level", "warning"],
            environment: ["HUIYIN_DB_HOST": config.host, "HUIYIN_DB_PORT": String(config.port),
                          "HUIYIN_DB_NAME": config.database, "HUIYIN_DB_USER": config.user])
    }

    private func waitUntilHealthy(port: UInt16) throws {
        for _ in 0..<100 {
            if (try? HTTPClient.get(port: port, "/healthz").status) == 200 { return }
            usleep(100_000)
        }
        throw HTTPClientError(description: "server did not come up")
    }

    private func run(_ script: String, _ argument: String) throws {
        XCTAssertEqual(try Subprocess.run(["/bin/bash", script, argument]), 0, "\(script) \(argument)")
    }
}
