import Foundation
import HuiyinCore
import Postgres

public struct TaskRecord: Sendable {
    public let id: Int64
    public let kind: String
    public let reason: String
    public let dueAt: Date
    public let state: String
    public let doneAt: Date?
    /// `{}` on a masked case.
    public let detailJSON: String
}

public struct ReferralRecord: Sendable {
    public let id: Int64
    public let kind: String
    public let referredTo: String
    public let note: String?
    public let referredAt: Date
    public let outcome: String?
    public let outcomeAt: Date?
    /// A legal-aid referral's decision day, and the decision once made.
    public let decisionDueOn: LocalDate?
    public let aidDecision: LegalAidDecision?
    /// The registry's mediation body a mediator referral names.
    public var mediationBodyID: Int64? = nil
    public var mediationBodyName: String? = nil
}

public struct DocumentRecord: Sendable {
    public let id: Int64
    public let caseID: Int64
    public let kind: String
    public let number: String
    public let title: String
    public let body: String
    public let issuedOn: LocalDate
    public let issuedAt: Date
}

/// The case's state as a workflow step sees it (locked for the step's transaction).
struct CaseForUpdate {
    let id: Int64
    let status: CaseStatus
    let unitID: Int64
    let unitParentID: Int64?
    let channel: String
    let opened: Bool
    let handlerID: Int64?
    let leaderID: Int64?
    let riskGrade: String?
    let transferFrom: Int64?
    let transferPrior: CaseStatus?
}

/// Extra facts a step needs beyond who and why.
public struct StepInput: Sendable {
    public var reason: String?
    /// Transfer: the unit below that receives the case.
    public var targetUnitID: Int64?
    /// Reply: the handling opinion; review decisions: the decision text.
    public var text: String?
    /// Review decisions: upheld or changed.
    public var decision: String?
    public init(reason: String? = nil, targetUnitID: Int64? = nil, text: String? = nil, decision: String? = nil) {
        self.reason = reason
        self.targetUnitID = targetUnitID
        self.text = text
        self.decision = decision
    }
}

