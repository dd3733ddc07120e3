import Foundation
import HuiyinCore
@testable import HuiyinStore
import Postgres
import TestSupport
import XCTest

private struct UnitRefRead: Decodable { let id: Int; let name: String }
private struct DispatchRead: Decodable {
    let id: Int
    let leadId: Int
    let state: String
    let summary: String?
    let fromUnit: UnitRefRead
    let toUnit: UnitRefRead
    let signDueOn: String
    let daysLeft: Int?
    let objectionReason: String?
}
private struct DispatchRows: Decodable { let dispatches: [DispatchRead] }
private struct NoteRead: Decodable { let note: String }
private struct OutcomeRead: Decodable { let result: String; let nextStep: String?; let referredTo: String? }
private struct DispatchPageRead: Decodable { let dispatch: DispatchRead; let notes: [NoteRead]; let outcome: OutcomeRead? }
private struct FigureRow: Decodable {
    let unit: UnitRefRead
    let dispatched: Int, signedOnTime: Int, signedLate: Int, objected: Int, settled: Int, notSettled: Int, referred: Int, open: Int
}
private struct FigureRows: Decodable { let from: String; let to: String; let units: [FigureRow] }

/// A place in the grassroots tree with its people, shared by the dispatch and follow-up tests: a
/// county, a township, a village and a grid, and a neighbouring township with its own village.
struct GrassrootsPlace {
    let t: TestApp
    let county: String, township: String, village: String, grid: String
    let neighbourTownship: String, neighbourVillage: String
    let villageChair: (StaffUser, String), townshipHandler: (StaffUser, String), countySupervisor: (StaffUser, String)
    let neighbourHandler: (StaffUser, String), neighbourChair: (StaffUser, String), worker: (StaffUser, String)

    init(_ t: TestApp) throws {
        self.t = t
        county = try t.newUnit("county", under: "t-c")
        township = try t.newUnit("township", under: county)
        village = try t.newUnit("village", under: township)
        grid = try t.newUnit("grid", under: village)
        neighbourTownship = try t.newUnit("township", under: county)
        neighbourVillage = try t.newUnit("village", under: neighbourTownship)
        villageChair = try t.newOperator(role: .handler, unit: village)
        townshipHandler = try t.newOperator(role: .handler, unit: township)
        countySupervisor = try t.newOperator(role: .supervisor, unit: county)
        neighbourHandler = try t.newOperator(role: .handler, unit: neighbourTownship)
        neighbourChair = try t.newOperator(role: .handler, unit: neighbourVillage)
        worker = try t.newOperator(role: .gridWorker, unit: grid)
    }

    /// A lead put straight into the table (its creation through the API is another part's work).
    func lead(risk: String?, status: String = "open", kind: String = "family_dispute", householdID: Int? = nil,
              reportedAt: String? = nil, summary: String = "夫妻多次争吵，邻里反映") throws -> Int64 {
        let (gridID, villageID) = (try t.unitID(grid), try t.unitID(village))
        let at = reportedAt.map { ISO8601DateFormatter().date(from: $0 + "T02:00:00Z")! } ?? t.clock.value
        return try t.store.pool.withConnection { db in
            try db.query("""
                INSERT INTO leads (grid_id, village_id, kind, source, household_id, summary, risk_grade, status,
                                   reported_by, reported_at, updated_at)
                VALUES (\(gridID), \(villageID), \(kind), 'grid_report', \(householdID.map(Int64.init)), \(summary), \(risk),
                        \(status), \(worker.0.id), \(at), \(at))
                RETURNING id
                """).first!.decode("id", as: Int64.self)
        }
    }

    func leadRow(_ id: Int64) throws -> (status: String, risk: String?) {
        try t.store.pool.withConnection { db in
            let row = try db.query("SELECT status, risk_grade FROM leads WHERE id = \(id)").first!
            return (try row.decode("status"), try row.decode("risk_grade"))
        }
    }

