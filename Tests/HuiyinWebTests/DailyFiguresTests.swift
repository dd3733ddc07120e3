import Foundation
import HuiyinCore
import HuiyinStore
import Postgres
import TestSupport
import XCTest

/// The daily figures against counts made by hand on a small tree: every fact at the unit that held
/// the matter that day, every level reading its own subtree, a sealed case counted and never shown.
final class DailyFiguresTests: XCTestCase {
    var t: TestApp!
    var county = "", townA = "", townB = "", villageA = ""

    static func at(_ day: String, _ hour: Int = 2) -> Date {
        ISO8601DateFormatter().date(from: day + "T" + String(format: "%02d", hour) + ":00:00Z")!
    }
    func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    override func setUpWithError() throws {
        t = try TestApp(now: Self.at("2026-11-03"))
        county = try t.newUnit("county", under: "t-c")
        townA = try t.newUnit("township", under: county)
        townB = try t.newUnit("township", under: county)
        villageA = try t.newUnit("village", under: townA)
    }

    override func tearDown() { t = nil }

    func contact(_ token: String, _ body: [String: Any]) throws -> Int {
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, body)
        XCTAssertEqual(r.status, 201, r.text)
        return try r.decode(Receipt.self).caseId
    }

    func counts(_ unit: String, _ from: String = "2026-11-01", _ through: String = "2026-11-30") throws -> FigureCounts {
        try t.store.figures(unit: try t.unitID(unit), from: day(from), through: day(through))
    }

    func testFiguresMatchHandCountsThroughATransferAndASealedCase() throws {
        let opA = try t.newOperator(role: .handler, unit: townA).1
        let opB = try t.newOperator(role: .operator_, unit: townB).1
        let opVillage = try t.newOperator(role: .handler, unit: villageA).1

        // 3 November: two calls at township A (one of them domestic violence, sealed), a collective
        // visit at township B, a letter at village A.
        let family = try contact(opA, Sample.call(phone: Sample.randomPhone(), summary: "婆媳矛盾，要求调解"))
        let sealed = try contact(opA, Sample.call(phone: Sample.randomPhone(), summary: "丈夫殴打，孩子目睹", category: "domestic_violence"))
        _ = try contact(opB, ["channel": "visit", "category": "labor_social_security", "summary": "六名女工集体来访反映被拖欠工资",
                              "visit": ["window": "乡妇联接待窗口", "visitors": 6]])
        _ = try contact(opVillage, ["channel": "letter", "category": "property_rights", "summary": "来信反映土地承包权益",
                                    "letter": ["received_on": "2026-11-02", "sender": "李某", "on_behalf": false]])

        // 10 November: the family case's petitioner calls again; the case is then transferred down to
        // the village, and she calls a third time — now the village's contact.
        t.clock.value = Self.at("2026-11-10")
        _ = try contact(opA, ["channel": "call", "case_id": family, "summary": "再次来电催问", "call": ["sub_line": "legal"]])
        let transfer = try HTTPClient.json(port: t.port, "POST", "/api/v1/cases/\(family)/transfer", token: opA,
                                           ["unit_id": try t.unitID(villageA), "reason": "属地管理"])
        XCTAssertEqual(transfer.status, 200, transfer.text)
        t.clock.value = Self.at("2026-11-10", 5)
        _ = try contact(opVillage, ["channel": "call", "case_id": family, "summary": "第三次来电", "call": ["sub_line": "legal"]])

        // A contact of 1 December is another month's.
        t.clock.value = Self.at("2026-12-01")
        _ = try contact(opB, Sample.call(phone: Sample.randomPhone()))

        let rebuilt = try t.store.rebuildDailyFigures(from: day("2026-11-01"), through: day("2026-12-01"))
        XCTAssertEqual(rebuilt.days.count, 31)

        let village = try counts(villageA)
        XCTAssertEqual(village.breakdown(.contactsByChannel), ["letter": 1, "call": 1], "the letter, and the call after the transfer")
        XCTAssertEqual(village.total(.repeatContacts), 1, "the third call is a repeat")
        XCTAssertEqual(village[.caseEvents, "transferred"], 1, "a transfer is counted where the case went")
        XCTAssertEqual(village[.casesByCategory, "property_rights"], 1)

        let a = try counts(townA)
        XCTAssertEqual(a.breakdown(.contactsByChannel), ["call": 4, "letter": 1], "its own three calls and the village's two contacts")
        XCTAssertEqual(a.total(.repeatContacts), 2)
        XCTAssertEqual(a[.contactsByCategory, "domestic_violence"], 1, "the sealed case is counted")
        XCTAssertEqual(a[.caseEvents, "registered"], 3)

        let b = try counts(townB)
        XCTAssertEqual(b.total(.contactsByChannel), 1, "December's call is not November's")
        XCTAssertEqual(b.total(.collectiveVisits), 1)
        XCTAssertEqual(try counts(townB, "2026-12-01", "2026-12-31").total(.contactsByChannel), 1)

        let whole = try counts(county)
        XCTAssertEqual(whole.total(.contactsByChannel), 6)
        XCTAssertEqual(whole.total(.collectiveVisits), 1)
        XCTAssertEqual(whole.total(.casesByCategory), 4)
        XCTAssertEqual(try counts(county, "2026-11-10", "2026-11-10").total(.contactsByChannel), 2, "one day")

        // The unit that held the case before the transfer keeps the earlier work: the second call.
        let aOnly = try t.store.pool.withConnection { db in
            try db.query("""
                SELECT count(*) AS n FROM contacts WHERE case_id = \(Int64(family)) AND unit_id = \(try t.unitID(townA))
                """).first!.decode("n", as: Int.self)
        }
        XCTAssertEqual(aOnly, 2)

        // Children of the county, each its own subtree; counts only, no text of any case.
        let children = try t.store.figuresOfChildren(unit: try t.unitID(county), from: day("2026-11-01"), through: day("2026-11-30"))
        XCTAssertEqual(children.map { $0.counts.total(.contactsByChannel) }.sorted(), [1, 5])
        let stored = try t.store.pool.withConnection { db in
            try db.query("SELECT string_agg(measure || dimension, ' ') AS s FROM daily_figures").first!.decode("s", as: String.self)
        }
        XCTAssertFalse(stored.contains("殴打"))
        _ = sealed
    }

    func testARefreshReplacesTheDayAndOnlyFinalDaysAreLeftAlone() throws {
        let op = try t.newOperator(role: .operator_, unit: townB).1
        _ = try contact(op, Sample.call(phone: Sample.randomPhone()))
        let first = try t.store.refreshDailyFigures()
        XCTAssertTrue(first.days.contains(day("2026-11-03")))
        XCTAssertEqual(try counts(townB).total(.contactsByChannel), 1)
        _ = try contact(op, Sample.call(phone: Sample.randomPhone()))
        t.clock.value = t.clock.value.addingTimeInterval(60)
        _ = try t.store.sweep()
        XCTAssertEqual(try counts(townB).total(.contactsByChannel), 1, "today is counted again at most every five minutes")
        t.clock.value = t.clock.value.addingTimeInterval(300)
        _ = try t.store.sweep()
        XCTAssertEqual(try counts(townB).total(.contactsByChannel), 2)
        XCTAssertEqual(try counts(townB).total(.contactsByChannel), try t.count("""
            SELECT count(*) AS n FROM contacts c JOIN units u ON u.id = c.unit_id
            WHERE u.path @> ARRAY[\(try t.unitID(townB))::bigint]
            """))

        // The next morning, the 3rd is counted once more after it ended and becomes final.
        t.clock.value = Self.at("2026-11-04")
        _ = try t.store.sweep()
        let final = try t.count("SELECT count(*) AS n FROM daily_figure_days WHERE day = '2026-11-03' AND final")
        XCTAssertEqual(final, 1)
        t.clock.value = Self.at("2026-11-04", 3)
        let later = try t.store.refreshDailyFigures()
        XCTAssertFalse(later.days.contains(day("2026-11-03")), "a final day is not counted again")
        XCTAssertTrue(later.days.contains(day("2026-11-04")))
    }
}
