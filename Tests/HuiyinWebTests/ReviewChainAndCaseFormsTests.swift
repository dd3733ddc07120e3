import Foundation
import HuiyinCore
import HuiyinStore
import Postgres
import TestSupport
import XCTest

/// What a walk through a real case found (issue 10): review and re-review at the right levels with
/// their numbered opinions, notices that state the limits the case runs under, referral outcomes on
/// the case page with an open referral blocking closure, follow-up deadlines shown as their day.
final class ReviewChainAndCaseFormsTests: XCTestCase {
    var t: TestApp!
    var county = ""
    var handler: (StaffUser, String)!

    override func setUpWithError() throws {
        t = try TestApp(now: DeadlineSweepTests.morning("2026-11-02"))
        _ = try t.store.importShippedNotices()
        // province t → city t-c → a county of this test's own
        county = try t.newUnit("county", under: "t-c")
        handler = try t.newOperator(role: .handler, unit: county)
    }

    override func tearDown() { t = nil }

    func post(_ path: String, _ body: [String: Any] = [:], as who: (StaffUser, String)? = nil) throws -> HTTPResult {
        try HTTPClient.json(port: t.port, "POST", path, token: (who ?? handler).1, body)
    }

    func newCase(_ body: [String: Any]? = nil, category: String = "marriage_family") throws -> Int {
        var body = body ?? Sample.call(phone: Sample.randomPhone(), category: category)
        body["unit_id"] = try t.unitID(county)
        let r = try post("/api/v1/contacts", body)
        XCTAssertEqual(r.status, 201, r.text)
        let id = try r.decode(Receipt.self).caseId
        XCTAssertEqual(try post("/api/v1/cases/\(id)/handler", ["handler_id": handler.0.id]).status, 204)
        return id
    }

    func status(_ id: Int) throws -> String {
        try t.store.pool.withConnection { try $0.query("SELECT status FROM cases WHERE id = \(Int64(id))").first!.decode("status") }
    }

