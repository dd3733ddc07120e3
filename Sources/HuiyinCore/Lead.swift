/// A lead (线索): trouble seen in a grid before anyone calls, or passed down from a call or petition.
public enum LeadKind: String, Sendable, CaseIterable {
    case familyDispute = "family_dispute"
    case domesticViolence = "domestic_violence"
    case minorSexualAssault = "minor_sexual_assault"
    case minorInDanger = "minor_in_danger"
    case other

    public var label: String {
        switch self {
        case .familyDispute: return "婚姻家庭纠纷"
        case .domesticViolence: return "家庭暴力"
        case .minorSexualAssault: return "疑似未成年人遭受性侵害"
        case .minorInDanger: return "未成年人处境危险"
        case .other: return "其他"
        }
    }

    /// Sealed from the start, like a case of that kind (trigger `leads_seal`, sql/012).
    public var isSealed: Bool { self != .familyDispute && self != .other }

    /// The danger checklist is the domestic-violence one: it fits violence and family disputes.
    public var takesRiskChecklist: Bool { self == .domesticViolence || self == .familyDispute }

    /// The petition category a case opened from this lead takes.
    public var caseCategory: CaseCategory {
        switch self {
        case .familyDispute: return .marriageFamily
        case .domesticViolence: return .domesticViolence
        case .minorSexualAssault: return .sexualAssault
        case .minorInDanger: return .minorsRights
        case .other: return .other
        }
    }
}

/// Where a lead came from; a hotline call or a petition names its case.
public enum LeadSource: String, Sendable, CaseIterable {
    case visit
    case gridReport = "grid_report"
    case hotline
    case petition
    /// Opened by the follow-up of a police domestic-violence incident (家暴警情回访), which it names.
    case policeIncident = "police_incident"

    public var namesCase: Bool { self == .hotline || self == .petition }

    public var label: String {
        switch self {
        case .visit: return "入户走访"
        case .gridReport: return "网格员报告"
        case .hotline: return "12338热线"
        case .petition: return "信访"
        case .policeIncident: return "家暴警情回访"
        }
    }
}

public enum LeadUrgency: String, Sendable, CaseIterable {
    case normal, urgent, immediate

    public var label: String {
        switch self {
        case .normal: return "一般"
        case .urgent: return "紧急"
        case .immediate: return "特急"
        }
    }
}

/// Where a lead stands; only an open lead is on the council's agenda.
public enum LeadStatus: String, Sendable, CaseIterable {
    case open, mediating, referred, dispatched
    case caseOpened = "case_opened"
    case reportedToPolice = "reported_to_police"
    case settled, closed

    public var label: String {
        switch self {
        case .open: return "待研判"
        case .mediating: return "调解中"
        case .referred: return "已转介"
        case .dispatched: return "已派单"
        case .caseOpened: return "已立信访件"
        case .reportedToPolice: return "已报警"
        case .settled: return "已化解"
        case .closed: return "已结束"
        }
    }
}

public enum LeadPersonRole: String, Sendable, CaseIterable {
    case victim, respondent, reporter, other
}

/// One person of a lead, with the victim model's facts.
public struct LeadPerson: Sendable, Equatable {
    public var role: LeadPersonRole
    public var name: String
    /// Digits only.
    public var phone: String?
    public var relation: VictimRelation?
    public var age: Int?
    public var isMinor: Bool

    public init(role: LeadPersonRole, name: String, phone: String? = nil, relation: VictimRelation? = nil, age: Int? = nil,
                isMinor: Bool = false) {
        self.role = role
        self.name = name
        self.phone = phone
        self.relation = relation
        self.age = age
        self.isMinor = isMinor
    }
}

public struct LeadPersonDraft: Sendable {
    public var role: String?
    public var name: String?
    public var phone: String?
    public var relation: String?
    public var age: Int?
    public var isMinor: Bool?

    public init(role: String? = nil, name: String? = nil, phone: String? = nil, relation: String? = nil, age: Int? = nil,
                isMinor: Bool? = nil) {
        self.role = role
        self.name = name
        self.phone = phone
        self.relation = relation
        self.age = age
        self.isMinor = isMinor
    }
}

