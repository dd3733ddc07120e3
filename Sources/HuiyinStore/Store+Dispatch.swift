import Foundation
import HuiyinCore
import Postgres

/// A dispatch as its lists and page show it. A sealed lead's summary is shown only to the two units at
/// work on it (the village that sent it and the federation that received it).
public struct DispatchRecord: Sendable, Equatable {
    public let id: Int64
    public let leadID: Int64
    public let leadKind: String
    public let riskGrade: RiskGrade?
    public let sealed: Bool
    public let summary: String?
    public let fromUnitID: Int64
    public let fromUnitName: String
    public let toUnitID: Int64
    public let toUnitName: String
    public let state: DispatchState
    public let note: String?
    public let dispatchedAt: Date
    public let signDueOn: LocalDate
    public let signedAt: Date?
    public let objectionReason: String?
    /// Working days to the signing day while it awaits a signature (negative when late), else nil.
    public var daysLeft: Int?
}

/// One progress note of a mediation.
public struct MediationNote: Sendable, Equatable {
    public let note: String
    public let recordedBy: Int64
    public let recordedAt: Date
}

/// A recorded mediation outcome.
public struct MediationOutcomeRecord: Sendable, Equatable {
    public let outcome: MediationOutcome
    public let recordedBy: Int64
    public let recordedAt: Date
}

public struct DispatchPage: Sendable, Equatable {
    public let dispatch: DispatchRecord
    public let notes: [MediationNote]
    public let outcome: MediationOutcomeRecord?
}

/// Which dispatches a list shows: those awaiting her unit's signature, or every one in her scope.
public enum DispatchListView: String, Sendable, CaseIterable {
    case toSign = "to_sign", mine
}

/// One receiving unit's dispatch counts over a period.
public struct DispatchFigures: Sendable, Equatable {
    public let unitID: Int64
    public let unitName: String
    public let dispatched: Int
    public let signedOnTime: Int
    public let signedLate: Int
    public let objected: Int
    public let settled: Int
    public let notSettled: Int
    public let referred: Int
    public let open: Int
}

/// Who may see which dispatch, as SQL over `v` (the viewer), `fu` (the village that sent it) and
/// `tu` (the federation that received it): the units along either path.
enum DispatchScope {
    static let inScope = "(tu.path @> ARRAY[v.unit_id] OR fu.path @> ARRAY[v.unit_id])"
    /// The sealed summary opens to the two units at work on it.
    static let opened = "(NOT l.sealed OR v.unit_id IN (d.from_unit_id, d.to_unit_id))"
}

extension Store {
    /// Dispatches (派单) a medium- or high-risk lead of her village to the township or county federation
    /// above it, in its own transaction; returns the dispatch's id, nil when the lead is not hers to
    /// see (404).
    /// A retried request with the same `Idempotency-Key` gets the first answer back.
    public func dispatchLead(toUnitID: Int64, leadID: Int64, by user: StaffUser, note: String?, mediationBodyID: Int64? = nil,
                             idempotency: IdempotencyKey? = nil) throws -> Int64? {
        try pool.withConnection { db in
            try idempotent(db, idempotency) { tx in
                try dispatchLead(tx, toUnitID: toUnitID, leadID: leadID, by: user, note: note, mediationBodyID: mediationBodyID, at: now())
            }.0
        }
    }

