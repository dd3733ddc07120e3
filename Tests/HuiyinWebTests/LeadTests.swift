import Foundation
import HuiyinCore
import HuiyinStore
import Postgres
import TestSupport
import XCTest

struct LeadReceiptRead: Decodable {
    let id: Int
    let status: String
    let sealed: Bool
    let riskGrade: String?
    let mandatoryReports: [String]
    let directReport: Bool
    let deliberationDueOn: String
}
struct LeadRow: Decodable {
    let id: Int
    let sealed: Bool
    let masked: Bool
    let summary: String?
    let people: [String]
    let status: String
    let deliberationDueOn: String?
}
struct LeadRows: Decodable { let leads: [LeadRow]; let nextBeforeId: Int? }
struct LeadPersonRead: Decodable { let name: String; let phone: String?; let isMinor: Bool }
struct LeadTaskRead: Decodable { let id: Int; let kind: String; let reason: String; let state: String }
struct LeadRead: Decodable {
    let lead: LeadRow
    let people: [LeadPersonRead]
    let tasks: [LeadTaskRead]
    let mandatoryReports: [String]
    let caseId: Int?
}

/// The people and places the lead and sitting tests share: a township with a village of two grids and
/// a neighbouring village, a grid worker, an information officer, the village chair, supervisors above.
class GrassrootsFixture: XCTestCase {
    var t: TestApp!
    var county = "", township = "", village = "", gridA = "", gridB = "", neighbourVillage = "", neighbourGrid = ""
    var worker: (StaffUser, String)!, officer: (StaffUser, String)!, neighbourWorker: (StaffUser, String)!
    var villageChair: (StaffUser, String)!, townshipHandler: (StaffUser, String)!, townshipSupervisor: (StaffUser, String)!
    var countySupervisor: (StaffUser, String)!, neighbourHandler: (StaffUser, String)!

    static func morning(_ day: String) -> Date { ISO8601DateFormatter().date(from: day + "T02:00:00Z")! }

    override func setUpWithError() throws {
        t = try TestApp(now: Self.morning("2026-11-02"))   // a Monday
        county = try t.newUnit("county", under: "t-c")
        township = try t.newUnit("township", under: county)
        village = try t.newUnit("village", under: township)
        gridA = try t.newUnit("grid", under: village)
        gridB = try t.newUnit("grid", under: village)
        neighbourVillage = try t.newUnit("village", under: township)
        neighbourGrid = try t.newUnit("grid", under: neighbourVillage)
        worker = try t.newOperator(role: .gridWorker, unit: gridA)
        officer = try t.store.addUser(username: "io-\(UUID().uuidString.prefix(8))", displayName: "妇情信息员", unitCode: gridA,
                                      role: .informationOfficer, furtherGridCodes: [gridB])
        neighbourWorker = try t.newOperator(role: .gridWorker, unit: neighbourGrid)
        villageChair = try t.newOperator(role: .handler, unit: village)
        townshipHandler = try t.newOperator(role: .handler, unit: township)
        townshipSupervisor = try t.newOperator(role: .supervisor, unit: township)
        countySupervisor = try t.newOperator(role: .supervisor, unit: county)
        neighbourHandler = try t.newOperator(role: .handler, unit: neighbourVillage)
    }

    override func tearDown() { t = nil }

    func postLead(_ body: [String: Any], by who: (StaffUser, String), key: String? = nil) throws -> HTTPResult {
        try HTTPClient.json(port: t.port, "POST", "/api/v1/leads", token: who.1, headers: key.map { [("Idempotency-Key", $0)] } ?? [], body)
    }

    func leadBody(_ grid: String, kind: String = "family_dispute", summary: String = "邻居反映夫妻近两月第三次激烈争吵",
                  people: [[String: Any]] = [["name": "王秀英", "relation": "spouse", "phone": "138 0717 1234"]],
                  extra: [String: Any] = [:]) throws -> [String: Any] {
        var body: [String: Any] = ["grid_id": try t.unitID(grid), "kind": kind, "source": "grid_report", "summary": summary, "people": people]
        body.merge(extra) { $1 }
        return body
    }

    @discardableResult
    func addLead(_ grid: String, by who: (StaffUser, String), kind: String = "family_dispute",
                 people: [[String: Any]] = [["name": "王秀英", "relation": "spouse", "phone": "138 0717 1234"]],
                 extra: [String: Any] = [:]) throws -> LeadReceiptRead {
        let r = try postLead(try leadBody(grid, kind: kind, people: people, extra: extra), by: who)
        XCTAssertEqual(r.status, 201, r.text)
        return try r.decode(LeadReceiptRead.self)
    }

    func list(_ who: (StaffUser, String), _ query: String = "") throws -> [LeadRow] {
        let r = try HTTPClient.get(port: t.port, "/api/v1/leads" + query, token: who.1)
        XCTAssertEqual(r.status, 200, r.text)
        return try r.decode(LeadRows.self).leads
    }

