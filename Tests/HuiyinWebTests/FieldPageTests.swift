import Foundation
import HuiyinCore
import HuiyinStore
import TestSupport
import XCTest

/// The field page's server side: the shell and its files, who-am-I with the session's end, her own
/// leads, the due list's reasons, and a sign-in that may return only to the field page.
final class FieldPageTests: GrassrootsFixture {
    struct Me: Decodable {
        struct Grid: Decodable { let id: Int64; let name: String; let villageName: String }
        let id: Int64
        let role: String
        let grids: [Grid]
        let csrfToken: String?
        let sessionExpiresAt: String?
        let fieldKey: [String: String]?
    }

    /// The worker signed in to the console: her session cookie.
    func signIn(_ who: (StaffUser, String)) throws -> (cookie: String, csrf: String) {
        try t.store.setPassword(username: who.0.username, password: "a-long-test-password", hasher: PasswordHasher(logRounds: 10))
        guard case .success(let token, let session) = try t.store.login(username: who.0.username, password: "a-long-test-password",
                                                                        clientAddress: "192.0.2.1") else {
            throw HTTPClientError(description: "login")
        }
        return ("huiyin_session=\(token)", session.csrfToken)
    }

    func testTheShellCarriesTheDomainsWordsAndNoOnesData() throws {
        let page = try HTTPClient.get(port: t.port, "/field")
        XCTAssertEqual(page.status, 200)
        let csp = try XCTUnwrap(page.header("Content-Security-Policy"))
        XCTAssertTrue(csp.contains("script-src 'self'") && csp.contains("worker-src 'self'"), csp)
        let html = page.text
        XCTAssertTrue(html.contains("<meta name=\"viewport\""))
        XCTAssertFalse(html.contains("__WORDS__") || html.contains("__VERSION__"))
        // The words block parses, and says which kinds are mandatory reports for a minor, from the domain's own rule.
        let start = try XCTUnwrap(html.range(of: "id=\"field-words\">")).upperBound
        let end = try XCTUnwrap(html.range(of: "</script>", range: start..<html.endIndex)).lowerBound
        let words = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(html[start..<end].utf8)) as? [String: Any])
        let kinds = try XCTUnwrap(words["kinds"] as? [[String: Any]])
        for kind in LeadKind.allCases {
            let entry = try XCTUnwrap(kinds.first { $0["value"] as? String == kind.rawValue })
            XCTAssertEqual((entry["mandatoryMinor"] as? [String])?.count, Lead.mandatoryReports(kind: kind, victimIsMinor: true).count, kind.rawValue)
            XCTAssertEqual((entry["mandatoryAdult"] as? [String])?.count, Lead.mandatoryReports(kind: kind, victimIsMinor: false).count, kind.rawValue)
        }
        XCTAssertEqual((words["topics"] as? [Any])?.count, VisitTopic.allCases.count)

        let worker = try HTTPClient.get(port: t.port, "/field/sw.js")
        XCTAssertEqual(worker.header("Service-Worker-Allowed"), "/field", "the worker in /field/ also controls /field itself")
        XCTAssertFalse(worker.text.contains("__VERSION__"))
        XCTAssertTrue(worker.text.contains("huiyin-field-"))
        let manifest = try HTTPClient.get(port: t.port, "/field/manifest.webmanifest")
        let fields = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(manifest.body)) as? [String: Any])
        XCTAssertEqual(fields["start_url"] as? String, "/field")
        XCTAssertEqual(fields["display"] as? String, "standalone")
        for path in ["/field/field.js", "/field/field.css", "/field/icon.svg"] {
            XCTAssertEqual(try HTTPClient.get(port: t.port, path).status, 200, path)
        }
    }

    func testMeTellsTheSessionsEndAndHerGrids() throws {
        let session = try signIn(worker)
        let r = try HTTPClient.get(port: t.port, "/api/v1/me", headers: [("Cookie", session.cookie)])
        XCTAssertEqual(r.status, 200, r.text)
        let me = try r.decode(Me.self)
        XCTAssertEqual(me.id, worker.0.id)
        XCTAssertEqual(me.role, "grid_worker")
        XCTAssertEqual(me.grids.map(\.id), [try t.unitID(gridA)])
        XCTAssertEqual(me.csrfToken, session.csrf)
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let ends = try XCTUnwrap(me.sessionExpiresAt.flatMap { ISO8601DateFormatter().date(from: $0) ?? fractional.date(from: $0) },
                                 me.sessionExpiresAt ?? "no session_expires_at")
        XCTAssertEqual(ends.timeIntervalSince(Self.morning("2026-11-02")), 12 * 3600, accuracy: 1, "12 h after signing in")
        // Her key pair: a P-256 JWK, the same on every call (a report encrypted to it stays readable).
        let key = try XCTUnwrap(me.fieldKey)
        XCTAssertEqual(key["kty"], "EC")
        XCTAssertEqual(key["crv"], "P-256")
        for coordinate in ["x", "y", "d"] { XCTAssertEqual(key[coordinate]?.count, 43, coordinate) }   // 32 bytes, base64url
        let again = try HTTPClient.get(port: t.port, "/api/v1/me", headers: [("Cookie", session.cookie)]).decode(Me.self)
        XCTAssertEqual(again.fieldKey, key)
        let other = try HTTPClient.get(port: t.port, "/api/v1/me", headers: [("Cookie", try signIn(officer).cookie)]).decode(Me.self)
        XCTAssertNotEqual(other.fieldKey?["d"], key["d"], "each worker her own")

        let byToken = try HTTPClient.get(port: t.port, "/api/v1/me", token: officer.1).decode(Me.self)
        XCTAssertEqual(Set(byToken.grids.map(\.id)), [try t.unitID(gridA), try t.unitID(gridB)], "an officer's two grids")
        XCTAssertNil(byToken.csrfToken)
        XCTAssertNil(byToken.sessionExpiresAt)
        XCTAssertNil(byToken.fieldKey, "a token's caller gets no key pair")
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/me", token: villageChair.1).decode(Me.self).grids.count, 0)
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/me").status, 401)
    }

    func testMyLeadsAreTheOnesIReported() throws {
        let mine = try addLead(gridA, by: worker)
        let officers = try addLead(gridA, by: officer)
        XCTAssertEqual(try list(worker, "?mine=true").map(\.id), [mine.id])
        XCTAssertEqual(Set(try list(worker).map(\.id)), [mine.id, officers.id], "without the filter, her grids' leads")
        let bad = try HTTPClient.get(port: t.port, "/api/v1/leads?mine=yes", token: worker.1)
        XCTAssertEqual(bad.status, 422)
        XCTAssertTrue(bad.text.contains("\"mine\""), bad.text)
    }

    func testSigningInReturnsOnlyToTheFieldPage() throws {
        for (next, expected) in [("/field", "/field"), ("https://example.com/", "/"), ("//example.com", "/"), ("/cases", "/")] {
            let page = try HTTPClient.get(port: t.port, "/login?next=" + next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            let token = try XCTUnwrap(page.header("Set-Cookie")?.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last)
            XCTAssertEqual(page.text.contains("name=\"next\""), expected == "/field", next)
            try t.store.setPassword(username: worker.0.username, password: "a-long-test-password", hasher: PasswordHasher(logRounds: 10))
            let body = "_csrf=\(token)&username=\(worker.0.username)&password=a-long-test-password&next="
                + next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let r = try HTTPClient.send(port: t.port, "POST", "/login", headers: [("Content-Type", "application/x-www-form-urlencoded"),
                                                                                  ("Cookie", "huiyin_login_csrf=\(token)")], body: Array(body.utf8))
            XCTAssertEqual(r.status, 303, r.text)
            XCTAssertEqual(r.header("Location"), expected, next)
        }
    }
}
