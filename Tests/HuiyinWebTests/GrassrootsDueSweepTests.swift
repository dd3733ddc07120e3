import Foundation
import HuiyinCore
@testable import HuiyinStore
import Postgres
import TestSupport
import XCTest

/// The grassroots deadline mechanism every grassroots due rides on: warned to the owing unit the day
/// before, escalated to the unit above once passed, each step once even with two instances sweeping,
/// nothing more once it is met.
final class GrassrootsDueSweepTests: XCTestCase {
    var t: TestApp!
    var township = "", village = "", grid = ""
    var leadID: Int64 = 0

    static func morning(_ day: String) -> Date { ISO8601DateFormatter().date(from: day + "T02:00:00Z")! }

    override func setUpWithError() throws {
        t = try TestApp(now: Self.morning("2026-11-02"))
        let county = try t.newUnit("county", under: "t-c")
        township = try t.newUnit("township", under: county)
        village = try t.newUnit("village", under: township)
        grid = try t.newUnit("grid", under: village)
        let worker = try t.newOperator(role: .gridWorker, unit: grid).0
        let (gridID, villageID) = (try t.unitID(grid), try t.unitID(village))
        leadID = try t.store.pool.withConnection { db in
            try db.query("""
                INSERT INTO leads (grid_id, village_id, kind, source, summary, reported_by, reported_at, updated_at)
                VALUES (\(gridID), \(villageID), 'family_dispute', 'grid_report', '邻里反映夫妻争吵', \(worker.id), now(), now())
                RETURNING id
                """).first!.decode("id", as: Int64.self)
        }
    }

    override func tearDown() { t = nil }

    func openDeliberationDue(on day: String) throws -> Int64 {
        let villageID = try t.unitID(village)
        return try t.store.pool.withConnection { db in
            try db.transaction { tx in
                try Store.openDue(tx, kind: .deliberation, unitID: villageID, leadID: leadID,
                                  dueOn: LocalDate(iso: day)!, at: Self.morning("2026-11-02"))
            }
        }
    }

    /// (step, unit code, audience) of every notification about the lead, in order.
    func notices() throws -> [String] {
        try t.store.pool.withConnection { db in
            try db.query("""
                SELECT n.kind || '/' || n.audience || '/' || u.code AS line FROM notifications n JOIN units u ON u.id = n.unit_id
                WHERE n.lead_id = \(leadID) ORDER BY n.id, n.audience
                """).rows.map { try $0.decode("line", as: String.self) }
        }
    }

    func testWarnedTheDayBeforeEscalatedAfterAndEachOnce() throws {
        _ = try openDeliberationDue(on: "2026-11-12")  // a Thursday
        t.clock.value = Self.morning("2026-11-10")
        _ = try t.store.sweep()
        XCTAssertEqual(try notices(), [], "two days ahead: nothing yet (the warning is one day ahead by default)")
        t.clock.value = Self.morning("2026-11-11")
        _ = try t.store.sweep()
        _ = try t.store.sweep()
        XCTAssertEqual(try notices(), ["deliberation_due_soon/handlers/\(village)"], "warned once, however often it sweeps")
        t.clock.value = Self.morning("2026-11-12")
        _ = try t.store.sweep()
        XCTAssertEqual(try notices().count, 1, "on the day itself it is not yet overdue")
        t.clock.value = Self.morning("2026-11-13")
        _ = try t.store.sweep()
        _ = try t.store.sweep()
        XCTAssertEqual(try notices().sorted(), ["deliberation_due_soon/handlers/\(village)", "deliberation_overdue/handlers/\(village)",
                                       "deliberation_overdue/supervisors/\(township)"].sorted(),
                       "overdue: the council is told and the township above, once")
    }

    func testAMetDueIsNeitherWarnedNorEscalated() throws {
        _ = try openDeliberationDue(on: "2026-11-09")
        let met = try t.store.pool.withConnection { db in
            try db.transaction { tx in try Store.meetDues(tx, kind: .deliberation, leadID: leadID, at: Self.morning("2026-11-05")) }
        }
        XCTAssertEqual(met, 1)
        t.clock.value = Self.morning("2026-11-20")
        _ = try t.store.sweep()
        XCTAssertEqual(try notices(), [])
        let metAgain = try t.store.pool.withConnection { db in
            try db.transaction { tx in try Store.meetDues(tx, kind: .deliberation, leadID: leadID, at: Self.morning("2026-11-06")) }
        }
        XCTAssertEqual(metAgain, 0, "a due is met once")
    }

