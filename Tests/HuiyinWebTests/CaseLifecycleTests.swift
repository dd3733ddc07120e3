import Foundation
import HuiyinStore
import Postgres
import TestSupport
import XCTest

/// A case driven through acceptance, handling, an extension, overdue, reminder, notice and
/// leadership ownership, with time injected (no sleeping).
final class CaseLifecycleTests: XCTestCase {
    var t: TestApp!
    var token = ""

    override func setUpWithError() throws {
        try TestApp.prepareDatabase()
        t = try TestApp(now: DeadlineSweepTests.morning("2026-11-02"))
        _ = try t.store.importShippedNotices()
        token = try t.newOperator(role: .handler).1
    }

    override func tearDown() { t = nil }

    func post(_ path: String, _ body: [String: Any] = [:], as who: String? = nil) throws -> HTTPResult {
        try HTTPClient.json(port: t.port, "POST", path, token: who ?? token, body)
    }

    func clocks(_ id: Int) throws -> [String] {
        try t.store.pool.withConnection { db in
            try db.query("SELECT kind || ':' || state || ':' || due_on::text AS c FROM clocks WHERE case_id = \(Int64(id)) ORDER BY id")
                .rows.map { try $0.decode("c") }
        }
    }

    func events(_ id: Int) throws -> [String] {
        try t.store.pool.withConnection { db in
            try db.query("SELECT kind FROM case_events WHERE case_id = \(Int64(id)) ORDER BY id").rows.map { try $0.decode("kind") }
        }
    }

    func testACaseThroughAcceptanceHandlingExtensionOverdueAndLeadership() throws {
        let id = try post("/api/v1/contacts", Sample.call(phone: Sample.randomPhone())).decode(Receipt.self).caseId
        XCTAssertEqual(try clocks(id), ["acceptance:running:2026-11-17"])

        // 受理 on 5 Nov: acceptance met, handling 60 days (2027 counts weekends only: no notice yet).
        t.clock.value = DeadlineSweepTests.morning("2026-11-05")
        let accepted = try post("/api/v1/cases/\(id)/accept", ["reason": "属于本会受理范围"])
        XCTAssertEqual(accepted.status, 200, accepted.text)
        XCTAssertEqual(try accepted.decode(StepResult.self).document?.kind, "acceptance_notice")
        XCTAssertEqual(try clocks(id), ["acceptance:met:2026-11-17", "handling:running:2027-01-04"])
        let again = try post("/api/v1/cases/\(id)/accept")
        XCTAssertEqual(again.status, 409)
        XCTAssertEqual(again.errorCode, "invalid_transition")

        // One extension of at most 30 days, with an approver and a reason.
        XCTAssertEqual(try post("/api/v1/cases/\(id)/extensions", ["clock": "handling", "limit": "40d", "approver": "主任", "reason": "需调查"]).status, 422)
        XCTAssertEqual(try post("/api/v1/cases/\(id)/extensions", ["clock": "handling", "limit": "30d"]).errorFields.sorted(), ["approver", "reason"])
        XCTAssertEqual(try post("/api/v1/cases/\(id)/extensions", ["clock": "handling", "limit": "30d", "approver": "李华主任",
                                                                    "reason": "需要等待司法鉴定结果"]).status, 204)
        XCTAssertEqual(try clocks(id).last, "handling:running:2027-02-03")
        XCTAssertEqual(try post("/api/v1/cases/\(id)/extensions", ["clock": "handling", "limit": "10d", "approver": "李华主任",
                                                                    "reason": "再次延期"]).status, 409, "one extension only")

        // 领导包案: a leader of the unit or above, not a neighbour's.
        let (leader, leaderToken) = try t.newOperator(role: .leader, unit: "t-c")
        let (neighbour, _) = try t.newOperator(role: .leader, unit: "t-c-b")
        let supervisor = try t.newOperator(role: .supervisor, unit: "t-c").1
        XCTAssertEqual(try post("/api/v1/cases/\(id)/leader", ["leader_id": leader.id, "reason": "重复信访"]).status, 403,
                       "a handler does not assign leaders")
        XCTAssertEqual(try post("/api/v1/cases/\(id)/leader", ["leader_id": neighbour.id, "reason": "重复信访"], as: supervisor).errorFields, ["leader_id"])
        XCTAssertEqual(try post("/api/v1/cases/\(id)/leader", ["leader_id": leader.id, "reason": "重复信访、矛盾突出"], as: supervisor).status, 204)
        XCTAssertEqual(try clocks(id).last, "leader_ownership:running:2027-02-05")
        XCTAssertEqual(try post("/api/v1/cases/\(id)/progress", ["note": "已约谈双方，正在调解"], as: leaderToken).status, 204)
        XCTAssertEqual(try post("/api/v1/cases/\(id)/progress", ["note": "冒充"]).status, 409, "only the owning leader reports")
        let list = try HTTPClient.get(port: t.port, "/api/v1/leaders/\(leader.id)/cases", token: token).decode(LeaderCases.self).cases
        XCTAssertEqual(list.map(\.id), [id])
        XCTAssertEqual(Set(try XCTUnwrap(list.first).clocks.map(\.kind)), ["handling", "leader_ownership"])

        // Overdue: the day after the extended due day a reminder, 5 working days later a notice.
        t.clock.value = DeadlineSweepTests.morning("2027-02-04")
        _ = try t.store.sweep()
        t.clock.value = DeadlineSweepTests.morning("2027-02-10")
        _ = try t.store.sweep()
        XCTAssertEqual(try events(id).filter { $0 == "notice_issued" }.count, 0, "reminded on 4 Feb; 5 working days later is the 11th")
        t.clock.value = DeadlineSweepTests.morning("2027-02-11")
        _ = try t.store.sweep()
        XCTAssertEqual(try events(id), ["registered", "accepted", "extended", "leader_assigned", "leader_progress",
                                        "deadline_due_soon", "reminder_sent", "reminder_sent", "notice_issued"],
                       "4 Feb: handling reminded, the leader clock (due 5 Feb) warned; 10 Feb: leader reminded; 11 Feb: handling noticed")

        // 答复 then 办结, late: both clocks breached. Closing twice is refused.
        t.clock.value = DeadlineSweepTests.morning("2027-02-12")
        XCTAssertEqual(try post("/api/v1/cases/\(id)/close").errorCode, "invalid_transition", "no closing before the written reply")
        XCTAssertEqual(try post("/api/v1/cases/\(id)/reply", ["text": "经调解，双方达成协议。"]).status, 200)
        XCTAssertEqual(try post("/api/v1/cases/\(id)/close", ["reason": "已答复并调解成功"]).status, 200)
        XCTAssertEqual(try clocks(id).filter { $0.hasPrefix("handling") || $0.hasPrefix("leader") },
                       ["handling:cancelled:2027-01-04", "handling:breached:2027-02-03", "leader_ownership:breached:2027-02-05"])
        XCTAssertEqual(try post("/api/v1/cases/\(id)/close").status, 409)

        // She comes back: the case reopens with the same leader, whose clock starts again.
        let back = try post("/api/v1/contacts", ["channel": "call", "case_id": id, "summary": "调解协议未履行，再次来电"])
        XCTAssertEqual(back.status, 201, back.text)
        XCTAssertEqual(try back.decode(Receipt.self).status, "reopened")
        XCTAssertEqual(try clocks(id).last, "leader_ownership:running:2027-05-12")
        let stillHers = try HTTPClient.get(port: t.port, "/api/v1/leaders/\(leader.id)/cases", token: token).decode(LeaderCases.self).cases
        XCTAssertEqual(stillHers.first?.status, "reopened")
    }

