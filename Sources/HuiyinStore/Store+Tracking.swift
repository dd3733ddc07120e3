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
    /// The written notices and replies she was sent, as issued.
    public let documents: [DocumentRecord]
    /// While she may still ask for review (复查) or re-review (复核): which, and the last day.
    public let reviewWindow: (kind: ClockKind, lastDay: LocalDate)?
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
        let buckets = [ThrottleBucket(name: "track:number:" + trackingNo, limit: throttle.failuresPerNumber),
                       ThrottleBucket(name: "track:address:" + clientAddress, limit: throttle.failuresPerAddress)]
        return try pool.withConnection { db in
            if let wait = try throttled(db, buckets, windowSeconds: throttle.windowSeconds, at: at) {
                return .throttled(retryAfterSeconds: wait)
            }
            let found = TrackingNumber.isWellFormed(trackingNo) ? try db.query("""
                SELECT id, query_code_hash, query_code_salt, status, category, received_on, updated_at
                FROM cases WHERE tracking_no = \(trackingNo)
                """).first : nil
            // The digest is computed on both paths, so an unknown number costs the same as a wrong code.
            let salt = try found?.decode("query_code_salt", as: Data.self) ?? Secrets.randomBytes(16)
            let digest = Secrets.queryCodeDigest(salt: salt, normalizedCode: QueryCode.normalize(code) ?? code)
            guard let found, Secrets.constantTimeEqual(try found.decode("query_code_hash", as: Data.self), digest) else {
                try recordFailure(db, buckets, windowSeconds: throttle.windowSeconds, at: at)
                return .notFound
            }
            let caseID: Int64 = try found.decode("id")
            let window = try db.query("""
                SELECT kind, due_on FROM clocks
                WHERE case_id = \(caseID) AND kind IN ('review_request', 'rereview_request') AND state = 'running' AND due_at >= \(at)
                ORDER BY id DESC LIMIT 1
                """).first
            return .found(PublicCaseView(trackingNo: trackingNo, status: try found.decode("status"),
                                         category: try found.decode("category"), receivedOn: try found.decode("received_on"),
                                         lastUpdatedAt: try found.decode("updated_at"), documents: try documents(db, caseID: caseID),
                                         reviewWindow: try window.map { (ClockKind(rawValue: try $0.decode("kind"))!, try $0.decode("due_on")) }))
        }
    }
}