    func testTwoInstancesSweepingAtOnceTakeEachStepOnce() throws {
        for _ in 0..<20 { _ = try openDeliberationDue(on: "2026-11-09") }
        let later = Self.morning("2026-11-20")
        let sweepers = try (0..<2).map { _ in
            Store(pool: PostgresPool(configuration: try TestDatabase.configuration(), size: 1), now: { later })
        }
        let group = DispatchGroup()
        for sweeper in sweepers {
            group.enter()
            Thread.detachNewThread {
                for _ in 0..<3 { _ = try? sweeper.sweep() }
                group.leave()
            }
        }
        group.wait()
        let lines = try notices()
        XCTAssertEqual(lines.count, 40, "20 dues overdue: each told to the village and the township once: \(lines.count)")
        XCTAssertEqual(Set(lines), ["deliberation_overdue/handlers/\(village)", "deliberation_overdue/supervisors/\(township)"],
                       "past the day, only the overdue step (no late warning)")
    }

    /// Grassroots notifications reach the same inbox as case ones: the village's staff see the lead's
    /// overdue deliberation in the API list and on the console's home page and can mark it read; a grid
    /// worker sees what is told to each of her grids.
    func testGrassrootsNoticesReachTheInboxOfTheirUnitAndOfEveryAssignedGrid() throws {
        _ = try openDeliberationDue(on: "2026-11-12")
        t.clock.value = Self.morning("2026-11-13")
        _ = try t.store.sweep()
        let chair = try ConsoleSession(t, .handler, unit: village)  // signed in today: a session ends within a day
        let township = try ConsoleSession(t, .supervisor, unit: self.township)
        let listed = try HTTPClient.get(port: t.port, "/api/v1/notifications", token: chair.token).decode(Notifications.self).notifications
        XCTAssertEqual(listed.filter { $0.leadId == Int(leadID) }.map(\.kind), ["deliberation_overdue"])
        XCTAssertTrue(listed.allSatisfy { $0.caseId == nil }, "about a lead, not a case")
        for who in [chair, township] {
            let home = try who.get(t, "/").text
            XCTAssertTrue(home.contains("线索逾期未研判"), "told in words")
            XCTAssertTrue(home.contains("href=\"/leads/\(leadID)\">线索 \(leadID) 号"), "linked to the lead")
        }
        XCTAssertEqual(try chair.post(t, "/notifications/read", ["kind": "deliberation_overdue", "lead_id": String(leadID)]).status, 303)
        XCTAssertFalse(try chair.get(t, "/").text.contains("线索 \(leadID) 号"), "read by its subject")
        XCTAssertTrue(try township.get(t, "/").text.contains("线索 \(leadID) 号"), "hers is still unread")

        // A grid worker assigned to two grids hears about both.
        let otherGrid = try t.newUnit("grid", under: village)
        let workerToken = try t.store.addUser(username: "gw-\(UUID().uuidString.prefix(8))", displayName: "网格员", unitCode: grid,
                                              role: .gridWorker, furtherGridCodes: [otherGrid]).1
        try t.store.pool.withConnection { db in
            for code in [grid, otherGrid] {
                try db.execute("""
                    INSERT INTO notifications (unit_id, audience, lead_id, kind, created_at)
                    VALUES (\(try t.unitID(code)), 'handlers', \(leadID), 'follow_up_due_soon', now())
                    """)
            }
        }
        let hers = try HTTPClient.get(port: t.port, "/api/v1/notifications", token: workerToken).decode(Notifications.self).notifications
        XCTAssertEqual(hers.filter { $0.kind == "follow_up_due_soon" }.count, 2, "one from each of her grids")
    }

    func testTheProfileSetsTheGrassrootsRules() throws {
        let rules = try RuleSet.regulation2022.applying(profile: """
            deliberation_within = 5d
            dispatch_sign_within = 2wd
            follow_ups = 1m, 2m
            quarrel_flag_count = 4
            """).get()
        XCTAssertEqual(rules.grassroots.deliberationWithin, .days(5))
        XCTAssertEqual(rules.grassroots.dispatchSignWithin, .workingDays(2))
        XCTAssertEqual(rules.grassroots.followUps, [.months(1), .months(2)])
        XCTAssertEqual(rules.grassroots.quarrelFlagCount, 4)
        guard case .failure(let error) = RuleSet.regulation2022.applying(profile: "follow_ups = 1m, soon\nquarrel_flag_count = 1") else {
            return XCTFail("bad grassroots lines are refused")
        }
        XCTAssertEqual(error.problems.map(\.line), [1, 2])
    }
}
