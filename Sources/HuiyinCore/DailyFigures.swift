/// What the daily figures count (`daily_figures.measure`), each with the dimension it is broken down
/// by. Every fact is counted on the day it was recorded in Huiyin — the day the federation learnt
/// it — so a closed day's figures never change, and at the unit that held the matter that day.
public enum FigureMeasure: String, CaseIterable, Sendable {
    /// Contacts (calls, letters, visits, online) by channel.
    case contactsByChannel = "contacts_by_channel"
    /// Contacts by the matter's category.
    case contactsByCategory = "contacts_by_category"
    /// Contacts about a minor victim.
    case contactsMinor = "contacts_minor"
    /// Collective visits (five or more people).
    case collectiveVisits = "collective_visits"
    /// Contacts on a matter already recorded (重复信访), by category.
    case repeatContacts = "repeat_contacts"
    /// Steps of a case's life (registered, accepted, replied, closed, reminders, notices, …), by event kind.
    case caseEvents = "case_events"
    /// New matters by category.
    case casesByCategory = "cases_by_category"
    /// Danger assessments by grade.
    case riskAssessed = "risk_assessed"
    /// Domestic-violence cases assessed high-risk.
    case highRiskDomesticViolence = "high_risk_domestic_violence"
    /// Legal clocks stopped, by `met` (on time) or `breached` (late).
    case clocksStopped = "clocks_stopped"
    /// Household visits recorded, by mode (in person, by phone).
    case visits
    /// Visits that found a problem on one of the four topics.
    case visitsWithFindings = "visits_with_findings"
    /// Leads reported, by kind.
    case leadsByKind = "leads_by_kind"
    /// Leads that are mandatory-report matters.
    case leadsMandatory = "leads_mandatory"
    /// The women's council's decisions, by decision.
    case leadDecisions = "lead_decisions"
    /// Disputes dispatched (派单) up from a village.
    case dispatches
    /// Police domestic-violence incidents received.
    case policeIncidents = "police_incidents"
    /// Police incidents followed up, by `on_time` or `late`.
    case incidentFollowUps = "incident_follow_ups"

    public var label: String {
        switch self {
        case .contactsByChannel: return "来信来访（按渠道）"
        case .contactsByCategory: return "来信来访（按类别）"
        case .contactsMinor: return "涉未成年人来信来访"
        case .collectiveVisits: return "集体访"
        case .repeatContacts: return "重复信访"
        case .caseEvents: return "信访件办理"
        case .casesByCategory: return "新登记信访件（按类别）"
        case .riskAssessed: return "危险性评估"
        case .highRiskDomesticViolence: return "高风险家庭暴力"
        case .clocksStopped: return "办理时限"
        case .visits: return "入户走访"
        case .visitsWithFindings: return "走访发现问题"
        case .leadsByKind: return "网格线索"
        case .leadsMandatory: return "强制报告线索"
        case .leadDecisions: return "议事研判"
        case .dispatches: return "派单"
        case .policeIncidents: return "家暴警情"
        case .incidentFollowUps: return "家暴警情回访"
        }
    }
}

/// One count of the daily figures: a measure and one value of its dimension ("" when it has none).
public struct FigureKey: Hashable, Sendable, Comparable {
    public let measure: FigureMeasure
    public let dimension: String

    public init(_ measure: FigureMeasure, _ dimension: String = "") {
        self.measure = measure
        self.dimension = dimension
    }

    public static func < (a: Self, b: Self) -> Bool { (a.measure.rawValue, a.dimension) < (b.measure.rawValue, b.dimension) }
}

/// A set of counts over some period, summed over days.
public struct FigureCounts: Sendable, Equatable {
    public var counts: [FigureKey: Int]

    public init(_ counts: [FigureKey: Int] = [:]) { self.counts = counts }

    public subscript(measure: FigureMeasure, dimension: String) -> Int { counts[FigureKey(measure, dimension)] ?? 0 }

    /// The measure summed over its dimension.
    public func total(_ measure: FigureMeasure) -> Int {
        counts.reduce(0) { $1.key.measure == measure ? $0 + $1.value : $0 }
    }

    /// The measure's counts by dimension value.
    public func breakdown(_ measure: FigureMeasure) -> [String: Int] {
        var result: [String: Int] = [:]
        for (key, count) in counts where key.measure == measure { result[key.dimension, default: 0] += count }
        return result
    }

    /// The count of one warning series.
    public func count(of series: WarningSeries) -> Int {
        switch series {
        case .category(let category): return self[.contactsByCategory, category.rawValue]
        case .highRiskDomesticViolence: return total(.highRiskDomesticViolence)
        case .minors: return total(.contactsMinor)
        case .collectiveVisits: return total(.collectiveVisits)
        case .repeatPetitions: return total(.repeatContacts)
        }
    }

    /// Share of clocks stopped on time, nil when none stopped.
    public var onTimeRate: Double? {
        let met = self[.clocksStopped, "met"], late = self[.clocksStopped, "breached"]
        return met + late == 0 ? nil : Double(met) / Double(met + late)
    }

    /// Share of police incidents followed up on time, nil when none was followed up.
    public var incidentOnTimeRate: Double? {
        let onTime = self[.incidentFollowUps, "on_time"], late = self[.incidentFollowUps, "late"]
        return onTime + late == 0 ? nil : Double(onTime) / Double(onTime + late)
    }
}

extension WarningSeries {
    /// The measure (and dimension, nil for every dimension) a series counts in the daily figures.
    public var source: (measure: FigureMeasure, dimension: String?) {
        switch self {
        case .category(let category): return (.contactsByCategory, category.rawValue)
        case .highRiskDomesticViolence: return (.highRiskDomesticViolence, nil)
        case .minors: return (.contactsMinor, nil)
        case .collectiveVisits: return (.collectiveVisits, nil)
        case .repeatPetitions: return (.repeatContacts, nil)
        }
    }
}