    /// The same inside the caller's transaction (the women's council's "dispatch" decision).
    func dispatchLead(_ tx: PostgresConnection, toUnitID: Int64, leadID: Int64, by user: StaffUser, note: String?,
                      mediationBodyID: Int64? = nil, at: Date) throws -> Int64? {
        var problems: [FieldError] = []
        let note = GrassrootsText.clean(note, "note", &problems)
        guard let lead = try lockLead(tx, leadID, for: user) else { return nil }
        guard lead.isVillageStaff else { throw Forbidden(message: "only the lead's village dispatches it") }
        guard lead.status == "open" || lead.status == "mediating" else {
            throw InvalidTransition(message: "a lead that is \(lead.status) cannot be dispatched")
        }
        if !(lead.risk.map(\.isDispatchable) ?? false) {
            problems.append(FieldError("risk_grade", "only medium- or high-risk disputes are dispatched; this lead is \(lead.risk?.rawValue ?? "not graded")"))
        }
        if try tx.query("""
            SELECT 1 AS ok FROM units t JOIN units village ON village.id = \(lead.villageID)
            WHERE t.id = \(toUnitID) AND t.level IN ('township', 'county') AND village.path @> ARRAY[t.id]
            """).isEmpty {
            problems.append(FieldError("unit_id", "must be the township or county federation above the lead's village"))
        }
        if let mediationBodyID, let problem = try Self.mediationBodyProblem(tx, mediationBodyID) {
            problems.append(problem)
        }
        guard problems.isEmpty else { throw ValidationFailure(problems) }
        let today = LocalDate(at, in: timeZone)
        let signBy = try grassrootsDueDay(from: today, limit: rules.grassroots.dispatchSignWithin)
        let id = try tx.query("SELECT nextval('lead_dispatches_id_seq') AS id").first!.decode("id", as: Int64.self)
        let dueID = try Self.openDue(tx, kind: .dispatchSign, unitID: toUnitID, leadID: leadID, dueOn: signBy,
                                     detail: ["dispatch_id": id], at: at)
        try tx.execute("""
            INSERT INTO lead_dispatches (id, lead_id, from_unit_id, to_unit_id, note, dispatched_by, dispatched_at,
                                         dispatched_on, sign_due_on, due_id, mediation_body_id)
            VALUES (\(id), \(leadID), \(lead.villageID), \(toUnitID), \(note), \(user.id), \(at), \(today), \(signBy), \(dueID),
                    \(mediationBodyID))
            """)
        try tx.execute("UPDATE leads SET status = 'dispatched', updated_at = \(at) WHERE id = \(leadID)")
        try Self.meetDues(tx, kind: .deliberation, leadID: leadID, at: at)   // sending it up is the council's decision
        try tx.execute("""
            INSERT INTO notifications (unit_id, audience, lead_id, kind, detail, created_at)
            VALUES (\(toUnitID), 'handlers', \(leadID), 'dispatch_received', jsonb_build_object('dispatch_id', \(id)), \(at))
            """)
        return id
    }

    /// The receiving federation signs for a dispatch; false when it is not hers to see (404).
    public func signDispatch(id: Int64, by user: StaffUser) throws -> Bool {
        let at = now()
        return try pool.withConnection { db in
            try db.transaction { tx -> Bool in
                guard let dispatch = try lockDispatch(tx, id, for: user, receiving: true) else { return false }
                guard dispatch.state == .awaitingSign else {
                    throw InvalidTransition(message: "a dispatch that is \(dispatch.state.rawValue) cannot be signed for")
                }
                try tx.execute("""
                    UPDATE lead_dispatches SET state = 'signed', signed_by = \(user.id), signed_at = \(at),
                           signed_on = \(LocalDate(at, in: timeZone)) WHERE id = \(id)
                    """)
                try tx.execute("UPDATE grassroots_dues SET met_at = \(at) WHERE id = \(dispatch.dueID) AND met_at IS NULL")
                return true
            }
        }
    }

    /// The receiving federation objects with a reason: the lead goes back to its village (open again),
    /// which may dispatch it again or elsewhere. False when it is not hers to see (404).
    public func objectToDispatch(id: Int64, reason: String?, by user: StaffUser) throws -> Bool {
        let at = now()
        var problems: [FieldError] = []
        let reason = GrassrootsText.clean(reason, "reason", &problems, required: true)
        return try pool.withConnection { db in
            try db.transaction { tx -> Bool in
                guard let dispatch = try lockDispatch(tx, id, for: user, receiving: true) else { return false }
                guard problems.isEmpty else { throw ValidationFailure(problems) }
                guard dispatch.state == .awaitingSign else {
                    throw InvalidTransition(message: "a dispatch that is \(dispatch.state.rawValue) cannot be objected to")
                }
                try tx.execute("""
                    UPDATE lead_dispatches SET state = 'objected', objected_by = \(user.id), objected_at = \(at),
                           objection_reason = \(reason) WHERE id = \(id)
                    """)
                try tx.execute("UPDATE grassroots_dues SET met_at = \(at) WHERE id = \(dispatch.dueID) AND met_at IS NULL")
                try tx.execute("UPDATE leads SET status = 'open', updated_at = \(at) WHERE id = \(dispatch.leadID)")
                try backToTheCouncil(tx, leadID: dispatch.leadID, villageID: dispatch.fromUnitID, at: at)
                try tx.execute("""
                    INSERT INTO notifications (unit_id, audience, lead_id, kind, detail, created_at)
                    VALUES (\(dispatch.fromUnitID), 'handlers', \(dispatch.leadID), 'dispatch_objected',
                            jsonb_build_object('dispatch_id', \(id), 'by_unit_id', \(dispatch.toUnitID)), \(at))
                    """)
                return true
            }
        }
    }

