import Foundation
import HuiyinCore
import Postgres

/// A running clock as a supervisor's list shows it.
public struct ClockListItem: Sendable {
    public let clockID: Int64
    public let kind: String
    public let caseID: Int64
    public let trackingNo: String
    public let category: String
    public let unitID: Int64
    public let unitName: String
    public let channel: String
    public let dueOn: LocalDate
    public let dueAt: Date
    public let supervisionLevel: Int
}

public struct UnitFigures: Sendable {
    public let unitID: Int64
    public let unitName: String
    public let openCases: Int
    public let dueSoon: Int
    public let overdue: Int
    public let metOnTime: Int
    public let metLate: Int

    /// 按期率: the clocks met on time, out of those that are decided — stopped (on time or late) or
    /// still running past their due day, which is late whatever happens next. Clocks still within
    /// their time, paused or cancelled do not count. Nil while there is none to count.
    public var onTimeRate: Double? {
        let counted = metOnTime + metLate + overdue
        return counted == 0 ? nil : Double(metOnTime) / Double(counted)
    }
}

public struct NotificationItem: Sendable {
    public let id: Int64
    public let kind: String
    public let subject: NotificationSubject
    public let unitID: Int64
    public let detailJSON: String
    public let createdAt: Date
    public let readAt: Date?
}

public enum ClockListFilter: String, Sendable {
    case dueSoon = "due_soon"
    case overdue
}

extension StaffUser {
    /// Which notifications are hers: handling staff get the unit's, supervisors and leaders theirs.
    public var notificationAudience: String {
        switch role {
        case .supervisor, .admin: return "supervisors"
        case .leader: return "leaders"
        case .operator_, .reception, .handler, .gridWorker, .informationOfficer: return "handlers"
        }
    }
}

extension Store {
    /// True if `unitID` is `ancestorID` or below it.
    public func unit(_ unitID: Int64, isWithin ancestorID: Int64) throws -> Bool {
        try pool.withConnection { db in
            try !db.query("SELECT 1 AS found FROM units WHERE id = \(unitID) AND path @> ARRAY[\(ancestorID)::bigint]").isEmpty
        }
    }

    /// Running clocks due soon or overdue in a unit's subtree, oldest due day (longest breach) first.
    public func clocks(_ filter: ClockListFilter, underUnit unitID: Int64, channel: String?, kind: String?,
                       limit: Int) throws -> [ClockListItem] {
        let thresholds = SweepThresholds(today: today, rules: rules, calendar: try currentCalendar())
        let (from, through) = filter == .overdue
            ? (LocalDate(year: 1970, month: 1, day: 1)!, thresholds.today.adding(days: -1))
            : (thresholds.today, thresholds.latestWarnThrough)
        return try pool.withConnection { db in
            try db.query("""
                SELECT k.id, k.kind, k.case_id, c.tracking_no, c.category, k.unit_id, u.name AS unit_name, k.channel,
                       k.due_on, k.due_at, k.supervision_level
                FROM clocks k JOIN cases c ON c.id = k.case_id JOIN units u ON u.id = k.unit_id
                WHERE k.state = 'running' AND k.due_on BETWEEN \(from) AND \(through)
                  AND u.path @> ARRAY[\(unitID)::bigint]
                  AND (\(channel)::text IS NULL OR k.channel = \(channel))
                  AND (\(kind)::text IS NULL OR k.kind = \(kind))
                  AND (\(filter == .overdue) OR k.due_on <= (SELECT w.through FROM unnest(\(thresholds.warningKinds),
                       \(thresholds.warningDays)::date[]) AS w(kind, through) WHERE w.kind = k.kind))
                ORDER BY k.due_on, k.id
                LIMIT \(limit)
                """).rows.map { row in
                ClockListItem(clockID: try row.decode("id"), kind: try row.decode("kind"), caseID: try row.decode("case_id"),
                              trackingNo: try row.decode("tracking_no"), category: try row.decode("category"),
                              unitID: try row.decode("unit_id"), unitName: try row.decode("unit_name"),
                              channel: try row.decode("channel"), dueOn: try row.decode("due_on"),
                              dueAt: try row.decode("due_at"), supervisionLevel: try row.decode("supervision_level"))
            }
        }
    }

