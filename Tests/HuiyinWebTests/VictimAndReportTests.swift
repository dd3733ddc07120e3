import Foundation
import HuiyinCore
import HuiyinStore
import TestSupport
import XCTest

/// The person a matter is about (当事人) on every channel, driving sealing, mandatory reports and the danger
/// checklist; a mandatory report added from the case page; the police-report time as staff type it.
final class VictimAndReportTests: XCTestCase {
    var t: TestApp!
    var city = ""
    var op: (StaffUser, String)!
    /// Handles every case of this test, so the API shows her what a seal hides from the operator.
    var handler: (StaffUser, String)!

    override func setUpWithError() throws {
        t = try TestApp(now: DeadlineSweepTests.morning("2026-11-02"))   // 10:00 in Shanghai
        city = try t.newUnit("city", under: "t")
        op = try t.newOperator(role: .operator_, unit: city)
        handler = try t.newOperator(role: .handler, unit: city)
    }

    override func tearDown() { t = nil }

    /// A mother's call about her daughter.
    func motherCalls(category: String = "sexual_assault", victim: [String: Any]?) throws -> Int {
        var body = Sample.call(phone: Sample.randomPhone(), name: "李梅", summary: "母亲来电反映女儿遭邻居侵害", category: category)
        if let victim { body["victim"] = victim }
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: op.1, body)
        XCTAssertEqual(r.status, 201, r.text)
        let id = try r.decode(Receipt.self).caseId
        try t.store.assignHandler(caseID: Int64(id), handlerID: handler.0.id, by: handler.0)
        return id
    }

    func reasons(_ id: Int) throws -> [String] {
        try t.store.pool.withConnection { db in
            try db.query("SELECT reason FROM case_tasks WHERE case_id = \(Int64(id)) AND kind = 'mandatory_report' ORDER BY reason")
                .rows.map { try $0.decode("reason", as: String.self) }
        }
    }

    func sealed(_ id: Int) throws -> Bool {
        try t.count("SELECT count(*) AS n FROM cases WHERE id = \(Int64(id)) AND sealed") == 1
    }

    func testAMotherCallingAboutHer13YearOldDaughterGetsASealedCaseAndAMandatoryReport() throws {
        let id = try motherCalls(victim: ["relation": "child", "age": 13])
        XCTAssertTrue(try sealed(id))
        XCTAssertEqual(try reasons(id), ["minor_sexual_assault"])
        let page = try HTTPClient.get(port: t.port, "/api/v1/cases/\(id)", token: handler.1).decode(CasePage.self)
        let victim = try XCTUnwrap(page.victim)
        XCTAssertEqual(victim.relation, "child")
        XCTAssertEqual(victim.age, 13)
        XCTAssertEqual(victim.isMinor, true)
        XCTAssertEqual(page.petitioner?.isMinor, false, "the mother is not the minor")
    }

    func testTheTriggerFollowsTheVictimAsTheDomainRuleDoes() throws {
        // (victim, petitioner's ID number) → whether the victim is a minor by Victim.isMinor.
        let adultID = "420502198001010011", minorID = "420502201205150029"
        let cases: [([String: Any]?, String, Bool)] = [
            (["relation": "child", "age": 13], adultID, true),
            (["relation": "child", "birth_date": "2015-03-01"], adultID, true),
            (["relation": "other", "is_minor": true], adultID, true),
            (["relation": "child", "age": 20], adultID, false),
            (nil, minorID, true),
            (["relation": "self"], minorID, true),
            (["relation": "parent", "age": 41], minorID, false),
        ]
        for category in [CaseCategory.sexualAssault, .domesticViolence, .marriageFamily] {
            for (victim, idNumber, minor) in cases {
                var body = Sample.call(phone: Sample.randomPhone(), category: category.rawValue)
                body["petitioner"] = ["name": "来电人", "id_number": idNumber]
                if let victim { body["victim"] = victim }
                let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: op.1, body)
                XCTAssertEqual(r.status, 201, r.text)
                let id = try r.decode(Receipt.self).caseId
                XCTAssertEqual(try reasons(id), MandatoryReporting.reasons(category: category, victimIsMinor: minor).map(\.rawValue),
                               "\(category) \(String(describing: victim)) \(idNumber)")
                if minor { XCTAssertTrue(try sealed(id), "a minor victim's case is sealed whatever its category") }
            }
        }
        // A minor victim seals a case of an ordinary category too.
        XCTAssertTrue(try sealed(try motherCalls(category: "property_rights", victim: ["relation": "child", "age": 9])))
        XCTAssertFalse(try sealed(try motherCalls(category: "property_rights", victim: ["relation": "child", "age": 30])))
    }

    func testBadVictimFieldsAreRefusedWithEveryFieldAndNothingIsWritten() throws {
        let before = try t.count("SELECT count(*) AS n FROM cases")
        var body = Sample.call(phone: Sample.randomPhone(), category: "sexual_assault")
        body["victim"] = ["relation": "neighbour", "age": "thirteen", "birth_date": "2013-02-30", "nickname": "x"]
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: op.1, body)
        XCTAssertEqual(r.status, 422)
        XCTAssertEqual(Set(r.errorFields), ["victim.relation", "victim.age", "victim.birth_date", "victim.nickname"])
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM cases"), before)
    }

    func testAnOnlinePetitionNamesTheVictimThroughTheAPIAndThePublicForm() throws {
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/petitions", [
            "category": "sexual_assault", "summary": "我女儿在学校被老师猥亵", "petitioner": ["name": "张丽", "phone": Sample.randomPhone()],
            "victim": ["relation": "child", "birth_date": "2014-06-01"],
        ])
        XCTAssertEqual(r.status, 201, r.text)
        XCTAssertEqual(try reasons(r.decode(Receipt.self).caseId), ["minor_sexual_assault"])

        // The mobile page: the form carries whose matter it is and her age.
        let form = try HTTPClient.get(port: t.port, "/petition")
        XCTAssertTrue(form.text.contains("name=\"victim_relation\""))
        XCTAssertTrue(form.text.contains("<label for=\"victim-age\">"))
        let cookie = try XCTUnwrap(form.header("set-cookie")?.split(separator: ";").first.map(String.init))
        let csrf = try XCTUnwrap(form.text.range(of: "name=\"_csrf\" value=\"").map { form.text[$0.upperBound...].prefix { $0 != "\"" } })
        let phone = Sample.randomPhone()
        func submit(_ fields: [String: String]) throws -> HTTPResult {
            let body = fields.merging(["_csrf": String(csrf)]) { $1 }
                .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
            return try HTTPClient.send(port: t.port, "POST", "/petition", headers: [("Content-Type", "application/x-www-form-urlencoded"),
                                                                                    ("Cookie", cookie)], body: Array(body.utf8))
        }
        let fields = ["name": "张丽", "phone": phone, "category": "sexual_assault", "summary": "女儿被人欺负", "victim_relation": "child",
                      "victim_age": "十二"]
        let refused = try submit(fields)
        XCTAssertEqual(refused.status, 422)
        XCTAssertTrue(refused.text.contains("请填写正确的当事人年龄"), refused.text)
        XCTAssertTrue(refused.text.contains("value=\"child\" selected"), "her choice is kept")
        let done = try submit(fields.merging(["victim_age": "12"]) { $1 })
        XCTAssertEqual(done.status, 200, done.text)
        let id = try t.store.pool.withConnection {
            try $0.query("SELECT c.id FROM cases c JOIN petitioners p ON p.id = c.petitioner_id WHERE p.phone = \(phone)").first!
                .decode("id", as: Int64.self)
        }
        XCTAssertEqual(try reasons(Int(id)), ["minor_sexual_assault"])
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM cases WHERE id = \(id) AND victim_relation = 'child' AND victim_age = 12"), 1)
    }

    func testAChildVictimCountsInTheDangerChecklist() throws {
        let id = try motherCalls(category: "domestic_violence", victim: ["relation": "child", "age": 10])
        let answers = Dictionary(uniqueKeysWithValues: RiskChecklist.federation.questions.map { ($0.id, false) })
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/cases/\(id)/risk-assessments", token: op.1, ["answers": answers])
        XCTAssertEqual(r.status, 201, r.text)
        let graded = try r.decode(RiskGrade.self)
        XCTAssertEqual(graded.score, 1, "the capacity question is yes by the facts on record")
        XCTAssertEqual(graded.mandatoryReports, ["violence_without_full_capacity"])
    }

    // MARK: - The case page

    func session(_ role: StaffRole, unit: String) throws -> (StaffUser, ConsoleSession) {
        let session = try ConsoleSession(t, role, unit: unit)
        return (session.user, session)
    }

    func post(_ path: String, _ fields: [String: String], as who: ConsoleSession) throws -> HTTPResult {
        try who.post(t, path, fields)
    }

    func testTheCasePageShowsTheVictimOnlyToThoseWhoMayOpenIt() throws {
        let (handlerUser, handler) = try session(.handler, unit: city)
        let id = try motherCalls(victim: ["relation": "child", "age": 13])
        try t.store.assignHandler(caseID: Int64(id), handlerID: handlerUser.id, by: handlerUser)
        let page = try HTTPClient.get(port: t.port, "/cases/\(id)", headers: [("Cookie", handler.cookie)]).text
        XCTAssertTrue(page.contains("当事人：</strong>子女 · 13周岁"), page)
        XCTAssertTrue(page.contains("未成年人"))
        // Another handler of the unit, outside the sealed case's circle, sees no victim.
        let (_, other) = try session(.handler, unit: city)
        let masked = try HTTPClient.get(port: t.port, "/cases/\(id)", headers: [("Cookie", other.cookie)]).text
        XCTAssertTrue(masked.contains("此案件已密封"))
        XCTAssertFalse(masked.contains("13周岁"))
        XCTAssertNil(try HTTPClient.get(port: t.port, "/api/v1/cases/\(id)", token: try t.newOperator(role: .handler, unit: city).1)
                        .decode(CasePage.self).victim)
    }

    func testEveryIntakeFormAsksAboutTheVictimWithLabelledControls() throws {
        let (_, reception) = try session(.reception, unit: city)
        let pages = [("/call", [""]), ("/reception", ["", "letter-"])]
        for (path, prefixes) in pages {
            let page = try HTTPClient.get(port: t.port, path, headers: [("Cookie", reception.cookie)]).text
            for prefix in prefixes {
                for control in ["victim-relation", "victim-age", "victim-birth", "victim-minor"] {
                    XCTAssertTrue(page.contains("<label for=\"\(prefix)\(control)\">"), "\(path): no label for \(prefix)\(control)")
                    XCTAssertTrue(page.contains("id=\"\(prefix)\(control)\""), "\(path): no \(prefix)\(control)")
                }
            }
            XCTAssertTrue(page.contains("<option value=\"child\">子女</option>"), path)
        }
    }

    func testStaffAddAMandatoryReportFromTheCasePage() throws {
        let (handlerUser, handler) = try session(.handler, unit: city)
        let id = try motherCalls(category: "marriage_family", victim: nil)
        try t.store.assignHandler(caseID: Int64(id), handlerID: handlerUser.id, by: handlerUser)
        XCTAssertEqual(try reasons(id), [])
        let page = try HTTPClient.get(port: t.port, "/cases/\(id)", headers: [("Cookie", handler.cookie)]).text
        XCTAssertTrue(page.contains("<label for=\"report-reason\">"), "the form is on the page")
        XCTAssertEqual(try post("/cases/\(id)/actions", ["action": "mandatory_report", "report_reason": "gossip"], as: handler).status, 200)
        XCTAssertEqual(try reasons(id), [])
        let done = try post("/cases/\(id)/actions", ["action": "mandatory_report", "report_reason": "minor_pregnancy_under_14",
                                                      "text": "回访得知女儿13岁已怀孕"], as: handler)
        XCTAssertEqual(done.status, 303, done.text)
        XCTAssertEqual(try reasons(id), ["minor_pregnancy_under_14"])
        let after = try HTTPClient.get(port: t.port, done.header("location")!, headers: [("Cookie", handler.cookie)]).text
        XCTAssertTrue(after.contains("强制报告（向公安机关报告）（不满十四周岁女性未成年人怀孕或流产）：待办"), after)
    }

    // MARK: - 报案时间

    func openTask(_ id: Int) throws -> Int64 {
        try t.store.pool.withConnection {
            try $0.query("SELECT id FROM case_tasks WHERE case_id = \(Int64(id)) AND state = 'open' ORDER BY id").first!.decode("id", as: Int64.self)
        }
    }

    func testATypedPoliceTimeIsAcceptedAsLocalTimeAndShownAfterCompletion() throws {
        let (handlerUser, handler) = try session(.handler, unit: city)
        let id = try motherCalls(victim: ["relation": "child", "age": 13])
        try t.store.assignHandler(caseID: Int64(id), handlerID: handlerUser.id, by: handlerUser)
        let task = try openTask(id)
        let form = try HTTPClient.get(port: t.port, "/cases/\(id)", headers: [("Cookie", handler.cookie)]).text
        XCTAssertTrue(form.contains("type=\"datetime-local\" id=\"reported-at-\(task)\" name=\"reported_at\""), form)
        XCTAssertTrue(form.contains("<label for=\"station-\(task)\">"))

        // Refused: what she typed stays, and the page says which form is expected.
        let refused = try post("/cases/\(id)/tasks/\(task)", ["reported_at": "11月2日上午9点半", "station": "西陵派出所",
                                                                "receipt_no": "XL2026110201"], as: handler)
        XCTAssertEqual(refused.status, 200)
        XCTAssertTrue(refused.text.contains("报案时间请按“2026-11-29 22:30”的格式填写（北京时间）"), refused.text)
        XCTAssertTrue(refused.text.contains("value=\"西陵派出所\""))
        XCTAssertTrue(refused.text.contains("value=\"XL2026110201\""))
        XCTAssertTrue(refused.text.contains("value=\"11月2日上午9点半\""))
        // Refused for a missing station: the time she typed comes back in the input's own form.
        let incomplete = try post("/cases/\(id)/tasks/\(task)", ["reported_at": "2026年11月2日 09:30", "receipt_no": "XL2026110201"], as: handler)
        XCTAssertTrue(incomplete.text.contains("value=\"2026-11-02T09:30\""), incomplete.text)
        XCTAssertFalse(incomplete.text.contains("的格式填写"), "the time was fine")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM case_tasks WHERE id = \(task) AND state = 'done'"), 0)

        // As a datetime-local input sends it.
        let done = try post("/cases/\(id)/tasks/\(task)", ["reported_at": "2026-11-02T09:30", "station": "西陵派出所",
                                                            "receipt_no": "XL2026110201"], as: handler)
        XCTAssertEqual(done.status, 303, done.text)
        XCTAssertEqual(try t.count("""
            SELECT count(*) AS n FROM case_tasks WHERE id = \(task) AND detail->>'reported_at' = '2026-11-02T09:30:00+08:00'
            """), 1, "stored as the instant with the zone's offset")
        let page = try HTTPClient.get(port: t.port, "/cases/\(id)", headers: [("Cookie", handler.cookie)]).text
        XCTAssertTrue(page.contains("已完成（报案时间 2026-11-02 09:30 · 西陵派出所 · 回执编号 XL2026110201）"), page)
        XCTAssertFalse(page.contains("已完成（2026-11-02 10:00）"), "not the task's due time")
    }

    func testTheAPIAcceptsTheSameTypedFormsAndNamesTheExpectedOne() throws {
        let id = try motherCalls(victim: ["relation": "child", "age": 13])
        let task = try openTask(id)
        func complete(_ time: String) throws -> HTTPResult {
            try HTTPClient.json(port: t.port, "POST", "/api/v1/cases/\(id)/tasks/\(task)/complete", token: op.1,
                                ["reported_at": time, "station": "西陵派出所", "receipt_no": "XL1"])
        }
        let refused = try complete("02/11/2026 09:30")
        XCTAssertEqual(refused.status, 422)
        XCTAssertEqual(refused.errorFields, ["reported_at"])
        XCTAssertTrue(refused.text.contains("2026-11-29 22:30"), refused.text)
        XCTAssertEqual(try complete("2026-11-02 09:30").status, 204)
        // The jsonb detail as stored, member names as sent (read free-form, not through the typed shape).
        let tasks = try XCTUnwrap(HTTPClient.get(port: t.port, "/api/v1/cases/\(id)", token: handler.1).jsonValue()["tasks"]?.arrayValue)
        let detail = try XCTUnwrap(tasks.first { $0["id"]?.intValue.map(Int64.init) == task }?["detail"])
        XCTAssertEqual(detail["reported_at"]?.stringValue, "2026-11-02T09:30:00+08:00")
    }
}
