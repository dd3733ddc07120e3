import Foundation
import HuiyinCore
import HuiyinStore
import TestSupport
import XCTest

/// The council's pages, as a browser uses them: the agenda (oldest first, days left, sealed leads
/// masked), the sitting form (through the same store functions as the API), a lead's audited page.
final class ConsoleCouncilTests: GrassrootsFixture {
    func testTheAgendaAndTheSittingFormRecordTheCouncilsDecisions() throws {
        let older = try addLead(gridA, by: worker).id
        t.clock.value = Self.morning("2026-11-04")
        let sealed = try addLead(gridB, by: officer, kind: "domestic_violence").id
        t.clock.value = Self.morning("2026-11-05")
        let chair = try ConsoleSession(t, .handler, unit: village)   // signed in today: a session does not last days

        let page = try chair.get(t, "/council")
        XCTAssertEqual(page.status, 200, page.text)
        XCTAssertTrue(page.text.contains("妇女议事会"))
        let olderAt = try XCTUnwrap(page.text.range(of: "data-lead=\"\(older)\""))
        let sealedAt = try XCTUnwrap(page.text.range(of: "data-lead=\"\(sealed)\""))
        XCTAssertLessThan(olderAt.lowerBound, sealedAt.lowerBound, "oldest first")
        XCTAssertTrue(page.text.contains("剩余 4 天"), "reported on the 2nd, due on the 9th, today the 5th")
        XCTAssertTrue(page.text.contains("剩余 6 天"))
        XCTAssertTrue(page.text.contains("密封线索"))
        XCTAssertFalse(page.text.contains("王秀英"), "people are masked on the agenda")
        XCTAssertTrue(page.text.contains("id=\"sitting-form\""))
        XCTAssertTrue(page.text.contains("就地调解"))

        // A form with a close but no reason: said in Chinese, what she typed kept, nothing stored.
        let bad = try chair.post(t, "/council/sittings", ["held_on": "2026-11-05", "participant_name_0": "陈桂兰",
                                                           "participant_role_0": "council_chair", "decision_\(older)": "close"])
        XCTAssertEqual(bad.status, 422)
        XCTAssertTrue(bad.text.contains("结束理由"), bad.text)
        XCTAssertTrue(bad.text.contains("value=\"陈桂兰\""))
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM sittings WHERE village_id = \(try t.unitID(village))"), 0)

        let done = try chair.post(t, "/council/sittings", [
            "held_on": "2026-11-05", "participant_name_0": "陈桂兰", "participant_role_0": "council_chair",
            "participant_name_1": "周大姐", "participant_role_1": "mediator",
            "decision_\(older)": "mediate_here", "mediator_kind_\(older)": "elder_mediator", "mediator_name_\(older)": "周大姐",
            "decision_\(sealed)": "report_police",
        ])
        XCTAssertEqual(done.status, 303, done.text)
        XCTAssertEqual(done.header("Location"), "/council?done=1")
        let sitting = try XCTUnwrap(try t.store.sittings(villageID: try t.unitID(village), for: chair.user)?.first)
        XCTAssertEqual(sitting.decisions, 2); XCTAssertEqual(sitting.participants, 2)
        XCTAssertEqual(try list(villageChair, "?status=open").map(\.id), [])
        let after = try chair.get(t, "/council?done=1")
        XCTAssertTrue(after.text.contains("议事记录已保存"))
        XCTAssertTrue(after.text.contains("暂无待研判的线索"))
    }

    func testALeadPageIsAnAuditedReadAndMaskedWhenSealed() throws {
        let chair = try ConsoleSession(t, .handler, unit: village)
        let plain = try addLead(gridA, by: worker).id
        let sealed = try addLead(gridA, by: worker, kind: "domestic_violence").id
        let open = try chair.get(t, "/leads/\(plain)")
        XCTAssertEqual(open.status, 200)
        XCTAssertTrue(open.text.contains("王秀英"))
        let masked = try chair.get(t, "/leads/\(sealed)")
        XCTAssertEqual(masked.status, 200)
        XCTAssertFalse(masked.text.contains("王秀英"))
        XCTAssertTrue(masked.text.contains("已密封"))
        XCTAssertEqual(try t.store.leadReads(id: Int64(sealed)).map(\.view), ["console"])
        XCTAssertEqual(try t.store.leadReads(id: Int64(sealed)).map(\.masked), [true])
        let neighbour = try ConsoleSession(t, .handler, unit: neighbourVillage)
        XCTAssertEqual(try neighbour.get(t, "/leads/\(plain)").status, 404)
        // Above the village the agenda is for following, not recording: no form.
        let above = try ConsoleSession(t, .supervisor, unit: township)
        let agenda = try above.get(t, "/council")
        XCTAssertEqual(agenda.status, 200)
        XCTAssertTrue(agenda.text.contains("data-lead=\"\(plain)\""))
        XCTAssertFalse(agenda.text.contains("id=\"record-sitting\""))
    }
}
