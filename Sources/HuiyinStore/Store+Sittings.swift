import Foundation
import HuiyinCore
import Postgres

public struct SittingSummary: Sendable, Equatable {
    public let id: Int64
    public let villageID: Int64
    public let heldOn: LocalDate
    public let participants: Int
    public let decisions: Int
    public let recordedBy: Int64
    public let recordedAt: Date
}

/// One decision as read back; the free text of a decision on a lead sealed to the viewer is left out.
public struct LeadDecisionRecord: Sendable, Equatable {
    public let leadID: Int64
    public let decision: LeadDecisionKind
    public let masked: Bool
    public let mediatorKind: MediatorKind?
    public let mediatorName: String?
    public let referralKind: LeadReferralKind?
    public let referredTo: String?
    public let targetUnitID: Int64?
    public let caseID: Int64?
    public let reason: String?
    public let note: String?
    public let riskGrade: RiskGrade?
}

public struct SittingRecord: Sendable, Equatable {
    public let summary: SittingSummary
    public let participants: [SittingParticipant]
    public let decisions: [LeadDecisionRecord]
}

extension Store {
    /// Who may see a village's sittings, as SQL over `v` and `vu` (the village): staff whose subtree holds
    /// it, and grid roles assigned to one of its grids.
    static let villageInScope = """
        (CASE WHEN v.role IN ('grid_worker', 'information_officer')
              THEN EXISTS (SELECT 1 FROM staff_grids sg JOIN units g ON g.id = sg.grid_id WHERE sg.user_id = v.id AND g.parent_id = vu.id)
              ELSE vu.path @> ARRAY[v.unit_id] END)
        """

    /// Records a sitting of a village's council and applies each decision to its lead in one transaction:
    /// the decision row, the lead's new status, the work the decision starts (a petition case through the
    /// intake's own path, a police-report task), and the lead's deliberation due met. Nil when the village
    /// is not one she may record for (404). A decision about a lead that is not an open-or-decided lead of
    /// this village is a bad reference (422, every one named); a lead already decided in an earlier
    /// sitting and not reopened is a conflict (409). Either way nothing is stored.
    public func recordSitting(villageID: Int64, _ sitting: Sitting, by user: StaffUser) throws -> Int64? {
        guard !user.role.worksInGrids else { throw Forbidden(message: "the council's sitting is recorded by the village's staff") }
        _ = try currentCalendar()   // worked out now: a case opened below must not need a second connection
        let at = now()
        return try pool.withConnection { db in
            try db.transaction { tx -> Int64? in
                guard try !tx.query("""
                    WITH \(viewer: user)
                    SELECT 1 AS ok FROM units vu, v WHERE vu.id = \(villageID) AND vu.level = 'village' AND \(unescaped: Self.villageInScope)
                    """).isEmpty else { return nil }
                let ids = sitting.decisions.map(\.leadID)
                var leads: [Int64: (status: String, kind: LeadKind, summary: String)] = [:]
                for row in try tx.query("""
                    SELECT id, status, kind, summary FROM leads
                    WHERE id = ANY(\(PostgresTextArray(ids.map(String.init)))::bigint[]) AND village_id = \(villageID)
                    ORDER BY id FOR UPDATE
                    """).rows {
                    leads[try row.decode("id")] = (try row.decode("status"), LeadKind(rawValue: try row.decode("kind")) ?? .other,
                                                   try row.decode("summary"))
                }
                var problems: [FieldError] = []
                for (index, decision) in sitting.decisions.enumerated() where leads[decision.leadID] == nil {
                    problems.append(FieldError("decisions[\(index)].lead_id", "is not a lead of this village"))
                }
                guard problems.isEmpty else { throw ValidationFailure(problems) }
                for decision in sitting.decisions where leads[decision.leadID]!.status != LeadStatus.open.rawValue {
                    throw InvalidTransition(code: "lead_already_decided",
                                            message: "lead \(decision.leadID) was already decided; it is decided again only once reopened")
                }
                let sittingID = try tx.query("""
                    INSERT INTO sittings (village_id, held_on, recorded_by, recorded_at)
                    VALUES (\(villageID), \(sitting.heldOn), \(user.id), \(at)) RETURNING id
                    """).first!.decode("id", as: Int64.self)
                for (position, participant) in sitting.participants.enumerated() {
                    try tx.execute("""
                        INSERT INTO sitting_participants (sitting_id, position, name, role)
                        VALUES (\(sittingID), \(position), \(participant.name), \(participant.role.rawValue))
                        """)
                }
                for (index, decision) in sitting.decisions.enumerated() {
                    let lead = leads[decision.leadID]!
                    try applyDecision(tx, decision, index: index, kind: lead.kind, summary: lead.summary, villageID: villageID,
                                      sittingID: sittingID, heldOn: sitting.heldOn, by: user, at: at)
                }
                return sittingID
            }
        }
    }

