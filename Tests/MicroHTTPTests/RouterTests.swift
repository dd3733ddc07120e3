import XCTest
@testable import MicroHTTP

final class RouterTests: XCTestCase {
    func router() -> Router<String> {
        var r = Router<String>()
        r.add("GET", "/api/v1/cases/{id}", "get case")
        r.add("POST", "/api/v1/contacts", "post contact")
        r.add("GET", "/api/v1/cases/{id}/events", "events")
        return r
    }

    func testPathParametersAreBound() {
        guard case .found(let handler, let pattern, let parameters) = router().match(method: "GET", path: "/api/v1/cases/17") else {
            return XCTFail("no match")
        }
        XCTAssertEqual(handler, "get case")
        XCTAssertEqual(pattern, "/api/v1/cases/{id}")
        XCTAssertEqual(parameters, ["id": "17"])
    }

    func testWrongMethodListsTheAllowedOnes() {
        guard case .methodNotAllowed(let allowed) = router().match(method: "DELETE", path: "/api/v1/contacts") else {
            return XCTFail("expected 405")
        }
        XCTAssertEqual(allowed, ["POST"])
    }

    func testUnknownPathsAndHead() {
        guard case .notFound = router().match(method: "GET", path: "/api/v1/cases") else { return XCTFail("expected 404") }
        guard case .notFound = router().match(method: "GET", path: "/api/v1/cases/1/events/2") else { return XCTFail("expected 404") }
        guard case .found(let handler, _, _) = router().match(method: "HEAD", path: "/api/v1/cases/1/events") else {
            return XCTFail("HEAD should use GET")
        }
        XCTAssertEqual(handler, "events")
    }

    func testALiteralSegmentBeatsAParameterWhateverTheOrder() {
        var r = router()
        r.add("GET", "/api/v1/cases/count", "count")
        guard case .found(let handler, _, _) = r.match(method: "GET", path: "/api/v1/cases/count") else { return XCTFail("no match") }
        XCTAssertEqual(handler, "count")
        guard case .found(let other, _, _) = r.match(method: "GET", path: "/api/v1/cases/12") else { return XCTFail("no match") }
        XCTAssertEqual(other, "get case")
    }
}
