/// A letter (来信): the `letter` object of an intake, as sent and as validated.
///
/// A letter field lives in five places: here (draft, rule, value), the contact columns
/// (HuiyinStore/ContactColumns.swift), the JSON both ways (HuiyinWeb/ChannelDetails+JSON.swift), the API
/// contract (HuiyinWeb/openapi.json) and the migration that adds its column.
public struct LetterDraft: Sendable, Equatable {
    public var receivedOn: String?
    public var sender: String?
    public var onBehalf: Bool?

    public init(receivedOn: String? = nil, sender: String? = nil, onBehalf: Bool? = nil) {
        (self.receivedOn, self.sender, self.onBehalf) = (receivedOn, sender, onBehalf)
    }

    /// Nothing given (an empty `letter` object is as good as none).
    public var isEmpty: Bool { self == LetterDraft() }
}

public struct Letter: Sendable, Equatable {
    /// Deadlines count from this day, which may be days before the letter is logged.
    public var receivedOn: LocalDate
    /// Who wrote; nil only where the reader may not see it (a sealed case read back by someone outside it).
    public var sender: String?
    /// Written on someone else's behalf (代写).
    public var onBehalf: Bool

    public init(receivedOn: LocalDate, sender: String?, onBehalf: Bool) {
        (self.receivedOn, self.sender, self.onBehalf) = (receivedOn, sender, onBehalf)
    }

    /// A letter logged more than this long after it arrived is almost certainly a typing error.
    public static let ageLimitDays = 366

    /// The letter, or nil with every problem appended to `errors` (fields named `letter.…`).
    public static func validate(_ draft: LetterDraft, today: LocalDate, errors: inout [FieldError]) -> Letter? {
        var day: LocalDate?
        if let raw = draft.receivedOn {
            day = LocalDate(iso: raw)
            if let d = day {
                if d > today { errors.append(FieldError("letter.received_on", "cannot be in the future")); day = nil }
                else if today.dayNumber - d.dayNumber > ageLimitDays {
                    errors.append(FieldError("letter.received_on", "is more than a year ago")); day = nil
                }
            } else {
                errors.append(FieldError("letter.received_on", "must be a date written YYYY-MM-DD"))
            }
        } else {
            errors.append(FieldError("letter.received_on", "is required: deadlines count from the day the letter arrived"))
        }
        var sender: String? = draft.sender.map(IntakeValidator.trimmed) ?? ""
        if let given = sender, given.isEmpty || given.count > IntakeValidator.nameLimit {
            errors.append(FieldError("letter.sender", "is required, at most \(IntakeValidator.nameLimit) characters"))
            sender = nil
        }
        guard let day, let sender else { return nil }
        return Letter(receivedOn: day, sender: sender, onBehalf: draft.onBehalf ?? false)
    }
}
