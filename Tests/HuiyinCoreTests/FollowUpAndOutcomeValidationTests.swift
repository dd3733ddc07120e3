import HuiyinCore
import XCTest

/// The grassroots forms' rules without I/O: an outcome says what next when not settled and to whom when
/// referred; a follow-up is dated, not in the future; a recurrence raises the risk one grade.
final class FollowUpAndOutcomeValidationTests: XCTestCase {
    let today = LocalDate(iso: "2026-11-05")!

    func fields<T>(_ result: Result<T, ValidationFailure>) -> [String] {
        if case .failure(let failure) = result { return failure.fields.map(\.field) }
        return []
    }

    func testAnOutcomeNamesWhatItNeeds() throws {
        XCTAssertEqual(fields(MediationOutcomeDraft().validate()), ["result"])
        XCTAssertEqual(fields(MediationOutcomeDraft(result: "not_settled", nextStep: "   ").validate()), ["next_step"])
        XCTAssertEqual(fields(MediationOutcomeDraft(result: "referred").validate()), ["referred_to"])
        XCTAssertEqual(fields(MediationOutcomeDraft(result: "settled", note: String(repeating: "字", count: 2001)).validate()), ["note"])
        let referred = try MediationOutcomeDraft(result: "referred", nextStep: "ignored", referredTo: " 镇人民调解委员会 ").validate().get()
        XCTAssertEqual(referred, MediationOutcome(result: .referred, nextStep: nil, referredTo: "镇人民调解委员会", note: nil),
                       "trimmed; a next step belongs to a dispute not settled only")
    }

    func testAFollowUpIsDatedAndNotInTheFuture() throws {
        XCTAssertEqual(Set(fields(FollowUpDraft().validate(today: today))), ["made_on", "method", "result"])
        XCTAssertEqual(fields(FollowUpDraft(madeOn: "2026-11-06", method: "visit", result: "calm").validate(today: today)), ["made_on"])
        XCTAssertEqual(fields(FollowUpDraft(madeOn: "2026-02-30", method: "visit", result: "calm").validate(today: today)), ["made_on"])
        let made = try FollowUpDraft(madeOn: "2026-11-05", method: "phone", result: "recurred", notes: "").validate(today: today).get()
        XCTAssertEqual(made, FollowUp(madeOn: today, method: .phone, result: .recurred, notes: nil))
    }

    func testARecurrenceRaisesTheRiskOneGradeAndOnlyMediumOrHighIsDispatched() {
        XCTAssertEqual(RiskGrade.allCases.map(\.raised), [.medium, .high, .high])
        XCTAssertEqual(RiskGrade.allCases.filter(\.isDispatchable), [.medium, .high])
    }
}
