/// A sitting of the village women's council (妇女议事会, 议事研判): its day, who sat, and a decision per
/// lead it discussed (Haian's 访、议、调、治: the 议).
public enum SittingRole: String, Sendable, CaseIterable {
    case councilChair = "council_chair"
    case councilMember = "council_member"
    case gridWorker = "grid_worker"
    case informationOfficer = "information_officer"
    case mediator, lawyer, psychologist, police, other

    public var label: String {
        switch self {
        case .councilChair: return "议事会主任"
        case .councilMember: return "议事会成员"
        case .gridWorker: return "巾帼网格员"
        case .informationOfficer: return "妇情信息员"
        case .mediator: return "调解员"
        case .lawyer: return "律师"
        case .psychologist: return "心理咨询师"
        case .police: return "民警"
        case .other: return "其他"
        }
    }
}

/// What the council decided for one lead.
public enum LeadDecisionKind: String, Sendable, CaseIterable {
    case mediateHere = "mediate_here"
    case refer
    case dispatch
    case openCase = "open_case"
    case reportPolice = "report_police"
    case close

    /// Where the lead stands once decided.
    public var leadStatus: LeadStatus {
        switch self {
        case .mediateHere: return .mediating
        case .refer: return .referred
        case .dispatch: return .dispatched
        case .openCase: return .caseOpened
        case .reportPolice: return .reportedToPolice
        case .close: return .closed
        }
    }

    public var label: String {
        switch self {
        case .mediateHere: return "就地调解"
        case .refer: return "转介"
        case .dispatch: return "上报派单"
        case .openCase: return "转为信访件"
        case .reportPolice: return "报警"
        case .close: return "结束"
        }
    }
}

/// Who mediates a dispute kept in the village.
public enum MediatorKind: String, Sendable, CaseIterable {
    case lawyer, psychologist
    /// The "老舅妈" mediator: a respected elder woman of the village.
    case elderMediator = "elder_mediator"
    /// The community's people's mediation committee (人民调解委员会).
    case mediationCommittee = "mediation_committee"

    public var label: String {
        switch self {
        case .lawyer: return "律师"
        case .psychologist: return "心理咨询师"
        case .elderMediator: return "“老舅妈”调解员"
        case .mediationCommittee: return "人民调解委员会"
        }
    }
}

/// Where a lead is referred: the case referrals' kinds, and legal aid.
public enum LeadReferralKind: String, Sendable, CaseIterable {
    case lawyer, psychologist, mediator, police
    case legalAid = "legal_aid"

    public var label: String {
        switch self {
        case .lawyer: return "律师"
        case .psychologist: return "心理咨询师"
        case .mediator: return "调解组织"
        case .police: return "公安机关"
        case .legalAid: return "法律援助机构"
        }
    }
}

public struct SittingParticipant: Sendable, Equatable {
    public var name: String
    public var role: SittingRole

    public init(name: String, role: SittingRole) {
        self.name = name
        self.role = role
    }
}

/// One decision, with the facts its kind needs.
public struct LeadDecision: Sendable, Equatable {
    public enum Detail: Sendable, Equatable {
        case mediateHere(by: MediatorKind, mediatorName: String)
        case refer(to: LeadReferralKind, referredTo: String)
        /// `targetUnitID` nil: the township above the village.
        /// `mediationBodyID`: the registry's body that will mediate it, if the council names one.
        case dispatch(targetUnitID: Int64?, mediationBodyID: Int64? = nil)
        case openCase
        case reportPolice
        case close(reason: String)

        public var kind: LeadDecisionKind {
            switch self {
            case .mediateHere: return .mediateHere
            case .refer: return .refer
            case .dispatch: return .dispatch
            case .openCase: return .openCase
            case .reportPolice: return .reportPolice
            case .close: return .close
            }
        }
    }

    public var leadID: Int64
    public var detail: Detail
    public var note: String?
    /// The danger grade the council judged (研判), if it judged one; it becomes the lead's grade, so a
    /// dispute reported without the checklist can be graded and, at medium or high, dispatched.
    public var riskGrade: RiskGrade?

