import Foundation
import HuiyinCore
import HuiyinStore
import TestSupport
import XCTest

/// What a cadre meets all day in the console: the case list's filters and pages, grouped notifications,
/// the collective-visit head count, Chinese words for every event and page, returning callers, sub-lines.
final class ConsoleWorkdayTests: XCTestCase {
    var t: TestApp!
    var city = ""

    override func setUpWithError() throws {
        t = try TestApp(now: DeadlineSweepTests.morning("2026-11-02"))
        _ = try t.store.importShippedNotices()
        city = try t.newUnit("city", under: "t")
    }

    override func tearDown() { t = nil }

    struct Session { let cookie: String; let csrf: String }

    func session(_ role: StaffRole, unit: String) throws -> (StaffUser, Session) {
        let (user, _) = try t.newOperator(role: role, unit: unit)
        try t.store.setPassword(username: user.username, password: "a-long-test-password", hasher: PasswordHasher(logRounds: 10))
        guard case .success(let token, let session) = try t.store.login(username: user.username, password: "a-long-test-password",
                                                                        clientAddress: "192.0.2.1") else { throw HTTPClientError(description: "login") }
        return (user, Session(cookie: "huiyin_session=\(token)", csrf: session.csrfToken))
    }

    func page(_ path: String, as who: Session) throws -> HTTPResult {
        try HTTPClient.get(port: t.port, path, headers: [("Cookie", who.cookie)])
    }

    func post(_ path: String, _ fields: [String: String], as who: Session) throws -> HTTPResult {
        let body = (fields.merging(["_csrf": who.csrf]) { $1 })
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        return try HTTPClient.send(port: t.port, "POST", path, headers: [("Content-Type", "application/x-www-form-urlencoded"),
                                                                         ("Cookie", who.cookie)], body: Array(body.utf8))
    }

