import Foundation
import HuiyinCore
import HuiyinStore
import Postgres
import TestSupport
import XCTest

/// The legal-aid green channel (法律援助绿色通道): a case referral with its own decision clock, warned
/// and escalated by the sweep, met by the decision; and the women helped per unit and period.
final class LegalAidTests: XCTestCase {
    var t: TestApp!
    var handler: (StaffUser, String)!
    var supervisor: (StaffUser, String)!
    var city = ""

    static func morning(_ day: String) -> Date { ISO8601DateFormatter().date(from: day + "T02:00:00Z")! }

    override func setUpWithError() throws {
        t = try TestApp(now: Self.morning("2026-11-02"))   // a Monday
        city = try t.newUnit("city", under: "t")
        handler = try t.newOperator(role: .handler, unit: city)
        supervisor = try t.newOperator(role: .supervisor, unit: "t")
    }

    override func tearDown() { t = nil }

    func post(_ path: String, _ body: [String: Any], as who: (StaffUser, String)? = nil) throws -> HTTPResult {
        try HTTPClient.json(port: t.port, "POST", path, token: (who ?? handler).1, body)
    }

    func newCase() throws -> Int {
        let r = try post("/api/v1/contacts", Sample.call(phone: Sample.randomPhone(), category: "domestic_violence"))
        XCTAssertEqual(r.status, 201, r.text)
        let id = try r.decode(Receipt.self).caseId
        XCTAssertEqual(try post("/api/v1/cases/\(id)/handler", ["handler_id": handler.0.id]).status, 204)
        return id
    }

    func referForAid(_ caseID: Int) throws -> Int {
        let r = try post("/api/v1/cases/\(caseID)/referrals", ["kind": "legal_aid", "referred_to": "市法律援助中心"])
        XCTAssertEqual(r.status, 201, r.text)
        return try XCTUnwrap(try r.jsonValue()["id"]?.intValue)
    }

    func referral(_ caseID: Int, _ id: Int) throws -> JSONValue {
        let page = try HTTPClient.get(port: t.port, "/api/v1/cases/\(caseID)", token: handler.1).jsonValue()
        return try XCTUnwrap(page["referrals"]?.arrayValue?.first { $0["id"]?.intValue == id })
    }

    /// kind/audience/unit code of the notifications about the case from the legal-aid clock, in order.
    func notices(_ caseID: Int) throws -> [String] {
        try t.store.pool.withConnection { db in
            try db.query("""
                SELECT n.kind || '/' || n.audience || '/' || u.code AS line FROM notifications n JOIN units u ON u.id = n.unit_id
                WHERE n.case_id = \(Int64(caseID)) AND n.kind LIKE 'legal_aid%' ORDER BY n.id
                """).rows.map { try $0.decode("line", as: String.self) }
        }
    }

