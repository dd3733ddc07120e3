import Foundation
import HuiyinCore
import Postgres

/// A line of a handler's inbox: the case, its nearest running clock and whether a required report is open.
public struct InboxItem: Sendable {
    public let item: CaseListItem
    public let nextClock: String?
    public let nextDue: LocalDate?
    public let openReports: Int
}

/// One day of a supervisor's 30-day trend.
public struct TrendPoint: Sendable {
    public let day: LocalDate
    /// Clocks overdue (running past their due day) at the end of that day.
    public let overdue: Int
}

public struct SupervisionActivity: Sendable {
    public let reminders: Int
    public let notices: Int
    public let proposals: [CaseListItem]
}

extension Store {
    /// Her unit's open cases that are hers or nobody's yet (transferred ones first to be signed for),
    /// nearest deadline first.
    public func inbox(for user: StaffUser, limit: Int = 200) throws -> [InboxItem] {
        try pool.withConnection { db in
            try db.query("""
                WITH \(viewer: user)
                SELECT \(unescaped: Self.itemColumns), k.kind AS next_kind, k.due_on AS next_due,
                       (SELECT count(*) FROM case_tasks t WHERE t.case_id = c.id AND t.state = 'open' AND t.kind <> 'follow_up') AS reports
                \(unescaped: Self.itemSource)
                LEFT JOIN LATERAL (SELECT kind, due_on FROM clocks WHERE case_id = c.id AND state = 'running'
                                   ORDER BY due_on LIMIT 1) k ON true
                WHERE c.unit_id = v.unit_id AND c.status NOT IN ('closed', 'declined')
                  AND (c.handler_id IS NULL OR c.handler_id = v.id OR c.leader_id = v.id)
                ORDER BY c.status = 'transferred' DESC, k.due_on NULLS LAST, c.id
                LIMIT \(limit)
                """).rows.map { row in
                InboxItem(item: try Self.listItem(row), nextClock: try row.decode("next_kind", as: String?.self),
                          nextDue: try row.decode("next_due", as: LocalDate?.self), openReports: try row.decode("reports", as: Int.self))
            }
        }
    }

    /// Overdue clocks in the subtree at the end of each of the last `days` days.
    public func overdueTrend(underUnit unitID: Int64, days: Int = 30) throws -> [TrendPoint] {
        let end = today
        let start = end.adding(days: -(days - 1))
        return try pool.withConnection { db in
            try db.query("""
                SELECT d::date AS day, (
                    SELECT count(*) FROM clocks k JOIN units u ON u.id = k.unit_id
                    WHERE u.path @> ARRAY[\(unitID)::bigint] AND k.due_on < d::date
                      AND k.created_at < d + interval '1 day' AND k.state IN ('running', 'paused', 'breached', 'met')
                      AND (k.stopped_at IS NULL OR k.stopped_at >= d + interval '1 day')
                ) AS overdue
                FROM generate_series(\(start)::date, \(end)::date, interval '1 day') d ORDER BY d
                """).rows.map { TrendPoint(day: try $0.decode("day"), overdue: try $0.decode("overdue")) }
        }
    }

    /// Reminders and notices sent in the subtree over the last 30 days, and the cases put forward for
    /// leadership ownership that have no leader yet.
    public func supervisionActivity(for user: StaffUser, underUnit unitID: Int64) throws -> SupervisionActivity {
        let since = now().addingTimeInterval(-30 * 86_400)
        return try pool.withConnection { db in
            let counts = try db.query("""
                SELECT count(*) FILTER (WHERE s.step = 'reminder') AS reminders, count(*) FILTER (WHERE s.step = 'notice') AS notices
                FROM clock_steps s JOIN clocks k ON k.id = s.clock_id JOIN units u ON u.id = k.unit_id
                WHERE u.path @> ARRAY[\(unitID)::bigint] AND s.at >= \(since)
                """).first!
            let proposals = try db.query("""
                WITH \(viewer: user)
                SELECT \(unescaped: Self.itemColumns) \(unescaped: Self.itemSource)
                JOIN leadership_proposals lp ON lp.case_id = c.id
                WHERE \(unescaped: Scope.inScope) AND cu.path @> ARRAY[\(unitID)::bigint] AND c.leader_id IS NULL
                ORDER BY lp.at DESC LIMIT 50
                """).rows.map { try Self.listItem($0) }
            return SupervisionActivity(reminders: try counts.decode("reminders"), notices: try counts.decode("notices"), proposals: proposals)
        }
    }

    /// Working days left until `due` (negative when overdue), by the working calendar.
    public func workingDaysLeft(until due: LocalDate) throws -> Int {
        let calendar = try currentCalendar()
        let now = today
        return due >= now ? calendar.workingDays(after: now, through: due) : -calendar.workingDays(after: due, through: now)
    }

    public func attachmentList(caseID: Int64) throws -> [(id: Int64, contentType: String, size: Int, uploadedAt: Date)] {
        try pool.withConnection { db in
            try db.query("SELECT id, content_type, size, uploaded_at FROM attachments WHERE case_id = \(caseID) ORDER BY id").rows.map {
                (try $0.decode("id"), try $0.decode("content_type"), try $0.decode("size"), try $0.decode("uploaded_at"))
            }
        }
    }
}
