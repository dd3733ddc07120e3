import Foundation
import HuiyinCore
import HuiyinStore
import TestSupport
import XCTest

/// The reception window's roster and queue, through the console's own forms over HTTP.
final class ReceptionTests: XCTestCase {
    func testTheRosterAndTheQueue() throws {
        let t = try TestApp(now: DeadlineSweepTests.morning("2026-11-24"))
        let county = try t.newUnit("county", under: "t-c")
        let supervisor = try t.newOperator(role: .supervisor, unit: county)
        let cadre = try t.newOperator(role: .handler, unit: county)
        let outsider = try t.newOperator(role: .handler, unit: "t-c-b")
        let operatorUser = try t.newOperator(role: .operator_, unit: county)
        // Planned by the supervisor for a cadre of her own unit (every cadre takes shifts), not for another unit's.
        let tomorrow = LocalDate(year: 2026, month: 11, day: 25)!
        try t.store.addShift(userID: cadre.0.id, day: tomorrow, period: "morning", window: "县妇联接待窗口", by: supervisor.0)
        XCTAssertThrowsError(try t.store.addShift(userID: outsider.0.id, day: tomorrow, period: "morning", window: "x", by: supervisor.0))
        XCTAssertThrowsError(try t.store.addShift(userID: cadre.0.id, day: LocalDate(year: 2026, month: 11, day: 20)!, period: "morning",
                                                  window: "x", by: supervisor.0), "not in the past")
        XCTAssertThrowsError(try t.store.addShift(userID: cadre.0.id, day: tomorrow, period: "night", window: "x", by: supervisor.0))
        XCTAssertThrowsError(try t.store.addShift(userID: cadre.0.id, day: tomorrow, period: "afternoon", window: "x", by: operatorUser.0),
                             "an operator does not plan the roster")
        let roster = try t.store.roster(unitID: supervisor.0.unitID, from: tomorrow, through: tomorrow)
        XCTAssertEqual(roster.map { "\($0.userID) \($0.period) \($0.window)" }, ["\(cadre.0.id) morning 县妇联接待窗口"])
        // Queue numbers count up per window and day, and are called in order.
        XCTAssertEqual(try t.store.issueTicket(by: supervisor.0), 1)
        XCTAssertEqual(try t.store.issueTicket(by: supervisor.0), 2)
        XCTAssertEqual(try t.store.issueTicket(by: outsider.0), 1, "another unit's window has its own numbers")
        XCTAssertEqual(try t.store.callNextTicket(by: supervisor.0), 1)
        XCTAssertEqual(try t.store.tickets(by: supervisor.0).filter { $0.calledAt == nil }.map(\.number), [2])
        t.clock.value = DeadlineSweepTests.morning("2026-11-25")
        XCTAssertEqual(try t.store.issueTicket(by: supervisor.0), 1, "a new day starts at 1")
        // Concurrent tickets never share a number.
        let numbers = LockedValue<[Int]>([])
        let done = DispatchGroup()
        for _ in 0..<12 {
            done.enter()
            Thread.detachNewThread {
                if let n = try? t.store.issueTicket(by: supervisor.0) { numbers.withLock { $0.append(n) } }
                done.leave()
            }
        }
        done.wait()
        XCTAssertEqual(numbers.value.sorted(), Array(2...13))
    }
}
