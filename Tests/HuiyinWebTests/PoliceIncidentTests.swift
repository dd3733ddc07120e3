import Foundation
import HuiyinCore
@testable import HuiyinStore
import Postgres
import TestSupport
import XCTest

struct IncidentItemRead: Decodable {
    let id: Int
    let incidentNo: String
    let unitId: Int
    let masked: Bool
    let sealed: Bool
    let address: String
    let victimName: String
    let victimPhone: String?
    let followUpDueOn: String
    let followedUpAt: String?
}
struct IncidentRead: Decodable {
    struct FollowUp: Decodable { let reached: Bool; let onTime: Bool; let caseId: Int?; let riskGrade: String? }
    let incident: IncidentItemRead
    let handling: String?
    let followUps: [FollowUp]
}
struct IncidentRows: Decodable { let incidents: [IncidentItemRead]; let nextBeforeId: Int? }
struct IncidentFigureRead: Decodable, Equatable {
    let unitId: Int
    let incidents: Int
    let onTime: Int
    let late: Int
    let openNotDue: Int
    let openOverdue: Int
    let shareOnTime: Double?
}
struct IncidentFiguresRead: Decodable { let month: String; let goal: Double; let total: IncidentFigureRead; let units: [IncidentFigureRead] }

/// Police domestic-violence incidents (家暴警情) against the real database: placed by address, idempotent
/// on the police number through the API and the spreadsheet, scoped, sealed and masked, every read
/// audited, the phone follow-up's clock through the sweep, and the on-time figure against hand counts.
final class PoliceIncidentTests: XCTestCase {
    var t: TestApp!
    /// The county's place name is unique per test, so addresses in other tests' counties never match.
    var place = ""
    var county = "", township = "", village = "", otherVillage = "", sibling = ""
    var countySupervisor: (StaffUser, String)!, townshipSupervisor: (StaffUser, String)!, villageHandler: (StaffUser, String)!
    var villageOperator: (StaffUser, String)!, siblingSupervisor: (StaffUser, String)!

    static func morning(_ day: String) -> Date { ISO8601DateFormatter().date(from: day + "T02:00:00Z")! }

    override func setUpWithError() throws {
        t = try TestApp(now: Self.morning("2026-11-02"))   // a Monday
        let tag = UUID().uuidString.prefix(6).lowercased()
        place = "甲" + tag + "区"
        county = "t-c-" + tag
        try t.store.addUnit(code: county, name: place + "妇联", level: "county", parentCode: "t-c")
        township = county + "-lq"
        try t.store.addUnit(code: township, name: "龙泉镇妇联", level: "township", parentCode: county)
        village = township + "-sq"
        try t.store.addUnit(code: village, name: "双泉村妇联", level: "village", parentCode: township)
        otherVillage = township + "-sl"
        try t.store.addUnit(code: otherVillage, name: "双泉二村妇联", level: "village", parentCode: township)
        sibling = "t-c-s" + tag
        try t.store.addUnit(code: sibling, name: "乙" + tag + "区妇联", level: "county", parentCode: "t-c")
        countySupervisor = try t.newOperator(role: .supervisor, unit: county)
        townshipSupervisor = try t.newOperator(role: .supervisor, unit: township)
        villageHandler = try t.newOperator(role: .handler, unit: village)
        villageOperator = try t.newOperator(role: .operator_, unit: village)
        siblingSupervisor = try t.newOperator(role: .supervisor, unit: sibling)
    }

    override func tearDown() { t = nil }

    func body(_ number: String, address: String? = nil, extra: [String: Any] = [:]) -> [String: Any] {
        var body: [String: Any] = ["incident_no": number, "occurred_at": "2026-11-01 21:40", "station": "龙泉派出所",
                                   "address": address ?? "宜昌市\(place)龙泉镇双泉村3组12号", "victim_name": "王秀英",
                                   "victim_phone": "138 0717 1234", "respondent_name": "李大军", "handling": "口头警告，出具告诫书",
                                   "warning_letter": true]
        body.merge(extra) { $1 }
        return body
    }

    func post(_ body: [String: Any], by who: (StaffUser, String)) throws -> HTTPResult {
        try HTTPClient.json(port: t.port, "POST", "/api/v1/police-incidents", token: who.1, body)
    }

    func number() -> String { "J" + UUID().uuidString.prefix(12).replacingOccurrences(of: "-", with: "") }

