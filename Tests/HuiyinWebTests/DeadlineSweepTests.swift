import Foundation
import HuiyinCore
import HuiyinStore
import Logging
import Postgres
import TestSupport
import XCTest

/// Clocks start with the intake and the sweep climbs the supervision ladder, with time injected.
final class DeadlineSweepTests: XCTestCase {
    var t: TestApp!
    var token = ""

    /// 10:00 in Shanghai on `day`.
    static func morning(_ day: String) -> Date {
        ISO8601DateFormatter().date(from: day + "T02:00:00Z")!
    }

    override func setUpWithError() throws {
        try TestApp.prepareDatabase()
        t = try TestApp(now: Self.morning("2026-11-02"))
        _ = try t.store.importShippedNotices()
        token = try t.newOperator().1
    }

    override func tearDown() { t = nil }

    func clock(ofCase id: Int) throws -> (dueOn: String, dueAt: Date, state: String, limit: String) {
        try t.store.pool.withConnection { db in
            let row = try db.query("SELECT due_on::text AS due_on, due_at, state, rule_limit FROM clocks WHERE case_id = \(Int64(id)) AND kind = 'acceptance'").first!
            return (try row.decode("due_on"), try row.decode("due_at"), try row.decode("state"), try row.decode("rule_limit"))
        }
    }

    func events(ofCase id: Int) throws -> [String] {
        try t.store.pool.withConnection { db in
            try db.query("SELECT kind FROM case_events WHERE case_id = \(Int64(id)) ORDER BY id").rows.map { try $0.decode("kind") }
        }
    }

    func notifications(ofCase id: Int) throws -> [String] {
        try t.store.pool.withConnection { db in
            try db.query("""
                SELECT n.kind || '/' || n.audience || '/' || u.code AS n FROM notifications n JOIN units u ON u.id = n.unit_id
                WHERE n.case_id = \(Int64(id)) ORDER BY n.id
                """).rows.map { try $0.decode("n") }
        }
    }

    func testIntakeStartsTheAcceptanceClockFromTheDayOfReceipt() throws {
        t.clock.value = Self.morning("2026-09-25")
        let letter = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, [
            "channel": "letter", "category": "marriage_family", "summary": "来信反映离婚后前夫拒不支付抚养费",
            "letter": ["received_on": "2026-09-20", "sender": "刘女士"],
        ])
        XCTAssertEqual(letter.status, 201, letter.text)
        let letterClock = try clock(ofCase: letter.decode(Receipt.self).caseId)
        XCTAssertEqual(letterClock.dueOn, "2026-10-08", "15 days from receipt end on 5 Oct, a holiday: the next working day")
        XCTAssertEqual(letterClock.dueAt, ISO8601DateFormatter().date(from: "2026-10-08T16:00:00Z"), "24:00 in Shanghai")
        XCTAssertEqual(letterClock.state, "running")
        XCTAssertEqual(letterClock.limit, "15d")