extension Store {
    /// One workflow step: checks her role, her scope, the seal and the transition table; then moves
    /// the case, records the event (who, when, from, to, why), issues the step's written notice, and
    /// stops and starts the clocks the rule set ties to the event — all in one transaction.
    /// Returns the document issued, if the step issues one.
    @discardableResult
    public func perform(_ action: CaseAction, caseID: Int64, by user: StaffUser, _ input: StepInput = StepInput()) throws -> DocumentRecord? {
        guard action.roles.contains(user.role) else {
            throw Forbidden(message: "a \(user.role.rawValue) cannot \(action.rawValue) a case")
        }
        let at = now()
        let today = LocalDate(at, in: timeZone)
        let calendar = try currentCalendar()
        return try pool.withConnection { db in
            try db.transaction { tx -> DocumentRecord? in
                let current = try lockCase(tx, caseID, for: user)
                guard current.opened else { throw Forbidden(message: "the case is sealed; only its circle may act on it") }
                guard let next = CaseWorkflow.next(current.status, action, prior: current.transferPrior) else {
                    throw InvalidTransition(message: "a case that is \(current.status.rawValue) cannot take \(action.rawValue)")
                }
                var detail: [(String, String)] = []
                var unitID = current.unitID
                var document: DocumentRecord?
                switch action {
                case .accept, .decline:
                    if current.handlerID == nil, user.role == .handler {
                        try tx.execute("UPDATE cases SET handler_id = \(user.id) WHERE id = \(caseID)")
                    }
                    document = try issue(tx, action == .accept ? .acceptance : .decline, current, reason: input.reason, by: user, at: at)
                case .transfer:
                    guard let target = input.targetUnitID, !(try tx.query("""
                        SELECT 1 AS x FROM units WHERE id = \(target) AND id <> \(current.unitID) AND path @> ARRAY[\(current.unitID)::bigint]
                        """).isEmpty) else {
                        throw UnknownReference(field: "unit_id", message: "not a unit below the case's unit")
                    }
                    unitID = target
                    try tx.execute("""
                        UPDATE cases SET unit_id = \(target), transfer_from_unit_id = \(current.unitID),
                               transfer_prior_status = \(current.status.rawValue), handler_id = NULL WHERE id = \(caseID)
                        """)
                    detail = [("from_unit_id", String(current.unitID)), ("to_unit_id", String(target))]
                case .acceptTransfer, .objectTransfer:
                    guard user.unitID == current.unitID else {
                        throw Forbidden(message: "only the receiving unit accepts or objects to a transfer")
                    }
                    if action == .objectTransfer, let from = current.transferFrom {
                        unitID = from
                        try tx.execute("""
                            INSERT INTO notifications (unit_id, audience, case_id, kind, detail, created_at)
                            VALUES (\(from), 'handlers', \(caseID), 'transfer_objected',
                                    jsonb_build_object('by_unit_id', \(current.unitID)), \(at))
                            """)
                    }
                    try tx.execute("""
                        UPDATE cases SET unit_id = \(unitID), transfer_from_unit_id = NULL, transfer_prior_status = NULL
                        WHERE id = \(caseID)
                        """)
                case .reply:
                    document = try issue(tx, .reply, current, reason: input.text, by: user, at: at)
                case .close:
                    let pending = try tx.query("""
                        SELECT kind, reason FROM case_tasks
                        WHERE case_id = \(caseID) AND state = 'open' AND kind <> 'follow_up' ORDER BY id
                        """).rows
                    if let first = pending.first {
                        throw InvalidTransition(code: "required_task_open",
                                                message: "the \(try first.decode("kind", as: String.self)) (\(try first.decode("reason", as: String.self))) must be recorded before the case is closed")
                    }
                    // A referral is part of the case's work: its outcome (even "no answer from them") is
                    // recorded before the case closes, so no woman is left referred and forgotten.
                    if let open = try tx.query("""
                        SELECT referred_to FROM referrals WHERE case_id = \(caseID) AND outcome IS NULL ORDER BY id LIMIT 1
                        """).first {
                        throw InvalidTransition(code: "referral_open",
                                                message: "the referral to \(try open.decode("referred_to", as: String.self)) needs its outcome recorded before the case is closed")
                    }
                case .reopen:
                    guard try tx.query("SELECT 1 AS x FROM case_events WHERE case_id = \(caseID) AND kind = \(CaseEventKind.rereviewDecided)").isEmpty else {
                        throw InvalidTransition(message: "a re-reviewed case is final and is not reopened")
                    }
                case .requestReview, .requestRereview:
                    let window: ClockKind = action == .requestReview ? .reviewRequest : .rereviewRequest
                    guard !(try tx.query("""
                        SELECT 1 AS x FROM clocks WHERE case_id = \(caseID) AND kind = \(window.rawValue)
                          AND state = 'running' AND due_at >= \(at)
                        """).isEmpty) else {
                        throw InvalidTransition(code: "request_window_closed",
                                                message: "there is no open \(window.label) period for this case")
                    }
                case .decideReview, .decideRereview:
                    let decider = try decidingUnit(tx, action, current)
                    guard user.unitID == decider.unit else {
                        throw Forbidden(message: action == .decideReview
                            ? "a review is decided at the level above the unit that replied"
                            : "a re-review is decided at the level above the unit that decided the review")
                    }
                    guard let decision = input.decision.flatMap(ReviewDecision.init(rawValue:)) else {
                        throw UnknownReference(field: "decision", message: "must be upheld or changed")
                    }
                    detail = [("decision", decision.rawValue), ("text", input.text ?? ""), ("unit_id", String(user.unitID))]
                    document = try issue(tx, action == .decideReview ? .reviewOpinion : .rereviewOpinion, current, reason: input.text,
                                         by: user, at: at, issuer: user.unitID, reviewed: decider.reviewed, decision: decision)
                case .refer, .followUp:
                    break  // recorded by their own methods, which call `record`
                }
                try tx.execute("UPDATE cases SET status = \(next.rawValue), updated_at = \(at) WHERE id = \(caseID)")
                if unitID != current.unitID {
                    try tx.execute("UPDATE clocks SET unit_id = \(unitID) WHERE case_id = \(caseID) AND state IN ('running', 'paused')")
                }
                if let document { detail.append(("document_number", document.number)) }
                try record(tx, caseID: caseID, event: action.event, from: current.status, to: next, reason: input.reason,
                           detail: detail, by: user, at: at)
                try stopClocks(tx, caseID: caseID, kinds: rules.kinds(stoppedBy: action.event), at: at)
                var starting = rules.kinds(startedBy: action.event)
                if action == .reopen, current.leaderID != nil {
                    starting.append(.leaderOwnership)  // the same leader keeps a case that comes back; her clock starts again
                }
                // A clock started again (a second reply after a reopening) replaces the open one of its kind.
                try stopClocks(tx, caseID: caseID, kinds: starting, at: at, state: "cancelled")
                for kind in starting {
                    let limit = rules.limit(kind, riskGrade: current.riskGrade)
                    let due = DeadlineCounter(calendar: calendar).due(from: today, limit: limit).day
                    try startClock(tx, caseID: caseID, ClockStart(kind: kind, limit: limit, startedOn: today, due: due,
                                                                  dueAt: DeadlineCounter.endOfDay(due, in: timeZone)),
                                   unitID: unitID, channel: current.channel, at: at)
                }
                return document
            }
        }
    }

