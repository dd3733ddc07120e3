import Foundation
import TestSupport
import XCTest
@testable import Postgres

final class PostgresTests: XCTestCase {
    func testInterpolationsBecomeBindParameters() {
        let name = "O'Brien; DROP TABLE x"
        let query: PostgresQuery = "SELECT * FROM t WHERE name = \(name) AND id > \(7) \(unescaped: "ORDER BY id")"
        XCTAssertEqual(query.sql, "SELECT * FROM t WHERE name = $1 AND id > $2 ORDER BY id")
        XCTAssertEqual(query.binds.count, 2)
    }

    func testAFragmentKeepsItsBindsInOrder() throws {
        let condition: PostgresQuery = "(a = \(1) OR b = \(2))"
        let query: PostgresQuery = "SELECT \(0) AS zero WHERE \(fragment: condition) AND c = \(3) OR \(fragment: condition)"
        XCTAssertEqual(query.sql, "SELECT $1 AS zero WHERE (a = $2 OR b = $3) AND c = $4 OR (a = $5 OR b = $6)")
        XCTAssertEqual(query.binds.count, 6)
        let twelve: PostgresQuery = "\(1) + \(2) + \(3) + \(4) + \(5) + \(6) + \(7) + \(8) + \(9) + \(10) + \(11) + \(12)"
        let row = try TestDatabase.connect().query("SELECT \(100) + \(fragment: twelve) AS total").first!
        XCTAssertEqual(try row.decode("total", as: Int64.self), 178, "two-digit placeholders renumbered too")
    }

    func testAHostListSkipsAServerThatIsDown() throws {
        let live = try TestDatabase.configuration()
        var configuration = try TestDatabase.deadConfiguration()
        configuration.otherServers = [PostgresServer(host: live.host, port: live.port)]
        XCTAssertTrue(configuration.connectionParameters.contains { $0 == ("target_session_attrs", "read-write") })
        let connection = try PostgresConnection(configuration: configuration)
        XCTAssertEqual(connection.server, PostgresServer(host: live.host, port: live.port), "the second host, the one that answers")
        XCTAssertEqual(try connection.query("SELECT \(1) AS one").first!.decode("one", as: Int.self), 1)
        XCTAssertFalse(try TestDatabase.configuration().connectionParameters.contains { $0.0 == "target_session_attrs" },
                       "one host: no attribute asked for")
    }

    func testTextWithANulIsRefusedNotCut() throws {
        let db = try TestDatabase.connect()
        XCTAssertThrowsError(try db.query("SELECT \("a\u{0}b")::text AS t")) { error in
            XCTAssertEqual((error as? PostgresError)?.kind, .nulInText, "libpq would have sent just \"a\"")
        }
        XCTAssertEqual(try db.query("SELECT \("a\u{1}b")::text AS t").first!.decode("t", as: String.self), "a\u{1}b")
    }

    func testValuesRoundTrip() throws {
        let db = try TestDatabase.connect()
        let when = Date(timeIntervalSince1970: 1_795_453_200.123456)
        let bytes = Data([0, 1, 2, 254, 255])
        let text = "妇联 'quoted' \\ \"x\""
        let row = try db.query("""
            SELECT \(text)::text AS t, \(Int64(-42)) AS i, \(true) AS b, \(when) AS ts, \(bytes) AS bin,
                   \(Optional<String>.none) AS missing, \(2.5) AS d, \([Int64(3), 4]) AS arr
            """).first!
        XCTAssertEqual(try row.decode("t", as: String.self), text)
        XCTAssertEqual(try row.decode("i", as: Int64.self), -42)
        XCTAssertEqual(try row.decode("b", as: Bool.self), true)
        XCTAssertEqual(try row.decode("ts", as: Date.self).timeIntervalSince1970, when.timeIntervalSince1970, accuracy: 0.000001)
        XCTAssertEqual(try row.decode("bin", as: Data.self), bytes)
        XCTAssertNil(try row.decode("missing", as: String?.self))
        XCTAssertThrowsError(try row.decode("missing", as: String.self))
        XCTAssertEqual(try row.decode("d", as: Double.self), 2.5)
        XCTAssertEqual(try row.raw("arr"), "{3,4}")
    }