    func count(_ number: String) throws -> Int {
        try t.store.pool.withConnection { db in
            try db.query("SELECT count(*) AS n FROM police_incidents WHERE incident_no = \(number)").first!.decode("n", as: Int.self)
        }
    }

    func importCSV(_ lines: [String]) throws -> IncidentImportReport {
        let text = ([PoliceIncidentCSV.header.joined(separator: ",")] + lines).joined(separator: "\r\n") + "\r\n"
        let parsed = PoliceIncidentCSV.parse(text, timeZone: t.store.timeZone, now: t.store.now())
        XCTAssertNil(parsed.fileProblem)
        return try t.store.importIncidents(parsed.rows, parseProblems: parsed.problems, rootUnitID: try t.unitID(county),
                                           fileName: "police.csv", by: nil)
    }

    func testTheAPIPlacesByAddressAndARepeatNeverDuplicates() throws {
        let no = number()
        let first = try post(body(no), by: countySupervisor)
        XCTAssertEqual(first.status, 201, first.text)
        let created = try first.decode(IncidentRead.self)
        XCTAssertEqual(created.incident.unitId, Int(try t.unitID(village)), "the deepest unit the address names: 双泉村, not 双泉二村")
        XCTAssertEqual(created.incident.followUpDueOn, "2026-11-05", "3 working days from Monday's receipt")
        XCTAssertTrue(created.incident.sealed)
        let again = try post(body(no, extra: ["victim_name": "别的名字"]), by: countySupervisor)
        XCTAssertEqual(again.status, 200, again.text)
        XCTAssertEqual(again.header("Idempotent-Replayed"), "true")
        XCTAssertEqual(try again.decode(IncidentRead.self).incident.id, created.incident.id)
        XCTAssertEqual(try again.decode(IncidentRead.self).incident.victimName, "王秀英", "the one on record, unchanged")
        XCTAssertEqual(try count(no), 1)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM grassroots_dues WHERE incident_id = \(created.incident.id)"), 1,
                       "one follow-up due, however often it is sent")