    /// Open dues about a lead as `kind/unit code/due day`, nearest first.
    func openDues(_ leadID: Int64) throws -> [String] {
        try t.store.pool.withConnection { db in
            try db.query("""
                SELECT d.kind || '/' || u.code || '/' || d.due_on AS line FROM grassroots_dues d JOIN units u ON u.id = d.unit_id
                WHERE d.lead_id = \(leadID) AND d.met_at IS NULL ORDER BY d.due_on, d.id
                """).rows.map { try $0.decode("line", as: String.self) }
        }
    }

    /// Notifications about a lead as `kind/audience/unit code`, in order.
    func notices(_ leadID: Int64) throws -> [String] {
        try t.store.pool.withConnection { db in
            try db.query("""
                SELECT n.kind || '/' || n.audience || '/' || u.code AS line FROM notifications n JOIN units u ON u.id = n.unit_id
                WHERE n.lead_id = \(leadID) ORDER BY n.id
                """).rows.map { try $0.decode("line", as: String.self) }
        }
    }

    func post(_ path: String, _ who: (StaffUser, String), _ body: [String: Any] = [:]) throws -> HTTPResult {
        try HTTPClient.json(port: t.port, "POST", path, token: who.1, body)
    }

    func get(_ path: String, _ who: (StaffUser, String)) throws -> HTTPResult {
        try HTTPClient.get(port: t.port, path, token: who.1)
    }

    func dispatch(_ leadID: Int64, to unit: String, by who: (StaffUser, String)? = nil) throws -> HTTPResult {
        try post("/api/v1/leads/\(leadID)/dispatch", who ?? villageChair, ["unit_id": try t.unitID(unit), "note": "中风险，请镇妇联调处"])
    }
}

/// Dispatch (派单) against the real database: only medium- and high-risk disputes, only to the
/// township or county above the village; the receiving federation signs or objects (back to the
/// village, which may dispatch again); an unsigned dispatch is escalated by the sweep day by day;
/// progress, outcome and the per-unit figures; a neighbouring township sees nothing.
final class LeadDispatchTests: XCTestCase {
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

    func dispatchCount(_ leadID: Int64) throws -> Int {
        try t.store.pool.withConnection { db in
            try db.query("SELECT count(*) AS n FROM lead_dispatches WHERE lead_id = \(leadID)").first!.decode("n", as: Int.self)
        }
    }

    func testOnlyMediumOrHighRiskDisputesGoOnlyToTheTownshipOrCountyAbove() throws {
        let low = try p.lead(risk: "low")
        var r = try p.dispatch(low, to: p.township)
        XCTAssertEqual(r.status, 422, r.text)
        XCTAssertEqual(r.errorFields, ["risk_grade"])
        XCTAssert(r.text.contains("medium- or high-risk"), r.text)
        let ungraded = try p.lead(risk: nil)
        XCTAssertEqual(try p.dispatch(ungraded, to: p.township).errorFields, ["risk_grade"])

        let medium = try p.lead(risk: "medium")
        for wrong in [p.neighbourTownship, p.village, p.grid, "t-c"] {
            r = try p.dispatch(medium, to: wrong)
            XCTAssertEqual(r.status, 422, "\(wrong): \(r.text)")
            XCTAssertEqual(r.errorFields, ["unit_id"])
        }
        r = try p.post("/api/v1/leads/\(medium)/dispatch", p.villageChair, ["note": "x", "colour": "red"])
        XCTAssertEqual(r.status, 422)
        XCTAssertEqual(Set(r.errorFields), ["unit_id", "colour"])
        XCTAssertEqual(try p.dispatch(medium, to: p.township, by: p.townshipHandler).status, 403, "the township does not dispatch the village's lead")
        XCTAssertEqual(try p.dispatch(medium, to: p.township, by: p.worker).status, 403, "a grid worker does not dispatch")
        XCTAssertEqual(try p.dispatch(medium, to: p.neighbourTownship, by: p.neighbourChair).status, 404, "another village's lead is not there")
        XCTAssertEqual(try p.dispatch(999_999_999, to: p.township).status, 404)
        XCTAssertEqual(try dispatchCount(low) + dispatchCount(ungraded) + dispatchCount(medium), 0, "refused: nothing stored")
        XCTAssertEqual(try p.leadRow(medium).status, "open")
        XCTAssertEqual(try p.openDues(medium), [])

        let villageID = try t.unitID(p.village)
        try t.store.pool.withConnection { db in
            try db.transaction { tx in
                _ = try Store.openDue(tx, kind: .deliberation, unitID: villageID, leadID: medium, dueOn: LocalDate(iso: "2026-11-12")!,
                                      at: Self.morning("2026-11-05"))
            }
        }
        r = try p.dispatch(medium, to: p.township)
        XCTAssertEqual(r.status, 201, r.text)
        XCTAssertEqual(try p.leadRow(medium).status, "dispatched")
        XCTAssertEqual(try p.openDues(medium), ["dispatch_sign/\(p.township)/2026-11-10"],
                       "three working days after Thursday: Tuesday; dispatching meets the deliberation due")
        XCTAssertEqual(try p.dispatch(medium, to: p.county).status, 409, "one live dispatch at a time")

        let high = try p.lead(risk: "high", status: "mediating")
        XCTAssertEqual(try p.dispatch(high, to: p.county).status, 201, "a high-risk dispute may go to the county federation")
        let settled = try p.lead(risk: "high", status: "settled")
        XCTAssertEqual(try p.dispatch(settled, to: p.county).status, 409)
    }

