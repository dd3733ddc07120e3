import Foundation
import HuiyinCore
import HuiyinStore
import Postgres
import TestSupport
import XCTest

/// The case-work capabilities end to end over HTTP: written notices with their numbers, transfer
/// and objection, referrals, the danger checklist and what high risk sets in motion, mandatory
/// reports and their escalation, follow-up and reopening, review periods, and what the petitioner sees.
final class CaseWorkTests: XCTestCase {
    var t: TestApp!
    var handler: (StaffUser, String)!
    var supervisor: (StaffUser, String)!
    /// A city unit of this test's own, so other tests' cases never mix in.
    var city = "", cityName = ""

    override func setUpWithError() throws {
        t = try TestApp(now: DeadlineSweepTests.morning("2026-11-02"))
        _ = try t.store.importShippedNotices()
        city = try t.newUnit("city", under: "t")
        cityName = try t.store.unitName(try t.unitID(city))
        handler = try t.newOperator(role: .handler, unit: city)
        supervisor = try t.newOperator(role: .supervisor, unit: "t")
    }

    override func tearDown() { t = nil }

    func post(_ path: String, _ body: [String: Any] = [:], as who: (StaffUser, String)? = nil) throws -> HTTPResult {
        try HTTPClient.json(port: t.port, "POST", path, token: (who ?? handler).1, body)
    }

    /// A new case of the handler's unit, already hers.
    func newCase(category: String = "marriage_family", idNumber: String? = nil) throws -> (id: Int, receipt: Receipt) {
        var body = Sample.call(phone: Sample.randomPhone(), category: category)
        if let idNumber { body["petitioner"] = ["name": "小红", "id_number": idNumber] }
        let r = try post("/api/v1/contacts", body)
        XCTAssertEqual(r.status, 201, r.text)
        let receipt = try r.decode(Receipt.self)
        XCTAssertEqual(try post("/api/v1/cases/\(receipt.caseId)/handler", ["handler_id": handler.0.id]).status, 204)
        return (receipt.caseId, receipt)
    }

    func page(_ id: Int, as who: (StaffUser, String)? = nil) throws -> CasePage {
        try HTTPClient.get(port: t.port, "/api/v1/cases/\(id)", token: (who ?? handler).1).decode(CasePage.self)
    }

    func testNoticesCarryTheirNumbersAndReachThePetitionersTrackingPage() throws {
        let (id, receipt) = try newCase()
        let accepted = try post("/api/v1/cases/\(id)/accept", ["reason": "属于受理范围"])
        let notice = try XCTUnwrap(try accepted.decode(StepResult.self).document)
        XCTAssertEqual(notice.title, "受理告知书")
        XCTAssertEqual(notice.number, "\(cityName)信受〔2026〕\(try serial(notice))号")
        XCTAssertTrue(notice.body.contains(receipt.trackingNo))
        let replied = try post("/api/v1/cases/\(id)/reply", ["text": "经调解，男方同意按月支付抚养费。"])
        let reply = try XCTUnwrap(try replied.decode(StepResult.self).document)
        XCTAssertEqual(reply.title, "答复意见书")
        XCTAssertTrue(reply.body.contains("测试省妇联"), "review is asked of the unit above")
        // Numbers run per unit, kind and year.
        let (second, _) = try newCase()
        let next = try XCTUnwrap(try post("/api/v1/cases/\(second)/accept").decode(StepResult.self).document)
        XCTAssertEqual(try serial(next), try serial(notice) + 1)

        // The printable page, for a signed-in cadre; reading it is audited.
        let session = try login(handler.0.username)
        let before = try t.count("SELECT count(*) AS n FROM case_reads WHERE case_id = \(id) AND view = 'document'")
        let printable = try HTTPClient.get(port: t.port, notice.printUrl, headers: [("Cookie", session.cookie)])
        XCTAssertEqual(printable.status, 200)
        XCTAssertTrue(printable.text.contains("lang=\"zh-CN\"") && printable.text.contains(notice.number))
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM case_reads WHERE case_id = \(id) AND view = 'document'"), before + 1)

        // The petitioner sees her notices and how to ask for review; never notes, events or the audit.
        t.clock.value = DeadlineSweepTests.morning("2026-11-05")
        let tracked = try HTTPClient.get(port: t.port, "/api/v1/track/\(receipt.trackingNo)",
                                         headers: [("X-Query-Code", try XCTUnwrap(receipt.queryCode))])
        XCTAssertEqual(tracked.status, 200, tracked.text)
        let view = try tracked.decode(Tracked.self)
        XCTAssertEqual(view.documents.map(\.title), ["受理告知书", "答复意见书"])
        let review = try XCTUnwrap(view.review)
        XCTAssertEqual(review.kind, "review")
        XCTAssertEqual(review.lastDay, "2026-12-02", "30 days from the reply on 2 Nov")
        for hidden in ["events", "contacts", "summary", "petitioner", "handler_id", "属于受理范围"] {
            XCTAssertFalse(tracked.text.contains(hidden), hidden)
        }
    }

