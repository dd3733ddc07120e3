import Foundation
import HuiyinCore
import Postgres

/// A follow-up due of a settled dispute, as the village's list shows it.
public struct FollowUpDueItem: Sendable, Equatable {
    public let dueID: Int64
    public let leadID: Int64
    public let leadKind: String
    public let sealed: Bool
    /// Nil when the lead is sealed to her.
    public let summary: String?
    public let riskGrade: RiskGrade?
    public let round: Int
    public let number: Int
    public let dueOn: LocalDate
    public let overdue: Bool
}

/// A recorded follow-up.
public struct FollowUpRecord: Sendable, Equatable {
    public let id: Int64
    public let followUp: FollowUp
    public let dueOn: LocalDate
    public let recordedBy: Int64
    public let recordedAt: Date
}

extension Store {
    /// The follow-up dues of a settled dispute, one per rule-set interval counted from the day it was
    /// settled on the working calendar, owed by the village; numbered by settlement round.
    func scheduleFollowUps(_ tx: PostgresConnection, leadID: Int64, villageID: Int64, settledOn: LocalDate, at: Date) throws {
        let round = try tx.query("""
            SELECT count(*) AS n FROM mediation_outcomes WHERE lead_id = \(leadID) AND outcome = 'settled'
            """).first!.decode("n", as: Int64.self)
        for (index, limit) in rules.grassroots.followUps.enumerated() {
            try Self.openDue(tx, kind: .followUp, unitID: villageID, leadID: leadID,
                             dueOn: try grassrootsDueDay(from: settledOn, limit: limit),
                             detail: ["round": round, "number": Int64(index + 1)], at: at)
        }
    }

    /// Records a follow-up of a settled dispute and meets its earliest open follow-up due. A recurrence
    /// reopens the lead for the village council (a new deliberation due), raises its risk one grade and
    /// closes the round's remaining follow-ups. Returns the record's id; nil when the lead is not hers to
    /// see (404).
    /// A retried request with the same `Idempotency-Key` gets the first answer back and records nothing more.
    public func recordFollowUp(leadID: Int64, _ followUp: FollowUp, by user: StaffUser,
                               idempotency: IdempotencyKey? = nil) throws -> Int64? {
        let at = now()
        return try pool.withConnection { db in
            try idempotent(db, idempotency) { tx -> Int64? in
                guard let lead = try lockLead(tx, leadID, for: user) else { return nil }
                guard lead.isVillageStaff || lead.isGridStaff else {
                    throw Forbidden(message: "a follow-up is recorded by the lead's village or its grid's staff")
                }
                guard lead.status == "settled", let due = try tx.query("""
                    SELECT d.id, (SELECT max(settled_on) FROM mediation_outcomes o WHERE o.lead_id = d.lead_id) AS settled_on
                    FROM grassroots_dues d
                    WHERE d.lead_id = \(leadID) AND d.kind = 'follow_up' AND d.met_at IS NULL
                    ORDER BY d.due_on, d.id LIMIT 1 FOR UPDATE OF d
                    """).first else {
                    throw InvalidTransition(code: "no_follow_up_due", message: "this lead has no follow-up due (it is \(lead.status))")
                }
                if let settledOn = try due.decode("settled_on", as: LocalDate?.self), followUp.madeOn < settledOn {
                    throw ValidationFailure([FieldError("made_on", "must not be before the dispute was settled (\(settledOn))")])
                }
                // The same day twice in one round is a retry without its key, not a second follow-up.
                if try !tx.query("""
                    SELECT 1 AS x FROM lead_follow_ups f
                    WHERE f.lead_id = \(leadID) AND f.made_on = \(followUp.madeOn)
                      AND f.recorded_at >= (SELECT max(recorded_at) FROM mediation_outcomes
                                            WHERE lead_id = \(leadID) AND outcome = 'settled')
                    """).isEmpty {
                    throw InvalidTransition(code: "follow_up_already_recorded",
                                            message: "a follow-up of this lead on \(followUp.madeOn) is already recorded")
                }
                let dueID = try due.decode("id", as: Int64.self)
                try tx.execute("UPDATE grassroots_dues SET met_at = \(at) WHERE id = \(dueID)")
                let id = try tx.query("""
                    INSERT INTO lead_follow_ups (lead_id, due_id, made_on, method, result, notes, recorded_by, recorded_at)
                    VALUES (\(leadID), \(dueID), \(followUp.madeOn), \(followUp.method.rawValue), \(followUp.result.rawValue),
                            \(followUp.notes), \(user.id), \(at))
                    RETURNING id
                    """).first!.decode("id", as: Int64.self)
                if followUp.result == .recurred {
                    let raised = (lead.risk ?? .low).raised
                    try tx.execute("""
                        UPDATE leads SET status = 'open', risk_grade = \(raised.rawValue), updated_at = \(at) WHERE id = \(leadID)
                        """)
                    try Self.meetDues(tx, kind: .followUp, leadID: leadID, at: at)
                    try backToTheCouncil(tx, leadID: leadID, villageID: lead.villageID, at: at)
                    try tx.execute("""
                        INSERT INTO notifications (unit_id, audience, lead_id, kind, detail, created_at)
                        VALUES (\(lead.villageID), 'handlers', \(leadID), 'dispute_recurred',
                                jsonb_build_object('risk_grade', \(raised.rawValue)::text), \(at))
                        """)
                }
                return id
            }.0
        }
    }