    /// The case locked for a step, if it is in her scope; otherwise the step fails as if it did not exist.
    func lockCase(_ tx: PostgresConnection, _ caseID: Int64, for user: StaffUser) throws -> CaseForUpdate {
        guard let row = try tx.query("""
            WITH \(viewer: user)
            SELECT c.status, c.unit_id, cu.parent_id, c.channel, c.handler_id, c.leader_id, c.risk_grade,
                   c.transfer_from_unit_id, c.transfer_prior_status, \(unescaped: Scope.opened) AS opened
            FROM cases c JOIN units cu ON cu.id = c.unit_id CROSS JOIN v
            WHERE c.id = \(caseID) AND \(unescaped: Scope.inScope)
            FOR UPDATE OF c
            """).first else { throw CaseNotFound() }
        return CaseForUpdate(
            id: caseID, status: CaseStatus(rawValue: try row.decode("status")) ?? .registered,
            unitID: try row.decode("unit_id"), unitParentID: try row.decode("parent_id", as: Int64?.self),
            channel: try row.decode("channel"), opened: try row.decode("opened"),
            handlerID: try row.decode("handler_id", as: Int64?.self), leaderID: try row.decode("leader_id", as: Int64?.self),
            riskGrade: try row.decode("risk_grade", as: String?.self),
            transferFrom: try row.decode("transfer_from_unit_id", as: Int64?.self),
            transferPrior: try row.decode("transfer_prior_status", as: String?.self).flatMap(CaseStatus.init(rawValue:)))
    }

    /// Appends one event: who, when, what, from, to, why.
    func record(_ tx: PostgresConnection, caseID: Int64, event: CaseEventKind, from: CaseStatus? = nil, to: CaseStatus? = nil,
                reason: String?, detail: [(String, String)] = [], by user: StaffUser, at: Date) throws {
        try tx.execute("""
            INSERT INTO case_events (case_id, at, actor, actor_user_id, kind, from_status, to_status, reason, detail)
            VALUES (\(caseID), \(at), 'staff', \(user.id), \(event), \(from?.rawValue), \(to?.rawValue), \(reason),
                    coalesce((SELECT jsonb_object_agg(k, v) FROM unnest(\(PostgresTextArray(detail.map(\.0))),
                                                                      \(PostgresTextArray(detail.map(\.1)))) AS d(k, v)), '{}'))
            """)
    }

