import Foundation
import Postgres

/// Limits of console logins.
public struct LoginPolicy: Sendable {
    /// Failed logins per account and per client address within the window before both are refused.
    public var failuresPerAccount = 5
    public var failuresPerAddress = 20
    public var windowSeconds = 15 * 60
    /// A session ends after this long idle, and in any case after `absoluteSeconds` (a long shift).
    public var idleSeconds = 2 * 3600
    public var absoluteSeconds = 12 * 3600
    public init() {}
}

/// A console session as a request sees it.
public struct StaffSession: Sendable {
    public let user: StaffUser
    /// The token every state-changing console form and cookie-authenticated API call must echo.
    public let csrfToken: String
    /// When it ends at the latest (`absoluteSeconds` after signing in): the field page wipes what it
    /// stored on the phone then.
    public let expiresAt: Date
}

public enum LoginOutcome: Sendable {
    /// `token` goes into the session cookie; only its digest is stored.
    case success(token: String, session: StaffSession)
    /// Unknown name, wrong password and disabled account look the same from outside.
    case refused
    case throttled(retryAfterSeconds: Int)
}

extension Store {
    public func login(username: String, password: String, clientAddress: String, policy: LoginPolicy = LoginPolicy()) throws -> LoginOutcome {
        let at = now()
        let buckets = [ThrottleBucket(name: "login:account:" + username.lowercased(), limit: policy.failuresPerAccount),
                       ThrottleBucket(name: "login:address:" + clientAddress, limit: policy.failuresPerAddress)]
        if let wait = try pool.withConnection({ try throttled($0, buckets, windowSeconds: policy.windowSeconds, at: at) }) {
            return .throttled(retryAfterSeconds: wait)
        }
        let row = try pool.withConnection { db in
            try db.query("""
                SELECT id, username, display_name, unit_id, role, password_hash FROM users
                WHERE username = \(username) AND disabled_at IS NULL
                """).first
        }
        // Verified outside any connection: a tenth of a second of scrypt must not hold one.
        let stored = try row?.decode("password_hash", as: String?.self)
        guard PasswordHasher.verify(password, against: stored), let row else {
            try pool.withConnection { try recordFailure($0, buckets, windowSeconds: policy.windowSeconds, at: at) }
            return .refused
        }
        let user = try Self.staffUser(row)
        let token = Secrets.newToken()
        let csrf = Secrets.newToken()
        let expiresAt = at.addingTimeInterval(Double(policy.absoluteSeconds))
        try pool.withConnection { db in
            try db.transaction { tx in
                try tx.execute("""
                    INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
                    VALUES (\(Secrets.digest(token)), \(user.id), \(csrf), \(at), \(at), \(expiresAt))
                    """)
                try tx.execute("DELETE FROM throttle WHERE bucket = \(buckets[0].name)")
            }
        }
        return .success(token: token, session: StaffSession(user: user, csrfToken: csrf, expiresAt: expiresAt))
    }

    /// The live session behind a cookie, or nil. Not cached: a logout on any instance ends it everywhere at once.
    public func session(token: String, policy: LoginPolicy = LoginPolicy()) throws -> StaffSession? {
        let at = now()
        let idleSince = at.addingTimeInterval(-Double(policy.idleSeconds))
        return try pool.withConnection { db in
            guard let row = try db.query("""
                SELECT s.id AS session_id, s.csrf_token, s.last_seen_at, s.expires_at, u.id, u.username, u.display_name, u.unit_id, u.role
                FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.token_hash = \(Secrets.digest(token)) AND s.ended_at IS NULL AND s.expires_at > \(at)
                  AND s.last_seen_at > \(idleSince) AND u.disabled_at IS NULL
                """).first else { return nil }
            // Written at most once a minute per session, not on every request.
            if try row.decode("last_seen_at", as: Date.self) < at.addingTimeInterval(-60) {
                try db.execute("UPDATE sessions SET last_seen_at = \(at) WHERE id = \(try row.decode("session_id", as: Int64.self))")
            }
            return StaffSession(user: try Self.staffUser(row), csrfToken: try row.decode("csrf_token"),
                                expiresAt: try row.decode("expires_at"))
        }
    }

    /// Ends the session for every instance that serves it.
    public func logout(token: String) throws {
        try pool.withConnection { db in
            try db.execute("UPDATE sessions SET ended_at = \(now()) WHERE token_hash = \(Secrets.digest(token)) AND ended_at IS NULL")
        }
    }

    public func setPassword(username: String, password: String, hasher: PasswordHasher = PasswordHasher()) throws {
        guard password.count >= PasswordHasher.minimumLength else {
            throw UnknownReference(field: "password", message: "must be at least \(PasswordHasher.minimumLength) characters")
        }
        let hash = try hasher.hash(password)
        let changed = try pool.withConnection { db in
            try db.execute("UPDATE users SET password_hash = \(hash) WHERE username = \(username)")
        }
        guard changed == 1 else { throw UnknownReference(field: "username", message: "no user \(username)") }
        // A new password ends the user's open sessions.
        try pool.withConnection { db in
            try db.execute("""
                UPDATE sessions SET ended_at = \(now())
                WHERE user_id = (SELECT id FROM users WHERE username = \(username)) AND ended_at IS NULL
                """)
        }
    }
}
