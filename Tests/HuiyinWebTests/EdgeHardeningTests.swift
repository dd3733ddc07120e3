import Foundation
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
        let id = filed.json["case_id"] as! Int
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

    /// Every null a masked case read returns is allowed by the API document's Case schema.
    func testTheDocumentAllowsEveryNullOfAMaskedCase() throws {
        let filed = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token,
                                        Sample.call(phone: Sample.randomPhone(), category: "domestic_violence"))
        XCTAssertEqual(filed.status, 201, filed.text)
        let read = try HTTPClient.get(port: t.port, "/api/v1/cases/\(filed.json["case_id"] as! Int)", token: token)
        XCTAssertEqual(read.json["masked"] as? Bool, true, "sealed to the operator who logged it")
        XCTAssertTrue(read.json["summary"] is NSNull)
        let document = try HTTPClient.get(port: t.port, "/api/openapi.json").json
        let schemas = (document["components"] as! [String: Any])["schemas"] as! [String: Any]
        let properties = (schemas["Case"] as! [String: Any])["properties"] as! [String: Any]
        for (name, value) in read.json where value is NSNull {
            guard let schema = properties[name] as? [String: Any], let type = schema["type"] else { continue }
            let types = (type as? [String]) ?? [type as? String ?? ""]
            XCTAssertTrue(types.contains("null"), "Case.\(name) is null in a masked case but typed \(types)")
        }
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
        let database = ready.json["database"] as? [String: Any]
        XCTAssertEqual(database?["port"] as? Int, live.port)
        XCTAssertEqual(database?["host"] as? String, live.host)
        let token = try t.newOperator().1
        XCTAssertEqual(try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: token, Sample.call(phone: Sample.randomPhone())).status, 201)
    }
}
