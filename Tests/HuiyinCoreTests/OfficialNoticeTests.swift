import XCTest
@testable import HuiyinCore

final class OfficialNoticeTests: XCTestCase {
    func facts(name: String? = "王芳", reason: String? = nil, reviewUnit: String? = "湖北省妇联") -> NoticeFacts {
        NoticeFacts(petitionerName: name, trackingNo: "HY20261120-000042",
                    receivedOn: LocalDate(year: 2026, month: 11, day: 20)!, channelLabel: "12338热线来电",
                    categoryLabel: "家庭暴力", unitName: "宜昌市妇联", reviewUnitName: reviewUnit,
                    issuedOn: LocalDate(year: 2026, month: 11, day: 24)!, handlingLimitDays: 60, reason: reason)
    }

    func assertCommonParts(_ text: String, _ kind: NoticeKind, file: StaticString = #filePath, line: UInt = #line) {
        let paragraphs = text.components(separatedBy: "\n\n")
        XCTAssertGreaterThanOrEqual(paragraphs.count, 4, "\(kind)", file: file, line: line)
        XCTAssertEqual(paragraphs.first, "王芳：", "\(kind)", file: file, line: line)
        XCTAssertEqual(paragraphs.last, "宜昌市妇联\n2026年11月24日", "\(kind)", file: file, line: line)
        XCTAssertTrue(text.contains("HY20261120-000042"), "\(kind)", file: file, line: line)
        XCTAssertTrue(text.contains("2026年11月20日以12338热线来电方式反映的家庭暴力"), "\(kind)", file: file, line: line)
        XCTAssertFalse(text.contains("2026-"), "no ISO dates in a letter to a petitioner", file: file, line: line)
    }

    func testChineseDatesHaveNoLeadingZeros() {
        XCTAssertEqual(LocalDate(year: 2026, month: 11, day: 24)!.chineseText, "2026年11月24日")
        XCTAssertEqual(LocalDate(year: 2027, month: 1, day: 5)!.chineseText, "2027年1月5日")
    }

    func testDocumentNumber() {
        XCTAssertEqual(OfficialNoticeText.number(unitName: "宜昌市妇联", kind: .acceptance, year: 2026, serial: 15), "宜昌市妇联信受〔2026〕15号")
        XCTAssertEqual(OfficialNoticeText.number(unitName: "宜昌市妇联", kind: .decline, year: 2026, serial: 3), "宜昌市妇联信不受〔2026〕3号")
        XCTAssertEqual(OfficialNoticeText.number(unitName: "夷陵区妇联", kind: .reply, year: 2027, serial: 120), "夷陵区妇联信复〔2027〕120号")
    }

    func testKindsHaveTheirTitles() {
        XCTAssertEqual(NoticeKind.allCases.map(\.title), ["受理告知书", "不予受理告知书", "答复意见书", "复查意见书", "复核意见书"])
        XCTAssertEqual(NoticeKind.allCases.map(\.rawValue), ["acceptance_notice", "decline_notice", "reply", "review_opinion", "rereview_opinion"])
        XCTAssertEqual(OfficialNoticeText.number(unitName: "湖北省妇联", kind: .rereviewOpinion, year: 2026, serial: 2), "湖北省妇联信复核〔2026〕2号")
    }

    /// Issue 10 item 6: a high-risk case's notice promised 60 days while its clock ran 15, and every
    /// notice promised tracking by a query code that is printed nowhere.
    func testAcceptanceStatesTheLimitTheCaseRunsUnderAndMentionsTheQueryCodeOnlyIfGiven() {
        var highRisk = facts()
        highRisk.handlingLimit = .days(15)
        let text = OfficialNoticeText.body(.acceptance, highRisk)
        XCTAssertTrue(text.contains("15日内办结"))
        XCTAssertFalse(text.contains("60日"))
        XCTAssertFalse(text.contains("查询码"), "a letter writer was never given one")
        XCTAssertTrue(text.contains("凭信访编号HY20261120-000042向本单位查询办理进度。"))
        var working = facts()
        working.handlingLimit = .workingDays(40)
        working.handlingExtension = nil
        let workingText = OfficialNoticeText.body(.acceptance, working)
        XCTAssertTrue(workingText.contains("40个工作日内办结"))
        XCTAssertFalse(workingText.contains("延长"), "no extension promised where the rules allow none")
        var told = facts()
        told.queryCodeGiven = true
        XCTAssertTrue(OfficialNoticeText.body(.acceptance, told).contains("登记时告知你的查询码"))
    }

