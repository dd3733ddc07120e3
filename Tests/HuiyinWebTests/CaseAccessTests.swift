import Foundation
import HuiyinStore
import Postgres
import TestSupport
import XCTest

/// Who sees what: a county cadre never sees the neighbouring county's cases, in any list, read,
/// search, export, count or lookup; a sealed case is masked for everyone outside its circle; every
/// read of a case leaves exactly one audit row, which the application role cannot rewrite.
final class CaseAccessTests: XCTestCase {
    var t: TestApp!
    /// Unique per test, so cases of earlier tests never match.
    var phone = ""
    var ours = 0, sealed = 0, neighbours = 0
    var countyHandler: (StaffUser, String)!, countySupervisor: (StaffUser, String)!, neighbourHandler: (StaffUser, String)!
    var citySupervisor: (StaffUser, String)!, cityOperator: (StaffUser, String)!

    var county = "", neighbour = ""

    override func setUpWithError() throws {
        t = try TestApp()
        phone = Sample.randomPhone()
        county = try t.newUnit("county", under: "t-c")
        neighbour = try t.newUnit("county", under: "t-c")
        countyHandler = try t.newOperator(role: .handler, unit: county)
        countySupervisor = try t.newOperator(role: .supervisor, unit: county)
        neighbourHandler = try t.newOperator(role: .handler, unit: neighbour)
        citySupervisor = try t.newOperator(role: .supervisor, unit: "t-c")
        cityOperator = try t.newOperator(role: .operator_, unit: "t-c")
        // The hotline (city) logs three calls from the same number, for two counties.
        func log(_ unit: String, _ category: String, _ summary: String, name: String) throws -> Int {
            var body = Sample.call(phone: phone, name: name, summary: summary, category: category)
            body["unit_id"] = try t.unitID(unit)
            let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: cityOperator.1, body)
            XCTAssertEqual(r.status, 201, r.text)
            return try r.decode(Receipt.self).caseId
        }
        ours = try log(county, "marriage_family", "离婚后前夫拒不支付抚养费", name: "甲乙丙")
        sealed = try log(county, "domestic_violence", "丈夫持刀威胁，住址在滨江路8号", name: "丁戊己")
        neighbours = try log(neighbour, "property_rights", "宅基地被侵占", name: "庚辛壬")
    }

    override func tearDown() { t = nil }

    func get(_ path: String, _ who: (StaffUser, String)) throws -> HTTPResult {
        try HTTPClient.get(port: t.port, path, token: who.1)
    }

    func listed(_ query: String, _ who: (StaffUser, String)) throws -> [CaseRow] {
        let r = try get("/api/v1/cases?limit=500&" + query, who)
        XCTAssertEqual(r.status, 200, r.text)
        return try r.decode(CaseList.self).cases
    }

    func ids(_ rows: [CaseRow]) -> Set<Int> { Set(rows.map(\.id)) }

    func trackingNo(_ id: Int) throws -> String {
        try t.store.pool.withConnection { try $0.query("SELECT tracking_no FROM cases WHERE id = \(Int64(id))").first!.decode("tracking_no") }
    }

    func reads(_ id: Int) throws -> Int { try t.count("SELECT count(*) AS n FROM case_reads WHERE case_id = \(id)") }

    /// Both forms of the list query: unit by unit (small scopes) and newest-first over all cases.
    func forBothListForms(_ body: () throws -> Void) rethrows {
        for threshold in [200, 0] {
            t.store.narrowScopeUnits.store(threshold, ordering: .relaxed)
            try body()
        }
    }

    func testANeighbouringCountysCaseIsInvisibleEverywhere() throws {
        try forBothListForms(checkNeighbouringCountyIsInvisible)
    }

    func checkNeighbouringCountyIsInvisible() throws {
        let theirs = try trackingNo(neighbours)
        // list
        let mine = ids(try listed("", countyHandler))
        XCTAssertTrue(mine.isSuperset(of: [ours, sealed]))
        XCTAssertFalse(mine.contains(neighbours))
        XCTAssertTrue(ids(try listed("", neighbourHandler)).contains(neighbours))
        XCTAssertTrue(ids(try listed("", citySupervisor)).isSuperset(of: [ours, sealed, neighbours]), "the city sees both counties")
        // read: as if it did not exist, and no audit row
        XCTAssertEqual(try get("/api/v1/cases/\(neighbours)", countyHandler).status, 404)
        XCTAssertEqual(try get("/api/v1/cases/99999999", countyHandler).status, 404)
        XCTAssertEqual(try reads(neighbours), 0)
        // search, by tracking number, name and summary words
        for q in [theirs, "庚辛壬", "宅基地", phone] {
            XCTAssertFalse(ids(try listed("q=" + q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, countyHandler)).contains(neighbours), q)
        }
        XCTAssertTrue(ids(try listed("q=%E5%AE%85%E5%9F%BA%E5%9C%B0", neighbourHandler)).contains(neighbours), "宅基地 finds it in its own county")
        // export
        let csv = try get("/api/v1/cases/export.csv", countyHandler)
        XCTAssertEqual(csv.status, 200)
        XCTAssertEqual(Array(csv.body.prefix(3)), [0xEF, 0xBB, 0xBF], "UTF-8 with BOM for Excel")
        XCTAssertTrue(csv.text.contains(try trackingNo(ours)))
        XCTAssertFalse(csv.text.contains(theirs))
        XCTAssertFalse(csv.text.contains(phone), "phone numbers are masked in exports")
        // count
        XCTAssertEqual(try get("/api/v1/cases/count?tracking_no=\(theirs)", countyHandler).decode(Count.self).count, 0)
        XCTAssertEqual(try get("/api/v1/cases/count?tracking_no=\(theirs)", neighbourHandler).decode(Count.self).count, 1)
        XCTAssertEqual(try get("/api/v1/cases/count", countyHandler).decode(Count.self).count, try t.count("""
            SELECT count(*) AS n FROM cases c JOIN units u ON u.id = c.unit_id WHERE u.path @> ARRAY[\(countyHandler.0.unitID)::bigint]
            """))
        // tracking number lookup and caller lookup
        XCTAssertEqual(try listed("tracking_no=\(theirs)", countyHandler).count, 0)
        let callers = try get("/api/v1/petitioners?phone=\(phone)", countyHandler).decode(Callers.self).petitioners
        let seen = Set(callers.flatMap { $0.cases.map(\.id) })
        XCTAssertEqual(seen, [ours, sealed])
        XCTAssertFalse(callers.contains { $0.name == "庚辛壬" }, "a caller known only to the neighbour is not shown")
        // a unit filter outside her subtree is not found either
        XCTAssertEqual(try get("/api/v1/cases?unit_id=\(try t.unitID(neighbour))", countyHandler).status, 404)
        // and no step can be taken on it
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/cases/\(neighbours)/accept", token: countyHandler.1, [:]).status, 404)
    }

    func testASealedCaseIsMaskedOutsideItsCircle() throws {
        func row(_ who: (StaffUser, String)) throws -> CaseRow {
            try XCTUnwrap(try listed("", who).first { $0.id == sealed })
        }
        // Outside the circle: the county's own cadres (not its handler) and the city operator who logged it.
        try forBothListForms { for who in [countyHandler!, countySupervisor!, cityOperator!] {
            let line = try row(who)
            XCTAssertEqual(line.masked, true)
            XCTAssertNil(line.summary)
            XCTAssertNil(line.petitionerName)
            let page = try get("/api/v1/cases/\(sealed)", who)
            XCTAssertEqual(page.status, 200)
            XCTAssertEqual(try page.decode(CasePage.self).masked, true)
            XCTAssertEqual(try page.jsonValue()["petitioner"], .null, "present, and null")
            XCTAssertFalse(page.text.contains("滨江路") || page.text.contains(phone) || page.text.contains("丁戊己"), "nothing personal")
            XCTAssertTrue(try page.decode(CasePage.self).contacts.allSatisfy { $0.summary == nil })
            // A search cannot reveal what the seal hides.
            XCTAssertFalse(ids(try listed("q=%E6%8C%81%E5%88%80", who)).contains(sealed), "持刀")
            XCTAssertFalse(ids(try listed("q=\(phone)", who)).contains(sealed))
            let csv = try get("/api/v1/cases/export.csv", who).text
            XCTAssertFalse(csv.contains("滨江路") || csv.contains("丁戊己"))
            // Nor handle it (a reply would need to know it)…
            XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/cases/\(sealed)/reply", token: who.1,
                                               ["text": "答复"]).status, 403)
        } }
        // …but what she learned on the phone she can still record without opening it: a referral, a report.
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/cases/\(sealed)/referrals", token: cityOperator.1,
                                           ["kind": "lawyer", "referred_to": "法律援助中心"]).status, 201)
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/cases/\(sealed)/mandatory-reports", token: cityOperator.1,
                                           ["reason": "violence_without_full_capacity"]).status, 204)
        XCTAssertEqual(try get("/api/v1/cases/\(sealed)", cityOperator).decode(CasePage.self).referrals.count, 0,
                       "and still sees none of it")
        // The caller lookup masks the name of a person whose visible cases are all sealed to her.
        let other = try get("/api/v1/petitioners?phone=\(phone)", countyHandler).decode(Callers.self).petitioners
        XCTAssertEqual(Set(other.compactMap(\.name)), ["甲乙丙", "丁**"])

        // Inside: the supervisors above (the city), the handler once assigned, the owning leader — each
        // opens it on the case page (one audited read); a list row stays masked even for them.
        func opens(_ who: (StaffUser, String)) throws -> Bool { try get("/api/v1/cases/\(sealed)", who).jsonValue()["masked"]?.boolValue == false }
        XCTAssertTrue(try opens(citySupervisor))
        XCTAssertEqual(try row(citySupervisor).masked, true, "no list unmasks a sealed case")
        let full = try get("/api/v1/cases/\(sealed)", citySupervisor)
        XCTAssertEqual(try full.decode(CasePage.self).petitioner?.phone, phone, "whole on the case page")
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/cases/\(sealed)/handler", token: countyHandler.1,
                                           ["handler_id": countyHandler.0.id]).status, 204, "a handler takes her unit's case")
        XCTAssertTrue(try opens(countyHandler))
        XCTAssertEqual(try row(countyHandler).masked, true)
        XCTAssertFalse(try opens(countySupervisor), "still sealed to the others")
        let leader = try t.newOperator(role: .leader, unit: county)
        XCTAssertFalse(try opens(leader))
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/cases/\(sealed)/leader", token: citySupervisor.1,
                                           ["leader_id": leader.0.id, "reason": "高风险家暴"]).status, 204)
        XCTAssertTrue(try opens(leader))
        XCTAssertEqual(try row(leader).masked, true)
    }

    /// Issue 10 item 3: the city supervisor's export carried every sealed summary, with no record.
    func testNoExportUnmasksASealedCaseAndEveryExportIsRecorded() throws {
        let countyID = try t.unitID(county)
        try forBothListForms {
            // Even the supervisors above, who may open the case one read at a time, export it masked.
            let before = try t.store.exports(by: citySupervisor.0.id).count
            let csv = try get("/api/v1/cases/export.csv?unit_id=\(countyID)", citySupervisor)
            XCTAssertEqual(csv.status, 200)
            XCTAssertTrue(csv.text.contains(try trackingNo(sealed)), "the sealed case is listed")
            XCTAssertTrue(csv.text.contains("离婚后前夫拒不支付抚养费"), "an unsealed summary is exported")
            XCTAssertFalse(csv.text.contains("滨江路") || csv.text.contains("丁戊己"), "the sealed one is not")
            let rows = csv.text.split(separator: "\r\n").count - 1
            XCTAssertEqual(rows, 2)
            // The export is recorded: who, which list, which filter, how many rows; reading opened nothing.
            let records = try t.store.exports(by: citySupervisor.0.id)
            XCTAssertEqual(records.count, before + 1)
            XCTAssertEqual(records.first?.list, .cases)
            XCTAssertEqual(records.first?.rowCount, rows)
            XCTAssertTrue(records.first?.filterJSON.contains("\"unit_id\": \"\(countyID)\"") ?? false, records.first?.filterJSON ?? "")
            // The JSON list and the search are masked the same way.
            let line = try XCTUnwrap(try listed("unit_id=\(countyID)", citySupervisor).first { $0.id == sealed })
            XCTAssertNil(line.summary)
            XCTAssertFalse(ids(try listed("q=%E6%8C%81%E5%88%80", citySupervisor)).contains(sealed), "持刀 finds no sealed case")
        }
        XCTAssertEqual(try reads(sealed), 0, "lists and exports are not case reads")
        // The overdue list's export is recorded too.
        XCTAssertEqual(try get("/api/v1/supervision/clocks.csv?status=due_soon", citySupervisor).status, 200)
        XCTAssertEqual(try t.store.exports(by: citySupervisor.0.id).first?.list, .clocks)
    }

    func testBreakingASealNeedsASupervisorAndAReasonAndIsFlagged() throws {
        let path = "/api/v1/cases/\(sealed)/break-glass"
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", path, token: countyHandler.1, ["reason": "想看看"]).status, 403)
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", path, token: countySupervisor.1, [:]).errorFields, ["reason"])
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/cases/\(neighbours)/break-glass", token: countySupervisor.1,
                                           ["reason": "x"]).status, 404, "never outside her scope")
        let opened = try HTTPClient.json(port: t.port, "POST", path, token: countySupervisor.1, ["reason": "当事人来电称有生命危险，需立即核实住址"])
        XCTAssertEqual(opened.status, 200, opened.text)
        let openedPage = try opened.decode(CasePage.self)
        XCTAssertEqual(openedPage.masked, false)
        XCTAssertEqual(openedPage.brokeSeal, true)
        XCTAssertTrue(opened.text.contains("滨江路"))
        // The access log shows it, flagged, to supervisors; not to a handler.
        XCTAssertEqual(try get("/api/v1/cases/\(sealed)/access-log", countyHandler).status, 403)
        let log = try get("/api/v1/cases/\(sealed)/access-log", citySupervisor).decode(AccessLog.self).reads
        let flagged = log.filter(\.flagged)
        XCTAssertEqual(flagged.count, 1)
        XCTAssertEqual(flagged.first?.breakGlassReason, "当事人来电称有生命危险，需立即核实住址")
        XCTAssertEqual(flagged.first?.user.id, Int(countySupervisor.0.id))
        XCTAssertEqual(try t.count("""
            SELECT count(*) AS n FROM notifications WHERE case_id = \(sealed) AND kind = 'seal_broken'
              AND unit_id = \(try t.unitID("t-c")) AND audience = 'supervisors'
            """), 1, "the supervisors above are told, for review")
        // A supervisor already in the circle has no seal to break.
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", path, token: citySupervisor.1, ["reason": "x"]).status, 409)
    }

    func testEveryReadLeavesExactlyOneAuditRow() throws {
        let readers = [countyHandler!, countySupervisor!, citySupervisor!, cityOperator!]
        for (index, who) in readers.enumerated() {
            for id in [ours, sealed] {
                let before = try reads(id)
                XCTAssertEqual(try get("/api/v1/cases/\(id)", who).status, 200)
                XCTAssertEqual(try reads(id), before + 1, "reader \(index), case \(id)")
            }
        }
        let last = try t.store.pool.withConnection { db in
            try db.query("SELECT user_id, view, masked FROM case_reads WHERE case_id = \(Int64(sealed)) ORDER BY id DESC LIMIT 1").first!
        }
        XCTAssertEqual(try last.decode("user_id", as: Int64.self), cityOperator.0.id)
        XCTAssertEqual(try last.decode("view", as: String.self), "case")
        XCTAssertEqual(try last.decode("masked", as: Bool.self), true)
        // Lists do not open cases: no audit rows.
        let before = try reads(ours)
        _ = try listed("", countyHandler)
        XCTAssertEqual(try reads(ours), before)
    }

    func testTheApplicationRoleCannotRewriteTheAudit() throws {
        _ = try get("/api/v1/cases/\(ours)", countyHandler)
        var configuration = try TestDatabase.configuration()
        configuration.role = "huiyin_app"
        let db = try PostgresConnection(configuration: configuration)
        for statement in ["UPDATE case_reads SET view = 'x'", "DELETE FROM case_reads", "TRUNCATE case_reads",
                          "UPDATE case_events SET reason = 'x'", "DELETE FROM documents",
                          "UPDATE exports SET row_count = 0", "DELETE FROM exports", "TRUNCATE exports"] {
            XCTAssertThrowsError(try db.executeScript(statement), statement) { error in
                XCTAssertEqual((error as? PostgresError)?.sqlState, "42501", "insufficient_privilege: \(statement)")
            }
        }
        // It can still read and append.
        XCTAssertNoThrow(try db.executeScript("SELECT count(*) FROM case_reads"))
    }
}
