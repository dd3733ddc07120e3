import Foundation

/// A contact as submitted (API or console), before validation. Field names follow the JSON.
public struct IntakeDraft: Sendable {
    public var channel: String?
    public var caseID: Int64?
    public var petitionerID: Int64?
    public var petitioner: PetitionerDraft?
    /// The person the matter is about, when not (only) the petitioner.
    public var victim: VictimDraft?
    public var category: String?
    public var summary: String?
    public var unitID: Int64?
    public var subLine: String?          // call.sub_line
    public var letter: LetterDraft?
    public var visitWindow: String?      // visit.window
    public var visitVisitors: Int?       // visit.visitors

    public init() {}
}

/// A validated contact: what the store records in one transaction.
public struct Intake: Sendable {
    public enum Target: Equatable, Sendable {
        /// Opens a case; `unitID` nil means the submitter's own unit.
        case newCase(category: CaseCategory, unitID: Int64?)
        /// Attaches to a case already on record (a repeat petition).
        case existingCase(id: Int64)
    }

    public enum PetitionerReference: Equatable, Sendable {
        case existing(id: Int64)
        case new(Petitioner)
        /// Attaching to a case without naming anyone: the case's own petitioner; a new case: anonymous.
        case unspecified
    }

    public let target: Target
    /// The store may swap a new person for the one on record with the same number and name.
    public var petitioner: PetitionerReference
    /// The person the matter is about; nil: the petitioner herself (a new case) or the case's own (an existing one).
    public let victim: Victim?
    public let details: ChannelDetails
    public let summary: String
    /// The day the matter reached the federation; deadlines count from it.
    public let receivedOn: LocalDate
    /// A new case found in a screening campaign (专项排查); checked against the campaign before it is written.
    public var campaignID: Int64? = nil
}

/// Who submits: staff through the API or console, or a petitioner on the public page.
public enum IntakeSource: Sendable {
    case staff
    case publicPetition
}

public enum IntakeValidator {
    public static let summaryLimit = 4000
    public static let nameLimit = 50
    public static let addressLimit = 200
    public static let labelLimit = 64
    public static let maxVisitors = 1000
    public static let maxAge = 120

    /// Checks every field and reports every problem at once.
    public static func validate(_ draft: IntakeDraft, source: IntakeSource, today: LocalDate) -> Result<Intake, ValidationFailure> {
        var errors: [FieldError] = []

        // Channel and its own fields.
        var details: ChannelDetails?
        var receivedOn = today
        let channel: Channel?
        switch source {
        case .publicPetition: channel = .online
        case .staff:
            if let raw = draft.channel {
                channel = Channel(rawValue: raw)
                if channel == nil || channel == .online {
                    errors.append(FieldError("channel", "must be one of call, letter, visit (online petitions come through /petitions)"))
                }
            } else {
                channel = nil
                errors.append(FieldError("channel", "is required"))
            }
        }
        switch channel {
        case .call:
            let line = draft.subLine.map(trimmed) ?? "main"
            if line.isEmpty || line.count > labelLimit {
                errors.append(FieldError("call.sub_line", "must be 1 to \(labelLimit) characters"))
            }
            details = .call(subLine: line)
        case .letter:
            if let letter = Letter.validate(draft.letter ?? LetterDraft(), today: today, errors: &errors) {
                details = .letter(letter)
                receivedOn = letter.receivedOn
            }
        case .visit:
            let window = draft.visitWindow.map(trimmed) ?? ""
            if window.isEmpty || window.count > labelLimit {
                errors.append(FieldError("visit.window", "is required, at most \(labelLimit) characters"))
            }
            let visitors = draft.visitVisitors ?? 1
            if !(1...maxVisitors).contains(visitors) {
                errors.append(FieldError("visit.visitors", "must be between 1 and \(maxVisitors)"))
            }
            details = .visit(window: window, visitors: visitors)
        case .online:
            details = .online
        case nil:
            break
        }
        if channel != .call, draft.subLine != nil { errors.append(FieldError("call", "only for channel call")) }
        if channel != .letter, draft.letter?.isEmpty == false {
            errors.append(FieldError("letter", "only for channel letter"))
        }
        if channel != .visit, draft.visitWindow != nil || draft.visitVisitors != nil {
            errors.append(FieldError("visit", "only for channel visit"))
        }

        // New case or an existing one.
        var target: Intake.Target?
        if let caseID = draft.caseID {
            if source == .publicPetition { errors.append(FieldError("case_id", "is not accepted here")) }
            if caseID <= 0 { errors.append(FieldError("case_id", "must be a positive case id")) }
            if draft.category != nil { errors.append(FieldError("category", "must not be given with case_id: the case keeps its category")) }
            if draft.unitID != nil { errors.append(FieldError("unit_id", "must not be given with case_id")) }
            target = .existingCase(id: caseID)
        } else if let raw = draft.category {
            if let category = CaseCategory(rawValue: raw) {
                target = .newCase(category: category, unitID: draft.unitID)
            } else {
                errors.append(FieldError("category", "must be one of " + CaseCategory.allCases.map(\.rawValue).joined(separator: ", ")))
            }
        } else {
            errors.append(FieldError("category", "is required for a new case"))
        }
        if let unit = draft.unitID, unit <= 0 { errors.append(FieldError("unit_id", "must be a positive unit id")) }

        // Summary.
        let summary = draft.summary.map(trimmed) ?? ""
        if summary.isEmpty { errors.append(FieldError("summary", "is required")) }
        else if summary.count > summaryLimit { errors.append(FieldError("summary", "must be at most \(summaryLimit) characters")) }

        // Petitioner.
        var petitioner = Intake.PetitionerReference.unspecified
        if let id = draft.petitionerID {
            if source == .publicPetition { errors.append(FieldError("petitioner_id", "is not accepted here")) }
            if draft.petitioner != nil { errors.append(FieldError("petitioner", "give either petitioner_id or petitioner, not both")) }
            if id <= 0 { errors.append(FieldError("petitioner_id", "must be a positive id")) }
            petitioner = .existing(id: id)
        } else if let given = draft.petitioner {
            let (person, problems) = validatePetitioner(given, today: today, requireContact: source == .publicPetition)
            errors += problems
            if let person { petitioner = .new(person) }
        } else if source == .publicPetition {
            errors.append(FieldError("petitioner", "is required: we need your name and phone to answer you"))
        }

        // The person the matter is about, a property of the case.
        var victim: Victim?
        if let given = draft.victim {
            if draft.caseID != nil { errors.append(FieldError("victim", "must not be given with case_id: the case keeps its victim")) }
            let (person, problems) = validateVictim(given, receivedOn: receivedOn)
            errors += problems
            victim = person
        }

        guard errors.isEmpty, let target, let details else { return .failure(ValidationFailure(errors)) }
        return .success(Intake(target: target, petitioner: petitioner, victim: victim, details: details, summary: summary,
                               receivedOn: receivedOn))
    }