    /// A progress note of the receiving federation's mediation (after signing, before the outcome).
    public func addDispatchNote(id: Int64, note: String?, by user: StaffUser) throws -> Bool {
        let at = now()
        var problems: [FieldError] = []
        let note = GrassrootsText.clean(note, "note", &problems, required: true)
        return try pool.withConnection { db in
            try db.transaction { tx -> Bool in
                guard let dispatch = try lockDispatch(tx, id, for: user, receiving: true) else { return false }
                guard problems.isEmpty, let note else { throw ValidationFailure(problems) }
                guard dispatch.state == .signed else {
                    throw InvalidTransition(message: "progress is recorded on a signed dispatch still under mediation")
                }
                try tx.execute("""
                    INSERT INTO mediation_notes (lead_id, dispatch_id, note, recorded_by, recorded_at)
                    VALUES (\(dispatch.leadID), \(id), \(note), \(user.id), \(at))
                    """)
                return true
            }
        }
    }

    /// The receiving federation's outcome of a signed dispatch: settled (followed up from now on), not
    /// settled (back to the village, with what next) or referred on. False when not hers to see (404).
    public func recordDispatchOutcome(id: Int64, _ outcome: MediationOutcome, by user: StaffUser) throws -> Bool {
        let at = now()
        return try pool.withConnection { db in
            try db.transaction { tx -> Bool in
                guard let dispatch = try lockDispatch(tx, id, for: user, receiving: true) else { return false }
                guard dispatch.state == .signed else {
                    throw InvalidTransition(message: "an outcome is recorded once, on a signed dispatch")
                }
                _ = try tx.query("SELECT 1 AS x FROM leads WHERE id = \(dispatch.leadID) FOR UPDATE")
                try tx.execute("UPDATE lead_dispatches SET state = \(outcome.result.rawValue) WHERE id = \(id)")
                try recordOutcome(tx, leadID: dispatch.leadID, villageID: dispatch.fromUnitID, dispatchID: id,
                                  unitID: dispatch.toUnitID, outcome, by: user, at: at)
                return true
            }
        }
    }

    /// The outcome of a mediation held in the village (a lead the council decided to mediate here).
    public func recordMediationOutcome(leadID: Int64, _ outcome: MediationOutcome, by user: StaffUser) throws -> Bool {
        let at = now()
        return try pool.withConnection { db in
            try db.transaction { tx -> Bool in
                guard let lead = try lockLead(tx, leadID, for: user) else { return false }
                guard lead.isVillageStaff else { throw Forbidden(message: "only the lead's village records its mediation") }
                guard lead.status == "mediating" else {
                    throw InvalidTransition(message: "a lead that is \(lead.status) is not being mediated in the village")
                }
                try recordOutcome(tx, leadID: leadID, villageID: lead.villageID, dispatchID: nil, unitID: lead.villageID,
                                  outcome, by: user, at: at)
                return true
            }
        }
    }

    /// One shape for both paths: the outcome row, the lead's status, and when settled the follow-up dues.
    private func recordOutcome(_ tx: PostgresConnection, leadID: Int64, villageID: Int64, dispatchID: Int64?, unitID: Int64,
                               _ outcome: MediationOutcome, by user: StaffUser, at: Date) throws {
        let today = LocalDate(at, in: timeZone)
        try tx.execute("""
            INSERT INTO mediation_outcomes (lead_id, dispatch_id, unit_id, outcome, next_step, referred_to, note,
                                            recorded_by, recorded_at, settled_on)
            VALUES (\(leadID), \(dispatchID), \(unitID), \(outcome.result.rawValue), \(outcome.nextStep), \(outcome.referredTo),
                    \(outcome.note), \(user.id), \(at), \(today))
            """)
        let status: String
        switch outcome.result {
        case .settled:
            status = "settled"
            try scheduleFollowUps(tx, leadID: leadID, villageID: villageID, settledOn: today, at: at)
        case .notSettled:
            status = "open"   // back on the village council's agenda, with what next written down
            try backToTheCouncil(tx, leadID: leadID, villageID: villageID, at: at)
            try tx.execute("""
                INSERT INTO notifications (unit_id, audience, lead_id, kind, detail, created_at)
                VALUES (\(villageID), 'handlers', \(leadID), 'mediation_not_settled', jsonb_build_object('by_unit_id', \(unitID)), \(at))
                """)
        case .referred:
            status = "referred"
        }
        try tx.execute("UPDATE leads SET status = \(status), updated_at = \(at) WHERE id = \(leadID)")
    }

