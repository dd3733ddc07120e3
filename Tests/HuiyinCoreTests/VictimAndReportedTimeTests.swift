import Foundation
import XCTest
@testable import HuiyinCore

/// The person a matter is about (当事人), apart from the petitioner, and the police-report time as staff type it.
final class VictimAndReportedTimeTests: XCTestCase {
    let today = LocalDate(year: 2026, month: 11, day: 29)!
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    func call(victim: VictimDraft?, category: String = "sexual_assault") -> IntakeDraft {
        var d = IntakeDraft()
        d.channel = "call"
        d.category = category
        d.summary = "母亲来电反映13岁女儿遭邻居性侵"
        d.petitioner = PetitionerDraft(name: "李梅", phone: "13800138000")
        d.victim = victim
        return d
    }

    func fields(_ result: Result<Intake, ValidationFailure>) -> [String] {
        if case .failure(let failure) = result { return failure.fields.map(\.field) }
        return []
    }

    func testAMotherCallingAboutHer13YearOldDaughterNamesAMinorVictim() throws {
        let intake = try IntakeValidator.validate(call(victim: VictimDraft(relation: "child", age: 13)), source: .staff, today: today).get()
        XCTAssertEqual(intake.victim, Victim(relation: .child, age: 13, isMinor: true))
        guard case .new(let mother) = intake.petitioner else { return XCTFail("the mother is on record") }
        XCTAssertFalse(mother.isMinor, "the mother is not the minor")
        let victimIsMinor = Victim.isMinor(intake.victim, petitionerIsMinor: false)
        XCTAssertTrue(victimIsMinor)
        XCTAssertEqual(MandatoryReporting.reasons(category: .sexualAssault, victimIsMinor: victimIsMinor), [.minorSexualAssault])
    }

    func testAnyOfAgeBirthDateOrTheBoxMakesTheVictimAMinor() throws {
        func minor(_ draft: VictimDraft) throws -> Bool {
            try IntakeValidator.validate(call(victim: draft), source: .staff, today: today).get().victim!.isMinor
        }
        XCTAssertTrue(try minor(VictimDraft(relation: "child", birthDate: "2013-05-01")))
        XCTAssertTrue(try minor(VictimDraft(relation: "child", birthDate: "2008-11-30")), "18 tomorrow: still a minor today")
        XCTAssertFalse(try minor(VictimDraft(relation: "child", birthDate: "2008-11-29")), "18 today")
        XCTAssertTrue(try minor(VictimDraft(relation: "other", isMinor: true)))
        XCTAssertTrue(try minor(VictimDraft(relation: "child", age: 15, isMinor: false)), "a wrong 'no' cannot hide a child")
        XCTAssertFalse(try minor(VictimDraft(relation: "spouse", age: 34)))
    }

    func testThePetitionersOwnMinorityCountsWhenSheIsTheVictim() {
        XCTAssertTrue(Victim.isMinor(nil, petitionerIsMinor: true), "nobody else named: the petitioner is the victim")
        XCTAssertTrue(Victim.isMinor(Victim(relation: .petitioner), petitionerIsMinor: true))
        XCTAssertFalse(Victim.isMinor(Victim(relation: .parent, age: 40), petitionerIsMinor: true),
                       "a girl calling about her mother: the victim is an adult")
        XCTAssertFalse(Victim.isMinor(nil, petitionerIsMinor: false))
    }

    func testBadVictimFieldsAreAllReportedAndAVictimIsNotAddedToAnExistingCase() {
        XCTAssertEqual(Set(fields(IntakeValidator.validate(call(victim: VictimDraft(relation: "cousin", birthDate: "2013-02-30", age: 200)),
                                                           source: .staff, today: today))),
                       ["victim.relation", "victim.birth_date", "victim.age"])
        XCTAssertEqual(fields(IntakeValidator.validate(call(victim: VictimDraft(relation: "child", birthDate: "2026-12-01")),
                                                       source: .staff, today: today)), ["victim.birth_date"])
        XCTAssertEqual(fields(IntakeValidator.validate(call(victim: VictimDraft(relation: "child", age: -1)), source: .staff, today: today)),
                       ["victim.age"])
        var attach = call(victim: VictimDraft(relation: "child", age: 13))
        attach.category = nil
        attach.caseID = 7
        XCTAssertEqual(fields(IntakeValidator.validate(attach, source: .staff, today: today)), ["victim"])
        XCTAssertNil(try IntakeValidator.validate(call(victim: nil), source: .staff, today: today).get().victim)
    }

    func testAChildVictimAnswersTheCapacityQuestionOfTheDangerChecklist() throws {
        let answers = Dictionary(uniqueKeysWithValues: RiskChecklist.federation.questions.map { ($0.id, false) })
        let adult = try RiskChecklist.federation.assess(answers).get()
        XCTAssertEqual(adult.score, 0)
        XCTAssertEqual(adult.mandatoryReports, [])
        let child = try RiskChecklist.federation.assess(answers, victimIsMinor: true).get()
        XCTAssertEqual(child.yes, ["victim_without_full_capacity"])
        XCTAssertEqual(child.score, 1)
        XCTAssertEqual(child.mandatoryReports, [.violenceWithoutFullCapacity])
    }

    // MARK: - 报案时间

    func testTheFormsAPersonTypesAreLocalTimeInTheOfficesZone() {
        let expected = Date(timeIntervalSince1970: 1_795_962_600)   // 2026-11-29T14:30:00Z = 22:30 in Shanghai
        XCTAssertEqual(ReportedTime.iso(expected, in: TimeZone(identifier: "UTC")!), "2026-11-29T14:30:00+00:00")
        for typed in ["2026-11-29 22:30", "2026-11-29T22:30", "2026年11月29日 22:30", "2026年11月29日22:30", "2026/11/29 22:30",
                      "2026-11-29 22:30:00", " 2026-11-29  22:30 ", "2026-11-29T22:30:00+08:00", "2026-11-29T14:30:00Z",
                      "2026-11-29T22:30:00.000+08:00", "2026-11-29T09:30-05:00", "２０２６-１１-２９ ２２：３０", "2026年11月29日 22时30分",
                      "2026-11-29\u{3000}22:30"] {
            XCTAssertEqual(ReportedTime.parse(typed, in: shanghai), expected, typed)
        }
        XCTAssertEqual(ReportedTime.parse("2026-11-29 22:30", in: TimeZone(identifier: "Asia/Urumqi")!),
                       expected.addingTimeInterval(2 * 3600), "the configured zone decides")
    }

    func testAnythingElseIsRefused() {
        for typed in ["", "2026-11-29", "22:30", "29/11/2026 22:30", "2026-13-01 10:00", "2026-02-30 10:00", "2026-11-29 24:00",
                      "2026-11-29 22:60", "2026-11-29 22:3", "2026-11-29 22:30 +08:00", "2026-11-29T22:30+8", "yesterday evening",
                      "2026-11-29T22:30:00+08:00x", "2026-11-29 22:30:61"] {
            XCTAssertNil(ReportedTime.parse(typed, in: shanghai), typed)
        }
    }

    func testStoredAndInputFormsRoundTrip() {
        let instant = ReportedTime.parse("2026-11-29 22:30", in: shanghai)!
        XCTAssertEqual(ReportedTime.iso(instant, in: shanghai), "2026-11-29T22:30:00+08:00")
        XCTAssertEqual(ReportedTime.localInputValue(instant, in: shanghai), "2026-11-29T22:30")
        XCTAssertEqual(ReportedTime.parse(ReportedTime.iso(instant, in: shanghai), in: shanghai), instant)
    }
}
