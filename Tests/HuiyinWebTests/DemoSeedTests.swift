import Foundation
import HuiyinCore
import HuiyinDemo
import HuiyinStore
import Postgres
import TestSupport
import XCTest

/// The demo a newcomer first sees (`ops/run.sh`): a history worked through the real workflow and
/// sweep, so the dashboard, notifications, leaders' lists and trend look like a working office, and
/// a README whose examples and account table match what the seed creates.
final class DemoSeedTests: XCTestCase {
    /// One seeded database of its own for the suite (the seed builds a whole unit tree and its staff,
    /// and hashing the demo passwords dominates its time), made afresh by each run.
    static let seeded = Result { () throws -> (Store, [DemoAccount]) in
        let name = (try TestDatabase.configuration().database) + "_seed"
        let admin = try TestDatabase.connect()
        try admin.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try admin.executeScript("CREATE DATABASE \(name)")
        var config = try TestDatabase.configuration(statementTimeoutMilliseconds: 60_000)
        config.database = name
        _ = try TestApp.migrator().migrate(try PostgresConnection(configuration: config))
        let store = Store(pool: PostgresPool(configuration: config, size: 2))
        return (store, try DemoSeed.run(store: store, cases: 150, historyDays: 60))
    }

    func seededStore() throws -> (Store, [DemoAccount]) { try Self.seeded.get() }

    func count(_ store: Store, _ sql: PostgresQuery) throws -> Int {
        try store.pool.withConnection { db in try db.query(sql).first!.decode("n", as: Int.self) }
    }

    func testTheHistoryShowsAWorkingOffice() throws {
        let (store, accounts) = try seededStore()
        let span = try count(store, "SELECT max(received_on) - min(received_on) AS n FROM cases")
        XCTAssertGreaterThanOrEqual(span, 50, "contacts spread over the history, not all today")
        XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM clocks WHERE state = 'running' AND due_on < \(store.today)"), 0,
                             "some clocks are overdue, so the ladder shows")
        XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM notifications WHERE kind = 'reminder'"), 0, "催办 sent by the sweep")
        XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM notifications WHERE kind = 'notice'"), 0, "通报 issued by the sweep")
        XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM cases WHERE status = 'closed'"), 0, "some cases replied to and closed")
        XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM cases WHERE status = 'registered'"), 0, "some still waiting")
        XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM cases WHERE leader_id IS NOT NULL"), 0, "领导包案 on repeat petitions")
        // Steps happened on the days they belong to, not all at seeding time.
        XCTAssertGreaterThan(try count(store, """
            SELECT count(DISTINCT (at AT TIME ZONE 'Asia/Shanghai')::date) AS n FROM case_events WHERE kind = 'accepted'
            """), 20)
        // The dashboard's 30-day trend has a shape.
        let city = try XCTUnwrap(accounts.first { $0.username == "sup.chen" })
        let supervisor = try XCTUnwrap(try store.authenticate(token: city.token))
        let trend = try store.overdueTrend(underUnit: supervisor.unitID)
        XCTAssertEqual(trend.count, 30)
        XCTAssertGreaterThan(Set(trend.map(\.overdue)).count, 3, "the overdue count moves over the month")
    }

    func testTheReadmeMatchesTheSeed() throws {
        let (store, accounts) = try seededStore()
        let readme = try String(contentsOf: TestDatabase.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        // The caller-lookup example finds someone in the operator's scope.
        XCTAssertTrue(readme.contains("petitioners?phone=\(DemoSeed.examplePhone)"), "the README looks up the seed's example number")
        let op = try XCTUnwrap(accounts.first { $0.username == "op.wang" })
        let user = try XCTUnwrap(try store.authenticate(token: op.token))
        let found = try store.callers(phone: try XCTUnwrap(PhoneNumber(DemoSeed.examplePhone)), for: user)
        XCTAssertFalse(found.isEmpty, "the README's lookup finds a caller")
        // The account table lists every seeded account, and nothing the seed does not create.
        let table = Set(readme.split(separator: "\n").filter { $0.hasPrefix("| `") }.flatMap { line in
            line.split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        }.filter { $0.range(of: #"^(admin|sup|hd|op|rec|leader)\.[a-z]+$"#, options: .regularExpression) != nil })
        XCTAssertEqual(table, Set(DemoSeed.accountUsernames))
        XCTAssertEqual(Set(accounts.map(\.username)), Set(DemoSeed.accountUsernames))
    }
}