    func read(_ id: Int, _ who: (StaffUser, String)) throws -> HTTPResult {
        try HTTPClient.get(port: t.port, "/api/v1/leads/\(id)", token: who.1)
    }

    /// `kind/audience/unit code` of every notification about a lead, in order.
    func notices(lead id: Int) throws -> [String] {
        try t.store.pool.withConnection { db in
            try db.query("""
                SELECT n.kind || '/' || n.audience || '/' || u.code AS line FROM notifications n JOIN units u ON u.id = n.unit_id
                WHERE n.lead_id = \(Int64(id)) ORDER BY n.id
                """).rows.map { try $0.decode("line", as: String.self) }
        }
    }
}

/// Leads against the real database: scoped like the households, sealed for violence and minors, every
/// read audited, mandatory reports and 直报 at once, bad input refused whole.
final class LeadTests: GrassrootsFixture {
    func testScopeOfEveryListAndRead() throws {
        let inA = try addLead(gridA, by: worker).id
        let inB = try addLead(gridB, by: villageChair).id
        let theirs = try addLead(neighbourGrid, by: neighbourWorker).id

        XCTAssertEqual(Set(try list(worker).map(\.id)), [inA], "a grid worker sees her grid only")
        XCTAssertEqual(Set(try list(officer).map(\.id)), [inA, inB])
        XCTAssertEqual(Set(try list(villageChair).map(\.id)), [inA, inB])
        XCTAssertEqual(Set(try list(townshipHandler).map(\.id)), [inA, inB, theirs])
        XCTAssertEqual(Set(try list(countySupervisor).map(\.id)), [inA, inB, theirs])
        XCTAssertEqual(try list(neighbourHandler).map(\.id), [theirs])
        XCTAssertEqual(Set(try list(townshipHandler, "?village_id=\(try t.unitID(village))").map(\.id)), [inA, inB])
        XCTAssertEqual(try list(villageChair, "?grid_id=\(try t.unitID(gridB))").map(\.id), [inB])
        XCTAssertEqual(try list(villageChair, "?status=closed").map(\.id), [])
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/leads?village_id=\(try t.unitID(village))", token: neighbourHandler.1).status, 404)
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/leads?grid_id=\(try t.unitID(gridB))", token: worker.1).status, 404)
        XCTAssertEqual(try read(inA, neighbourHandler).status, 404)
        XCTAssertEqual(try read(inA, neighbourWorker).status, 404)
        XCTAssertEqual(try read(inB, worker).status, 404, "grid B is not hers though it is in her village")
        XCTAssertEqual(try read(inB, officer).status, 200)
        XCTAssertEqual(try read(theirs, townshipHandler).status, 200)
        // Nor may she report a lead in a grid that is not hers.
        XCTAssertEqual(try postLead(try leadBody(gridB), by: worker).status, 404)
        XCTAssertEqual(try postLead(try leadBody(gridA), by: neighbourHandler).status, 404)
        // Lists mask the people; the read shows them whole.
        let row = try XCTUnwrap(try list(villageChair).first { $0.id == inA })
        XCTAssertEqual(row.people, ["王**"])
        XCTAssertEqual(row.deliberationDueOn, "2026-11-09")
        let whole = try read(inA, villageChair).decode(LeadRead.self)
        XCTAssertEqual(whole.people.map(\.name), ["王秀英"])
        XCTAssertEqual(whole.people.map(\.phone), ["13807171234"])
    }

    func testNewestFirstWithACursor() throws {
        let ids = try (0..<3).map { _ in try addLead(gridA, by: worker).id }
        let r = try HTTPClient.get(port: t.port, "/api/v1/leads?limit=2", token: worker.1)
        let page = try r.decode(LeadRows.self)
        XCTAssertEqual(page.leads.map(\.id), [ids[2], ids[1]])
        let next = try XCTUnwrap(page.nextBeforeId)
        let rest = try HTTPClient.get(port: t.port, "/api/v1/leads?limit=2&before_id=\(next)", token: worker.1).decode(LeadRows.self)
        XCTAssertEqual(rest.leads.map(\.id), [ids[0]])
        XCTAssertNil(rest.nextBeforeId)
        XCTAssertEqual(Set(try HTTPClient.get(port: t.port, "/api/v1/leads?limit=0&colour=red", token: worker.1).errorFields), ["limit", "colour"])
    }

