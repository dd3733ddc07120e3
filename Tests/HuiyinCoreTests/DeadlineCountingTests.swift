import Foundation
import XCTest
@testable import HuiyinCore

final class DeadlineCountingTests: XCTestCase {
    let calendar: WorkingCalendar = {
        var calendar = WorkingCalendar()
        OfficialNotices.all.forEach { calendar.apply($0) }
        return calendar
    }()
    var counter: DeadlineCounter { DeadlineCounter(calendar: calendar) }

    func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    func due(_ start: String, _ limit: String) -> String {
        counter.due(from: day(start), limit: DeadlineLimit(limit)!).day.description
    }

    func testOfficialCalendarsWithMakeUpDays() {
        let working = ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11", "2026-01-04", "2026-02-14",
                       "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10", "2026-03-06", "2025-12-31"]
        let resting = ["2025-01-01", "2025-01-28", "2025-02-04", "2025-04-04", "2025-05-05", "2025-06-02", "2025-10-08",
                       "2026-01-02", "2026-02-16", "2026-02-23", "2026-04-06", "2026-05-04", "2026-06-19", "2026-09-25",
                       "2026-10-07", "2026-03-07", "2026-03-08"]
        for text in working { XCTAssertTrue(calendar.isWorkingDay(day(text)), text) }
        for text in resting { XCTAssertFalse(calendar.isWorkingDay(day(text)), text) }
        XCTAssertEqual(day("2026-11-23").isoWeekday, 1)
        XCTAssertEqual(day("2026-02-14").isoWeekday, 6)
        XCTAssertEqual(calendar.coveredYears, [2025, 2026])
    }

    func testWorkingDaysSkipTheGoldenWeekAndCountTheMakeUpSaturday() {
        // DOMAIN.md's example: received Wed 30 Sep 2026, 5 working days → 8, 9, 10 (Sat, make-up), 12, 13 Oct.
        XCTAssertEqual(due("2026-09-30", "5wd"), "2026-10-13")
        XCTAssertEqual(due("2026-02-13", "1wd"), "2026-02-14", "a make-up Saturday is a working day")
        XCTAssertEqual(due("2026-02-14", "1wd"), "2026-02-24", "Spring Festival is skipped")
        XCTAssertEqual(due("2026-11-23", "5wd"), "2026-11-30")
    }

    func testCalendarDaysRollForwardOffARestDay() {
        XCTAssertEqual(due("2026-09-20", "15d"), "2026-10-08", "5 Oct is in the National Day holiday")
        XCTAssertEqual(due("2026-01-20", "15d"), "2026-02-04")
        XCTAssertEqual(due("2026-02-03", "15d"), "2026-02-24")
        XCTAssertEqual(due("2026-11-06", "15d"), "2026-11-23", "21 Nov is a Saturday")
        XCTAssertEqual(due("2026-08-10", "60d"), "2026-10-09")
        XCTAssertEqual(due("2026-02-13", "1d"), "2026-02-14", "ends on a make-up Saturday: no roll")
    }

    func testMonthsEndOnTheSameDayOrTheMonthsLastDay() {
        XCTAssertEqual(due("2026-01-31", "1m"), "2026-02-28", "no 31 Feb; the 28th is a make-up working Saturday")
        XCTAssertEqual(due("2026-03-31", "1m"), "2026-04-30")
        XCTAssertEqual(due("2026-07-04", "3m"), "2026-10-08", "4 Oct is in the holiday")
        XCTAssertEqual(due("2025-11-30", "3m"), "2026-02-28", "no 30 Feb: the 28th, a make-up working Saturday")
    }

    func testYearEndsAndYearsWithoutANotice() {
        XCTAssertEqual(due("2025-12-29", "5wd"), "2026-01-06", "New Year off, 4 Jan (Sunday) worked")
        XCTAssertEqual(due("2025-12-15", "30d"), "2026-01-14")
        let into2027 = counter.due(from: day("2026-11-30"), limit: .months(3))
        XCTAssertEqual(into2027.day.description, "2027-03-01", "28 Feb 2027 is a Sunday; weekends only in 2027")
        XCTAssertEqual(into2027.assumedYears, [2027], "the count must say it assumed 2027")
        XCTAssertEqual(counter.due(from: day("2026-11-23"), limit: .days(15)).assumedYears, [])
        XCTAssertEqual(counter.due(from: day("2024-01-31"), limit: .months(1)).day.description, "2024-02-29")
    }

    func testDueDayIsAWorkingDayAfterTheStartAndGrowsWithTheLimit() {
        var generator = SeededRandom(seed: 20261123)  // the same cases on every run
        let first = day("2024-11-01").dayNumber, last = day("2027-01-31").dayNumber
        for _ in 0..<3000 {
            let start = LocalDate(dayNumber: Int.random(in: first...last, using: &generator))
            let limit: DeadlineLimit
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: limit = .days(Int.random(in: 1...90, using: &generator))
            case 1: limit = .workingDays(Int.random(in: 1...30, using: &generator))
            default: limit = .months(Int.random(in: 1...12, using: &generator))
            }
            let due = counter.due(from: start, limit: limit).day
            let longer = counter.due(from: start, limit: limit.oneMore).day
            XCTAssertTrue(calendar.isWorkingDay(due), "\(start) + \(limit) = \(due)")
            XCTAssertGreaterThan(due, start, "\(start) + \(limit)")
            XCTAssertGreaterThanOrEqual(longer, due, "\(start) + \(limit.oneMore) before \(start) + \(limit)")
            if case .workingDays(let n) = limit {
                XCTAssertEqual(calendar.workingDays(after: start, through: due), n, "\(start) + \(limit)")
            }
        }
    }

    func testPeriodEndsAtMidnightInTheZone() {
        let end = DeadlineCounter.endOfDay(day("2026-10-13"), in: TimeZone(identifier: "Asia/Shanghai")!)
        XCTAssertEqual(end, ISO8601DateFormatter().date(from: "2026-10-13T16:00:00Z"))
    }

    func testLimitsAreWrittenLikeTheRules() {
        XCTAssertEqual(DeadlineLimit("15d"), .days(15))
        XCTAssertEqual(DeadlineLimit(" 5WD"), .workingDays(5))
        XCTAssertEqual(DeadlineLimit("3m"), .months(3))
        XCTAssertEqual(DeadlineLimit("5wd")?.label, "5个工作日")
        for bad in ["5", "d", "0d", "5w", "-3d", "3 m", "1.5d", ""] { XCTAssertNil(DeadlineLimit(bad), bad) }
    }

    func testNoticesParseReportEveryBadLineAndRoundTrip() throws {
        for text in OfficialNotices.texts {
            let notice = try HolidayNotice.parse(text).get()
            XCTAssertEqual(try HolidayNotice.parse(notice.text).get().restDays, notice.restDays)
            XCTAssertEqual(try HolidayNotice.parse(notice.text).get().workingDays, notice.workingDays)
        }
        let bad = """
            year 2027
            off 2027-02-30 春节
            work 2027-02-06..2027-02-07
            holiday 2027-05-01
            off 2028-01-01
            """
        guard case .failure(let error) = HolidayNotice.parse(bad) else { return XCTFail("must not parse") }
        XCTAssertEqual(error.problems.map(\.line), [2, 3, 4, 5])
        guard case .failure(let missing) = HolidayNotice.parse("off 2027-01-01") else { return XCTFail("no year") }
        XCTAssertTrue(missing.description.contains("year"))
    }

    func testLocalDaysOverrideTheNationalOnes() throws {
        var local = calendar
        local.apply(try HolidayNotice.parse("year 2026\noff 2026-03-09 地方假日\nwork 2026-02-23 地方调休").get())
        XCTAssertFalse(local.isWorkingDay(day("2026-03-09")))
        XCTAssertTrue(local.isWorkingDay(day("2026-02-23")))
    }
}

