import Foundation

/// A measure a personal-safety protection order (人身安全保护令) may order (反家庭暴力法 Art. 29).
public enum ProtectionMeasure: String, Sendable, CaseIterable {
    /// 禁止被申请人实施家庭暴力
    case noViolence = "no_violence"
    /// 禁止骚扰、跟踪、接触申请人及其相关近亲属
    case noHarassmentOrContact = "no_harassment_or_contact"
    /// 责令被申请人迁出申请人住所
    case moveOut = "move_out"
    /// 保护申请人人身安全的其他措施 (its text is required)
    case other

    public var label: String {
        switch self {
        case .noViolence: return "禁止实施家庭暴力"
        case .noHarassmentOrContact: return "禁止骚扰、跟踪、接触申请人及其相关近亲属"
        case .moveOut: return "责令迁出申请人住所"
        case .other: return "其他措施"
        }
    }
}

/// Who the order protects, as a reference to someone already on record (never a copy of her details).
public enum ProtectedPerson: String, Sendable, CaseIterable {
    /// The case's petitioner.
    case petitioner
    /// The case's victim (当事人), when someone else petitioned for her.
    case victim
    /// A member of the household on the register (`household_member_id`).
    case householdMember = "household_member"

    public var label: String {
        switch self {
        case .petitioner: return "信访人本人"
        case .victim: return "当事人"
        case .householdMember: return "家庭成员"
        }
    }
}

/// A validated protection order, ready to record.
public struct ProtectionOrder: Sendable, Equatable {
    public var court: String
    public var orderNo: String
    public var protectedPerson: ProtectedPerson
    public var householdMemberID: Int64?
    public var issuedOn: LocalDate
    public var effectiveFrom: LocalDate
    public var expiresOn: LocalDate
    public var measures: [ProtectionMeasure]
    public var otherMeasure: String?
    /// 责令被申请人接受心理辅导/矫治 (Changzhou's first such order).
    public var counsellingOrdered: Bool

    public init(court: String, orderNo: String, protectedPerson: ProtectedPerson, householdMemberID: Int64? = nil,
                issuedOn: LocalDate, effectiveFrom: LocalDate, expiresOn: LocalDate, measures: [ProtectionMeasure],
                otherMeasure: String? = nil, counsellingOrdered: Bool) {
        self.court = court
        self.orderNo = orderNo
        self.protectedPerson = protectedPerson
        self.householdMemberID = householdMemberID
        self.issuedOn = issuedOn
        self.effectiveFrom = effectiveFrom
        self.expiresOn = expiresOn
        self.measures = measures
        self.otherMeasure = otherMeasure
        self.counsellingOrdered = counsellingOrdered
    }

    public static let courtLimit = 100
    public static let numberLimit = 64
    public static let textLimit = 2000
    /// Sanity only: the law's term is up to six months (Art. 30) and extensions add to it; a date years
    /// away is a typing error, not an order.
    public static let longestSpanDays = 3 * 366
}

/// An order as the API or a form gives it, before validation.
public struct ProtectionOrderDraft: Sendable {
    public var court: String?
    public var orderNo: String?
    public var protectedPerson: String?
    public var householdMemberID: Int64?
    public var issuedOn: String?
    public var effectiveFrom: String?
    public var expiresOn: String?
    public var measures: [String]?
    public var otherMeasure: String?
    public var counsellingOrdered: Bool?

    public init(court: String? = nil, orderNo: String? = nil, protectedPerson: String? = nil, householdMemberID: Int64? = nil,
                issuedOn: String? = nil, effectiveFrom: String? = nil, expiresOn: String? = nil, measures: [String]? = nil,
                otherMeasure: String? = nil, counsellingOrdered: Bool? = nil) {
        self.court = court
        self.orderNo = orderNo
        self.protectedPerson = protectedPerson
        self.householdMemberID = householdMemberID
        self.issuedOn = issuedOn
        self.effectiveFrom = effectiveFrom
        self.expiresOn = expiresOn
        self.measures = measures
        self.otherMeasure = otherMeasure
        self.counsellingOrdered = counsellingOrdered
    }

