import Foundation
import HuiyinCore
@testable import HuiyinStore
import Postgres
import TestSupport
import XCTest

private struct BodyFigures: Decodable {
    struct Counts: Decodable, Equatable {
        let referrals: Int, referralOutcomes: Int, referralsOpen: Int
        let dispatches: Int, settled: Int, notSettled: Int, referredOn: Int, objected: Int, dispatchesOpen: Int
    }
    struct Month: Decodable { let month: String; let counts: Counts }
    let bodyId: Int
    let total: Counts
    let months: [Month]
}
private struct Registry: Decodable {
    struct Item: Decodable { let id: Int; let name: String; let counts: BodyFigures.Counts }
    let items: [Item]
}

/// The mediation network's bodies named by a case's referral to a mediator and by a lead's dispatch
/// (checked: the body must exist, a 422 on the field changing nothing), their counts per month and in
/// the staff's registry, the console's pickers; and the nearest-body index against the SQL function,
/// including an import by another process seen through the registry's version.
final class MediationBodyLinkTests: XCTestCase {
    var t: TestApp!
    var p: GrassrootsPlace!

    static func morning(_ day: String) -> Date { ISO8601DateFormatter().date(from: day + "T02:00:00Z")! }

    override func setUpWithError() throws {
        t = try TestApp(now: Self.morning("2026-11-05"))   // a Thursday
        p = try GrassrootsPlace(t)
    }

    override func tearDown() {
        p = nil
        t = nil
    }

    /// Two bodies in the place's county (its township committee and a village point); their ids.
    func bodies() throws -> (committee: Int64, point: Int64) {
        let prefix = "mbl" + UUID().uuidString.prefix(6)
        let rows = try MediationBodyCSV.parse("""
            \(MediationBodyCSV.header.joined(separator: ","))
            \(prefix)-1,龙泉镇人民调解委员会,township_committee,\(p.township),龙泉镇综治中心,30.556,111.518,0717-7811234,,,
            \(prefix)-2,双泉村家事调解点,village_point,\(p.village),双泉村村委会,30.571,111.502,,,,
            """).get()
        _ = try t.store.importMediationBodies(rows)
        return try t.store.pool.withConnection { db in
            let ids = try db.query("SELECT id FROM mediation_bodies WHERE code LIKE \(prefix + "-%") ORDER BY code").rows
                .map { try $0.decode("id", as: Int64.self) }
            return (ids[0], ids[1])
        }
    }