/// A validated lead: what the store records in one transaction.
public struct Lead: Sendable, Equatable {
    public var gridID: Int64
    public var kind: LeadKind
    public var source: LeadSource
    public var sourceCaseID: Int64?
    public var householdID: Int64?
    public var summary: String
    public var urgency: LeadUrgency
    public var people: [LeadPerson]
    public var riskAnswers: [String: Bool]?
    public var assessment: RiskAssessment?
    /// The screening campaign (专项排查) it was found in, if it names one; checked by the store.
    public var campaignID: Int64? = nil

    /// A victim among the people is a minor (a child lacks full civil capacity).
    public var victimIsMinor: Bool { people.contains { $0.role == .victim && $0.isMinor } }

    /// The reports the law requires at once, by the cases' rules (MandatoryReporting, RiskChecklist):
    /// suspected sexual assault of a minor; domestic violence against a minor; and whatever the
    /// checklist's answers require.
    public var mandatoryReports: [MandatoryReportReason] {
        var reasons = Self.mandatoryReports(kind: kind, victimIsMinor: victimIsMinor)
        for reason in assessment?.mandatoryReports ?? [] where !reasons.contains(reason) { reasons.append(reason) }
        return reasons
    }

    /// What the kind and a minor victim alone require, before any checklist answer (the field page
    /// shows it as the form is filled in).
    public static func mandatoryReports(kind: LeadKind, victimIsMinor: Bool) -> [MandatoryReportReason] {
        switch kind {
        case .minorSexualAssault: return [.minorSexualAssault]
        case .domesticViolence: return MandatoryReporting.reasons(category: .domesticViolence, victimIsMinor: victimIsMinor)
        default: return []
        }
    }

    /// A mandatory-report matter or a high danger grade goes straight to the city federation (直报).
    public var reportsDirectly: Bool { !mandatoryReports.isEmpty || assessment?.grade == .high }

    /// The petition a council's `open_case` decision files for this lead: a case of the lead's kind at
    /// the village, received on the sitting's day, the lead's first victim as the petitioner; it then
    /// runs the regulation's clocks like any intake.
    public static func petitionIntake(kind: LeadKind, people: [LeadPerson], summary: String, villageID: Int64,
                                      receivedOn: LocalDate) -> Intake {
        let person = people.first { $0.role == .victim } ?? people.first
        let petitioner: Intake.PetitionerReference = person.map {
            .new(Petitioner(name: $0.name, phone: $0.phone.flatMap(PhoneNumber.init), isMinor: $0.isMinor))
        } ?? .unspecified
        return Intake(target: .newCase(category: kind.caseCategory, unitID: villageID), petitioner: petitioner, victim: nil,
                      details: .visit(window: Self.councilWindow, visitors: 1), summary: summary, receivedOn: receivedOn)
    }

    /// The "window" a case opened by the council was received at.
    public static let councilWindow = "村（社区）妇女议事会"
}

/// A lead as the API sends it, before validation.
public struct LeadDraft: Sendable {
    public var gridID: Int64?
    public var kind: String?
    public var source: String?
    public var sourceCaseID: Int64?
    public var householdID: Int64?
    public var summary: String?
    public var urgency: String?
    public var people: [LeadPersonDraft]
    public var riskAnswers: [String: Bool]?

    public init(gridID: Int64? = nil, kind: String? = nil, source: String? = nil, sourceCaseID: Int64? = nil,
                householdID: Int64? = nil, summary: String? = nil, urgency: String? = nil, people: [LeadPersonDraft] = [],
                riskAnswers: [String: Bool]? = nil) {
        self.gridID = gridID
        self.kind = kind
        self.source = source
        self.sourceCaseID = sourceCaseID
        self.householdID = householdID
        self.summary = summary
        self.urgency = urgency
        self.people = people
        self.riskAnswers = riskAnswers
    }

    public static let summaryLimit = 4000
    public static let nameLimit = 50
    public static let peopleLimit = 20