    /// Item 5: the city decided both 复查 and 复核, and the province then got 409.
    func testReviewGoesUpOneLevelAndReReviewOneLevelHigherStillEachWithItsNumberedOpinion() throws {
        let id = try newCase()
        let countySupervisor = try t.newOperator(role: .supervisor, unit: county)
        let citySupervisor = try ConsoleSession(t, .supervisor, unit: "t-c")
        let provinceSupervisor = try ConsoleSession(t, .supervisor, unit: "t")
        let city = (citySupervisor.user, try t.newOperator(role: .supervisor, unit: "t-c").1)
        let province = (provinceSupervisor.user, try t.newOperator(role: .supervisor, unit: "t").1)
        let countyName = try t.store.unitName(try t.unitID(county))

        XCTAssertEqual(try post("/api/v1/cases/\(id)/accept").status, 200)
        let reply = try XCTUnwrap(try post("/api/v1/cases/\(id)/reply", ["text": "经调解，男方同意按月支付抚养费。"]).decode(StepResult.self).document)
        XCTAssertTrue(reply.body.contains("向测试市妇联请求复查"))
        XCTAssertEqual(try post("/api/v1/cases/\(id)/review/request", ["reason": "对答复不服"]).status, 200)

        // 复查: only the level above the county that replied — not the county, not the province.
        let decision = ["decision": "upheld", "text": "原答复事实清楚，处理适当"]
        XCTAssertEqual(try post("/api/v1/cases/\(id)/review/decision", decision, as: countySupervisor).status, 403)
        XCTAssertEqual(try post("/api/v1/cases/\(id)/review/decision", decision, as: province).status, 403)
        XCTAssertTrue(try citySupervisor.get(t, "/cases/\(id)").text.contains("value=\"decide_review\""), "the city gets the form")
        XCTAssertFalse(try provinceSupervisor.get(t, "/cases/\(id)").text.contains("value=\"decide_review\""), "the province does not")
        let reviewed = try post("/api/v1/cases/\(id)/review/decision", decision, as: city)
        XCTAssertEqual(reviewed.status, 200, reviewed.text)
        let opinion = try XCTUnwrap(try reviewed.decode(StepResult.self).document)
        XCTAssertEqual(opinion.title, "复查意见书")
        XCTAssertTrue(opinion.number.hasPrefix("测试市妇联信复查〔2026〕"), "numbered by the city that issued it")
        let opinionBody = opinion.body
        XCTAssertTrue(opinionBody.contains("你对\(countyName)"), opinionBody)
        XCTAssertTrue(opinionBody.contains("维持原意见。原答复事实清楚，处理适当。"))
        XCTAssertTrue(opinionBody.contains("向测试省妇联请求复核"), "names the level above the reviewer")
        XCTAssertTrue(opinionBody.hasSuffix("测试市妇联\n2026年11月2日"))
        XCTAssertEqual(try status(id), "closed")

        // 复核: one level higher still — the city that decided the 复查 may not.
        XCTAssertEqual(try post("/api/v1/cases/\(id)/rereview/request", ["reason": "对复查意见不服"]).status, 200)
        let final = ["decision": "changed", "text": "责成原办理单位督促履行"]
        XCTAssertEqual(try post("/api/v1/cases/\(id)/rereview/decision", final, as: city).status, 403)
        XCTAssertFalse(try citySupervisor.get(t, "/cases/\(id)").text.contains("value=\"decide_rereview\""))
        XCTAssertTrue(try provinceSupervisor.get(t, "/cases/\(id)").text.contains("value=\"decide_rereview\""))
        let rereviewed = try post("/api/v1/cases/\(id)/rereview/decision", final, as: province)
        XCTAssertEqual(rereviewed.status, 200, rereviewed.text)
        let last = try XCTUnwrap(try rereviewed.decode(StepResult.self).document)
        XCTAssertEqual(last.title, "复核意见书")
        XCTAssertTrue(last.number.hasPrefix("测试省妇联信复核〔2026〕"))
        XCTAssertTrue(last.body.contains("你对测试市妇联"))
        XCTAssertTrue(last.body.contains("本复核意见为最终意见"))

        // Final: closed, and neither reopened nor reviewed again.
        XCTAssertEqual(try status(id), "closed")
        XCTAssertEqual(try post("/api/v1/cases/\(id)/rereview/request", ["reason": "再次不服"]).status, 409)
        XCTAssertEqual(try post("/api/v1/cases/\(id)/follow-ups", ["method": "call", "satisfaction": "unsatisfied", "reopen": true]).status, 409)

        // Four numbered documents on the case page, each printable.
        let page = try provinceSupervisor.get(t, "/cases/\(id)")
        for title in ["受理告知书", "答复意见书", "复查意见书", "复核意见书"] { XCTAssertTrue(page.text.contains(title), title) }
        let documents = try HTTPClient.get(port: t.port, "/api/v1/cases/\(id)", token: province.1).decode(CasePage.self).documents
        XCTAssertEqual(documents.map(\.kind), ["acceptance_notice", "reply", "review_opinion", "rereview_opinion"])
        let printable = try provinceSupervisor.get(t, try XCTUnwrap(documents.dropFirst(3).first).printUrl)
        XCTAssertEqual(printable.status, 200)
        XCTAssertTrue(printable.text.contains(last.number) && printable.text.contains("复核意见书"))
    }

    /// Item 6: a high-risk case's 受理告知书 promised 60 days while its clock ran 15; the query code
    /// was promised to a letter writer who never had one.
    func testNoticesStateTheLimitsTheCaseRunsUnderAndPromiseAQueryCodeOnlyToThoseGivenOne() throws {
        let id = try newCase(category: "domestic_violence")
        let checklist = try HTTPClient.get(port: t.port, "/api/v1/risk-checklist", token: handler.1).decode(Checklist.self).questions
        var answers = Dictionary(uniqueKeysWithValues: checklist.map { ($0.id, false) })
        answers["strangulation"] = true
        XCTAssertEqual(try post("/api/v1/cases/\(id)/risk-assessments", ["answers": answers]).decode(RiskGrade.self).grade, "high")
        let text = try XCTUnwrap(try post("/api/v1/cases/\(id)/accept").decode(StepResult.self).document).body
        XCTAssertTrue(text.contains("15日内办结"), text)
        XCTAssertFalse(text.contains("60日"))
        let handling = try t.store.pool.withConnection {
            try $0.query("SELECT rule_limit FROM clocks WHERE case_id = \(Int64(id)) AND kind = 'handling'").first!.decode("rule_limit", as: String.self)
        }
        XCTAssertEqual(handling, "15d", "the notice and the clock agree")
        XCTAssertTrue(text.contains("登记时告知你的查询码"), "a caller was told her code at intake")

        let letter = try newCase([
            "channel": "letter", "category": "marriage_family", "summary": "来信反映离婚后前夫拒不支付抚养费",
            "letter": ["received_on": "2026-11-01", "sender": "刘女士"],
        ])
        let letterNotice = try XCTUnwrap(try post("/api/v1/cases/\(letter)/accept").decode(StepResult.self).document)
        XCTAssertTrue(letterNotice.body.contains("60日内办结"))
        XCTAssertFalse(letterNotice.body.contains("查询码"), "a letter writer never had a query code")
    }