    static func validatePetitioner(_ draft: PetitionerDraft, today: LocalDate, requireContact: Bool) -> (Petitioner?, [FieldError]) {
        var errors: [FieldError] = []
        let name = draft.name.map(trimmed).flatMap { $0.isEmpty ? nil : $0 }
        if let name, name.count > nameLimit { errors.append(FieldError("petitioner.name", "must be at most \(nameLimit) characters")) }
        if requireContact && name == nil { errors.append(FieldError("petitioner.name", "is required")) }

        var phone: PhoneNumber?
        if let raw = draft.phone.map(trimmed), !raw.isEmpty {
            phone = PhoneNumber(raw)
            if phone == nil { errors.append(FieldError("petitioner.phone", "is not a mainland mobile or landline number")) }
        } else if requireContact {
            errors.append(FieldError("petitioner.phone", "is required"))
        }

        var idNumber: ResidentIDNumber?
        if let raw = draft.idNumber.map(trimmed), !raw.isEmpty {
            idNumber = ResidentIDNumber(raw)
            if idNumber == nil { errors.append(FieldError("petitioner.id_number", "is not a valid 18-character resident ID number")) }
        }

        let address = draft.address.map(trimmed).flatMap { $0.isEmpty ? nil : $0 }
        if let address, address.count > addressLimit {
            errors.append(FieldError("petitioner.address", "must be at most \(addressLimit) characters"))
        }
        // The ID number is authoritative: a girl of 15 is a minor whatever box was ticked.
        let isMinor = (draft.isMinor ?? false) || (idNumber?.isMinor(on: today) ?? false)
        guard errors.isEmpty else { return (nil, errors) }
        return (Petitioner(name: name, phone: phone, idNumber: idNumber, address: address, isMinor: isMinor), [])
    }

    /// A victim's age may come as years, a birth date or a ticked box; any of them saying under 18 makes
    /// her a minor (a wrong "no" must not lose a child's mandatory report).
    static func validateVictim(_ draft: VictimDraft, receivedOn: LocalDate) -> (Victim?, [FieldError]) {
        var errors: [FieldError] = []
        let relation = draft.relation.map(trimmed).flatMap(VictimRelation.init(rawValue:))
        if relation == nil {
            errors.append(FieldError("victim.relation", "must be one of " + VictimRelation.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        var birthDate: LocalDate?
        if let raw = draft.birthDate.map(trimmed), !raw.isEmpty {
            birthDate = LocalDate(iso: raw)
            if let day = birthDate, day > receivedOn { errors.append(FieldError("victim.birth_date", "cannot be in the future")) }
            else if let day = birthDate, day.age(on: receivedOn) > maxAge {
                errors.append(FieldError("victim.birth_date", "is more than \(maxAge) years ago"))
            } else if birthDate == nil { errors.append(FieldError("victim.birth_date", "must be a date written YYYY-MM-DD")) }
        }
        if let age = draft.age, !(0...maxAge).contains(age) {
            errors.append(FieldError("victim.age", "must be between 0 and \(maxAge)"))
        }
        guard errors.isEmpty, let relation else { return (nil, errors) }
        let isMinor = (draft.isMinor ?? false) || (draft.age.map { $0 < 18 } ?? false)
            || (birthDate.map { $0.age(on: receivedOn) < 18 } ?? false)
        return (Victim(relation: relation, birthDate: birthDate, age: draft.age, isMinor: isMinor), [])
    }

    /// Leading and trailing white space removed (Unicode-aware, without a Foundation round trip).
    static func trimmed(_ text: String) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
              let last = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(text[first...last])
    }
}