    func testReviewAndRereviewOpinionsNameTheDecisionAndTheNextStep() {
        var review = facts(reason: "原答复认定事实清楚", reviewUnit: "湖北省妇联")
        review.unitName = "宜昌市妇联"
        review.reviewedUnitName = "西陵区妇联"
        review.decision = .upheld
        let text = OfficialNoticeText.body(.reviewOpinion, review)
        XCTAssertEqual(text.components(separatedBy: "\n\n").first, "王芳：")
        XCTAssertEqual(text.components(separatedBy: "\n\n").last, "宜昌市妇联\n2026年11月24日")
        XCTAssertTrue(text.contains("你对西陵区妇联"))
        XCTAssertTrue(text.contains("维持原意见。原答复认定事实清楚。"))
        XCTAssertTrue(text.contains("向湖北省妇联请求复核"))
        var rereview = review
        rereview.unitName = "湖北省妇联"
        rereview.reviewedUnitName = "宜昌市妇联"
        rereview.decision = .changed
        let final = OfficialNoticeText.body(.rereviewOpinion, rereview)
        XCTAssertTrue(final.contains("你对宜昌市妇联") && final.contains("复查意见不服"))
        XCTAssertTrue(final.contains("变更原意见。"))
        XCTAssertTrue(final.contains("本复核意见为最终意见"))
        XCTAssertFalse(final.contains("日内，向"), "no further step offered")
        var missing = review
        missing.decision = nil
        XCTAssertEqual(OfficialNoticeText.problems(.reviewOpinion, missing).map(\.field), ["decision"])
    }

    func testAcceptanceStatesTheHandlingLimitAndHowToFollowProgress() {
        let text = OfficialNoticeText.body(.acceptance, facts())
        assertCommonParts(text, .acceptance)
        XCTAssertTrue(text.contains("予以受理"))
        XCTAssertTrue(text.contains("第三十四条"))
        XCTAssertTrue(text.contains("60日内办结"))
        XCTAssertTrue(text.contains("凭信访编号HY20261120-000042"))
        var shorter = facts()
        shorter.handlingLimitDays = 30
        XCTAssertTrue(OfficialNoticeText.body(.acceptance, shorter).contains("30日内办结"), "the limit is configuration")
    }

    func testDeclineGivesTheReasonAndWhereElseToTurn() {
        let text = OfficialNoticeText.body(.decline, facts(reason: "该事项已进入诉讼程序，应由人民法院依法处理"))
        assertCommonParts(text, .decline)
        XCTAssertTrue(text.contains("不予受理"))
        XCTAssertTrue(text.contains("理由如下：该事项已进入诉讼程序，应由人民法院依法处理。"), "the reason, closed as a sentence")
        XCTAssertTrue(text.contains("诉讼、仲裁、行政复议"))
        XCTAssertTrue(text.contains("110"))
    }

    func testReplyCarriesTheOpinionAndTheRightToReview() {
        let opinion = "经调查核实，已协调派出所出具告诫书，并为你申请法律援助。"
        let text = OfficialNoticeText.body(.reply, facts(reason: opinion))
        assertCommonParts(text, .reply)
        XCTAssertTrue(text.components(separatedBy: "\n\n").contains(opinion), "the opinion is its own paragraph, unchanged")
        XCTAssertTrue(text.contains("自收到本答复意见书之日起30日内，向湖北省妇联请求复查"))
        XCTAssertTrue(text.contains("第三十五条"))
    }

    func testAtTheTopTheReviewRightIsStillStated() {
        let text = OfficialNoticeText.body(.reply, facts(reason: "已办结。", reviewUnit: nil))
        XCTAssertTrue(text.contains("30日内，向本单位的上一级机关、单位请求复查"))
    }

    func testAnAnonymousPetitionerIsAddressedAsPetitioner() {
        for name in [nil, "", "  "] as [String?] {
            XCTAssertTrue(OfficialNoticeText.body(.acceptance, facts(name: name)).hasPrefix("信访人：\n\n"))
        }
    }

    func testAMissingReasonIsVisibleAndReportedBeforeIssuing() {
        XCTAssertTrue(OfficialNoticeText.body(.decline, facts(reason: nil)).contains("（未填写）"))
        XCTAssertEqual(OfficialNoticeText.problems(.decline, facts(reason: " ")).map(\.field), ["reason"])
        XCTAssertEqual(OfficialNoticeText.problems(.reply, facts(reason: nil)).map(\.field), ["reason"])
        XCTAssertEqual(OfficialNoticeText.problems(.acceptance, facts()), [])
        XCTAssertEqual(OfficialNoticeText.problems(.reply, facts(reason: "已办结。")), [])
    }
}