    func testATransferIsAcceptedOrObjectedToByTheUnitBelow() throws {
        let (id, _) = try newCase()
        let countyCode = try t.newUnit("county", under: city)
        let county = try t.unitID(countyCode)
        XCTAssertEqual(try post("/api/v1/cases/\(id)/transfer", ["unit_id": try t.unitID("t")]).errorFields, ["unit_id"], "only down")
        XCTAssertEqual(try post("/api/v1/cases/\(id)/transfer", ["unit_id": county, "reason": "属地管理"]).status, 200)
        XCTAssertTrue(try clocks(id).contains("transfer_objection:running:2026-11-09"), "5 working days")
        // The sender cannot answer for the receiving unit; the receiving unit objects with a reason.
        XCTAssertEqual(try post("/api/v1/cases/\(id)/transfer/object", ["reason": "x"]).status, 403, "only the receiving unit answers")
        let countyHandler = try t.newOperator(role: .handler, unit: countyCode)
        XCTAssertEqual(try post("/api/v1/cases/\(id)/transfer/object", [:], as: countyHandler).errorFields, ["reason"])
        XCTAssertEqual(try post("/api/v1/cases/\(id)/transfer/object", ["reason": "当事人户籍和住所均不在本县"], as: countyHandler).status, 200)
        let back = try page(id, as: supervisor)
        XCTAssertEqual(back.unit.name, cityName)
        XCTAssertEqual(back.status, "registered")
        XCTAssertTrue(try clocks(id).contains("transfer_objection:met:2026-11-09"))
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM notifications WHERE case_id = \(id) AND kind = 'transfer_objected'"), 1)
    }

