import Foundation
import HuiyinCore
import Postgres

/// What one sweep did.
public struct SweepReport: Sendable, Equatable, CustomStringConvertible {
    public var dueSoon = 0
    public var reminders = 0
    public var notices = 0
    public var leadershipProposals = 0
    /// Required tasks (mandatory reports, police and direct reports, follow-ups) overdue and escalated.
    public var tasksEscalated = 0
    /// Idempotency keys and throttle counters past their time, deleted.
    public var expired = 0
    /// Grassroots dues (deliberation, dispatch signing, follow-up) warned and escalated.
    public var grassrootsDueSoon = 0
    public var grassrootsOverdue = 0
    /// Monthly-visit notifications sent: warnings to grids, overdue notices to villages and townships.
    public var visitNotices = 0
    /// Days of the daily figures counted again (today, and any day not final yet).
    public var figureDays = 0
    /// Early warnings raised by the day's pass (run by the first sweep of each day).
    public var warnings = 0
    /// Screening campaigns: units reminded of their report before the end, units marked overdue after it.
    public var campaignReminders = 0
    public var campaignOverdue = 0
    public var milliseconds = 0.0

    public var description: String {
        "due_soon=\(dueSoon) reminders=\(reminders) notices=\(notices) leadership_proposals=\(leadershipProposals) "
            + "tasks_escalated=\(tasksEscalated) expired=\(expired) visit_notices=\(visitNotices) "
            + "grassroots_due_soon=\(grassrootsDueSoon) grassroots_overdue=\(grassrootsOverdue) "
            + "figure_days=\(figureDays) warnings=\(warnings) "
            + "campaign_reminders=\(campaignReminders) campaign_overdue=\(campaignOverdue) "
            + String(format: "in %.1f ms", milliseconds)
    }
}

extension Store {
    /// One pass over the running clocks: due-soon warnings, reminders (催办) the day after a clock
    /// passes, written notices (通报) with escalation to the supervisors of the unit above once it is
    /// `noticeAfter` overdue, and leadership proposals for repeat petitions. Each step is one
    /// statement: the step row (unique per clock and step), its case event and its notification
    /// commit together, so any number of instances may sweep at once and each step happens once.
    public func sweep() throws -> SweepReport {
        let started = DispatchTime.now()
        let at = now()
        let thresholds = SweepThresholds(today: LocalDate(at, in: timeZone), rules: rules, calendar: try currentCalendar())
        var report = SweepReport()
        let longAgo = LocalDate(year: 1970, month: 1, day: 1)!
        try pool.withConnection { db in
            // Plain index scans, not bitmap scans: they mark the index entries of clocks the last
            // sweep moved up the ladder as dead, so the next sweep skips them instead of visiting
            // their heap pages again and again until a vacuum.
            try db.executeScript("SET enable_bitmapscan = off")
            defer { _ = try? db.executeScript("RESET enable_bitmapscan") }
            report.dueSoon = try step(db, "due_soon", level: 1, event: .deadlineDueSoon, at: at, thresholds: thresholds, perKindWarning: true,
                                      dueFrom: thresholds.today, dueThrough: thresholds.latestWarnThrough, escalate: false)
            report.reminders = try step(db, "reminder", level: 2, event: .reminderSent, at: at, thresholds: thresholds, perKindWarning: false,
                                        dueFrom: longAgo, dueThrough: thresholds.today.adding(days: -1), escalate: false)
            report.notices = try step(db, "notice", level: 3, event: .noticeIssued, at: at, thresholds: thresholds, perKindWarning: false,
                                      dueFrom: longAgo, dueThrough: thresholds.noticeThrough, escalate: true)
            report.leadershipProposals = try proposeLeadership(db, at: at)
            report.tasksEscalated = try escalateTasks(db, at: at)
            report.tasksEscalated += try escalateLeadTasks(db, at: at)   // a lead's reports, the same way
            report.expired = try expireWorkingData(db, at: at)
            report.visitNotices = try sweepVisits(db, at: at)
            (report.grassrootsDueSoon, report.grassrootsOverdue) = try sweepGrassrootsDues(db, today: thresholds.today, at: at)
            (report.campaignReminders, report.campaignOverdue) = try sweepCampaigns(db, today: thresholds.today, at: at)
        }
        // After the clock steps have turned bitmap scans back on: a day's rows are found through BRIN
        // indexes, which need them.
        try pool.withConnection { db in
            report.figureDays = try refreshDailyFigures(db, at: at).days.count
            report.warnings = try runWarningPassIfDue(db, at: at)?.raised ?? 0
        }
        report.milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
        return report
    }

