import Foundation
import HuiyinCore
import HuiyinStore
import Postgres
import TestSupport
import XCTest

/// Early warnings through the daily pass, what is behind them, the analysis page and the monthly
/// report, against the real database.
final class DecisionSupportTests: XCTestCase {
    var t: TestApp!
    var county = "", townA = "", townB = ""
    var opA = "", opB = ""
    var sealedIDs: Set<Int> = []

    static func at(_ day: String, _ hour: Int = 2) -> Date {
        ISO8601DateFormatter().date(from: day + "T" + String(format: "%02d", hour) + ":00:00Z")!
    }
    func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    override func setUpWithError() throws {
        t = try TestApp(now: Self.at("2026-11-02"))
        county = try t.newUnit("county", under: "t-c")
        townA = try t.newUnit("township", under: county)
        townB = try t.newUnit("township", under: county)
        opA = try t.newOperator(role: .handler, unit: townA).1
        opB = try t.newOperator(role: .handler, unit: townB).1
    }

    override func tearDown() { t = nil }

    /// A contact recorded on `day` (at `hour` UTC) by `token`.
    @discardableResult
    func contact(_ token: String, on day: LocalDate, hour: Int = 2, category: String = "marriage_family",
                 summary: String = "夫妻长期争吵，丈夫多次动手") throws -> Int {
        t.clock.value = Self.at(day.description, hour)
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token,
                                    Sample.call(phone: Sample.randomPhone(), summary: summary, category: category))
        XCTAssertEqual(r.status, 201, r.text)
        return try r.decode(Receipt.self).caseId
    }

    /// Seals a case through the API, as its unit's handler does for a sensitive matter.
    func seal(_ caseID: Int, by token: String) throws {
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/cases/\(caseID)/seal", token: token, ["reason": "涉及未成年人隐私"])
        XCTAssertLessThan(r.status, 300, r.text)
    }

    /// Nine weeks ending Sunday 29 November: two calls about family disputes a week in each
    /// township, then twelve in township A's latest week, three of them sealed by hand.
    func loadARise() throws {
        let lastDay = day("2026-11-29")
        for week in (1...8).reversed() {
            for j in [1, 4] {
                try contact(opA, on: lastDay.adding(days: -7 * week - j))
                try contact(opB, on: lastDay.adding(days: -7 * week - j))
            }
        }
        for j in 0..<12 {
            // Three of the twelve are sealed: counted like the others, never shown.
            let id = try contact(opA, on: lastDay.adding(days: -(j % 7)), hour: 1 + j / 7,
                                 summary: j < 3 ? "女儿与继父矛盾，要求保密" : "夫妻长期争吵，丈夫多次动手")
            if j < 3 { sealedIDs.insert(id); try seal(id, by: opA) }
        }
        try contact(opB, on: lastDay.adding(days: -2))
        try contact(opB, on: lastDay.adding(days: -5))
        _ = try t.store.rebuildDailyFigures(from: lastDay.adding(days: -70), through: lastDay)
        t.clock.value = Self.at("2026-11-30")
    }

    func warnings(_ unit: String) throws -> [String] {
        try t.store.pool.withConnection { db in
            try db.query("""
                SELECT series || ' ' || observed || ' ' || round(expected::numeric, 2) AS line FROM early_warnings
                WHERE unit_id = \(try t.unitID(unit)) ORDER BY id
                """).rows.map { try $0.decode("line", as: String.self) }
        }
    }

    func testARiseWarnsItsUnitAndTheUnitAboveOnceAndShowsWhatIsBehindIt() throws {
        try loadARise()
        let pass = try t.store.runWarningPass(weekEnding: day("2026-11-29"))
        XCTAssertGreaterThanOrEqual(pass.raised, 1)
        XCTAssertEqual(try warnings(townA), ["category:marriage_family 12 2.00"])
        XCTAssertEqual(try warnings(townB), [], "a steady township is quiet")

        // Told to the supervisors of the township and of the county, once.
        let told = try t.store.pool.withConnection { db in
            try db.query("""
                SELECT u.code || '/' || n.audience AS line FROM notifications n JOIN units u ON u.id = n.unit_id
                JOIN early_warnings w ON w.id = n.warning_id
                WHERE n.kind = 'early_warning' AND w.unit_id = \(try t.unitID(townA)) ORDER BY u.code
                """).rows.map { try $0.decode("line", as: String.self) }
        }
        XCTAssertEqual(told.sorted(), ["\(county)/supervisors", "\(townA)/supervisors"].sorted())

        // The next days' passes keep quiet about the same rise (refractory period); a second run of
        // the same week writes nothing.
        _ = try t.store.runWarningPass(weekEnding: day("2026-11-29"))
        _ = try t.store.runWarningPass(weekEnding: day("2026-11-30"))
        XCTAssertEqual(try warnings(townA).count, 1)

        // The API: the county's supervisor sees it with its twelve cases, each sealed and masked.
        let supervisor = try t.newOperator(role: .supervisor, unit: county).1
        let list = try HTTPClient.get(port: t.port, "/api/v1/warnings?unit_id=\(try t.unitID(county))", token: supervisor)
        XCTAssertEqual(list.status, 200, list.text)
        let items = try XCTUnwrap(try list.jsonValue()["warnings"]?.arrayValue)
        let mine = try XCTUnwrap(items.first { $0["unit"]?["id"]?.intValue == Int(try t.unitID(townA)) })
        XCTAssertEqual(mine["observed"]?.intValue, 12)
        XCTAssertEqual(mine["baseline"]?.arrayValue?.compactMap(\.intValue), Array(repeating: 2, count: 8))
        let id = try XCTUnwrap(mine["id"]?.intValue)
        let detail = try HTTPClient.get(port: t.port, "/api/v1/warnings/\(id)", token: supervisor)
        XCTAssertEqual(detail.status, 200, detail.text)
        let cases = try XCTUnwrap(try detail.jsonValue()["cases"]?.arrayValue)
        XCTAssertEqual(cases.count, 12)
        let sealed = cases.filter { sealedIDs.contains($0["id"]?.intValue ?? 0) }
        XCTAssertEqual(sealed.count, 3)
        XCTAssertTrue(sealed.allSatisfy { $0["masked"]?.boolValue == true && $0["summary"]?.stringValue == nil && $0["petitioner_name"]?.stringValue == nil },
                      "\(sealed)")
        XCTAssertFalse(detail.text.contains("继父"), "a sealed case's words never leave it")
        // Township B's supervisor is outside: the warning does not exist for her.
        let other = try t.newOperator(role: .supervisor, unit: townB).1
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/warnings/\(id)", token: other).status, 404)

        // The analysis: the county's weeks, township A's last week flagged, B's never.
        let analysis = try HTTPClient.get(port: t.port, "/api/v1/analysis?unit_id=\(try t.unitID(county))&series=category:marriage_family&weeks=8",
                                          token: supervisor)
        XCTAssertEqual(analysis.status, 200, analysis.text)
        let body = try analysis.jsonValue()
        XCTAssertEqual(body["counts"]?.arrayValue?.compactMap(\.intValue), [4, 4, 4, 4, 4, 4, 4, 14])
        let children = try XCTUnwrap(body["children"]?.arrayValue)
        let a = try XCTUnwrap(children.first { $0["unit"]?["id"]?.intValue == Int(try t.unitID(townA)) })
        let b = try XCTUnwrap(children.first { $0["unit"]?["id"]?.intValue == Int(try t.unitID(townB)) })
        XCTAssertEqual(a["flagged"]?.arrayValue?.compactMap(\.boolValue), Array(repeating: false, count: 7) + [true])
        XCTAssertEqual(b["flagged"]?.arrayValue?.compactMap(\.boolValue), Array(repeating: false, count: 8))
        XCTAssertEqual(body["rising"]?.arrayValue?.first?["series"]?.stringValue, "category:marriage_family")
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/analysis?series=nothing&weeks=3", token: supervisor).errorFields,
                       ["series", "weeks"], "every bad field named")

        // The console page draws it.
        let session = try ConsoleSession(t, .supervisor, unit: county)
        let page = try session.get(t, "/analysis?unit_id=\(try t.unitID(county))&series=category:marriage_family")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("id=\"heat-chart\"") && page.text.contains("id=\"trend-chart\"") && page.text.contains("▲"))
        XCTAssertTrue(page.text.contains("/warnings/\(id)"))
        let warningPage = try session.get(t, "/warnings/\(id)")
        XCTAssertEqual(warningPage.status, 200)
        XCTAssertTrue(warningPage.text.contains("12 件"), warningPage.text)
        XCTAssertTrue(warningPage.text.contains("id=\"warning-cases\""), "the cases behind it are listed")
        XCTAssertFalse(warningPage.text.contains("继父"))
    }

    func testTheSweepRunsThePassOnceADay() throws {
        // A day no other test sweeps on: the pass is claimed once per day, whichever sweep is first;
        // a later sweep the same day leaves the pass as the first one finished it.
        t.clock.value = Self.at("2031-03-10")
        _ = try t.store.sweep()
        t.clock.value = Self.at("2031-03-10", 5)
        _ = try t.store.sweep()
        XCTAssertEqual(try t.count("""
            SELECT count(*) AS n FROM warning_passes
            WHERE day = '2031-03-10' AND started_at = '2031-03-10T02:00:00Z' AND finished_at = '2031-03-10T02:00:00Z'
            """), 1, "run by the first sweep only")
        t.clock.value = Self.at("2031-03-11")
        _ = try t.store.sweep()
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM warning_passes WHERE day = '2031-03-11'"), 1, "and again the next day")
    }

    func testTheMonthlyReportCountsByHandKeepsAClosedMonthAndNeverListsASealedCase() throws {
        // October: three calls at A (one sealed domestic violence), one collective visit at B.
        try contact(opA, on: day("2026-10-05"), category: "marriage_family", summary: "婆媳矛盾")
        try contact(opA, on: day("2026-10-06"), category: "marriage_family", summary: "离婚财产纠纷")
        try contact(opA, on: day("2026-10-07"), category: "domestic_violence", summary: "丈夫殴打，孩子目睹")   // sealed from the start
        t.clock.value = Self.at("2026-10-08")
        let visit = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: opB, [
            "channel": "visit", "category": "labor_social_security", "summary": "六名女工集体来访反映被拖欠工资",
            "visit": ["window": "乡妇联接待窗口", "visitors": 6]])
        XCTAssertEqual(visit.status, 201, visit.text)
        _ = try t.store.rebuildDailyFigures(from: day("2026-10-01"), through: day("2026-10-31"))

        // Mid-October the month is open: the report says so and is not kept.
        t.clock.value = Self.at("2026-10-20")
        let supervisor = try t.newOperator(role: .supervisor, unit: county).1
        let url = "/api/v1/reports/monthly?unit_id=\(try t.unitID(county))&month=2026-10"
        let open = try HTTPClient.get(port: t.port, url, token: supervisor)
        XCTAssertEqual(open.status, 200, open.text)
        XCTAssertEqual(try open.jsonValue()["final"]?.boolValue, false)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM monthly_reports WHERE unit_id = \(try t.unitID(county))"), 0)

        // In November October is closed: the report is kept.
        t.clock.value = Self.at("2026-11-02")
        let closed = try HTTPClient.get(port: t.port, url, token: supervisor)
        XCTAssertEqual(closed.status, 200, closed.text)
        let report = try closed.jsonValue()
        XCTAssertEqual(report["final"]?.boolValue, true)
        func count(_ json: JSONValue, _ measure: String, _ dimension: String = "") -> Int? {
            json["counts"]?.arrayValue?.first { $0["measure"]?.stringValue == measure && $0["dimension"]?.stringValue == dimension }?["count"]?.intValue
        }
        XCTAssertEqual(count(report, "contacts_by_channel", "call"), 3)
        XCTAssertEqual(count(report, "contacts_by_channel", "visit"), 1)
        XCTAssertEqual(count(report, "collective_visits"), 1)
        XCTAssertEqual(count(report, "contacts_by_category", "domestic_violence"), 1, "the sealed case is counted")
        XCTAssertEqual(count(report, "cases_by_category", "marriage_family"), 2)
        let children = try XCTUnwrap(report["children"]?.arrayValue)
        XCTAssertEqual(children.map { $0["contacts"]?.intValue ?? -1 }.sorted(), [1, 3])
        let notable = try XCTUnwrap(report["notable"]?.arrayValue)
        XCTAssertEqual(notable.compactMap { $0["reasons"]?.arrayValue?.compactMap(\.stringValue) }, [["collective_visit"]],
                       "the collective visit is named; the sealed case never")
        XCTAssertFalse(closed.text.contains("殴打") || closed.text.contains("婆媳"), "no case's words in a report")

        // A closed month's report never changes, even if its figures are counted again later.
        try t.store.pool.withConnection { db in
            try db.execute("""
                INSERT INTO daily_figures (unit_id, day, measure, dimension, count)
                VALUES (\(try t.unitID(townA)), '2026-10-15', 'contacts_by_channel', 'letter', 5)
                """)
        }
        let again = try HTTPClient.get(port: t.port, url, token: supervisor)
        XCTAssertEqual(try again.jsonValue()["generated_at"]?.stringValue, report["generated_at"]?.stringValue)
        XCTAssertNil(count(try again.jsonValue(), "contacts_by_channel", "letter"))

        // The spreadsheet: UTF-8 with a byte-order mark, the same figures, recorded as an export.
        let csv = try HTTPClient.get(port: t.port, url.replacingOccurrences(of: "monthly?", with: "monthly.csv?"), token: supervisor)
        XCTAssertEqual(csv.status, 200)
        XCTAssertEqual(Array(csv.body.prefix(3)), [0xEF, 0xBB, 0xBF])
        XCTAssertTrue(csv.text.contains("分项统计,来信来访（按渠道）,来电,3\r\n"), csv.text)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM exports WHERE list = 'monthly_report' AND filter ->> 'month' = '2026-10'"), 1)

        // The printable page, in Chinese, with its sections.
        let session = try ConsoleSession(t, .supervisor, unit: county)
        let page = try session.get(t, "/reports/monthly?unit_id=\(try t.unitID(county))&month=2026-10")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("一、来信来访总体情况") && page.text.contains("月报已定稿"))
        XCTAssertFalse(page.text.contains("殴打"))

        // Bad input: every bad field, nothing generated.
        XCTAssertEqual(Set(try HTTPClient.get(port: t.port, "/api/v1/reports/monthly?month=2026-13&unit=1", token: supervisor).errorFields),
                       ["month", "unit"])
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/reports/monthly?month=2027-01", token: supervisor).errorFields,
                       ["month"], "not after this month")
    }
}
