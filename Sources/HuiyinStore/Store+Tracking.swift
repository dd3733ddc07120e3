import Foundation
import HuiyinCore
import Postgres

/// What a petitioner may see of her own case: never staff notes, other people's data or the audit.
public struct PublicCaseView: Sendable {
    public let trackingNo: String
    public let status: String
    public let category: String
    public let receivedOn: LocalDate
    public let lastUpdatedAt: Date
}

public enum TrackingOutcome: Sendable {
    case found(PublicCaseView)
    /// Unknown number and wrong code look the same from outside.
    case notFound
    case throttled(retryAfterSeconds: Int)
}

/// Guessing limits for the tracking page, per tracking number and per client address.
public struct TrackingThrottle: Sendable {
    public var windowSeconds: Int = 15 * 60
    public var failuresPerNumber: Int = 5
    public var failuresPerAddress: Int = 30
    public init() {}
}

extension Store {
    public func track(trackingNo: String, code: String, clientAddress: String,
                      throttle: TrackingThrottle = TrackingThrottle()) throws -> TrackingOutcome {
        let at = now()
        let windowStart = at.addingTimeInterval(-Double(throttle.windowSeconds))
        let numberBucket = "track:number:" + trackingNo
        let addressBucket = "track:address:" + clientAddress
        return try pool.withConnection { db in
            for row in try db.query("""
                SELECT bucket, failures, window_started FROM throttle
                WHERE bucket IN (\(numberBucket), \(addressBucket)) AND window_started > \(windowStart)
                """).rows {
                let limit = try row.decode("bucket", as: String.self) == numberBucket
                    ? throttle.failuresPerNumber : throttle.failuresPerAddress
                if try row.decode("failures", as: Int.self) >= limit {
                    let started = try row.decode("window_started", as: Date.self)
                    let wait = Int(started.addingTimeInterval(Double(throttle.windowSeconds)).timeIntervalSince(at).rounded(.up))
                    return .throttled(retryAfterSeconds: max(1, wait))
                }
            }
            let found = TrackingNumber.isWellFormed(trackingNo) ? try db.query("""
                SELECT query_code_hash, query_code_salt, status, category, received_on, updated_at
                FROM cases WHERE tracking_no = \(trackingNo)
                """).first : nil
            // The digest is computed on both paths, so an unknown number costs the same as a wrong code.
            let salt = try found?.decode("query_code_salt", as: Data.self) ?? Secrets.randomBytes(16)
            let digest = Secrets.queryCodeDigest(salt: salt, normalizedCode: QueryCode.normalize(code) ?? code)
            guard let found, Secrets.constantTimeEqual(try found.decode("query_code_hash", as: Data.self), digest) else {
                for bucket in [numberBucket, addressBucket] {
                    try db.execute("""
                        INSERT INTO throttle (bucket, failures, window_started) VALUES (\(bucket), 1, \(at))
                        ON CONFLICT (bucket) DO UPDATE SET
                            failures = CASE WHEN throttle.window_started <= \(windowStart) THEN 1 ELSE throttle.failures + 1 END,
                            window_started = CASE WHEN throttle.window_started <= \(windowStart) THEN \(at) ELSE throttle.window_started END
                        """)
                }
                return .notFound
            }
            return .found(PublicCaseView(trackingNo: trackingNo, status: try found.decode("status"),
                                         category: try found.decode("category"), receivedOn: try found.decode("received_on"),
                                         lastUpdatedAt: try found.decode("updated_at")))
        }
    }
}