    func testHighRiskMeansNoMediationRequiredReportsShorterClocksAndFollowUps() throws {
        let (id, _) = try newCase(category: "domestic_violence")
        XCTAssertEqual(try clocks(id), ["acceptance:running:2026-11-17"])
        let checklist = try HTTPClient.get(port: t.port, "/api/v1/risk-checklist", token: handler.1).decode(Checklist.self).questions
        var answers = Dictionary(uniqueKeysWithValues: checklist.map { ($0.id, false) })
        // Incomplete or unknown answers: every problem at once, nothing recorded.
        var bad = answers
        bad.removeValue(forKey: "weapon")
        bad["shoe_size"] = true
        XCTAssertEqual(Set(try post("/api/v1/cases/\(id)/risk-assessments", ["answers": bad]).errorFields), ["answers.weapon", "answers.shoe_size"])
        answers["strangulation"] = true  // one decisive answer
        let graded = try post("/api/v1/cases/\(id)/risk-assessments", ["answers": answers])
        XCTAssertEqual(graded.status, 201, graded.text)
        let grade = try graded.decode(RiskGrade.self)
        XCTAssertEqual(grade.grade, "high")
        XCTAssertEqual(grade.decisive, ["strangulation"])
        // Clocks shorten: acceptance 1 working day from receipt (2 Nov → 3 Nov).
        XCTAssertEqual(try clocks(id), ["acceptance:running:2026-11-03"])
        XCTAssertEqual(try post("/api/v1/cases/\(id)/referrals", ["kind": "mediator", "referred_to": "人民调解委员会"]).errorCode,
                       "no_mediation_high_risk")
        XCTAssertEqual(try post("/api/v1/cases/\(id)/referrals", ["kind": "police", "referred_to": "西陵派出所"]).status, 201)
        let tasks = try page(id).tasks
        XCTAssertEqual(Set(tasks.map { "\($0.kind):\($0.reason)" }),
                       ["police_report:high_risk", "direct_report:high_risk", "follow_up:high_risk_7d", "follow_up:high_risk_30d",
                        "follow_up:high_risk_90d"])
        // Handling after acceptance runs the high-risk limit (15 days, not 60).
        XCTAssertEqual(try post("/api/v1/cases/\(id)/accept").status, 200)
        XCTAssertTrue(try clocks(id).contains("handling:running:2026-11-17"))
        // The case cannot close while the reports are open.
        XCTAssertEqual(try post("/api/v1/cases/\(id)/reply", ["text": "已协助申请人身安全保护令。"]).status, 200)
        XCTAssertEqual(try post("/api/v1/cases/\(id)/close").errorCode, "required_task_open")
        let police = try XCTUnwrap(tasks.first { $0.kind == "police_report" }).id
        let direct = try XCTUnwrap(tasks.first { $0.kind == "direct_report" }).id
        XCTAssertEqual(Set(try post("/api/v1/cases/\(id)/tasks/\(police)/complete", ["station": "西陵派出所"]).errorFields),
                       ["reported_at", "receipt_no"])
        XCTAssertEqual(try post("/api/v1/cases/\(id)/tasks/\(police)/complete", ["reported_at": "2026-11-02T10:30:00+08:00",
                                                                              "station": "西陵派出所", "receipt_no": "XL2026110201"]).status, 204)
        XCTAssertEqual(try post("/api/v1/cases/\(id)/tasks/\(direct)/complete", ["reported_to": "市妇联权益部"]).status, 204)
        // The police referral, too, needs its outcome before the case closes.
        XCTAssertEqual(try post("/api/v1/cases/\(id)/close").errorCode, "referral_open")
        let referral = try XCTUnwrap(try page(id).referrals.first).id
        XCTAssertEqual(try post("/api/v1/cases/\(id)/referrals/\(referral)/outcome", ["outcome": "派出所已出具告诫书"]).status, 204)
        XCTAssertEqual(try post("/api/v1/cases/\(id)/close").status, 200)
        // A follow-up visit completes the earliest scheduled one.
        XCTAssertEqual(try post("/api/v1/cases/\(id)/follow-ups", ["method": "visit", "satisfaction": "satisfied"]).status, 204)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM case_tasks WHERE case_id = \(id) AND kind = 'follow_up' AND state = 'done'"), 1)
    }

    func testAMinorsSexualAssaultRequiresAReportThatEscalatesToTheCityWhenLate() throws {
        // Under 18 by her resident ID number: the case is sealed and a mandatory report is due at once.
        let (id, _) = try newCase(category: "sexual_assault", idNumber: "420502201205150029")
        let tasks = try page(id).tasks
        XCTAssertEqual(tasks.map { "\($0.kind):\($0.reason)" }, ["mandatory_report:minor_sexual_assault"])
        XCTAssertEqual(try page(id).sealed, true)
        // Within the hour nothing is escalated; after it the city supervisors are told, once.
        func escalated() throws -> Int {
            try t.count("SELECT count(*) AS n FROM case_events WHERE case_id = \(id) AND kind = 'task_overdue'")
        }
        t.clock.value = DeadlineSweepTests.morning("2026-11-02").addingTimeInterval(1800)
        _ = try t.store.sweep()
        XCTAssertEqual(try escalated(), 0)
        t.clock.value = DeadlineSweepTests.morning("2026-11-02").addingTimeInterval(7200)
        XCTAssertGreaterThanOrEqual(try t.store.sweep().tasksEscalated, 1)
        _ = try t.store.sweep()
        XCTAssertEqual(try escalated(), 1, "once")
        XCTAssertEqual(try t.count("""
            SELECT count(*) AS n FROM notifications WHERE case_id = \(id) AND kind = 'task_overdue' AND unit_id = \(try t.unitID(city)) AND audience = 'supervisors'
            """), 1)
        // Staff may add grounds the intake could not know.
        XCTAssertEqual(try post("/api/v1/cases/\(id)/mandatory-reports", ["reason": "minor_pregnancy_under_14"]).status, 204)
        XCTAssertEqual(try post("/api/v1/cases/\(id)/mandatory-reports", ["reason": "gossip"]).errorFields, ["reason"])
    }