final class RuleSetTests: XCTestCase {
    func testTheDefaultIsThe2022Regulation() {
        let rules = RuleSet.regulation2022
        XCTAssertEqual(rules[.acceptance].limit, .days(15))
        XCTAssertEqual(rules[.transferObjection].limit, .workingDays(5))
        XCTAssertEqual(rules[.handling].limit, .days(60))
        XCTAssertEqual(rules[.handling].maximumExtension, .days(30))
        XCTAssertEqual(rules[.reviewRequest].limit, .days(30))
        XCTAssertEqual(rules[.rereviewDecision].limit, .days(30))
        XCTAssertEqual(rules[.leaderOwnership].limit, .months(3))
        XCTAssertEqual(rules[.leaderOwnership].maximumExtension, .months(1))
        XCTAssertEqual(rules[.acceptance].warnAhead, .workingDays(3))
        XCTAssertEqual(rules.noticeAfter, .workingDays(5))
    }

    func testAProvinceProfileOverridesLimits() throws {
        let zhejiang = try RuleSet.regulation2022.applying(profile: """
            # 浙江：受理告知 5 个工作日
            acceptance = 5wd
            handling.warn_ahead = 5wd
            leadership_contacts = 2
            """).get()
        XCTAssertEqual(zhejiang[.acceptance].limit, .workingDays(5))
        XCTAssertEqual(zhejiang[.handling].warnAhead, .workingDays(5))
        XCTAssertEqual(zhejiang[.acceptance].warnAhead, .workingDays(3))
        XCTAssertEqual(zhejiang.leadershipContactThreshold, 2)
        guard case .failure(let error) = RuleSet.regulation2022.applying(profile: "acceptance = soon\nmystery = 3d\nfoo.warn_ahead = 1wd") else {
            return XCTFail("a bad profile must be refused")
        }
        XCTAssertEqual(error.problems.map(\.line), [1, 2, 3])
    }

