import Foundation
import HuiyinCore
import Postgres
import TestSupport
import XCTest

/// The HTTP edge against hand-made input (each over a real socket): NUL characters, repeated JSON keys,
/// repeated Content-Length, no Host, and the API document against a masked case.
final class EdgeHardeningTests: XCTestCase {
    var t: TestApp!
    var token = ""

    override func setUpWithError() throws {
        try TestApp.prepareDatabase()
        t = try TestApp()
        token = try t.newOperator().1
    }

    override func tearDown() { t = nil }

    func records() throws -> [Int] {
        try ["cases", "contacts", "petitioners", "case_events", "idempotency_keys"].map { try t.count("SELECT count(*) AS n FROM \($0)") }
    }

    /// A body with `\u0000` written as JSON text (JSONSerialization would escape it the same way).
    func post(_ path: String, _ json: String, token: String? = nil) throws -> HTTPResult {
        var headers = [("Content-Type", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return try HTTPClient.send(port: t.port, "POST", path, headers: headers, body: Array(json.utf8))
    }

    func testANulInAnyJSONStringIs422NamingTheField() throws {
        let before = try records()
        let staff = try post("/api/v1/contacts", #"""
            {"channel":"call","category":"marriage_family","summary":"来电\u0000反映","call":{"sub_line":"legal"},
             "petitioner":{"name":"王\u0000芳","phone":"13800138000"}}
            """#, token: token)
        XCTAssertEqual(staff.status, 422, staff.text)
        XCTAssertEqual(Set(staff.errorFields), ["summary", "petitioner.name"])
        let keyed = try HTTPClient.send(port: t.port, "POST", "/api/v1/contacts",
                                        headers: [("Authorization", "Bearer \(token)"), ("Idempotency-Key", UUID().uuidString)],
                                        body: Array(#"{"channel":"call","category":"marriage_family","summary":"a\u0000b","call":{"sub_line":"legal"}}"#.utf8))
        XCTAssertEqual(keyed.status, 422, "the keyed path too")
        XCTAssertEqual(keyed.errorFields, ["summary"])
        let petition = try post("/api/v1/petitions", #"""
            {"category":"marriage_family","summary":"离婚\u0000财产","petitioner":{"name":"陈静","phone":"13800138001"}}
            """#)
        XCTAssertEqual(petition.status, 422, "the public route: \(petition.text)")
        XCTAssertEqual(petition.errorFields, ["summary"])
        XCTAssertEqual(try records(), before, "nothing stored")

        // A seal reason on an existing case: refused whole, never stored as "a".
        let filed = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, Sample.call(phone: Sample.randomPhone()))
        XCTAssertEqual(filed.status, 201, filed.text)
        let id = try filed.decode(Receipt.self).caseId
        let events = try t.count("SELECT count(*) AS n FROM case_events WHERE case_id = \(id)")
        let seal = try post("/api/v1/cases/\(id)/seal", #"{"reason":"a\u0000b"}"#, token: token)
        XCTAssertEqual(seal.status, 422, seal.text)
        XCTAssertEqual(seal.errorFields, ["reason"])
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM case_events WHERE case_id = \(id)"), events)
    }

    func testANulInAQueryArgumentIs422NamingIt() throws {
        let search = try HTTPClient.get(port: t.port, "/api/v1/cases?q=a%00b", token: token)
        XCTAssertEqual(search.status, 422, "a search for a%00b must not run as a: \(search.text)")
        XCTAssertEqual(search.errorFields, ["q"])
        let lookup = try HTTPClient.get(port: t.port, "/api/v1/petitioners?phone=138%0000138000", token: token)
        XCTAssertEqual(lookup.status, 422)
        XCTAssertEqual(lookup.errorFields, ["phone"])
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/cases?q=a%01b", token: token).status, 200)
    }

    func testRepeatedJSONKeysAreRefused() throws {
        let before = try records()
        let top = try post("/api/v1/contacts", #"""
            {"channel":"call","category":"marriage_family","summary":"甲","summary":"乙","call":{"sub_line":"legal"},
             "petitioner":{"phone":"13800138000","phone":"13900139000"}}
            """#, token: token)
        XCTAssertEqual(top.status, 422, top.text)
        XCTAssertEqual(Set(top.errorFields), ["summary", "petitioner.phone"])
        let petition = try post("/api/v1/petitions", #"{"category":"marriage_family","category":"other","summary":"离婚财产分割"}"#)
        XCTAssertEqual(petition.status, 422)
        XCTAssertTrue(petition.errorFields.contains("category"))
        XCTAssertEqual(try records(), before)
        let grade = try post("/api/v1/risk-checklist/grade", #"{"answers":{"weapon":true,"weapon":false}}"#, token: token)
        XCTAssertEqual(grade.status, 422, grade.text)
        XCTAssertEqual(grade.errorFields, ["answers.weapon"])
    }

    func testRepeatedContentLengthIs400AndStoresNothing() throws {
        let before = try records()
        let body = #"{"category":"marriage_family","summary":"离婚财产分割","petitioner":{"name":"陈静","phone":"13800138001"}}"#
        let head = "POST /api/v1/petitions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nContent-Length: 2\r\nConnection: close\r\n\r\n"
        let r = try HTTPClient.raw(port: t.port, head + body)
        XCTAssertEqual(r.status, 400, r.text)
        XCTAssertEqual(r.errorCode, "bad_request")
        XCTAssertEqual(try records(), before)
    }

    func testHTTP11WithoutHostIs400() throws {
        let r = try HTTPClient.raw(port: t.port, "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n")
        XCTAssertEqual(r.status, 400)
        XCTAssertEqual(r.errorCode, "bad_request")
        XCTAssertEqual(try HTTPClient.raw(port: t.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status, 200)
    }

    func testOversizeChunkedIntakeIs413AndCutOff() throws {
        let small = try TestApp(bodyLimit: 4096)
        let fd = try HTTPClient.connect(port: small.port)
        defer { close(fd) }
        let head = Array("POST /api/v1/petitions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        XCTAssertEqual(head.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }, head.count)
        // Chunks without end, up to far more than any socket buffers hold: a reader that drained it all would take it all.
        var block: [UInt8] = []
        for _ in 0..<64 { block += Array("400\r\n".utf8) + [UInt8](repeating: 0x20, count: 0x400) + Array("\r\n".utf8) }
        let ceiling = 256 << 20
        var sent = 0, failure: Int32 = 0
        while sent < ceiling {
            let offset = sent % block.count  // a partial write continues where it stopped
            let n = block[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { failure = errno; break }
            sent += n
        }
        XCTAssertLessThan(sent, ceiling, "a never-ending body past a 4 KB limit is not read to its end")
        XCTAssertTrue([EPIPE, ECONNRESET].contains(failure), "errno \(failure)")
        if let answer = try? HTTPClient.readResponse(fd) {
            XCTAssertEqual(answer.status, 413)
            XCTAssertEqual(answer.errorCode, "payload_too_large")
        }
    }

    /// Every null a masked case read returns is allowed by the API contract's Case schema (the test
    /// client checks each answer; checked here once more by name, so this test says it).
    func testTheDocumentAllowsEveryNullOfAMaskedCase() throws {
        let filed = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token,
                                        Sample.call(phone: Sample.randomPhone(), category: "domestic_violence"))
        XCTAssertEqual(filed.status, 201, filed.text)
        let read = try HTTPClient.get(port: t.port, "/api/v1/cases/\(filed.decode(Receipt.self).caseId)", token: token)
        let page = try read.jsonValue()
        XCTAssertEqual(page["masked"]?.boolValue, true, "sealed to the operator who logged it")
        XCTAssertEqual(page["summary"], .null, "present, and null")
        XCTAssertEqual(page["petitioner"], .null, "present, and null")
        let contract = try OpenAPIContract.repository.get()
        XCTAssertEqual(contract.violations(method: "GET", path: "/api/v1/cases/1", status: read.status,
                                           contentType: read.header("content-type"), body: read.body), [])
    }
}

/// Several database hosts: the server uses the one that answers (and takes writes) and says which.
final class DatabaseHostListTests: XCTestCase {
    func testReadinessNamesTheHostItReached() throws {
        try TestApp.prepareDatabase()
        let live = try TestDatabase.configuration()
        var configuration = try TestDatabase.deadConfiguration()
        configuration.otherServers = [PostgresServer(host: live.host, port: live.port)]
        configuration.role = "huiyin_app"
        let t = try TestApp(database: configuration)
        let ready = try HTTPClient.get(port: t.port, "/readyz")
        XCTAssertEqual(ready.status, 200, ready.text)
        let database = try ready.decode(Readiness.self).database
        XCTAssertEqual(database.port, live.port)
        XCTAssertEqual(database.host, live.host)
        let token = try t.newOperator().1
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, Sample.call(phone: Sample.randomPhone())).status, 201)
    }
}

/// Forms as the console and the public pages post them: a NUL in any field is refused with a page in
/// Chinese (422), never cut off at the NUL and never stored.
final class FormNulTests: XCTestCase {
    var t: TestApp!

    override func setUpWithError() throws { t = try TestApp() }
    override func tearDown() { t = nil }

    /// The form token a page sets in its cookie (login and public pages), for the post that follows.
    func pageToken(_ path: String, cookie name: String) throws -> String {
        let page = try HTTPClient.get(port: t.port, path)
        let cookie = try XCTUnwrap(page.header("set-cookie"), "\(path) sets its form cookie")
        let value = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
        XCTAssertEqual(String(value[0]), name)
        return String(value[1])
    }

    func postForm(_ path: String, _ fields: [String: String], cookie: String) throws -> HTTPResult {
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        return try HTTPClient.send(port: t.port, "POST", path, headers: [("Content-Type", "application/x-www-form-urlencoded"),
                                                                         ("Cookie", cookie)], body: Array(body.utf8))
    }

    func assertChinesePage(_ r: HTTPResult, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, 422, "\(what): \(r.text.prefix(300))", file: file, line: line)
        XCTAssertTrue(r.header("content-type")?.hasPrefix("text/html") ?? false, "\(what) answers with a page", file: file, line: line)
        XCTAssertTrue(r.text.contains("无法识别的字符") || r.text.contains("不可包含"), "\(what) says why in Chinese", file: file, line: line)
    }

    func testANulInAFormFieldIsRefusedWithAChinesePage() throws {
        // The console: a seal reason "a\0b" on the case page.
        let session = try ConsoleSession(t, .supervisor, unit: "t-c")
        let filed = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: try t.newOperator().1, Sample.call(phone: Sample.randomPhone()))
        let id = try filed.decode(Receipt.self).caseId
        let events = try t.count("SELECT count(*) AS n FROM case_events WHERE case_id = \(id)")
        let seal = try session.post(t, "/cases/\(id)/actions", ["action": "seal", "text": "a\u{0}b"])
        XCTAssertEqual(seal.status, 422, seal.text)
        XCTAssertTrue(seal.header("content-type")?.hasPrefix("text/html") ?? false)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM case_events WHERE case_id = \(id)"), events, "nothing recorded")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM cases WHERE id = \(id) AND sealed"), 0)

        // The public petition form and the tracking form.
        let cases = try t.count("SELECT count(*) AS n FROM cases")
        let petitionToken = try pageToken("/petition", cookie: "huiyin_public_csrf")
        assertChinesePage(try postForm("/petition", ["_csrf": petitionToken, "category": "marriage_family", "summary": "离婚\u{0}财产",
                                                     "name": "陈静", "phone": "13800138001"],
                                       cookie: "huiyin_public_csrf=\(petitionToken)"), "/petition")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM cases"), cases, "no petition stored")
        let trackToken = try pageToken("/track", cookie: "huiyin_public_csrf")
        assertChinesePage(try postForm("/track", ["_csrf": trackToken, "tracking_no": "HY\u{0}1", "code": "x"],
                                       cookie: "huiyin_public_csrf=\(trackToken)"), "/track")

        // The login form.
        let loginToken = try pageToken("/login", cookie: "huiyin_login_csrf")
        assertChinesePage(try postForm("/login", ["_csrf": loginToken, "username": "a\u{0}b", "password": "x"],
                                       cookie: "huiyin_login_csrf=\(loginToken)"), "/login")
    }
}
