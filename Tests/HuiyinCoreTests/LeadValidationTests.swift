import HuiyinCore
import XCTest

/// A lead's and a sitting's validation, and the reports a lead requires, without I/O.
final class LeadValidationTests: XCTestCase {
    func draft(kind: String = "family_dispute", people: [LeadPersonDraft] = [LeadPersonDraft(name: "王秀英")],
               answers: [String: Bool]? = nil) -> LeadDraft {
        LeadDraft(gridID: 7, kind: kind, source: "visit", summary: "  夫妻争吵  ", people: people, riskAnswers: answers)
    }

    func testAValidLeadIsTrimmedAndDefaulted() throws {
        let lead = try draft().validate().get()
        XCTAssertEqual(lead.summary, "夫妻争吵")
        XCTAssertEqual(lead.urgency, .normal)
        XCTAssertEqual(lead.people.map(\.role), [.victim])
        XCTAssertEqual(lead.mandatoryReports, [])
        XCTAssertFalse(lead.reportsDirectly)
    }

    func testEveryBadFieldIsNamed() {
        let bad = LeadDraft(kind: "quarrel", source: "petition", householdID: -1, summary: "", urgency: "now",
                            people: [LeadPersonDraft(role: "judge", name: "", phone: "12", relation: "cousin", age: 16, isMinor: false)])
        guard case .failure(let failure) = bad.validate() else { return XCTFail("accepted") }
        XCTAssertEqual(Set(failure.fields.map(\.field)), ["grid_id", "kind", "source_case_id", "household_id", "summary", "urgency",
                                                          "people[0].role", "people[0].name", "people[0].phone", "people[0].relation",
                                                          "people[0].is_minor"])
        let named = LeadDraft(gridID: 1, kind: "other", source: "visit", sourceCaseID: 3, summary: "x")
        guard case .failure(let extra) = named.validate() else { return XCTFail("accepted") }
        XCTAssertEqual(extra.fields.map(\.field), ["source_case_id"])
    }

    /// The cases' rules, applied to a lead: a minor's sexual assault; violence against a minor; a
    /// checklist answer that requires a report (and a minor victim answers the capacity question yes).
    func testTheMandatoryReportsFollowTheCasesRules() throws {
        XCTAssertEqual(try draft(kind: "minor_sexual_assault").validate().get().mandatoryReports, [.minorSexualAssault])
        XCTAssertEqual(try draft(kind: "domestic_violence").validate().get().mandatoryReports, [])
        let child = [LeadPersonDraft(name: "小明", age: 9)]
        XCTAssertEqual(try draft(kind: "domestic_violence", people: child).validate().get().mandatoryReports, [.violenceWithoutFullCapacity])
        XCTAssertEqual(try draft(kind: "domestic_violence", people: child).validate().get().mandatoryReports,
                       MandatoryReporting.reasons(category: .domesticViolence, victimIsMinor: true))
        XCTAssertEqual(try draft(kind: "family_dispute", people: child).validate().get().mandatoryReports, [],
                       "a family dispute about a child is not itself a report")
        var answers = Dictionary(uniqueKeysWithValues: RiskChecklist.federation.questions.map { ($0.id, false) })
        answers[RiskChecklist.victimWithoutFullCapacity] = true
        let capacity = try draft(kind: "domestic_violence", answers: answers).validate().get()
        XCTAssertEqual(capacity.mandatoryReports, [.violenceWithoutFullCapacity])
        XCTAssertTrue(capacity.reportsDirectly)
        answers[RiskChecklist.victimWithoutFullCapacity] = false
        answers["weapon"] = true
        let high = try draft(kind: "family_dispute", answers: answers).validate().get()
        XCTAssertEqual(high.assessment?.grade, .high)
        XCTAssertEqual(high.mandatoryReports, [])
        XCTAssertTrue(high.reportsDirectly, "a high danger grade goes to the city too")
        guard case .failure(let misfit) = draft(kind: "minor_in_danger", answers: answers).validate() else { return XCTFail("accepted") }
        XCTAssertEqual(misfit.fields.map(\.field), ["risk_answers"])
        guard case .failure(let partial) = draft(kind: "domestic_violence", answers: ["weapon": true, "pets": false]).validate() else {
            return XCTFail("accepted")
        }
        XCTAssertTrue(partial.fields.contains(FieldError("risk_answers.pets", "is not a question of the checklist")))
        XCTAssertTrue(partial.fields.contains { $0.field == "risk_answers.threat_to_kill" })
    }

    func testASittingsDecisionsAreCheckedOneByOne() throws {
        let today = LocalDate(iso: "2026-11-02")!
        let good = SittingDraft(heldOn: "2026-11-02", participants: [SittingParticipantDraft(name: "陈桂兰", role: "council_chair")],
                                decisions: [LeadDecisionDraft(leadID: 1, decision: "mediate_here", mediatorKind: "elder_mediator", mediatorName: "周大姐"),
                                            LeadDecisionDraft(leadID: 2, decision: "dispatch"),
                                            LeadDecisionDraft(leadID: 3, decision: "close", reason: "误报")])
        let sitting = try good.validate(today: today).get()
        XCTAssertEqual(sitting.decisions.map(\.detail), [.mediateHere(by: .elderMediator, mediatorName: "周大姐"), .dispatch(targetUnitID: nil),
                                                         .close(reason: "误报")])
        XCTAssertEqual(sitting.decisions.map(\.detail.kind.leadStatus), [.mediating, .dispatched, .closed])

        let bad = SittingDraft(heldOn: "2026-11-03", participants: [],
                               decisions: [LeadDecisionDraft(leadID: 1, decision: "close"),
                                           LeadDecisionDraft(leadID: 1, decision: "refer", referralKind: "priest"),
                                           LeadDecisionDraft(leadID: 2, decision: "mediate_here", mediatorKind: "uncle", mediatorName: "张",
                                                             reason: "x")])
        guard case .failure(let failure) = bad.validate(today: today) else { return XCTFail("accepted") }
        XCTAssertEqual(Set(failure.fields.map(\.field)), ["held_on", "participants", "decisions[0].reason", "decisions[1].lead_id",
                                                          "decisions[1].referral_kind", "decisions[1].referred_to",
                                                          "decisions[2].mediator_kind", "decisions[2].reason"])
    }
}
