/// How the person a matter is about (当事人) is related to the petitioner who brought it.
public enum VictimRelation: String, Sendable, CaseIterable {
    /// The petitioner speaks for herself (`self` in the API).
    case petitioner = "self"
    case child, spouse, parent, relative, other

    public var label: String {
        switch self {
        case .petitioner: return "本人"
        case .child: return "子女"
        case .spouse: return "配偶或伴侣"
        case .parent: return "父母"
        case .relative: return "其他亲属"
        case .other: return "其他人"
        }
    }
}

/// The person the matter is about (当事人), kept apart from the petitioner: a mother often calls about
/// her daughter. Sealing, mandatory reports and the danger checklist follow this person.
public struct Victim: Equatable, Sendable {
    public var relation: VictimRelation
    public var birthDate: LocalDate?
    /// Age in years as told, when the birth date is not known.
    public var age: Int?
    /// Under 18 on the day the matter was received: ticked, or by age or birth date.
    public var isMinor: Bool

    public init(relation: VictimRelation, birthDate: LocalDate? = nil, age: Int? = nil, isMinor: Bool = false) {
        self.relation = relation
        self.birthDate = birthDate
        self.age = age
        self.isMinor = isMinor
    }

    /// Whether the person the matter is about is a minor: her own facts, or — when she is the petitioner
    /// herself, or nobody else was named — the petitioner's. The database applies the same rule
    /// (trigger `cases_mandatory_report`, sql/007_victims.sql).
    public static func isMinor(_ victim: Victim?, petitionerIsMinor: Bool) -> Bool {
        if victim?.isMinor == true { return true }
        return (victim?.relation ?? .petitioner) == .petitioner && petitionerIsMinor
    }
}

/// Victim fields as typed in, before validation.
public struct VictimDraft: Sendable {
    public var relation: String?
    public var birthDate: String?
    public var age: Int?
    public var isMinor: Bool?

    public init(relation: String? = nil, birthDate: String? = nil, age: Int? = nil, isMinor: Bool? = nil) {
        self.relation = relation
        self.birthDate = birthDate
        self.age = age
        self.isMinor = isMinor
    }
}

extension LocalDate {
    /// Whole years from `self` (a birth date) to `day`.
    public func age(on day: LocalDate) -> Int {
        var age = day.year - year
        if (day.month, day.day) < (month, self.day) { age -= 1 }
        return age
    }
}
