import Foundation
import HuiyinCore
import Postgres

public enum ReferralKind: String, CaseIterable, Sendable {
    case lawyer, psychologist, mediator, police
    /// The legal-aid green channel (法律援助绿色通道): a lawyer or legal-aid centre deciding on aid,
    /// with its own clock (`legal_aid_decision_within`) and a decision as its outcome.
    case legalAid = "legal_aid"
}

public enum Satisfaction: String, CaseIterable, Sendable {
    case satisfied, basicallySatisfied = "basically_satisfied", unsatisfied
    public var label: String {
        switch self {
        case .satisfied: return "满意"
        case .basicallySatisfied: return "基本满意"
        case .unsatisfied: return "不满意"
        }
    }
}

/// One look at a case, as the access log shows it.
public struct CaseReadRecord: Sendable {
    public let id: Int64
    public let userID: Int64
    public let username: String
    public let displayName: String
    public let role: String
    public let at: Date
    public let view: String
    public let masked: Bool
    public let breakGlassReason: String?
    public let flagged: Bool
}

extension Store {
    /// Referral to a lawyer, psychologist, mediator, the police, or for legal aid. A high-risk
    /// domestic-violence case is not mediated. A legal-aid referral opens its decision clock, owed by the
    /// case's unit, in the same transaction.
    /// A mediator referral may name the registry's body (`mediationBodyID`), which must exist.
    public func refer(caseID: Int64, kind: ReferralKind, to referredTo: String, note: String?, mediationBodyID: Int64? = nil,
                      by user: StaffUser) throws -> Int64 {
        let decisionDue = kind == .legalAid ? try grassrootsDueDay(from: today, limit: rules.grassroots.legalAidDecisionWithin) : nil
        return try step(.refer, caseID: caseID, by: user, blind: true) { tx, current, at in
            if kind == .mediator, current.riskGrade == RiskGrade.high.rawValue {
                throw InvalidTransition(code: "no_mediation_high_risk", message: "a high-risk domestic-violence case is not mediated")
            }
            if let mediationBodyID {
                guard kind == .mediator else {
                    throw UnknownReference(field: "mediation_body_id", message: "only a referral to a mediator names a mediation body")
                }
                if let problem = try Self.mediationBodyProblem(tx, mediationBodyID) { throw UnknownReference(field: problem.field, message: problem.message) }
            }
            let id = try tx.query("""
                INSERT INTO referrals (case_id, kind, referred_to, note, referred_at, referred_by, decision_due_on, mediation_body_id)
                VALUES (\(caseID), \(kind.rawValue), \(referredTo), \(note), \(at), \(user.id), \(decisionDue), \(mediationBodyID))
                RETURNING id
                """).first!.decode("id", as: Int64.self)
            if let decisionDue {
                try Self.openDue(tx, kind: .legalAidDecision, unitID: current.unitID, caseID: caseID, referralID: id, dueOn: decisionDue,
                                 detail: ["referral_id": id], at: at)
            }
            return (note, [("referral_id", String(id)), ("kind", kind.rawValue), ("to", referredTo)], id)
        }
    }

    /// What came of a referral. A legal-aid referral's outcome is the aid decision (required there, refused
    /// elsewhere), which meets its clock.
    public func recordReferralOutcome(caseID: Int64, referralID: Int64, outcome: String, aidDecision: LegalAidDecision? = nil,
                                      by user: StaffUser) throws {
        _ = try step(.refer, caseID: caseID, by: user, checkTransition: false) { tx, _, at in
            guard let kind = try tx.query("""
                SELECT kind FROM referrals WHERE id = \(referralID) AND case_id = \(caseID) AND outcome IS NULL FOR UPDATE
                """).first.map({ try $0.decode("kind", as: String.self) }) else {
                throw InvalidTransition(message: "no referral without an outcome by that id on this case")
            }
            let isLegalAid = kind == ReferralKind.legalAid.rawValue
            if isLegalAid, aidDecision == nil {
                throw UnknownReference(field: "aid_decision", message: "is required for a legal-aid referral")
            }
            if !isLegalAid, aidDecision != nil {
                throw UnknownReference(field: "aid_decision", message: "only a legal-aid referral takes an aid decision")
            }
            try tx.execute("""
                UPDATE referrals SET outcome = \(outcome), outcome_at = \(at), outcome_by = \(user.id), aid_decision = \(aidDecision?.rawValue)
                WHERE id = \(referralID)
                """)
            if isLegalAid { try Self.meetDues(tx, kind: .legalAidDecision, referralID: referralID, at: at) }
            var detail = [("referral_id", String(referralID))]
            if let aidDecision { detail.append(("aid_decision", aidDecision.rawValue)) }
            return (outcome, detail, 0, .referralOutcome)
        }
    }