    public init(leadID: Int64, detail: Detail, note: String? = nil, riskGrade: RiskGrade? = nil) {
        self.leadID = leadID
        self.detail = detail
        self.note = note
        self.riskGrade = riskGrade
    }
}

public struct Sitting: Sendable, Equatable {
    public var heldOn: LocalDate
    public var participants: [SittingParticipant]
    public var decisions: [LeadDecision]
}

public struct SittingParticipantDraft: Sendable {
    public var name: String?
    public var role: String?

    public init(name: String? = nil, role: String? = nil) {
        self.name = name
        self.role = role
    }
}

public struct LeadDecisionDraft: Sendable {
    public var leadID: Int64?
    public var decision: String?
    public var mediatorKind: String?
    public var mediatorName: String?
    public var referralKind: String?
    public var referredTo: String?
    public var targetUnitID: Int64?
    public var mediationBodyID: Int64?
    public var reason: String?
    public var note: String?
    public var riskGrade: String?

    public init(leadID: Int64? = nil, decision: String? = nil, mediatorKind: String? = nil, mediatorName: String? = nil,
                referralKind: String? = nil, referredTo: String? = nil, targetUnitID: Int64? = nil, mediationBodyID: Int64? = nil,
                reason: String? = nil, note: String? = nil, riskGrade: String? = nil) {
        self.riskGrade = riskGrade
        self.mediationBodyID = mediationBodyID
        self.leadID = leadID
        self.decision = decision
        self.mediatorKind = mediatorKind
        self.mediatorName = mediatorName
        self.referralKind = referralKind
        self.referredTo = referredTo
        self.targetUnitID = targetUnitID
        self.reason = reason
        self.note = note
    }
}

public struct SittingDraft: Sendable {
    public var heldOn: String?
    public var participants: [SittingParticipantDraft]
    public var decisions: [LeadDecisionDraft]

    public init(heldOn: String? = nil, participants: [SittingParticipantDraft] = [], decisions: [LeadDecisionDraft] = []) {
        self.heldOn = heldOn
        self.participants = participants
        self.decisions = decisions
    }

    public static let textLimit = 200
    public static let noteLimit = 2000
    public static let participantLimit = 50
    public static let decisionLimit = 100

