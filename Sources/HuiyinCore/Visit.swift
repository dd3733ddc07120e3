import Foundation

/// A calendar month (the visit cycle's unit), written `YYYY-MM`.
public struct VisitMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...12).contains(month), (1900...9999).contains(year) else { return nil }
        self.year = year
        self.month = month
    }

    public init(_ day: LocalDate) {
        year = day.year
        month = day.month
    }

    /// `YYYY-MM` exactly.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
              bytes.enumerated().allSatisfy({ $0.offset == 4 || (48...57).contains($0.element) }),
              let year = Int(text.prefix(4)), let month = Int(text.suffix(2)) else { return nil }
        self.init(year: year, month: month)
    }

    public var description: String { String(format: "%04d-%02d", year, month) }
    public var firstDay: LocalDate { LocalDate(year: year, month: month, day: 1)! }
    public var lastDay: LocalDate { LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year))! }
    public var next: VisitMonth { month == 12 ? VisitMonth(year: year + 1, month: 1)! : VisitMonth(year: year, month: month + 1)! }
    public var previous: VisitMonth { month == 1 ? VisitMonth(year: year - 1, month: 12)! : VisitMonth(year: year, month: month - 1)! }

    /// The day this month's visits are due (the rule set's day; every month has days 1–28).
    public func dueOn(_ rules: RuleSet) -> LocalDate { LocalDate(year: year, month: month, day: rules.grassroots.visitDueDay)! }

    public static func < (lhs: VisitMonth, rhs: VisitMonth) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
}

/// Where the monthly cycle stands on a day: whether the grid's workers are to be warned, and through which
/// month the unvisited households are overdue (told to the village and the township).
public struct VisitSchedule: Sendable, Equatable {
    public let month: VisitMonth
    public let dueOn: LocalDate
    /// From this day to the due day the grid's workers are warned.
    public let warnFrom: LocalDate
    /// True from `warnFrom` through the due day.
    public let warns: Bool
    /// Households of this month and every earlier one still unvisited are overdue: this month once its due day
    /// has passed, otherwise the month before.
    public let overdueThrough: VisitMonth

    public init(today: LocalDate, rules: RuleSet) {
        month = VisitMonth(today)
        dueOn = month.dueOn(rules)
        warnFrom = dueOn.adding(days: -rules.grassroots.visitWarnAheadDays)
        warns = today >= warnFrom && today <= dueOn
        overdueThrough = today > dueOn ? month : month.previous
    }
}

/// In person (入户) or by phone (电话).
public enum VisitMode: String, Sendable, CaseIterable {
    case inPerson = "in_person", phone

    public var label: String {
        switch self {
        case .inPerson: return "入户走访"
        case .phone: return "电话访谈"
        }
    }
}

/// The must-discuss topics of every visit (必谈): women's and children's rights, and the three key ones.
public enum VisitTopic: String, Sendable, CaseIterable {
    case womensChildrensRights = "womens_childrens_rights"
    case marriageFamilyDisputes = "marriage_family_disputes"
    case domesticViolence = "domestic_violence"
    case minorSexualAssault = "minor_sexual_assault"

    public var label: String {
        switch self {
        case .womensChildrensRights: return "妇女儿童权益保障"
        case .marriageFamilyDisputes: return "婚姻家事纠纷"
        case .domesticViolence: return "家庭暴力现象"
        case .minorSexualAssault: return "性侵未成年人案件线索"
        }
    }
}

/// One topic as discussed: asked or not, found (something to report) or not.
public struct VisitTopicAnswer: Sendable, Equatable {
    public var asked: Bool
    public var found: Bool

    public init(asked: Bool, found: Bool) {
        self.asked = asked
        self.found = found
    }
}

/// A visit to record, validated.
public struct Visit: Sendable, Equatable {
    public var householdID: Int64
    public var visitedOn: LocalDate
    public var mode: VisitMode
    /// Every topic, each answered.
    public var topics: [VisitTopic: VisitTopicAnswer]
    public var notes: String?
    public var leadID: Int64?