    /// Inserts `step` (rung `level` of the ladder) for every running clock due in `dueFrom...dueThrough`
    /// that is below that rung, and raises the clock to it;
    /// the case event and the notifications (the handling unit; with `escalate`, also the
    /// supervisors of the unit above) are written for exactly the rows inserted.
    /// With `perKindWarning` (the due-soon step), each clock kind is also held to its own warning day.
    private func step(_ db: PostgresConnection, _ step: String, level: Int32, event: CaseEventKind, at: Date,
                      thresholds: SweepThresholds, perKindWarning: Bool, dueFrom: LocalDate, dueThrough: LocalDate,
                      escalate: Bool) throws -> Int {
        try db.query("""
            WITH stepped AS (
                INSERT INTO clock_steps (clock_id, step, at)
                SELECT c.id, \(step), \(at) FROM clocks c
                -- the literal "< 3" lets the planner use clocks_supervision_idx
                WHERE c.state = 'running' AND c.supervision_level < \(level) AND c.supervision_level < 3
                  AND c.due_on BETWEEN \(dueFrom) AND \(dueThrough)
                  AND (NOT \(perKindWarning) OR c.due_on <= (SELECT w.through FROM unnest(\(thresholds.warningKinds),
                       \(thresholds.warningDays)::date[]) AS w(kind, through) WHERE w.kind = c.kind))
                ON CONFLICT DO NOTHING  -- another instance took it first
                RETURNING clock_id
            ), raised AS (
                UPDATE clocks SET supervision_level = greatest(supervision_level, \(level))
                WHERE id IN (SELECT clock_id FROM stepped)
            ), due AS (
                SELECT c.id, c.case_id, c.kind, c.due_on, c.unit_id, coalesce(u.parent_id, u.id) AS unit_above
                FROM stepped JOIN clocks c ON c.id = stepped.clock_id JOIN units u ON u.id = c.unit_id
            ), events AS (
                INSERT INTO case_events (case_id, at, actor, kind, detail)
                SELECT case_id, \(at), 'system', \(event), jsonb_build_object('clock_id', id, 'clock', kind, 'due_on', due_on)
                FROM due
            ), to_unit AS (
                INSERT INTO notifications (unit_id, audience, case_id, clock_id, kind, detail, created_at)
                SELECT unit_id, 'handlers', case_id, id, \(step), jsonb_build_object('clock', kind, 'due_on', due_on), \(at)
                FROM due
            ), to_unit_above AS (
                INSERT INTO notifications (unit_id, audience, case_id, clock_id, kind, detail, created_at)
                SELECT unit_above, 'supervisors', case_id, id, \(step),
                       jsonb_build_object('clock', kind, 'due_on', due_on, 'escalated_from', unit_id), \(at)
                FROM due WHERE \(escalate)
            )
            SELECT count(*) AS n FROM due
            """).first!.decode("n", as: Int.self)
    }

    /// An idempotency key answers retries for a day; a throttle counter matters for its window; a session
    /// expired a day ago (ended ones included) is of no use. None is part of the petition record (and the keys
    /// hold query codes): they go.
    private func expireWorkingData(_ db: PostgresConnection, at: Date) throws -> Int {
        try db.query("""
            WITH keys AS (
                DELETE FROM idempotency_keys WHERE created_at < \(at.addingTimeInterval(-Self.idempotencyKeyLifetime)) RETURNING 1
            ), counters AS (
                DELETE FROM throttle WHERE window_started < \(at.addingTimeInterval(-Self.throttleCounterLifetime)) RETURNING 1
            ), sessions AS (
                -- an ended session is past its absolute expiry within a shift: one indexed test covers both
                DELETE FROM sessions WHERE expires_at < \(at.addingTimeInterval(-24 * 3600)) RETURNING 1
            )
            SELECT (SELECT count(*) FROM keys) + (SELECT count(*) FROM counters) + (SELECT count(*) FROM sessions) AS n
            """).first!.decode("n", as: Int.self)
    }

