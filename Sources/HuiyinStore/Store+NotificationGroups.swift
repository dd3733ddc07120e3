import Foundation
import HuiyinCore
import Postgres

/// Her unread notifications of one kind about one case, told once with how many there are.
public struct NotificationGroup: Sendable {
    public let kind: String
    public let caseID: Int64
    public let trackingNo: String
    public let count: Int
    public let latestAt: Date
}

extension Store {
    /// Her unread notifications grouped by kind and case, the most recent group first, and the unread
    /// count of each kind (over all groups, not only those listed).
    public func unreadNotificationGroups(for user: StaffUser, limit: Int) throws -> (groups: [NotificationGroup], byKind: [(kind: String, count: Int)]) {
        try pool.withConnection { db in
            let unread: PostgresQuery = """
                notifications n WHERE n.unit_id = \(user.unitID) AND n.audience = \(user.notificationAudience)
                AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = \(user.id))
                """
            let groups = try db.query("""
                SELECT g.kind, g.case_id, c.tracking_no, g.n, g.latest FROM (
                    SELECT n.kind, n.case_id, count(*) AS n, max(n.created_at) AS latest, max(n.id) AS last_id FROM \(fragment: unread)
                    GROUP BY n.kind, n.case_id ORDER BY last_id DESC LIMIT \(limit)
                ) g JOIN cases c ON c.id = g.case_id ORDER BY g.last_id DESC
                """).rows.map { row in
                NotificationGroup(kind: try row.decode("kind"), caseID: try row.decode("case_id"), trackingNo: try row.decode("tracking_no"),
                                  count: try row.decode("n"), latestAt: try row.decode("latest"))
            }
            let byKind = try db.query("SELECT n.kind, count(*) AS n FROM \(fragment: unread) GROUP BY n.kind ORDER BY n.kind").rows.map {
                (kind: try $0.decode("kind", as: String.self), count: try $0.decode("n", as: Int.self))
            }
            return (groups, byKind)
        }
    }

    /// Marks her unread notifications read: those of one kind about one case, or all of them when both
    /// are nil. Returns how many were marked.
    @discardableResult
    public func markNotificationsRead(kind: String?, caseID: Int64?, by user: StaffUser) throws -> Int {
        try pool.withConnection { db in
            try db.execute("""
                INSERT INTO notification_reads (notification_id, user_id, at)
                SELECT n.id, \(user.id), \(now()) FROM notifications n
                WHERE n.unit_id = \(user.unitID) AND n.audience = \(user.notificationAudience)
                  AND (\(kind)::text IS NULL OR n.kind = \(kind)) AND (\(caseID)::bigint IS NULL OR n.case_id = \(caseID))
                ON CONFLICT DO NOTHING
                """)
        }
    }
}