    /// Every problem at once. `today`: an order is not issued in the future. `onHousehold`: the order
    /// belongs to a household only, so it protects one of its members.
    public func validate(today: LocalDate, onHousehold: Bool) -> Result<ProtectionOrder, ValidationFailure> {
        var errors: [FieldError] = []
        func text(_ value: String?, _ field: String, limit: Int) -> String? {
            let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if trimmed.isEmpty { errors.append(FieldError(field, "is required")); return nil }
            if trimmed.count > limit { errors.append(FieldError(field, "must be at most \(limit) characters")); return nil }
            return trimmed
        }
        func day(_ value: String?, _ field: String) -> LocalDate? {
            guard let value, !value.isEmpty else { errors.append(FieldError(field, "is required")); return nil }
            guard let parsed = LocalDate(iso: value) else { errors.append(FieldError(field, "must be a date as YYYY-MM-DD")); return nil }
            return parsed
        }
        let court = text(self.court, "court", limit: ProtectionOrder.courtLimit)
        let orderNo = text(self.orderNo, "order_no", limit: ProtectionOrder.numberLimit)
        var person: ProtectedPerson?
        if let raw = protectedPerson {
            person = ProtectedPerson(rawValue: raw)
            if person == nil {
                errors.append(FieldError("protected_person", "must be one of " + ProtectedPerson.allCases.map(\.rawValue).joined(separator: ", ")))
            }
        } else if onHousehold || householdMemberID != nil {
            person = .householdMember
        } else {
            person = .petitioner
        }
        if let person {
            if person == .householdMember, householdMemberID == nil {
                errors.append(FieldError("household_member_id", "is required for a household member"))
            }
            if person != .householdMember, householdMemberID != nil {
                errors.append(FieldError("household_member_id", "only for protected_person household_member"))
            }
            if onHousehold, person != .householdMember {
                errors.append(FieldError("protected_person", "an order on a household protects one of its members"))
            }
        }
        let issued = day(issuedOn, "issued_on")
        let effective = day(effectiveFrom, "effective_from")
        let expires = day(expiresOn, "expires_on")
        if let issued, issued > today { errors.append(FieldError("issued_on", "must not be in the future")) }
        if let issued, let effective, effective < issued { errors.append(FieldError("effective_from", "must not be before issued_on")) }
        if let effective, let expires {
            if expires <= effective { errors.append(FieldError("expires_on", "must be after effective_from")) }
            else if expires.dayNumber - effective.dayNumber > ProtectionOrder.longestSpanDays {
                errors.append(FieldError("expires_on", "must be within \(ProtectionOrder.longestSpanDays) days of effective_from"))
            }
        }
        var measures: [ProtectionMeasure] = []
        if let raw = self.measures, !raw.isEmpty {
            for (index, value) in raw.enumerated() {
                if let measure = ProtectionMeasure(rawValue: value) {
                    if !measures.contains(measure) { measures.append(measure) }
                } else {
                    errors.append(FieldError("measures[\(index)]", "must be one of " + ProtectionMeasure.allCases.map(\.rawValue).joined(separator: ", ")))
                }
            }
        } else {
            errors.append(FieldError("measures", "must name at least one measure"))
        }
        var other: String?
        let otherText = otherMeasure?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if measures.contains(.other) {
            other = text(otherMeasure, "other_measure", limit: ProtectionOrder.textLimit)
        } else if !otherText.isEmpty {
            errors.append(FieldError("other_measure", "only with the measure other"))
        }
        guard errors.isEmpty, let court, let orderNo, let person, let issued, let effective, let expires else {
            return .failure(ValidationFailure(errors))
        }
        // Kept in the law's order, whatever order they came in.
        let ordered = ProtectionMeasure.allCases.filter(measures.contains)
        return .success(ProtectionOrder(court: court, orderNo: orderNo, protectedPerson: person, householdMemberID: householdMemberID,
                                        issuedOn: issued, effectiveFrom: effective, expiresOn: expires, measures: ordered,
                                        otherMeasure: other, counsellingOrdered: counsellingOrdered ?? false))
    }
}

/// An extension the court granted (Art. 30: on the applicant's application before the order expires).
public struct ProtectionOrderExtension: Sendable, Equatable {
    public var ruledOn: LocalDate
    public var expiresOn: LocalDate
    public var note: String?

    public init(ruledOn: LocalDate, expiresOn: LocalDate, note: String? = nil) {
        self.ruledOn = ruledOn
        self.expiresOn = expiresOn
        self.note = note
    }

    /// Every problem of a draft at once; whether the new day is after the current expiry is the store's check.
    public static func validate(ruledOn: String?, expiresOn: String?, note: String?, today: LocalDate)
        -> Result<ProtectionOrderExtension, ValidationFailure> {
        var errors: [FieldError] = []
        var ruled: LocalDate?, expires: LocalDate?
        if let ruledOn, !ruledOn.isEmpty {
            ruled = LocalDate(iso: ruledOn)
            if ruled == nil { errors.append(FieldError("ruled_on", "must be a date as YYYY-MM-DD")) }
            else if ruled! > today { errors.append(FieldError("ruled_on", "must not be in the future")) }
        } else {
            ruled = today
        }
        if let expiresOn, !expiresOn.isEmpty {
            expires = LocalDate(iso: expiresOn)
            if expires == nil { errors.append(FieldError("expires_on", "must be a date as YYYY-MM-DD")) }
        } else {
            errors.append(FieldError("expires_on", "is required"))
        }
        let trimmed = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let trimmed, trimmed.count > ProtectionOrder.textLimit { errors.append(FieldError("note", "must be at most \(ProtectionOrder.textLimit) characters")) }
        guard errors.isEmpty, let ruled, let expires else { return .failure(ValidationFailure(errors)) }
        return .success(ProtectionOrderExtension(ruledOn: ruled, expiresOn: expires, note: trimmed.flatMap { $0.isEmpty ? nil : $0 }))
    }
}

/// A reported breach of an order: when, and what happened.
public struct ProtectionOrderViolation: Sendable, Equatable {
    public var occurredOn: LocalDate
    public var what: String

    public init(occurredOn: LocalDate, what: String) {
        self.occurredOn = occurredOn
        self.what = what
    }

    public static func validate(occurredOn: String?, what: String?, today: LocalDate) -> Result<ProtectionOrderViolation, ValidationFailure> {
        var errors: [FieldError] = []
        var day: LocalDate?
        if let occurredOn, !occurredOn.isEmpty {
            day = LocalDate(iso: occurredOn)
            if day == nil { errors.append(FieldError("occurred_on", "must be a date as YYYY-MM-DD")) }
            else if day! > today { errors.append(FieldError("occurred_on", "must not be in the future")) }
        } else {
            errors.append(FieldError("occurred_on", "is required"))
        }
        let text = what?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if text.isEmpty { errors.append(FieldError("what", "is required")) }
        else if text.count > ProtectionOrder.textLimit { errors.append(FieldError("what", "must be at most \(ProtectionOrder.textLimit) characters")) }
        guard errors.isEmpty, let day else { return .failure(ValidationFailure(errors)) }
        return .success(ProtectionOrderViolation(occurredOn: day, what: text))
    }

    /// The reason code of the police-report task one violation makes (one task per violation).
    public static func taskReason(_ violationID: Int64) -> String { "protection_order_violation_\(violationID)" }
}