    /// Every bad field at once.
    public func validate(checklist: RiskChecklist = .federation) -> Result<Lead, ValidationFailure> {
        var errors: [FieldError] = []
        func oneOf<Word: RawRepresentable & CaseIterable>(_ raw: String?, _: Word.Type, _ field: String,
                                                          required: Bool = true) -> Word? where Word.RawValue == String {
            guard let raw else {
                if required { errors.append(FieldError(field, "is required")) }
                return nil
            }
            guard let word = Word(rawValue: raw) else {
                errors.append(FieldError(field, "must be one of " + Word.allCases.map(\.rawValue).joined(separator: ", ")))
                return nil
            }
            return word
        }
        if gridID == nil { errors.append(FieldError("grid_id", "is required")) } else if gridID! <= 0 {
            errors.append(FieldError("grid_id", "must be a positive integer"))
        }
        let kind = oneOf(kind, LeadKind.self, "kind")
        let source = oneOf(source, LeadSource.self, "source")
        let urgency = oneOf(urgency, LeadUrgency.self, "urgency", required: false) ?? .normal
        if let source {
            if source.namesCase, sourceCaseID == nil { errors.append(FieldError("source_case_id", "is required for a hotline call or a petition")) }
            if !source.namesCase, sourceCaseID != nil { errors.append(FieldError("source_case_id", "only a hotline call or a petition names a case")) }
            if source == .policeIncident { errors.append(FieldError("source", "a lead from a police incident is opened by the incident's follow-up")) }
        }
        if let id = sourceCaseID, id <= 0 { errors.append(FieldError("source_case_id", "must be a positive integer")) }
        if let id = householdID, id <= 0 { errors.append(FieldError("household_id", "must be a positive integer")) }
        let summary = summary?.trimmedLead ?? ""
        if summary.isEmpty { errors.append(FieldError("summary", "is required")) }
        else if summary.count > Self.summaryLimit { errors.append(FieldError("summary", "is longer than \(Self.summaryLimit) characters")) }

        if people.count > Self.peopleLimit { errors.append(FieldError("people", "at most \(Self.peopleLimit) people")) }
        var people: [LeadPerson] = []
        for (index, draft) in self.people.prefix(Self.peopleLimit).enumerated() {
            let path = "people[\(index)]"
            let role = oneOf(draft.role ?? LeadPersonRole.victim.rawValue, LeadPersonRole.self, "\(path).role")
            let name = draft.name?.trimmedLead ?? ""
            if name.isEmpty { errors.append(FieldError("\(path).name", "is required")) }
            else if name.count > Self.nameLimit { errors.append(FieldError("\(path).name", "is longer than \(Self.nameLimit) characters")) }
            let relation = oneOf(draft.relation, VictimRelation.self, "\(path).relation", required: false)
            if let age = draft.age, !(0...150).contains(age) { errors.append(FieldError("\(path).age", "must be from 0 to 150")) }
            let byAge = draft.age.map { (0..<18).contains($0) } ?? false
            if draft.isMinor == false && byAge { errors.append(FieldError("\(path).is_minor", "is false but the age says under 18")) }
            var phone: String?
            if let typed = draft.phone?.trimmedLead, !typed.isEmpty {
                if let number = PhoneNumber(typed) { phone = number.digits } else { errors.append(FieldError("\(path).phone", "is not a phone number")) }
            }
            if let role, !name.isEmpty, name.count <= Self.nameLimit {
                people.append(LeadPerson(role: role, name: name, phone: phone, relation: relation, age: draft.age,
                                         isMinor: draft.isMinor == true || byAge))
            }
        }

        var assessment: RiskAssessment?
        if let answers = riskAnswers {
            if let kind, !kind.takesRiskChecklist {
                errors.append(FieldError("risk_answers", "the danger checklist is asked only for domestic violence and family disputes"))
            } else {
                let victimIsMinor = people.contains { $0.role == .victim && $0.isMinor }
                switch checklist.assess(answers, victimIsMinor: victimIsMinor) {
                case .success(let graded): assessment = graded
                case .failure(let failure):
                    errors += failure.fields.map { FieldError("risk_answers" + $0.field.dropFirst("answers".count), $0.message) }
                }
            }
        }
        guard errors.isEmpty, let gridID, let kind, let source else { return .failure(ValidationFailure(errors)) }
        return .success(Lead(gridID: gridID, kind: kind, source: source, sourceCaseID: sourceCaseID, householdID: householdID,
                             summary: summary, urgency: urgency, people: people, riskAnswers: riskAnswers, assessment: assessment))
    }
}

extension String {
    fileprivate var trimmedLead: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
