import Foundation
import HuiyinStore
import TestSupport
import XCTest

final class IntakeTests: XCTestCase {
    var t: TestApp!
    var token = ""

    override func setUpWithError() throws {
        try TestApp.prepareDatabase()
        t = try TestApp()
        token = try t.newOperator().1
    }

    override func tearDown() { t = nil }

    func testACallOpensACaseWithItsContactAndEvent() throws {
        let phone = Sample.randomPhone()
        let created = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, Sample.call(phone: phone))
        XCTAssertEqual(created.status, 201, created.text)
        let receipt = try created.decode(Receipt.self)
        let caseID = receipt.caseId
        XCTAssertTrue(receipt.trackingNo.hasPrefix("HY"))
        XCTAssertEqual(try XCTUnwrap(receipt.queryCode).count, 9)
        XCTAssertEqual(receipt.repeat, false)
        XCTAssertEqual(created.header("location"), "/api/v1/cases/\(caseID)")

        let fetched = try HTTPClient.get(port: t.port, "/api/v1/cases/\(caseID)", token: token)
        XCTAssertEqual(fetched.status, 200)
        let page = try fetched.decode(CasePage.self)
        XCTAssertEqual(page.status, "registered")
        XCTAssertEqual(page.category, "marriage_family")
        XCTAssertEqual(page.petitioner?.phone, phone)
        XCTAssertEqual(page.contacts.count, 1)
        XCTAssertEqual(page.contacts[0].call?.subLine, "legal")
        XCTAssertEqual(page.events.map(\.kind), ["registered"])
        XCTAssertEqual(page.events[0].detail["channel"]?.stringValue, "call")
        XCTAssertNotNil(page.events[0].actorUserId)
    }

    func testLettersVisitsAndCollectivePetitions() throws {
        let letter = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, [
            "channel": "letter", "category": "minors_rights", "summary": "女儿代母亲来信，反映父亲长期不支付抚养费",
            "letter": ["received_on": "2026-11-18", "sender": "李小雨", "on_behalf": true],
        ])
        XCTAssertEqual(letter.status, 201, letter.text)
        let letterCase = try HTTPClient.get(port: t.port, "/api/v1/cases/\(letter.decode(Receipt.self).caseId)", token: token)
        XCTAssertEqual(try letterCase.decode(CasePage.self).receivedOn, "2026-11-18", "deadlines count from receipt, not logging")
        XCTAssertEqual(try letterCase.jsonValue()["petitioner"], .null, "no petitioner given (present, and null)")

        let visit = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, [
            "channel": "visit", "category": "labor_social_security", "summary": "六名女工集体来访反映被拖欠工资",
            "visit": ["window": "市妇联信访接待窗口", "visitors": 6],
        ])
        XCTAssertEqual(visit.status, 201, visit.text)
        let visitCase = try HTTPClient.get(port: t.port, "/api/v1/cases/\(visit.decode(Receipt.self).caseId)", token: token)
        let contact = try XCTUnwrap(try visitCase.decode(CasePage.self).contacts.first?.visit)
        XCTAssertEqual(contact.visitors, 6)
        XCTAssertEqual(contact.collective, true)
    }

    /// The channel's own columns are written from one description on both paths (a new case's group
    /// commit, a further contact's attach): what is stored is what was sent, on each.
    func testEachChannelsColumnsAreStoredAlikeOnANewCaseAndOnAFurtherContact() throws {
        let bodies: [(String, [String: Any], String)] = [
            ("call", ["call": ["sub_line": "legal"]], "legal|||||"),
            ("letter", ["letter": ["received_on": "2026-11-18", "sender": "李小雨", "on_behalf": true]], "|李小雨|true|||"),
            ("visit", ["visit": ["window": "市妇联信访接待窗口", "visitors": 6]], "|||市妇联信访接待窗口|6|"),
        ]
        for (channel, details, expected) in bodies {
            var body: [String: Any] = ["channel": channel, "category": "other", "summary": "同一事项", "petitioner": ["phone": Sample.randomPhone()]]
            details.forEach { body[$0] = $1 }
            let first = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, body)
            XCTAssertEqual(first.status, 201, first.text)
            let caseID = try first.decode(Receipt.self).caseId
            body["case_id"] = caseID
            body["category"] = nil
            let again = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, body)
            XCTAssertEqual(again.status, 201, again.text)
            let stored = try t.store.pool.withConnection { db in
                try db.query("""
                    SELECT concat_ws('|', coalesce(sub_line, ''), coalesce(letter_sender, ''), coalesce(letter_on_behalf::text, ''),
                                     coalesce(visit_window, ''), coalesce(visitors::text, ''), '') AS columns
                    FROM contacts WHERE case_id = \(Int64(caseID)) ORDER BY id
                    """).rows.map { try $0.decode("columns", as: String.self) }
            }
            XCTAssertEqual(stored, [expected, expected], channel)
        }
    }

    func testRepeatContactsAttachAndCount() throws {
        let first = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, Sample.call(phone: Sample.randomPhone()))
        let caseID = try first.decode(Receipt.self).caseId
        for expected in [2, 3] {
            let again = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, [
                "channel": "call", "case_id": caseID, "summary": "再次来电询问进展",
            ])
            XCTAssertEqual(again.status, 201, again.text)
            let receipt = try again.decode(Receipt.self)
            XCTAssertEqual(receipt.contactCount, expected)
            XCTAssertEqual(receipt.repeat, true)
            XCTAssertNil(try again.jsonValue()["query_code"], "the query code is shown only when the case is opened")
            XCTAssertEqual(receipt.trackingNo, try first.decode(Receipt.self).trackingNo)
        }
        let fetched = try HTTPClient.get(port: t.port, "/api/v1/cases/\(caseID)", token: token)
        let record = try fetched.decode(CasePage.self)
        XCTAssertEqual(record.contacts.count, 3)
        XCTAssertEqual(record.repeat, true)
        XCTAssertEqual(record.events.map(\.kind), ["registered", "contact_added", "contact_added"])
        let missing = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, [
            "channel": "call", "case_id": 999_999_999, "summary": "x",
        ])
        XCTAssertEqual(missing.status, 422)
        XCTAssertEqual(missing.errorFields, ["case_id"])
    }

    func testCallerLookupFindsEarlierCasesNewestFirst() throws {
        let phone = Sample.randomPhone()
        var created: [Int] = []
        for summary in ["第一次来电", "第二次来电，另一件事"] {
            let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, Sample.call(phone: phone, summary: summary))
            created.append(try r.decode(Receipt.self).caseId)
            t.clock.value = t.clock.value.addingTimeInterval(60)
        }
        let spaced = phone.prefix(3) + " " + phone.dropFirst(3).prefix(4) + " " + phone.suffix(4)
        let found = try HTTPClient.get(port: t.port, "/api/v1/petitioners?phone=\(spaced.replacingOccurrences(of: " ", with: "%20"))", token: token)
        XCTAssertEqual(found.status, 200)
        let people = try found.decode(Callers.self).petitioners
        XCTAssertEqual(people.count, 1, "the same number and name twice is one returning caller, not two people")
        let cases = people.flatMap(\.cases).map(\.id)
        XCTAssertEqual(Set(cases), Set(created))
        XCTAssertEqual(people.first?.cases.first?.id, created[1], "newest first")

        let none = try HTTPClient.get(port: t.port, "/api/v1/petitioners?phone=13900000001", token: token)
        XCTAssertEqual(try none.decode(Callers.self).petitioners.count, 0)
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/petitioners?phone=123", token: token).status, 422)
    }

    func testAttachingARepeatCallerByPetitionerID() throws {
        let first = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, Sample.call(phone: Sample.randomPhone()))
        let person = try XCTUnwrap(try HTTPClient.get(port: t.port, "/api/v1/cases/\(first.decode(Receipt.self).caseId)", token: token)
            .decode(CasePage.self).petitioner).id
        let second = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, [
            "channel": "call", "category": "property_rights", "summary": "另一件事：房产被前夫转卖", "petitioner_id": person,
        ])
        XCTAssertEqual(second.status, 201, second.text)
        let record = try HTTPClient.get(port: t.port, "/api/v1/cases/\(second.decode(Receipt.self).caseId)", token: token).decode(CasePage.self)
        XCTAssertEqual(record.petitioner?.id, person)
        let unknown = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, [
            "channel": "call", "category": "other", "summary": "x", "petitioner_id": 999_999_999,
        ])
        XCTAssertEqual(unknown.status, 422)
        XCTAssertEqual(unknown.errorFields, ["petitioner_id"])
    }

    func testOnlinePetitionAndTracking() throws {
        let filed = try HTTPClient.json(port: t.port, "POST", "/api/v1/petitions", [
            "category": "marriage_family", "summary": "丈夫隐瞒收入，离婚诉讼中要求财产公平分割，请求妇联协助",
            "petitioner": ["name": "陈静", "phone": Sample.randomPhone()],
        ])
        XCTAssertEqual(filed.status, 201, filed.text)
        let receipt = try filed.decode(Receipt.self)
        let number = receipt.trackingNo
        let code = try XCTUnwrap(receipt.queryCode)

        let mine = try HTTPClient.get(port: t.port, "/api/v1/track/\(number)", headers: [("X-Query-Code", code.lowercased())])
        XCTAssertEqual(mine.status, 200, mine.text)
        let view = try mine.decode(Tracked.self)
        XCTAssertEqual(view.status, "registered")
        XCTAssertEqual(view.statusLabel, "已登记")
        XCTAssertNil(try mine.jsonValue()["summary"], "the tracking view shows no case notes")
        XCTAssertNil(try mine.jsonValue()["petitioner"])
        let byField = try HTTPClient.get(port: t.port, "/api/v1/track/\(number)?code=\(code)")
        XCTAssertEqual(byField.status, 200)

        let wrong = try HTTPClient.get(port: t.port, "/api/v1/track/\(number)", headers: [("X-Query-Code", "2222-2222")])
        let unknown = try HTTPClient.get(port: t.port, "/api/v1/track/HY20200101-999999", headers: [("X-Query-Code", code)])
        XCTAssertEqual(wrong.status, 404)
        XCTAssertEqual(wrong.text, unknown.text, "wrong code and unknown number must look the same")

        // Online petitions land at the root unit: the province's staff see them, the city's do not.
        let province = try t.newOperator(role: .supervisor, unit: "t").1
        let fetched = try HTTPClient.get(port: t.port, "/api/v1/cases/\(filed.decode(Receipt.self).caseId)", token: province)
        XCTAssertEqual(try fetched.decode(CasePage.self).channel, "online")
        XCTAssertEqual(try fetched.decode(CasePage.self).events.first?.actor, "petitioner")
    }

    func testRepeatedWrongCodesAreThrottled() throws {
        let filed = try HTTPClient.json(port: t.port, "POST", "/api/v1/petitions", [
            "category": "other", "summary": "咨询", "petitioner": ["name": "周敏", "phone": Sample.randomPhone()],
        ])
        let receipt = try filed.decode(Receipt.self)
        let number = receipt.trackingNo, code = try XCTUnwrap(receipt.queryCode)
        for _ in 0..<5 {
            XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/track/\(number)", headers: [("X-Query-Code", "3333-3333")]).status, 404)
        }
        let blocked = try HTTPClient.get(port: t.port, "/api/v1/track/\(number)", headers: [("X-Query-Code", code)])
        XCTAssertEqual(blocked.status, 429, "even the right code waits once the number is locked")
        XCTAssertNotNil(blocked.header("retry-after"))
        t.clock.value = t.clock.value.addingTimeInterval(16 * 60)
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/track/\(number)", headers: [("X-Query-Code", code)]).status, 200)
    }

    func testIdempotencyKeyReplaysTheFirstAnswer() throws {
        let key = UUID().uuidString
        let body = Sample.call(phone: Sample.randomPhone())
        let bytes = Array(try JSONSerialization.data(withJSONObject: body))  // a retry resends the same bytes
        let headers = [("Idempotency-Key", key), ("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")]
        let before = try t.count("SELECT count(*) AS n FROM contacts")
        let first = try HTTPClient.send(port: t.port, "POST", "/api/v1/contacts", headers: headers, body: bytes)
        let retry = try HTTPClient.send(port: t.port, "POST", "/api/v1/contacts", headers: headers, body: bytes)
        XCTAssertEqual(first.status, 201)
        XCTAssertEqual(retry.status, 201)
        XCTAssertEqual(retry.text, first.text, "the retry gets the same answer, query code included")
        XCTAssertEqual(retry.header("idempotent-replayed"), "true")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM contacts"), before + 1)

        var other = body
        other["summary"] = "另一份内容"
        let misuse = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, headers: [("Idempotency-Key", key)], other)
        XCTAssertEqual(misuse.status, 422)
        XCTAssertEqual(misuse.errorCode, "idempotency_key_reused")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM contacts"), before + 1)
    }

    func testConcurrentRetriesWithOneKeyWriteOnce() throws {
        let key = UUID().uuidString
        let body = Array(try JSONSerialization.data(withJSONObject: Sample.call(phone: Sample.randomPhone())))
        let before = try t.count("SELECT count(*) AS n FROM contacts")
        let answers = LockedValue<[String]>([])
        let port = t.port, token = token
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            if let r = try? HTTPClient.send(port: port, "POST", "/api/v1/contacts", headers: [
                ("Idempotency-Key", key), ("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")], body: body) {
                answers.withLock { $0.append("\(r.status) \((try? r.decode(Receipt.self)).map { String($0.caseId) } ?? "")") }
            }
        }
        XCTAssertEqual(answers.value.count, 6)
        XCTAssertEqual(Set(answers.value).count, 1, "\(answers.value)")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM contacts"), before + 1)
    }

    /// Concurrent new cases are written in shared statements (group commit); a bad row in a batch
    /// must fail only its own request.
    func testConcurrentIntakesShareCommitsWithoutMixingErrors() throws {
        t = try TestApp(workers: 48, pool: 2)  // many requests in flight, two writers: batches form
        token = try t.newOperator().1
        // On a loaded machine one burst may happen to arrive one commit at a time; a few bursts
        // must show a shared statement. Every burst must keep each request's answer its own.
        var bursts = 0
        repeat {
            bursts += 1
            try burstOfIntakes()
        } while t.store.newCaseBatches.largestBatch <= 1 && bursts < 4
        let batches = t.store.newCaseBatches
        XCTAssertEqual(batches.items, 48 * bursts)
        XCTAssertGreaterThan(batches.largestBatch, 1, "concurrent intakes must share a statement (\(bursts) bursts)")
    }

    /// Keyed new cases (the console always sends a key) share the group commit too: claim, stored answer
    /// and case in one statement. In one burst: 40 keys of their own, a key sent 4 times with the same body
    /// (one case, the same answer 4 times), and a key whose second use carries another body (refused).
    func testKeyedIntakesShareCommitsAndReplayExactly() throws {
        t = try TestApp(workers: 48, pool: 2)
        token = try t.newOperator().1
        var bursts = 0
        repeat {
            bursts += 1
            let before = try t.count("SELECT count(*) AS n FROM cases")
            let shared = UUID().uuidString, reused = UUID().uuidString
            let sharedBody = Array(try JSONSerialization.data(withJSONObject: Sample.call(phone: Sample.randomPhone(), summary: "同键重试")))
            var requests: [(String, [UInt8])] = try (0..<40).map { i in
                (UUID().uuidString, Array(try JSONSerialization.data(withJSONObject: Sample.call(phone: Sample.randomPhone(), summary: "带键来电 \(i)"))))
            }
            requests += Array(repeating: (shared, sharedBody), count: 4)
            requests.append((reused, Array(try JSONSerialization.data(withJSONObject: Sample.call(phone: Sample.randomPhone(), summary: "甲")))))
            let answers = LockedValue<[Int: HTTPResult]>([:])
            let port = t.port, token = token
            let done = DispatchGroup(), gate = DispatchSemaphore(value: 0)
            for (i, request) in requests.enumerated() {
                done.enter()
                Thread.detachNewThread {
                    gate.wait()
                    if let r = try? HTTPClient.send(port: port, "POST", "/api/v1/contacts", headers: [
                        ("Authorization", "Bearer \(token)"), ("Content-Type", "application/json"), ("Idempotency-Key", request.0)],
                        body: request.1) { answers.withLock { $0[i] = r } }
                    done.leave()
                }
            }
            for _ in requests.indices { gate.signal() }
            done.wait()
            let all = answers.value
            XCTAssertEqual(all.count, requests.count)
            XCTAssertTrue(all.values.allSatisfy { $0.status == 201 }, "\(all.values.map(\.status))")
            let sharedAnswers = (40..<44).compactMap { all[$0] }
            XCTAssertEqual(Set(sharedAnswers.map(\.text)).count, 1, "one key, one answer (query code included)")
            XCTAssertEqual(sharedAnswers.filter { $0.header("idempotent-replayed") == "true" }.count, 3)
            XCTAssertEqual(Set((0..<40).compactMap { all[$0].flatMap { try? $0.decode(Receipt.self).caseId } }).count, 40)
            XCTAssertEqual(try t.count("SELECT count(*) AS n FROM cases"), before + 42)
            // The same key with another body is refused, and writes nothing.
            let other = try HTTPClient.send(port: port, "POST", "/api/v1/contacts", headers: [
                ("Authorization", "Bearer \(token)"), ("Content-Type", "application/json"), ("Idempotency-Key", reused)],
                body: Array(try JSONSerialization.data(withJSONObject: Sample.call(phone: Sample.randomPhone(), summary: "乙"))))
            XCTAssertEqual(other.status, 422)
            XCTAssertEqual(other.errorCode, "idempotency_key_reused")
            XCTAssertEqual(try t.count("SELECT count(*) AS n FROM cases"), before + 42)
        } while t.store.newCaseBatches.largestBatch <= 1 && bursts < 4
        let batches = t.store.newCaseBatches
        XCTAssertEqual(batches.items, 46 * bursts, "every keyed new case (the refused reuse too) went through the group commit")
        XCTAssertGreaterThan(batches.largestBatch, 1, "keyed intakes must share a statement (\(bursts) bursts)")
    }

    /// 48 intakes at once, every eighth naming a unit that does not exist.
    private func burstOfIntakes() throws {
        let bodies: [[UInt8]] = try (0..<48).map { i in
            var body = Sample.call(phone: Sample.randomPhone(), summary: "并发来电 \(i)")
            if i % 8 == 0 { body["unit_id"] = 999_999_999 }
            return Array(try JSONSerialization.data(withJSONObject: body))
        }
        let before = try t.count("SELECT count(*) AS n FROM cases")
        let answers = LockedValue<[Int: (Int, Int?, [String])]>([:])
        let port = t.port, token = token
        // Real threads (concurrentPerform would run only as many as there are cores), released together.
        let done = DispatchGroup()
        let gate = DispatchSemaphore(value: 0)
        for i in bodies.indices {
            done.enter()
            Thread.detachNewThread {
                gate.wait()
                let r = try? HTTPClient.send(port: port, "POST", "/api/v1/contacts",
                                             headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")], body: bodies[i])
                answers.withLock { $0[i] = (r?.status ?? -1, r.flatMap { try? $0.decode(Receipt.self).caseId }, r?.errorFields ?? []) }
                done.leave()
            }
        }
        for _ in bodies.indices { gate.signal() }
        done.wait()
        let all = answers.value
        XCTAssertEqual(all.count, 48)
        for (i, answer) in all {
            if i % 8 == 0 {
                XCTAssertEqual(answer.0, 422, "request \(i)")
                XCTAssertEqual(answer.2, ["unit_id"])
            } else {
                XCTAssertEqual(answer.0, 201, "request \(i)")
            }
        }
        XCTAssertEqual(Set(all.values.compactMap(\.1)).count, 42, "every accepted intake has its own case")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM cases"), before + 42)
    }

    func testLogsCarryNoPersonalData() throws {
        let phone = Sample.randomPhone()
        let name = "欧阳秀兰"
        let summary = "独特摘要内容八八八"
        _ = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, Sample.call(phone: phone, name: name, summary: summary))
        _ = try HTTPClient.get(port: t.port, "/api/v1/petitioners?phone=\(phone)", token: token)
        _ = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, ["channel": "call", "summary": summary, "petitioner": ["phone": phone]])
        let lines = t.log.all
        XCTAssertFalse(lines.isEmpty, "requests are logged")
        for line in lines {
            XCTAssertFalse(line.contains(phone), line)
            XCTAssertFalse(line.contains(name), line)
            XCTAssertFalse(line.contains(summary), line)
            XCTAssertFalse(line.contains(token), line)
        }
        XCTAssertTrue(lines.contains { $0.contains("route=/api/v1/petitioners") && $0.contains("status=200") })
    }
}
