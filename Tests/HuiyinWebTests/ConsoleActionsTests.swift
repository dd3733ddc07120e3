import Foundation
import HuiyinCore
import HuiyinStore
import TestSupport
import XCTest

/// The case page's forms, posted as a browser would (session cookie + the form's CSRF token): a case
/// through its whole path, a refused step said in Chinese, a report recorded from the page.
final class ConsoleActionsTests: XCTestCase {
    var t: TestApp!
    var city = ""

    override func setUpWithError() throws {
        t = try TestApp(now: DeadlineSweepTests.morning("2026-11-02"))
        _ = try t.store.importShippedNotices()
        city = try t.newUnit("city", under: "t")
    }

    override func tearDown() { t = nil }

    func session(_ role: StaffRole, unit: String) throws -> (StaffUser, ConsoleSession) {
        let session = try ConsoleSession(t, role, unit: unit)
        return (session.user, session)
    }

    func post(_ path: String, _ fields: [String: String], as who: ConsoleSession) throws -> HTTPResult {
        try who.post(t, path, fields)
    }

    func status(_ id: Int) throws -> String {
        try t.store.pool.withConnection { try $0.query("SELECT status FROM cases WHERE id = \(Int64(id))").first!.decode("status") }
    }

    func testACaseThroughItsWholePathFromTheCasePage() throws {
        let (_, handler) = try session(.handler, unit: city)
        let (_, supervisorAbove) = try session(.supervisor, unit: "t")
        let op = try t.newOperator(role: .operator_, unit: city).1
        let id = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: op, Sample.call(phone: Sample.randomPhone()))
            .decode(Receipt.self).caseId
        let steps: [(ConsoleSession, [String: String], String)] = [
            (handler, ["action": "take"], "registered"),
            (handler, ["action": "close"], "refused"),
            (handler, ["action": "accept", "text": "属于受理范围"], "accepted"),
            (handler, ["action": "refer", "kind": "lawyer", "referred_to": "市法律援助中心", "text": "代写起诉状"], "accepted"),
            (handler, ["action": "extend", "clock": "handling", "limit": "30d", "approver": "主任", "text": "需等待鉴定"], "accepted"),
            (handler, ["action": "reply", "text": "经调解，男方同意支付抚养费。"], "replied"),
            (handler, ["action": "close", "text": "已答复"], "closed"),
            (handler, ["action": "follow_up", "method": "call", "satisfaction": "satisfied", "text": "已履行"], "closed"),
            (handler, ["action": "request_review", "text": "对答复不服"], "reviewing"),
            (supervisorAbove, ["action": "decide_review", "decision": "upheld", "text": "维持原答复"], "closed"),
            (handler, ["action": "seal", "text": "涉及隐私"], "closed"),
        ]
        for (who, form, expected) in steps {
            if form["action"] == "close", expected == "closed" {
                // An open referral blocks closing; its outcome is recorded on the page first.
                XCTAssertTrue(try post("/cases/\(id)/actions", form, as: who).text.contains("尚有转介未登记结果"))
                let referral = try t.store.pool.withConnection {
                    try $0.query("SELECT id FROM referrals WHERE case_id = \(Int64(id))").first!.decode("id", as: Int64.self)
                }
                XCTAssertEqual(try post("/cases/\(id)/referrals/\(referral)/outcome", ["outcome": "已代写起诉状"], as: who).status, 303)
            }
            if form["action"] == "request_review" {
                // A 复核 follows a 复查 decision (Art. 36): before one, the page offers only the 复查 request.
                let page = try HTTPClient.get(port: t.port, "/cases/\(id)", headers: [("Cookie", who.cookie)]).text
                XCTAssertTrue(page.contains("登记复查申请"))
                XCTAssertFalse(page.contains("登记复核申请"), "no re-review request before a review decision")
            }
            let r = try post("/cases/\(id)/actions", form, as: who)
            if expected == "refused" {
                XCTAssertEqual(r.status, 200, "\(form)")
                XCTAssertTrue(r.text.contains("案件当前状态不允许此操作"), "\(form): \(r.text.prefix(300))")
                continue
            }
            XCTAssertEqual(r.status, 303, "\(form): \(r.text.prefix(300))")
            XCTAssertEqual(try status(id), expected, "\(form)")
            let page = try HTTPClient.get(port: t.port, r.header("location")!, headers: [("Cookie", who.cookie)])
            XCTAssertTrue(page.text.contains("已完成"), "\(form)")
        }
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM documents WHERE case_id = \(id)"), 3, "受理告知书, 答复意见书 and 复查意见书")
        XCTAssertTrue(try HTTPClient.get(port: t.port, "/cases/\(id)", headers: [("Cookie", handler.cookie)]).text.contains("登记复核申请"),
                      "after the 复查 decision, its 复核 may be requested")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM cases WHERE id = \(id) AND sealed"), 1)
        // A form without its token changes nothing.
        let forged = try HTTPClient.send(port: t.port, "POST", "/cases/\(id)/actions",
                                         headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", handler.cookie)],
                                         body: Array("action=request_rereview&text=x".utf8))
        XCTAssertEqual(forged.status, 403)
        XCTAssertEqual(try status(id), "closed")
    }

    func testAMandatoryReportIsRecordedFromTheCasePage() throws {
        let (handlerUser, handler) = try session(.handler, unit: city)
        var body = Sample.call(phone: Sample.randomPhone(), category: "sexual_assault")
        body["petitioner"] = ["name": "小红", "id_number": "420502201205150029"]
        let id = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts",
                                     token: try t.newOperator(role: .operator_, unit: city).1, body).decode(Receipt.self).caseId
        try t.store.assignHandler(caseID: Int64(id), handlerID: handlerUser.id, by: handlerUser)
        let task = try t.store.pool.withConnection {
            try $0.query("SELECT id FROM case_tasks WHERE case_id = \(Int64(id))").first!.decode("id", as: Int64.self)
        }
        let page = try HTTPClient.get(port: t.port, "/cases/\(id)", headers: [("Cookie", handler.cookie)])
        XCTAssertTrue(page.text.contains("强制报告"), "the required report is on the page")
        let incomplete = try post("/cases/\(id)/tasks/\(task)", ["reported_at": "2026-11-02T10:00:00+08:00", "station": "西陵派出所"], as: handler)
        XCTAssertEqual(incomplete.status, 200)
        XCTAssertTrue(incomplete.text.contains("请检查填写内容"))
        let done = try post("/cases/\(id)/tasks/\(task)", ["reported_at": "2026-11-02T10:00:00+08:00", "station": "西陵派出所",
                                                           "receipt_no": "XL2026110201"], as: handler)
        XCTAssertEqual(done.status, 303, done.text)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM case_tasks WHERE id = \(task) AND state = 'done'"), 1)
    }
}
