/// Why a household is on the key-household register (重点户): Jiangsu's 四必访, the households that
/// must be visited.
public enum HouseholdCategory: String, Sendable, CaseIterable {
    case womanEntrepreneurInDifficulty = "woman_entrepreneur_in_difficulty"
    case familyInHardship = "family_in_hardship"
    case emptyNestOrLeftBehind = "empty_nest_or_left_behind"
    case petitionerFamilyDispute = "petitioner_family_dispute"

    public var label: String {
        switch self {
        case .womanEntrepreneurInDifficulty: return "困难女性创业者"
        case .familyInHardship: return "困难家庭"
        case .emptyNestOrLeftBehind: return "空巢老人及留守妇女儿童"
        case .petitionerFamilyDispute: return "婚姻家庭纠纷信访户"
        }
    }
}

/// A matter in the household that seals it like a case of that kind (trigger `households_seal`).
public enum HouseholdMatter: String, Sendable, CaseIterable {
    case domesticViolence = "domestic_violence", minor
}

/// Changzhou's classification of families in difficulty: A/B/C …
public enum HouseholdGrade: String, Sendable, CaseIterable {
    case a = "A", b = "B", c = "C"
}

/// … and red/orange/pink (红/橙/粉).
public enum HouseholdColour: String, Sendable, CaseIterable {
    case red, orange, pink

    public var label: String {
        switch self {
        case .red: return "红"
        case .orange: return "橙"
        case .pink: return "粉"
        }
    }
}

/// One member of a key household, with the victim model's facts (relation to the head, age or birth
/// date, minor).
public struct HouseholdMember: Sendable, Equatable {
    public var name: String
    public var relation: VictimRelation
    public var birthDate: LocalDate?
    public var age: Int?
    public var isMinor: Bool

    public init(name: String, relation: VictimRelation, birthDate: LocalDate? = nil, age: Int? = nil, isMinor: Bool) {
        self.name = name
        self.relation = relation
        self.birthDate = birthDate
        self.age = age
        self.isMinor = isMinor
    }
}

public struct HouseholdMemberDraft: Sendable {
    public var name: String?
    public var relation: String?
    public var birthDate: String?
    public var age: Int?
    public var isMinor: Bool?

    public init(name: String? = nil, relation: String? = nil, birthDate: String? = nil, age: Int? = nil, isMinor: Bool? = nil) {
        self.name = name
        self.relation = relation
        self.birthDate = birthDate
        self.age = age
        self.isMinor = isMinor
    }
}

/// A household to put on the register, validated.
public struct Household: Sendable, Equatable {
    public var gridID: Int64
    public var address: String
    public var headName: String
    /// Digits only.
    public var phone: String?
    public var members: [HouseholdMember]
    public var categories: [HouseholdCategory]
    public var matters: [HouseholdMatter]
    public var notes: String?

    /// A minor among the members is a minor's matter: the household is sealed like a minor's case.
    public var sealedMatters: [HouseholdMatter] {
        var all = matters
        if members.contains(where: \.isMinor), !all.contains(.minor) { all.append(.minor) }
        return all
    }
}

/// A household as the API sends it, before validation.
public struct HouseholdDraft: Sendable {
    public var gridID: Int64?
    public var address: String?
    public var headName: String?
    public var phone: String?
    public var members: [HouseholdMemberDraft]
    public var categories: [String]
    public var matters: [String]
    public var notes: String?

    public init(gridID: Int64? = nil, address: String? = nil, headName: String? = nil, phone: String? = nil,
                members: [HouseholdMemberDraft] = [], categories: [String] = [], matters: [String] = [], notes: String? = nil) {
        self.gridID = gridID
        self.address = address
        self.headName = headName
        self.phone = phone
        self.members = members
        self.categories = categories
        self.matters = matters
        self.notes = notes
    }

    public static let textLimit = 200
    public static let notesLimit = 2000
    public static let memberLimit = 30