    func testTheDatabaseTriggerAgreesWithTheDomainRuleForMandatoryReports() throws {
        for category in CaseCategory.allCases {
            for minor in [false, true] {
                let (id, _) = try newCase(category: category.rawValue, idNumber: minor ? "420502201205150029" : "420502198001010011")
                let reasons = try t.store.pool.withConnection { db in
                    try db.query("SELECT reason FROM case_tasks WHERE case_id = \(Int64(id)) AND kind = 'mandatory_report' ORDER BY reason")
                        .rows.map { try $0.decode("reason", as: String.self) }
                }
                XCTAssertEqual(reasons, MandatoryReporting.reasons(category: category, victimIsMinor: minor).map(\.rawValue).sorted(),
                               "\(category.rawValue), minor \(minor)")
            }
        }
    }

    func testAnUnsatisfiedFollowUpReopensAClosedCase() throws {
        let (id, _) = try newCase()
        _ = try post("/api/v1/cases/\(id)/accept")
        _ = try post("/api/v1/cases/\(id)/reply", ["text": "已办理。"])
        XCTAssertEqual(try post("/api/v1/cases/\(id)/close").status, 200)
        XCTAssertEqual(try post("/api/v1/cases/\(id)/follow-ups", ["method": "call", "satisfaction": "satisfied", "reopen": true]).errorFields,
                       ["reopen"], "only an unsatisfied petitioner's case reopens")
        XCTAssertEqual(try post("/api/v1/cases/\(id)/follow-ups", ["method": "fax", "satisfaction": "meh"]).errorFields.sorted(),
                       ["method", "satisfaction"])
        XCTAssertEqual(try post("/api/v1/cases/\(id)/follow-ups", ["method": "call", "satisfaction": "unsatisfied", "note": "对方仍未支付",
                                                                   "reopen": true]).status, 204)
        XCTAssertEqual(try page(id).status, "reopened")
        // Review: asked within its period, decided at the level above.
        let (reviewed, _) = try newCase()
        _ = try post("/api/v1/cases/\(reviewed)/accept")
        _ = try post("/api/v1/cases/\(reviewed)/reply", ["text": "不予支持。"])
        t.clock.value = DeadlineSweepTests.morning("2026-12-03")
        XCTAssertEqual(try post("/api/v1/cases/\(reviewed)/review/request", ["reason": "不服"]).errorCode, "request_window_closed",
                       "30 days from the reply on 2 Nov ran out on 2 Dec")
    }

