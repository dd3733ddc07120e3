import Foundation
import HuiyinCore
import Postgres

extension Store {
    /// The monthly visit cycle's part of a sweep; returns how many notifications it sent.
    /// * Opens this month's counters if nobody has yet (once a month).
    /// * From the warning day (the due day minus the lead time) through the due day: one warning to the
    ///   workers of each grid with households not yet visited this month (`visits_due_soon`, with the count).
    /// * Once a month's due day has passed: one notice to the village (its handlers and its supervisors —
    ///   the chair works at the village) listing its late grids and counts, and one to the township's
    ///   supervisors listing its late villages (`visits_overdue`).
    /// Each grid's counter row is flagged in the same statement that steps and notifies (`warned`,
    /// `overdue_told`), and each unit's step row is unique per month: any number of instances may sweep at
    /// once and each is told once; a sweep with nothing to do reads two empty partial indexes. An instance that
    /// finds another one in the middle of the same statement (a transaction advisory lock) leaves it the work,
    /// rather than queueing on the same rows in another order.
    func sweepVisits(_ db: PostgresConnection, at: Date) throws -> Int {
        let schedule = VisitSchedule(today: LocalDate(at, in: timeZone), rules: rules)
        try openVisitMonth(schedule.month, on: db)
        var sent = 0
        if schedule.warns {
            let warned = try db.query("""
                WITH gate AS (SELECT pg_try_advisory_xact_lock(\(Self.visitSweepLock)) AS mine), flagged AS (
                    UPDATE visit_grid_months SET warned = true
                    WHERE (SELECT mine FROM gate) AND NOT warned AND month = \(schedule.month.firstDay)
                    RETURNING grid_id, month, due - done AS outstanding
                ), stepped AS (
                    INSERT INTO visit_steps (unit_id, month, step, at)
                    SELECT grid_id, month, 'warning', \(at) FROM flagged WHERE outstanding > 0
                    ON CONFLICT DO NOTHING
                    RETURNING unit_id
                ), told AS (
                    INSERT INTO notifications (unit_id, audience, kind, detail, created_at)
                    SELECT f.grid_id, 'handlers', 'visits_due_soon',
                           jsonb_build_object('month', to_char(f.month, 'YYYY-MM'), 'due_on', \(schedule.dueOn.description),
                                              'outstanding', f.outstanding), \(at)
                    FROM stepped s JOIN flagged f ON f.grid_id = s.unit_id
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM told) AS n, (SELECT count(*) FROM flagged) AS flagged
                """).first!
            sent += try warned.decode("n", as: Int.self)
            if try warned.decode("flagged", as: Int.self) > 0 {
                try forgetFlagged(db, "SELECT count(*) AS n FROM visit_grid_months WHERE NOT warned AND month = \(schedule.month.firstDay)")
            }
        }
        // Months through `overdueThrough` whose grids have not been looked at yet (normally none).
        let told = try db.query("""
            WITH gate AS (SELECT pg_try_advisory_xact_lock(\(Self.visitSweepLock)) AS mine), flagged AS (
                UPDATE visit_grid_months SET overdue_told = true
                WHERE (SELECT mine FROM gate) AND NOT overdue_told AND month <= \(schedule.overdueThrough.firstDay)
                RETURNING grid_id, month, due - done AS outstanding, path
            ), late AS (
                SELECT grid_id, month, outstanding,
                       path[array_length(path, 1) - 1] AS village_id, path[array_length(path, 1) - 2] AS township_id,
                       (month + (\(rules.grassroots.visitDueDay)::int - 1)) AS due_on
                FROM flagged WHERE outstanding > 0 AND array_length(path, 1) >= 3
            ), villages AS (
                INSERT INTO visit_steps (unit_id, month, step, at)
                SELECT DISTINCT village_id, month, 'overdue_village', \(at) FROM late
                ON CONFLICT DO NOTHING
                RETURNING unit_id, month
            ), townships AS (
                INSERT INTO visit_steps (unit_id, month, step, at)
                SELECT DISTINCT township_id, month, 'overdue_township', \(at) FROM late
                ON CONFLICT DO NOTHING
                RETURNING unit_id, month
            ), to_villages AS (
                INSERT INTO notifications (unit_id, audience, kind, detail, created_at)
                SELECT s.unit_id, a.audience, 'visits_overdue',
                       jsonb_build_object('month', to_char(s.month, 'YYYY-MM'), 'due_on', min(l.due_on),
                                          'outstanding', sum(l.outstanding),
                                          'grids', jsonb_agg(jsonb_build_object('grid_id', l.grid_id, 'outstanding', l.outstanding)
                                                             ORDER BY l.grid_id)), \(at)
                FROM villages s JOIN late l ON l.village_id = s.unit_id AND l.month = s.month
                CROSS JOIN (VALUES ('handlers'), ('supervisors')) AS a (audience)
                GROUP BY s.unit_id, s.month, a.audience
                RETURNING 1
            ), by_village AS (
                SELECT township_id, village_id, month, min(due_on) AS due_on, sum(outstanding) AS outstanding
                FROM late GROUP BY township_id, village_id, month
            ), to_townships AS (
                INSERT INTO notifications (unit_id, audience, kind, detail, created_at)
                SELECT s.unit_id, 'supervisors', 'visits_overdue',
                       jsonb_build_object('month', to_char(s.month, 'YYYY-MM'), 'due_on', min(b.due_on),
                                          'outstanding', sum(b.outstanding),
                                          'villages', jsonb_agg(jsonb_build_object('village_id', b.village_id, 'outstanding', b.outstanding)
                                                                ORDER BY b.village_id)), \(at)
                FROM townships s JOIN by_village b ON b.township_id = s.unit_id AND b.month = s.month
                GROUP BY s.unit_id, s.month
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM to_villages) + (SELECT count(*) FROM to_townships) AS n, (SELECT count(*) FROM flagged) AS flagged
            """).first!
        sent += try told.decode("n", as: Int.self)
        if try told.decode("flagged", as: Int.self) > 0 {
            try forgetFlagged(db, "SELECT count(*) AS n FROM visit_grid_months WHERE NOT overdue_told AND month <= \(schedule.overdueThrough.firstDay)")
        }
        return sent
    }

    /// The rows a step just flagged left their old versions in the partial index; one plain index scan over it
    /// now (the sweep runs with bitmap scans off) marks those entries dead, so the next sweep, with nothing to
    /// do, reads an index that is empty in effect instead of visiting every flagged row's heap page again.
    private func forgetFlagged(_ db: PostgresConnection, _ query: PostgresQuery) throws {
        _ = try db.query(query)
    }

    /// The advisory lock the visit steps take for their statement.
    static let visitSweepLock: Int64 = 0x6875_6979_0013
}