    /// Dispatches in her scope: those awaiting her unit's signature, or all (sent or received), newest first.
    public func dispatches(_ view: DispatchListView, for user: StaffUser, limit: Int = 200) throws -> [DispatchRecord] {
        try pool.withConnection { db in
            try db.query("""
                WITH \(viewer: user)
                \(unescaped: Self.dispatchSelect)
                WHERE \(unescaped: DispatchScope.inScope)
                  AND (\(view.rawValue) = 'mine' OR (d.state = 'awaiting_sign' AND d.to_unit_id = v.unit_id))
                ORDER BY CASE WHEN d.state = 'awaiting_sign' THEN d.sign_due_on END NULLS LAST, d.id DESC
                LIMIT \(limit)
                """).rows.map(Self.dispatchRecord).map(withDaysLeft)
        }
    }

    /// One dispatch with its progress notes and outcome; nil when not hers to see.
    public func dispatchPage(id: Int64, for user: StaffUser) throws -> DispatchPage? {
        try pool.withConnection { db in
            guard let row = try db.query("""
                WITH \(viewer: user)
                \(unescaped: Self.dispatchSelect)
                WHERE d.id = \(id) AND \(unescaped: DispatchScope.inScope)
                """).first else { return nil }
            let notes = try db.query("""
                SELECT note, recorded_by, recorded_at FROM mediation_notes WHERE dispatch_id = \(id) ORDER BY id
                """).rows.map {
                MediationNote(note: try $0.decode("note"), recordedBy: try $0.decode("recorded_by"), recordedAt: try $0.decode("recorded_at"))
            }
            let outcome = try db.query("""
                SELECT outcome, next_step, referred_to, note, recorded_by, recorded_at FROM mediation_outcomes
                WHERE dispatch_id = \(id) ORDER BY id DESC LIMIT 1
                """).first.map(Self.outcomeRecord)
            return DispatchPage(dispatch: try withDaysLeft(try Self.dispatchRecord(row)), notes: notes, outcome: outcome)
        }
    }

    /// Per receiving unit in her scope, the dispatches sent in `from...to` and how they went.
    public func dispatchFigures(from: LocalDate, to: LocalDate, for user: StaffUser) throws -> [DispatchFigures] {
        try pool.withConnection { db in
            try db.query("""
                WITH \(viewer: user)
                SELECT tu.id, tu.name,
                       count(*) AS dispatched,
                       count(*) FILTER (WHERE d.signed_on <= d.sign_due_on) AS signed_on_time,
                       count(*) FILTER (WHERE d.signed_on > d.sign_due_on) AS signed_late,
                       count(*) FILTER (WHERE d.state = 'objected') AS objected,
                       count(*) FILTER (WHERE d.state = 'settled') AS settled,
                       count(*) FILTER (WHERE d.state = 'not_settled') AS not_settled,
                       count(*) FILTER (WHERE d.state = 'referred') AS referred,
                       count(*) FILTER (WHERE d.state IN ('awaiting_sign', 'signed')) AS open
                FROM lead_dispatches d JOIN units tu ON tu.id = d.to_unit_id, v
                WHERE tu.path @> ARRAY[v.unit_id] AND d.dispatched_on BETWEEN \(from) AND \(to)
                GROUP BY tu.id, tu.name ORDER BY tu.name, tu.id
                """).rows.map {
                DispatchFigures(unitID: try $0.decode("id"), unitName: try $0.decode("name"),
                                dispatched: try $0.decode("dispatched"), signedOnTime: try $0.decode("signed_on_time"),
                                signedLate: try $0.decode("signed_late"), objected: try $0.decode("objected"),
                                settled: try $0.decode("settled"), notSettled: try $0.decode("not_settled"),
                                referred: try $0.decode("referred"), open: try $0.decode("open"))
            }
        }
    }

    // MARK: - Shared pieces

    private func withDaysLeft(_ record: DispatchRecord) throws -> DispatchRecord {
        var record = record
        if record.state == .awaitingSign { record.daysLeft = try workingDaysLeft(until: record.signDueOn) }
        return record
    }

    static let dispatchSelect = """
        SELECT d.id, d.lead_id, l.kind, l.risk_grade, l.sealed,
               CASE WHEN \(DispatchScope.opened) THEN l.summary END AS summary,
               d.from_unit_id, fu.name AS from_name, d.to_unit_id, tu.name AS to_name, d.state, d.note,
               d.dispatched_at, d.sign_due_on, d.signed_at, d.objection_reason
        FROM lead_dispatches d JOIN leads l ON l.id = d.lead_id
             JOIN units fu ON fu.id = d.from_unit_id JOIN units tu ON tu.id = d.to_unit_id, v
        """