    /// 回访: a follow-up visit or call with the petitioner's satisfaction. An unsatisfied petitioner's
    /// closed case may be reopened in the same step (same leader, her clock again).
    public func followUp(caseID: Int64, method: String, satisfaction: Satisfaction, note: String?, reopen: Bool,
                         by user: StaffUser) throws {
        if reopen, satisfaction != .unsatisfied {
            throw UnknownReference(field: "reopen", message: "only an unsatisfied petitioner's case is reopened")
        }
        _ = try step(.followUp, caseID: caseID, by: user) { tx, current, at in
            // Checked before anything is written, so a refused reopening leaves no follow-up behind.
            if reopen, CaseWorkflow.next(current.status, .reopen) == nil {
                throw InvalidTransition(message: "a case that is \(current.status.rawValue) cannot take reopen")
            }
            try tx.execute("""
                UPDATE case_tasks SET state = 'done', done_at = \(at), done_by = \(user.id)
                WHERE id = (SELECT id FROM case_tasks WHERE case_id = \(caseID) AND kind = 'follow_up' AND state = 'open'
                            ORDER BY due_at LIMIT 1)
                """)
            return (note, [("method", method), ("satisfaction", satisfaction.rawValue)], 0)
        }
        if reopen { try perform(.reopen, caseID: caseID, by: user, StepInput(reason: note ?? satisfaction.label)) }
    }

    /// The handler of a case: a supervisor or leader in scope names one of the case unit's handlers;
    /// a handler of that unit may take it herself.
    public func assignHandler(caseID: Int64, handlerID: Int64, by user: StaffUser) throws {
        let at = now()
        try pool.withConnection { db in
            try db.transaction { tx in
                let current = try lockCase(tx, caseID, for: user)
                let selfTaking = user.role == .handler && handlerID == user.id && user.unitID == current.unitID
                guard selfTaking || [.supervisor, .leader].contains(user.role) else {
                    throw Forbidden(message: "a handler takes a case of her own unit; supervisors and leaders assign one")
                }
                guard !(try tx.query("""
                    SELECT 1 AS x FROM users WHERE id = \(handlerID) AND role = \(StaffRole.handler) AND unit_id = \(current.unitID) AND disabled_at IS NULL
                    """).isEmpty) else {
                    throw UnknownReference(field: "handler_id", message: "not a handler of the case's unit")
                }
                try tx.execute("UPDATE cases SET handler_id = \(handlerID), updated_at = \(at) WHERE id = \(caseID)")
                try record(tx, caseID: caseID, event: .handlerAssigned, reason: nil,
                           detail: [("handler_id", String(handlerID)), ("previous_handler_id", current.handlerID.map(String.init) ?? "")],
                           by: user, at: at)
            }
        }
    }

    /// Seals a case by hand (a sensitive matter outside the categories sealed from the start).
    public func seal(caseID: Int64, reason: String, by user: StaffUser) throws {
        _ = try step(nil, caseID: caseID, by: user, roles: [.handler, .supervisor, .leader]) { tx, _, _ in
            try tx.execute("UPDATE cases SET sealed = true, sealed_reason = \(reason) WHERE id = \(caseID)")
            return (reason, [], 0, .sealed)
        }
    }

