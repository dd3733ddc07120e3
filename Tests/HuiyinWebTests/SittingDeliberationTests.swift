import Foundation
import HuiyinCore
import HuiyinStore
import Postgres
import TestSupport
import XCTest

private struct SittingRead: Decodable {
    struct Summary: Decodable { let id: Int; let villageId: Int; let heldOn: String; let participants: Int; let decisions: Int }
    struct Participant: Decodable { let name: String; let role: String }
    struct Decision: Decodable {
        let leadId: Int; let decision: String; let masked: Bool; let mediatorKind: String?; let mediatorName: String?
        let targetUnitId: Int?; let caseId: Int?; let reason: String?
    }
    let sitting: Summary
    let participants: [Participant]
    let decisions: [Decision]
}
private struct SittingRows: Decodable { let sittings: [SittingRead.Summary] }

/// The women's council's sittings (议事研判) against the real database: every kind of decision and what it
/// starts, the bad sittings refused whole, and the 7-day escalation of a lead nobody deliberated.
final class SittingDeliberationTests: GrassrootsFixture {
    let participants: [[String: Any]] = [["name": "陈桂兰", "role": "council_chair"], ["name": "周大姐", "role": "mediator"]]

    func sit(_ decisions: [[String: Any]], village: String? = nil, heldOn: String = "2026-11-02",
             by who: (StaffUser, String)? = nil) throws -> HTTPResult {
        try HTTPClient.json(port: t.port, "POST", "/api/v1/villages/\(try t.unitID(village ?? self.village))/sittings",
                            token: (who ?? villageChair).1,
                            ["held_on": heldOn, "participants": participants, "decisions": decisions] as [String: Any])
    }

    func status(_ lead: Int) throws -> String {
        try t.store.pool.withConnection { try $0.query("SELECT status FROM leads WHERE id = \(Int64(lead))").first!.decode("status") }
    }

    func openDues(_ lead: Int) throws -> Int {
        try t.count("SELECT count(*) AS n FROM grassroots_dues WHERE lead_id = \(lead) AND met_at IS NULL")
    }

