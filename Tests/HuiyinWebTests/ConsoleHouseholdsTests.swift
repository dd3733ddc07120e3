import Foundation
import HuiyinCore
import HuiyinStore
import TestSupport
import XCTest

/// The key-household register in the console, against the real server and database: the village
/// chair's and the grid worker's register pages (her grids with their profiles, the households masked
/// as in the API's list, sealed rows showing only their grid, review days passed marked), the household
/// page (the audited read), and its forms posted as a browser does.
final class ConsoleHouseholdsTests: XCTestCase {
    var t: TestApp!
    var village = "", gridA = "", gridB = ""
    var chair: ConsoleSession!, worker: ConsoleSession!, otherWorker: ConsoleSession!

    override func setUpWithError() throws {
        t = try TestApp()
        let township = try t.newUnit("township", under: try t.newUnit("county", under: "t-c"))
        village = try t.newUnit("village", under: township)
        gridA = try t.newUnit("grid", under: village)
        gridB = try t.newUnit("grid", under: village)
        _ = try t.store.importUnits([UnitRow(code: gridA, name: "幸福村第一网格", level: .grid, parentCode: village,
                                             profile: GridProfile(households: 312, residents: 4217, children: 305, elderlyAlone: 6,
                                                                  womensGroups: "3栋、5栋妇女小组"))])
        chair = try ConsoleSession(t, .handler, unit: village)
        worker = try ConsoleSession(t, .gridWorker, unit: gridA)
        otherWorker = try ConsoleSession(t, .gridWorker, unit: gridB)
    }

    override func tearDown() { t = nil }

    /// A household added through the add form; returns its id (from the redirect to its page).
    func addThroughTheForm(_ who: ConsoleSession, grid: String, head: String, extra: [String: String] = [:]) throws -> Int64 {
        let r = try who.post(t, "/households", [
            "grid_id": String(try t.unitID(grid)), "head_name": head, "address": "宜昌市幸福村3组18号", "phone": "13807171234",
            "category_family_in_hardship": "yes", "member_1_name": "李建国", "member_1_relation": "spouse", "member_1_age": "52",
        ].merging(extra) { $1 })
        XCTAssertEqual(r.status, 303, r.text.prefix(2000).description)
        let location = try XCTUnwrap(r.header("location"))
        XCTAssertTrue(location.hasSuffix("?done=added"), location)
        return try XCTUnwrap(Int64(location.dropFirst("/households/".count).prefix { $0.isNumber }))
    }

    func testTheRegisterForTheVillageChairAndTheGridWorker() throws {
        let mine = try addThroughTheForm(worker, grid: gridA, head: "王秀英")
        let theirs = try addThroughTheForm(otherWorker, grid: gridB, head: "张桂兰")
        let sealed = try addThroughTheForm(worker, grid: gridA, head: "刘翠花", extra: ["matter_domestic_violence": "yes"])

        // The village chair: both grids, the profile, every household masked, the sealed one only as sealed.
        let page = try chair.get(t, "/households")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("lang=\"zh-CN\"") && page.header("content-security-policy") != nil)
        XCTAssertTrue(page.text.contains("幸福村第一网格") && page.text.contains("4217") && page.text.contains("3栋、5栋妇女小组"))
        XCTAssertTrue(page.text.contains("href=\"/households\" class=\"current\""), "重点户 in her navigation")
        for id in [mine, theirs, sealed] { XCTAssertTrue(page.text.contains("data-household-id=\"\(id)\""), "\(id)") }
        XCTAssertTrue(page.text.contains("王**") && page.text.contains("138****1234") && page.text.contains("困难家庭"))
        XCTAssertFalse(page.text.contains("王秀英") || page.text.contains("13807171234") || page.text.contains("幸福村3组"))
        XCTAssertFalse(page.text.contains("刘**"), "a sealed row shows no name, even masked")
        XCTAssertTrue(page.text.contains("<span class=\"tag sealed\">密封</span>"))
        // No English code is shown to staff: the page's text, its markup aside.
        let shown = page.text.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        for code in ["family_in_hardship", "domestic_violence", "orange", "grid_worker", "sealed"] {
            XCTAssertFalse(shown.contains(code), code)
        }