    /// Every bad field at once; `today` decides minority from a birth date.
    public func validate(today: LocalDate) -> Result<Household, ValidationFailure> {
        var errors: [FieldError] = []
        func text(_ value: String?, _ field: String, limit: Int, required: Bool) -> String? {
            let trimmed = value?.trimmingWhitespace
            guard let trimmed, !trimmed.isEmpty else {
                if required { errors.append(FieldError(field, "is required")) }
                return nil
            }
            if trimmed.count > limit { errors.append(FieldError(field, "is longer than \(limit) characters")); return nil }
            return trimmed
        }
        if gridID == nil { errors.append(FieldError("grid_id", "is required")) }
        let address = text(address, "address", limit: Self.textLimit, required: true)
        let headName = text(headName, "head_name", limit: Self.textLimit, required: true)
        var phoneDigits: String?
        if let typed = text(phone, "phone", limit: 40, required: false) {
            if let number = PhoneNumber(typed) { phoneDigits = number.digits } else { errors.append(FieldError("phone", "is not a phone number")) }
        }
        let notes = text(notes, "notes", limit: Self.notesLimit, required: false)
        var categories: [HouseholdCategory] = []
        for (index, raw) in self.categories.enumerated() {
            guard let category = HouseholdCategory(rawValue: raw) else {
                errors.append(FieldError("categories[\(index)]", "must be one of " + HouseholdCategory.allCases.map(\.rawValue).joined(separator: ", ")))
                continue
            }
            if !categories.contains(category) { categories.append(category) }
        }
        if self.categories.isEmpty { errors.append(FieldError("categories", "name at least one reason the household is on the register")) }
        var matters: [HouseholdMatter] = []
        for (index, raw) in self.matters.enumerated() {
            guard let matter = HouseholdMatter(rawValue: raw) else {
                errors.append(FieldError("matters[\(index)]", "must be one of " + HouseholdMatter.allCases.map(\.rawValue).joined(separator: ", ")))
                continue
            }
            if !matters.contains(matter) { matters.append(matter) }
        }
        if self.members.count > Self.memberLimit { errors.append(FieldError("members", "at most \(Self.memberLimit) members")) }
        var members: [HouseholdMember] = []
        for (index, draft) in self.members.prefix(Self.memberLimit).enumerated() {
            let path = "members[\(index)]"
            let name = text(draft.name, "\(path).name", limit: Self.textLimit, required: true)
            let relation = draft.relation.flatMap(VictimRelation.init(rawValue:))
            if relation == nil {
                errors.append(FieldError("\(path).relation", "must be one of " + VictimRelation.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            var birthDate: LocalDate?
            if let typed = draft.birthDate {
                if let day = LocalDate(iso: typed), day <= today { birthDate = day } else {
                    errors.append(FieldError("\(path).birth_date", "must be a past date as YYYY-MM-DD"))
                }
            }
            if let age = draft.age, !(0...150).contains(age) { errors.append(FieldError("\(path).age", "must be from 0 to 150")) }
            let byFacts = (birthDate.map { $0.age(on: today) < 18 } ?? false) || (draft.age.map { $0 < 18 } ?? false)
            if draft.isMinor == false && byFacts {
                errors.append(FieldError("\(path).is_minor", "is false but the age or birth date says under 18"))
            }
            if let name, let relation {
                members.append(HouseholdMember(name: name, relation: relation, birthDate: birthDate, age: draft.age,
                                               isMinor: draft.isMinor == true || byFacts))
            }
        }
        guard errors.isEmpty, let gridID, let address, let headName else { return .failure(ValidationFailure(errors)) }
        return .success(Household(gridID: gridID, address: address, headName: headName, phone: phoneDigits, members: members,
                                  categories: categories, matters: matters, notes: notes))
    }
}

/// Changzhou's classification of a household, as set by someone on a day, next reviewed on another.
public struct HouseholdClassification: Sendable, Equatable {
    public var grade: HouseholdGrade
    public var colour: HouseholdColour
    public var reason: String
    public var reviewOn: LocalDate

    public init(grade: HouseholdGrade, colour: HouseholdColour, reason: String, reviewOn: LocalDate) {
        self.grade = grade
        self.colour = colour
        self.reason = reason
        self.reviewOn = reviewOn
    }
}

public struct HouseholdClassificationDraft: Sendable {
    public var grade: String?
    public var colour: String?
    public var reason: String?
    public var reviewOn: String?

    public init(grade: String? = nil, colour: String? = nil, reason: String? = nil, reviewOn: String? = nil) {
        self.grade = grade
        self.colour = colour
        self.reason = reason
        self.reviewOn = reviewOn
    }

    /// Every bad field at once; the review day must lie after `today`.
    public func validate(today: LocalDate) -> Result<HouseholdClassification, ValidationFailure> {
        var errors: [FieldError] = []
        let grade = grade.flatMap(HouseholdGrade.init(rawValue:))
        if grade == nil { errors.append(FieldError("grade", "must be one of A, B, C")) }
        let colour = colour.flatMap(HouseholdColour.init(rawValue:))
        if colour == nil { errors.append(FieldError("colour", "must be one of red, orange, pink")) }
        let reason = reason?.trimmingWhitespace
        if reason?.isEmpty ?? true { errors.append(FieldError("reason", "is required")) }
        else if reason!.count > HouseholdDraft.notesLimit { errors.append(FieldError("reason", "is longer than \(HouseholdDraft.notesLimit) characters")) }
        var reviewOn: LocalDate?
        if let typed = self.reviewOn {
            if let day = LocalDate(iso: typed), day > today { reviewOn = day } else {
                errors.append(FieldError("review_on", "must be a future date as YYYY-MM-DD"))
            }
        } else {
            errors.append(FieldError("review_on", "is required"))
        }
        guard errors.isEmpty, let grade, let colour, let reason, let reviewOn else { return .failure(ValidationFailure(errors)) }
        return .success(HouseholdClassification(grade: grade, colour: colour, reason: reason, reviewOn: reviewOn))
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
