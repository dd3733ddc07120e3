import HuiyinCore
import XCTest

/// The monthly visit's domain: its rule-set lines, the month it belongs to, the schedule of warnings and
/// overdue notices, and the validation of a visit (every bad field at once, only the current month open).
final class VisitValidationTests: XCTestCase {
    let today = LocalDate(year: 2026, month: 11, day: 12)!

    func draft(_ visitedOn: String? = "2026-11-10", mode: String? = "in_person",
               topics: [String: (asked: Bool?, found: Bool?)]? = VisitValidationTests.allTopics) -> VisitDraft {
        VisitDraft(householdID: 7, visitedOn: visitedOn, mode: mode, topics: topics, notes: "  谈及子女入学  ")
    }

    static let allTopics: [String: (asked: Bool?, found: Bool?)] = [
        "womens_childrens_rights": (true, false), "marriage_family_disputes": (true, true),
        "domestic_violence": (true, false), "minor_sexual_assault": (false, false),
    ]

    func fields(_ result: Result<Visit, ValidationFailure>) -> [String] {
        guard case .failure(let failure) = result else { return [] }
        return failure.fields.map(\.field)
    }

    func testAValidVisitKeepsEveryTopicAndTrimsTheNotes() throws {
        let visit = try draft().validate(today: today).get()
        XCTAssertEqual(visit.visitedOn, LocalDate(year: 2026, month: 11, day: 10))
        XCTAssertEqual(visit.mode, .inPerson)
        XCTAssertEqual(visit.topics[.marriageFamilyDisputes], VisitTopicAnswer(asked: true, found: true))
        XCTAssertEqual(visit.topics[.minorSexualAssault], VisitTopicAnswer(asked: false, found: false))
        XCTAssertEqual(visit.topics.count, 4)
        XCTAssertEqual(visit.notes, "谈及子女入学")
        XCTAssertEqual(visit.month.description, "2026-11")
    }

    func testTheFutureAndClosedMonthsAreRefused() {
        XCTAssertEqual(fields(draft("2026-11-13").validate(today: today)), ["visited_on"], "tomorrow")
        XCTAssertEqual(fields(draft("2026-10-31").validate(today: today)), ["visited_on"], "last month is closed")
        XCTAssertEqual(fields(draft("2026-11-12").validate(today: today)), [], "today is fine")
        XCTAssertEqual(fields(draft("2026-11-01").validate(today: today)), [], "the first of the month is fine")
        guard case .failure(let closed) = draft("2026-10-31").validate(today: today) else { return XCTFail() }
        XCTAssertTrue(closed.fields[0].message.contains("2026-11"), closed.fields[0].message)
    }

    func testEveryBadFieldIsReportedAtOnce() {
        var topics = Self.allTopics
        topics["domestic_violence"] = (true, nil)
        topics["minor_sexual_assault"] = nil
        topics["weather"] = (true, true)
        let result = draft("11/10", mode: "by_letter", topics: topics).validate(today: today)
        XCTAssertEqual(Set(fields(result)), ["visited_on", "mode", "topics.domestic_violence.found",
                                             "topics.minor_sexual_assault", "topics.weather"])
        XCTAssertEqual(Set(fields(VisitDraft().validate(today: today))), ["household_id", "visited_on", "mode", "topics"])
        let long = VisitDraft(householdID: 1, visitedOn: "2026-11-01", mode: "phone", topics: Self.allTopics,
                              notes: String(repeating: "字", count: 2001), leadID: 0).validate(today: today)
        XCTAssertEqual(Set(fields(long)), ["notes", "lead_id"])
    }

    func testMonthsParseOnlyAsYYYYMM() {
        XCTAssertEqual(VisitMonth("2026-02")?.lastDay, LocalDate(year: 2026, month: 2, day: 28))
        XCTAssertEqual(VisitMonth("2026-12")?.next.description, "2027-01")
        XCTAssertEqual(VisitMonth("2026-01")?.previous.description, "2025-12")
        for bad in ["2026-13", "2026-1", "26-11", "2026/11", "2026-11-01", "２０２６-11", ""] {
            XCTAssertNil(VisitMonth(bad), bad)
        }
    }

    func testTheScheduleWarnsBeforeTheDueDayAndIsOverdueAfterIt() {
        let rules = RuleSet.regulation2022
        func on(_ day: Int) -> VisitSchedule { VisitSchedule(today: LocalDate(year: 2026, month: 11, day: day)!, rules: rules) }
        XCTAssertEqual(on(16).warns, false)
        XCTAssertEqual(on(17).warns, true, "20 minus 3 days")
        XCTAssertEqual(on(20).warns, true)
        XCTAssertEqual(on(21).warns, false)
        XCTAssertEqual(on(20).overdueThrough.description, "2026-10", "until the due day has passed, last month's")
        XCTAssertEqual(on(21).overdueThrough.description, "2026-11")
        XCTAssertEqual(on(21).dueOn, LocalDate(year: 2026, month: 11, day: 20))
    }

    func testTheDueDayAndLeadTimeAreRuleSetLines() throws {
        XCTAssertEqual(RuleSet.regulation2022.grassroots.visitDueDay, 20)
        XCTAssertEqual(RuleSet.regulation2022.grassroots.visitWarnAheadDays, 3)
        let rules = try RuleSet.regulation2022.applying(profile: "visit_due_day = 25  # 每月25日前\nvisit_warn_ahead = 5d").get()
        XCTAssertEqual(rules.grassroots.visitDueDay, 25)
        XCTAssertEqual(rules.grassroots.visitWarnAheadDays, 5)
        XCTAssertEqual(VisitSchedule(today: LocalDate(year: 2026, month: 11, day: 20)!, rules: rules).warns, true)
        guard case .failure(let error) = RuleSet.regulation2022.applying(profile: "visit_due_day = 31\nvisit_warn_ahead = 3wd\nvisit_due_day = 0") else {
            return XCTFail("a bad profile must be refused")
        }
        XCTAssertEqual(error.problems.map(\.line), [1, 2, 3])
        guard case .failure(let tooEarly) = RuleSet.regulation2022.applying(profile: "visit_due_day = 3\nvisit_warn_ahead = 3d") else {
            return XCTFail("a warning before the month starts must be refused")
        }
        XCTAssertTrue(tooEarly.description.contains("visit_warn_ahead"), tooEarly.description)
    }
}