    private func applyDecision(_ tx: PostgresConnection, _ decision: LeadDecision, index: Int, kind: LeadKind, summary: String,
                               villageID: Int64, sittingID: Int64, heldOn: LocalDate, by user: StaffUser, at: Date) throws {
        let leadID = decision.leadID
        var mediatorKind: String?, mediatorName: String?, referralKind: String?, referredTo: String?
        var targetUnitID: Int64?, caseID: Int64?, reason: String?
        if let grade = decision.riskGrade {   // the council's judgement, before the decision that may depend on it
            try tx.execute("UPDATE leads SET risk_grade = \(grade.rawValue), updated_at = \(at) WHERE id = \(leadID)")
        }
        switch decision.detail {
        case .mediateHere(let by, let name): (mediatorKind, mediatorName) = (by.rawValue, name)
        case .refer(let to, let name): (referralKind, referredTo) = (to.rawValue, name)
        case .dispatch(let target, let body):
            // Up the tree only: the township (the default) or a federation above it.
            guard let unit = try tx.query("""
                SELECT t.id FROM units vu JOIN units t ON t.id = coalesce(\(target)::bigint, vu.parent_id)
                WHERE vu.id = \(villageID) AND t.id <> vu.id AND vu.path @> ARRAY[t.id]
                """).first?.decode("id", as: Int64.self) else {
                throw ValidationFailure([FieldError("decisions[\(index)].target_unit_id", "is not a federation above this village")])
            }
            targetUnitID = unit
            // The dispatch itself (its signing due at the receiving federation, the notice to it), in this
            // sitting's transaction; its refusals name this decision's fields.
            do {
                _ = try dispatchLead(tx, toUnitID: unit, leadID: leadID, by: user, note: decision.note, mediationBodyID: body, at: at)
            } catch let failure as ValidationFailure {
                throw ValidationFailure(failure.fields.map { FieldError("decisions[\(index)].\($0.field == "unit_id" ? "target_unit_id" : $0.field)", $0.message) })
            }
        case .openCase:
            let people = try tx.query("""
                SELECT role, name, phone, is_minor FROM lead_people WHERE lead_id = \(leadID) ORDER BY position
                """).rows.map { p in
                LeadPerson(role: LeadPersonRole(rawValue: try p.decode("role")) ?? .other, name: try p.decode("name"),
                           phone: try p.decode("phone", as: String?.self), isMinor: try p.decode("is_minor"))
            }
            let intake = Lead.petitionIntake(kind: kind, people: people, summary: summary, villageID: villageID, receivedOn: heldOn)
            // The intake's own path (one new-case row: petitioner, case, contact, event, acceptance clock).
            let row = try newCaseRow(intake, category: kind.caseCategory, unitID: villageID, actor: .staff(user))
            caseID = try insertNewCases(tx, [row])[0].get().receipt.caseID
        case .reportPolice:
            try addLeadTask(tx, leadID: leadID, kind: "police_report", reason: "council_decision", dueAt: at, at: at)
        case .close(let why): reason = why
        }
        try tx.execute("""
            INSERT INTO lead_decisions (sitting_id, lead_id, decision, mediator_kind, mediator_name, referral_kind, referred_to,
                                        target_unit_id, case_id, reason, note, risk_grade)
            VALUES (\(sittingID), \(leadID), \(decision.detail.kind.rawValue), \(mediatorKind), \(mediatorName), \(referralKind),
                    \(referredTo), \(targetUnitID), \(caseID), \(reason), \(decision.note), \(decision.riskGrade?.rawValue))
            """)
        try tx.execute("""
            UPDATE leads SET status = \(decision.detail.kind.leadStatus.rawValue), case_id = coalesce(\(caseID), case_id), updated_at = \(at)
            WHERE id = \(leadID)
            """)
        try Self.meetDues(tx, kind: .deliberation, leadID: leadID, at: at)
    }