    /// Every bad field at once; a sitting is not held in the future (`today`).
    public func validate(today: LocalDate) -> Result<Sitting, ValidationFailure> {
        var errors: [FieldError] = []
        func text(_ value: String?, _ field: String, limit: Int, required: Bool) -> String? {
            let trimmed = value.map { String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
            guard let trimmed, !trimmed.isEmpty else {
                if required { errors.append(FieldError(field, "is required")) }
                return nil
            }
            if trimmed.count > limit { errors.append(FieldError(field, "is longer than \(limit) characters")); return nil }
            return trimmed
        }
        func oneOf<Word: RawRepresentable & CaseIterable>(_ raw: String?, _: Word.Type, _ field: String) -> Word?
        where Word.RawValue == String {
            guard let raw else { errors.append(FieldError(field, "is required")); return nil }
            guard let word = Word(rawValue: raw) else {
                errors.append(FieldError(field, "must be one of " + Word.allCases.map(\.rawValue).joined(separator: ", ")))
                return nil
            }
            return word
        }
        var heldOn: LocalDate?
        if let typed = self.heldOn {
            if let day = LocalDate(iso: typed) {
                if day > today { errors.append(FieldError("held_on", "is in the future")) } else { heldOn = day }
            } else {
                errors.append(FieldError("held_on", "must be a date as YYYY-MM-DD"))
            }
        } else {
            errors.append(FieldError("held_on", "is required"))
        }
        if self.participants.isEmpty { errors.append(FieldError("participants", "name at least one participant")) }
        if self.participants.count > Self.participantLimit { errors.append(FieldError("participants", "at most \(Self.participantLimit)")) }
        var participants: [SittingParticipant] = []
        for (index, draft) in self.participants.prefix(Self.participantLimit).enumerated() {
            let name = text(draft.name, "participants[\(index)].name", limit: Self.textLimit, required: true)
            let role = oneOf(draft.role, SittingRole.self, "participants[\(index)].role")
            if let name, let role { participants.append(SittingParticipant(name: name, role: role)) }
        }
        if self.decisions.isEmpty { errors.append(FieldError("decisions", "decide at least one lead")) }
        if self.decisions.count > Self.decisionLimit { errors.append(FieldError("decisions", "at most \(Self.decisionLimit)")) }
        var decisions: [LeadDecision] = []
        var seen = Set<Int64>()
        for (index, draft) in self.decisions.prefix(Self.decisionLimit).enumerated() {
            let path = "decisions[\(index)]"
            if let id = draft.leadID {
                if id <= 0 { errors.append(FieldError("\(path).lead_id", "must be a positive integer")) }
                else if !seen.insert(id).inserted { errors.append(FieldError("\(path).lead_id", "is decided twice in this sitting")) }
            } else {
                errors.append(FieldError("\(path).lead_id", "is required"))
            }
            let note = text(draft.note, "\(path).note", limit: Self.noteLimit, required: false)
            let riskGrade = draft.riskGrade.flatMap { _ in oneOf(draft.riskGrade, RiskGrade.self, "\(path).risk_grade") }
            guard let kind = oneOf(draft.decision, LeadDecisionKind.self, "\(path).decision") else { continue }
            var detail: LeadDecision.Detail?
            switch kind {
            case .mediateHere:
                let by = oneOf(draft.mediatorKind, MediatorKind.self, "\(path).mediator_kind")
                let name = text(draft.mediatorName, "\(path).mediator_name", limit: Self.textLimit, required: true)
                if let by, let name { detail = .mediateHere(by: by, mediatorName: name) }
            case .refer:
                let to = oneOf(draft.referralKind, LeadReferralKind.self, "\(path).referral_kind")
                let name = text(draft.referredTo, "\(path).referred_to", limit: Self.textLimit, required: true)
                if let to, let name { detail = .refer(to: to, referredTo: name) }
            case .dispatch:
                if let id = draft.targetUnitID, id <= 0 { errors.append(FieldError("\(path).target_unit_id", "must be a positive integer")) }
                if let id = draft.mediationBodyID, id <= 0 { errors.append(FieldError("\(path).mediation_body_id", "must be a positive integer")) }
                detail = .dispatch(targetUnitID: draft.targetUnitID, mediationBodyID: draft.mediationBodyID)
            case .openCase: detail = .openCase
            case .reportPolice: detail = .reportPolice
            case .close:
                if let reason = text(draft.reason, "\(path).reason", limit: Self.noteLimit, required: true) { detail = .close(reason: reason) }
            }
            // Facts that belong to another kind of decision are a mistake worth saying, not silently dropped.
            let foreign: [(String, Bool)] = [
                ("mediator_kind", draft.mediatorKind != nil && kind != .mediateHere),
                ("mediator_name", draft.mediatorName != nil && kind != .mediateHere),
                ("referral_kind", draft.referralKind != nil && kind != .refer),
                ("referred_to", draft.referredTo != nil && kind != .refer),
                ("target_unit_id", draft.targetUnitID != nil && kind != .dispatch),
                ("mediation_body_id", draft.mediationBodyID != nil && kind != .dispatch),
                ("reason", draft.reason != nil && kind != .close),
            ]
            for (field, bad) in foreign where bad { errors.append(FieldError("\(path).\(field)", "does not belong to a \(kind.rawValue) decision")) }
            if let detail, let id = draft.leadID { decisions.append(LeadDecision(leadID: id, detail: detail, note: note, riskGrade: riskGrade)) }
        }
        guard errors.isEmpty, let heldOn else { return .failure(ValidationFailure(errors)) }
        return .success(Sitting(heldOn: heldOn, participants: participants, decisions: decisions))
    }
}
