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
        XCTAssertEqual(NoticeKind.allCases.map(\.title), ["受理告知书", "不予受理告知书", "答复意见书"])
        XCTAssertEqual(NoticeKind.allCases.map(\.rawValue), ["acceptance_notice", "decline_notice", "reply"])
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
