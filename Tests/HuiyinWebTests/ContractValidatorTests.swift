import Foundation
import TestSupport
import XCTest

/// The contract check itself: it must fail on what breaks a schema, or it proves nothing.
final class ContractValidatorTests: XCTestCase {
    let validator = JSONSchemaValidator(document: .object(["components": .object(["schemas": .object([
        "Status": .object(["type": .string("string"), "enum": .array([.string("open"), .string("closed")])]),
    ])])]))
    let schema = JSONValue.object([
        "type": .string("object"),
        "required": .array([.string("id"), .string("status")]),
        "additionalProperties": .bool(false),
        "properties": .object([
            "id": .object(["type": .string("integer")]),
            "status": .object(["$ref": .string("#/components/schemas/Status")]),
            "note": .object(["type": .array([.string("string"), .string("null")]), "maxLength": .number(3)]),
            "on": .object(["type": .string("string"), "format": .string("date")]),
            "tags": .object(["type": .string("array"), "items": .object(["type": .string("string")])]),
        ]),
    ])

    func problems(_ json: String) throws -> [String] {
        validator.validate(try JSONValue.parse(Array(json.utf8)), against: schema).map(\.description)
    }

    func testAConformingValuePasses() throws {
        XCTAssertEqual(try problems(#"{"id":7,"status":"open","note":null,"on":"2026-11-29","tags":["a"]}"#), [])
    }

    func testEachBreakIsNamedByItsPointer() throws {
        XCTAssertEqual(try problems(#"{"status":"open"}"#), [#"/: required member "id" is missing"#])
        XCTAssertEqual(try problems(#"{"id":"7","status":"open"}"#), [#"/id: expected integer, got string "7""#])
        XCTAssertEqual(try problems(#"{"id":true,"status":"open"}"#), ["/id: expected integer, got boolean true"])
        XCTAssertEqual(try problems(#"{"id":1.5,"status":"open"}"#), ["/id: expected integer, got number 1.5"])
        XCTAssertEqual(try problems(#"{"id":7,"status":"lost"}"#), [#"/status: "lost" is not one of "open", "closed""#])
        XCTAssertEqual(try problems(#"{"id":7,"status":"open","tags":[1]}"#), ["/tags/0: expected string, got integer 1"])
        XCTAssertEqual(try problems(#"{"id":7,"status":"open","note":"long"}"#), ["/note: longer than 3 characters"])
        XCTAssertEqual(try problems(#"{"id":7,"status":"open","on":"29/11/2026"}"#), [#"/on: "29/11/2026" is not a date"#])
        XCTAssertEqual(try problems(#"{"id":7,"status":"open","extra":1}"#),
                       [#"/extra: member "extra" is not in the schema (additionalProperties: false)"#])
    }

    /// `unevaluatedProperties: false` on a composition: members named by any `allOf` branch (through its
    /// `$ref` too) pass, a member none names fails; the same on a `$ref` alone.
    func testUnevaluatedPropertiesSeesEveryBranchOfAComposition() throws {
        let composing = JSONSchemaValidator(document: .object(["components": .object(["schemas": .object([
            "Row": .object(["type": .string("object"), "properties": .object(["id": .object(["type": .string("integer")])])]),
        ])])]))
        let row = JSONValue.object(["$ref": .string("#/components/schemas/Row")])
        let extended = JSONValue.object([
            "allOf": .array([row, .object(["type": .string("object"),
                                           "properties": .object(["clocks": .object(["type": .string("array")])])])]),
            "unevaluatedProperties": .bool(false),
        ])
        func problems(_ json: String, _ schema: JSONValue) throws -> [String] {
            composing.validate(try JSONValue.parse(Array(json.utf8)), against: schema).map(\.description)
        }
        XCTAssertEqual(try problems(#"{"id":1,"clocks":[]}"#, extended), [])
        XCTAssertEqual(try problems(#"{"id":1,"clocks":[],"stray":0}"#, extended),
                       [#"/stray: member "stray" is not in the schema (unevaluatedProperties: false)"#])
        let closedRow = JSONValue.object(["$ref": .string("#/components/schemas/Row"), "unevaluatedProperties": .bool(false)])
        XCTAssertEqual(try problems(#"{"id":1}"#, closedRow), [])
        XCTAssertEqual(try problems(#"{"id":1,"clocks":[]}"#, closedRow),
                       [#"/clocks: member "clocks" is not in the schema (unevaluatedProperties: false)"#])
        XCTAssertEqual(try problems(#"{"id":1,"clocks":[]}"#, row), [], "the row alone stays open")
    }

    func testAKeywordTheValidatorDoesNotCheckIsRefused() {
        let loose = JSONValue.object(["type": .string("string"), "pattern": .string("^a")])
        XCTAssertEqual(validator.validate(.string("b"), against: loose).map(\.message),
                       ["the schema uses pattern, which the contract validator does not check"])
    }

    /// Against the repository's contract: a documented answer passes; a receipt without its tracking
    /// number or with an undocumented member, an undocumented status, another content type or an undocumented path's non-error do not.
    func testResponsesAreCheckedAgainstTheRepositoryContract() throws {
        let contract = try OpenAPIContract.repository.get()
        let receipt = #"{"case_id":1,"contact_id":2,"tracking_no":"HY20261129-000001","query_code":"ABCD-EFGH","channel":"call","status":"received","contact_count":1,"repeat":false}"#
        let json = "application/json; charset=utf-8"
        XCTAssertEqual(contract.violations(method: "POST", path: "/api/v1/contacts", status: 201, contentType: json,
                                           body: Array(receipt.utf8)), [])
        let broken = receipt.replacingOccurrences(of: #""tracking_no":"HY20261129-000001","#, with: "")
        XCTAssertEqual(contract.violations(method: "POST", path: "/api/v1/contacts", status: 201, contentType: json,
                                           body: Array(broken.utf8)), [#"/: required member "tracking_no" is missing"#])
        XCTAssertEqual(contract.violations(method: "POST", path: "/api/v1/contacts", status: 202, contentType: json,
                                           body: Array(receipt.utf8)).first?.hasPrefix("status 202 is not documented"), true)
        XCTAssertEqual(contract.violations(method: "POST", path: "/api/v1/contacts", status: 201, contentType: "text/html",
                                           body: Array(receipt.utf8)).first?.hasPrefix("Content-Type text/html is not documented"), true)
        let extra = receipt.replacingOccurrences(of: #""repeat":false}"#, with: #""repeat":false,"phone":"13800138000"}"#)
        XCTAssertEqual(contract.violations(method: "POST", path: "/api/v1/contacts", status: 201, contentType: json,
                                           body: Array(extra.utf8)),
                       [#"/phone: member "phone" is not in the schema (additionalProperties: false)"#],
                       "a member the contract does not describe fails: the contract cannot drift by addition")
        let notFound = #"{"error":{"code":"not_found","message":"Not found"}}"#
        XCTAssertEqual(contract.violations(method: "GET", path: "/api/v1/nothing?x=1", status: 404, contentType: json,
                                           body: Array(notFound.utf8)), [])
        XCTAssertEqual(contract.violations(method: "GET", path: "/api/v1/nothing", status: 404, contentType: json,
                                           body: Array(#"{"code":"not_found"}"#.utf8)),
                       [#"/: required member "error" is missing"#,
                        #"/code: member "code" is not in the schema (additionalProperties: false)"#])
        XCTAssertEqual(contract.template(for: "/api/v1/cases/count"), "/api/v1/cases/count")
        XCTAssertEqual(contract.template(for: "/api/v1/cases/17"), "/api/v1/cases/{id}")
    }
}
