import Foundation
import HuiyinCore
import HuiyinStore
import Postgres
import TestSupport
import XCTest

/// Screening campaigns (专项排查): opened by a county supervisor for two of her townships; leads and cases
/// link to it; the townships report and report major risks up; the sweep reminds the one that has not
/// reported three working days before the end, once, and marks it overdue after.
final class CampaignTests: XCTestCase {
    var t: TestApp!
    var county = "", townshipA = "", townshipB = "", gridA = "", neighbourGrid = "", neighbourCounty = ""
    var supervisor: (StaffUser, String)!
    var handlerA: (StaffUser, String)!
    var handlerB: (StaffUser, String)!
    var operatorCity: (StaffUser, String)!

    static func morning(_ day: String) -> Date { ISO8601DateFormatter().date(from: day + "T02:00:00Z")! }

    override func setUpWithError() throws {
        t = try TestApp(now: Self.morning("2026-11-02"))   // a Monday
        let city = try t.newUnit("city", under: "t")
        county = try t.newUnit("county", under: city)
        neighbourCounty = try t.newUnit("county", under: city)
        townshipA = try t.newUnit("township", under: county)
        townshipB = try t.newUnit("township", under: county)
        gridA = try t.newUnit("grid", under: try t.newUnit("village", under: townshipA))
        neighbourGrid = try t.newUnit("grid", under: try t.newUnit("village", under: try t.newUnit("township", under: neighbourCounty)))
        supervisor = try t.newOperator(role: .supervisor, unit: county)
        handlerA = try t.newOperator(role: .handler, unit: townshipA)
        handlerB = try t.newOperator(role: .handler, unit: townshipB)
        operatorCity = try t.newOperator(role: .operator_, unit: city)
    }

    override func tearDown() { t = nil }

    func post(_ path: String, _ body: [String: Any], as who: (StaffUser, String), key: String? = nil) throws -> HTTPResult {
        try HTTPClient.json(port: t.port, "POST", path, token: who.1, headers: key.map { [("Idempotency-Key", $0)] } ?? [], body)
    }

    func put(_ path: String, _ body: [String: Any], as who: (StaffUser, String)) throws -> HTTPResult {
        try HTTPClient.json(port: t.port, "PUT", path, token: who.1, body)
    }

    func campaignBody(starts: String = "2026-11-02", ends: String = "2026-11-27", units: [String]? = nil,
                      items: [String] = ["found", "settled", "major_risks", "notes"]) throws -> [String: Any] {
        ["topic": "婚姻家庭纠纷专项排查", "starts_on": starts, "ends_on": ends,
         "unit_ids": try (units ?? [townshipA, townshipB]).map { try t.unitID($0) }, "report_items": items]
    }

    func open(_ body: [String: Any]? = nil) throws -> Int {
        let r = try post("/api/v1/campaigns", try body ?? campaignBody(), as: supervisor)
        XCTAssertEqual(r.status, 201, r.text)
        return try XCTUnwrap(try r.jsonValue()["campaign"]?["id"]?.intValue)
    }

    func progress(_ id: Int, as who: (StaffUser, String)? = nil) throws -> JSONValue {
        let r = try HTTPClient.get(port: t.port, "/api/v1/campaigns/\(id)", token: (who ?? supervisor).1)
        XCTAssertEqual(r.status, 200, r.text)
        return try r.jsonValue()
    }

    func unitRow(_ page: JSONValue, _ code: String) throws -> JSONValue {
        let id = Int(try t.unitID(code))
        return try XCTUnwrap(page["units"]?.arrayValue?.first { $0["unit_id"]?.intValue == id })
    }

    func lead(_ grid: String, kind: String = "family_dispute", campaign: Int? = nil, by who: (StaffUser, String)) throws -> HTTPResult {
        var body: [String: Any] = ["grid_id": try t.unitID(grid), "kind": kind, "source": "grid_report", "summary": "排查发现夫妻因子女抚养问题多次争吵",
                                   "people": [["name": "王秀英", "relation": "spouse"]]]
        if let campaign { body["campaign_id"] = campaign }
        return try post("/api/v1/leads", body, as: who)
    }

    func newCase(_ unit: String, category: String = "marriage_family") throws -> Int {
        var body = Sample.call(phone: Sample.randomPhone(), category: category)
        body["unit_id"] = try t.unitID(unit)
        let r = try post("/api/v1/contacts", body, as: operatorCity)
        XCTAssertEqual(r.status, 201, r.text)
        return try r.decode(Receipt.self).caseId
    }

