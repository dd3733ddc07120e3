import Foundation
import HuiyinCore
@testable import HuiyinStore
@testable import HuiyinWeb
import MicroHTTP
import Postgres
import XCTest

/// The web boundary's own machinery, without a server: request bodies read into structs, response
/// structs written as the API's JSON, and each error describing itself once.
final class TypedBoundaryTests: XCTestCase {
    func body(_ text: String) -> Request {
        Request(method: "POST", path: "/api/v1/cases/1/extensions", body: Array(text.utf8))
    }

    func problems<Body: RequestBody>(_: Body.Type, _ text: String) -> [FieldError] {
        do {
            _ = try decode(Body.self, from: body(text))
            return []
        } catch let error as APIError {
            XCTAssertEqual(error.status, 422)
            return error.fields
        } catch {
            XCTFail("\(error)")
            return []
        }
    }

    func testARequestBodyIsReadIntoItsStructWithEveryProblemListed() throws {
        let good = try decode(ExtensionBody.self, from: body(#"{"clock":"handling","limit":"30d","approver":" 王主任 ","reason":"需要听证"}"#))
        XCTAssertEqual(good.clock, .handling)
        XCTAssertEqual(good.approver, "王主任", "trimmed")
        // A bad value, a wrong type, an unknown field and a missing one, all at once, required ones by name.
        XCTAssertEqual(problems(ExtensionBody.self, #"{"clock":"nap","limit":"30d","approver":1,"extra":true}"#), [
            FieldError("clock", "unknown clock"), FieldError("approver", "must be a string"),
            FieldError("extra", "is not a known field"), FieldError("reason", "is required"),
        ])
        XCTAssertEqual(problems(ReasonBody.self, #"{"reason":"   "}"#), [FieldError("reason", "is required")], "blank is missing")
        XCTAssertEqual(problems(ReasonBody.self, "{\"reason\":\"" + String(repeating: "字", count: 2001) + "\"}"),
                       [FieldError("reason", "must be at most 2000 characters")])
        XCTAssertEqual(problems(EmptyBody.self, ""), [], "an empty body reads as {}")
        XCTAssertEqual(problems(EmptyBody.self, "[]"), [FieldError("body", "must be a JSON object")])
        XCTAssertEqual(problems(FollowUpBody.self, #"{"method":"fax","satisfaction":"meh"}"#).map(\.field), ["method", "satisfaction"])
    }

    func testResponsesAreWrittenWithNullsWhereTheAPIHasThem() throws {
        struct Sample: ResponseBody {
            let id: Int64
            let note: String?
            let at: Date
            let detail: JSON
            let names: [String]
        }
        let text = try String(decoding: JSONValueEncoder.value(
            Sample(id: 7, note: nil, at: Date(timeIntervalSince1970: 0), detail: .raw(#"{"a":[1]}"#), names: ["x"])).serialized(), as: UTF8.self)
        XCTAssertEqual(text, #"{"id":7,"note":null,"at":"1970-01-01T00:00:00.000Z","detail":{"a":[1]},"names":["x"]}"#)
    }

    func testTheIntakeReceiptShowsAQueryCodeOnlyWhenOneWasIssued() throws {
        func receipt(_ code: String?) throws -> String {
            let stored = try JSONDecoder().decode(IntakeReceipt.self, from: Data("""
                {"caseID":5,"contactID":9,"trackingNo":"HY1","queryCode":\(code.map { "\"\($0)\"" } ?? "null"),"contactCount":2,"status":"registered","channel":"call"}
                """.utf8))
            return String(decoding: try JSONValueEncoder.value(IntakeReceiptView(stored)).serialized(), as: UTF8.self)
        }
        XCTAssertEqual(try receipt(nil), #"{"case_id":5,"contact_id":9,"tracking_no":"HY1","channel":"call","status":"registered","contact_count":2,"repeat":true}"#)
        XCTAssertTrue(try receipt("ABCD-1234").contains(#""tracking_no":"HY1","query_code":"ABCD-1234","#))
    }

    func testEachErrorSaysOnceHowItLooksToTheAPIAndTheConsole() {
        func answer(_ error: Error) -> APIError { APIError.from(error, retryAfter: 7) }
        let open = answer(InvalidTransition(code: "referral_open", message: "A referral has no outcome."))
        XCTAssertEqual([open.status], [409])
        XCTAssertEqual(open.code, "referral_open")
        XCTAssertTrue(open.consoleText.hasPrefix("尚有转介未登记结果"))
        XCTAssertEqual(answer(InvalidTransition(message: "no")).consoleText, "案件当前状态不允许此操作。")
        XCTAssertEqual(answer(Forbidden(message: "no")).status, 403)
        XCTAssertEqual(answer(Forbidden(message: "no")).consoleText, "您没有权限进行此操作。")
        XCTAssertEqual(answer(CaseNotFound()).code, "not_found")
        XCTAssertEqual(answer(ValidationFailure([FieldError("reason", "is required")])).consoleText, "请检查填写内容（理由）。")
        XCTAssertEqual(answer(PostgresError(kind: .nulInText)).fields, [FieldError("body", "text must not contain a NUL character (\\u0000)")])
        let away = answer(PostgresError(kind: .connection))
        XCTAssertEqual(away.status, 503)
        XCTAssertEqual(away.headers.first { $0.name == "Retry-After" }?.value, "7")
        XCTAssertEqual(away.consoleText, "数据库暂时无法连接，操作未保存，请稍后重试。")
        struct Unknown: Error {}
        XCTAssertEqual(answer(Unknown()).status, 500)
        XCTAssertEqual(answer(PostgresError(kind: .decoding)).status, 500)
        XCTAssertEqual(answer(Unknown()).consoleText, "操作未成功，请稍后重试。")
    }
}