    func testLoginSessionsCSRFAndThrottling() throws {
        try t.store.setPassword(username: handler.0.username, password: "correct-horse-battery", hasher: PasswordHasher(logRounds: 10))
        // Wrong password: the same answer as an unknown user.
        XCTAssertEqual(try attempt(handler.0.username, "wrong-password").status, 401)
        XCTAssertEqual(try attempt("nobody-at-all", "wrong-password").status, 401)
        let session = try login(handler.0.username, "correct-horse-battery")
        XCTAssertTrue(session.setCookie.contains("HttpOnly") && session.setCookie.contains("SameSite=Strict"))
        XCTAssertFalse(session.setCookie.contains("Secure"), "plain HTTP here")
        let home = try HTTPClient.get(port: t.port, "/", headers: [("Cookie", session.cookie)])
        XCTAssertEqual(home.status, 200)
        XCTAssertTrue(home.text.contains("承办人"))
        // The API accepts the cookie for reading; for changes it wants the CSRF token too.
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/cases?limit=1", headers: [("Cookie", session.cookie)]).status, 200)
        let (id, _) = try newCase()
        let noToken = try HTTPClient.send(port: t.port, "POST", "/api/v1/cases/\(id)/accept", headers: [("Cookie", session.cookie)])
        XCTAssertEqual(noToken.status, 403)
        XCTAssertEqual(noToken.errorCode, "csrf_failed")
        let csrf = try t.store.session(token: session.token)!.csrfToken
        XCTAssertEqual(try HTTPClient.send(port: t.port, "POST", "/api/v1/cases/\(id)/accept",
                                           headers: [("Cookie", session.cookie), ("X-CSRF-Token", csrf)]).status, 200)
        // Logout needs the form's token, and ends the session for every instance.
        XCTAssertEqual(try form("/logout", ["_csrf": "forged"], cookie: session.cookie).status, 403)
        XCTAssertEqual(try form("/logout", ["_csrf": csrf], cookie: session.cookie).status, 303)
        let other = try TestApp()
        XCTAssertEqual(try HTTPClient.get(port: other.port, "/", headers: [("Cookie", session.cookie)]).status, 303, "back to login")
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/cases", headers: [("Cookie", session.cookie)]).status, 401)
        // Five failures lock the account for a while, even for the right password, per account.
        for _ in 0..<5 { _ = try attempt(handler.0.username, "guess") }
        let locked = try attempt(handler.0.username, "correct-horse-battery")
        XCTAssertEqual(locked.status, 429)
        XCTAssertNotNil(locked.header("retry-after"))
        XCTAssertTrue(locked.text.contains("分钟"), "said in Chinese")
        t.clock.value = t.clock.value.addingTimeInterval(16 * 60)
        XCTAssertEqual(try attempt(handler.0.username, "correct-horse-battery").status, 303, "the window passed")
        // A form posted without the login page's token is refused.
        XCTAssertEqual(try form("/login", ["username": handler.0.username, "password": "correct-horse-battery"], cookie: nil).status, 403)
        // Passwords are stored as scrypt hashes, never as given.
        let stored = try t.store.pool.withConnection { try $0.query("SELECT password_hash FROM users WHERE id = \(self.handler.0.id)").first!.decode("password_hash", as: String.self) }
        XCTAssertTrue(stored.hasPrefix("scrypt$10$8$1$"))
        XCTAssertFalse(stored.contains("correct-horse"))
        XCTAssertFalse(t.log.all.joined().contains("correct-horse"), "no password in the log")
        // Ended and expired sessions are swept away a day later.
        t.clock.value = t.clock.value.addingTimeInterval(2 * 86_400)
        _ = try t.store.sweep()
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM sessions WHERE user_id = \(handler.0.id)"), 0)
    }

    func testLetterScansAreKeptWithTheCaseAndOnlyPDFOrJPEG() throws {
        let (id, receipt) = try newCase()
        let contact = receipt.contactId
        func upload(_ bytes: [UInt8], _ type: String, as who: (StaffUser, String)? = nil) throws -> HTTPResult {
            try HTTPClient.send(port: t.port, "POST", "/api/v1/cases/\(id)/attachments?contact_id=\(contact)",
                                headers: [("Authorization", "Bearer \((who ?? handler).1)"), ("Content-Type", type)], body: bytes)
        }
        let pdf = Array("%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n".utf8)
        let stored = try upload(pdf, "application/pdf")
        XCTAssertEqual(stored.status, 201, stored.text)
        XCTAssertEqual(try upload(Array("hello".utf8), "application/pdf").errorFields, ["file"], "checked by content, not by label")
        XCTAssertEqual(try upload(pdf, "text/plain").errorFields, ["Content-Type"])
        XCTAssertEqual(try upload(pdf, "application/pdf", as: try t.newOperator(role: .handler, unit: "t-c-b")).status, 404, "not her case")
        let back = try t.store.attachment(id: Int64(try stored.decode(Created.self).id), by: handler.0)
        XCTAssertEqual(back?.bytes, pdf)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM case_reads WHERE case_id = \(id) AND view = 'attachment'"), 1, "reading it is audited")
    }

    func testTheChecklistIsGradedWithoutSaving() throws {
        let questions = try HTTPClient.get(port: t.port, "/api/v1/risk-checklist", token: handler.1).decode(Checklist.self).questions
        var answers = Dictionary(uniqueKeysWithValues: questions.map { ($0.id, false) })
        let low = try post("/api/v1/risk-checklist/grade", ["answers": answers])
        XCTAssertEqual(try low.decode(RiskGrade.self).grade, "low")
        answers["weapon"] = true
        XCTAssertEqual(try post("/api/v1/risk-checklist/grade", ["answers": answers]).decode(RiskGrade.self).grade, "high")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM risk_assessments WHERE assessed_by = \(handler.0.id)"), 0)
    }