    func testTheTownshipSignsOrObjectsAndTheVillageDispatchesAgain() throws {
        let lead = try p.lead(risk: "medium")
        let id = try p.dispatch(lead, to: p.township).decode(Created.self).id

        let toSign = try p.get("/api/v1/dispatches?view=to_sign", p.townshipHandler).decode(DispatchRows.self).dispatches
        XCTAssertEqual(toSign.map(\.id), [id])
        XCTAssertEqual(toSign.first?.daysLeft, 3)
        XCTAssertEqual(toSign.first?.summary, "夫妻多次争吵，邻里反映")
        XCTAssertEqual(try p.get("/api/v1/dispatches?view=to_sign", p.villageChair).decode(DispatchRows.self).dispatches.count, 0,
                       "the village sent it; it is not the village's to sign")
        XCTAssertEqual(try p.get("/api/v1/dispatches", p.villageChair).decode(DispatchRows.self).dispatches.map(\.id), [id])
        XCTAssertEqual(try p.get("/api/v1/dispatches", p.countySupervisor).decode(DispatchRows.self).dispatches.map(\.id), [id])
        // The neighbouring township sees nothing of it.
        XCTAssertEqual(try p.get("/api/v1/dispatches", p.neighbourHandler).decode(DispatchRows.self).dispatches.map(\.id), [])
        XCTAssertEqual(try p.get("/api/v1/dispatches/\(id)", p.neighbourHandler).status, 404)
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(id)/sign", p.neighbourHandler).status, 404)
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(id)/object", p.neighbourHandler, ["reason": "x"]).status, 404)
        XCTAssertEqual(try p.get("/api/v1/dispatches?view=later", p.townshipHandler).errorFields, ["view"])
        // Only the receiving federation signs; an objection needs its reason.
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(id)/sign", p.villageChair).status, 403)
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(id)/sign", p.countySupervisor).status, 403)
        var r = try p.post("/api/v1/dispatches/\(id)/object", p.townshipHandler, ["reason": "  "])
        XCTAssertEqual(r.status, 422)
        XCTAssertEqual(r.errorFields, ["reason"])
        XCTAssertEqual(try p.leadRow(lead).status, "dispatched", "refused: unchanged")

        r = try p.post("/api/v1/dispatches/\(id)/object", p.townshipHandler, ["reason": "当事人户籍在邻镇，应由邻镇调处"])
        XCTAssertEqual(r.status, 204, r.text)
        XCTAssertEqual(try p.leadRow(lead).status, "open", "back to the village")
        XCTAssertEqual(try p.openDues(lead), ["deliberation/\(p.village)/2026-11-12"],
                       "the objection meets the signing due; the council deliberates it again within 7 days")
        XCTAssertEqual(try p.notices(lead).last, "dispatch_objected/handlers/\(p.village)")
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(id)/sign", p.townshipHandler).status, 409, "an objected dispatch is not signed")
        let page = try p.get("/api/v1/dispatches/\(id)", p.villageChair).decode(DispatchPageRead.self)
        XCTAssertEqual(page.dispatch.state, "objected")
        XCTAssertEqual(page.dispatch.objectionReason, "当事人户籍在邻镇，应由邻镇调处")
        XCTAssertNil(page.dispatch.daysLeft)

        let again = try p.dispatch(lead, to: p.county).decode(Created.self).id
        XCTAssertNotEqual(again, id)
        XCTAssertEqual(try p.openDues(lead), ["dispatch_sign/\(p.county)/2026-11-10"])
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(again)/sign", p.townshipHandler).status, 403, "now the county's to sign")
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(again)/sign", p.countySupervisor, ["at": "now"]).status, 422, "no unknown members")
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(again)/sign", p.countySupervisor).status, 204)
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(again)/sign", p.countySupervisor).status, 409, "signed once")
        XCTAssertEqual(try p.openDues(lead), [])
        XCTAssertEqual(try p.leadRow(lead).status, "dispatched")
    }

