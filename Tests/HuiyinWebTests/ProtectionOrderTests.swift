import Foundation
import HuiyinCore
import HuiyinStore
import Postgres
import TestSupport
import XCTest

/// Personal-safety protection orders (人身安全保护令) against the real database: recorded on a case or a
/// household with every bad field named, the expiry warned ahead through the sweep and moved by an
/// extension, a violation raising the case to high risk with the handler told and a police-report task,
/// sealed orders masked, and the console's section and the supervisors' expiring list.
final class ProtectionOrderTests: XCTestCase {
    var t: TestApp!
    var city = ""
    var handler: (StaffUser, String)!
    var colleague: (StaffUser, String)!
    var supervisor: (StaffUser, String)!

    static func morning(_ day: String) -> Date { ISO8601DateFormatter().date(from: day + "T02:00:00Z")! }

    override func setUpWithError() throws {
        t = try TestApp(now: Self.morning("2026-11-02"))   // a Monday
        city = try t.newUnit("city", under: "t")
        handler = try t.newOperator(role: .handler, unit: city)
        colleague = try t.newOperator(role: .handler, unit: city)
        supervisor = try t.newOperator(role: .supervisor, unit: "t")
    }

    override func tearDown() { t = nil }

    /// The body's keys sorted, so a retry sends the same bytes (the key is bound to them).
    func post(_ path: String, _ body: [String: Any], as who: (StaffUser, String)? = nil, key: String? = nil) throws -> HTTPResult {
        var headers = [("Content-Type", "application/json"), ("Authorization", "Bearer \((who ?? handler).1)")]
        if let key { headers.append(("Idempotency-Key", key)) }
        let bytes = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        return try HTTPClient.send(port: t.port, "POST", path, headers: headers, body: Array(bytes))
    }

    /// A domestic-violence case (sealed from the start) that `who` handles.
    func newCase(handledBy who: (StaffUser, String)? = nil) throws -> Int {
        let r = try post("/api/v1/contacts", Sample.call(phone: Sample.randomPhone(), category: "domestic_violence"))
        XCTAssertEqual(r.status, 201, r.text)
        let id = try r.decode(Receipt.self).caseId
        XCTAssertEqual(try post("/api/v1/cases/\(id)/handler", ["handler_id": (who ?? handler).0.id], as: who).status, 204)
        return id
    }

    func order(_ number: String = "(2026)苏0402民保令\(Int.random(in: 1000...99999))号", expires: String = "2027-04-29",
               extra: [String: Any] = [:]) -> [String: Any] {
        ["court": "常州市天宁区人民法院", "order_no": number, "issued_on": "2026-10-30", "effective_from": "2026-10-30",
         "expires_on": expires, "measures": ["no_violence", "no_harassment_or_contact"], "counselling_ordered": true]
            .merging(extra) { $1 }
    }

    func recordOrder(_ caseID: Int, expires: String = "2027-04-29", as who: (StaffUser, String)? = nil) throws -> Int {
        let r = try post("/api/v1/cases/\(caseID)/protection-orders", order(expires: expires), as: who)
        XCTAssertEqual(r.status, 201, r.text)
        return try XCTUnwrap(try r.jsonValue()["id"]?.intValue)
    }

    /// kind/audience/unit code of the notifications from protection orders, in order.
    func notices(caseID: Int? = nil, householdID: Int? = nil) throws -> [String] {
        try t.store.pool.withConnection { db in
            try db.query("""
                SELECT n.kind || '/' || n.audience || '/' || u.code AS line FROM notifications n JOIN units u ON u.id = n.unit_id
                WHERE (n.case_id = \(caseID.map(Int64.init)) OR n.household_id = \(householdID.map(Int64.init)))
                  AND n.kind LIKE 'protection_order%' ORDER BY n.id, n.audience
                """).rows.map { try $0.decode("line", as: String.self) }
        }
    }