    func testTheDecisionClockIsWarnedEscalatedAndMetByTheDecision() throws {
        let caseID = try newCase()
        let id = try referForAid(caseID)
        XCTAssertEqual(try referral(caseID, id)["decision_due_on"]?.stringValue, "2026-11-09", "seven days (法律援助法 Art. 43)")
        XCTAssertEqual(try referral(caseID, id)["kind"]?.stringValue, "legal_aid")

        t.clock.value = Self.morning("2026-11-05")   // Thursday
        _ = try t.store.sweep()
        XCTAssertEqual(try notices(caseID), [], "not yet within a day of it")
        t.clock.value = Self.morning("2026-11-07")   // Saturday: the working day before Monday the 9th has come
        _ = try t.store.sweep()
        XCTAssertEqual(try notices(caseID), ["legal_aid_decision_due_soon/handlers/\(city)"])
        t.clock.value = Self.morning("2026-11-10")
        _ = try t.store.sweep()
        _ = try t.store.sweep()
        XCTAssertEqual(try notices(caseID).sorted(), ["legal_aid_decision_due_soon/handlers/\(city)", "legal_aid_decision_overdue/handlers/\(city)",
                                                      "legal_aid_decision_overdue/supervisors/t"], "overdue told to the unit above, once")

        // The outcome of a legal-aid referral is its decision: without it, refused whole.
        let missing = try post("/api/v1/cases/\(caseID)/referrals/\(id)/outcome", ["outcome": "已受理"])
        XCTAssertEqual(missing.status, 422, missing.text)
        XCTAssertTrue(missing.text.contains("aid_decision"), missing.text)
        XCTAssertEqual(try referral(caseID, id)["outcome"], .null, "nothing recorded")
        let bad = try post("/api/v1/cases/\(caseID)/referrals/\(id)/outcome", ["outcome": "已受理", "aid_decision": "maybe"])
        XCTAssertEqual(bad.status, 422, bad.text)
        XCTAssertEqual(try post("/api/v1/cases/\(caseID)/referrals/\(id)/outcome",
                                ["outcome": "指派律师代理离婚及保护令申请", "aid_decision": "granted"]).status, 204)
        let decided = try referral(caseID, id)
        XCTAssertEqual(decided["aid_decision"]?.stringValue, "granted")
        let open = try t.store.pool.withConnection { db in
            try db.query("SELECT count(*) AS n FROM grassroots_dues WHERE referral_id = \(Int64(id)) AND met_at IS NULL")
                .first!.decode("n", as: Int.self)
        }
        XCTAssertEqual(open, 0, "the decision meets the clock")
    }

    func testOnlyALegalAidReferralTakesADecision() throws {
        let caseID = try newCase()
        let r = try post("/api/v1/cases/\(caseID)/referrals", ["kind": "lawyer", "referred_to": "某律师事务所"])
        let id = try XCTUnwrap(try r.jsonValue()["id"]?.intValue)
        XCTAssertNil(try referral(caseID, id)["decision_due_on"]?.stringValue, "no clock for other kinds")
        let refused = try post("/api/v1/cases/\(caseID)/referrals/\(id)/outcome", ["outcome": "已咨询", "aid_decision": "granted"])
        XCTAssertEqual(refused.status, 422, refused.text)
        XCTAssertEqual(try post("/api/v1/cases/\(caseID)/referrals/\(id)/outcome", ["outcome": "已咨询"]).status, 204)
    }

    func testWomenHelpedPerUnitAndPeriod() throws {
        let (onTime, late, open) = (try newCase(), try newCase(), try newCase())
        let (a, b, _) = (try referForAid(onTime), try referForAid(late), try referForAid(open))
        t.clock.value = Self.morning("2026-11-05")
        XCTAssertEqual(try post("/api/v1/cases/\(onTime)/referrals/\(a)/outcome", ["outcome": "已指派律师", "aid_decision": "granted"]).status, 204)
        t.clock.value = Self.morning("2026-11-12")   // after the 9th
        XCTAssertEqual(try post("/api/v1/cases/\(late)/referrals/\(b)/outcome", ["outcome": "经济状况不符合条件", "aid_decision": "refused"]).status, 204)
        let r = try HTTPClient.get(port: t.port, "/api/v1/legal-aid/figures?from=2026-11-01&to=2026-11-30", token: supervisor.1)
        XCTAssertEqual(r.status, 200, r.text)
        let row = try XCTUnwrap(try r.jsonValue()["units"]?.arrayValue?.first { $0["unit"]?["id"]?.intValue == Int(try t.unitID(city)) })
        for (name, expected) in [("referred", 3), ("decided_on_time", 1), ("decided_late", 1), ("open", 1), ("overdue", 1),
                                 ("granted", 1), ("refused", 1), ("withdrawn", 0)] {
            XCTAssertEqual(row[name]?.intValue, expected, name)
        }
        let before = try HTTPClient.get(port: t.port, "/api/v1/legal-aid/figures?from=2026-10-01&to=2026-10-31", token: supervisor.1)
        XCTAssertFalse(try before.jsonValue()["units"]?.arrayValue?.contains { $0["unit"]?["id"]?.intValue == Int(try t.unitID(city)) } ?? true,
                       "a period counts the referrals made in it")
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/legal-aid/figures?from=2026-11-30&to=2026-11-01", token: supervisor.1).status, 422)
    }
}
