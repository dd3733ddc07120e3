import Foundation
import Postgres

/// Failure counters kept in PostgreSQL (table `throttle`), so every server instance counts the same
/// guesses: query codes on the tracking page, passwords at login.
struct ThrottleBucket {
    let name: String
    let limit: Int
}

extension Store {
    /// Seconds to wait if any bucket has reached its limit within the window, else nil.
    func throttled(_ db: PostgresConnection, _ buckets: [ThrottleBucket], windowSeconds: Int, at: Date) throws -> Int? {
        let windowStart = at.addingTimeInterval(-Double(windowSeconds))
        let limits = Dictionary(buckets.map { ($0.name, $0.limit) }, uniquingKeysWith: min)
        for row in try db.query("""
            SELECT bucket, failures, window_started FROM throttle
            WHERE bucket = ANY(\(PostgresTextArray(buckets.map(\.name)))) AND window_started > \(windowStart)
            """).rows {
            guard let limit = limits[try row.decode("bucket", as: String.self)],
                  try row.decode("failures", as: Int.self) >= limit else { continue }
            let started = try row.decode("window_started", as: Date.self)
            return max(1, Int(started.addingTimeInterval(Double(windowSeconds)).timeIntervalSince(at).rounded(.up)))
        }
        return nil
    }

    /// Counts one failure in each bucket; a bucket whose window has passed starts a new one.
    func recordFailure(_ db: PostgresConnection, _ buckets: [ThrottleBucket], windowSeconds: Int, at: Date) throws {
        let windowStart = at.addingTimeInterval(-Double(windowSeconds))
        for bucket in buckets {
            try db.execute("""
                INSERT INTO throttle (bucket, failures, window_started) VALUES (\(bucket.name), 1, \(at))
                ON CONFLICT (bucket) DO UPDATE SET
                    failures = CASE WHEN throttle.window_started <= \(windowStart) THEN 1 ELSE throttle.failures + 1 END,
                    window_started = CASE WHEN throttle.window_started <= \(windowStart) THEN \(at) ELSE throttle.window_started END
                """)
        }
    }
}