    /// A domestic-violence danger assessment. High risk: no mediation, a police report and a direct
    /// report to the city federation become required tasks, the open clocks shorten, and follow-up
    /// visits are scheduled. Answers that require a mandatory report create it. A victim on record as a
    /// minor lacks full capacity whatever was ticked (`RiskChecklist.assess(_:victimIsMinor:)`).
    public func assessRisk(caseID: Int64, answers: [String: Bool], checklist: RiskChecklist = .federation,
                          by user: StaffUser) throws -> RiskAssessment {
        _ = try checklist.assess(answers).get()
        let calendar = try currentCalendar()
        return try step(nil, caseID: caseID, by: user, roles: [.operator_, .reception, .handler, .supervisor, .leader], blind: true) { tx, _, at in
            let victimIsMinor = try tx.query("""
                SELECT c.victim_is_minor OR (coalesce(c.victim_relation, 'self') = 'self' AND coalesce(p.is_minor, false)) AS minor
                FROM cases c LEFT JOIN petitioners p ON p.id = c.petitioner_id WHERE c.id = \(caseID)
                """).first?.decode("minor", as: Bool.self) ?? false
            let assessment = try checklist.assess(answers, victimIsMinor: victimIsMinor).get()
            let answersJSON = "{" + answers.keys.sorted().map { "\"\($0)\":\(answers[$0]! ? "true" : "false")" }.joined(separator: ",") + "}"
            try tx.execute("""
                INSERT INTO risk_assessments (case_id, answers, score, grade, assessed_at, assessed_by)
                VALUES (\(caseID), \(answersJSON)::jsonb, \(assessment.score), \(assessment.grade.rawValue), \(at), \(user.id))
                """)
            try tx.execute("UPDATE cases SET risk_grade = \(assessment.grade.rawValue), updated_at = \(at) WHERE id = \(caseID)")
            for reason in assessment.mandatoryReports {
                try addTask(tx, caseID: caseID, kind: "mandatory_report", reason: reason.rawValue, dueAt: at, at: at)
            }
            if assessment.grade == .high {
                try addTask(tx, caseID: caseID, kind: "police_report", reason: "high_risk", dueAt: at, at: at)
                try addTask(tx, caseID: caseID, kind: "direct_report", reason: "high_risk", dueAt: at.addingTimeInterval(86_400), at: at)
                let today = LocalDate(at, in: timeZone)
                let counter = DeadlineCounter(calendar: calendar)
                for limit in rules.highRiskFollowUps {
                    let day = counter.due(from: today, limit: limit).day
                    try addTask(tx, caseID: caseID, kind: "follow_up", reason: "high_risk_\(limit.description)",
                                dueAt: DeadlineCounter.endOfDay(day, in: timeZone), at: at)
                }
                // Running clocks shorten to the high-risk limits, counted from their own start; never lengthen.
                for row in try tx.query("""
                    SELECT id, kind, started_on, due_on FROM clocks WHERE case_id = \(caseID) AND state = 'running'
                    """).rows {
                    guard let kind = ClockKind(rawValue: try row.decode("kind")), let limit = rules.highRiskLimits[kind] else { continue }
                    let due = counter.due(from: try row.decode("started_on"), limit: limit).day
                    guard due < (try row.decode("due_on", as: LocalDate.self)) else { continue }
                    try tx.execute("""
                        UPDATE clocks SET due_on = \(due), due_at = \(DeadlineCounter.endOfDay(due, in: timeZone)),
                               rule_limit = \(limit.description) WHERE id = \(try row.decode("id", as: Int64.self))
                        """)
                }
            }
            return (nil, [("score", String(assessment.score)), ("grade", assessment.grade.rawValue)], assessment, .riskAssessed)
        }
    }

    /// 强制报告 on grounds staff learn of (a girl under 14 pregnant, violence against someone without full capacity…).
    public func requireMandatoryReport(caseID: Int64, reason: MandatoryReportReason, note: String?, by user: StaffUser) throws {
        _ = try step(nil, caseID: caseID, by: user, roles: [.operator_, .reception, .handler, .supervisor, .leader], blind: true) { tx, _, at in
            try addTask(tx, caseID: caseID, kind: "mandatory_report", reason: reason.rawValue, dueAt: at, at: at)
            return (note, [("reason", reason.rawValue)], 0, .mandatoryReportRequired)
        }
    }

    /// Records that a required report was made: to the police (mandatory and police reports) when, which
    /// station and the receipt number; a direct report (直报) to whom. Checked here, for the API and the
    /// console alike.
    public func completeTask(caseID: Int64, taskID: Int64, detail: [(String, String)], by user: StaffUser) throws {
        _ = try step(nil, caseID: caseID, by: user, roles: [.operator_, .reception, .handler, .supervisor, .leader], blind: true) { tx, _, at in
            guard let kind = try tx.query("""
                SELECT kind FROM case_tasks WHERE id = \(taskID) AND case_id = \(caseID) AND state = 'open' FOR UPDATE
                """).first?.decode("kind", as: String.self) else {
                throw InvalidTransition(message: "no open task by that id on this case")
            }
            let kept = try reportDetail(kind: kind, detail)
            try tx.execute("""
                UPDATE case_tasks SET state = 'done', done_at = \(at), done_by = \(user.id),
                       detail = coalesce((SELECT jsonb_object_agg(k, v) FROM unnest(\(PostgresTextArray(kept.map(\.0))),
                                                                                  \(PostgresTextArray(kept.map(\.1)))) AS d(k, v)), '{}')
                WHERE id = \(taskID)
                """)
            return (nil, [("task_id", String(taskID)), ("kind", kind)] + kept, 0, .taskCompleted)
        }
    }

    /// Who read the case, when, how, and why a seal was broken; for supervisors in scope. The look at
    /// the log is itself recorded.
    public func accessLog(caseID: Int64, by user: StaffUser) throws -> [CaseReadRecord] {
        guard user.role == .supervisor else { throw Forbidden(message: "the access log is for supervisors") }
        let at = now()
        return try pool.withConnection { db in
            try db.transaction { tx in
                let current = try lockCase(tx, caseID, for: user)
                try tx.execute("""
                    INSERT INTO case_reads (case_id, user_id, at, view, masked) VALUES (\(caseID), \(user.id), \(at), 'access_log', \(!current.opened))
                    """)
                return try tx.query("""
                    SELECT r.id, r.user_id, u.username, u.display_name, u.role, r.at, r.view, r.masked, r.break_glass_reason, r.flagged
                    FROM case_reads r JOIN users u ON u.id = r.user_id WHERE r.case_id = \(caseID) ORDER BY r.id
                    """).rows.map { row in
                    CaseReadRecord(id: try row.decode("id"), userID: try row.decode("user_id"), username: try row.decode("username"),
                                   displayName: try row.decode("display_name"), role: try row.decode("role"), at: try row.decode("at"),
                                   view: try row.decode("view"), masked: try row.decode("masked"),
                                   breakGlassReason: try row.decode("break_glass_reason", as: String?.self), flagged: try row.decode("flagged"))
                }
            }
        }
    }

