import Foundation

/// Where a dispatch (派单) stands: sent and awaiting the receiving federation's signature, signed and
/// being mediated, objected to (back to the village), or finished with the mediation's outcome.
public enum DispatchState: String, Sendable, CaseIterable {
    case awaitingSign = "awaiting_sign", signed, objected, settled
    case notSettled = "not_settled", referred

    public var label: String {
        switch self {
        case .awaitingSign: return "待签收"
        case .signed: return "已签收调处中"
        case .objected: return "已退回"
        case .settled: return "已化解"
        case .notSettled: return "未化解"
        case .referred: return "已移交"
        }
    }
}

/// How a mediation ended, in the village or after a dispatch.
public enum MediationResult: String, Sendable, CaseIterable {
    case settled
    /// Not settled: says what happens next.
    case notSettled = "not_settled"
    /// Passed on to another body (the court, the police, a mediation committee): says to whom.
    case referred

    public var label: String {
        switch self {
        case .settled: return "已化解"
        case .notSettled: return "未化解"
        case .referred: return "已移交"
        }
    }
}

public struct MediationOutcome: Sendable, Equatable {
    public let result: MediationResult
    public let nextStep: String?
    public let referredTo: String?
    public let note: String?

    public init(result: MediationResult, nextStep: String?, referredTo: String?, note: String?) {
        self.result = result
        self.nextStep = nextStep
        self.referredTo = referredTo
        self.note = note
    }
}

/// A mediation outcome as sent, validated into `MediationOutcome` (every bad field at once).
public struct MediationOutcomeDraft: Sendable {
    public static let textLimit = 2000
    public var result: String?
    public var nextStep: String?
    public var referredTo: String?
    public var note: String?

    public init(result: String? = nil, nextStep: String? = nil, referredTo: String? = nil, note: String? = nil) {
        self.result = result
        self.nextStep = nextStep
        self.referredTo = referredTo
        self.note = note
    }

    public func validate() -> Result<MediationOutcome, ValidationFailure> {
        var errors: [FieldError] = []
        let result = result.flatMap(MediationResult.init(rawValue:))
        if result == nil { errors.append(FieldError("result", "must be one of settled, not_settled, referred")) }
        let nextStep = GrassrootsText.clean(nextStep, "next_step", &errors)
        let referredTo = GrassrootsText.clean(referredTo, "referred_to", &errors)
        let note = GrassrootsText.clean(note, "note", &errors)
        if result == .notSettled, nextStep == nil, !errors.contains(where: { $0.field == "next_step" }) {
            errors.append(FieldError("next_step", "is required when the dispute is not settled"))
        }
        if result == .referred, referredTo == nil, !errors.contains(where: { $0.field == "referred_to" }) {
            errors.append(FieldError("referred_to", "is required when the dispute is referred on"))
        }
        guard errors.isEmpty, let result else { return .failure(ValidationFailure(errors)) }
        return .success(MediationOutcome(result: result, nextStep: result == .notSettled ? nextStep : nil,
                                         referredTo: result == .referred ? referredTo : nil, note: note))
    }
}

/// How a follow-up was made.
public enum FollowUpMethod: String, Sendable, CaseIterable {
    case visit, phone
    public var label: String { self == .visit ? "入户回访" : "电话回访" }
}

/// What a follow-up found: calm, or the dispute has flared up again.
public enum FollowUpResult: String, Sendable, CaseIterable {
    case calm, recurred
    public var label: String { self == .calm ? "平稳" : "复发" }
}

public struct FollowUp: Sendable, Equatable {
    public let madeOn: LocalDate
    public let method: FollowUpMethod
    public let result: FollowUpResult
    public let notes: String?

    public init(madeOn: LocalDate, method: FollowUpMethod, result: FollowUpResult, notes: String?) {
        self.madeOn = madeOn
        self.method = method
        self.result = result
        self.notes = notes
    }
}

public struct FollowUpDraft: Sendable {
    public var madeOn: String?
    public var method: String?
    public var result: String?
    public var notes: String?

    public init(madeOn: String? = nil, method: String? = nil, result: String? = nil, notes: String? = nil) {
        self.madeOn = madeOn
        self.method = method
        self.result = result
        self.notes = notes
    }

    /// Every bad field at once; a follow-up cannot be made after `today`.
    public func validate(today: LocalDate) -> Result<FollowUp, ValidationFailure> {
        var errors: [FieldError] = []
        var madeOn: LocalDate?
        if let typed = self.madeOn {
            if let day = LocalDate(iso: typed), day <= today { madeOn = day } else {
                errors.append(FieldError("made_on", "must be a date as YYYY-MM-DD, not in the future"))
            }
        } else {
            errors.append(FieldError("made_on", "is required"))
        }
        let method = method.flatMap(FollowUpMethod.init(rawValue:))
        if method == nil { errors.append(FieldError("method", "must be one of visit, phone")) }
        let result = result.flatMap(FollowUpResult.init(rawValue:))
        if result == nil { errors.append(FieldError("result", "must be one of calm, recurred")) }
        let notes = GrassrootsText.clean(notes, "notes", &errors)
        guard errors.isEmpty, let madeOn, let method, let result else { return .failure(ValidationFailure(errors)) }
        return .success(FollowUp(madeOn: madeOn, method: method, result: result, notes: notes))
    }
}

/// Free text of the grassroots forms: trimmed, empty means absent, at most `MediationOutcomeDraft.textLimit`.
public enum GrassrootsText {
    public static func clean(_ text: String?, _ field: String, _ errors: inout [FieldError], required: Bool = false) -> String? {
        let trimmed = text.map { String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
        guard let trimmed, !trimmed.isEmpty else {
            if required { errors.append(FieldError(field, "is required")) }
            return nil
        }
        if trimmed.count > MediationOutcomeDraft.textLimit {
            errors.append(FieldError(field, "is longer than \(MediationOutcomeDraft.textLimit) characters"))
            return nil
        }
        return trimmed
    }
}

extension RiskGrade {
    /// One grade up (a dispute that flares up again is more dangerous); high stays high.
    public var raised: RiskGrade {
        switch self {
        case .low: return .medium
        case .medium, .high: return .high
        }
    }

    /// Only these are dispatched up to the township or county federation (Changzhou: 中高风险).
    public var isDispatchable: Bool { self >= .medium }
}