    /// Who decides a review step (Art. 35, 36): the unit above the one whose decision is reviewed — the
    /// case's unit for 复查, the unit that decided the 复查 for 复核. At the top of the configured tree,
    /// that unit itself (the level above is outside the system).
    func decidingUnit(_ db: PostgresConnection, _ action: CaseAction, _ current: CaseForUpdate) throws -> (unit: Int64, reviewed: Int64) {
        var reviewed = current.unitID
        if action == .decideRereview {
            // Recorded with the review decision; a case reviewed before that was recorded was reviewed above its unit.
            reviewed = try db.query("""
                SELECT (detail->>'unit_id')::bigint AS unit_id FROM case_events
                WHERE case_id = \(current.id) AND kind = \(CaseEventKind.reviewDecided) ORDER BY id DESC LIMIT 1
                """).first?.decode("unit_id", as: Int64?.self) ?? current.unitParentID ?? current.unitID
        }
        let parent = try db.query("SELECT parent_id FROM units WHERE id = \(reviewed)").first?.decode("parent_id", as: Int64?.self)
        return (parent ?? reviewed, reviewed)
    }

    /// The unit that decides the case's pending review step, if one is pending (for the case page's forms).
    public func reviewDecidingUnit(caseID: Int64, for user: StaffUser) throws -> Int64? {
        try pool.withConnection { db in
            let current = try lockCase(db, caseID, for: user)
            switch current.status {
            case .reviewing: return try decidingUnit(db, .decideReview, current).unit
            case .rereviewing: return try decidingUnit(db, .decideRereview, current).unit
            default: return nil
            }
        }
    }

    /// Issues a written notice: the next number of its kind for the issuing unit (the case's, or the
    /// reviewing unit's for a review opinion) and year, and its text, kept as issued.
    func issue(_ tx: PostgresConnection, _ kind: NoticeKind, _ current: CaseForUpdate, reason: String?, by user: StaffUser,
               at: Date, issuer: Int64? = nil, reviewed: Int64? = nil, decision: ReviewDecision? = nil) throws -> DocumentRecord {
        let today = LocalDate(at, in: timeZone)
        let issuer = issuer ?? current.unitID
        guard let facts = try tx.query("""
            SELECT c.tracking_no, c.received_on, c.channel, c.category, u.name AS unit_name, up.name AS parent_name, p.name,
                   r.name AS reviewed_name
            FROM cases c JOIN units u ON u.id = \(issuer) LEFT JOIN units up ON up.id = u.parent_id
            LEFT JOIN units r ON r.id = \(reviewed)::bigint
            LEFT JOIN petitioners p ON p.id = c.petitioner_id WHERE c.id = \(current.id)
            """).first else { throw CaseNotFound() }
        let serial = try tx.query("""
            INSERT INTO document_serials (unit_id, kind, year, last) VALUES (\(issuer), \(kind.rawValue), \(today.year), 1)
            ON CONFLICT (unit_id, kind, year) DO UPDATE SET last = document_serials.last + 1
            RETURNING last
            """).first!.decode("last", as: Int.self)
        let unitName: String = try facts.decode("unit_name")
        // The limits this case runs under (a high-risk case's handling clock is shorter).
        let handlingLimit = rules.limit(.handling, riskGrade: current.riskGrade)
        let handlingDays: Int
        if case .days(let days) = handlingLimit { handlingDays = days } else { handlingDays = 60 }
        let channel: String = try facts.decode("channel")
        var noticeFacts = NoticeFacts(
            petitionerName: try facts.decode("name", as: String?.self), trackingNo: try facts.decode("tracking_no"),
            receivedOn: try facts.decode("received_on"),
            channelLabel: Channel(rawValue: try facts.decode("channel"))?.label ?? "",
            categoryLabel: CaseCategory(rawValue: try facts.decode("category"))?.label ?? "",
            unitName: unitName, reviewUnitName: try facts.decode("parent_name", as: String?.self), issuedOn: today,
            handlingLimitDays: handlingDays, reason: reason, handlingExtension: rules[.handling].maximumExtension,
            // The query code is shown or told at intake on every channel but a letter (see README).
            queryCodeGiven: channel != Channel.letter.rawValue,
            reviewedUnitName: try facts.decode("reviewed_name", as: String?.self), decision: decision)
        noticeFacts.handlingLimit = handlingLimit
        let number = OfficialNoticeText.number(unitName: unitName, kind: kind, year: today.year, serial: serial)
        let body = OfficialNoticeText.body(kind, noticeFacts)
        let id = try tx.query("""
            INSERT INTO documents (case_id, kind, number, title, body, unit_id, issued_on, issued_at, issued_by)
            VALUES (\(current.id), \(kind.rawValue), \(number), \(kind.title), \(body), \(issuer), \(today), \(at), \(user.id))
            RETURNING id
            """).first!.decode("id", as: Int64.self)
        return DocumentRecord(id: id, caseID: current.id, kind: kind.rawValue, number: number, title: kind.title, body: body,
                              issuedOn: today, issuedAt: at)
    }

