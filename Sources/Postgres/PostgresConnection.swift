import CLibPQ
import Glibc

/// One libpq connection. Deliberately not `Sendable`: a connection belongs to one thread at a
/// time, which the pool guarantees. Statements are prepared once per connection and reused.
public final class PostgresConnection {
    private let handle: OpaquePointer
    private var preparedNames: [String: String] = [:]
    /// The pool's epoch when this connection was opened (see `PostgresPool`).
    var epoch = 0

    public init(configuration: PostgresConfiguration) throws {
        let parameters = configuration.connectionParameters
        let connection: OpaquePointer? = withCStringArray(parameters.map(\.0)) { keywords in
            withCStringArray(parameters.map(\.1)) { values in
                PQconnectdbParams(keywords, values, 0)
            }
        }
        guard let connection else { throw PostgresError(kind: .connection) }
        guard PQstatus(connection) == CONNECTION_OK else {
            PQfinish(connection)
            throw PostgresError(kind: .connection)
        }
        handle = connection
    }

    deinit { PQfinish(handle) }

    /// The server this connection reached (of the configured list).
    public var server: PostgresServer {
        PostgresServer(host: PQhost(handle).map { String(cString: $0) } ?? "",
                       port: PQport(handle).flatMap { Int(String(cString: $0)) } ?? 0)
    }

    /// False once the server has gone away or the socket broke.
    public var isConnected: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Runs one statement with its binds and returns its rows.
    @discardableResult
    public func query(_ query: PostgresQuery) throws -> PostgresResult {
        for bind in query.binds {
            if case .text(let text) = bind.value, text.utf8.contains(0) { throw PostgresError(kind: .nulInText) }
        }
        let statement = try preparedStatement(for: query)
        let result = withParameters(query.binds) { values, lengths, formats in
            PQexecPrepared(handle, statement, Int32(query.binds.count), values, lengths, formats, 0)
        }
        return try consume(result)
    }

    /// Runs one statement and returns the number of rows it touched.
    @discardableResult
    public func execute(_ query: PostgresQuery) throws -> Int {
        try self.query(query).affectedRows
    }

    /// Runs a script of several statements without parameters (migrations).
    public func executeScript(_ sql: String) throws {
        _ = try consume(PQexec(handle, sql))
    }

    /// Runs `body` inside BEGIN … COMMIT; any error rolls back and is rethrown.
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try executeScript("BEGIN")
        do {
            let value = try body(self)
            try executeScript("COMMIT")
            return value
        } catch {
            if isConnected { _ = try? executeScript("ROLLBACK") }
            throw error
        }
    }

    private func preparedStatement(for query: PostgresQuery) throws -> String {
        let key = query.binds.isEmpty ? query.sql
            : query.sql + "\u{0}" + query.binds.map { String($0.typeOID) }.joined(separator: ",")
        if let name = preparedNames[key] { return name }
        let name = "huiyin_\(preparedNames.count)"
        let types = query.binds.map { Oid($0.typeOID) }
        _ = try consume(PQprepare(handle, name, query.sql, Int32(types.count), types))
        preparedNames[key] = name
        return name
    }

    private func consume(_ result: OpaquePointer?) throws -> PostgresResult {
        guard let result else { throw error(from: nil) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE:
            let columnCount = Int(PQnfields(result))
            let rowCount = Int(PQntuples(result))
            let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
            var values = [[String?]]()
            values.reserveCapacity(rowCount)
            for row in 0..<Int32(rowCount) {
                values.append((0..<Int32(columnCount)).map { column in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                })
            }
            return PostgresResult(columns: columns, values: values, affectedRows: rowCount)
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
            return PostgresResult(columns: [], values: [], affectedRows: affected)
        default:
            throw error(from: result)
        }
    }

    private func error(from result: OpaquePointer?) -> PostgresError {
        func field(_ code: UInt8) -> String? {
            guard let result, let value = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: value)
        }
        let sqlState = field(UInt8(ascii: "C"))
        if !isConnected && (sqlState == nil || sqlState!.hasPrefix("08") || sqlState!.hasPrefix("57P")) {
            return PostgresError(kind: .connection, sqlState: sqlState)
        }
        let safe = sqlState.map(PostgresError.messageIsSafe(forSQLState:)) ?? false
        return PostgresError(kind: .server, sqlState: sqlState, constraint: field(UInt8(ascii: "n")),
                             safeMessage: safe ? field(UInt8(ascii: "M")) : nil)
    }
}

/// Lays the parameters out for `PQexecPrepared`; the pointers live only inside `body`.
private func withParameters<R>(_ binds: [PostgresBind],
                               _ body: ([UnsafePointer<CChar>?], [Int32], [Int32]) -> R) -> R {
    var storage = [UInt8]()
    var ranges = [(offset: Int, length: Int)?]()
    var formats = [Int32]()
    for bind in binds {
        switch bind.value {
        case .null:
            ranges.append(nil)
            formats.append(0)
        case .text(let text):
            ranges.append((storage.count, text.utf8.count))
            storage.append(contentsOf: text.utf8)
            storage.append(0)
            formats.append(0)
        case .binary(let bytes):
            ranges.append((storage.count, bytes.count))
            storage.append(contentsOf: bytes)
            storage.append(0)
            formats.append(1)
        }
    }
    return storage.withUnsafeBufferPointer { buffer in
        let base = UnsafeRawPointer(buffer.baseAddress)
        let values = ranges.map { range in
            range.flatMap { base?.advanced(by: $0.offset).assumingMemoryBound(to: CChar.self) }
        }
        let lengths = ranges.map { Int32($0?.length ?? 0) }
        return body(values, lengths, formats)
    }
}

private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let duplicates = strings.map { strdup($0) }
    defer { duplicates.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = duplicates.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