    public var month: VisitMonth { VisitMonth(visitedOn) }
}

/// A visit as the API sends it, before validation.
public struct VisitDraft: Sendable {
    public var householdID: Int64?
    public var visitedOn: String?
    public var mode: String?
    /// Per topic key as sent: asked and found (nil when missing); keys not among the topics are reported.
    public var topics: [String: (asked: Bool?, found: Bool?)]?
    public var notes: String?
    public var leadID: Int64?

    public init(householdID: Int64? = nil, visitedOn: String? = nil, mode: String? = nil,
                topics: [String: (asked: Bool?, found: Bool?)]? = nil, notes: String? = nil, leadID: Int64? = nil) {
        self.householdID = householdID
        self.visitedOn = visitedOn
        self.mode = mode
        self.topics = topics
        self.notes = notes
        self.leadID = leadID
    }

    public static let notesLimit = 2000

    /// Every bad field at once. Only the current month (that of `today`) is open: a visit dated in an
    /// earlier month is refused (its figures are closed), as is one dated after today.
    public func validate(today: LocalDate) -> Result<Visit, ValidationFailure> {
        var errors: [FieldError] = []
        if let householdID, householdID <= 0 { errors.append(FieldError("household_id", "must be a positive integer")) }
        if householdID == nil { errors.append(FieldError("household_id", "is required")) }
        var visitedOn: LocalDate?
        if let typed = self.visitedOn {
            if let day = LocalDate(iso: typed) {
                if day > today {
                    errors.append(FieldError("visited_on", "is in the future"))
                } else if VisitMonth(day) != VisitMonth(today) {
                    errors.append(FieldError("visited_on", "is in a closed month: only \(VisitMonth(today)) is open"))
                } else {
                    visitedOn = day
                }
            } else {
                errors.append(FieldError("visited_on", "must be a date as YYYY-MM-DD"))
            }
        } else {
            errors.append(FieldError("visited_on", "is required"))
        }
        let mode = self.mode.flatMap(VisitMode.init(rawValue:))
        if mode == nil {
            errors.append(FieldError("mode", self.mode == nil ? "is required" : "must be one of in_person, phone"))
        }
        var topics: [VisitTopic: VisitTopicAnswer] = [:]
        if let sent = self.topics {
            for key in sent.keys.sorted() where VisitTopic(rawValue: key) == nil {
                errors.append(FieldError("topics.\(key)", "is not a topic; the topics are "
                    + VisitTopic.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            for topic in VisitTopic.allCases {
                guard let answer = sent[topic.rawValue] else {
                    errors.append(FieldError("topics.\(topic.rawValue)", "is required (every visit answers each topic)"))
                    continue
                }
                if answer.asked == nil { errors.append(FieldError("topics.\(topic.rawValue).asked", "is required")) }
                if answer.found == nil { errors.append(FieldError("topics.\(topic.rawValue).found", "is required")) }
                if let asked = answer.asked, let found = answer.found { topics[topic] = VisitTopicAnswer(asked: asked, found: found) }
            }
        } else {
            errors.append(FieldError("topics", "is required"))
        }
        var notes = self.notes?.trimmingCharacters(in: .whitespacesAndNewlines)
        if notes?.isEmpty == true { notes = nil }
        if let text = notes, text.count > Self.notesLimit {
            errors.append(FieldError("notes", "is longer than \(Self.notesLimit) characters"))
        }
        if let leadID, leadID <= 0 { errors.append(FieldError("lead_id", "must be a positive integer")) }
        guard errors.isEmpty, let householdID, let visitedOn, let mode else { return .failure(ValidationFailure(errors)) }
        return .success(Visit(householdID: householdID, visitedOn: visitedOn, mode: mode, topics: topics, notes: notes, leadID: leadID))
    }
}