    /// Per-unit figures for the unit and each unit directly below it (each counting its own subtree).
    public func unitFigures(underUnit unitID: Int64) throws -> [UnitFigures] {
        let thresholds = SweepThresholds(today: today, rules: rules, calendar: try currentCalendar())
        return try pool.withConnection { db in
            try db.query("""
                WITH members AS (   -- every unit below tagged with its branch (the direct child it is under),
                                    -- and every unit of the subtree, the unit itself included, tagged with the unit
                    SELECT id, path[array_position(path, \(unitID)::bigint) + 1] AS branch FROM units
                    WHERE path @> ARRAY[\(unitID)::bigint] AND id <> \(unitID)
                    UNION ALL SELECT id, \(unitID) FROM units WHERE path @> ARRAY[\(unitID)::bigint]
                ), case_counts AS (
                    SELECT unit_id, count(*) AS n FROM cases WHERE unit_id IN (SELECT id FROM members) AND status NOT IN ('closed', 'declined') GROUP BY unit_id
                ), clock_counts AS (
                    SELECT unit_id,
                           count(*) FILTER (WHERE state = 'running' AND due_on >= \(thresholds.today) AND due_on <= (
                               SELECT w.through FROM unnest(\(thresholds.warningKinds), \(thresholds.warningDays)::date[])
                               AS w(kind, through) WHERE w.kind = clocks.kind)) AS due_soon,
                           count(*) FILTER (WHERE state = 'running' AND due_on < \(thresholds.today)) AS overdue,
                           count(*) FILTER (WHERE state = 'met') AS met,
                           count(*) FILTER (WHERE state = 'breached') AS breached
                    FROM clocks WHERE unit_id IN (SELECT id FROM members) GROUP BY unit_id
                )
                SELECT m.branch AS unit_id, u.name AS unit_name, coalesce(sum(cc.n), 0) AS open_cases,
                       coalesce(sum(k.due_soon), 0) AS due_soon, coalesce(sum(k.overdue), 0) AS overdue,
                       coalesce(sum(k.met), 0) AS met, coalesce(sum(k.breached), 0) AS breached
                FROM members m JOIN units u ON u.id = m.branch
                LEFT JOIN case_counts cc ON cc.unit_id = m.id LEFT JOIN clock_counts k ON k.unit_id = m.id
                GROUP BY m.branch, u.name
                ORDER BY m.branch = \(unitID) DESC, u.name
                """).rows.map { row in
                UnitFigures(unitID: try row.decode("unit_id"), unitName: try row.decode("unit_name"),
                            openCases: try row.decode("open_cases"), dueSoon: try row.decode("due_soon"),
                            overdue: try row.decode("overdue"), metOnTime: try row.decode("met"),
                            metLate: try row.decode("breached"))
            }
        }
    }

    /// The user's notifications (her unit or her grids, her audience), newest first.
    public func notifications(for user: StaffUser, unreadOnly: Bool, limit: Int) throws -> [NotificationItem] {
        try pool.withConnection { db in
            try db.query("""
                SELECT n.id, n.kind, n.case_id, c.tracking_no, n.lead_id, n.household_id, n.unit_id, n.detail::text AS detail,
                       n.created_at, r.at AS read_at
                FROM notifications n LEFT JOIN cases c ON c.id = n.case_id
                LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = \(user.id)
                WHERE \(fragment: Self.hers(user)) AND (NOT \(unreadOnly) OR r.at IS NULL)
                ORDER BY n.id DESC LIMIT \(limit)
                """).rows.map { row in
                NotificationItem(id: try row.decode("id"), kind: try row.decode("kind"), subject: try NotificationSubject(row),
                                 unitID: try row.decode("unit_id"),
                                 detailJSON: try row.decode("detail"), createdAt: try row.decode("created_at"),
                                 readAt: try row.decode("read_at", as: Date?.self))
            }
        }
    }

    /// Marks one of the user's notifications read; false if it is not hers (or does not exist).
    public func markNotificationRead(_ id: Int64, by user: StaffUser) throws -> Bool {
        try pool.withConnection { db in
            try !db.query("""
                WITH mine AS (
                    SELECT n.id FROM notifications n WHERE n.id = \(id) AND \(fragment: Self.hers(user))
                ), marked AS (
                    INSERT INTO notification_reads (notification_id, user_id, at)
                    SELECT id, \(user.id), \(now()) FROM mine
                    ON CONFLICT DO NOTHING
                )
                SELECT id FROM mine
                """).isEmpty
        }
    }

    /// The calendar warning supervisors must see, if any.
    public func calendarWarning() throws -> String? {
        CalendarCoverage.warning(today: today, calendar: try currentCalendar())
    }
}