    public static let idempotencyKeyLifetime: TimeInterval = 24 * 3600
    static let throttleCounterLifetime: TimeInterval = 24 * 3600

    /// Overdue required tasks, once each: an overdue mandatory report goes straight to the supervisors
    /// of the city federation above the case (直报, skipping levels), a late police or direct report to
    /// the supervisors of the case's unit, a late follow-up to its handlers.
    private func escalateTasks(_ db: PostgresConnection, at: Date) throws -> Int {
        try db.query("""
            WITH due AS (
                SELECT t.id, t.case_id, t.kind, t.reason, c.unit_id,
                       coalesce((SELECT u.id FROM units u WHERE u.id = ANY(cu.path) AND u.level = 'city'), c.unit_id) AS city_id
                FROM case_tasks t JOIN cases c ON c.id = t.case_id JOIN units cu ON cu.id = c.unit_id
                WHERE t.state = 'open' AND t.escalated_at IS NULL
                  AND t.due_at < \(at) - make_interval(secs => CASE WHEN t.kind = 'mandatory_report'
                                                                    THEN \(Double(rules.reportEscalationSeconds)) ELSE 0 END)
                FOR UPDATE OF t SKIP LOCKED
            ), marked AS (
                UPDATE case_tasks SET escalated_at = \(at) FROM due
                WHERE case_tasks.id = due.id AND case_tasks.escalated_at IS NULL
                RETURNING due.*
            ), events AS (
                INSERT INTO case_events (case_id, at, actor, kind, reason, detail)
                SELECT case_id, \(at), 'system', \(CaseEventKind.taskOverdue), reason, jsonb_build_object('task_id', id, 'kind', kind)
                FROM marked
            ), notify AS (
                INSERT INTO notifications (unit_id, audience, case_id, kind, detail, created_at)
                SELECT CASE kind WHEN 'mandatory_report' THEN city_id ELSE unit_id END,
                       CASE kind WHEN 'follow_up' THEN 'handlers' ELSE 'supervisors' END,
                       case_id, 'task_overdue', jsonb_build_object('task_id', id, 'kind', kind, 'reason', reason), \(at)
                FROM marked
            )
            SELECT count(*) AS n FROM marked
            """).first!.decode("n", as: Int.self)
    }

    private func proposeLeadership(_ db: PostgresConnection, at: Date) throws -> Int {
        try db.query("""
            WITH proposed AS (
                INSERT INTO leadership_proposals (case_id, reason, at)
                SELECT c.id, 'repeat_petition', \(at) FROM cases c
                WHERE c.contact_count >= \(rules.leadershipContactThreshold)
                  AND NOT EXISTS (SELECT 1 FROM leadership_proposals p WHERE p.case_id = c.id)
                ON CONFLICT DO NOTHING
                RETURNING case_id
            ), cases_proposed AS (
                SELECT c.id, c.unit_id, c.contact_count FROM proposed JOIN cases c ON c.id = proposed.case_id
            ), events AS (
                INSERT INTO case_events (case_id, at, actor, kind, reason, detail)
                SELECT id, \(at), 'system', \(CaseEventKind.leadershipProposed), 'repeat_petition',
                       jsonb_build_object('contact_count', contact_count)
                FROM cases_proposed
            ), notify AS (
                INSERT INTO notifications (unit_id, audience, case_id, kind, detail, created_at)
                SELECT unit_id, 'leaders', id, 'leadership_proposed', jsonb_build_object('contact_count', contact_count), \(at)
                FROM cases_proposed
            )
            SELECT count(*) AS n FROM cases_proposed
            """).first!.decode("n", as: Int.self)
    }
}

extension SweepThresholds {
    /// The per-kind warning days as two parallel arrays, for `unnest` in SQL.
    var warningKinds: PostgresTextArray { PostgresTextArray(ClockKind.allCases.map(\.rawValue)) }
    var warningDays: PostgresTextArray { PostgresTextArray(ClockKind.allCases.map { warnThrough[$0]!.description }) }
}