    func testViolenceAndMinorsAreSealedAndEveryReadIsAudited() throws {
        let violence = try addLead(gridA, by: worker, kind: "domestic_violence")
        XCTAssertTrue(violence.sealed)
        let plain = try addLead(gridA, by: worker)
        XCTAssertFalse(plain.sealed)
        // A dispute about a child is a minor's matter: sealed like a minor's household, whatever its kind.
        let child = try addLead(gridA, by: worker, people: [["name": "李小红", "relation": "child", "age": 12]])
        XCTAssertTrue(child.sealed)
        XCTAssertTrue(try XCTUnwrap(try list(villageChair).first { $0.id == child.id }).masked)
        let row = try XCTUnwrap(try list(villageChair).first { $0.id == violence.id })
        XCTAssertTrue(row.sealed); XCTAssertTrue(row.masked)
        XCTAssertNil(row.summary); XCTAssertEqual(row.people, [])
        // The households' rule: the chair (in scope, not a supervisor) sees it masked; the grid's worker
        // and a supervisor above open it.
        let masked = try read(violence.id, villageChair).decode(LeadRead.self)
        XCTAssertTrue(masked.lead.masked); XCTAssertNil(masked.lead.summary); XCTAssertEqual(masked.people.count, 0)
        for who in [worker!, countySupervisor!] {
            let opened = try read(violence.id, who).decode(LeadRead.self)
            XCTAssertFalse(opened.lead.masked)
            XCTAssertEqual(opened.people.map(\.name), ["王秀英"])
        }
        _ = try read(violence.id, neighbourHandler)   // 404: nothing read
        let reads = try t.store.leadReads(id: Int64(violence.id))
        XCTAssertEqual(reads.map(\.userID), [villageChair.0.id, worker.0.id, countySupervisor.0.id])
        XCTAssertEqual(reads.map(\.masked), [true, false, false])
        XCTAssertEqual(reads.map(\.view), ["lead", "lead", "lead"])
        XCTAssertThrowsError(try t.store.pool.withConnection { db in
            try db.execute("DELETE FROM lead_reads WHERE lead_id = \(Int64(violence.id))")
        })
    }

    func testAMandatoryReportMatterIsReportedAtOnceAndStraightToTheCity() throws {
        let assault = try addLead(gridA, by: worker, kind: "minor_sexual_assault",
                                  people: [["name": "李小红", "relation": "child", "age": 12]])
        XCTAssertEqual(assault.mandatoryReports, ["minor_sexual_assault"])
        XCTAssertTrue(assault.directReport)
        XCTAssertTrue(assault.sealed)
        XCTAssertEqual(try notices(lead: assault.id), ["lead_direct_report/supervisors/t-c"], "the city federation is told at once (直报)")
        let tasks = try read(assault.id, worker).decode(LeadRead.self).tasks
        XCTAssertEqual(tasks.map(\.kind), ["mandatory_report"]); XCTAssertEqual(tasks.map(\.state), ["open"])

        // Violence against a child: the capacity ground, as for a case.
        let child = try addLead(gridA, by: worker, kind: "domestic_violence", people: [["name": "张小明", "age": 9]])
        XCTAssertEqual(child.mandatoryReports, ["violence_without_full_capacity"])
        // A high danger grade on the checklist: police and direct reports, as for a case.
        var answers = Dictionary(uniqueKeysWithValues: RiskChecklist.federation.questions.map { ($0.id, false) })
        answers["threat_to_kill"] = true
        let high = try addLead(gridA, by: worker, kind: "domestic_violence", extra: ["risk_answers": answers])
        XCTAssertEqual(high.riskGrade, "high"); XCTAssertEqual(high.mandatoryReports, []); XCTAssertTrue(high.directReport)
        XCTAssertEqual(Set(try read(high.id, worker).decode(LeadRead.self).tasks.map(\.kind)), ["police_report", "direct_report"])
        // A plain dispute: nothing to report, nobody told.
        let plain = try addLead(gridA, by: worker)
        XCTAssertEqual(plain.mandatoryReports, []); XCTAssertFalse(plain.directReport)
        XCTAssertEqual(try notices(lead: plain.id), [])
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM lead_tasks WHERE lead_id = \(plain.id)"), 0)

        // Not made within the hour: the sweep escalates the mandatory report to the city, once.
        t.clock.value = Self.morning("2026-11-02").addingTimeInterval(2 * 3600)
        _ = try t.store.sweep()
        _ = try t.store.sweep()
        XCTAssertEqual(try notices(lead: assault.id), ["lead_direct_report/supervisors/t-c", "lead_task_overdue/supervisors/t-c"])
        XCTAssertEqual(try notices(lead: high.id).filter { $0.hasPrefix("lead_task_overdue") }.sorted(),
                       ["lead_task_overdue/supervisors/\(village)"], "a late police report goes to the village's supervisors")
    }

