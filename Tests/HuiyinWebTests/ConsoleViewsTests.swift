@testable import HuiyinWeb
import XCTest

/// The console's typed views as swift-mustache reads them (by reflection): what the pages rely on.
final class ConsoleViewsTests: XCTestCase {
    /// Properties spelled with Swift keywords (`public`, `repeat`, `class`) reach the templates by their bare names.
    func testKeywordNamedPropertiesRenderUnderTheirBareNames() {
        let layout = ConsoleTemplates.render("layout", LayoutView(title: "网上信访", body: "<p>正文</p>", script: false, public: true, narrow: true))
        XCTAssertTrue(layout.contains(#"<html lang="zh-CN" class="public">"#), layout)
        XCTAssertTrue(layout.contains("<p>正文</p>"), "the body is the page's HTML, unescaped")
        XCTAssertFalse(layout.contains("field-labels"), "only pages with the script carry the labels")

        var row = Self.row()
        row.clocks = [LeaderClockView(kind: "办理期限", due_on: "2026年12月1日", class: "late")]
        row.csrf = "token"
        let leader = ConsoleTemplates.render("leader", LeaderView(rows: [row]))
        XCTAssertTrue(leader.contains(#"<span class="tag late">办理期限 2026年12月1日</span>"#), leader)

        let page = ConsoleTemplates.render("case", Self.casePage(repeat: true))
        XCTAssertTrue(page.contains("第 3 次来信来访"), page)
        XCTAssertFalse(ConsoleTemplates.render("case", Self.casePage(repeat: false)).contains("次来信来访"))
    }

    /// A nil optional is a missing key: its section stays closed, its inverted section opens, and a value
    /// inside a row is looked up on the page around it (the layout's token for a row's form).
    func testNilRendersAsAMissingKey() {
        var page = Self.casePage(repeat: false)
        page.victim = ConsoleVictimView(relation: "女儿", is_minor: true, age: nil, birth_date: nil)
        page.referrals = [ReferralRowView(id: 7, case_id: 1, csrf: "token", kind: "律师", to: "某律师事务所", at: "2026-11-02 10:00", note: nil)]
        page.has_referrals = true
        let html = ConsoleTemplates.render("case", page)
        XCTAssertTrue(html.contains(#"<p id="victim"><strong>当事人：</strong>女儿 · <span class="tag high">未成年人</span></p>"#), html)
        XCTAssertTrue(html.contains("（2026-11-02 10:00 转介）"), "no note, no 「；」")
        XCTAssertTrue(html.contains(#"action="/cases/1/referrals/7/outcome""#), "no outcome: the form to record it")
        XCTAssertFalse(html.contains("nil"))

        let inbox = ConsoleTemplates.render("inbox", InboxView(rows: [Self.row()]))
        XCTAssertFalse(inbox.contains("<span class=\"tag"), "no due day, no reports: no tags")
    }

    static func row() -> CaseRowView {
        CaseRowView(id: 1, tracking_no: "HY20261102000001", category: "婚姻家庭", status: "已受理", unit: "西陵区妇联", masked: false,
                    name: "王芳", phone: "138****8000", summary: "诉求", collective: nil)
    }

    static func casePage(repeat: Bool) -> CasePageView {
        CasePageView(id: 1, tracking_no: "HY20261102000001", sealed: false, masked: false, can_break: false, broke_seal: false,
                     csrf: "token", category: "婚姻家庭", status: "已受理", unit: "西陵区妇联", channel: "来电",
                     received_on: "2026年11月2日", repeat: `repeat`, contact_count: 3, summary: "诉求")
    }
}