    /// kind/audience/unit code of the campaign's notifications, sorted.
    func notices(_ id: Int) throws -> [String] {
        try t.store.pool.withConnection { db in
            try db.query("""
                SELECT n.kind || '/' || n.audience || '/' || u.code AS line FROM notifications n JOIN units u ON u.id = n.unit_id
                WHERE n.kind LIKE 'campaign%' AND n.kind <> 'campaign_opened' AND (n.detail->>'campaign_id')::bigint = \(Int64(id))
                ORDER BY 1
                """).rows.map { try $0.decode("line", as: String.self) }
        }
    }

    func testOpeningRefusesUnitsNotBelowAndABadPeriodChangingNothing() throws {
        let before = try t.count("SELECT count(*) AS n FROM campaigns")
        // Every bad field at once: no topic, the end before the start, a repeated unit, an unknown item.
        var body = try campaignBody(starts: "2026-11-20", ends: "2026-11-10", units: [townshipA, townshipA], items: ["found", "visits"])
        body["topic"] = "  "
        let bad = try post("/api/v1/campaigns", body, as: supervisor)
        XCTAssertEqual(bad.status, 422, bad.text)
        XCTAssertEqual(Set(bad.errorFields), ["topic", "ends_on", "unit_ids[1]", "report_items[1]"], bad.text)
        // An end already past, a period over a year, a date that is not one.
        XCTAssertEqual(try post("/api/v1/campaigns", try campaignBody(starts: "2026-10-01", ends: "2026-10-31"), as: supervisor).errorFields,
                       ["ends_on"])
        XCTAssertEqual(try post("/api/v1/campaigns", try campaignBody(ends: "2027-12-31"), as: supervisor).errorFields, ["ends_on"])
        XCTAssertEqual(try post("/api/v1/campaigns", try campaignBody(starts: "2026-11-31"), as: supervisor).errorFields, ["starts_on"])
        // Units not below hers: her own, the neighbouring county's, and a grid under a township already named.
        let notBelow = try post("/api/v1/campaigns", try campaignBody(units: [townshipA, county, neighbourCounty, gridA]), as: supervisor)
        XCTAssertEqual(notBelow.status, 422, notBelow.text)
        XCTAssertEqual(notBelow.errorFields, ["unit_ids[1]", "unit_ids[2]", "unit_ids[3]"], notBelow.text)
        XCTAssertTrue(notBelow.text.contains("lies under another unit named"), "the grid under township A, named too")
        let unknown = try post("/api/v1/campaigns", ["topic": "专项排查", "starts_on": "2026-11-02", "ends_on": "2026-11-27",
                                                     "unit_ids": [999_999_999], "report_items": ["found"]], as: supervisor)
        XCTAssertEqual(unknown.errorFields, ["unit_ids[0]"])
        // Only a supervisor or leader opens one.
        XCTAssertEqual(try post("/api/v1/campaigns", try campaignBody(), as: handlerA).status, 403)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM campaigns"), before, "nothing recorded")
        // And a good one, replayed by its key.
        let first = try post("/api/v1/campaigns", try campaignBody(), as: supervisor, key: "open-1")
        XCTAssertEqual(first.status, 201, first.text)
        let again = try post("/api/v1/campaigns", try campaignBody(), as: supervisor, key: "open-1")
        XCTAssertEqual(again.status, 200, again.text)
        XCTAssertEqual(again.header("Idempotent-Replayed"), "true")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM campaigns"), before + 1)
        let page = try first.jsonValue()
        XCTAssertEqual(page["campaign"]?["phase"]?.stringValue, "running")
        XCTAssertEqual(page["not_reported"]?.arrayValue?.count, 2)
        XCTAssertEqual(try t.count("""
            SELECT count(*) AS n FROM notifications WHERE kind = 'campaign_opened'
            AND (detail->>'campaign_id')::bigint = \(page["campaign"]!["id"]!.intValue!)
            """), 4, "each township's handlers and supervisors told")
    }

