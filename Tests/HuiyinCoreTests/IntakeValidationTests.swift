import XCTest
@testable import HuiyinCore

final class IntakeValidationTests: XCTestCase {
    let today = LocalDate(year: 2026, month: 11, day: 23)!

    func draft(_ channel: String) -> IntakeDraft {
        var d = IntakeDraft()
        d.channel = channel
        d.category = "domestic_violence"
        d.summary = "来电反映丈夫多次殴打，要求法律援助"
        return d
    }

    func fields(_ result: Result<Intake, ValidationFailure>) -> [String] {
        if case .failure(let failure) = result { return failure.fields.map(\.field) }
        return []
    }

    func testACallNeedsOnlyChannelCategoryAndSummary() throws {
        let intake = try IntakeValidator.validate(draft("call"), source: .staff, today: today).get()
        XCTAssertEqual(intake.details, .call(subLine: "main"))
        XCTAssertEqual(intake.target, .newCase(category: .domesticViolence, unitID: nil))
        XCTAssertEqual(intake.petitioner, .unspecified, "an anonymous call is still logged")
        XCTAssertEqual(intake.receivedOn, today)
    }

    func testALetterCountsFromItsReceivedDate() throws {
        var d = draft("letter")
        d.letter = LetterDraft(receivedOn: "2026-11-18", sender: "李小红", onBehalf: true)
        let intake = try IntakeValidator.validate(d, source: .staff, today: today).get()
        XCTAssertEqual(intake.receivedOn, LocalDate(year: 2026, month: 11, day: 18))
        XCTAssertEqual(intake.details, .letter(Letter(receivedOn: LocalDate(year: 2026, month: 11, day: 18)!, sender: "李小红", onBehalf: true)))
    }

    func testALetterWithoutDateOrFromTheFutureIsRefused() {
        var d = draft("letter")
        XCTAssertEqual(Set(fields(IntakeValidator.validate(d, source: .staff, today: today))), ["letter.received_on", "letter.sender"])
        d.letter = LetterDraft(receivedOn: "2026-11-24", sender: "王芳")
        XCTAssertEqual(fields(IntakeValidator.validate(d, source: .staff, today: today)), ["letter.received_on"])
        d.letter?.receivedOn = "2026/11/20"
        XCTAssertEqual(fields(IntakeValidator.validate(d, source: .staff, today: today)), ["letter.received_on"])
    }

    func testFiveVisitorsMakeACollectivePetition() throws {
        var d = draft("visit")
        d.visitWindow = "市妇联接待窗口"
        d.visitVisitors = 4
        XCTAssertFalse(try IntakeValidator.validate(d, source: .staff, today: today).get().details.isCollective)
        d.visitVisitors = 5
        XCTAssertTrue(try IntakeValidator.validate(d, source: .staff, today: today).get().details.isCollective)
        d.visitVisitors = 0
        XCTAssertEqual(fields(IntakeValidator.validate(d, source: .staff, today: today)), ["visit.visitors"])
    }

    func testEveryProblemIsReportedAtOnce() {
        var d = IntakeDraft()
        d.channel = "fax"
        d.category = "gossip"
        d.petitioner = PetitionerDraft(phone: "12345", idNumber: "110105194912310021")
        XCTAssertEqual(Set(fields(IntakeValidator.validate(d, source: .staff, today: today))),
                       ["channel", "category", "summary", "petitioner.phone", "petitioner.id_number"])
    }

    func testStaffCannotFileOnlinePetitionsAndPublicMustGiveNameAndPhone() {
        XCTAssertEqual(fields(IntakeValidator.validate(draft("online"), source: .staff, today: today)), ["channel"])
        var d = draft("ignored")
        d.channel = nil
        XCTAssertEqual(fields(IntakeValidator.validate(d, source: .publicPetition, today: today)), ["petitioner"])
        d.petitioner = PetitionerDraft(name: " ", phone: nil)
        XCTAssertEqual(Set(fields(IntakeValidator.validate(d, source: .publicPetition, today: today))),
                       ["petitioner.name", "petitioner.phone"])
        d.petitioner = PetitionerDraft(name: "赵敏", phone: "139 0717 1234")
        XCTAssertNoThrow(try IntakeValidator.validate(d, source: .publicPetition, today: today).get())
    }

    func testAttachingToACaseKeepsItsCategory() throws {
        var d = draft("call")
        d.caseID = 42
        XCTAssertEqual(fields(IntakeValidator.validate(d, source: .staff, today: today)), ["category"])
        d.category = nil
        XCTAssertEqual(try IntakeValidator.validate(d, source: .staff, today: today).get().target, .existingCase(id: 42))
    }

    func testChannelFieldsOnTheWrongChannelAreRefused() {
        var d = draft("call")
        d.visitWindow = "窗口"
        XCTAssertEqual(fields(IntakeValidator.validate(d, source: .staff, today: today)), ["visit"])
    }

    func testAnIDNumberOfAChildMarksAMinor() throws {
        var d = draft("call")
        d.petitioner = PetitionerDraft(name: "小雨", idNumber: PhoneAndIdentityTests.idNumber(birth: "20120305"), isMinor: false)
        guard case .new(let person) = try IntakeValidator.validate(d, source: .staff, today: today).get().petitioner else {
            return XCTFail("expected a new petitioner")
        }
        XCTAssertTrue(person.isMinor)
    }

    func testSummaryLimits() {
        var d = draft("call")
        d.summary = "   "
        XCTAssertEqual(fields(IntakeValidator.validate(d, source: .staff, today: today)), ["summary"])
        d.summary = String(repeating: "字", count: IntakeValidator.summaryLimit + 1)
        XCTAssertEqual(fields(IntakeValidator.validate(d, source: .staff, today: today)), ["summary"])
    }
}