    func tasks(_ db: PostgresConnection, caseID: Int64, opened: Bool) throws -> [TaskRecord] {
        try db.query("""
            SELECT id, kind, reason, due_at, state, done_at, detail::text AS detail FROM case_tasks WHERE case_id = \(caseID) ORDER BY id
            """).rows.map { row in
            TaskRecord(id: try row.decode("id"), kind: try row.decode("kind"), reason: try row.decode("reason"),
                       dueAt: try row.decode("due_at"), state: try row.decode("state"), doneAt: try row.decode("done_at", as: Date?.self),
                       detailJSON: opened ? try row.decode("detail") : "{}")
        }
    }

    func referrals(_ db: PostgresConnection, caseID: Int64) throws -> [ReferralRecord] {
        try db.query("""
            SELECT r.id, r.kind, r.referred_to, r.note, r.referred_at, r.outcome, r.outcome_at, r.decision_due_on, r.aid_decision,
                   r.mediation_body_id, b.name AS mediation_body_name
            FROM referrals r LEFT JOIN mediation_bodies b ON b.id = r.mediation_body_id WHERE r.case_id = \(caseID) ORDER BY r.id
            """).rows.map { row in
            ReferralRecord(id: try row.decode("id"), kind: try row.decode("kind"), referredTo: try row.decode("referred_to"),
                           note: try row.decode("note", as: String?.self), referredAt: try row.decode("referred_at"),
                           outcome: try row.decode("outcome", as: String?.self), outcomeAt: try row.decode("outcome_at", as: Date?.self),
                           decisionDueOn: try row.decode("decision_due_on", as: LocalDate?.self),
                           aidDecision: try row.decode("aid_decision", as: String?.self).flatMap(LegalAidDecision.init(rawValue:)),
                           mediationBodyID: try row.decode("mediation_body_id", as: Int64?.self),
                           mediationBodyName: try row.decode("mediation_body_name", as: String?.self))
        }
    }

    func documents(_ db: PostgresConnection, caseID: Int64) throws -> [DocumentRecord] {
        try db.query("""
            SELECT id, case_id, kind, number, title, body, issued_on, issued_at FROM documents WHERE case_id = \(caseID) ORDER BY id
            """).rows.map(Self.document)
    }

    static func document(_ row: PostgresRow) throws -> DocumentRecord {
        DocumentRecord(id: try row.decode("id"), caseID: try row.decode("case_id"), kind: try row.decode("kind"),
                       number: try row.decode("number"), title: try row.decode("title"), body: try row.decode("body"),
                       issuedOn: try row.decode("issued_on"), issuedAt: try row.decode("issued_at"))
    }
}

/// The case does not exist or is outside her scope (answered 404 either way).
public struct CaseNotFound: Error, Sendable {}