        // An address naming only the township lands there; one naming nothing under her unit is refused.
        let toTownship = try post(body(number(), address: "\(place)龙泉镇某街5号"), by: countySupervisor)
        XCTAssertEqual(try toTownship.decode(IncidentRead.self).incident.unitId, Int(try t.unitID(township)))
        let nowhere = number()
        let refused = try post(body(nowhere, address: "某省某市某县某镇"), by: countySupervisor)
        XCTAssertEqual(refused.status, 422, refused.text)
        XCTAssertTrue(refused.text.contains("\"address\""), refused.text)
        XCTAssertEqual(try count(nowhere), 0)
        // The intake desk does not enter incidents.
        XCTAssertEqual(try post(body(number()), by: villageOperator).status, 403)
    }

    func testBadInputNamesEveryFieldAndWritesNothing() throws {
        let before = try t.count("SELECT count(*) AS n FROM police_incidents")
        let r = try post(["incident_no": "编号 有空格", "occurred_at": "昨天晚上", "station": "", "address": String(repeating: "长", count: 201),
                          "victim_phone": "12345", "warning_letter": "maybe", "colour": "red"], by: countySupervisor)
        XCTAssertEqual(r.status, 422, r.text)
        for field in ["incident_no", "occurred_at", "station", "address", "victim_name", "victim_phone", "warning_letter", "colour"] {
            XCTAssertTrue(r.text.contains("\"\(field)\""), "\(field) named: \(r.text)")
        }
        let future = try post(body(number(), extra: ["occurred_at": "2027-01-01T00:00:00+08:00"]), by: countySupervisor)
        XCTAssertEqual(future.status, 422)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM police_incidents"), before)
        let followUp = try HTTPClient.json(port: t.port, "POST", "/api/v1/police-incidents/1/follow-ups", token: villageHandler.1,
                                           ["reached": "yes", "risk_answers": ["weapon": true], "open": "household"])
        XCTAssertEqual(followUp.status, 422, followUp.text)
        for field in ["reached", "open"] { XCTAssertTrue(followUp.text.contains("\"\(field)\""), followUp.text) }
    }

    func testACSVReImportNeverDuplicatesAndListsEveryRowItCannotTake() throws {
        let (a, b, c) = (number(), number(), number())
        let lines = [
            "\(a),2026-11-01 21:40,龙泉派出所,宜昌市\(place)龙泉镇双泉村3组12号,王秀英,李大军,13807171234,口头警告,是",
            "\(b),2026/11/1 8:05,龙泉派出所,\"宜昌市\(place)龙泉镇双泉二村7号\",张丽,,0717-6543210,调解,否",
            "\(c),2026-11-01 22:00,龙泉派出所,宜昌市某某区某某镇,刘芳,赵强,13807170000,,否",           // line 4: no unit named
            "\(a),2026-11-01 21:40,龙泉派出所,宜昌市\(place)龙泉镇双泉村3组12号,王秀英,李大军,13807171234,口头警告,是",  // line 5: repeat
            ",明天,龙泉派出所,宜昌市\(place)龙泉镇,刘芳,赵强,123,,也许",                                                   // line 6
            "only,three,fields",
        ]
        let first = try importCSV(lines)
        XCTAssertEqual(first.imported, 2)
        XCTAssertEqual(first.already, 0)
        XCTAssertEqual(Set(first.problems.map(\.line)), [4, 5, 6, 7])
        let unplaced = try XCTUnwrap(first.problems.first { $0.line == 4 })
        XCTAssertEqual(unplaced.incidentNo, c)
        XCTAssertEqual(unplaced.address, "宜昌市某某区某某镇")
        XCTAssertEqual(unplaced.field, "地址")
        XCTAssertEqual(Set(first.problems.filter { $0.line == 6 }.compactMap(\.field)), ["警情编号", "接警时间", "电话", "是否出具告诫书"])
        XCTAssertTrue(first.problems.first { $0.line == 5 }!.message.contains("line 2"))
        XCTAssertEqual(try count(b), 1)
        XCTAssertEqual(try t.store.pool.withConnection { db in
            try db.query("SELECT unit_id FROM police_incidents WHERE incident_no = \(b)").first!.decode("unit_id", as: Int64.self)
        }, try t.unitID(otherVillage), "the longer name wins: 双泉二村 is not 双泉村")

        let second = try importCSV(lines)
        XCTAssertEqual(second.imported, 0, "a re-import adds nothing")
        XCTAssertEqual(second.already, 2)
        XCTAssertEqual(try count(a), 1)
        XCTAssertEqual(try count(c), 0, "an unplaceable row is not stored")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM grassroots_dues d JOIN police_incidents i ON i.id = d.incident_id WHERE i.incident_no IN ('\(a)', '\(b)')"), 2)
    }

    func testScopeSealAndEveryReadAudited() throws {
        let id = try post(body(number()), by: countySupervisor).decode(IncidentRead.self).incident.id
        // A sibling county never sees it.
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/police-incidents/\(id)", token: siblingSupervisor.1).status, 404)
        let siblingList = try HTTPClient.get(port: t.port, "/api/v1/police-incidents?limit=200", token: siblingSupervisor.1)
        XCTAssertFalse(try siblingList.decode(IncidentRows.self).incidents.contains { $0.id == id })
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/police-incidents/\(id)/follow-ups", token: siblingSupervisor.1,
                                           ["reached": false]).status, 404)
        // The list masks every row, even for those who may open it.
        let list = try HTTPClient.get(port: t.port, "/api/v1/police-incidents?limit=1", token: villageHandler.1).decode(IncidentRows.self)
        XCTAssertEqual(list.incidents.map(\.id), [id])
        XCTAssertTrue(list.incidents[0].masked)
        XCTAssertEqual(list.incidents[0].victimName, "王**")
        XCTAssertEqual(list.incidents[0].victimPhone, "138****1234")
        XCTAssertFalse(list.incidents[0].address.contains("12号"))
        XCTAssertEqual(list.nextBeforeId, id)
        // The unit's handler (she owes the call) and supervisors above open it; the unit's operator sees it masked.
        for (who, masked) in [(villageHandler!, false), (countySupervisor!, false), (townshipSupervisor!, false), (villageOperator!, true)] {
            let r = try HTTPClient.get(port: t.port, "/api/v1/police-incidents/\(id)", token: who.1)
            XCTAssertEqual(r.status, 200, r.text)
            let read = try r.decode(IncidentRead.self)
            XCTAssertEqual(read.incident.masked, masked, who.0.role.rawValue)
            XCTAssertEqual(read.incident.victimName, masked ? "王**" : "王秀英")
            XCTAssertEqual(read.handling == nil, masked)
        }
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/police-incidents/\(id)/follow-ups", token: villageOperator.1,
                                           ["reached": false]).status, 403, "a masked reader records nothing")
        let reads = try t.store.incidentReads(id: Int64(id))
        XCTAssertEqual(reads.map(\.view), ["created", "incident", "incident", "incident", "incident"])
        XCTAssertEqual(reads.map(\.masked), [false, false, false, false, true])
        XCTAssertEqual(reads.last?.userID, villageOperator.0.id)
    }

    func notices(_ id: Int) throws -> [String] {
        try t.store.pool.withConnection { db in
            try db.query("""
                SELECT n.kind || '/' || n.audience || '/' || u.code AS line FROM notifications n JOIN units u ON u.id = n.unit_id
                WHERE n.detail->>'incident_id' = \(String(id)) ORDER BY n.id, n.audience
                """).rows.map { try $0.decode("line", as: String.self) }
        }
    }

    func testTheFollowUpClockThroughTheSweepDayByDay() throws {
        let id = try post(body(number()), by: countySupervisor).decode(IncidentRead.self).incident.id   // Mon 2 Nov, due Thu 5 Nov
        for (day, expected) in [("2026-11-02", [String]()), ("2026-11-03", []),
                                ("2026-11-04", ["incident_follow_up_due_soon/handlers/\(village)"]),
                                ("2026-11-05", ["incident_follow_up_due_soon/handlers/\(village)"])] {
            t.clock.value = Self.morning(day)
            _ = try t.store.sweep()
            _ = try t.store.sweep()
            XCTAssertEqual(try notices(id), expected, day)
        }
        t.clock.value = Self.morning("2026-11-06")
        _ = try t.store.sweep()
        _ = try t.store.sweep()
        XCTAssertEqual(Set(try notices(id)), ["incident_follow_up_due_soon/handlers/\(village)", "incident_follow_up_overdue/handlers/\(village)",
                                              "incident_follow_up_overdue/supervisors/\(township)"], "overdue: the village and the township above, once")
        // An unanswered call leaves the clock open; reaching her on Friday meets it, late.
        let missed = try HTTPClient.json(port: t.port, "POST", "/api/v1/police-incidents/\(id)/follow-ups", token: villageHandler.1, ["reached": false])
        XCTAssertEqual(missed.status, 201, missed.text)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM grassroots_dues WHERE incident_id = \(id) AND met_at IS NULL"), 1)
        let reached = try HTTPClient.json(port: t.port, "POST", "/api/v1/police-incidents/\(id)/follow-ups", token: villageHandler.1,
                                          ["reached": true, "said": "已搬到娘家暂住", "needs": "法律援助"])
        XCTAssertEqual(reached.status, 201, reached.text)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM grassroots_dues WHERE incident_id = \(id) AND met_at IS NULL"), 0)
        let read = try HTTPClient.get(port: t.port, "/api/v1/police-incidents/\(id)", token: villageHandler.1).decode(IncidentRead.self)
        XCTAssertEqual(read.followUps.map(\.reached), [false, true])
        XCTAssertEqual(read.followUps.map(\.onTime), [false, false])
        t.clock.value = Self.morning("2026-11-09")
        _ = try t.store.sweep()
        XCTAssertEqual(try notices(id).count, 3, "a met due is not swept again")
    }

    func testAFollowUpGradesTheDangerAndMayOpenACase() throws {
        let id = try post(body(number()), by: countySupervisor).decode(IncidentRead.self).incident.id
        var answers = Dictionary(uniqueKeysWithValues: RiskChecklist.federation.questions.map { ($0.id, false) })
        answers["weapon"] = true
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/police-incidents/\(id)/follow-ups", token: villageHandler.1,
                                    ["reached": true, "said": "他还拿刀威胁过我", "risk_answers": answers, "open": "case"])
        XCTAssertEqual(r.status, 201, r.text)
        let created = try r.decode(IncidentFollowUpCreatedRead.self)
        XCTAssertEqual(created.riskGrade, "high")
        let caseID = try XCTUnwrap(created.caseId)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM cases WHERE id = \(caseID) AND category = 'domestic_violence' AND unit_id = \(try t.unitID(village))"), 1)
        let read = try HTTPClient.get(port: t.port, "/api/v1/police-incidents/\(id)", token: villageHandler.1).decode(IncidentRead.self)
        XCTAssertEqual(read.followUps.first?.onTime, true)
        XCTAssertEqual(read.followUps.first?.caseId, caseID)
        XCTAssertNotNil(read.incident.followedUpAt)
        let partial = try HTTPClient.json(port: t.port, "POST", "/api/v1/police-incidents/\(id)/follow-ups", token: villageHandler.1,
                                          ["reached": true, "said": "好", "risk_answers": ["weapon": true]])
        XCTAssertEqual(partial.status, 422, "a checklist is answered whole")
        XCTAssertTrue(partial.text.contains("risk_answers.threat_to_kill"), partial.text)
    }

    /// The follow-up opens a lead in a grid of the incident's village: the parties as the police named
    /// them, linked both ways, and the leads' own rules — a high danger grade gets its police and direct
    /// reports and the city is told (直报), as `Lead.mandatoryReports` and `reportsDirectly` say.
    func testAFollowUpMayOpenALeadInTheGrid() throws {
        let grid = village + "-g1"
        try t.store.addUnit(code: grid, name: "双泉村第一网格", level: "grid", parentCode: village)
        let otherGrid = otherVillage + "-g1"
        try t.store.addUnit(code: otherGrid, name: "双泉二村第一网格", level: "grid", parentCode: otherVillage)
        let id = try post(body(number()), by: countySupervisor).decode(IncidentRead.self).incident.id
        func followUp(_ fields: [String: Any]) throws -> HTTPResult {
            try HTTPClient.json(port: t.port, "POST", "/api/v1/police-incidents/\(id)/follow-ups", token: villageHandler.1, fields)
        }
        let before = try t.count("SELECT count(*) AS n FROM police_incident_follow_ups WHERE incident_id = \(id)")
        // The incident's unit is a village: the grid must be named, and be one of this village's.
        var r = try followUp(["reached": true, "said": "他又动手了", "open": "lead"])
        XCTAssertEqual(r.status, 422, r.text)
        XCTAssertEqual(r.errorFields, ["grid_id"])
        r = try followUp(["reached": true, "said": "他又动手了", "open": "lead", "grid_id": try t.unitID(otherGrid)])
        XCTAssertEqual(r.errorFields, ["grid_id"])
        r = try followUp(["reached": true, "said": "他又动手了", "open": "case", "grid_id": try t.unitID(grid)])
        XCTAssertEqual(r.errorFields, ["grid_id"], "a grid belongs only to a lead")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM police_incident_follow_ups WHERE incident_id = \(id)"), before, "nothing written")

        var answers = Dictionary(uniqueKeysWithValues: RiskChecklist.federation.questions.map { ($0.id, false) })
        answers["weapon"] = true
        r = try followUp(["reached": true, "said": "他还拿刀威胁过我", "needs": "希望网格员常来看看", "risk_answers": answers,
                          "open": "lead", "grid_id": try t.unitID(grid)])
        XCTAssertEqual(r.status, 201, r.text)
        let leadID = try XCTUnwrap(try r.jsonValue()["lead_id"]?.intValue)
        XCTAssertNil(try r.jsonValue()["case_id"]?.intValue)
        let lead = try t.store.pool.withConnection { db in
            try db.query("""
                SELECT l.source, l.source_incident_id, l.kind, l.risk_grade, l.grid_id, array_to_string(l.mandatory_reports, ',') AS reports,
                       (SELECT string_agg(role || ':' || name, ',' ORDER BY position) FROM lead_people WHERE lead_id = l.id) AS people,
                       (SELECT string_agg(kind, ',' ORDER BY kind) FROM lead_tasks WHERE lead_id = l.id) AS tasks,
                       (SELECT count(*) FROM notifications WHERE lead_id = l.id AND kind = 'lead_direct_report') AS direct
                FROM leads l WHERE l.id = \(Int64(leadID))
                """).first!
        }
        XCTAssertEqual(try lead.decode("source", as: String.self), "police_incident")
        XCTAssertEqual(try lead.decode("source_incident_id", as: Int64.self), Int64(id))
        XCTAssertEqual(try lead.decode("kind", as: String.self), "domestic_violence")
        XCTAssertEqual(try lead.decode("grid_id", as: Int64.self), try t.unitID(grid))
        XCTAssertEqual(try lead.decode("risk_grade", as: String?.self), "high")
        XCTAssertEqual(try lead.decode("people", as: String.self), "victim:王秀英,respondent:李大军")
        // The same rules as any lead with these facts.
        let draft = IncidentFollowUpDraft(reached: true, said: "x", riskAnswers: answers, open: "lead")
        let same = try draft.validate().get().lead(gridID: 1, incidentNo: "x", victimName: "王秀英", victimPhone: nil, respondentName: "李大军")
        XCTAssertEqual(try lead.decode("reports", as: String.self), same.mandatoryReports.map(\.rawValue).joined(separator: ","))
        XCTAssertTrue(same.reportsDirectly)
        XCTAssertEqual(try lead.decode("direct", as: Int.self), 1, "直报 to the city")
        XCTAssertTrue(try lead.decode("tasks", as: String.self).contains("police_report"))
        let read = try HTTPClient.get(port: t.port, "/api/v1/police-incidents/\(id)", token: villageHandler.1).jsonValue()
        XCTAssertEqual(read["follow_ups"]?.arrayValue?.last?["lead_id"]?.intValue, leadID)

        // Unreached, a lead may still be opened (the grid looks in); a grid incident needs no grid named.
        let gridIncident = try post(body(number(), address: "宜昌市\(place)龙泉镇双泉村双泉村第一网格5号"), by: countySupervisor)
            .decode(IncidentRead.self).incident
        XCTAssertEqual(gridIncident.unitId, Int(try t.unitID(grid)), "placed in the grid its address names")
        if gridIncident.unitId == Int(try t.unitID(grid)) {
            r = try HTTPClient.json(port: t.port, "POST", "/api/v1/police-incidents/\(gridIncident.id)/follow-ups", token: townshipSupervisor.1,
                                    ["reached": false, "open": "lead"])
            XCTAssertEqual(r.status, 201, r.text)
            XCTAssertNotNil(try r.jsonValue()["lead_id"]?.intValue)
        }
        // A lead from a police incident is opened by its follow-up only, never through the leads' API.
        let direct = try HTTPClient.json(port: t.port, "POST", "/api/v1/leads", token: villageHandler.1,
                                         ["grid_id": try t.unitID(grid), "kind": "domestic_violence", "source": "police_incident", "summary": "x"])
        XCTAssertEqual(direct.status, 422, direct.text)
        XCTAssertTrue(direct.errorFields.contains("source"), direct.text)
    }

    func testOnTimeFiguresAgainstHandCounts() throws {
        func add(_ address: String, occurred: String = "2026-11-01 10:00") throws -> Int {
            let r = try post(body(number(), address: address, extra: ["occurred_at": occurred]), by: countySupervisor)
            XCTAssertEqual(r.status, 201, r.text)
            return try r.decode(IncidentRead.self).incident.id
        }
        let inVillage = "\(place)龙泉镇双泉村1号", inOther = "\(place)龙泉镇双泉二村2号"
        let v1 = try add(inVillage), v2 = try add(inVillage), v3 = try add(inVillage)
        let o1 = try add(inOther), _ = try add(inOther)
        _ = try add(inVillage, occurred: "2026-10-31 23:00")   // October: not this month's
        func followUp(_ id: Int) throws {
            XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/police-incidents/\(id)/follow-ups", token: townshipSupervisor.1,
                                               ["reached": true, "said": "情况稳定"]).status, 201)
        }
        try followUp(v1)                                   // Mon 2 Nov: on time
        t.clock.value = Self.morning("2026-11-05")
        try followUp(o1)                                   // Thu 5 Nov, the day itself: on time
        t.clock.value = Self.morning("2026-11-09")
        try followUp(v2)                                   // Mon 9 Nov: late; v3 and the other's second are overdue
        _ = v3
        let r = try HTTPClient.get(port: t.port, "/api/v1/police-incidents/figures?month=2026-11", token: townshipSupervisor.1)
        XCTAssertEqual(r.status, 200, r.text)
        let figures = try r.decode(IncidentFiguresRead.self)
        XCTAssertEqual(figures.goal, 1.0)
        let (villageID, otherID) = (Int(try t.unitID(village)), Int(try t.unitID(otherVillage)))
        XCTAssertEqual(figures.units.first { $0.unitId == villageID },
                       IncidentFigureRead(unitId: villageID, incidents: 3, onTime: 1, late: 1, openNotDue: 0, openOverdue: 1, shareOnTime: 1.0 / 3))
        XCTAssertEqual(figures.units.first { $0.unitId == otherID },
                       IncidentFigureRead(unitId: otherID, incidents: 2, onTime: 1, late: 0, openNotDue: 0, openOverdue: 1, shareOnTime: 0.5))
        XCTAssertEqual(figures.total.incidents, 5)
        XCTAssertEqual(figures.total.onTime, 2)
        let county = try HTTPClient.get(port: t.port, "/api/v1/police-incidents/figures?month=2026-11", token: countySupervisor.1)
            .decode(IncidentFiguresRead.self)
        XCTAssertEqual(county.units.map(\.unitId), [Int(try t.unitID(township))], "her unit's children")
        XCTAssertEqual(county.units[0].incidents, 5)
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/police-incidents/figures?month=2026-13", token: countySupervisor.1).status, 422)

        // The supervisors' 督办 page holds them to 100 %: the township's row, marked short of it.
        let dashboard = try ConsoleSession(t, .supervisor, unit: township).get(t, "/dashboard").text
        XCTAssertTrue(dashboard.contains("id=\"incident-figures\""), dashboard)
        XCTAssertTrue(dashboard.contains("100% 按期电话回访（3个工作日内）"), dashboard)
        XCTAssertTrue(dashboard.contains("<tr class=\"late\"><td>双泉村妇联</td><td>3</td><td>1</td><td>1</td><td>0</td><td>1</td><td>33.3%</td></tr>"), dashboard)
    }

    func testTheFollowUpLimitIsARuleSetLine() throws {
        XCTAssertEqual(RuleSet.regulation2022.grassroots.incidentFollowUpWithin, .workingDays(3))
        let rules = try RuleSet.regulation2022.applying(profile: "incident_follow_up_within = 1wd  # 当日次个工作日内回访").get()
        XCTAssertEqual(rules.grassroots.incidentFollowUpWithin, .workingDays(1))
        guard case .failure = RuleSet.regulation2022.applying(profile: "incident_follow_up_within = soon") else {
            return XCTFail("a limit that is not one is refused")
        }
    }

    func testTheTimesAPoliceExportWrites() {
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        let expected = ISO8601DateFormatter().date(from: "2026-11-01T13:40:00Z")!
        for raw in ["2026-11-01 21:40", "2026/11/1 21:40", "2026-11-01T21:40:00", "2026-11-01T21:40:00+08:00", "2026-11-01T13:40:00Z"] {
            XCTAssertEqual(PoliceIncidentDraft.parseTime(raw, timeZone: shanghai), expected, raw)
        }
        for raw in ["2026-11-01", "2026-13-01 10:00", "2026-02-30 10:00", "2026-11-01 24:00", "昨天 21:40", "2026-11-01 21:40:00:00", ""] {
            XCTAssertNil(PoliceIncidentDraft.parseTime(raw, timeZone: shanghai), raw)
        }
    }

    func testPlacementRules() {
        let placer = UnitPlacer(units: [
            .init(id: 1, parentID: nil, name: "湖北省妇联"), .init(id: 2, parentID: 1, name: "宜昌市妇联"),
            .init(id: 3, parentID: 2, name: "夷陵区妇联"), .init(id: 4, parentID: 3, name: "龙泉镇妇女联合会"),
            .init(id: 5, parentID: 4, name: "双泉村妇联"), .init(id: 6, parentID: 3, name: "小溪塔街道妇联"),
            .init(id: 7, parentID: 6, name: "双泉村妇联"), .init(id: 8, parentID: 2, name: "西陵区妇联"), .init(id: 9, parentID: 8, name: "东村妇联"),
            .init(id: 10, parentID: 8, name: "东苑妇联"),
        ])
        XCTAssertEqual(placer.place("宜昌市夷陵区龙泉镇双泉村3组", under: 1), .success(5))
        XCTAssertEqual(placer.place("宜昌市夷陵区龙泉镇双泉村3组", under: 2), .success(5), "the importing unit's own name may be left out")
        XCTAssertEqual(placer.place("宜昌市夷陵区双泉村", under: 1), .success(3), "a village named without its township stays at the county")
        XCTAssertEqual(placer.place("双泉村宜昌市夷陵区龙泉镇", under: 1), .success(4), "names in order, top down")
        XCTAssertEqual(placer.place("湖北省某市某县", under: 1), .failure(.noUnitNamed))
        XCTAssertEqual(placer.place("宜昌市西陵区东村东苑", under: 1), .failure(.ambiguous(["东村妇联", "东苑妇联"])))
    }
}

struct IncidentFollowUpCreatedRead: Decodable { let id: Int; let caseId: Int?; let riskGrade: String? }