    func testAReportMadeIsRecordedAsForACaseAndNotEscalated() throws {
        let assault = try addLead(gridA, by: worker, kind: "minor_sexual_assault", people: [["name": "李小红", "age": 12]])
        let task = try XCTUnwrap(try read(assault.id, worker).decode(LeadRead.self).tasks.first)
        let path = "/api/v1/leads/\(assault.id)/tasks/\(task.id)/complete"
        let missing = try HTTPClient.json(port: t.port, "POST", path, token: worker.1, ["station": "城东派出所"])
        XCTAssertEqual(missing.status, 422, missing.text)
        XCTAssertEqual(Set(missing.errorFields), ["reported_at", "receipt_no"])
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", path, token: neighbourHandler.1,
                                           ["reported_at": "2026-11-02 10:40", "station": "城东派出所", "receipt_no": "JJ-1"]).status, 404)
        let made = try HTTPClient.json(port: t.port, "POST", path, token: worker.1,
                                       ["reported_at": "2026-11-02 10:40", "station": "城东派出所", "receipt_no": "JJ-1"])
        XCTAssertEqual(made.status, 204, made.text)
        XCTAssertEqual(try read(assault.id, worker).decode(LeadRead.self).tasks.map(\.state), ["done"])
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", path, token: worker.1,
                                           ["reported_at": "2026-11-02 10:40", "station": "城东派出所", "receipt_no": "JJ-1"]).status, 409)
        t.clock.value = Self.morning("2026-11-02").addingTimeInterval(2 * 3600)
        _ = try t.store.sweep()
        XCTAssertEqual(try notices(lead: assault.id), ["lead_direct_report/supervisors/t-c"], "made in time: nothing escalated")
    }

    func testBadInputListsEveryFieldAndWritesNothing() throws {
        let before = try t.count("SELECT count(*) AS n FROM leads")
        let r = try postLead([
            "kind": "quarrel", "source": "hotline", "summary": " ", "urgency": "now",
            "people": [["name": "", "relation": "cousin", "age": 200, "phone": "12"]],
        ], by: worker)
        XCTAssertEqual(r.status, 422, r.text)
        XCTAssertEqual(Set(r.errorFields), ["grid_id", "kind", "source_case_id", "summary", "urgency", "people[0].name",
                                            "people[0].relation", "people[0].age", "people[0].phone"])
        let checklist = try postLead(try leadBody(gridA, kind: "minor_in_danger", extra: ["risk_answers": ["weapon": true]]), by: worker)
        XCTAssertEqual(checklist.errorFields, ["risk_answers"])
        let unanswered = try postLead(try leadBody(gridA, kind: "domestic_violence", extra: ["risk_answers": ["weapon": true]]), by: worker)
        XCTAssertTrue(unanswered.errorFields.contains("risk_answers.threat_to_kill"), unanswered.text)
        // A household of another grid, a case she cannot read.
        let household = try HTTPClient.json(port: t.port, "POST", "/api/v1/households", token: villageChair.1, [
            "grid_id": try t.unitID(gridB), "address": "幸福村3组18号", "head_name": "王秀英", "categories": ["family_in_hardship"],
        ] as [String: Any]).decode(Created.self).id
        XCTAssertEqual(try postLead(try leadBody(gridA, extra: ["household_id": household]), by: worker).errorFields, ["household_id"])
        let cityOperator = try t.newOperator(role: .operator_, unit: "t-c")
        let call = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: cityOperator.1, Sample.call()).decode(Receipt.self)
        XCTAssertEqual(try postLead(try leadBody(gridA, extra: ["source": "hotline", "source_case_id": call.caseId]), by: worker).errorFields,
                       ["source_case_id"])
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM leads"), before, "nothing stored")
        // The city's staff can read the case: her lead from the call is taken (the grid is in her subtree).
        let fromCall = try postLead(try leadBody(gridA, extra: ["source": "hotline", "source_case_id": call.caseId]), by: cityOperator)
        XCTAssertEqual(fromCall.status, 201, fromCall.text)
        let ok = try postLead(try leadBody(gridB, extra: ["household_id": household]), by: villageChair)
        XCTAssertEqual(ok.status, 201, ok.text)
    }

    func testARetriedReportIsOneLead() throws {
        let body = try leadBody(gridA)
        let first = try postLead(body, by: worker, key: "lead-retry-1")
        let again = try postLead(body, by: worker, key: "lead-retry-1")
        XCTAssertEqual(first.status, 201); XCTAssertEqual(again.status, 201)
        XCTAssertEqual(try first.decode(LeadReceiptRead.self).id, try again.decode(LeadReceiptRead.self).id)
        XCTAssertEqual(again.header("Idempotent-Replayed"), "true")
        let id = try first.decode(LeadReceiptRead.self).id
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM grassroots_dues WHERE lead_id = \(id)"), 1)
        var other = body
        other["summary"] = "另一条线索"
        XCTAssertEqual(try postLead(other, by: worker, key: "lead-retry-1").status, 422)
    }
}
