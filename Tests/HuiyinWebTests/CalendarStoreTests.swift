import Foundation
import HuiyinCore
import HuiyinStore
import Postgres
import TestSupport
import XCTest

final class CalendarStoreTests: XCTestCase {
    var t: TestApp!

    override func setUpWithError() throws {
        try TestApp.prepareDatabase()
        t = try TestApp()
        _ = try t.store.importShippedNotices()
    }

    override func tearDown() { t = nil }

    func testShippedNoticesLoadOnceAndReadBackAsTheyWere() throws {
        XCTAssertEqual(try t.store.importShippedNotices(), [], "a second import finds nothing to do")
        var expected = WorkingCalendar()
        OfficialNotices.all.forEach { expected.apply($0) }
        let stored = try t.store.workingCalendar()
        XCTAssertTrue(stored.coveredYears.isSuperset(of: [2025, 2026]))
        for number in LocalDate(iso: "2025-01-01")!.dayNumber...LocalDate(iso: "2026-12-31")!.dayNumber {
            let day = LocalDate(dayNumber: number)
            XCTAssertEqual(stored.isWorkingDay(day), expected.isWorkingDay(day), "\(day)")
        }
        let shown = try XCTUnwrap(try t.store.notice(year: 2026))
        XCTAssertTrue(shown.text.contains("off  2026-10-01..2026-10-07 国庆节\n"), shown.text)
        XCTAssertEqual(Set(shown.restDays), Set(OfficialNotices.all[1].restDays))
        XCTAssertNil(try t.store.notice(year: 1999))
    }

    func testRegionalDaysApplyOnlyToTheirRegionAndCoverNothing() throws {
        let region = "r\(UInt16.random(in: 0 ... .max))"
        try t.store.importNotice(try HolidayNotice.parse("year 2026\noff 2026-03-09 地方节日").get(), region: region)
        try t.store.importNotice(try HolidayNotice.parse("year 2031\noff 2031-03-10 地方节日").get(), region: region)
        let local = try t.store.workingCalendar(region: region)
        XCTAssertFalse(local.isWorkingDay(LocalDate(iso: "2026-03-09")!))
        XCTAssertTrue(try t.store.workingCalendar().isWorkingDay(LocalDate(iso: "2026-03-09")!))
        XCTAssertFalse(local.covers(2031), "local days alone do not make a year official")
        XCTAssertFalse(local.isWorkingDay(LocalDate(iso: "2031-03-10")!))
    }

    /// `huiyin deadline` answers from the database calendar, like the server.
    func testDeadlineCommandCountsLikeTheServer() throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("huiyin").path
        let config = try TestDatabase.configuration()
        let env = ["HUIYIN_DB_HOST": config.host, "HUIYIN_DB_PORT": String(config.port), "HUIYIN_DB_NAME": config.database,
                   "HUIYIN_DB_USER": config.user, "HUIYIN_LOG_LEVEL": "warning"]
        let golden = try Subprocess.output([binary, "deadline", "2026-09-30", "5wd"], environment: env)
        XCTAssertEqual(golden.status, 0)
        XCTAssertEqual(golden.output, "2026-10-13\n")
        XCTAssertEqual(try Subprocess.output([binary, "deadline", "2026-09-20", "15d"], environment: env).output, "2026-10-08\n")
        XCTAssertEqual(try Subprocess.output([binary, "deadline", "2026-01-31", "1m"], environment: env).output, "2026-02-28\n")
        XCTAssertNotEqual(try Subprocess.output([binary, "deadline", "2026-13-01", "5wd"], environment: env).status, 0)
        XCTAssertNotEqual(try Subprocess.output([binary, "deadline", "2026-01-01", "5w"], environment: env).status, 0)
    }
}