    /// The sittings of a village she may see, latest first.
    public func sittings(villageID: Int64, for user: StaffUser, limit: Int = 100) throws -> [SittingSummary]? {
        try pool.withConnection { db in
            guard try !db.query("""
                WITH \(viewer: user)
                SELECT 1 AS ok FROM units vu, v WHERE vu.id = \(villageID) AND vu.level = 'village' AND \(unescaped: Self.villageInScope)
                """).isEmpty else { return nil }
            return try db.query("""
                SELECT s.id, s.village_id, s.held_on, s.recorded_by, s.recorded_at,
                       (SELECT count(*) FROM sitting_participants p WHERE p.sitting_id = s.id) AS participants,
                       (SELECT count(*) FROM lead_decisions d WHERE d.sitting_id = s.id) AS decisions
                FROM sittings s WHERE s.village_id = \(villageID) ORDER BY s.held_on DESC, s.id DESC LIMIT \(limit)
                """).rows.map(Self.sittingSummary)
        }
    }

    private static func sittingSummary(_ row: PostgresRow) throws -> SittingSummary {
        SittingSummary(id: try row.decode("id"), villageID: try row.decode("village_id"), heldOn: try row.decode("held_on"),
                       participants: try row.decode("participants"), decisions: try row.decode("decisions"),
                       recordedBy: try row.decode("recorded_by"), recordedAt: try row.decode("recorded_at"))
    }

    /// One sitting of a village she may see (nil otherwise); decisions on leads sealed to her keep only
    /// which lead and what kind of decision.
    public func sitting(id: Int64, for user: StaffUser) throws -> SittingRecord? {
        try pool.withConnection { db in
            guard let row = try db.query("""
                WITH \(viewer: user)
                SELECT s.id, s.village_id, s.held_on, s.recorded_by, s.recorded_at,
                       (SELECT count(*) FROM sitting_participants p WHERE p.sitting_id = s.id) AS participants,
                       (SELECT count(*) FROM lead_decisions d WHERE d.sitting_id = s.id) AS decisions
                FROM sittings s JOIN units vu ON vu.id = s.village_id, v
                WHERE s.id = \(id) AND \(unescaped: Self.villageInScope)
                """).first else { return nil }
            let participants = try db.query("""
                SELECT name, role FROM sitting_participants WHERE sitting_id = \(id) ORDER BY position
                """).rows.map { SittingParticipant(name: try $0.decode("name"), role: SittingRole(rawValue: try $0.decode("role")) ?? .other) }
            let decisions = try db.query("""
                WITH \(viewer: user)
                SELECT d.lead_id, d.decision, d.mediator_kind, d.mediator_name, d.referral_kind, d.referred_to, d.target_unit_id,
                       d.case_id, d.reason, d.note, d.risk_grade, \(unescaped: LeadScope.opened) AS opened
                FROM lead_decisions d JOIN leads h ON h.id = d.lead_id JOIN units gu ON gu.id = h.grid_id, v
                WHERE d.sitting_id = \(id) ORDER BY d.id
                """).rows.map { d in
                let masked = !(try d.decode("opened", as: Bool.self))
                return LeadDecisionRecord(
                    leadID: try d.decode("lead_id"), decision: LeadDecisionKind(rawValue: try d.decode("decision")) ?? .close,
                    masked: masked, mediatorKind: try d.decode("mediator_kind", as: String?.self).flatMap(MediatorKind.init(rawValue:)),
                    mediatorName: masked ? nil : try d.decode("mediator_name", as: String?.self),
                    referralKind: try d.decode("referral_kind", as: String?.self).flatMap(LeadReferralKind.init(rawValue:)),
                    referredTo: masked ? nil : try d.decode("referred_to", as: String?.self),
                    targetUnitID: try d.decode("target_unit_id", as: Int64?.self), caseID: try d.decode("case_id", as: Int64?.self),
                    reason: masked ? nil : try d.decode("reason", as: String?.self), note: masked ? nil : try d.decode("note", as: String?.self),
                    riskGrade: masked ? nil : try d.decode("risk_grade", as: String?.self).flatMap(RiskGrade.init(rawValue:)))
            }
            return SittingRecord(summary: try Self.sittingSummary(row), participants: participants, decisions: decisions)
        }
    }
}
