import Foundation
import Postgres

/// An `Idempotency-Key` as the store sees it: whose key, the key, and a digest of the request
/// it came with (the same key with another request is refused, not replayed).
public struct IdempotencyKey: Sendable {
    public let scope: String
    public let key: String
    public let requestDigest: Data

    public init(scope: String, key: String, requestDigest: Data) {
        self.scope = scope
        self.key = key
        self.requestDigest = requestDigest
    }
}

/// The key was used before with a different request.
public struct IdempotencyConflict: Error, Sendable {}

extension Store {
    /// Runs `operation` once per key: the first run's result is stored in the same transaction,
    /// and a retry gets that result back without running anything. A concurrent retry waits for
    /// the first to commit (the key's primary key), then replays it.
    func idempotent<R: Codable>(_ db: PostgresConnection, _ key: IdempotencyKey?,
                                _ operation: (PostgresConnection) throws -> R) throws -> (R, replayed: Bool) {
        guard let key else { return (try db.transaction(operation), false) }
        return try db.transaction { tx in
            let claimed = try tx.query("""
                INSERT INTO idempotency_keys (scope, key, request_hash, created_at)
                VALUES (\(key.scope), \(key.key), \(key.requestDigest), \(now()))
                ON CONFLICT DO NOTHING RETURNING 1 AS claimed
                """)
            if claimed.isEmpty {
                guard let earlier = try tx.query("""
                        SELECT request_hash, result::text AS result FROM idempotency_keys
                        WHERE scope = \(key.scope) AND key = \(key.key)
                        """).first,
                      Secrets.constantTimeEqual(try earlier.decode("request_hash", as: Data.self), key.requestDigest),
                      let stored = try earlier.decode("result", as: String?.self)
                else { throw IdempotencyConflict() }
                return (try JSONDecoder().decode(R.self, from: Data(stored.utf8)), true)
            }
            let result = try operation(tx)
            let encoded = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
            try tx.execute("""
                UPDATE idempotency_keys SET result = \(encoded)::jsonb
                WHERE scope = \(key.scope) AND key = \(key.key)
                """)
            return (result, false)
        }
    }
}