    static func dispatchRecord(_ row: PostgresRow) throws -> DispatchRecord {
        DispatchRecord(
            id: try row.decode("id"), leadID: try row.decode("lead_id"), leadKind: try row.decode("kind"),
            riskGrade: try row.decode("risk_grade", as: String?.self).flatMap(RiskGrade.init(rawValue:)),
            sealed: try row.decode("sealed"), summary: try row.decode("summary"),
            fromUnitID: try row.decode("from_unit_id"), fromUnitName: try row.decode("from_name"),
            toUnitID: try row.decode("to_unit_id"), toUnitName: try row.decode("to_name"),
            state: DispatchState(rawValue: try row.decode("state")) ?? .awaitingSign, note: try row.decode("note"),
            dispatchedAt: try row.decode("dispatched_at"), signDueOn: try row.decode("sign_due_on"),
            signedAt: try row.decode("signed_at"), objectionReason: try row.decode("objection_reason"), daysLeft: nil)
    }

    static func outcomeRecord(_ row: PostgresRow) throws -> MediationOutcomeRecord {
        MediationOutcomeRecord(
            outcome: MediationOutcome(result: MediationResult(rawValue: try row.decode("outcome")) ?? .settled,
                                      nextStep: try row.decode("next_step"), referredTo: try row.decode("referred_to"),
                                      note: try row.decode("note")),
            recordedBy: try row.decode("recorded_by"), recordedAt: try row.decode("recorded_at"))
    }

    /// A lead locked for a change, if she may see it: she works at its village or above, or in its grid.
    struct LockedLead {
        let villageID: Int64
        let gridID: Int64
        let status: String
        let risk: RiskGrade?
        /// She works at the lead's village (its chair, its council), not in a grid.
        let isVillageStaff: Bool
        /// She works in the lead's grid (grid worker, information officer).
        let isGridStaff: Bool
    }

    func lockLead(_ tx: PostgresConnection, _ leadID: Int64, for user: StaffUser) throws -> LockedLead? {
        guard let row = try tx.query("""
            WITH \(viewer: user)
            SELECT l.village_id, l.grid_id, l.status, l.risk_grade,
                   EXISTS (SELECT 1 FROM staff_grids sg WHERE sg.user_id = v.id AND sg.grid_id = l.grid_id) AS in_grid
            FROM leads l JOIN units vu ON vu.id = l.village_id, v
            WHERE l.id = \(leadID)
              AND (CASE WHEN v.role IN ('grid_worker', 'information_officer')
                        THEN EXISTS (SELECT 1 FROM staff_grids sg WHERE sg.user_id = v.id AND sg.grid_id = l.grid_id)
                        ELSE vu.path @> ARRAY[v.unit_id] END)
            FOR UPDATE OF l
            """).first else { return nil }
        let villageID = try row.decode("village_id", as: Int64.self)
        return LockedLead(villageID: villageID, gridID: try row.decode("grid_id"), status: try row.decode("status"),
                          risk: try row.decode("risk_grade", as: String?.self).flatMap(RiskGrade.init(rawValue:)),
                          isVillageStaff: user.unitID == villageID && !user.role.worksInGrids,
                          isGridStaff: try row.decode("in_grid"))
    }

    struct LockedDispatch {
        let leadID: Int64
        let fromUnitID: Int64
        let toUnitID: Int64
        let dueID: Int64
        let state: DispatchState
    }

    /// A dispatch locked for the receiving federation's step; nil when she may not see it, Forbidden
    /// when she sees it but does not work at the receiving unit.
    func lockDispatch(_ tx: PostgresConnection, _ id: Int64, for user: StaffUser, receiving: Bool) throws -> LockedDispatch? {
        guard let row = try tx.query("""
            WITH \(viewer: user)
            SELECT d.lead_id, d.from_unit_id, d.to_unit_id, d.due_id, d.state
            FROM lead_dispatches d JOIN units fu ON fu.id = d.from_unit_id JOIN units tu ON tu.id = d.to_unit_id, v
            WHERE d.id = \(id) AND \(unescaped: DispatchScope.inScope)
            FOR UPDATE OF d
            """).first else { return nil }
        let dispatch = LockedDispatch(leadID: try row.decode("lead_id"), fromUnitID: try row.decode("from_unit_id"),
                                      toUnitID: try row.decode("to_unit_id"), dueID: try row.decode("due_id"),
                                      state: DispatchState(rawValue: try row.decode("state")) ?? .awaitingSign)
        if receiving, user.unitID != dispatch.toUnitID || user.role.worksInGrids {
            throw Forbidden(message: "only the receiving federation acts on a dispatch")
        }
        return dispatch
    }
}
