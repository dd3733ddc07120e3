import Foundation
import HuiyinCore
import Postgres

/// The grassroots network's deadlines: one row per thing owed (`grassroots_dues`), met by the work
/// that owes it, watched by the sweep like the clocks — a warning to the owing unit before the day,
/// an escalation to the unit above once it has passed, each step once however many instances sweep.
extension Store {
    /// Opens a due inside the caller's transaction, so the work that creates it and its deadline
    /// commit together. `unitID` is the unit that owes it; returns the due's id.
    @discardableResult
    static func openDue(_ tx: PostgresConnection, kind: GrassrootsDueKind, unitID: Int64, householdID: Int64? = nil,
                        leadID: Int64? = nil, caseID: Int64? = nil, referralID: Int64? = nil, protectionOrderID: Int64? = nil, dueOn: LocalDate,
                        detail: [String: Int64] = [:], at: Date) throws -> Int64 {
        // Ids only (a dispatch, a follow-up's number): a due's detail never carries a sealed matter's text.
        let detailJSON = String(decoding: try JSONEncoder().encode(detail), as: UTF8.self)
        return try tx.query("""
            INSERT INTO grassroots_dues (kind, unit_id, household_id, lead_id, case_id, referral_id, protection_order_id, due_on, detail, created_at)
            VALUES (\(kind), \(unitID), \(householdID), \(leadID), \(caseID), \(referralID), \(protectionOrderID), \(dueOn),
                    \(detailJSON)::jsonb, \(at))
            RETURNING id
            """).first!.decode("id", as: Int64.self)
    }

    /// Marks the open dues of this kind about this lead (or household, or referral) met; returns how many.
    @discardableResult
    static func meetDues(_ tx: PostgresConnection, kind: GrassrootsDueKind, leadID: Int64? = nil, householdID: Int64? = nil,
                         referralID: Int64? = nil, protectionOrderID: Int64? = nil, at: Date) throws -> Int {
        try tx.query("""
            WITH met AS (
                UPDATE grassroots_dues SET met_at = \(at)
                WHERE kind = \(kind) AND met_at IS NULL
                  AND (\(leadID)::bigint IS NULL OR lead_id = \(leadID))
                  AND (\(householdID)::bigint IS NULL OR household_id = \(householdID))
                  AND (\(referralID)::bigint IS NULL OR referral_id = \(referralID))
                  AND (\(protectionOrderID)::bigint IS NULL OR protection_order_id = \(protectionOrderID))
                  AND (\(leadID)::bigint IS NOT NULL OR \(householdID)::bigint IS NOT NULL OR \(referralID)::bigint IS NOT NULL
                       OR \(protectionOrderID)::bigint IS NOT NULL)
                RETURNING 1
            )
            SELECT count(*) AS n FROM met
            """).first!.decode("n", as: Int.self)
    }

    /// The day a due counted from `start` falls on, on the working calendar in force.
    public func grassrootsDueDay(from start: LocalDate, limit: DeadlineLimit) throws -> LocalDate {
        DeadlineCounter(calendar: try currentCalendar()).due(from: start, limit: limit).day
    }

    /// One pass over the open dues: `due_soon` to the owing unit's handlers for dues within the
    /// warning window, `overdue` to the owing unit's handlers and the supervisors of the unit above
    /// for dues whose day has passed. A step row and its notifications are one statement, so each
    /// step happens once. Visits are left to the visit sweep, which speaks per village, not per row.
    func sweepGrassrootsDues(_ db: PostgresConnection, today: LocalDate, at: Date) throws -> (dueSoon: Int, overdue: Int) {
        let warnThrough = try grassrootsDueDay(from: today, limit: rules.grassroots.warnAhead)
        var dueSoon = try grassrootsStep(db, "due_soon", level: 1, from: today, through: warnThrough, escalate: false,
                                         protectionOrders: false, at: at)
        // A protection order is warned with its own, longer lead: time to apply for the extension.
        let orderWarnThrough = try grassrootsDueDay(from: today, limit: rules.grassroots.protectionOrderWarnBefore)
        dueSoon += try grassrootsStep(db, "due_soon", level: 1, from: today, through: orderWarnThrough, escalate: false,
                                      protectionOrders: true, at: at)
        let overdue = try grassrootsStep(db, "overdue", level: 2, from: LocalDate(year: 1970, month: 1, day: 1)!,
                                         through: today.adding(days: -1), escalate: true, protectionOrders: nil, at: at)
        return (dueSoon, overdue)
    }

    /// `level` is the step's rung: a due already at or above it is not read (the index holds dues below
    /// the last rung only); the step row's key keeps two instances from taking the same step.
    /// `protectionOrders`: only order expiries (true), all but them (false), or every kind (nil).
    private func grassrootsStep(_ db: PostgresConnection, _ step: String, level: Int32, from: LocalDate, through: LocalDate,
                                escalate: Bool, protectionOrders: Bool?, at: Date) throws -> Int {
        try db.query("""
            WITH stepped AS (
                INSERT INTO grassroots_due_steps (due_id, step, at)
                SELECT d.id, \(step), \(at) FROM grassroots_dues d
                -- the literal "< 2" lets the planner use grassroots_dues_open_idx
                WHERE d.met_at IS NULL AND d.stage < \(level) AND d.stage < 2 AND d.kind <> 'visit'
                  AND d.due_on BETWEEN \(from) AND \(through)
                  AND (\(protectionOrders)::bool IS NULL OR (d.kind = 'protection_order_expiry') = \(protectionOrders))
                ON CONFLICT DO NOTHING  -- another instance took it first
                RETURNING due_id
            ), raised AS (
                UPDATE grassroots_dues SET stage = greatest(stage, \(level)) WHERE id IN (SELECT due_id FROM stepped)
            ), due AS (
                SELECT d.id, d.kind, d.unit_id, d.household_id, d.lead_id, d.case_id, d.due_on, d.detail,
                       coalesce(u.parent_id, u.id) AS unit_above
                FROM stepped JOIN grassroots_dues d ON d.id = stepped.due_id JOIN units u ON u.id = d.unit_id
            ), to_unit AS (
                INSERT INTO notifications (unit_id, audience, household_id, lead_id, case_id, kind, detail, created_at)
                SELECT unit_id, 'handlers', household_id, lead_id, case_id, kind || '_' || \(step),
                       detail || jsonb_build_object('due_id', id, 'due_on', due_on), \(at)
                FROM due
            ), to_unit_above AS (
                INSERT INTO notifications (unit_id, audience, household_id, lead_id, case_id, kind, detail, created_at)
                SELECT unit_above, 'supervisors', household_id, lead_id, case_id, kind || '_' || \(step),
                       detail || jsonb_build_object('due_id', id, 'due_on', due_on, 'escalated_from', unit_id), \(at)
                FROM due WHERE \(escalate)
            )
            SELECT count(*) AS n FROM due
            """).first!.decode("n", as: Int.self)
    }
}
