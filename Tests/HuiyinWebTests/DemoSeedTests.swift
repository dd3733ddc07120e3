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
        XCTAssertGreaterThanOrEqual(try count(store, "SELECT count(*) AS n FROM mediation_bodies"), 30, "the public map has bodies around Yichang")
        // 专项排查 under way: its townships' leads linked (a sealed one among them), one township not yet reported.
        XCTAssertEqual(try count(store, "SELECT count(*) AS n FROM campaigns WHERE starts_on <= \(store.today) AND ends_on > \(store.today)"), 1)
        XCTAssertGreaterThanOrEqual(try count(store, "SELECT count(*) AS n FROM leads WHERE campaign_id IS NOT NULL"), 3)
        XCTAssertEqual(try count(store, "SELECT count(*) AS n FROM leads WHERE campaign_id IS NOT NULL AND sealed"), 1)
        XCTAssertEqual(try count(store, "SELECT count(*) AS n FROM campaign_units p WHERE NOT EXISTS (SELECT 1 FROM campaign_reports r WHERE r.campaign_id = p.campaign_id AND r.unit_id = p.unit_id)"),
                       1, "one township has not reported")
        XCTAssertEqual(try count(store, "SELECT count(*) AS n FROM notifications WHERE kind = 'campaign_major_risk'"), 1)
        XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM notifications WHERE kind = 'notice'"), 0, "通报 issued by the sweep")
        XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM cases WHERE status = 'closed'"), 0, "some cases replied to and closed")
        XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM cases WHERE status = 'registered'"), 0, "some still waiting")
        XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM cases WHERE leader_id IS NOT NULL"), 0, "领导包案 on repeat petitions")
        XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM referrals WHERE kind = 'legal_aid' AND aid_decision = 'granted'"), 0,
                             "women helped through the legal-aid green channel")
        XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM referrals WHERE kind = 'legal_aid' AND aid_decision IS NULL"), 0,
                             "legal-aid decisions still awaited")
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
        XCTAssertEqual(Set(accounts.map(\.username)), Set(DemoSeed.accountUsernames + DemoSeed.grassrootsUsernames))
        // The grassroots accounts the README names as examples exist.
        let examples = Set(readme.split(separator: "`").map(String.init)
            .filter { $0.range(of: #"^(chair|grid|info)\.[a-z0-9]+$"#, options: .regularExpression) != nil })
        XCTAssertGreaterThanOrEqual(examples.count, 3)
        XCTAssertEqual(examples.subtracting(DemoSeed.grassrootsUsernames), [], "the README names accounts the seed does not create")
    }

    /// Grids under every demo village with their profiles and two people each, and a register of a few
    /// hundred key households: classified (some more than once, some past their review day), with members
    /// (a few minors), and sealed where a domestic-violence or minor's matter says so.
    func testTheGrassrootsNetwork() throws {
        let (store, accounts) = try seededStore()
        let villages = try count(store, "SELECT count(*) AS n FROM units WHERE level = 'village'")
        XCTAssertEqual(villages, 16)
        XCTAssertEqual(try count(store, """
            SELECT count(*) AS n FROM (SELECT v.id, count(g.id) AS grids FROM units v LEFT JOIN units g ON g.parent_id = v.id
                                       WHERE v.level = 'village' GROUP BY v.id) x WHERE grids BETWEEN 2 AND 4
            """), villages, "2–4 grids under every village")
        let grids = try count(store, "SELECT count(*) AS n FROM units WHERE level = 'grid'")
        XCTAssertEqual(grids, DemoSeed.gridCodes.count)
        XCTAssertEqual(try count(store, """
            SELECT count(*) AS n FROM grid_profiles p JOIN units g ON g.id = p.unit_id
            WHERE g.level = 'grid' AND p.households > 0 AND p.residents > p.households AND p.children > 0 AND p.womens_groups <> ''
            """), grids, "every grid has its profile")
        // Every grid has exactly its two people: one grid worker, one information officer, sitting at it.
        for role in ["grid_worker", "information_officer"] {
            XCTAssertEqual(try count(store, """
                SELECT count(*) AS n FROM units g
                WHERE g.level = 'grid' AND (SELECT count(*) FROM staff_grids sg JOIN users u ON u.id = sg.user_id
                                            WHERE sg.grid_id = g.id AND u.role = \(role) AND u.unit_id = g.id) = 1
                """), grids, role)
        }
        XCTAssertEqual(try count(store, "SELECT count(DISTINCT unit_id) AS n FROM users u JOIN units v ON v.id = u.unit_id WHERE v.level = 'village'"),
                       villages, "a chair at every village")
        XCTAssertEqual(Set(accounts.filter { $0.role.worksInGrids }.map(\.username)).count, grids * 2)
        // Each signs in to the console with the demo password.
        for username in [DemoSeed.grassrootsUsernames.first!, DemoSeed.grassrootsUsernames.last!, "chair.xl0101", "grid.xl0101a", "info.xl0101a"] {
            guard case .success = try store.login(username: username, password: DemoSeed.password, clientAddress: "192.0.2.1") else {
                return XCTFail("\(username) cannot sign in with the demo password")
            }
        }

        let households = try count(store, "SELECT count(*) AS n FROM households")
        XCTAssertTrue((200...600).contains(households), "a few hundred key households: \(households)")
        XCTAssertGreaterThan(try count(store, "SELECT count(DISTINCT grid_id) AS n FROM households"), grids * 9 / 10)
        XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM household_members WHERE is_minor"), 0, "some minors")
        XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM household_members"), households)
        for category in HouseholdCategory.allCases {
            XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM households WHERE \(category.rawValue) = ANY (categories)"), 0,
                                 category.rawValue)
        }
        let classified = try count(store, "SELECT count(*) AS n FROM households WHERE colour IS NOT NULL")
        XCTAssertGreaterThan(classified, households / 2)
        for colour in HouseholdColour.allCases {
            XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM households WHERE colour = \(colour.rawValue)"), 0, colour.rawValue)
        }
        XCTAssertGreaterThan(try count(store, """
            SELECT count(*) AS n FROM (SELECT household_id FROM household_classifications GROUP BY 1 HAVING count(*) > 1) x
            """), 0, "some reclassified: a history")
        let due = try count(store, "SELECT count(*) AS n FROM households WHERE review_on < \(store.today)")
        XCTAssertTrue(due > 0 && due < classified / 2, "some past their review day, not most: \(due) of \(classified)")
        // The household row carries its latest classification.
        XCTAssertEqual(try count(store, """
            SELECT count(*) AS n FROM households h
            WHERE h.colour IS DISTINCT FROM (SELECT c.colour FROM household_classifications c WHERE c.household_id = h.id ORDER BY c.id DESC LIMIT 1)
            """), 0)
        // A few sealed, each for a domestic-violence or a minor's matter; a minor member always seals.
        let sealed = try count(store, "SELECT count(*) AS n FROM households WHERE sealed")
        XCTAssertTrue(sealed > 0 && sealed < households / 4, "a few sealed: \(sealed)")
        XCTAssertEqual(try count(store, "SELECT count(*) AS n FROM households WHERE sealed <> (matters && '{domestic_violence,minor}')"), 0)
        XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM households WHERE 'domestic_violence' = ANY (matters)"), 0)
        XCTAssertEqual(try count(store, """
            SELECT count(*) AS n FROM households h WHERE NOT h.sealed AND EXISTS (SELECT 1 FROM household_members m WHERE m.household_id = h.id AND m.is_minor)
            """), 0)
        // A village chair sees her grids' register with the sealed rows masked.
        let chairAccount = try XCTUnwrap(accounts.first { $0.username.hasPrefix("chair.") })
        let chair = try XCTUnwrap(try store.authenticate(token: chairAccount.token))
        let rows = try store.households(HouseholdFilter(limit: 500), for: chair)
        XCTAssertFalse(rows.isEmpty)
        XCTAssertTrue(rows.filter(\.sealed).allSatisfy { $0.address == nil && $0.headName == nil && $0.categories.isEmpty && $0.colour == nil })
        XCTAssertEqual(Set(try store.householdGrids(for: chair).map(\.villageName)).count, 1, "her village's grids only")
    }

    /// The network at work: three months of visits with their per-grid counters matching the rows, and in
    /// the demo village leads at every stage, each left where the real steps leave it.
    func testTheGrassrootsAtWork() throws {
        let (store, _) = try seededStore()
        let today = store.today
        var month = VisitMonth(today)
        var months: [VisitMonth] = []
        for _ in 0..<3 {
            months.append(month)
            month = VisitMonth(month.firstDay.adding(days: -1))
        }
        XCTAssertEqual(try count(store, "SELECT count(DISTINCT month) AS n FROM household_visits"), 3, "visits in three months")
        XCTAssertEqual(try count(store, "SELECT count(*) AS n FROM household_visits WHERE month < \(months[2].firstDay) OR visited_on > \(today)"), 0)
        for (index, month) in months.enumerated() {
            let due = try count(store, "SELECT coalesce(sum(due), 0) AS n FROM visit_grid_months WHERE month = \(month.firstDay)")
            let done = try count(store, "SELECT coalesce(sum(done), 0) AS n FROM visit_grid_months WHERE month = \(month.firstDay)")
            XCTAssertGreaterThan(due, 200, "\(month): every key household due")
            if index == 0 {
                XCTAssertTrue(done > 0 && done < due, "this month partly done: \(done) of \(due)")
            } else {
                XCTAssertTrue(done > due * 8 / 10 && done < due, "\(month): most visited, some missed: \(done) of \(due)")
            }
        }
        // The counters say what the rows say: each grid's month counts its households on the register by the
        // month's end and those visited at least once; each household-month points at its first visit.
        XCTAssertEqual(try count(store, """
            SELECT count(*) AS n FROM visit_grid_months g JOIN visit_months m ON m.month = g.month
            WHERE g.done <> (SELECT count(DISTINCT v.household_id) FROM household_visits v WHERE v.grid_id = g.grid_id AND v.month = g.month)
               OR g.due <> (SELECT count(*) FROM households h WHERE h.grid_id = g.grid_id AND h.created_at < m.ends_at)
            """), 0, "per-grid month counters match the visit rows")
        XCTAssertEqual(try count(store, """
            SELECT count(*) AS n FROM visit_household_months hm
            WHERE hm.first_visit_id <> (SELECT min(v.id) FROM household_visits v WHERE v.household_id = hm.household_id AND v.month = hm.month)
            """), 0)
        XCTAssertEqual(try count(store, "SELECT count(*) AS n FROM visit_household_months"),
                       try count(store, "SELECT count(*) AS n FROM (SELECT DISTINCT household_id, month FROM household_visits) x"))

        // Leads at every stage in the demo village.
        let village = try count(store, "SELECT id AS n FROM units WHERE code = \(DemoSeed.workVillage)")
        func leads(_ condition: String) throws -> Int {
            try count(store, "SELECT count(*) AS n FROM leads l WHERE l.village_id = \(village) AND \(unescaped: condition)")
        }
        // On the agenda: a fresh one, the third quarrel (past its period) and the one that recurred at its follow-up.
        XCTAssertEqual(try leads("l.status = 'open' AND NOT l.sealed"), 3, "three on the agenda")
        XCTAssertEqual(try leads("l.status = 'open' AND l.reported_at < now() - interval '7 days'"), 2, "two reported over a week ago")
        XCTAssertGreaterThan(try count(store, """
            SELECT count(*) AS n FROM notifications n JOIN leads l ON l.id = n.lead_id
            WHERE l.village_id = \(village) AND l.status = 'open' AND n.kind = 'deliberation_overdue' AND n.audience = 'supervisors'
              AND n.unit_id = (SELECT parent_id FROM units WHERE id = \(village))
            """), 0, "the sweep told the township of the lead past its period")
        for decision in LeadDecisionKind.allCases {
            XCTAssertGreaterThan(try count(store, """
                SELECT count(*) AS n FROM lead_decisions d JOIN leads l ON l.id = d.lead_id
                WHERE l.village_id = \(village) AND d.decision = \(decision.rawValue)
                """), 0, "a sitting decided one lead: \(decision.rawValue)")
        }
        for status in ["mediating", "referred", "case_opened", "reported_to_police", "closed", "settled"] {
            XCTAssertGreaterThan(try count(store, "SELECT count(*) AS n FROM leads WHERE village_id = \(village) AND status = \(status)"), 0, status)
        }
        func dispatches(_ state: String) throws -> Int {
            try count(store, """
                SELECT count(*) AS n FROM lead_dispatches d JOIN leads l ON l.id = d.lead_id WHERE l.village_id = \(village) AND d.state = \(state)
                """)
        }
        XCTAssertEqual(try dispatches("awaiting_sign"), 1, "one awaiting signature at the township")
        XCTAssertEqual(try dispatches("signed"), 1, "one signed")
        XCTAssertEqual(try dispatches("settled"), 2, "two settled")
        XCTAssertGreaterThanOrEqual(try count(store, """
            SELECT count(*) AS n FROM mediation_notes m JOIN lead_dispatches d ON d.id = m.dispatch_id WHERE d.state = 'signed'
              AND d.lead_id IN (SELECT id FROM leads WHERE village_id = \(village))
            """), 2, "the signed one has its progress notes")
        XCTAssertGreaterThan(try count(store, """
            SELECT count(*) AS n FROM grassroots_dues d WHERE d.kind = 'follow_up' AND d.met_at IS NULL AND d.unit_id = \(village)
            """), 1, "follow-ups due")
        XCTAssertEqual(try count(store, """
            SELECT count(*) AS n FROM lead_follow_ups f JOIN leads l ON l.id = f.lead_id WHERE l.village_id = \(village) AND f.result = 'recurred'
            """), 1, "one recurred")
        XCTAssertEqual(try leads("""
            l.sealed AND l.kind = 'domestic_violence' AND EXISTS (SELECT 1 FROM lead_tasks t WHERE t.lead_id = l.id AND t.state = 'open')
            """), 1, "a sealed domestic-violence lead with its mandatory report task")
        XCTAssertEqual(try count(store, """
            SELECT count(*) AS n FROM households h JOIN units g ON g.id = h.grid_id WHERE g.parent_id = \(village) AND h.flagged_at IS NOT NULL
            """), 1, "a household flagged for three quarrels")
    }
}