    func testLinkedLeadsAndCasesGiveEachUnitsFiguresSealedOnesCountedButNotShown() throws {
        // A lead reported before the campaign's period cannot link to it.
        let early = try XCTUnwrap(try lead(gridA, by: handlerA).jsonValue()["id"]?.intValue)
        t.clock.value = Self.morning("2026-11-03")
        let id = try open(try campaignBody(starts: "2026-11-03"))
        // Township A: two leads named on creation (one sealed: domestic violence).
        let plain = try lead(gridA, campaign: id, by: handlerA)
        XCTAssertEqual(plain.status, 201, plain.text)
        let sealedLead = try lead(gridA, kind: "domestic_violence", campaign: id, by: handlerA)
        XCTAssertEqual(sealedLead.status, 201, sealedLead.text)
        XCTAssertEqual(try sealedLead.jsonValue()["sealed"]?.boolValue, true)
        // A grid outside the townships taking part: refused on its field, no lead recorded.
        let leadsBefore = try t.count("SELECT count(*) AS n FROM leads")
        let outside = try lead(neighbourGrid, campaign: id, by: operatorCity.0.role == .operator_ ? try t.newOperator(role: .handler, unit: neighbourCounty) : handlerA)
        XCTAssertEqual(outside.status, 422, outside.text)
        XCTAssertEqual(outside.errorFields, ["campaign_id"], outside.text)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM leads"), leadsBefore)
        let tooEarly = try post("/api/v1/campaigns/\(id)/links", ["lead_id": early], as: handlerA)
        XCTAssertEqual(tooEarly.status, 422, tooEarly.text)
        XCTAssertEqual(tooEarly.errorFields, ["lead_id"])
        // Township B: two cases linked afterwards (one sealed), one of them replied (settled).
        let settledCase = try newCase(townshipB), sealedCase = try newCase(townshipB, category: "domestic_violence")
        for caseID in [settledCase, sealedCase] {
            XCTAssertEqual(try post("/api/v1/campaigns/\(id)/links", ["case_id": caseID], as: supervisor).status, 204)
        }
        XCTAssertEqual(try post("/api/v1/campaigns/\(id)/links", ["case_id": settledCase], as: supervisor).status, 204, "again: no change")
        XCTAssertEqual(try post("/api/v1/cases/\(settledCase)/handler", ["handler_id": handlerB.0.id], as: handlerB).status, 204)
        XCTAssertEqual(try post("/api/v1/cases/\(settledCase)/accept", ["reason": "属于本会受理范围"], as: handlerB).status, 200)
        XCTAssertEqual(try post("/api/v1/cases/\(settledCase)/reply", ["text": "经调解，双方达成协议。"], as: handlerB).status, 200)
        // A case recorded with the campaign named: in a unit taking part, or refused whole.
        var named = Sample.call(phone: Sample.randomPhone(), summary: "排查中接到反映：夫妻分居后争夺孩子抚养权")
        named["unit_id"] = try t.unitID(townshipB)
        named["campaign_id"] = id
        let casesBefore = try t.count("SELECT count(*) AS n FROM cases")
        var outsideCase = named
        outsideCase["unit_id"] = try t.unitID(neighbourCounty)
        let refused = try post("/api/v1/contacts", outsideCase, as: operatorCity)
        XCTAssertEqual(refused.status, 422, refused.text)
        XCTAssertEqual(refused.errorFields, ["campaign_id"])
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM cases"), casesBefore, "nothing recorded")
        let namedCase = try post("/api/v1/contacts", named, as: operatorCity)
        XCTAssertEqual(namedCase.status, 201, namedCase.text)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM cases WHERE campaign_id = \(id) AND id = \(try namedCase.decode(Receipt.self).caseId)"), 1)
        let both = try post("/api/v1/campaigns/\(id)/links", ["lead_id": early, "case_id": settledCase], as: supervisor)
        XCTAssertEqual(both.status, 422, both.text)
        // Linked to one campaign, a matter is not counted in another.
        let other = try open()
        XCTAssertEqual(try post("/api/v1/campaigns/\(other)/links", ["case_id": settledCase], as: supervisor).errorCode, "linked_elsewhere")

        // Hand counts: A found 2 (leads), settled 0; B found 3 (cases), settled 1.
        let page = try progress(id)
        let a = try unitRow(page, townshipA), b = try unitRow(page, townshipB)
        XCTAssertEqual([a["found"]?.intValue, a["settled"]?.intValue, a["leads_found"]?.intValue, a["cases_found"]?.intValue], [2, 0, 2, 0])
        XCTAssertEqual([b["found"]?.intValue, b["settled"]?.intValue, b["leads_found"]?.intValue, b["cases_found"]?.intValue], [3, 1, 0, 3])
        XCTAssertEqual(page["totals"]?["found"]?.intValue, 5)
        XCTAssertEqual(page["totals"]?["settled"]?.intValue, 1)
        XCTAssertEqual(page["matters"]?.arrayValue?.count, 5, "the county supervisor sees every linked matter")
        XCTAssertFalse(page["matters"]?.arrayValue?.contains { $0["masked"]?.boolValue == true } ?? true, "a supervisor above opens sealed ones")

        // Township A's handler: B's figures count the sealed case, but she sees only her own matters; B's
        // handler sees the sealed case she does not handle only as sealed, no text.
        let seenByA = try progress(id, as: handlerA)
        XCTAssertEqual(try unitRow(seenByA, townshipB)["found"]?.intValue, 3)
        XCTAssertEqual(Set(seenByA["matters"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? []), ["lead"])
        let seenByB = try progress(id, as: handlerB)
        let masked = try XCTUnwrap(seenByB["matters"]?.arrayValue?.first { $0["id"]?.intValue == sealedCase })
        XCTAssertEqual(masked["masked"]?.boolValue, true)
        XCTAssertEqual(masked["summary"], .null)
        XCTAssertFalse(try HTTPClient.get(port: t.port, "/api/v1/campaigns/\(id)", token: handlerB.1).text.contains("持刀"),
                       "no word of the sealed case's summary")
        // A unit neither above nor taking part does not see the campaign.
        let stranger = try t.newOperator(role: .supervisor, unit: neighbourCounty)
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/campaigns/\(id)", token: stranger.1).status, 404)
        XCTAssertFalse(try HTTPClient.get(port: t.port, "/api/v1/campaigns", token: stranger.1).jsonValue()["campaigns"]?.arrayValue?
            .contains { $0["id"]?.intValue == id } ?? true)
    }

    func testReportsAreFiledRevisedUntilTheEndAndTheUnitsNotReportedListed() throws {
        let id = try open()
        let path = "/api/v1/campaigns/\(id)/reports/\(try t.unitID(townshipA))"
        // Every item the campaign asks is required; settled cannot exceed found; nothing is stored.
        let missing = try put(path, ["found": 3], as: handlerA)
        XCTAssertEqual(missing.status, 422, missing.text)
        XCTAssertEqual(Set(missing.errorFields), ["settled", "major_risks", "notes"])
        let tooMany = try put(path, ["found": 3, "settled": 5, "major_risks": 0, "notes": "已排查"], as: handlerA)
        XCTAssertEqual(tooMany.errorFields, ["settled"])
        XCTAssertEqual(try put(path, ["found": 3, "settled": 2, "major_risks": 0, "notes": "已排查"], as: handlerB).status, 403,
                       "a unit files its own report")
        let first = try put(path, ["found": 3, "settled": 2, "major_risks": 0, "notes": "全镇逐户排查"], as: handlerA)
        XCTAssertEqual(first.status, 201, first.text)
        let revised = try put(path, ["found": 4, "settled": 3, "major_risks": 1, "notes": "补报一户"], as: handlerA)
        XCTAssertEqual(revised.status, 200, revised.text)
        XCTAssertEqual(try revised.jsonValue()["revision"]?.intValue, 2)
        var page = try progress(id)
        XCTAssertEqual(page["not_reported"]?.arrayValue?.compactMap(\.intValue), [Int(try t.unitID(townshipB))])
        XCTAssertEqual(try unitRow(page, townshipA)["report"]?["found"]?.intValue, 4)
        XCTAssertEqual(try unitRow(page, townshipA)["found"]?.intValue, 0, "the counted figure beside the declared one")
        XCTAssertEqual(page["totals"]?["declared_found"]?.intValue, 4)
        XCTAssertEqual(page["totals"]?["reported"]?.intValue, 1)

        // After the end: no more revising; the unit that had not reported may still file, marked late.
        t.clock.value = Self.morning("2026-11-30")
        XCTAssertEqual(try put(path, ["found": 5, "settled": 3, "major_risks": 1, "notes": "再补"], as: handlerA).errorCode, "campaign_ended")
        let late = try put("/api/v1/campaigns/\(id)/reports/\(try t.unitID(townshipB))",
                           ["found": 1, "settled": 1, "major_risks": 0, "notes": "逾期补报"], as: handlerB)
        XCTAssertEqual(late.status, 201, late.text)
        page = try progress(id)
        XCTAssertEqual(page["not_reported"]?.arrayValue?.count, 0)
        XCTAssertEqual(try unitRow(page, townshipB)["report"]?["late"]?.boolValue, true)
        XCTAssertEqual(page["campaign"]?["phase"]?.stringValue, "ended")
    }

    func testTheSweepRemindsThreeWorkingDaysBeforeTheEndOnceAndMarksOverdueAfter() throws {
        let id = try open()   // 2 to 27 November (a Friday)
        XCTAssertEqual(try put("/api/v1/campaigns/\(id)/reports/\(try t.unitID(townshipA))",
                               ["found": 0, "settled": 0, "major_risks": 0, "notes": "未发现"], as: handlerA).status, 201)
        t.clock.value = Self.morning("2026-11-23")   // Monday: four working days left
        _ = try t.store.sweep()
        XCTAssertEqual(try notices(id), [], "not yet")
        t.clock.value = Self.morning("2026-11-24")   // Tuesday: the 27th is three working days away
        XCTAssertGreaterThanOrEqual(try t.store.sweep().campaignReminders, 1)   // other tests' campaigns may share the day
        _ = try t.store.sweep()
        t.clock.value = Self.morning("2026-11-26")
        _ = try t.store.sweep()
        XCTAssertEqual(try notices(id), ["campaign_report_due_soon/handlers/\(townshipB)", "campaign_report_due_soon/supervisors/\(townshipB)"],
                       "township B only (A has reported), once")
        t.clock.value = Self.morning("2026-11-27")
        _ = try t.store.sweep()
        XCTAssertFalse(try notices(id).contains { $0.hasPrefix("campaign_report_overdue") }, "the last day is not yet late")
        t.clock.value = Self.morning("2026-11-28")
        XCTAssertGreaterThanOrEqual(try t.store.sweep().campaignOverdue, 1)
        _ = try t.store.sweep()
        XCTAssertEqual(try notices(id), ["campaign_report_due_soon/handlers/\(townshipB)", "campaign_report_due_soon/supervisors/\(townshipB)",
                                         "campaign_report_overdue/handlers/\(townshipB)", "campaign_report_overdue/supervisors/\(county)",
                                         "campaign_report_overdue/supervisors/\(townshipB)"].sorted())
        XCTAssertEqual(try unitRow(try progress(id), townshipB)["overdue"]?.boolValue, true)
        // The county supervisor's inbox names it in the contract's words.
        let inbox = try HTTPClient.get(port: t.port, "/api/v1/notifications", token: supervisor.1)
        XCTAssertEqual(inbox.status, 200, inbox.text)
        XCTAssertTrue(inbox.text.contains("campaign_report_overdue"), inbox.text)
    }

    func testAMajorRiskReportedUpTellsTheOwningUnitsSupervisorsAtOnce() throws {
        let id = try open()
        let leadID = try XCTUnwrap(try lead(gridA, kind: "domestic_violence", campaign: id, by: handlerA).jsonValue()["id"]?.intValue)
        let body: [String: Any] = ["summary": "一户家庭暴力苗头，施暴人有酗酒史，已联系派出所共同稳控", "lead_id": leadID]
        let r = try post("/api/v1/campaigns/\(id)/major-risks", body, as: handlerA, key: "risk-1")
        XCTAssertEqual(r.status, 201, r.text)
        let replay = try post("/api/v1/campaigns/\(id)/major-risks", body, as: handlerA, key: "risk-1")
        XCTAssertEqual(replay.status, 200)
        XCTAssertEqual(try replay.jsonValue()["id"], try r.jsonValue()["id"])
        XCTAssertEqual(try notices(id), ["campaign_major_risk/supervisors/\(county)"], "at once, once")
        let bad = try post("/api/v1/campaigns/\(id)/major-risks", ["summary": "", "unit_id": try t.unitID(townshipB)], as: handlerA)
        XCTAssertEqual(bad.status, 422, bad.text)
        XCTAssertEqual(Set(bad.errorFields), ["summary"])
        let wrongUnit = try post("/api/v1/campaigns/\(id)/major-risks", ["summary": "情况", "unit_id": try t.unitID(townshipB)], as: handlerA)
        XCTAssertEqual(wrongUnit.errorFields, ["unit_id"])
        let page = try progress(id)
        XCTAssertEqual(try unitRow(page, townshipA)["major_risks"]?.intValue, 1)
        XCTAssertEqual(page["major_risks"]?.arrayValue?.first?["masked"]?.boolValue, false, "the county supervisor opens the sealed lead")
        // Township B's handler sees the record, but not the text about a sealed lead she cannot open.
        let seenByB = try progress(id, as: handlerB)
        XCTAssertEqual(seenByB["major_risks"]?.arrayValue?.first?["summary"], .null)
        // Not from a unit outside the campaign.
        let outsider = try t.newOperator(role: .handler, unit: neighbourCounty)
        XCTAssertEqual(try post("/api/v1/campaigns/\(id)/major-risks", ["summary": "情况"], as: outsider).status, 404)
    }

    func testTheReminderWindowIsARuleSetLine() throws {
        XCTAssertEqual(RuleSet.regulation2022.grassroots.campaignReportReminderBefore, .workingDays(3))
        let rules = try RuleSet.regulation2022.applying(profile: "campaign_report_reminder_before = 5d  # 截止前5日提醒").get()
        XCTAssertEqual(rules.grassroots.campaignReportReminderBefore, .days(5))
        guard case .failure = RuleSet.regulation2022.applying(profile: "campaign_report_reminder_before = early") else {
            return XCTFail("a limit that is not one is refused")
        }
    }

    func testTheConsolePagesShowProgressAndTakeTheReport() throws {
        let id = try open()
        _ = try lead(gridA, kind: "domestic_violence", campaign: id, by: handlerA)
        let cookie = try login(supervisor.0)
        let list = try HTTPClient.get(port: t.port, "/campaigns", headers: [("Cookie", cookie)])
        XCTAssertEqual(list.status, 200, list.text)
        XCTAssertTrue(list.text.contains("婚姻家庭纠纷专项排查") && list.text.contains("/campaigns/\(id)"))
        var page = try HTTPClient.get(port: t.port, "/campaigns/\(id)", headers: [("Cookie", cookie)])
        XCTAssertEqual(page.status, 200, page.text)
        XCTAssertTrue(page.text.contains("未报送单位"))
        let names = try t.store.pool.withConnection { db in
            try db.query("SELECT code, name FROM units WHERE code IN (\(townshipA), \(townshipB))").rows
                .reduce(into: [String: String]()) { $0[try $1.decode("code")] = try $1.decode("name") }
        }
        XCTAssertTrue(page.text.contains("<li data-unit-id=\"\(try t.unitID(townshipA))\">\(names[townshipA]!)"), "A listed")
        XCTAssertEqual(page.text.components(separatedBy: "<li data-unit-id").count - 1, 2, "both townships not reported yet")

        // Township B's handler: the sealed lead is out of her scope; township A's files the report by the form.
        let cookieA = try login(handlerA.0)
        page = try HTTPClient.get(port: t.port, "/campaigns/\(id)", headers: [("Cookie", cookieA)])
        XCTAssertTrue(page.text.contains("id=\"file-report\""), "her unit takes part")
        let csrf = try XCTUnwrap(page.text.range(of: "name=\"_csrf\" value=\"").map { String(page.text[$0.upperBound...].prefix { $0 != "\"" }) })
        let form = "_csrf=\(csrf)&found=2&settled=1&major_risks=0&notes=%E5%B7%B2%E6%8E%92%E6%9F%A5"
        let filed = try HTTPClient.send(port: t.port, "POST", "/campaigns/\(id)/report",
                                        headers: [("Cookie", cookieA), ("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8))
        XCTAssertEqual(filed.status, 303, filed.text)
        XCTAssertEqual(try progress(id)["not_reported"]?.arrayValue?.compactMap(\.intValue), [Int(try t.unitID(townshipB))])
        page = try HTTPClient.get(port: t.port, "/campaigns/\(id)", headers: [("Cookie", cookie)])
        XCTAssertEqual(page.text.components(separatedBy: "<li data-unit-id").count - 1, 1, "only B left")
        XCTAssertTrue(page.text.contains("<li data-unit-id=\"\(try t.unitID(townshipB))\">\(names[townshipB]!)"))
        let wrong = try HTTPClient.send(port: t.port, "POST", "/campaigns/\(id)/report",
                                        headers: [("Cookie", cookieA), ("Content-Type", "application/x-www-form-urlencoded")],
                                        body: Array("_csrf=\(csrf)&found=1&settled=3&major_risks=0&notes=x".utf8))
        XCTAssertEqual(wrong.status, 422)
        XCTAssertTrue(wrong.text.contains("化解数"), "the field named in Chinese")
        let cookieB = try login(handlerB.0)
        page = try HTTPClient.get(port: t.port, "/campaigns/\(id)", headers: [("Cookie", cookieB)])
        XCTAssertEqual(page.status, 200)
        XCTAssertFalse(page.text.contains("排查发现夫妻"), "no text of a lead outside her scope")
        XCTAssertTrue(page.text.contains("lang=\"zh-CN\""))
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/campaigns/999999999", headers: [("Cookie", cookieB)]).status, 404)
    }

    /// A console form's POST, its fields percent-encoded.
    func submit(_ path: String, _ fields: [(String, String)], cookie: String) throws -> HTTPResult {
        let body = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        return try HTTPClient.send(port: t.port, "POST", path, headers: [("Cookie", cookie), ("Content-Type", "application/x-www-form-urlencoded")],
                                   body: Array(body.utf8))
    }

    func csrf(_ page: HTTPResult) throws -> String {
        try XCTUnwrap(page.text.range(of: "name=\"_csrf\" value=\"").map { String(page.text[$0.upperBound...].prefix { $0 != "\"" }) })
    }

    func testTheConsoleFormOpensACampaignAndRefusesABadOneStoringNothing() throws {
        let cookie = try login(supervisor.0)
        let list = try HTTPClient.get(port: t.port, "/campaigns", headers: [("Cookie", cookie)])
        XCTAssertEqual(list.status, 200, list.text)
        let (a, b) = (try t.unitID(townshipA), try t.unitID(townshipB))
        XCTAssertTrue(list.text.contains("id=\"open-campaign\""), "a supervisor is offered the form")
        XCTAssertTrue(list.text.contains("name=\"unit_\(a)\"") && list.text.contains("name=\"unit_\(b)\""), "the townships below her")
        XCTAssertFalse(list.text.contains("name=\"unit_\(try t.unitID(gridA))\""), "only the units directly below")
        for item in CampaignReportItem.allCases { XCTAssertTrue(list.text.contains(item.label)) }
        let token = try csrf(list)
        let before = try t.count("SELECT count(*) AS n FROM campaigns")
        let toldBefore = try t.count("SELECT count(*) AS n FROM notifications WHERE kind = 'campaign_opened'")

        // No topic, the end before the start, no unit, no item: refused whole, each problem said in Chinese.
        let bad = try submit("/campaigns", [("_csrf", token), ("topic", " "), ("starts_on", "2026-11-20"), ("ends_on", "2026-11-10")],
                             cookie: cookie)
        XCTAssertEqual(bad.status, 422, bad.text)
        for said in ["排查主题：未填写", "结束日期：早于开始日期", "参与单位：请至少勾选一个下级单位", "报送事项：请至少勾选一项"] {
            XCTAssertTrue(bad.text.contains(said), said)
        }
        XCTAssertTrue(bad.text.contains("value=\"2026-11-20\""), "what she typed is kept")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM campaigns"), before, "nothing stored")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM notifications WHERE kind = 'campaign_opened'"), toldBefore, "nobody told")
        // A handler is not offered the form, and her post is refused.
        let cookieA = try login(handlerA.0)
        let handlerList = try HTTPClient.get(port: t.port, "/campaigns", headers: [("Cookie", cookieA)])
        XCTAssertFalse(handlerList.text.contains("id=\"open-campaign\""))
        let refused = try submit("/campaigns", [("_csrf", try csrf(page(id: nil, cookieA))), ("topic", "排查"), ("starts_on", "2026-11-02"),
                                                ("ends_on", "2026-11-27"), ("unit_\(a)", "yes"), ("item_found", "yes")], cookie: cookieA)
        XCTAssertEqual(refused.status, 422, refused.text)
        XCTAssertFalse(refused.text.contains("参与单位："), "refused for her role, not her ticks")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM campaigns"), before, "nothing stored")
        // Without the session's token: refused.
        XCTAssertEqual(try submit("/campaigns", [("_csrf", "forged"), ("topic", "排查")], cookie: cookie).status, 403)

        // A good form: both townships, two items; to the new campaign's page.
        let good = try submit("/campaigns", [("_csrf", token), ("topic", "婚姻家庭纠纷专项排查"), ("starts_on", "2026-11-02"),
                                             ("ends_on", "2026-11-27"), ("unit_\(a)", "yes"), ("unit_\(b)", "yes"),
                                             ("item_found", "yes"), ("item_notes", "yes")], cookie: cookie)
        XCTAssertEqual(good.status, 303, good.text)
        let location = try XCTUnwrap(good.header("Location"))
        let id = try XCTUnwrap(Int(location.dropFirst("/campaigns/".count).prefix { $0.isNumber }), location)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM campaigns"), before + 1)
        let shown = try progress(id)
        XCTAssertEqual(shown["campaign"]?["topic"]?.stringValue, "婚姻家庭纠纷专项排查")
        XCTAssertEqual(shown["campaign"]?["report_items"]?.arrayValue?.compactMap(\.stringValue), ["found", "notes"])
        XCTAssertEqual(Set(shown["units"]?.arrayValue?.compactMap { $0["unit_id"]?.intValue } ?? []), [Int(a), Int(b)])
        let landed = try HTTPClient.get(port: t.port, location, headers: [("Cookie", cookie)])
        XCTAssertEqual(landed.status, 200, landed.text)
        XCTAssertTrue(landed.text.contains("专项排查已发起"))
        XCTAssertEqual(try t.count("""
            SELECT count(*) AS n FROM notifications WHERE kind = 'campaign_opened' AND (detail->>'campaign_id')::bigint = \(id)
            """), 4, "each township's handlers and supervisors told")
    }

    func page(id: Int?, _ cookie: String) throws -> HTTPResult {
        try HTTPClient.get(port: t.port, id.map { "/campaigns/\($0)" } ?? "/campaigns", headers: [("Cookie", cookie)])
    }

    func testAMajorRiskThroughTheConsoleFormTellsTheOwningUnitsSupervisors() throws {
        let id = try open()
        let leadID = try XCTUnwrap(try lead(gridA, campaign: id, by: handlerA).jsonValue()["id"]?.intValue)
        let cookieA = try login(handlerA.0)
        var shown = try page(id: id, cookieA)
        XCTAssertTrue(shown.text.contains("id=\"report-major-risk\""), "her unit takes part")
        XCTAssertTrue(shown.text.contains("<option value=\"lead:\(leadID)\""), "her unit's linked lead offered")
        let token = try csrf(shown)
        // An empty account and a matter that is none: refused, nothing stored, nobody told.
        let bad = try submit("/campaigns/\(id)/major-risks", [("_csrf", token), ("risk_summary", "  "), ("matter", "household:1")],
                             cookie: cookieA)
        XCTAssertEqual(bad.status, 422, bad.text)
        XCTAssertTrue(bad.text.contains("风险情况：未填写；关联的线索或案件：不是本次排查关联的线索或案件"), bad.text)
        let unseen = try submit("/campaigns/\(id)/major-risks", [("_csrf", token), ("risk_summary", ""), ("matter", "case:999999999")],
                                cookie: cookieA)
        XCTAssertEqual(unseen.status, 422, unseen.text)
        XCTAssertTrue(unseen.text.contains("风险情况：未填写"), unseen.text)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM campaign_major_risks WHERE campaign_id = \(id)"), 0)
        XCTAssertEqual(try notices(id), [])
        let filed = try submit("/campaigns/\(id)/major-risks", [("_csrf", token), ("risk_summary", "一户矛盾激化，当事人扬言报复，已联系派出所"),
                                                                ("matter", "lead:\(leadID)")], cookie: cookieA)
        XCTAssertEqual(filed.status, 303, filed.text)
        XCTAssertEqual(filed.header("Location"), "/campaigns/\(id)?done=major_risk")
        XCTAssertEqual(try notices(id), ["campaign_major_risk/supervisors/\(county)"], "the owning unit's supervisors, at once")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM campaign_major_risks WHERE campaign_id = \(id) AND lead_id = \(leadID)"), 1)
        shown = try page(id: id, try login(supervisor.0))
        XCTAssertTrue(shown.text.contains("一户矛盾激化"), "on the campaign page")
        // The county supervisor is not under a township taking part: no form for her; an outsider's post is 404.
        XCTAssertFalse(shown.text.contains("id=\"report-major-risk\""))
        XCTAssertEqual(try submit("/campaigns/999999999/major-risks", [("_csrf", token), ("risk_summary", "情况")], cookie: cookieA).status, 404)
    }

    func testALeadShowsItsCampaign() throws {
        let id = try open()
        let linked = try XCTUnwrap(try lead(gridA, campaign: id, by: handlerA).jsonValue()["id"]?.intValue)
        let plain = try XCTUnwrap(try lead(gridA, by: handlerA).jsonValue()["id"]?.intValue)
        let shown = try HTTPClient.get(port: t.port, "/api/v1/leads/\(linked)", token: handlerA.1)
        XCTAssertEqual(shown.status, 200, shown.text)
        XCTAssertEqual(try shown.jsonValue()["campaign_id"]?.intValue, id)
        let none = try HTTPClient.get(port: t.port, "/api/v1/leads/\(plain)", token: handlerA.1)
        XCTAssertEqual(none.status, 200, none.text)
        XCTAssertEqual(try none.jsonValue()["campaign_id"], .null)
    }

    func login(_ user: StaffUser) throws -> String {
        try t.store.setPassword(username: user.username, password: "a-long-test-password", hasher: PasswordHasher(logRounds: 10))
        let page = try HTTPClient.get(port: t.port, "/login")
        let csrfCookie = String(page.header("set-cookie")!.split(separator: ";")[0])
        let token = String(csrfCookie.split(separator: "=", maxSplits: 1)[1])
        let body = "_csrf=\(token)&username=\(user.username)&password=a-long-test-password"
        let r = try HTTPClient.send(port: t.port, "POST", "/login", headers: [("Content-Type", "application/x-www-form-urlencoded"),
                                                                              ("Cookie", csrfCookie)], body: Array(body.utf8))
        XCTAssertEqual(r.status, 303, r.text)
        let set = r.header("set-cookie")!.split(separator: "\n").first { $0.hasPrefix("huiyin_session=") }!
        return String(set.split(separator: ";")[0])
    }
}
