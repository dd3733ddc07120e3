import Foundation
import HuiyinCore
import Postgres
import Synchronization

/// The application's storage: repositories over one connection pool. Every method is one unit
/// of work (one transaction where it writes). Time comes from the injected clock, so tests can
/// move it; days are counted in the configured zone.
public final class Store: Sendable {
    public let pool: PostgresPool
    public let now: @Sendable () -> Date
    public let timeZone: TimeZone
    /// The clocks' limits (2022 regulation unless a province profile overrides them).
    public let rules: RuleSet
    /// Region whose local holidays apply on top of the national calendar.
    public let region: String
    let calendarCache = CalendarCache(timeToLive: 60)
    /// Recently seen API tokens, so a busy operator's requests skip one query each.
    let tokenCache = TokenCache(timeToLive: 30)
    /// Concurrent new-case intakes share statements and commits. Two writers measured best on two
    /// cores: one leaves the database idle during each commit, more split batches smaller.
    let newCaseBatcher: GroupCommit<NewCaseRow, NewCaseOutcome>
    /// A scope of at most this many units lists its cases unit by unit (see `cases(_:for:)`); tests
    /// set 0 to run the other form.
    public let narrowScopeUnits = Atomic<Int>(200)
    /// The nearest-body index of the mediation map; another process's registry import is seen within
    /// the check interval.
    let mediationIndex = MediationIndexCache(checkInterval: .seconds(2))

    public init(pool: PostgresPool, timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!,
                rules: RuleSet = .regulation2022, region: String = "",
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.pool = pool
        self.timeZone = timeZone
        self.rules = rules
        self.region = region
        self.now = now
        newCaseBatcher = GroupCommit(maxWriters: min(2, pool.size), maxBatch: 64)
    }

    public var today: LocalDate { LocalDate(now(), in: timeZone) }

    /// Group commit of new cases so far.
    public var newCaseBatches: GroupCommitStatistics { newCaseBatcher.statistics }
}

/// The working calendar, reloaded from the database at most once a minute (an import on another
/// instance is seen within that time).
final class CalendarCache: Sendable {
    private let entry = Mutex<(calendar: WorkingCalendar, loaded: Date)?>(nil)
    let timeToLive: TimeInterval

    init(timeToLive: TimeInterval) { self.timeToLive = timeToLive }

    func calendar(at now: Date, load: () throws -> WorkingCalendar) rethrows -> WorkingCalendar {
        if let cached = entry.withLock({ $0 }), now.timeIntervalSince(cached.loaded) < timeToLive,
           now >= cached.loaded { return cached.calendar }
        let fresh = try load()
        entry.withLock { $0 = (fresh, now) }
        return fresh
    }

    func invalidate() { entry.withLock { $0 = nil } }
}

/// Token digest → user, kept for a short time. A revoked token stops working on every instance
/// within `timeToLive` seconds.
final class TokenCache: Sendable {
    private let entries = Mutex<[Data: (user: StaffUser, expires: Date)]>([:])
    let timeToLive: TimeInterval

    init(timeToLive: TimeInterval) { self.timeToLive = timeToLive }

    func user(for digest: Data, at now: Date) -> StaffUser? {
        entries.withLock { entries in
            guard let entry = entries[digest] else { return nil }
            if entry.expires > now { return entry.user }
            entries[digest] = nil
            return nil
        }
    }

    func remember(_ user: StaffUser, for digest: Data, at now: Date) {
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }  // bounded: staff tokens are few
            entries[digest] = (user, now.addingTimeInterval(timeToLive))
        }
    }
}

/// Who performs a change: recorded on every event.
public enum Actor: Sendable {
    case staff(StaffUser)
    case petitioner

    var kind: String {
        switch self {
        case .staff: return "staff"
        case .petitioner: return "petitioner"
        }
    }

    var userID: Int64? {
        if case .staff(let user) = self { return user.id }
        return nil
    }
}

/// An input that names something that does not exist (or is not visible): reported on its field.
public struct UnknownReference: Error, Sendable {
    public let field: String
    public let message: String
}