    func newCase(_ handler: (StaffUser, String)) throws -> Int {
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: handler.1, Sample.call(phone: Sample.randomPhone()))
        XCTAssertEqual(r.status, 201, r.text)
        let id = try r.decode(Receipt.self).caseId
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/cases/\(id)/handler", token: handler.1, ["handler_id": handler.0.id]).status, 204)
        return id
    }

    func count(_ sql: String) throws -> Int { try t.count(sql) }

    func testReferralsAndDispatchesNameABodyAndItsFiguresCountThem() throws {
        let (committee, point) = try bodies()
        let handler = try t.newOperator(role: .handler, unit: p.township)
        let caseID = try newCase(handler)
        func refer(_ body: [String: Any]) throws -> HTTPResult {
            try HTTPClient.json(port: t.port, "POST", "/api/v1/cases/\(caseID)/referrals", token: handler.1, body)
        }
        // Bad: no such body; a body on a referral that is not to a mediator. Each named, nothing written.
        var r = try refer(["kind": "mediator", "referred_to": "镇调委会", "mediation_body_id": 999_999_999])
        XCTAssertEqual(r.status, 422, r.text)
        XCTAssertEqual(r.errorFields, ["mediation_body_id"])
        r = try refer(["kind": "lawyer", "referred_to": "某律师", "mediation_body_id": committee])
        XCTAssertEqual(r.errorFields, ["mediation_body_id"])
        r = try refer(["kind": "mediator", "referred_to": "镇调委会", "mediation_body_id": "x"])
        XCTAssertEqual(r.errorFields, ["mediation_body_id"])
        XCTAssertEqual(try count("SELECT count(*) AS n FROM referrals WHERE case_id = \(caseID)"), 0)

        r = try refer(["kind": "mediator", "referred_to": "龙泉镇人民调解委员会", "mediation_body_id": committee])
        XCTAssertEqual(r.status, 201, r.text)
        let first = try XCTUnwrap(try r.jsonValue()["id"]?.intValue)
        XCTAssertEqual(try refer(["kind": "mediator", "referred_to": "镇调委会", "mediation_body_id": committee]).status, 201)
        XCTAssertEqual(try refer(["kind": "mediator", "referred_to": "某调解员"]).status, 201, "a body is optional")
        let page = try HTTPClient.get(port: t.port, "/api/v1/cases/\(caseID)", token: handler.1).jsonValue()
        XCTAssertEqual(page["referrals"]?.arrayValue?.map { $0["mediation_body_id"]?.intValue }, [Int(committee), Int(committee), nil])
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/cases/\(caseID)/referrals/\(first)/outcome", token: handler.1,
                                           ["outcome": "调解成功，双方签订协议"]).status, 204)

        // Dispatches from the village to the township naming the committee: one settled, one objected, one open.
        let leads = try (0..<3).map { _ in try p.lead(risk: "medium") }
        r = try p.post("/api/v1/leads/\(leads[0])/dispatch", p.villageChair, ["unit_id": try t.unitID(p.township), "mediation_body_id": 999_999_999])
        XCTAssertEqual(r.status, 422, r.text)
        XCTAssertEqual(r.errorFields, ["mediation_body_id"])
        XCTAssertEqual(try count("SELECT count(*) AS n FROM lead_dispatches WHERE lead_id = \(leads[0])"), 0)
        var dispatches: [Int] = []
        for lead in leads {
            r = try p.post("/api/v1/leads/\(lead)/dispatch", p.villageChair, ["unit_id": try t.unitID(p.township), "mediation_body_id": committee])
            XCTAssertEqual(r.status, 201, r.text)
            dispatches.append(try r.decode(Created.self).id)
        }
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(dispatches[0])/sign", p.townshipHandler).status, 204)
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(dispatches[0])/outcome", p.townshipHandler, ["result": "settled"]).status, 204)
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(dispatches[1])/object", p.townshipHandler, ["reason": "不属本镇"]).status, 204)

        // The figures of the body, per month, for the county's supervisor (in scope of both).
        let figures = try p.get("/api/v1/mediation-bodies/\(committee)/figures?from=2026-11-01&to=2026-11-30", p.countySupervisor)
        XCTAssertEqual(figures.status, 200, figures.text)
        let read = try figures.decode(BodyFigures.self)
        let expected = BodyFigures.Counts(referrals: 2, referralOutcomes: 1, referralsOpen: 1, dispatches: 3, settled: 1, notSettled: 0,
                                          referredOn: 0, objected: 1, dispatchesOpen: 1)
        XCTAssertEqual(read.total, expected)
        XCTAssertEqual(read.months.map(\.month), ["2026-11"])
        XCTAssertEqual(read.months.first?.counts, expected)
        // Another month holds nothing; the neighbouring township sees nothing of this county's work.
        XCTAssertEqual(try p.get("/api/v1/mediation-bodies/\(committee)/figures?from=2026-10-01&to=2026-10-31", p.countySupervisor)
            .decode(BodyFigures.self).months.count, 0)
        XCTAssertEqual(try p.get("/api/v1/mediation-bodies/\(committee)/figures?from=2026-11-01&to=2026-11-30", p.neighbourHandler)
            .decode(BodyFigures.self).total.referrals, 0)
        XCTAssertEqual(try p.get("/api/v1/mediation-bodies/999999999/figures", p.countySupervisor).status, 404)
        XCTAssertEqual(try p.get("/api/v1/mediation-bodies/\(committee)/figures?from=2026-11-30&to=2026-11-01", p.countySupervisor).errorFields, ["to"])

        // The registry under the county: both bodies, with their counts.
        let registry = try p.get("/api/v1/mediation-bodies/registry?from=2026-11-01&to=2026-11-30", p.countySupervisor).decode(Registry.self)
        XCTAssertEqual(registry.items.first { $0.id == Int(committee) }?.counts, expected)
        XCTAssertEqual(registry.items.first { $0.id == Int(point) }?.counts.referrals, 0)
        XCTAssertNil(try p.get("/api/v1/mediation-bodies/registry", p.neighbourHandler).decode(Registry.self).items.first { $0.id == Int(committee) },
                     "a neighbouring township's registry holds its own bodies")
    }

    func testTheConsolesPickersAndRegistryPage() throws {
        let (committee, _) = try bodies()
        let handler = try ConsoleSession(t, .handler, unit: p.township)
        let caseID = try newCase((handler.user, handler.token))
        // The case page's referral form offers the county's bodies.
        let page = try handler.get(t, "/cases/\(caseID)")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("name=\"mediation_body_id\"") && page.text.contains("<option value=\"\(committee)\">龙泉镇人民调解委员会"), page.text)
        var r = try handler.post(t, "/cases/\(caseID)/actions", ["action": "refer", "kind": "mediator", "referred_to": "镇调委会",
                                                                 "mediation_body_id": String(committee)])
        XCTAssertEqual(r.status, 303, r.text)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM referrals WHERE case_id = \(caseID) AND mediation_body_id = \(committee)"), 1)
        r = try handler.post(t, "/cases/\(caseID)/actions", ["action": "refer", "kind": "mediator", "referred_to": "镇调委会",
                                                             "mediation_body_id": "999999999"])
        XCTAssertNotEqual(r.status, 303)
        XCTAssertTrue(r.text.contains("调解组织"), "the refused field named in Chinese")
        XCTAssertEqual(try count("SELECT count(*) AS n FROM referrals WHERE case_id = \(caseID)"), 1, "nothing written")

        // The council's dispatch decision names a body from its picker.
        let chair = try ConsoleSession(t, .handler, unit: p.village)
        let lead = try p.lead(risk: "medium")
        let council = try chair.get(t, "/council")
        XCTAssertTrue(council.text.contains("name=\"mediation_body_\(lead)\""), council.text)
        r = try chair.post(t, "/council/sittings", ["held_on": "2026-11-05", "participant_name_0": "张主任", "participant_role_0": "council_member",
                                                    "decision_\(lead)": "dispatch", "mediation_body_\(lead)": String(committee)])
        XCTAssertEqual(r.status, 303, r.text)
        XCTAssertEqual(try count("SELECT count(*) AS n FROM lead_dispatches WHERE lead_id = \(lead) AND mediation_body_id = \(committee)"), 1)

        // The registry page, for the county's supervisor.
        let supervisor = try ConsoleSession(t, .supervisor, unit: p.county)
        let registry = try supervisor.get(t, "/mediation-bodies?from=2026-11-01&to=2026-11-30")
        XCTAssertEqual(registry.status, 200)
        XCTAssertTrue(registry.text.contains("调解组织名录") && registry.text.contains("data-body=\"\(committee)\""), registry.text)
        let row = try XCTUnwrap(registry.text.components(separatedBy: "data-body=\"\(committee)\"").dropFirst().first?.components(separatedBy: "</tr>").first)
        XCTAssertTrue(row.contains("<td>1</td><td>0</td><td>1</td><td>1</td>"), "1 referral, no outcome yet, 1 open; 1 dispatch: \(row)")
    }

    /// The index answers as `mediation_nearest` does, at random points of a registry of its own.
    func testTheIndexAnswersAsTheSQLFunction() throws {
        let village = try t.newUnit("village", under: p.township)
        let prefix = "mbi" + UUID().uuidString.prefix(6)
        var g = SeededRandom(seed: 23)
        var lines = [MediationBodyCSV.header.joined(separator: ",")]
        for i in 0..<500 {
            let lat = 40 + Double.random(in: -2...2, using: &g), lon = 90 + Double.random(in: -2...2, using: &g)
            lines.append("\(prefix)-\(i),调解点\(i),other,\(village),某地,\(String(format: "%.6f", lat)),\(String(format: "%.6f", lon)),,,,")
        }
        // Two at one position: the tie goes by id in both.
        lines.append("\(prefix)-t1,同址调解点一,other,\(village),某地,40.000000,90.000000,,,,")
        lines.append("\(prefix)-t2,同址调解点二,other,\(village),某地,40.000000,90.000000,,,,")
        _ = try t.store.importMediationBodies(try MediationBodyCSV.parse(lines.joined(separator: "\n")).get())
        for round in 0..<60 {
            let spread = [0.5, 3.0, 40.0][round % 3]
            let query = NearestQuery(latitude: 40 + Double.random(in: -spread...spread, using: &g),
                                     longitude: 90 + Double.random(in: -spread...spread, using: &g), limit: [1, 10, 50][round % 3])
            let index = try t.store.nearestMediationBodies(query), sql = try t.store.nearestMediationBodiesInDatabase(query)
            XCTAssertEqual(index.map(\.id), sql.map(\.id), "round \(round)")
            XCTAssertEqual(index.map { $0.at(distance: 0) }, sql.map { $0.at(distance: 0) }, "the same bodies, every field")
            for (a, b) in zip(index, sql) { XCTAssertEqual(a.distance ?? -1, b.distance ?? -2, accuracy: 1e-6) }
        }
        let tie = try t.store.nearestMediationBodies(NearestQuery(latitude: 40, longitude: 90, limit: 2))
        XCTAssertEqual(tie.map(\.name), ["同址调解点一", "同址调解点二"])
    }

    /// A body written by another process (here: straight into the table) is found once the version check
    /// comes round; one written through this server, at once.
    func testAnotherProcesssImportIsSeenThroughTheRegistryVersion() throws {
        let village = try t.newUnit("village", under: p.township)
        let far = NearestQuery(latitude: -33.9, longitude: 18.4, limit: 1)   // nowhere near any test's bodies
        _ = try t.store.nearestMediationBodies(far)
        let before = try t.store.mediationRegistryVersion()
        let code = "mbv" + UUID().uuidString.prefix(6)
        try t.store.pool.withConnection { db in
            try db.execute("""
                INSERT INTO mediation_bodies (code, kind, unit_id, name, address, latitude, longitude)
                VALUES (\(code), 'other', \(try t.unitID(village)), '远方调解点', '某地', -33.9, 18.4)
                """)
        }
        XCTAssertGreaterThan(try t.store.mediationRegistryVersion(), before, "every write moves the version")
        let deadline = Date().addingTimeInterval(5)
        var found = false
        while Date() < deadline, !found {
            let answer = try HTTPClient.get(port: t.port, "/api/v1/mediation-bodies/nearest?lat=-33.9&lon=18.4&limit=1").jsonValue()
            found = answer["items"]?.arrayValue?.first?["code"]?.stringValue == code
            if !found { Thread.sleep(forTimeInterval: 0.2) }
        }
        XCTAssertTrue(found, "seen within the check interval (2 s)")

        // Through this server's import: the very next answer has it.
        let rows = try MediationBodyCSV.parse("""
            \(MediationBodyCSV.header.joined(separator: ","))
            \(code)-b,更近的调解点,other,\(village),某地,-33.900001,18.400001,,,,
            """).get()
        _ = try t.store.importMediationBodies(rows)
        XCTAssertEqual(try t.store.nearestMediationBodies(NearestQuery(latitude: -33.900001, longitude: 18.400001, limit: 1)).first?.code, code + "-b")
    }
}
