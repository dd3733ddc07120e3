import Foundation
import TestSupport
import XCTest

/// One test per error class: each answers with its status and code, and changes nothing.
final class ErrorTests: XCTestCase {
    var t: TestApp!
    var token = ""

    override func setUpWithError() throws {
        try TestApp.prepareDatabase()
        t = try TestApp(bodyLimit: 4096)
        token = try t.newOperator().1
    }

    override func tearDown() { t = nil }

    func records() throws -> [Int] {
        try ["cases", "contacts", "petitioners", "case_events"].map { try t.count("SELECT count(*) AS n FROM \($0)") }
    }

    func testMalformedJSONIs400() throws {
        let before = try records()
        for body in ["{", "not json", "{\"channel\": }", String(repeating: "[", count: 2_000) + String(repeating: "]", count: 2_000)] {
            let r = try HTTPClient.send(port: t.port, "POST", "/api/v1/contacts",
                                        headers: [("Authorization", "Bearer \(token)")], body: Array(body.utf8))
            XCTAssertEqual(r.status, 400, body.prefix(20).description)
            XCTAssertEqual(r.errorCode, "invalid_json")
        }
        XCTAssertEqual(try records(), before)
    }

    func testFieldProblemsAre422ListingEveryField() throws {
        let before = try records()
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, [
            "channel": "visit", "category": "gossip", "summary": 42, "sumary": "typo",
            "petitioner": ["phone": "12", "id_number": "123"], "visit": ["visitors": 0],
        ])
        XCTAssertEqual(r.status, 422)
        XCTAssertEqual(r.errorCode, "validation_failed")
        XCTAssertEqual(Set(r.errorFields), ["category", "summary", "sumary", "petitioner.phone", "petitioner.id_number",
                                            "visit.window", "visit.visitors"])
        let array = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, [1, 2])
        XCTAssertEqual(array.status, 422)
        XCTAssertEqual(array.errorFields, ["body"])
        XCTAssertEqual(try records(), before)
    }

    func testOversizeBodyIs413() throws {
        let before = try records()
        var big = Sample.call()
        big["summary"] = String(repeating: "长", count: 5000)
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, big)
        XCTAssertEqual(r.status, 413)
        XCTAssertEqual(r.errorCode, "payload_too_large")
        XCTAssertEqual(try records(), before)
    }

    func testUnknownRouteIs404AndWrongMethodIs405WithAllow() throws {
        let missing = try HTTPClient.get(port: t.port, "/api/v1/nothing")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.errorCode, "not_found")
        let wrong = try HTTPClient.send(port: t.port, "DELETE", "/api/v1/contacts")
        XCTAssertEqual(wrong.status, 405)
        XCTAssertEqual(wrong.header("allow"), "POST")
        XCTAssertEqual(wrong.errorCode, "method_not_allowed")
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/cases/abc", token: token).status, 404)
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/cases/999999999", token: token).status, 404)
    }

    func testStaffRoutesNeedAValidToken() throws {
        let before = try records()
        let none = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", Sample.call())
        XCTAssertEqual(none.status, 401)
        XCTAssertEqual(none.header("www-authenticate"), "Bearer")
        let forged = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: "hy_forged", Sample.call())
        XCTAssertEqual(forged.status, 401)
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/cases/1").status, 401)
        XCTAssertEqual(try records(), before)
    }

    func testDatabaseDownIs503WithRetryAfter() throws {
        let down = try TestApp(database: TestDatabase.deadConfiguration())
        let r = try HTTPClient.json(port: down.port, "POST", "/api/v1/petitions", [
            "category": "other", "summary": "x", "petitioner": ["name": "甲", "phone": "13800138000"],
        ])
        XCTAssertEqual(r.status, 503)
        XCTAssertEqual(r.errorCode, "database_unavailable")
        XCTAssertEqual(r.header("retry-after"), "5")
        XCTAssertEqual(try HTTPClient.get(port: down.port, "/readyz").status, 503)
        XCTAssertEqual(try HTTPClient.get(port: down.port, "/healthz").status, 200)
    }

    func testUnexpectedFailureIs500WithRequestIDAndNoDetail() throws {
        // A schema the code does not expect: the statement fails in a way no handler anticipates.
        let admin = try TestDatabase.connect()
        try admin.executeScript("ALTER TABLE case_events RENAME TO case_events_moved")
        defer { try? admin.executeScript("ALTER TABLE case_events_moved RENAME TO case_events") }
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, Sample.call())
        XCTAssertEqual(r.status, 500)
        XCTAssertEqual(r.errorCode, "internal_error")
        let requestID = r.errorBody?.requestId
        XCTAssertNotNil(requestID)
        XCTAssertEqual(r.header("x-request-id"), requestID)
        XCTAssertFalse(r.text.contains("case_events"), "no internals in the answer")
        XCTAssertTrue(t.log.all.contains { $0.contains("request failed") && $0.contains("42P01") })
        // The request's logger carries its id: the failure and the access line both name it.
        let lines = t.log.all.filter { $0.contains("request.id=\(requestID ?? "-")") }
        XCTAssertTrue(lines.contains { $0.contains("request failed") }, "\(t.log.all)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("info request ") && $0.contains("status=500") }, "\(t.log.all)")
    }

    func testFuzzedBodiesNeverCrashTheServer() throws {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["{", "}", "[", "]", "\"channel\"", ":", ",", "\"call\"", "null", "true", "1e999", "-0", "\"\\u0000\"",
                      "\"summary\"", "\"petitioner\"", "{\"phone\":", "\"\\ud800\"", "\u{0}", "💥", "\"case_id\"", "9223372036854775808"]
        for _ in 0..<300 {
            let body = (0..<Int.random(in: 1...30, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let r = try HTTPClient.send(port: t.port, "POST", "/api/v1/contacts",
                                        headers: [("Authorization", "Bearer \(token)")], body: Array(body.utf8))
            XCTAssertTrue([201, 400, 422].contains(r.status), "\(r.status) for \(body)")
        }
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/healthz").status, 200)
    }
}