    func testTheOverdueListExportsAsASpreadsheet() throws {
        let (_, receipt) = try newCase()
        t.clock.value = DeadlineSweepTests.morning("2026-11-25")
        let sup = try t.newOperator(role: .supervisor, unit: city)
        let csv = try HTTPClient.get(port: t.port, "/api/v1/supervision/clocks.csv?status=overdue", token: sup.1)
        XCTAssertEqual(csv.status, 200)
        XCTAssertEqual(Array(csv.body.prefix(3)), [0xEF, 0xBB, 0xBF])
        XCTAssertTrue(csv.text.contains("跟踪编号,期限"))
        XCTAssertTrue(csv.text.contains(receipt.trackingNo), "the acceptance clock ran out on 17 Nov")
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/supervision/clocks.csv?status=late", token: sup.1).errorFields, ["status"])
    }

    func testFailedLoginsAreAlsoCountedPerAddress() throws {
        // A policy of three per address (the default is 20), so the test need not try twenty accounts.
        let strict = try TestApp(configure: { $0.loginPolicy.failuresPerAddress = 3 })
        let owner = try TestDatabase.connect()
        defer { _ = try? owner.execute("DELETE FROM throttle WHERE bucket LIKE 'login:%'") }
        try owner.execute("DELETE FROM throttle WHERE bucket LIKE 'login:address:%'")
        let (user, _) = try strict.newOperator()
        try strict.store.setPassword(username: user.username, password: "the-right-password", hasher: PasswordHasher(logRounds: 10))
        for name in ["nobody-1", "nobody-2", "nobody-3"] {
            XCTAssertEqual(try strict.store.login(username: name, password: "x", clientAddress: "198.51.100.7",
                                                 policy: strict.app.configuration.loginPolicy).isRefused, true)
        }
        // A fourth account from that address is refused before its password is even checked; another address is not.
        if case .throttled = try strict.store.login(username: user.username, password: "the-right-password", clientAddress: "198.51.100.7",
                                                    policy: strict.app.configuration.loginPolicy) {} else { XCTFail("the address is not throttled") }
        if case .success = try strict.store.login(username: user.username, password: "the-right-password", clientAddress: "203.0.113.9",
                                                  policy: strict.app.configuration.loginPolicy) {} else { XCTFail("another address is refused") }
    }

    // MARK: - Helpers

    func serial(_ document: DocumentShape) throws -> Int {
        let digits = document.number.split(separator: "〕")[1].dropLast()
        return Int(digits)!
    }

    func clocks(_ id: Int) throws -> [String] {
        try t.store.pool.withConnection { db in
            try db.query("""
                SELECT kind || ':' || state || ':' || due_on::text AS c FROM clocks WHERE case_id = \(Int64(id)) AND state <> 'cancelled' ORDER BY id
                """).rows.map { try $0.decode("c") }
        }
    }

    func form(_ path: String, _ fields: [String: String], cookie: String?) throws -> HTTPResult {
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        var headers = [("Content-Type", "application/x-www-form-urlencoded")]
        if let cookie { headers.append(("Cookie", cookie)) }
        return try HTTPClient.send(port: t.port, "POST", path, headers: headers, body: Array(body.utf8))
    }

    /// One login attempt through the form, with the token the login page handed out.
    func attempt(_ username: String, _ password: String) throws -> HTTPResult {
        let page = try HTTPClient.get(port: t.port, "/login")
        let cookie = page.header("set-cookie")!.split(separator: ";")[0]
        let token = String(cookie.split(separator: "=", maxSplits: 1)[1])
        return try form("/login", ["_csrf": token, "username": username, "password": password], cookie: String(cookie))
    }

    func login(_ username: String, _ password: String? = nil) throws -> (cookie: String, token: String, setCookie: String) {
        if password == nil {
            try t.store.setPassword(username: username, password: "a-long-test-password", hasher: PasswordHasher(logRounds: 10))
        }
        let r = try attempt(username, password ?? "a-long-test-password")
        XCTAssertEqual(r.status, 303, r.text)
        let set = r.header("set-cookie")!.split(separator: "\n").first { $0.hasPrefix("huiyin_session=") }!
        let pair = String(set.split(separator: ";")[0])
        return (pair, String(pair.dropFirst("huiyin_session=".count)), String(set))
    }
}

extension LoginOutcome {
    var isRefused: Bool { if case .refused = self { return true } else { return false } }
}