    /// Item 9: outcomes could be recorded only through the API, and a case closed with its referral open.
    func testAReferralOutcomeIsRecordedOnTheCasePageAndAnOpenReferralBlocksClosing() throws {
        let id = try newCase()
        let page = try ConsoleSession(t, .handler, unit: county)
        let supervisor = try t.newOperator(role: .supervisor, unit: county)
        XCTAssertEqual(try post("/api/v1/cases/\(id)/handler", ["handler_id": page.user.id], as: supervisor).status, 204)
        XCTAssertEqual(try post("/api/v1/cases/\(id)/accept").status, 200)
        let referred = try page.post(t, "/cases/\(id)/actions", ["action": "refer", "kind": "lawyer", "referred_to": "西陵区法律援助中心",
                                                                 "text": "代写起诉状"])
        XCTAssertEqual(referred.status, 303)
        XCTAssertEqual(try post("/api/v1/cases/\(id)/reply", ["text": "已为你联系法律援助。"]).status, 200)

        // The page shows whom it went to, with the outcome form.
        let shown = try page.get(t, "/cases/\(id)").text
        XCTAssertTrue(shown.contains("律师：<strong class=\"referred-to\">西陵区法律援助中心</strong>"), shown)
        let referral = try t.store.pool.withConnection {
            try $0.query("SELECT id FROM referrals WHERE case_id = \(Int64(id))").first!.decode("id", as: Int64.self)
        }
        XCTAssertTrue(shown.contains("action=\"/cases/\(id)/referrals/\(referral)/outcome\""))
        XCTAssertTrue(shown.contains("<label for=\"outcome-\(referral)\">"), "the outcome box has its label")

        // Closing is refused while the referral has no outcome, by the API and the page, in words.
        XCTAssertEqual(try post("/api/v1/cases/\(id)/close").errorCode, "referral_open")
        let refused = try page.post(t, "/cases/\(id)/actions", ["action": "close"])
        XCTAssertEqual(refused.status, 200)
        XCTAssertTrue(refused.text.contains("尚有转介未登记结果"))
        XCTAssertEqual(try status(id), "replied")

        // An empty outcome is refused and changes nothing; a real one is recorded, and then it closes.
        XCTAssertTrue(try page.post(t, "/cases/\(id)/referrals/\(referral)/outcome", ["outcome": "  "]).text.contains("转介结果"))
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM referrals WHERE id = \(referral) AND outcome IS NOT NULL"), 0)
        let recorded = try page.post(t, "/cases/\(id)/referrals/\(referral)/outcome", ["outcome": "已代写起诉状，法院已立案"])
        XCTAssertEqual(recorded.status, 303, recorded.text)
        let after = try page.get(t, "/cases/\(id)").text
        XCTAssertTrue(after.contains("结果：已代写起诉状，法院已立案"))
        XCTAssertFalse(after.contains("referrals/\(referral)/outcome"), "no form once recorded")
        XCTAssertEqual(try post("/api/v1/cases/\(id)/close").status, 200)
    }

    /// Item 14: a follow-up due at the end of 9 November showed as "2026-11-10 00:00".
    func testFollowUpDeadlinesShowAsTheirDay() throws {
        let id = try newCase(category: "domestic_violence")
        let checklist = try HTTPClient.get(port: t.port, "/api/v1/risk-checklist", token: handler.1).decode(Checklist.self).questions
        var answers = Dictionary(uniqueKeysWithValues: checklist.map { ($0.id, false) })
        answers["strangulation"] = true
        XCTAssertEqual(try post("/api/v1/cases/\(id)/risk-assessments", ["answers": answers]).status, 201)
        let page = try ConsoleSession(t, .supervisor, unit: "t-c").get(t, "/cases/\(id)").text
        // 7 days from 2 November: through 9 November (due at 00:00 on the 10th, Shanghai time).
        XCTAssertTrue(page.contains("2026-11-09"), "the 7-day follow-up shows its day")
        XCTAssertFalse(page.contains("2026-11-10 00:00"))
        XCTAssertFalse(page.contains(" 00:00）"), "no deadline shows as midnight of the next day")
        XCTAssertTrue(page.contains("2026-11-02 10:00"), "a report due at once keeps its time")
    }
}
