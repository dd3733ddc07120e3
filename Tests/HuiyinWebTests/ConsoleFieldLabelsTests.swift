import Foundation
@testable import HuiyinWeb
import HuiyinStore
import TestSupport
import XCTest

/// The Chinese name of a refused field has one source, `ConsoleLabels.fieldLabels`: the case page's
/// messages say it from there, and the console script reads it from the page, which carries the table
/// as a JSON data block (not executed, so the Content-Security-Policy stays as strict).
final class ConsoleFieldLabelsTests: XCTestCase {
    func testTheCallScreenCarriesTheServersFieldLabelsAndTheScriptNoCopy() throws {
        let t = try TestApp()
        let city = try t.newUnit("city", under: "t")
        let op = try ConsoleSession(t, .operator_, unit: city)
        let page = try op.get(t, "/call")
        XCTAssertEqual(page.status, 200)
        let labels = try XCTUnwrap(Self.fieldLabels(in: page.text), "the call screen carries #field-labels")
        XCTAssertEqual(labels, ConsoleLabels.fieldLabels)
        XCTAssertEqual(labels["victim.age"], "当事人年龄")
        let policy = try XCTUnwrap(page.header("content-security-policy"))
        XCTAssertTrue(policy.contains("script-src 'self';"), policy)
        XCTAssertFalse(policy.contains("unsafe-inline"), policy)
        // Pages without the script do not carry it.
        XCTAssertNil(Self.fieldLabels(in: try op.get(t, "/cases").text))

        let script = try HTTPClient.get(port: t.port, "/static/console.js").text
        XCTAssertTrue(script.contains(#"document.getElementById("field-labels")"#))
        for label in Set(ConsoleLabels.fieldLabels.values) {
            XCTAssertFalse(script.contains("\"\(label)\""), "the script keeps its own copy of \(label)")
        }

        // What the call screen's script sends, with bad fields: each field the API names has a Chinese name.
        var body = Sample.call(phone: Sample.randomPhone(), summary: "")
        body["category"] = "no_such_category"
        body["victim"] = ["relation": "no_such_relation", "age": 130]
        let refused = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts",
                                          headers: [("Cookie", op.cookie), ("X-CSRF-Token", op.csrf)], body)
        XCTAssertEqual(refused.status, 422, refused.text)
        XCTAssertEqual(Set(refused.errorFields), ["summary", "category", "victim.relation", "victim.age"])
        for field in refused.errorFields {
            XCTAssertNotNil(labels[field], "\(field) has no Chinese name for the console")
        }
    }

    func testACasePageFieldErrorNamesTheFieldsFromTheSameTable() throws {
        let t = try TestApp()
        let city = try t.newUnit("city", under: "t")
        let (_, opToken) = try t.newOperator(role: .operator_, unit: city)
        let id = try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: opToken,
                                     Sample.call(phone: Sample.randomPhone())).decode(Receipt.self).caseId
        let supervisor = try ConsoleSession(t, .supervisor, unit: city)
        let refused = try supervisor.post(t, "/cases/\(id)/actions", ["action": "assign_leader"])
        XCTAssertEqual(refused.status, 200, refused.text)
        let expected = "请检查填写内容（" + ["leader_id", "reason"].map { ConsoleLabels.fieldLabels[$0]! }.joined(separator: "、") + "）"
        XCTAssertTrue(refused.text.contains(expected), "\(expected) on \(refused.text.prefix(2000))")
        XCTAssertTrue(refused.text.contains("请检查填写内容（包案领导、理由）"))
    }

    /// The JSON of `<script type="application/json" id="field-labels">`, if the page has it.
    static func fieldLabels(in html: String) -> [String: String]? {
        let open = #"<script type="application/json" id="field-labels">"#
        guard let start = html.range(of: open), let end = html.range(of: "</script>", range: start.upperBound..<html.endIndex) else {
            return nil
        }
        let json = Data(html[start.upperBound..<end.lowerBound].utf8)
        return try? JSONDecoder().decode([String: String].self, from: json)
    }
}

/// Every notification kind has one list in the contract and one Chinese name on the home page: a kind
/// the contract names but the page cannot say would show staff the fallback "提醒", and a kind with a
/// name but no place in the contract would fail the contract check when it is first sent.
final class NotificationKindsTests: XCTestCase {
    func testTheContractsNotificationKindsAreTheKindsTheConsoleNames() throws {
        let document = try JSONSerialization.jsonObject(with: Data(PackageResources.openapi_json)) as? [String: Any]
        let schemas = (document?["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let list = (schemas?["Notifications"] as? [String: Any])?["properties"] as? [String: Any]
        let item = ((list?["notifications"] as? [String: Any])?["items"] as? [String: Any])?["properties"] as? [String: Any]
        let kinds = try XCTUnwrap((item?["kind"] as? [String: Any])?["enum"] as? [String], "the notification kinds in the contract")
        XCTAssertEqual(Set(kinds), Set(ConsoleLabels.notifications.keys))
        XCTAssertEqual(kinds.count, Set(kinds).count, "each kind listed once")
    }
}
