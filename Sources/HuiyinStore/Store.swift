import Foundation
import HuiyinCore
import Postgres

/// The application's storage: repositories over one connection pool. Every method is one unit
/// of work (one transaction where it writes). Time comes from the injected clock, so tests can
/// move it; days are counted in the configured zone.
public final class Store: Sendable {
    public let pool: PostgresPool
    public let now: @Sendable () -> Date
    public let timeZone: TimeZone

    public init(pool: PostgresPool, timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.pool = pool
        self.timeZone = timeZone
        self.now = now
    }

    public var today: LocalDate { LocalDate(now(), in: timeZone) }
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
