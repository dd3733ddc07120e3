import Foundation
import HuiyinCore
import Postgres

/// What a notification is about: a case, a lead, a household, or its unit as a whole (a month's
/// visits in a village, say). Lists link to it and a group is read by it.
public enum NotificationSubject: Sendable, Hashable {
    case `case`(id: Int64, trackingNo: String)
    case lead(Int64)
    case household(Int64)
    case unit(Int64)

    /// Reads the subject from the columns every notification query selects:
    /// case_id, tracking_no, lead_id, household_id, unit_id.
    init(_ row: PostgresRow) throws {
        if let caseID = try row.decode("case_id", as: Int64?.self) {
            self = .case(id: caseID, trackingNo: try row.decode("tracking_no"))
        } else if let leadID = try row.decode("lead_id", as: Int64?.self) {
            self = .lead(leadID)
        } else if let householdID = try row.decode("household_id", as: Int64?.self) {
            self = .household(householdID)
        } else {
            self = .unit(try row.decode("unit_id"))
        }
    }
}

/// Her unread notifications of one kind about one subject, told once with how many there are.
public struct NotificationGroup: Sendable {
    public let kind: String
    public let subject: NotificationSubject
    public let count: Int
    public let latestAt: Date
}

extension Store {
    /// The notifications that are hers: her unit's for her audience, and for a grid worker or
    /// information officer those of every grid assigned to her.
    static func hers(_ user: StaffUser) -> PostgresQuery {
        """
        (n.unit_id = \(user.unitID) OR n.unit_id IN (SELECT grid_id FROM staff_grids WHERE user_id = \(user.id)))
        AND n.audience = \(user.notificationAudience)
        """
    }

    /// Her unread notifications grouped by kind and subject, the most recent group first, and the
    /// unread count of each kind (over all groups, not only those listed).
    public func unreadNotificationGroups(for user: StaffUser, limit: Int) throws -> (groups: [NotificationGroup], byKind: [(kind: String, count: Int)]) {
        try pool.withConnection { db in
            let unread: PostgresQuery = """
                notifications n WHERE \(fragment: Self.hers(user))
                AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = \(user.id))
                """
            let groups = try db.query("""
                SELECT g.kind, g.case_id, c.tracking_no, g.lead_id, g.household_id, g.unit_id, g.n, g.latest FROM (
                    SELECT n.kind, n.case_id, n.lead_id, n.household_id,
                           CASE WHEN coalesce(n.case_id, n.lead_id, n.household_id) IS NULL THEN n.unit_id END AS unit_id,
                           count(*) AS n, max(n.created_at) AS latest, max(n.id) AS last_id FROM \(fragment: unread)
                    GROUP BY 1, 2, 3, 4, 5 ORDER BY last_id DESC LIMIT \(limit)
                ) g LEFT JOIN cases c ON c.id = g.case_id ORDER BY g.last_id DESC
                """).rows.map { row in
                NotificationGroup(kind: try row.decode("kind"), subject: try NotificationSubject(row),
                                  count: try row.decode("n"), latestAt: try row.decode("latest"))
            }
            let byKind = try db.query("SELECT n.kind, count(*) AS n FROM \(fragment: unread) GROUP BY n.kind ORDER BY n.kind").rows.map {
                (kind: try $0.decode("kind", as: String.self), count: try $0.decode("n", as: Int.self))
            }
            return (groups, byKind)
        }
    }

    /// Marks her unread notifications read: those of one kind about one subject, or all of them when
    /// `group` is nil. Returns how many were marked.
    @discardableResult
    public func markNotificationsRead(_ group: (kind: String, subject: NotificationSubject)?, by user: StaffUser) throws -> Int {
        var caseID: Int64?, leadID: Int64?, householdID: Int64?, unitID: Int64?
        switch group?.subject {
        case .case(let id, _): caseID = id
        case .lead(let id): leadID = id
        case .household(let id): householdID = id
        case .unit(let id): unitID = id
        case nil: break
        }
        return try pool.withConnection { db in
            try db.execute("""
                INSERT INTO notification_reads (notification_id, user_id, at)
                SELECT n.id, \(user.id), \(now()) FROM notifications n
                WHERE \(fragment: Self.hers(user))
                  AND (\(group?.kind)::text IS NULL OR n.kind = \(group?.kind))
                  AND (\(caseID)::bigint IS NULL OR n.case_id = \(caseID))
                  AND (\(leadID)::bigint IS NULL OR n.lead_id = \(leadID))
                  AND (\(householdID)::bigint IS NULL OR n.household_id = \(householdID))
                  AND (\(unitID)::bigint IS NULL OR (n.unit_id = \(unitID) AND coalesce(n.case_id, n.lead_id, n.household_id) IS NULL))
                ON CONFLICT DO NOTHING
                """)
        }
    }
}