    func testAnUnsignedDispatchIsEscalatedDayByDayAndSignedLateCounts() throws {
        let lead = try p.lead(risk: "high")
        let id = try p.dispatch(lead, to: p.township).decode(Created.self).id
        let received = "dispatch_received/handlers/\(p.township)"
        for day in ["2026-11-06", "2026-11-07", "2026-11-08"] {
            t.clock.value = Self.morning(day)
            _ = try t.store.sweep()
            XCTAssertEqual(try p.notices(lead), [received], "\(day): not yet")
        }
        t.clock.value = Self.morning("2026-11-09")
        _ = try t.store.sweep()
        _ = try t.store.sweep()
        XCTAssertEqual(try p.notices(lead), [received, "dispatch_sign_due_soon/handlers/\(p.township)"], "warned the day before, once")
        t.clock.value = Self.morning("2026-11-10")
        _ = try t.store.sweep()
        XCTAssertEqual(try p.notices(lead).count, 2, "the signing day itself is not late")
        XCTAssertEqual(try p.get("/api/v1/dispatches?view=to_sign", p.townshipHandler).decode(DispatchRows.self).dispatches.first?.daysLeft, 0)
        t.clock.value = Self.morning("2026-11-11")
        _ = try t.store.sweep()
        _ = try t.store.sweep()
        XCTAssertEqual(try p.notices(lead).sorted(), [received, "dispatch_sign_due_soon/handlers/\(p.township)",
                                                     "dispatch_sign_overdue/handlers/\(p.township)",
                                                     "dispatch_sign_overdue/supervisors/\(p.county)"].sorted(),
                       "past its day: the township and the county above are told, once")
        XCTAssertEqual(try p.get("/api/v1/dispatches?view=to_sign", p.townshipHandler).decode(DispatchRows.self).dispatches.first?.daysLeft, -1)
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(id)/sign", p.townshipHandler).status, 204)
        t.clock.value = Self.morning("2026-11-20")
        _ = try t.store.sweep()
        XCTAssertEqual(try p.notices(lead).count, 4, "signed: nothing more")
        let figures = try p.get("/api/v1/dispatches/figures?from=2026-11-01&to=2026-11-30", p.countySupervisor).decode(FigureRows.self)
        let township = try XCTUnwrap(figures.units.first { $0.unit.id == Int(try t.unitID(p.township)) })
        XCTAssertEqual([township.dispatched, township.signedOnTime, township.signedLate, township.open], [1, 0, 1, 1])
    }