    func testRecordingNamesEveryBadFieldAndTheNumberIsUniquePerCourt() throws {
        let caseID = try newCase()
        let before = try t.count("SELECT count(*) AS n FROM protection_orders")
        let bad = try post("/api/v1/cases/\(caseID)/protection-orders", [
            "court": " ", "protected_person": "neighbour", "issued_on": "2026-13-01", "effective_from": "2026-10-01",
            "expires_on": "2026-09-01", "measures": ["no_violence", "curfew"], "other_measure": "每周报到", "colour": "red",
        ])
        XCTAssertEqual(bad.status, 422, bad.text)
        XCTAssertEqual(Set(bad.errorFields), ["court", "order_no", "protected_person", "issued_on", "expires_on", "measures[1]",
                                              "other_measure", "colour"], bad.text)
        let backwards = try post("/api/v1/cases/\(caseID)/protection-orders",
                                 order(extra: ["effective_from": "2026-10-29", "issued_on": "2026-10-30", "measures": []]))
        XCTAssertEqual(Set(backwards.errorFields), ["effective_from", "measures"], backwards.text)
        let future = try post("/api/v1/cases/\(caseID)/protection-orders", order(extra: ["issued_on": "2026-11-03", "effective_from": "2026-11-03"]))
        XCTAssertEqual(future.errorFields, ["issued_on"], future.text)
        let noVictim = try post("/api/v1/cases/\(caseID)/protection-orders", order(extra: ["protected_person": "victim"]))
        XCTAssertEqual(noVictim.errorFields, ["protected_person"], "she petitioned for herself: no separate victim")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM protection_orders"), before, "nothing written")

        let number = "(2026)苏0402民保令\(Int.random(in: 1000...99999))号"
        let key = "po-\(UUID().uuidString)"
        let body = order(number, extra: ["measures": ["other", "no_violence"], "other_measure": "禁止在申请人住所200米内逗留"])
        let created = try post("/api/v1/cases/\(caseID)/protection-orders", body, key: key)
        XCTAssertEqual(created.status, 201, created.text)
        let json = try created.jsonValue()
        XCTAssertEqual(json["status"]?.stringValue, "in_force")
        XCTAssertEqual(json["protected_person"]?.stringValue, "petitioner")
        XCTAssertEqual(json["protected_name"]?.stringValue, "王芳", "a reference to the petitioner, named from her record")
        XCTAssertEqual(json["measures"]?.arrayValue?.compactMap(\.stringValue), ["no_violence", "other"], "kept in the law's order")
        XCTAssertEqual(json["counselling_ordered"], .bool(true))
        XCTAssertEqual(json["days_left"]?.intValue, 178)
        let replay = try post("/api/v1/cases/\(caseID)/protection-orders", body, key: key)
        XCTAssertEqual(replay.status, 200, replay.text)
        XCTAssertEqual(replay.header("Idempotent-Replayed"), "true")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM protection_orders WHERE order_no = '\(number)'"), 1)
        let taken = try post("/api/v1/cases/\(caseID)/protection-orders", order(number))
        XCTAssertEqual(taken.status, 409, taken.text)
        XCTAssertTrue(taken.text.contains("order_no_taken"), taken.text)
        let sameNumberOtherCourt = try post("/api/v1/cases/\(caseID)/protection-orders", order(number, extra: ["court": "常州市武进区人民法院"]))
        XCTAssertEqual(sameNumberOtherCourt.status, 201, "unique per court")
        XCTAssertEqual(try t.count("""
            SELECT count(*) AS n FROM case_events WHERE case_id = \(caseID) AND kind = 'protection_order_recorded'
            """), 2)
        let listed = try HTTPClient.get(port: t.port, "/api/v1/cases/\(caseID)/protection-orders", token: handler.1)
        XCTAssertEqual(listed.status, 200, listed.text)
        XCTAssertEqual(try listed.jsonValue()["protection_orders"]?.arrayValue?.count, 2)
    }