    @discardableResult
    func file(_ body: [String: Any], token: String) throws -> Int {
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, body)
        XCTAssertEqual(r.status, 201, r.text)
        return try r.decode(Receipt.self).caseId
    }

    func visit(visitors: Int, summary: String = "集体来访反映村里妇女土地承包权益被侵害") -> [String: Any] {
        ["channel": "visit", "category": "property_rights", "summary": summary, "visit": ["window": "一号窗口", "visitors": visitors],
         "petitioner": ["name": "刘梅", "phone": Sample.randomPhone()]]
    }

    func rows(_ html: String) -> Int { html.components(separatedBy: "<tr data-tracking-no=").count - 1 }

    // MARK: 7 — the case list

    func testCaseListPagesFiltersAndShowsItsDueDay() throws {
        let op = try t.newOperator(unit: city).1
        let (_, supervisor) = try session(.supervisor, unit: city)
        for i in 0..<53 { try file(Sample.call(phone: Sample.randomPhone(), summary: "第\(i)件婚姻家庭纠纷来电"), token: op) }
        let visitID = try file(visit(visitors: 6), token: op)
        try file(Sample.call(phone: Sample.randomPhone(), summary: "密封案件关键词甲乙丙", category: "domestic_violence"), token: op)

        let first = try page("/cases", as: supervisor)
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(rows(first.text), 50, "a page of 50")
        XCTAssertTrue(first.text.contains("共 <strong id=\"case-count\">55</strong> 件"), "the count is of all matches")
        XCTAssertTrue(first.text.contains("还剩"), "the 期限 column shows the acceptance clock's working days left")
        let next = try XCTUnwrap(first.text.range(of: #"id="next-page" href="([^"]+)""#, options: .regularExpression).map { String(first.text[$0]) })
        let href = String(next.split(separator: "\"")[3]).replacingOccurrences(of: "&amp;", with: "&")
        let second = try page(href, as: supervisor)
        XCTAssertEqual(rows(second.text), 5, "the rest on the second page")
        XCTAssertFalse(second.text.contains("id=\"next-page\""))

        let visits = try page("/cases?channel=visit", as: supervisor)
        XCTAssertEqual(rows(visits.text), 1)
        XCTAssertTrue(visits.text.contains("/cases/\(visitID)\""))
        XCTAssertTrue(visits.text.contains("集体访 6人"))
        XCTAssertEqual(rows(try page("/cases?category=domestic_violence&sealed=true", as: supervisor).text), 1)
        XCTAssertEqual(rows(try page("/cases?sealed=false&channel=call", as: supervisor).text), 50)
        XCTAssertEqual(rows(try page("/cases?overdue=true", as: supervisor).text), 0, "nothing overdue yet")

        // A month on, every acceptance clock has run out.
        t.clock.withLock { $0 = DeadlineSweepTests.morning("2026-12-15") }
        let (_, later) = try session(.supervisor, unit: city)   // her first session has expired meanwhile
        let late = try page("/cases?overdue=true&channel=visit", as: later)
        XCTAssertEqual(rows(late.text), 1)
        XCTAssertTrue(late.text.contains("已超期"))

        // The API takes the same filters, checks each, and counts alike.
        let token = try t.newOperator(role: .supervisor, unit: city).1
        let counted = try HTTPClient.get(port: t.port, "/api/v1/cases/count?overdue=true&channel=call&sealed=false", token: token)
        XCTAssertEqual(try counted.decode(Count.self).count, 53)
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/cases/count?received_from=2026-11-03", token: token).decode(Count.self).count, 0)
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/cases/count?received_to=2026-11-02&collective=true", token: token).decode(Count.self).count, 1)
        let bad = try HTTPClient.get(port: t.port, "/api/v1/cases?channel=fax&sealed=maybe&received_from=yesterday", token: token)
        XCTAssertEqual(bad.status, 422)
        let fields = Set(bad.errorFields)
        XCTAssertEqual(fields, ["channel", "sealed", "received_from"])
    }

    func testASealedCasesHiddenWordsNeverMatchOutsideItsCircle() throws {
        let op = try t.newOperator(unit: city).1
        let (_, colleague) = try session(.operator_, unit: city)
        try file(Sample.call(phone: Sample.randomPhone(), summary: "独特词语戊己庚被打", category: "domestic_violence"), token: op)
        let found = try page("/cases?q=%E6%88%8A%E5%B7%B1%E5%BA%9A", as: colleague)   // 戊己庚
        XCTAssertEqual(rows(found.text), 0)
        XCTAssertTrue(found.text.contains("<strong id=\"case-count\">0</strong>"))
        XCTAssertEqual(rows(try page("/cases?sealed=true", as: colleague).text), 1, "she sees that it exists, masked")
        XCTAssertFalse(try page("/cases?sealed=true", as: colleague).text.contains("戊己庚"))
    }

    // MARK: 8 — notifications

    func testNotificationsAreGroupedByKindAndCaseAndCanAllBeMarkedRead() throws {
        let op = try t.newOperator(unit: city).1
        let (user, supervisor) = try session(.supervisor, unit: city)
        let a = try file(Sample.call(phone: Sample.randomPhone()), token: op)
        let b = try file(Sample.call(phone: Sample.randomPhone()), token: op)
        try t.store.pool.withConnection { db in
            for (caseID, kind, times) in [(a, "reminder", 4), (a, "notice", 1), (b, "reminder", 2)] {
                for _ in 0..<times {
                    try db.execute("""
                        INSERT INTO notifications (unit_id, audience, case_id, kind, created_at)
                        VALUES (\(user.unitID), 'supervisors', \(Int64(caseID)), \(kind), now())
                        """)
                }
            }
        }
        let home = try page("/", as: supervisor)
        XCTAssertEqual(rows(home.text), 3, "three groups, not seven rows")
        XCTAssertTrue(home.text.contains("<td class=\"count\">4</td>"))
        XCTAssertTrue(home.text.contains("催办：已超期 6 条"), "the count of each kind")
        XCTAssertTrue(home.text.contains("href=\"/cases/\(a)\""), "each links to its case")
        XCTAssertEqual(try post("/notifications/read", ["kind": "reminder", "case_id": String(a)], as: supervisor).status, 303)
        XCTAssertEqual(rows(try page("/", as: supervisor).text), 2)
        XCTAssertEqual(try post("/notifications/read", [:], as: supervisor).status, 303)
        let after = try page("/", as: supervisor)
        XCTAssertEqual(rows(after.text), 0)
        XCTAssertTrue(after.text.contains("没有未读的提醒"))
    }

    // MARK: 10 — the collective-visit head count

    func testTheCollectiveVisitHeadCountStaysWithTheCase() throws {
        let op = try t.newOperator(unit: city).1
        let (_, supervisor) = try session(.supervisor, unit: city)
        let id = try file(visit(visitors: 12), token: op)
        let casePage = try page("/cases/\(id)", as: supervisor)
        XCTAssertTrue(casePage.text.contains("id=\"collective\">集体访 12人"), "on the case page")
        let token = try t.newOperator(role: .supervisor, unit: city).1
        let listed = try HTTPClient.get(port: t.port, "/api/v1/cases?channel=visit", token: token).decode(CaseList.self).cases
        XCTAssertEqual(listed.first?.visitors, 12)
        XCTAssertEqual(listed.first?.collective, true)
        let csv = try HTTPClient.get(port: t.port, "/api/v1/cases/export.csv?channel=visit", token: token).text
        XCTAssertTrue(csv.contains("集体访人数"))
        XCTAssertTrue(csv.contains(",12,"), csv)
        let dashboard = try page("/dashboard", as: supervisor)
        XCTAssertTrue(dashboard.text.contains("集体访（5人及以上来访）：<a href=\"/cases?collective=true&amp;unit_id="), dashboard.text)
        XCTAssertTrue(dashboard.text.contains(">1 件</a>"))
        // A later visit of more people raises it; a smaller one does not lower it.
        try file(["channel": "visit", "case_id": id, "summary": "再次集体来访", "visit": ["window": "一号窗口", "visitors": 20]], token: op)
        try file(["channel": "visit", "case_id": id, "summary": "一人来访", "visit": ["window": "一号窗口", "visitors": 1]], token: op)
        XCTAssertEqual(try t.count("SELECT visitors AS n FROM cases WHERE id = \(id)"), 20)
    }

    // MARK: 11 — no English in the console

    func testEveryEventKindTheStoreWritesHasChineseWords() throws {
        // The store writes case_events.kind only from CaseEventKind (bound, never spelled in SQL), so every
        // kind it can write is one of the enum's: its source holds no kind written as a literal, and every
        // kind has Chinese words.
        let root = TestDatabase.repositoryRoot
        let sources = try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("Sources/HuiyinStore").path)
            .filter { $0.hasSuffix(".swift") }.map { try String(contentsOf: root.appendingPathComponent("Sources/HuiyinStore/" + $0), encoding: .utf8) }
        let patterns = [#"event: "([a-z_]+)""#, #"0, "([a-z_]+)"\)"#, #"'(?:system|staff)', (?:\\\(user\.id\), )?'([a-z_]+)'"#,
                        #"(?:user_id|\\\(actor\.userID\)), '([a-z_]+)'"#]
        var literals = Set<String>()
        for text in sources {
            for pattern in patterns {
                let regex = try NSRegularExpression(pattern: pattern)
                for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    literals.insert(String(text[Range(match.range(at: 1), in: text)!]))
                }
            }
        }
        XCTAssertEqual(literals, [], "event kinds spelled as literals in the store, not CaseEventKind: \(literals.sorted())")
        for kind in CaseEventKind.allCases {
            XCTAssertFalse(kind.label.contains { $0.isASCII && $0.isLetter }, kind.label)
        }
        for code in ["repeat_petition", "high_risk", "high_risk_7d", "high_risk_90d"] + MandatoryReportReason.allCases.map(\.rawValue) {
            XCTAssertNotNil(CaseEventKind.reasonLabel(code), code)
        }
    }

    func testTheTimelineShowsNoCodes() throws {
        let op = try t.newOperator(unit: city).1
        let (_, supervisor) = try session(.supervisor, unit: "t")
        let id = try file(Sample.call(phone: Sample.randomPhone()), token: op)
        for _ in 0..<2 { try file(["channel": "call", "case_id": id, "summary": "再次来电催问", "call": ["sub_line": "main"]], token: op) }
        _ = try t.store.sweep()   // a third contact: proposed for leadership, reason repeat_petition
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM case_events WHERE case_id = \(id) AND reason = 'repeat_petition'"), 1)
        let text = try page("/cases/\(id)", as: supervisor).text
        let start = text.range(of: "id=\"timeline\"")!.lowerBound
        let timeline = String(text[start..<text[start...].range(of: "</ol>")!.lowerBound])
        XCTAssertTrue(timeline.contains("建议领导包案：同一事项多次来信来访"))
        XCTAssertNil(timeline.range(of: "[a-z]{3,}_[a-z]+", options: .regularExpression), "no code in the timeline")
    }

    func testLogoutByAddressAndUnknownPagesAnswerInChinese() throws {
        let (_, handler) = try session(.handler, unit: city)
        let logout = try page("/logout", as: handler)
        XCTAssertEqual(logout.status, 200)
        XCTAssertTrue(logout.header("content-type")!.hasPrefix("text/html"))
        XCTAssertTrue(logout.text.contains("确定要退出登录吗"))
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/logout").status, 303, "signed out: to the login page")
        for (method, path, status) in [("GET", "/no-such-page", 404), ("GET", "/cases/1/nothing", 404), ("DELETE", "/cases", 405)] {
            let r = try HTTPClient.send(port: t.port, method, path, headers: [("Cookie", handler.cookie)])
            XCTAssertEqual(r.status, status, path)
            XCTAssertTrue(r.header("content-type")!.hasPrefix("text/html"), path)
            XCTAssertTrue(r.text.contains("返回首页"), path)
            XCTAssertFalse(r.text.contains("not_found"), path)
        }
        let api = try HTTPClient.get(port: t.port, "/api/v1/no-such-route")
        XCTAssertEqual(api.status, 404)
        XCTAssertEqual(api.errorCode, "not_found", "the API keeps its JSON")
    }

    // MARK: 12 — returning callers

    func testAReturningCallerIsOnePersonWhateverHerCasesSeal() throws {
        let op = try t.newOperator(unit: city).1
        let phone = Sample.randomPhone()
        try file(Sample.call(phone: phone, name: "陈敏", summary: "丈夫殴打", category: "domestic_violence"), token: op)
        try file(Sample.call(phone: phone, name: "陈敏", summary: "咨询离婚财产分割"), token: op)
        try file(Sample.call(phone: phone, name: "陈晓", summary: "女儿咨询抚养费"), token: op)
        let found = try HTTPClient.get(port: t.port, "/api/v1/petitioners?phone=\(phone)", token: op).decode(Callers.self).petitioners
        XCTAssertEqual(found.compactMap(\.name).sorted(), ["陈敏", "陈晓"], "one 陈敏, never also 陈*")
        XCTAssertEqual(found.first { $0.name == "陈敏" }?.cases.count, 2)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM petitioners WHERE phone = '\(phone)'"), 2)
    }

    // MARK: 13 — sub-lines

    func testSubLinesAreConfigurationThatRoutesNewCases() throws {
        let county = try t.newUnit("county", under: city)
        let code = "r" + county.suffix(8)
        let csv = "code,name,kind,unit_code,referral\nlegal,法律咨询,professional,,lawyer\n\(code),测试区县分线,regional,\(county),\n"
        let rows = try SubLineCSV.parse(csv).get()
        let report = try t.store.importSubLines(rows)
        XCTAssertEqual(report.created, 1)
        XCTAssertEqual(report.unchanged, 1)
        let op = try t.newOperator(unit: city).1
        let lines = try HTTPClient.get(port: t.port, "/api/v1/sub-lines", token: op).decode(SubLines.self).subLines
        XCTAssertEqual(lines.first?.code, "main")
        XCTAssertEqual(lines.first { $0.code == "legal" }?.referral, "lawyer")
        XCTAssertEqual(lines.first { $0.code == code }?.unit?.id, Int(try t.unitID(county)))

        var call = Sample.call(phone: Sample.randomPhone())
        call["call"] = ["sub_line": code]
        let id = try file(call, token: op)
        XCTAssertEqual(try t.count("SELECT unit_id AS n FROM cases WHERE id = \(id)"), Int(try t.unitID(county)), "the line's county takes it")
        call["call"] = ["sub_line": "no-such-line"]
        let refused = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: op, call)
        XCTAssertEqual(refused.status, 422)
        XCTAssertEqual(refused.errorFields.first, "call.sub_line")

        // The call screen offers the configured lines.
        let (_, operatorSession) = try session(.operator_, unit: city)
        XCTAssertTrue(try page("/call", as: operatorSession).text.contains("<option value=\"\(code)\" data-unit=\"\(try t.unitID(county))\""))

        // A regional line must name a county unit; a bad file names every bad line.
        XCTAssertThrowsError(try t.store.importSubLines([SubLineRow(code: "x" + code, name: "错", kind: .regional, unitCode: city, referral: nil)]))
        guard case .failure(let failure) = SubLineCSV.parse("code,name,kind,unit_code,referral\nbad code,名,regional,,\nok,名,professional,,judge\n") else {
            return XCTFail("a bad file parsed")
        }
        XCTAssertEqual(failure.problems.map(\.line), [2, 2, 3])
    }
}