    func testProgressOutcomeAndFiguresPerReceivingUnit() throws {
        let settledLead = try p.lead(risk: "medium")
        let settledID = try p.dispatch(settledLead, to: p.township).decode(Created.self).id
        let openLead = try p.lead(risk: "medium")
        _ = try p.dispatch(openLead, to: p.township)
        let objectedLead = try p.lead(risk: "high")
        let objectedID = try p.dispatch(objectedLead, to: p.county).decode(Created.self).id
        let notSettledLead = try p.lead(risk: "high")
        let notSettledID = try p.dispatch(notSettledLead, to: p.county).decode(Created.self).id

        XCTAssertEqual(try p.post("/api/v1/dispatches/\(settledID)/notes", p.townshipHandler, ["note": "已约谈双方"]).status, 409,
                       "progress is recorded after signing")
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(settledID)/outcome", p.townshipHandler, ["result": "settled"]).status, 409)
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(settledID)/sign", p.townshipHandler).status, 204)
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(settledID)/notes", p.townshipHandler, ["note": " "]).errorFields, ["note"])
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(settledID)/notes", p.villageChair, ["note": "x"]).status, 403)
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(settledID)/notes", p.townshipHandler, ["note": "已约谈双方"]).status, 204)
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(settledID)/notes", p.townshipHandler, ["note": "律师、老舅妈调解员上门调解"]).status, 204)
        // Bad outcomes: each named, nothing changes.
        var r = try p.post("/api/v1/dispatches/\(settledID)/outcome", p.townshipHandler, ["result": "not_settled"])
        XCTAssertEqual(r.status, 422)
        XCTAssertEqual(r.errorFields, ["next_step"])
        r = try p.post("/api/v1/dispatches/\(settledID)/outcome", p.townshipHandler, ["result": "referred"])
        XCTAssertEqual(r.errorFields, ["referred_to"])
        r = try p.post("/api/v1/dispatches/\(settledID)/outcome", p.townshipHandler, ["result": "done", "note": 3])
        XCTAssertEqual(Set(r.errorFields), ["result", "note"])
        XCTAssertEqual(try p.leadRow(settledLead).status, "dispatched")
        XCTAssertEqual(try p.openDues(settledLead), [])

        r = try p.post("/api/v1/dispatches/\(settledID)/outcome", p.townshipHandler, ["result": "settled", "note": "双方达成和解"])
        XCTAssertEqual(r.status, 204, r.text)
        XCTAssertEqual(try p.leadRow(settledLead).status, "settled")
        XCTAssertEqual(try p.openDues(settledLead).count, 3, "followed up at 1, 3 and 6 months")
        XCTAssert(try p.openDues(settledLead).allSatisfy { $0.hasPrefix("follow_up/\(p.village)/") }, "owed by the village")
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(settledID)/outcome", p.townshipHandler, ["result": "settled"]).status, 409, "once")
        let page = try p.get("/api/v1/dispatches/\(settledID)", p.villageChair).decode(DispatchPageRead.self)
        XCTAssertEqual(page.dispatch.state, "settled")
        XCTAssertEqual(page.notes.map(\.note), ["已约谈双方", "律师、老舅妈调解员上门调解"])
        XCTAssertEqual(page.outcome?.result, "settled")

        XCTAssertEqual(try p.post("/api/v1/dispatches/\(objectedID)/object", p.countySupervisor, ["reason": "应由镇妇联调处"]).status, 204)
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(notSettledID)/sign", p.countySupervisor).status, 204)
        r = try p.post("/api/v1/dispatches/\(notSettledID)/outcome", p.countySupervisor,
                       ["result": "not_settled", "next_step": "建议申请人身安全保护令并引导诉讼"])
        XCTAssertEqual(r.status, 204, r.text)
        XCTAssertEqual(try p.leadRow(notSettledLead).status, "open", "not settled: back on the village's agenda")
        XCTAssertEqual(try p.notices(notSettledLead).last, "mediation_not_settled/handlers/\(p.village)")
        XCTAssertEqual(try p.openDues(notSettledLead), ["deliberation/\(p.village)/2026-11-12"])

        let figures = try p.get("/api/v1/dispatches/figures?from=2026-11-01&to=2026-11-05", p.countySupervisor).decode(FigureRows.self)
        func row(_ unit: String) throws -> [Int] {
            let f = try XCTUnwrap(figures.units.first { $0.unit.id == Int(try t.unitID(unit)) })
            return [f.dispatched, f.signedOnTime, f.signedLate, f.objected, f.settled, f.notSettled, f.referred, f.open]
        }
        XCTAssertEqual(figures.units.count, 2)
        XCTAssertEqual(try row(p.township), [2, 1, 0, 0, 1, 0, 0, 1])
        XCTAssertEqual(try row(p.county), [2, 1, 0, 1, 0, 1, 0, 0])
        let townshipView = try p.get("/api/v1/dispatches/figures?from=2026-11-01&to=2026-11-05", p.townshipHandler).decode(FigureRows.self)
        XCTAssertEqual(townshipView.units.map(\.unit.id), [Int(try t.unitID(p.township))], "the township sees its own row")
        XCTAssertEqual(try p.get("/api/v1/dispatches/figures", p.neighbourHandler).decode(FigureRows.self).units.count, 0)
        XCTAssertEqual(try p.get("/api/v1/dispatches/figures?from=2026-11-01&to=2026-11-04", p.countySupervisor)
                        .decode(FigureRows.self).units.count, 0, "sent on the 5th: outside the period")
        r = try p.get("/api/v1/dispatches/figures?from=2026-11-31&to=2026-11-01&unit=1", p.countySupervisor)
        XCTAssertEqual(r.status, 422)
        XCTAssertEqual(Set(r.errorFields), ["from", "unit"])
        XCTAssertEqual(try p.get("/api/v1/dispatches/figures?from=2026-11-05&to=2026-11-01", p.countySupervisor).errorFields, ["to"])
    }