    func testExpiryIsWarnedAheadThroughTheSweepAndAnExtensionMovesIt() throws {
        let caseID = try newCase()
        let id = try recordOrder(caseID, expires: "2026-12-01")   // a Tuesday
        t.clock.value = Self.morning("2026-11-15")   // Sunday: 15 days ahead is Mon 30 Nov
        _ = try t.store.sweep()
        XCTAssertEqual(try notices(caseID: caseID), [], "not yet within 15 days")
        t.clock.value = Self.morning("2026-11-16")
        _ = try t.store.sweep()
        _ = try t.store.sweep()
        XCTAssertEqual(try notices(caseID: caseID), ["protection_order_expiry_due_soon/handlers/\(city)"],
                       "warned 15 days ahead, once: time to apply for an extension")

        // The court extends it: the clock moves to the new day and is warned again ahead of it.
        t.clock.value = Self.morning("2026-11-20")
        let before = try post("/api/v1/protection-orders/\(id)/extensions", ["expires_on": "2026-11-30"])
        XCTAssertEqual(before.status, 422, before.text)
        XCTAssertEqual(before.errorFields, ["expires_on"])
        let noDay = try post("/api/v1/protection-orders/\(id)/extensions", ["ruled_on": "2026-11-21", "nonsense": 1])
        XCTAssertEqual(Set(noDay.errorFields), ["expires_on", "ruled_on", "nonsense"], noDay.text)
        let granted: [String: Any] = ["expires_on": "2027-01-29", "ruled_on": "2026-11-19", "note": "申请人申请延长，法院裁定准许"]
        let key = "ext-\(UUID().uuidString)"
        let extended = try post("/api/v1/protection-orders/\(id)/extensions", granted, key: key)
        XCTAssertEqual(extended.status, 201, extended.text)
        let again = try post("/api/v1/protection-orders/\(id)/extensions", granted, key: key)
        XCTAssertEqual(again.status, 200, again.text)
        XCTAssertEqual(again.header("Idempotent-Replayed"), "true")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM protection_order_extensions WHERE order_id = \(id)"), 1, "recorded once")
        let json = try extended.jsonValue()
        XCTAssertEqual(json["expires_on"]?.stringValue, "2027-01-29")
        XCTAssertEqual(json["extensions"]?.arrayValue?.first?["previous_expires_on"]?.stringValue, "2026-12-01")
        t.clock.value = Self.morning("2026-12-02")
        _ = try t.store.sweep()
        XCTAssertEqual(try notices(caseID: caseID).count, 1, "the old day passes unremarked: the order runs on")
        t.clock.value = Self.morning("2027-01-14")   // Thursday, 15 days before Friday 29 January
        _ = try t.store.sweep()
        XCTAssertEqual(try notices(caseID: caseID), ["protection_order_expiry_due_soon/handlers/\(city)",
                                                     "protection_order_expiry_due_soon/handlers/\(city)"], "warned again for the new day")
        t.clock.value = Self.morning("2027-01-29")
        _ = try t.store.sweep()
        XCTAssertEqual(try notices(caseID: caseID).count, 2, "in force through its last day")
        t.clock.value = Self.morning("2027-01-30")
        _ = try t.store.sweep()
        _ = try t.store.sweep()
        XCTAssertEqual(Array(try notices(caseID: caseID).dropFirst(2)).sorted(),
                       ["protection_order_expiry_overdue/handlers/\(city)", "protection_order_expiry_overdue/supervisors/t"],
                       "expired: the unit and the one above are told, once")
        let read = try HTTPClient.get(port: t.port, "/api/v1/protection-orders/\(id)", token: handler.1).jsonValue()
        XCTAssertEqual(read["status"]?.stringValue, "expired")
        XCTAssertEqual(try t.count("""
            SELECT count(*) AS n FROM grassroots_dues WHERE protection_order_id = \(id) AND met_at IS NULL AND stage = 2
            """), 1, "the clock marks it expired")
    }