    func testAPausedClockMovesItsDueDayByThePausedTime() throws {
        let id = try post("/api/v1/contacts", Sample.call(phone: Sample.randomPhone())).decode(Receipt.self).caseId
        t.clock.value = DeadlineSweepTests.morning("2026-11-05")
        XCTAssertEqual(try post("/api/v1/cases/\(id)/accept").status, 200)
        t.clock.value = DeadlineSweepTests.morning("2026-11-10")
        XCTAssertEqual(try post("/api/v1/cases/\(id)/clocks/handling/pause", ["reason": "等待听证"]).status, 204)
        XCTAssertEqual(try clocks(id).last, "handling:paused:2027-01-04")
        XCTAssertEqual(try post("/api/v1/cases/\(id)/clocks/handling/pause", ["reason": "again"]).status, 409)
        XCTAssertEqual(try post("/api/v1/cases/\(id)/clocks/acceptance/resume").status, 409, "the acceptance clock is not paused")
        XCTAssertEqual(try post("/api/v1/cases/\(id)/clocks/nonsense/resume").status, 404)
        t.clock.value = DeadlineSweepTests.morning("2026-11-20")
        XCTAssertEqual(try post("/api/v1/cases/\(id)/clocks/handling/resume").status, 204)
        XCTAssertEqual(try clocks(id).last, "handling:running:2027-01-14", "10 paused days added to the 60-day limit")
        XCTAssertEqual(Array(try events(id).suffix(2)), ["clock_paused", "clock_resumed"])
    }
}