        // Her grid worker: her grid only; another grid's household is neither listed nor readable.
        let hers = try worker.get(t, "/households")
        XCTAssertEqual(hers.status, 200)
        XCTAssertTrue(hers.text.contains("data-household-id=\"\(mine)\""))
        XCTAssertFalse(hers.text.contains("data-household-id=\"\(theirs)\""))
        XCTAssertFalse(hers.text.contains("data-grid-id=\"\(try t.unitID(gridB))\""))
        XCTAssertEqual(try worker.get(t, "/households/\(theirs)").status, 404)
        // Asking for the other grid by its id falls back to her own register, never the other's.
        XCTAssertFalse(try worker.get(t, "/households?grid_id=\(try t.unitID(gridB))").text.contains("data-household-id=\"\(theirs)\""))

        // Filters: by grid, category and colour.
        let onlyB = try chair.get(t, "/households?grid_id=\(try t.unitID(gridB))").text
        XCTAssertTrue(onlyB.contains("data-household-id=\"\(theirs)\"") && !onlyB.contains("data-household-id=\"\(mine)\""))
        XCTAssertFalse(try chair.get(t, "/households?category=empty_nest_or_left_behind").text.contains("data-household-id=\"\(mine)\""))
        XCTAssertFalse(try chair.get(t, "/households?colour=red").text.contains("data-household-id="))
        let filtered = try chair.get(t, "/households?grid_id=\(try t.unitID(gridB))").text
        XCTAssertTrue(filtered.contains("href=\"/api/v1/households/export.csv?grid_id=\(try t.unitID(gridB))\""), "the export keeps the filter")
        // The export link works with her console session, masked as the page.
        let csv = try chair.get(t, "/api/v1/households/export.csv?grid_id=\(try t.unitID(gridB))")
        XCTAssertEqual(csv.status, 200, csv.text)
        XCTAssertTrue(csv.text.contains("张**") && !csv.text.contains("张桂兰") && !csv.text.contains("王**"))
    }

    func testTheHouseholdPageIsTheAuditedReadAndASealedOneShowsOnlyItsGrid() throws {
        let plain = try addThroughTheForm(worker, grid: gridA, head: "王秀英",
                                          extra: ["member_2_name": "李小红", "member_2_relation": "child", "member_2_age": "9"])
        // A child under 18 seals the household: the chair is in scope but outside the seal's circle.
        let masked = try chair.get(t, "/households/\(plain)")
        XCTAssertEqual(masked.status, 200)
        XCTAssertTrue(masked.text.contains("id=\"masked\"") && masked.text.contains("幸福村第一网格"))
        XCTAssertFalse(masked.text.contains("王秀英") || masked.text.contains("李小红") || masked.text.contains("13807171234"))
        XCTAssertFalse(masked.text.contains("id=\"classify\""), "no classification form for a household sealed to her")
        let whole = try worker.get(t, "/households/\(plain)")
        XCTAssertTrue(whole.text.contains("王秀英") && whole.text.contains("李小红") && whole.text.contains("未成年人"))
        XCTAssertTrue(whole.text.contains("宜昌市幸福村3组18号") && whole.text.contains("13807171234"))
        let reads = try t.store.householdReads(id: plain)
        XCTAssertEqual(reads.map(\.userID), [chair.user.id, worker.user.id])
        XCTAssertEqual(reads.map(\.masked), [true, false])
        XCTAssertEqual(Set(reads.map(\.view)), ["household_page"])
        XCTAssertEqual(try chair.get(t, "/households/999999").status, 404)
    }

    func testTheFormsClassifyKeepHistoryAndRefuseBadInputInChinese() throws {
        let id = try addThroughTheForm(worker, grid: gridA, head: "王秀英")
        let first = try chair.post(t, "/households/\(id)/classification",
                                   ["grade": "A", "colour": "red", "reason": "夫妻矛盾激烈", "review_on": "2099-01-10"])
        XCTAssertEqual(first.status, 303, first.text.prefix(1000).description)
        XCTAssertEqual(first.header("location"), "/households/\(id)?done=classified")
        XCTAssertEqual(try worker.post(t, "/households/\(id)/classification",
                                       ["grade": "B", "colour": "pink", "reason": "已调解，保持跟踪", "review_on": "2099-04-10"]).status, 303)
        let page = try worker.get(t, "/households/\(id)?done=classified")
        XCTAssertTrue(page.text.contains("已保存分类"))
        XCTAssertTrue(page.text.contains("B类 · 粉色") && page.text.contains("A类 · 红色"), "the history, newest first")
        XCTAssertLessThan(try XCTUnwrap(page.text.range(of: "已调解，保持跟踪")).lowerBound, try XCTUnwrap(page.text.range(of: "夫妻矛盾激烈")).lowerBound)
        XCTAssertTrue(page.text.contains(chair.user.displayName) && page.text.contains("2099年4月10日"))
        XCTAssertTrue(page.text.contains("<strong>当前分类：</strong><span class=\"tag colour-pink\">B类 · 粉色</span> 已调解，保持跟踪（\(worker.user.displayName) 于"),
                      "the current classification: who set it, and its review day")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM household_classifications WHERE household_id = \(id)"), 2)

        // Refused: every bad field named in Chinese, nothing written, what she typed kept.
        let refused = try worker.post(t, "/households/\(id)/classification", ["grade": "D", "colour": "red", "reason": "仍需关注", "review_on": "2000-01-01"])
        XCTAssertEqual(refused.status, 200)
        XCTAssertTrue(refused.text.contains("请检查填写内容（等级、下次复核日期）"), refused.text.prefix(3000).description)
        XCTAssertTrue(refused.text.contains("仍需关注"))
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM household_classifications WHERE household_id = \(id)"), 2)
        let before = try t.count("SELECT count(*) AS n FROM households")
        let bad = try worker.post(t, "/households", ["grid_id": String(try t.unitID(gridA)), "head_name": "", "address": "幸福村",
                                                     "member_1_name": "小明", "member_1_age": "200"])
        XCTAssertEqual(bad.status, 200)
        XCTAssertTrue(bad.text.contains("请检查填写内容（户主姓名、四必访类别、成员1年龄）"), bad.text.prefix(3000).description)
        XCTAssertTrue(bad.text.contains("value=\"幸福村\""), "what she typed stays in the form")
        // Another grid's register is not hers to add to; a form without its token changes nothing.
        XCTAssertTrue(try worker.post(t, "/households", ["grid_id": String(try t.unitID(gridB)), "head_name": "张", "address": "某地",
                                                         "category_family_in_hardship": "yes"]).text.contains("该网格或重点户不存在，或不在您的查看范围内"))
        let forged = try HTTPClient.send(port: t.port, "POST", "/households/\(id)/classification",
                                         headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", worker.cookie)],
                                         body: Array("grade=C&colour=pink&reason=x&review_on=2099-01-01".utf8))
        XCTAssertEqual(forged.status, 403)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM households"), before)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM household_classifications WHERE household_id = \(id)"), 2)
    }

    func testAPassedReviewDayIsMarkedAndPagesFollowEachOther() throws {
        var ids: [Int64] = []
        for n in 0..<53 { ids.append(try addThroughTheForm(worker, grid: gridA, head: "王秀英\(n)")) }
        let past = Store(pool: t.store.pool, timeZone: t.store.timeZone, rules: t.store.rules, region: t.store.region,
                         now: { Date(timeIntervalSince1970: 1_700_000_000) })
        _ = try past.classifyHousehold(id: ids[52], HouseholdClassification(grade: .b, colour: .orange, reason: "按期复核",
                                                                           reviewOn: past.today.adding(days: 60)), by: worker.user)
        let first = try chair.get(t, "/households").text
        XCTAssertTrue(first.contains("共 <strong id=\"household-count\">53</strong> 户"))
        XCTAssertTrue(first.contains("review-due\">复核到期"), "the household past its review day is marked")
        XCTAssertTrue(first.contains("<span class=\"tag late\">1 户</span>"), "and counted on its grid")
        let next = try XCTUnwrap(first.range(of: "id=\"next-page\" href=\"").map { first[$0.upperBound...].prefix { $0 != "\"" } })
        XCTAssertEqual(next.replacingOccurrences(of: "&amp;", with: "&"), "/households?before_id=\(ids[3])")
        let second = try chair.get(t, String(next)).text
        XCTAssertTrue(second.contains("data-household-id=\"\(ids[0])\"") && !second.contains("data-household-id=\"\(ids[52])\""))
        XCTAssertFalse(second.contains("id=\"next-page\""))
        let due = try chair.get(t, "/households?review_due=true").text
        XCTAssertTrue(due.contains("data-household-id=\"\(ids[52])\"") && !due.contains("data-household-id=\"\(ids[0])\""))
    }
}