    func testTheWarningLeadIsARuleLine() throws {
        let rules = try RuleSet.regulation2022.applying(profile: "protection_order_warn_before = 20d").get()
        XCTAssertEqual(rules.grassroots.protectionOrderWarnBefore, .days(20))
        XCTAssertEqual(RuleSet.regulation2022.grassroots.protectionOrderWarnBefore, .days(15))
        guard case .failure = RuleSet.regulation2022.applying(profile: "protection_order_warn_before = soon") else {
            return XCTFail("a bad line is refused")
        }
    }

    func testAViolationRaisesTheCaseToHighRiskTellsTheHandlerAndMakesAPoliceTask() throws {
        let caseID = try newCase()
        let id = try recordOrder(caseID)
        let bad = try post("/api/v1/protection-orders/\(id)/violations", ["occurred_on": "2026-11-05", "what": ""])
        XCTAssertEqual(Set(bad.errorFields), ["occurred_on", "what"], "not in the future; what happened is required")
        let r = try post("/api/v1/protection-orders/\(id)/violations",
                         ["occurred_on": "2026-11-01", "what": "被申请人到申请人单位门口纠缠、辱骂"], key: "violation-\(id)")
        XCTAssertEqual(r.status, 201, r.text)
        let receipt = try r.jsonValue()
        let taskID = try XCTUnwrap(receipt["case_task_id"]?.intValue)
        XCTAssertEqual(receipt["risk_grade"]?.stringValue, "high")
        XCTAssertEqual(try post("/api/v1/protection-orders/\(id)/violations",
                                ["occurred_on": "2026-11-01", "what": "被申请人到申请人单位门口纠缠、辱骂"], key: "violation-\(id)").status, 200,
                       "a retry reports it once")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM protection_order_violations WHERE order_id = \(id)"), 1)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM cases WHERE id = \(caseID) AND risk_grade = 'high'"), 1)
        XCTAssertEqual(try t.count("""
            SELECT count(*) AS n FROM case_events WHERE case_id = \(caseID) AND kind = 'protection_order_violated'
              AND detail->>'risk_grade' = 'high'
            """), 1, "the raise is on the case's record")
        XCTAssertEqual(try t.count("""
            SELECT count(*) AS n FROM case_tasks WHERE id = \(taskID) AND case_id = \(caseID) AND kind = 'police_report' AND state = 'open'
            """), 1)
        XCTAssertEqual(try notices(caseID: caseID), ["protection_order_violation/handlers/\(city)"])
        let hers = try HTTPClient.get(port: t.port, "/api/v1/notifications", token: handler.1).decode(Notifications.self).notifications
        XCTAssertTrue(hers.contains { $0.kind == "protection_order_violation" && $0.caseId == caseID }, "in the handler's inbox")
        // The task is the case's ordinary police report: done the same way.
        let done = try post("/api/v1/cases/\(caseID)/tasks/\(taskID)/complete",
                            ["reported_at": "2026-11-02T10:30:00+08:00", "station": "天宁分局红梅派出所", "receipt_no": "JJ20261102001"])
        XCTAssertEqual(done.status, 204, done.text)
        // A high-risk case is no longer mediated.
        let mediate = try post("/api/v1/cases/\(caseID)/referrals", ["kind": "mediator", "referred_to": "村调解员"])
        XCTAssertEqual(mediate.status, 409, mediate.text)
        // A second violation makes its own task.
        XCTAssertEqual(try post("/api/v1/protection-orders/\(id)/violations", ["occurred_on": "2026-11-02", "what": "深夜多次打电话威胁"]).status, 201)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM case_tasks WHERE case_id = \(caseID) AND reason LIKE 'protection_order_violation_%'"), 2)
    }

    func testAHouseholdOrderWithoutACasePutsThePoliceTaskOnALead() throws {
        let county = try t.newUnit("county", under: "t-c")
        let township = try t.newUnit("township", under: county)
        let village = try t.newUnit("village", under: township)
        let grid = try t.newUnit("grid", under: village)
        let worker = try t.newOperator(role: .gridWorker, unit: grid)
        let created = try post("/api/v1/households", [
            "grid_id": try t.unitID(grid), "address": "常州市天宁区红梅街道某小区5幢", "head_name": "李梅", "categories": ["family_in_hardship"],
            "matters": ["domestic_violence"], "members": [["name": "李梅", "relation": "self", "age": 34]],
        ], as: worker)
        XCTAssertEqual(created.status, 201, created.text)
        let householdID = try created.decode(Created.self).id
        let memberID = try t.count("SELECT id AS n FROM household_members WHERE household_id = \(householdID)")
        let path = "/api/v1/households/\(householdID)/protection-orders"
        let noMember = try post(path, order(), as: worker)
        XCTAssertEqual(noMember.errorFields, ["household_member_id"], noMember.text)
        let notHers = try post(path, order(extra: ["household_member_id": 999_999_999]), as: worker)
        XCTAssertEqual(notHers.errorFields, ["household_member_id"], notHers.text)
        let r = try post(path, order(extra: ["household_member_id": memberID]), as: worker)
        XCTAssertEqual(r.status, 201, r.text)
        let orderJSON = try r.jsonValue()
        XCTAssertEqual(orderJSON["protected_name"]?.stringValue, "李梅")
        XCTAssertEqual(orderJSON["unit_id"]?.intValue, Int(try t.unitID(grid)), "the grid owes its clock")
        let id = try XCTUnwrap(orderJSON["id"]?.intValue)

        let first = try post("/api/v1/protection-orders/\(id)/violations", ["occurred_on": "2026-11-01", "what": "被申请人未迁出，仍回家滋扰"], as: worker)
        XCTAssertEqual(first.status, 201, first.text)
        let receipt = try first.jsonValue()
        XCTAssertEqual(receipt["lead_opened"], .bool(true), "no open lead: one is opened")
        XCTAssertEqual(receipt["case_id"], .null)
        let leadID = try XCTUnwrap(receipt["lead_id"]?.intValue)
        XCTAssertEqual(try t.count("""
            SELECT count(*) AS n FROM leads WHERE id = \(leadID) AND household_id = \(householdID) AND sealed AND risk_grade = 'high'
              AND kind = 'domestic_violence'
            """), 1)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM lead_tasks WHERE lead_id = \(leadID) AND kind = 'police_report' AND state = 'open'"), 1)
        XCTAssertEqual(try notices(householdID: householdID), ["protection_order_violation/handlers/\(grid)",
                                                               "protection_order_violation/supervisors/\(village)"],
                       "the grid's workers and the village's supervisors are told")
        let second = try post("/api/v1/protection-orders/\(id)/violations", ["occurred_on": "2026-11-02", "what": "再次上门"], as: worker)
        XCTAssertEqual(try second.jsonValue()["lead_id"]?.intValue, leadID, "the open lead takes the next task")
        XCTAssertEqual(try second.jsonValue()["lead_opened"], .bool(false))
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM lead_tasks WHERE lead_id = \(leadID)"), 2)
        XCTAssertEqual(try HTTPClient.get(port: t.port, path, token: worker.1).jsonValue()["protection_orders"]?.arrayValue?.first?["violations"]?
            .arrayValue?.count, 2)
    }

    func testAnOrderOfASealedCaseIsMaskedToThoseOutsideItsCircle() throws {
        let caseID = try newCase()
        let id = try recordOrder(caseID, expires: "2026-11-20")
        // Her colleague in the same unit sees the case's masked row: the order shows where it sits and its day only.
        let listed = try HTTPClient.get(port: t.port, "/api/v1/cases/\(caseID)/protection-orders", token: colleague.1)
        XCTAssertEqual(listed.status, 200, listed.text)
        let row = try XCTUnwrap(try listed.jsonValue()["protection_orders"]?.arrayValue?.first)
        XCTAssertEqual(row["masked"], .bool(true))
        XCTAssertEqual(row["court"], .null)
        XCTAssertEqual(row["protected_name"], .null)
        XCTAssertEqual(row["expires_on"]?.stringValue, "2026-11-20")
        XCTAssertFalse(listed.text.contains("王芳") || listed.text.contains("人民法院"), listed.text)
        XCTAssertEqual(try t.count("""
            SELECT count(*) AS n FROM case_reads WHERE case_id = \(caseID) AND user_id = \(colleague.0.id) AND view = 'protection_orders' AND masked
            """), 1, "the read is audited like any read of the case")
        let expiring = try HTTPClient.get(port: t.port, "/api/v1/protection-orders?expiring_within=30", token: colleague.1)
        XCTAssertEqual(expiring.status, 200, expiring.text)
        XCTAssertFalse(expiring.text.contains("人民法院"), "the expiring list masks it too")
        XCTAssertTrue(try expiring.jsonValue()["protection_orders"]?.arrayValue?.contains { $0["id"]?.intValue == id } ?? false)
        XCTAssertEqual(try post("/api/v1/protection-orders/\(id)/violations", ["occurred_on": "2026-11-01", "what": "纠缠"], as: colleague).status, 403)
        XCTAssertEqual(try post("/api/v1/protection-orders/\(id)/extensions", ["expires_on": "2027-01-01"], as: colleague).status, 403)
        XCTAssertEqual(try post("/api/v1/cases/\(caseID)/protection-orders", order(), as: colleague).status, 403)
        // The supervisor above opens it; a neighbouring unit does not see it at all.
        let above = try HTTPClient.get(port: t.port, "/api/v1/protection-orders/\(id)", token: supervisor.1).jsonValue()
        XCTAssertEqual(above["masked"], .bool(false))
        XCTAssertEqual(above["court"]?.stringValue, "常州市天宁区人民法院")
        let neighbour = try t.newOperator(role: .handler, unit: try t.newUnit("city", under: "t"))
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/protection-orders/\(id)", token: neighbour.1).status, 404)
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/cases/\(caseID)/protection-orders", token: neighbour.1).status, 404)
        XCTAssertFalse(try HTTPClient.get(port: t.port, "/api/v1/protection-orders?expiring_within=366", token: neighbour.1).text
            .contains("\"id\":\(id),"), "out of scope: not even a masked row")
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/protection-orders?expiring_within=soon", token: supervisor.1).errorFields,
                       ["expiring_within"])
    }

    func testTheConsoleRecordsAndListsOrders() throws {
        let me = try ConsoleSession(t, .handler, unit: city)
        let caseID = try newCase(handledBy: (me.user, me.token))
        let page = try me.get(t, "/cases/\(caseID)")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("人身安全保护令"), "the section is on the case page")
        XCTAssertTrue(page.text.contains("尚未登记人身安全保护令"))
        let refused = try me.post(t, "/cases/\(caseID)/protection-orders", ["court": "常州市天宁区人民法院", "protected": "petitioner"])
        XCTAssertEqual(refused.status, 200)
        XCTAssertTrue(refused.text.contains("请检查填写内容"), "refused in words: \(refused.text.prefix(300))")
        XCTAssertTrue(refused.text.contains("文书编号"))
        let number = "(2026)苏0402民保令\(Int.random(in: 1000...99999))号"
        let recorded = try me.post(t, "/cases/\(caseID)/protection-orders", [
            "court": "常州市天宁区人民法院", "order_no": number, "protected": "petitioner", "issued_on": "2026-10-30",
            "effective_from": "2026-10-30", "expires_on": "2026-11-12", "measure_no_violence": "yes", "measure_move_out": "yes",
            "counselling_ordered": "yes",
        ])
        XCTAssertEqual(recorded.status, 303, recorded.text)
        let shown = try me.get(t, "/cases/\(caseID)").text
        XCTAssertTrue(shown.contains(number))
        XCTAssertTrue(shown.contains("责令被申请人接受心理辅导"), "the counselling order is shown")
        XCTAssertTrue(shown.contains("剩余10天"))
        XCTAssertTrue(shown.contains("禁止实施家庭暴力；责令迁出申请人住所"))
        let id = try t.count("SELECT id AS n FROM protection_orders WHERE order_no = '\(number)'")
        XCTAssertEqual(try me.post(t, "/protection-orders/\(id)/violations", ["occurred_on": "2026-11-01", "what": "被申请人拒不迁出"]).status, 303)
        let afterViolation = try me.get(t, "/cases/\(caseID)").text
        XCTAssertTrue(afterViolation.contains("被申请人拒不迁出"))
        XCTAssertTrue(afterViolation.contains("高风险"), "the risk tag reads high")
        XCTAssertTrue(afterViolation.contains("违反人身安全保护令"), "the task and the timeline say why")
        XCTAssertEqual(try me.post(t, "/protection-orders/\(id)/extensions", ["expires_on": "2027-02-12", "ruled_on": "2026-11-02"]).status, 303)
        XCTAssertTrue(try me.get(t, "/cases/\(caseID)").text.contains("2026-11-12 → 2027-02-12"))

        // The supervisors' page lists what expires within the warning lead.
        let other = try newCase(handledBy: (me.user, me.token))
        _ = try recordOrder(other, expires: "2026-11-10", as: (me.user, me.token))
        let boss = try ConsoleSession(t, .supervisor, unit: "t")
        let dashboard = try boss.get(t, "/dashboard")
        XCTAssertEqual(dashboard.status, 200)
        XCTAssertTrue(dashboard.text.contains("保护令即将到期"))
        let table = try XCTUnwrap(dashboard.text.components(separatedBy: "id=\"expiring-orders\"").dropFirst().first?
            .components(separatedBy: "</table>").first)
        XCTAssertTrue(table.contains("href=\"/cases/\(other)\""), "the expiring order links to its case")
        XCTAssertFalse(table.contains("href=\"/cases/\(caseID)\""), "the extended one is not expiring")
    }

    func testTheHouseholdPageHasTheSection() throws {
        let county = try t.newUnit("county", under: "t-c")
        let township = try t.newUnit("township", under: county)
        let village = try t.newUnit("village", under: township)
        let grid = try t.newUnit("grid", under: village)
        let worker = try ConsoleSession(t, .gridWorker, unit: grid)
        let created = try HTTPClient.json(port: t.port, "POST", "/api/v1/households", token: worker.token, [
            "grid_id": try t.unitID(grid), "address": "某村3组", "head_name": "张兰", "categories": ["family_in_hardship"],
            "members": [["name": "张兰", "relation": "self", "age": 41]],
        ] as [String: Any])
        let householdID = try created.decode(Created.self).id
        let memberID = try t.count("SELECT id AS n FROM household_members WHERE household_id = \(householdID)")
        let page = try worker.get(t, "/households/\(householdID)")
        XCTAssertTrue(page.text.contains("登记保护令"))
        XCTAssertTrue(page.text.contains("<option value=\"\(memberID)\">张兰</option>"))
        let number = "(2026)苏0402民保令\(Int.random(in: 1000...99999))号"
        XCTAssertEqual(try worker.post(t, "/households/\(householdID)/protection-orders", [
            "court": "常州市天宁区人民法院", "order_no": number, "protected": String(memberID), "issued_on": "2026-10-30",
            "effective_from": "2026-10-30", "expires_on": "2027-04-29", "measure_no_harassment_or_contact": "yes",
        ]).status, 303)
        let shown = try worker.get(t, "/households/\(householdID)").text
        XCTAssertTrue(shown.contains(number))
        XCTAssertTrue(shown.contains("家庭成员（张兰）"))
    }
}
