import HuiyinCore
import HuiyinStore

/// The Chinese words for the daily figures' dimension values, for the report, the spreadsheet and
/// the analysis page (the measures carry their own, `FigureMeasure.label`).
enum FigureLabels {
    static func dimension(_ measure: FigureMeasure, _ value: String) -> String {
        switch measure {
        case .contactsByChannel: return Channel(rawValue: value)?.label ?? value
        case .contactsByCategory, .repeatContacts, .casesByCategory: return CaseCategory(rawValue: value)?.label ?? value
        case .caseEvents: return CaseEventKind(rawValue: value)?.label ?? value
        case .riskAssessed: return ConsoleLabels.grades[value] ?? value
        case .clocksStopped: return value == "met" ? "按期办结" : value == "breached" ? "超期办结" : value
        case .visits: return value == "in_person" ? "入户走访" : value == "phone" ? "电话走访" : value
        case .leadsByKind: return LeadKind(rawValue: value)?.label ?? value
        case .leadDecisions: return LeadDecisionKind(rawValue: value)?.label ?? value
        case .incidentFollowUps: return value == "on_time" ? "按时回访" : value == "late" ? "逾期回访" : value
        case .contactsMinor, .collectiveVisits, .highRiskDomesticViolence, .visitsWithFindings, .leadsMandatory,
             .dispatches, .policeIncidents:
            return measure.label
        }
    }

    /// "事项一 · 值" for a count line.
    static func line(_ measure: FigureMeasure, _ value: String) -> String {
        value.isEmpty ? measure.label : measure.label + " · " + dimension(measure, value)
    }

    static func percent(_ share: Double?) -> String {
        share.map { String(format: "%.1f%%", $0 * 100) } ?? "—"
    }

    static let notableReasons = ["high_risk": "高风险", "leader_assigned": "领导包案", "repeat_petition": "重复信访",
                                 "collective_visit": "集体访"]
}