    func testErrorsCarrySQLStateButNeverBoundValues() throws {
        let db = try TestDatabase.connect()
        try db.executeScript("CREATE TEMP TABLE secrets (phone text PRIMARY KEY)")
        let phone = "13800138000"
        try db.execute("INSERT INTO secrets VALUES (\(phone))")
        XCTAssertThrowsError(try db.execute("INSERT INTO secrets VALUES (\(phone))")) { error in
            guard let error = error as? PostgresError else { return XCTFail("not a PostgresError: \(error)") }
            XCTAssertEqual(error.sqlState, "23505")
            XCTAssertEqual(error.constraint, "secrets_pkey")
            XCTAssertTrue(error.isUniqueViolation)
            XCTAssertFalse(String(describing: error).contains(phone))
            XCTAssertFalse(error.isTransient)
        }
        XCTAssertThrowsError(try db.query("SELECT \(phone)::int AS n")) { error in
            XCTAssertEqual((error as? PostgresError)?.sqlState, "22003")
            XCTAssertFalse(String(describing: error).contains(phone))
        }
        XCTAssertThrowsError(try db.query("SELECT * FROM no_such_table")) { error in
            XCTAssertEqual((error as? PostgresError)?.sqlState, "42P01")
            XCTAssertNotNil((error as? PostgresError)?.safeMessage, "schema errors keep their message")
        }
    }

    func testTransactionsCommitOrRollBack() throws {
        let db = try TestDatabase.connect()
        try db.executeScript("CREATE TEMP TABLE t (n int)")
        _ = try db.transaction { try $0.execute("INSERT INTO t VALUES (\(Int32(1)))") }
        struct Boom: Error {}
        XCTAssertThrowsError(try db.transaction { tx in
            try tx.execute("INSERT INTO t VALUES (\(Int32(2)))")
            throw Boom()
        })
        XCTAssertEqual(try db.query("SELECT count(*) AS n FROM t").first!.decode("n", as: Int.self), 1)
    }

    func testStatementTimeoutCancelsLongStatements() throws {
        let db = try PostgresConnection(configuration: TestDatabase.configuration(statementTimeoutMilliseconds: 100))
        XCTAssertThrowsError(try db.execute("SELECT pg_sleep(2)")) { error in
            XCTAssertEqual((error as? PostgresError)?.sqlState, "57014")
        }
        XCTAssertEqual(try db.query("SELECT 1 AS one").first!.decode("one", as: Int.self), 1, "the connection stays usable")
    }

    func testPoolReplacesABrokenConnection() throws {
        let pool = PostgresPool(configuration: try TestDatabase.configuration(), size: 2)
        let pid = try pool.withConnection { try $0.query("SELECT pg_backend_pid() AS pid").first!.decode("pid", as: Int.self) }
        let admin = try TestDatabase.connect()
        try admin.execute("SELECT pg_terminate_backend(\(Int32(pid)))")
        usleep(100_000)
        XCTAssertThrowsError(try pool.withConnection { try $0.query("SELECT 1 AS one") }) { error in
            XCTAssertEqual((error as? PostgresError)?.kind, .connection)
            XCTAssertTrue((error as? PostgresError)?.isTransient ?? false)
        }
        let fresh = try pool.withConnection { try $0.query("SELECT pg_backend_pid() AS pid").first!.decode("pid", as: Int.self) }
        XCTAssertNotEqual(fresh, pid)
        XCTAssertEqual(pool.statistics.inUse, 0)
    }

    func testPoolNeverLendsOneConnectionTwice() throws {
        let pool = PostgresPool(configuration: try TestDatabase.configuration(), size: 3)
        let pids = LockedSet()
        DispatchQueue.concurrentPerform(iterations: 12) { _ in
            try? pool.withConnection { db in
                let pid = try db.query("SELECT pg_backend_pid() AS pid, pg_sleep(0.05)").first!.decode("pid", as: Int.self)
                pids.insert(pid)
            }
        }
        XCTAssertLessThanOrEqual(pids.count, 3)
        XCTAssertLessThanOrEqual(pool.statistics.open, 3)
    }

    func testUnreachableServerIsATransientConnectionError() throws {
        XCTAssertThrowsError(try PostgresConnection(configuration: TestDatabase.deadConfiguration())) { error in
            XCTAssertEqual((error as? PostgresError)?.kind, .connection)
        }
    }
}

final class LockedSet: @unchecked Sendable {
    private let lock = NSLock()
    private var values = Set<Int>()
    func insert(_ value: Int) { lock.withLock { _ = values.insert(value) } }
    var count: Int { lock.withLock { values.count } }
}