    func testAProfileNamesTheEventsThatStartAndStopAClock() throws {
        let rules = try RuleSet.regulation2022.applying(profile: """
            handling.start = transfer_accepted
            handling.stop = replied, closed, declined
            """).get()
        XCTAssertEqual(rules[.handling].startEvent, .transferAccepted)
        XCTAssertEqual(rules[.handling].stopEvents, [.replied, .closed, .declined])
        XCTAssertEqual(rules.kinds(startedBy: .transferAccepted), [.handling])
        XCTAssertEqual(rules.kinds(stoppedBy: .declined), [.acceptance, .handling])
    }

    func testAnUnknownEventInAProfileIsAnErrorNamingItsLine() {
        // A typo in an event must stop the start, not leave a clock that silently never starts.
        guard case .failure(let error) = RuleSet.regulation2022.applying(profile: """
            # 某省
            acceptance = 5wd
            handling.start = acepted
            handling.stop = replied, clossed
            mystery.start = accepted
            acceptance.start = declined, accepted
            handling.start = registered
            """) else { return XCTFail("an unknown event must be refused") }
        // Line 7: `registered` is recorded at intake, where no profile is asked: it would start nothing.
        XCTAssertEqual(error.problems.map(\.line), [3, 4, 5, 6, 7])
        XCTAssertTrue(error.problems[0].message.contains("`acepted`"), error.problems[0].message)
        XCTAssertTrue(error.problems[1].message.contains("`clossed`"), error.problems[1].message)
        XCTAssertFalse(error.problems[1].message.contains("`replied`"), error.problems[1].message)
    }

    func testSweepThresholdsFollowTheCalendar() {
        var calendar = WorkingCalendar()
        OfficialNotices.all.forEach { calendar.apply($0) }
        // Tuesday 29 Sep 2026, National Day ahead: 3 working days ahead are 30 Sep, 8 and 9 Oct.
        let t = SweepThresholds(today: LocalDate(iso: "2026-09-29")!, rules: .regulation2022, calendar: calendar)
        XCTAssertEqual(t.warnThrough[.acceptance]?.description, "2026-10-09")
        // On 14 Oct a clock due 7 Oct or earlier (reminded 8 Oct; 9, 10 (make-up Sat), 12, 13, 14) gets its
        // notice; one due 8 Oct (reminded 9 Oct) not yet.
        let later = SweepThresholds(today: LocalDate(iso: "2026-10-14")!, rules: .regulation2022, calendar: calendar)
        XCTAssertEqual(later.noticeThrough.description, "2026-10-07")
    }
}