    /// The facts a report of this kind must name, checked (every missing one at once), blanks dropped and
    /// the time as typed (local time in the office's zone, or ISO 8601 with an offset) kept as ISO 8601
    /// with the offset. A case's tasks and a lead's share it.
    func reportDetail(kind: String, _ detail: [(String, String)]) throws -> [(String, String)] {
        let given = Dictionary(detail, uniquingKeysWith: { $1 }).filter { !$0.value.isEmpty }
        var problems: [FieldError] = []
        let required = ["mandatory_report": ["reported_at", "station", "receipt_no"], "police_report": ["reported_at", "station", "receipt_no"],
                        "direct_report": ["reported_to"]][kind] ?? []
        for name in required where given[name] == nil { problems.append(FieldError(name, "is required for this report")) }
        var reportedAt: String?
        if let typed = given["reported_at"] {
            if let instant = ReportedTime.parse(typed, in: timeZone) {
                reportedAt = ReportedTime.iso(instant, in: timeZone)
            } else {
                problems.append(FieldError("reported_at", "must be a local time like \(ReportedTime.example) (\(timeZone.identifier)), "
                                           + "or ISO 8601 with an offset like 2026-11-29T22:30:00+08:00"))
            }
        }
        guard problems.isEmpty else { throw ValidationFailure(problems) }
        return detail.filter { !$0.1.isEmpty }.map { $0.0 == "reported_at" ? ($0.0, reportedAt ?? $0.1) : $0 }
    }

    func addTask(_ tx: PostgresConnection, caseID: Int64, kind: String, reason: String, dueAt: Date, at: Date) throws {
        try tx.execute("""
            INSERT INTO case_tasks (case_id, kind, reason, due_at, created_at) VALUES (\(caseID), \(kind), \(reason), \(dueAt), \(at))
            ON CONFLICT (case_id, kind, reason) DO NOTHING
            """)
    }

    /// A step that does not move the case (or moves it per the table if `action` is given): role, scope
    /// and seal checks, the step's own writes, and its event, in one transaction.
    /// `blind`: a step that only adds what she herself learned (a checklist she asked, a referral or report
    /// she made) and reveals nothing, so an operator may take it on a case sealed to her — she is often the
    /// one on the phone when it matters.
    private func step<T>(_ action: CaseAction?, caseID: Int64, by user: StaffUser, roles: Set<StaffRole>? = nil,
                         checkTransition: Bool = true, blind: Bool = false,
                         _ body: (PostgresConnection, CaseForUpdate, Date) throws -> (String?, [(String, String)], T, CaseEventKind?))
        throws -> T {
        guard (roles ?? action?.roles ?? []).contains(user.role) else {
            throw Forbidden(message: "a \(user.role.rawValue) cannot do this to a case")
        }
        let at = now()
        return try pool.withConnection { db in
            try db.transaction { tx in
                let current = try lockCase(tx, caseID, for: user)
                guard current.opened || blind else { throw Forbidden(message: "the case is sealed; only its circle may act on it") }
                if let action, checkTransition, CaseWorkflow.next(current.status, action) == nil {
                    throw InvalidTransition(message: "a case that is \(current.status.rawValue) cannot take \(action.rawValue)")
                }
                let (reason, detail, result, event) = try body(tx, current, at)
                try tx.execute("UPDATE cases SET updated_at = \(at) WHERE id = \(caseID)")
                try record(tx, caseID: caseID, event: event ?? action!.event, reason: reason, detail: detail, by: user, at: at)
                return result
            }
        }
    }

    private func step<T>(_ action: CaseAction?, caseID: Int64, by user: StaffUser, roles: Set<StaffRole>? = nil,
                         checkTransition: Bool = true, blind: Bool = false,
                         _ body: (PostgresConnection, CaseForUpdate, Date) throws -> (String?, [(String, String)], T)) throws -> T {
        try step(action, caseID: caseID, by: user, roles: roles, checkTransition: checkTransition, blind: blind) { tx, current, at in
            let (reason, detail, result) = try body(tx, current, at)
            return (reason, detail, result, nil)
        }
    }
}
