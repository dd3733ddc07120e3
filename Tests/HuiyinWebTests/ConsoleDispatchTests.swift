import Foundation
import HuiyinCore
@testable import HuiyinStore
import Postgres
import TestSupport
import XCTest

/// The console's dispatch and follow-up pages: the township signs or objects on its list (days left
/// shown), records progress and the outcome on the dispatch page, the village records a follow-up;
/// the supervisors' page shows the dispatch figures; a neighbouring township's page is not found.
final class ConsoleDispatchTests: XCTestCase {
    var t: TestApp!
    var p: GrassrootsPlace!

    override func setUpWithError() throws {
        t = try TestApp(now: ISO8601DateFormatter().date(from: "2026-11-05T02:00:00Z")!)
        p = try GrassrootsPlace(t)
    }

    override func tearDown() {
        p = nil
        t = nil
    }

    func testTheTownshipSignsObjectsAndRecordsTheOutcomeInTheConsole() throws {
        let township = try ConsoleSession(t, .handler, unit: p.township)
        let neighbour = try ConsoleSession(t, .handler, unit: p.neighbourTownship)
        let signLead = try p.lead(risk: "medium", summary: "婆媳矛盾激化")
        let signID = try p.dispatch(signLead, to: p.township).decode(Created.self).id
        let objectLead = try p.lead(risk: "high")
        let objectID = try p.dispatch(objectLead, to: p.township).decode(Created.self).id

        let list = try township.get(t, "/dispatches")
        XCTAssertEqual(list.status, 200)
        XCTAssert(list.text.contains("婆媳矛盾激化") && list.text.contains("剩余3个工作日"), list.text)
        XCTAssert(list.text.contains("action=\"/dispatches/\(signID)/sign\""))
        XCTAssertFalse(try neighbour.get(t, "/dispatches").text.contains("婆媳矛盾激化"))
        XCTAssertEqual(try neighbour.get(t, "/dispatches/\(signID)").status, 404)
        XCTAssertEqual(try neighbour.post(t, "/dispatches/\(signID)/sign", [:]).status, 404)

        var r = try township.post(t, "/dispatches/\(objectID)/object", ["reason": " "])
        XCTAssertEqual(r.status, 422)
        XCTAssert(r.text.contains("理由"), "the refused field named in Chinese")
        r = try township.post(t, "/dispatches/\(objectID)/object", ["reason": "不属本镇管辖"])
        XCTAssertEqual(r.status, 303)
        XCTAssertEqual(try p.leadRow(objectLead).status, "open")
        XCTAssertEqual(try township.post(t, "/dispatches/\(signID)/sign", [:]).status, 303)

        let page = try township.get(t, "/dispatches/\(signID)")
        XCTAssert(page.text.contains("已签收调处中") && page.text.contains("登记结果"), page.text)
        XCTAssertEqual(try township.post(t, "/dispatches/\(signID)/notes", ["note": "已约谈双方"]).status, 303)
        r = try township.post(t, "/dispatches/\(signID)/outcome", ["result": "not_settled"])
        XCTAssertEqual(r.status, 422)
        XCTAssert(r.text.contains("下一步措施"), r.text)
        XCTAssertEqual(try township.post(t, "/dispatches/\(signID)/outcome", ["result": "settled", "note": "和解"]).status, 303)
        let done = try township.get(t, "/dispatches/\(signID)").text
        XCTAssert(done.contains("已约谈双方") && done.contains("已化解"), done)
        XCTAssertEqual(try p.leadRow(signLead).status, "settled")

        // The village's follow-ups due, recorded from its page.
        let chair = try ConsoleSession(t, .handler, unit: p.village)
        let due = try chair.get(t, "/follow-ups")
        XCTAssert(due.text.contains("第1次回访") && due.text.contains("2026年12月7日"), due.text)
        XCTAssertEqual(try chair.post(t, "/leads/\(signLead)/follow-ups", ["made_on": "2026-11-05", "method": "phone", "result": "calm"]).status, 303)
        XCTAssertFalse(try chair.get(t, "/follow-ups").text.contains("第1次回访"))
        XCTAssertEqual(try ConsoleSession(t, .handler, unit: p.neighbourVillage).post(
            t, "/leads/\(signLead)/follow-ups", ["made_on": "2026-11-05", "method": "phone", "result": "calm"]).status, 404)

        // The supervisors' page: the dispatch figures beside the petition figures.
        let supervisor = try ConsoleSession(t, .supervisor, unit: p.county)
        let dashboard = try supervisor.get(t, "/dashboard").text
        XCTAssert(dashboard.contains("id=\"dispatch-figures\""), dashboard)
        let townshipName = try t.store.unitName(try t.unitID(p.township))
        XCTAssert(dashboard.contains("<td>\(townshipName)</td><td>2</td><td>1</td><td>0</td><td>1</td><td>1</td><td>0</td><td>0</td><td>0</td>"),
                  dashboard)
    }
}