    func testEachDecisionKindAndWhatItStarts() throws {
        let leads = try (0..<6).map { _ in try addLead(gridA, by: worker).id }
        let r = try sit([
            ["lead_id": leads[0], "decision": "mediate_here", "mediator_kind": "elder_mediator", "mediator_name": "周大姐"],
            ["lead_id": leads[1], "decision": "refer", "referral_kind": "legal_aid", "referred_to": "县法律援助中心"],
            ["lead_id": leads[2], "decision": "dispatch", "risk_grade": "medium"],
            ["lead_id": leads[3], "decision": "open_case", "note": "当事人要求书面答复"],
            ["lead_id": leads[4], "decision": "report_police"],
            ["lead_id": leads[5], "decision": "close", "reason": "经核实系误报"],
        ])
        XCTAssertEqual(r.status, 201, r.text)
        let sittingID = try r.decode(Created.self).id
        XCTAssertEqual(try leads.map(status), ["mediating", "referred", "dispatched", "case_opened", "reported_to_police", "closed"])
        XCTAssertEqual(try leads.map(openDues), [0, 0, 1, 0, 0, 0], "each decision meets the lead's deliberation due; the dispatch opens its signing due")
        // dispatch: the council's grade is the lead's, and the township has a dispatch to sign.
        XCTAssertEqual(try t.count("""
            SELECT count(*) AS n FROM leads l JOIN lead_dispatches d ON d.lead_id = l.id
            WHERE l.id = \(leads[2]) AND l.risk_grade = 'medium' AND d.to_unit_id = \(try t.unitID(township)) AND d.signed_at IS NULL
            """), 1)

        // open_case: a petition case through the intake's path, with its acceptance clock running.
        let opened = try read(leads[3], villageChair).decode(LeadRead.self)
        let caseID = try XCTUnwrap(opened.caseId)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM cases WHERE id = \(caseID) AND category = 'marriage_family' AND unit_id = \(try t.unitID(village))"), 1)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM clocks WHERE case_id = \(caseID) AND kind = 'acceptance' AND state = 'running'"), 1)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM contacts WHERE case_id = \(caseID) AND channel = 'visit'"), 1)
        // report_police: a police-report task, as a case has.
        XCTAssertEqual(try read(leads[4], villageChair).decode(LeadRead.self).tasks.map(\.kind), ["police_report"])

        let sitting = try HTTPClient.get(port: t.port, "/api/v1/sittings/\(sittingID)", token: villageChair.1).decode(SittingRead.self)
        XCTAssertEqual(sitting.participants.map(\.name), ["陈桂兰", "周大姐"])
        XCTAssertEqual(sitting.decisions.map(\.decision), ["mediate_here", "refer", "dispatch", "open_case", "report_police", "close"])
        XCTAssertEqual(sitting.decisions[0].mediatorKind, "elder_mediator")
        XCTAssertEqual(sitting.decisions[2].targetUnitId, Int(try t.unitID(township)), "dispatched to the township above by default")
        XCTAssertEqual(sitting.decisions[3].caseId, caseID)
        XCTAssertEqual(sitting.decisions[5].reason, "经核实系误报")
        let listed = try HTTPClient.get(port: t.port, "/api/v1/villages/\(try t.unitID(village))/sittings", token: townshipHandler.1)
        XCTAssertEqual(try listed.decode(SittingRows.self).sittings.map(\.id), [sittingID])
        XCTAssertEqual(try listed.decode(SittingRows.self).sittings.first?.decisions, 6)
        // Out of scope: the neighbour sees neither the list nor the sitting.
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/villages/\(try t.unitID(village))/sittings", token: neighbourHandler.1).status, 404)
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/sittings/\(sittingID)", token: neighbourHandler.1).status, 404)
        // The agenda no longer holds them.
        XCTAssertEqual(try list(villageChair, "?status=open").map(\.id), [])
    }

    func testADecisionOnASealedLeadKeepsItsTextFromThoseOutsideTheSeal() throws {
        let sealed = try addLead(gridA, by: worker, kind: "domestic_violence").id
        let id = try sit([["lead_id": sealed, "decision": "close", "reason": "当事人已搬离本村", "note": "电话回访两次"]]).decode(Created.self).id
        let chairs = try HTTPClient.get(port: t.port, "/api/v1/sittings/\(id)", token: villageChair.1).decode(SittingRead.self)
        XCTAssertEqual(chairs.decisions.map(\.decision), ["close"])
        XCTAssertEqual(chairs.decisions.map(\.masked), [true])
        XCTAssertNil(chairs.decisions[0].reason)
        let above = try HTTPClient.get(port: t.port, "/api/v1/sittings/\(id)", token: countySupervisor.1).decode(SittingRead.self)
        XCTAssertEqual(above.decisions[0].reason, "当事人已搬离本村")
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/sittings/\(id)", token: worker.1).decode(SittingRead.self).decisions[0].reason,
                       "当事人已搬离本村", "the grid's worker is inside the seal")
    }

    func testADispatchTargetMustBeAFederationAboveTheVillage() throws {
        let lead = try addLead(gridA, by: worker).id
        let wrong = try sit([["lead_id": lead, "decision": "dispatch", "target_unit_id": try t.unitID(neighbourVillage)]])
        XCTAssertEqual(wrong.status, 422, wrong.text)
        XCTAssertEqual(wrong.errorFields, ["decisions[0].target_unit_id"])
        XCTAssertEqual(try status(lead), "open")
        let ungraded = try sit([["lead_id": lead, "decision": "dispatch", "target_unit_id": try t.unitID(self.county)]])
        XCTAssertEqual(ungraded.errorFields, ["decisions[0].risk_grade"], "only a medium- or high-risk dispute is dispatched")
        XCTAssertEqual(try status(lead), "open")
        let badGrade = try sit([["lead_id": lead, "decision": "dispatch", "risk_grade": "severe"]])
        XCTAssertEqual(badGrade.errorFields, ["decisions[0].risk_grade"])
        let county = try sit([["lead_id": lead, "decision": "dispatch", "target_unit_id": try t.unitID(self.county), "risk_grade": "high"]])
        XCTAssertEqual(county.status, 201, county.text)
    }

    func testBadSittingsChangeNothing() throws {
        let lead = try addLead(gridA, by: worker).id
        let other = try addLead(gridB, by: officer).id
        let theirs = try addLead(neighbourGrid, by: neighbourWorker).id
        let sittingsBefore = try t.count("SELECT count(*) AS n FROM sittings")

        // A lead of another village: 422 naming it, nothing of the sitting stored (not even the other decision).
        let foreign = try sit([["lead_id": lead, "decision": "close", "reason": "已调解"], ["lead_id": theirs, "decision": "close", "reason": "x"]])
        XCTAssertEqual(foreign.status, 422, foreign.text)
        XCTAssertEqual(foreign.errorFields, ["decisions[1].lead_id"])
        XCTAssertEqual(try status(lead), "open"); XCTAssertEqual(try openDues(lead), 1)
        // Decided twice in one sitting; held in the future; a close without a reason; an unknown mediator.
        XCTAssertEqual(try sit([["lead_id": lead, "decision": "close", "reason": "a"], ["lead_id": lead, "decision": "refer",
                                 "referral_kind": "lawyer", "referred_to": "某律所"]]).errorFields, ["decisions[1].lead_id"])
        XCTAssertEqual(try sit([["lead_id": lead, "decision": "close", "reason": "a"]], heldOn: "2026-11-03").errorFields, ["held_on"])
        XCTAssertEqual(try sit([["lead_id": lead, "decision": "close"]]).errorFields, ["decisions[0].reason"])
        XCTAssertEqual(try sit([["lead_id": lead, "decision": "mediate_here", "mediator_kind": "uncle", "mediator_name": "张"]]).errorFields,
                       ["decisions[0].mediator_kind"])
        let everything = try HTTPClient.json(port: t.port, "POST", "/api/v1/villages/\(try t.unitID(village))/sittings", token: villageChair.1,
                                             ["held_on": "someday", "participants": [["name": "", "role": "boss"]],
                                              "decisions": [["decision": "vote"]]] as [String: Any])
        XCTAssertEqual(everything.status, 422)
        XCTAssertEqual(Set(everything.errorFields), ["held_on", "participants[0].name", "participants[0].role", "decisions[0].lead_id",
                                                     "decisions[0].decision"])
        // Not her village: 404; a grid worker does not record the council's sitting: 403.
        XCTAssertEqual(try sit([["lead_id": theirs, "decision": "close", "reason": "a"]], village: neighbourVillage).status, 404)
        XCTAssertEqual(try sit([["lead_id": lead, "decision": "close", "reason": "a"]], by: worker).status, 403)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM sittings"), sittingsBefore)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM lead_decisions WHERE lead_id IN (\(lead), \(other), \(theirs))"), 0)

        // Decided once; another sitting may not decide it again (409), and changes nothing.
        XCTAssertEqual(try sit([["lead_id": lead, "decision": "mediate_here", "mediator_kind": "mediation_committee", "mediator_name": "村调委会"]]).status, 201)
        let again = try sit([["lead_id": other, "decision": "close", "reason": "a"], ["lead_id": lead, "decision": "close", "reason": "重复"]])
        XCTAssertEqual(again.status, 409, again.text)
        XCTAssertEqual(again.errorBody?.code, "lead_already_decided")
        XCTAssertEqual(try status(lead), "mediating"); XCTAssertEqual(try status(other), "open")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM sittings"), sittingsBefore + 1)
    }

    /// A lead reported on Monday 2 November, nobody deliberates it: nothing reaches the township through
    /// its due day (the 9th); on the 10th its supervisors have one notification, however often it sweeps.
    /// A lead the council deliberated on the 4th never escalates.
    func testALeadNotDeliberatedWithinTheWeekEscalatesToTheTownship() throws {
        let forgotten = try addLead(gridA, by: worker)
        let deliberated = try addLead(gridA, by: worker)
        XCTAssertEqual(forgotten.deliberationDueOn, "2026-11-09")
        func townshipNotices(_ lead: LeadReceiptRead) throws -> [String] {
            try notices(lead: lead.id).filter { $0.hasSuffix("/supervisors/\(township)") }
        }
        for day in 3...9 {
            t.clock.value = Self.morning(String(format: "2026-11-%02d", day))
            if day == 4 {
                XCTAssertEqual(try sit([["lead_id": deliberated.id, "decision": "mediate_here", "mediator_kind": "elder_mediator",
                                         "mediator_name": "周大姐"]], heldOn: "2026-11-04").status, 201)
            }
            _ = try t.store.sweep()
            XCTAssertEqual(try townshipNotices(forgotten), [], "day \(day): not yet overdue")
        }
        t.clock.value = Self.morning("2026-11-10")
        _ = try t.store.sweep()
        _ = try t.store.sweep()
        XCTAssertEqual(try townshipNotices(forgotten), ["deliberation_overdue/supervisors/\(township)"])
        XCTAssertEqual(try notices(lead: deliberated.id), [], "a deliberated lead is never warned nor escalated")
        // The township's supervisor finds it among her notifications' subjects: the lead is in her scope.
        XCTAssertEqual(try read(forgotten.id, townshipSupervisor).status, 200)
    }
}
