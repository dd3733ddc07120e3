/// Facts that oblige the federation to report to the police at once (强制报告), whatever the
/// petitioner wishes: the duty is the law's, so the system raises it, not the operator's memory.
public enum MandatoryReportReason: String, Sendable, CaseIterable {
    /// Suspected sexual assault of a minor (未成年人保护法 Art. 11).
    case minorSexualAssault = "minor_sexual_assault"
    /// Pregnancy or abortion of a girl under 14: under 14 there is no consent, so it is itself a suspected assault.
    case minorPregnancyUnder14 = "minor_pregnancy_under_14"
    /// Domestic violence against a person without full civil capacity (反家庭暴力法 Art. 14).
    case violenceWithoutFullCapacity = "violence_without_full_capacity"

    public var label: String {
        switch self {
        case .minorSexualAssault: return "疑似未成年人遭受性侵害"
        case .minorPregnancyUnder14: return "不满十四周岁女性未成年人怀孕或流产"
        case .violenceWithoutFullCapacity: return "无民事行为能力人或限制民事行为能力人遭受家庭暴力"
        }
    }

    public var legalBasis: String {
        switch self {
        case .minorSexualAssault:
            return "《未成年人保护法》第十一条"
        case .minorPregnancyUnder14:
            // The law's general duty; the 2020 nine-department opinion names this case explicitly.
            return "《未成年人保护法》第十一条；《关于建立侵害未成年人案件强制报告制度的意见（试行）》"
        case .violenceWithoutFullCapacity:
            return "《反家庭暴力法》第十四条"
        }
    }
}

public enum MandatoryReporting {
    /// What the facts known at intake already require: a minor's sexual-assault case → minorSexualAssault;
    /// domestic violence against a minor (a child lacks full civil capacity) → violenceWithoutFullCapacity.
    /// Other grounds need facts the category does not carry (a pregnancy, an adult's capacity): they come
    /// from the risk checklist or the handler. The database applies the same rule to every new case
    /// (trigger `cases_mandatory_report`); a test keeps the two in step.
    public static func reasons(category: CaseCategory, victimIsMinor: Bool) -> [MandatoryReportReason] {
        guard victimIsMinor else { return [] }
        switch category {
        case .sexualAssault: return [.minorSexualAssault]
        case .domesticViolence: return [.violenceWithoutFullCapacity]
        default: return []
        }
    }
}