    /// A lead back on the village council's agenda (recurred, objected to, not settled) is deliberated
    /// again within the rule set's days, a due the sweep watches like the first.
    func backToTheCouncil(_ tx: PostgresConnection, leadID: Int64, villageID: Int64, at: Date) throws {
        try Self.openDue(tx, kind: .deliberation, unitID: villageID, leadID: leadID,
                         dueOn: try grassrootsDueDay(from: LocalDate(at, in: timeZone), limit: rules.grassroots.deliberationWithin),
                         at: at)
    }

    /// The follow-ups recorded for a lead she may see, oldest first; nil when not hers to see.
    public func followUps(leadID: Int64, for user: StaffUser) throws -> [FollowUpRecord]? {
        try pool.withConnection { db in
            try db.transaction { tx -> [FollowUpRecord]? in
                guard try lockLead(tx, leadID, for: user) != nil else { return nil }
                return try tx.query("""
                    SELECT f.id, f.made_on, f.method, f.result, f.notes, f.recorded_by, f.recorded_at, d.due_on
                    FROM lead_follow_ups f JOIN grassroots_dues d ON d.id = f.due_id
                    WHERE f.lead_id = \(leadID) ORDER BY f.id
                    """).rows.map {
                    FollowUpRecord(id: try $0.decode("id"),
                                   followUp: FollowUp(madeOn: try $0.decode("made_on"),
                                                      method: FollowUpMethod(rawValue: try $0.decode("method")) ?? .visit,
                                                      result: FollowUpResult(rawValue: try $0.decode("result")) ?? .calm,
                                                      notes: try $0.decode("notes")),
                                   dueOn: try $0.decode("due_on"), recordedBy: try $0.decode("recorded_by"),
                                   recordedAt: try $0.decode("recorded_at"))
                }
            }
        }
    }

    /// The open follow-up dues of the villages in her scope (or her grids' leads), nearest first.
    public func followUpsDue(for user: StaffUser, limit: Int = 200) throws -> [FollowUpDueItem] {
        try pool.withConnection { db in
            try db.query("""
                WITH \(viewer: user)
                SELECT d.id, d.lead_id, l.kind, l.sealed, l.risk_grade, d.due_on,
                       CASE WHEN NOT l.sealed OR v.unit_id = l.village_id
                                 OR EXISTS (SELECT 1 FROM staff_grids sg WHERE sg.user_id = v.id AND sg.grid_id = l.grid_id)
                            THEN l.summary END AS summary,
                       coalesce((d.detail ->> 'round')::int, 1) AS round, coalesce((d.detail ->> 'number')::int, 1) AS number,
                       EXISTS (SELECT 1 FROM grassroots_due_steps s WHERE s.due_id = d.id AND s.step = 'overdue') AS overdue
                FROM grassroots_dues d JOIN leads l ON l.id = d.lead_id JOIN units vu ON vu.id = l.village_id, v
                WHERE d.kind = 'follow_up' AND d.met_at IS NULL
                  AND (CASE WHEN v.role IN ('grid_worker', 'information_officer')
                            THEN EXISTS (SELECT 1 FROM staff_grids sg WHERE sg.user_id = v.id AND sg.grid_id = l.grid_id)
                            ELSE vu.path @> ARRAY[v.unit_id] END)
                ORDER BY d.due_on, d.id LIMIT \(limit)
                """).rows.map {
                FollowUpDueItem(dueID: try $0.decode("id"), leadID: try $0.decode("lead_id"), leadKind: try $0.decode("kind"),
                                sealed: try $0.decode("sealed"), summary: try $0.decode("summary"),
                                riskGrade: try $0.decode("risk_grade", as: String?.self).flatMap(RiskGrade.init(rawValue:)),
                                round: try $0.decode("round"), number: try $0.decode("number"),
                                dueOn: try $0.decode("due_on"), overdue: try $0.decode("overdue"))
            }
        }
    }

    /// Writes the rule set's quarrel rule where the leads trigger reads it (at server start).
    public func publishQuarrelRule() throws {
        let window: String
        switch rules.grassroots.quarrelWindow {
        case .days(let n), .workingDays(let n): window = "\(n) days"   // working days read as days: a window, not a deadline
        case .months(let n): window = "\(n) months"
        }
        try pool.withConnection { db in
            try db.execute("""
                UPDATE grassroots_quarrel_rule SET quarrel_window = \(window)::interval, window_label = \(rules.grassroots.quarrelWindow.description),
                   flag_count = \(rules.grassroots.quarrelFlagCount)
                """)
        }
    }
}
