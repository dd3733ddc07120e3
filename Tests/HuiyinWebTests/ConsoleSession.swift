import Foundation
import HuiyinCore
import HuiyinStore
import TestSupport

/// A console login for tests: a new user of the role and unit, signed in, with her session cookie
/// and form token.
struct ConsoleSession {
    let user: StaffUser
    let cookie: String
    let csrf: String
    /// Her API token, for the same person's calls to /api/.
    let token: String

    init(_ t: TestApp, _ role: StaffRole, unit: String) throws {
        let (user, token) = try t.newOperator(role: role, unit: unit)
        self.token = token
        try t.store.setPassword(username: user.username, password: "a-long-test-password", hasher: PasswordHasher(logRounds: 10))
        guard case .success(let token, let session) = try t.store.login(username: user.username, password: "a-long-test-password",
                                                                        clientAddress: "192.0.2.1") else { throw HTTPClientError(description: "login") }
        self.user = user
        cookie = "huiyin_session=\(token)"
        csrf = session.csrfToken
    }

    func get(_ t: TestApp, _ path: String) throws -> HTTPResult {
        try HTTPClient.get(port: t.port, path, headers: [("Cookie", cookie)])
    }

    /// A form posted as the browser does, with her token.
    func post(_ t: TestApp, _ path: String, _ fields: [String: String]) throws -> HTTPResult {
        let body = (fields.merging(["_csrf": csrf]) { $1 })
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        return try HTTPClient.send(port: t.port, "POST", path, headers: [("Content-Type", "application/x-www-form-urlencoded"),
                                                                         ("Cookie", cookie)], body: Array(body.utf8))
    }
}