        let call = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, Sample.call(phone: Sample.randomPhone()))
        XCTAssertEqual(try clock(ofCase: call.decode(Receipt.self).caseId).dueOn, "2026-10-10", "25 Sep + 15 days is 10 Oct, a make-up working Saturday")
    }

    func testTheSweepWarnsRemindsAndEscalatesEachOnce() throws {
        let created = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, Sample.call(phone: Sample.randomPhone()))
        let id = try created.decode(Receipt.self).caseId
        XCTAssertEqual(try clock(ofCase: id).dueOn, "2026-11-17")

        t.clock.value = Self.morning("2026-11-10")
        _ = try t.store.sweep()
        XCTAssertEqual(try events(ofCase: id), ["registered"], "due in more than 3 working days: nothing yet")

        t.clock.value = Self.morning("2026-11-12")
        _ = try t.store.sweep()
        _ = try t.store.sweep()
        XCTAssertEqual(try events(ofCase: id), ["registered", "deadline_due_soon"])
        XCTAssertEqual(try notifications(ofCase: id), ["due_soon/handlers/t-c"])

        t.clock.value = Self.morning("2026-11-17")
        _ = try t.store.sweep()
        XCTAssertEqual(try events(ofCase: id).count, 2, "due today is not overdue")

        t.clock.value = Self.morning("2026-11-18")
        _ = try t.store.sweep()
        XCTAssertEqual(try events(ofCase: id), ["registered", "deadline_due_soon", "reminder_sent"])

        t.clock.value = Self.morning("2026-11-24")
        _ = try t.store.sweep()
        XCTAssertEqual(try events(ofCase: id).count, 3, "4 working days after the reminder: no notice yet")

        t.clock.value = Self.morning("2026-11-25")
        _ = try t.store.sweep()
        _ = try t.store.sweep()
        XCTAssertEqual(try events(ofCase: id), ["registered", "deadline_due_soon", "reminder_sent", "notice_issued"])
        XCTAssertEqual(try notifications(ofCase: id).sorted(), ["due_soon/handlers/t-c", "notice/handlers/t-c",
                                                               "notice/supervisors/t", "reminder/handlers/t-c"],
                       "the notice escalates to the supervisors of the unit above")
    }

    func testAThirdContactPutsTheCaseForwardForLeadershipOnce() throws {
        let first = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, Sample.call(phone: Sample.randomPhone()))
        let id = try first.decode(Receipt.self).caseId
        for _ in 0..<2 {
            _ = try t.store.sweep()
            XCTAssertFalse(try events(ofCase: id).contains("leadership_proposed"))
            _ = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token,
                                    ["channel": "call", "case_id": id, "summary": "又一次来电"])
        }
        _ = try t.store.sweep()
        _ = try t.store.sweep()
        XCTAssertEqual(try events(ofCase: id).filter { $0 == "leadership_proposed" }.count, 1)
        XCTAssertEqual(try notifications(ofCase: id), ["leadership_proposed/leaders/t-c"])
    }

    /// `huiyin serve` stops the sweeper and then closes the pool: `stop()` must return only once the
    /// sweep in progress has finished and its thread has left, or the sweep runs on a closed pool.
    func testStoppingTheSweeperWaitsForItsThread() throws {
        let sink = LogSink()
        let later = Self.morning("2026-12-15")
        let store = Store(pool: PostgresPool(configuration: try TestDatabase.configuration(), size: 1), now: { later })
        let sweeper = Sweeper(store: store, interval: 3600, logger: Logger(label: "sweep-test") { _ in CapturingLogHandler(sink: sink) })
        sweeper.start()
        sweeper.stop()  // at once: the first sweep is under way (or about to start)
        XCTAssertFalse(sweeper.isRunning)
        let sweeps = sink.all.filter { $0.contains(" sweep ") || $0.contains(" sweep failed") }
        XCTAssertEqual(sweeps.count, 1, "the sweep in progress finished before stop() returned: \(sink.all)")
        XCTAssertFalse(sweeps.contains { $0.contains("sweep failed") }, "\(sweeps)")
        store.pool.close()
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(sink.all.count, sweeps.count, "nothing ran after stop(): \(sink.all)")
    }

    /// Two sweepers (two instances) at once: no step, event or notification twice.
    func testTwoSweepersAtOnceDoEachStepOnce() throws {
        var ids: [Int64] = []
        for _ in 0..<40 {
            let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, Sample.call(phone: Sample.randomPhone()))
            ids.append(Int64(try r.decode(Receipt.self).caseId))
        }
        let later = Self.morning("2026-12-15")
        let sweepers = try (0..<2).map { _ in
            Store(pool: PostgresPool(configuration: try TestDatabase.configuration(), size: 1), now: { later })
        }
        let reports = LockedValue<[SweepReport]>([])
        let group = DispatchGroup()
        for sweeper in sweepers {
            group.enter()
            Thread.detachNewThread {
                for _ in 0..<3 { if let report = try? sweeper.sweep() { reports.withLock { $0.append(report) } } }
                group.leave()
            }
        }
        group.wait()
        XCTAssertEqual(reports.value.count, 6, "every sweep ran")
        let duplicates = try t.store.pool.withConnection { db in
            try db.query("""
                SELECT (SELECT count(*) FROM (SELECT case_id, kind, detail->>'clock_id' FROM case_events
                         WHERE case_id = ANY(\(ids)) AND actor = 'system' GROUP BY 1, 2, 3 HAVING count(*) > 1) e)
                     + (SELECT count(*) FROM (SELECT clock_id, kind, audience FROM notifications
                         WHERE case_id = ANY(\(ids)) GROUP BY 1, 2, 3 HAVING count(*) > 1) n) AS n
                """).first!.decode("n", as: Int.self)
        }
        XCTAssertEqual(duplicates, 0)
        let stepped = try t.store.pool.withConnection { db in
            try db.query("""
                SELECT count(*) AS n FROM clock_steps s JOIN clocks c ON c.id = s.clock_id WHERE c.case_id = ANY(\(ids))
                """).first!.decode("n", as: Int.self)
        }
        XCTAssertEqual(stepped, 80, "each of the 40 overdue clocks got its reminder and its notice")
        sweepers.forEach { $0.pool.close() }
    }

    func testSupervisorsSeeTheirSubtreeOldestBreachFirst() throws {
        let countyA = try t.unitID("t-c-a"), countyB = try t.unitID("t-c-b")
        func open(unit: Int64, channel: String = "call") throws -> Int {
            var body: [String: Any] = ["channel": channel, "category": "domestic_violence", "summary": "督办测试", "unit_id": unit]
            if channel == "visit" { body["visit"] = ["window": "县妇联接待窗口"] }
            let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, body)
            XCTAssertEqual(r.status, 201, r.text)
            return try r.decode(Receipt.self).caseId
        }
        let older = try open(unit: countyA)
        t.clock.value = Self.morning("2026-11-04")
        let newer = try open(unit: countyA, channel: "visit")
        let neighbour = try open(unit: countyB)
        t.clock.value = Self.morning("2026-11-25")

        let (_, countyToken) = try t.newOperator(role: .supervisor, unit: "t-c-a")
        let (_, cityToken) = try t.newOperator(role: .supervisor, unit: "t-c")
        func overdue(_ token: String, _ query: String = "") throws -> [Int] {
            let r = try HTTPClient.get(port: t.port, "/api/v1/supervision/clocks?status=overdue\(query)", token: token)
            XCTAssertEqual(r.status, 200, r.text)
            return try r.decode(SupervisedClocks.self).clocks.map(\.caseId)
        }
        let county = try overdue(countyToken)
        XCTAssertEqual(county.filter { [older, newer, neighbour].contains($0) }, [older, newer], "oldest breach first, no neighbour")
        XCTAssertTrue(try overdue(cityToken).contains(neighbour))
        XCTAssertEqual(try overdue(countyToken, "&channel=visit").filter { [older, newer].contains($0) }, [newer])
        XCTAssertEqual(try overdue(countyToken, "&kind=handling").filter { [older, newer].contains($0) }, [])
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/supervision/clocks?unit_id=\(countyB)", token: countyToken).status, 404,
                       "a neighbouring county is out of scope")
        let bad = try HTTPClient.get(port: t.port, "/api/v1/supervision/clocks?status=late&channel=fax&limit=0", token: countyToken)
        XCTAssertEqual(bad.status, 422)
        XCTAssertEqual(Set(bad.errorFields), ["status", "channel", "limit"])

        let figures = try HTTPClient.get(port: t.port, "/api/v1/supervision/units", token: cityToken).decode(UnitFigureRows.self).units
        XCTAssertEqual(figures.first?.unitId, Int(try t.unitID("t-c")), "the unit itself first")
        let b = try XCTUnwrap(figures.first { $0.unitId == Int(countyB) })
        XCTAssertEqual(b.openCases, 1)
        XCTAssertEqual(b.overdue, 1)
        XCTAssertEqual(b.onTimeRate, 0, "its one clock running past its due day is late")
    }

    /// Issue 10 item 4: 按期率 read 100 % while most open cases were overdue (it counted only stopped clocks).
    func testTheOnTimeRateCountsARunningClockPastItsDueDayAsLate() throws {
        let county = try t.newUnit("county", under: "t-c")
        let countyID = try t.unitID(county)
        let (_, handler) = try t.newOperator(role: .handler, unit: county)
        var ids: [Int] = []
        for _ in 0..<6 {
            var body = Sample.call(phone: Sample.randomPhone(), category: "marriage_family")
            body["unit_id"] = countyID
            let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, body)
            XCTAssertEqual(r.status, 201, r.text)
            ids.append(try r.decode(Receipt.self).caseId)
        }
        func accept(_ id: Int) throws {
            XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/cases/\(id)/accept", token: handler, [:]).status, 200)
        }
        // Hand count. 2 November: three accepted at once — three acceptance clocks met on time (each
        // starts a 60-day handling clock, within its time). Their acceptance clocks fall due on 17 November.
        for id in ids[0..<3] { try accept(id) }
        // 25 November: one accepted late — breached; two still waiting — running past their due day.
        t.clock.value = Self.morning("2026-11-25")
        try accept(ids[3])
        // Met 3; late 1 stopped + 2 running = 3; the 4 handling clocks within their time do not count: 3 / 6.
        let (_, city) = try t.newOperator(role: .supervisor, unit: "t-c")
        let figures = try HTTPClient.get(port: t.port, "/api/v1/supervision/units", token: city).decode(UnitFigureRows.self).units
        let row = try XCTUnwrap(figures.first { $0.unitId == Int(countyID) })
        XCTAssertEqual(row.overdue, 2)
        XCTAssertEqual(row.onTimeRate, 0.5, "3 on time of 6 decided (before: 3 of 4 stopped, 75 %)")
        // The dashboard shows it, and says what it counts.
        let page = try ConsoleSession(t, .supervisor, unit: "t-c").get(t, "/dashboard")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("<td>50%</td>"), "the county's row")
        XCTAssertTrue(page.text.contains("仍在计时但已过到期日的期限计为超期"), "the page says what the rate means")
    }

    func testNotificationsReachTheirPeopleAndCanBeMarkedRead() throws {
        let created = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, Sample.call(phone: Sample.randomPhone()))
        let id = try created.decode(Receipt.self).caseId
        t.clock.value = Self.morning("2026-11-25")
        _ = try t.store.sweep()
        let (_, handler) = try t.newOperator(role: .handler, unit: "t-c")
        let (_, provinceSupervisor) = try t.newOperator(role: .supervisor, unit: "t")
        let (_, otherCounty) = try t.newOperator(role: .handler, unit: "t-c-b")
        func mine(_ token: String, unread: Bool = false) throws -> [Notifications.Notification] {
            let r = try HTTPClient.get(port: t.port, "/api/v1/notifications?limit=500\(unread ? "&unread=true" : "")", token: token)
            XCTAssertEqual(r.status, 200, r.text)
            return try r.decode(Notifications.self).notifications.filter { $0.caseId == id }
        }
        XCTAssertEqual(Set(try mine(handler).map(\.kind)), ["reminder", "notice"])
        XCTAssertEqual(try mine(provinceSupervisor).map(\.kind), ["notice"], "escalated to the unit above")
        XCTAssertEqual(try mine(otherCounty).count, 0)

        let first = try XCTUnwrap(try mine(handler).first).id
        XCTAssertEqual(try HTTPClient.send(port: t.port, "POST", "/api/v1/notifications/\(first)/read",
                                           headers: [("Authorization", "Bearer \(handler)")]).status, 204)
        XCTAssertEqual(try HTTPClient.send(port: t.port, "POST", "/api/v1/notifications/\(first)/read",
                                           headers: [("Authorization", "Bearer \(handler)")]).status, 204, "idempotent")
        XCTAssertFalse(try mine(handler, unread: true).contains { $0.id == first })
        XCTAssertEqual(try HTTPClient.send(port: t.port, "POST", "/api/v1/notifications/\(first)/read",
                                           headers: [("Authorization", "Bearer \(otherCounty)")]).status, 404, "not hers")
    }

    func testSupervisorViewsSayWhenNextYearsCalendarIsMissing() throws {
        let (_, supervisor) = try t.newOperator(role: .supervisor)
        t.clock.value = Self.morning("2026-11-30")
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/supervision/clocks", token: supervisor).jsonValue()["calendar_warning"], .null,
                       "present, and null")
        t.clock.value = Self.morning("2026-12-01")
        let warning = try HTTPClient.get(port: t.port, "/api/v1/supervision/units", token: supervisor).jsonValue()["calendar_warning"]?.stringValue
        XCTAssertTrue(warning?.contains("2027") ?? false, "from 1 December the coming year's notice is due")
    }

    func testTheSweepExpiresIdempotencyKeysAndThrottleCountersAfterADay() throws {
        let key = UUID().uuidString
        let body = Array(try JSONSerialization.data(withJSONObject: Sample.call(phone: Sample.randomPhone())))
        let headers = [("Idempotency-Key", key), ("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")]
        XCTAssertEqual(try HTTPClient.send(port: t.port, "POST", "/api/v1/contacts", headers: headers, body: body).status, 201)
        _ = try HTTPClient.get(port: t.port, "/api/v1/track/HY20260101-000001", headers: [("X-Query-Code", "2222-2222")])
        func kept() throws -> Int {
            try t.count("SELECT (SELECT count(*) FROM idempotency_keys WHERE key = '\(key)') + (SELECT count(*) FROM throttle WHERE bucket = 'track:number:HY20260101-000001') AS n")
        }
        _ = try t.store.sweep()
        XCTAssertEqual(try kept(), 2, "fresh: kept")
        t.clock.value = t.clock.value.addingTimeInterval(25 * 3600)
        XCTAssertGreaterThanOrEqual(try t.store.sweep().expired, 2)
        XCTAssertEqual(try kept(), 0)
    }
}