    func testTheVillageRecordsTheOutcomeOfItsOwnMediation() throws {
        let open = try p.lead(risk: "low")
        XCTAssertEqual(try p.post("/api/v1/leads/\(open)/mediation-outcome", p.villageChair, ["result": "settled"]).status, 409,
                       "only a lead being mediated in the village")
        let mediating = try p.lead(risk: "low", status: "mediating")
        XCTAssertEqual(try p.post("/api/v1/leads/\(mediating)/mediation-outcome", p.neighbourChair, ["result": "settled"]).status, 404)
        XCTAssertEqual(try p.post("/api/v1/leads/\(mediating)/mediation-outcome", p.townshipHandler, ["result": "settled"]).status, 403)
        let r = try p.post("/api/v1/leads/\(mediating)/mediation-outcome", p.villageChair, ["result": "referred"])
        XCTAssertEqual(r.errorFields, ["referred_to"])
        XCTAssertEqual(try p.leadRow(mediating).status, "mediating")
        XCTAssertEqual(try p.post("/api/v1/leads/\(mediating)/mediation-outcome", p.villageChair,
                                  ["result": "referred", "referred_to": "镇人民调解委员会"]).status, 204)
        XCTAssertEqual(try p.leadRow(mediating).status, "referred")
        XCTAssertEqual(try p.openDues(mediating), [], "referred on: not followed here")
    }

    func testASealedLeadsSummaryShowsOnlyToTheTwoUnitsAtWork() throws {
        let lead = try p.lead(risk: "high", kind: "domestic_violence", summary: "丈夫多次殴打妻子")
        let id = try p.dispatch(lead, to: p.township).decode(Created.self).id
        XCTAssertEqual(try p.get("/api/v1/dispatches/\(id)", p.townshipHandler).decode(DispatchPageRead.self).dispatch.summary, "丈夫多次殴打妻子")
        XCTAssertEqual(try p.get("/api/v1/dispatches/\(id)", p.villageChair).decode(DispatchPageRead.self).dispatch.summary, "丈夫多次殴打妻子")
        XCTAssertNil(try p.get("/api/v1/dispatches/\(id)", p.countySupervisor).decode(DispatchPageRead.self).dispatch.summary)
        XCTAssertNil(try p.get("/api/v1/dispatches", p.countySupervisor).decode(DispatchRows.self).dispatches.first?.summary)
    }
}
