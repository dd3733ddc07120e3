/// The grassroots network's deadlines, part of the rule set so a province profile can change them:
/// how long the women's council has to deliberate a lead, how long a township has to sign for a
/// dispatch, when a settled dispute is followed up, and how early a due item is warned.
public struct GrassrootsRules: Sendable, Equatable {
    /// Every key household is due its monthly visit (家家访 月月谈) by this day of the month (1–28, so
    /// every month has it).
    public var visitDueDay = 20
    /// The grid's workers are warned this many calendar days before the visit due day.
    public var visitWarnAheadDays = 3
    /// A lead not deliberated this long after it was reported escalates to the township (Haian: a week).
    public var deliberationWithin: DeadlineLimit = .days(7)
    /// A dispatched dispute is signed for (or objected to) within this; counted like the transfer objection.
    public var dispatchSignWithin: DeadlineLimit = .workingDays(3)
    /// A settled dispute is followed up this long after it was settled, once for each entry.
    public var followUps: [DeadlineLimit] = [.months(1), .months(3), .months(6)]
    /// Reported quarrels of one household within this window …
    public var quarrelWindow: DeadlineLimit = .months(2)
    /// … this many times flag it (Haian's example: three in two months).
    public var quarrelFlagCount = 3
    /// A domestic-violence incident the police shared is phoned back within this, counted from the day
    /// the federation received it (Changzhou: every one, 100 %).
    public var incidentFollowUpWithin: DeadlineLimit = .workingDays(3)
    /// A due item is warned this long before its day.
    public var warnAhead: DeadlineLimit = .days(1)
    /// A legal-aid referral (法律援助绿色通道) is decided within this (法律援助法 Art. 43: seven days).
    public var legalAidDecisionWithin: DeadlineLimit = .days(7)
    /// A protection order's handler is warned this long before it expires, to help the woman apply for an
    /// extension (反家庭暴力法 Art. 30: extended only on application before it expires). 15 days leaves
    /// time to reach her, gather what shows the danger goes on, and file, with a holiday in between;
    /// the court then rules within 72 hours (Art. 28).
    public var protectionOrderWarnBefore: DeadlineLimit = .days(15)
    /// A unit that has not filed its screening campaign's report (专项排查) is reminded this long before
    /// the campaign's last day. Working days: the report is compiled in the office, and a weekend or a
    /// holiday before the end would otherwise eat the notice (a Monday end warned on Friday by "3d").
    public var campaignReportReminderBefore: DeadlineLimit = .workingDays(3)

    public init() {}

    /// What one profile line did to these rules.
    public enum LineOutcome: Equatable { case notMine, applied, problem(String) }

    /// What is wrong with the rules as a whole once every line is applied, if anything.
    public var problem: String? {
        visitWarnAheadDays >= visitDueDay
            ? "visit_warn_ahead (\(visitWarnAheadDays)d) must be fewer days than visit_due_day (\(visitDueDay))" : nil
    }

    /// Applies one profile line `key = value` if it is a grassroots rule: `visit_due_day = 20` (1–28),
    /// `visit_warn_ahead = 3d` (calendar days), `deliberation_within = 7d`,
    /// `dispatch_sign_within = 3wd`, `follow_ups = 1m, 3m, 6m`, `quarrel_window = 2m`,
    /// `quarrel_flag_count = 3`, `grassroots_warn_ahead = 1d`, `incident_follow_up_within = 3wd`,
    /// `legal_aid_decision_within = 7d`, `protection_order_warn_before = 15d`,
    /// `campaign_report_reminder_before = 3wd`.
    public mutating func apply(key: String, value: String) -> LineOutcome {
        func limit(_ assign: (inout GrassrootsRules, DeadlineLimit) -> Void) -> LineOutcome {
            guard let parsed = DeadlineLimit(value) else { return .problem("`\(value)` is not a limit like 7d, 3wd or 1m") }
            assign(&self, parsed)
            return .applied
        }
        switch key {
        case "visit_due_day":
            guard let day = Int(value), (1...28).contains(day) else { return .problem("a day of the month from 1 to 28") }
            visitDueDay = day
            return .applied
        case "visit_warn_ahead":
            guard case .days(let days)? = DeadlineLimit(value) else { return .problem("calendar days like 3d") }
            visitWarnAheadDays = days
            return .applied
        case "deliberation_within": return limit { $0.deliberationWithin = $1 }
        case "dispatch_sign_within": return limit { $0.dispatchSignWithin = $1 }
        case "quarrel_window": return limit { $0.quarrelWindow = $1 }
        case "grassroots_warn_ahead": return limit { $0.warnAhead = $1 }
        case "legal_aid_decision_within": return limit { $0.legalAidDecisionWithin = $1 }
        case "incident_follow_up_within": return limit { $0.incidentFollowUpWithin = $1 }
        case "protection_order_warn_before": return limit { $0.protectionOrderWarnBefore = $1 }
        case "campaign_report_reminder_before": return limit { $0.campaignReportReminderBefore = $1 }
        case "quarrel_flag_count":
            guard let count = Int(value), count >= 2 else { return .problem("a number ≥ 2") }
            quarrelFlagCount = count
            return .applied
        case "follow_ups":
            let limits = value.split(separator: ",").map { DeadlineLimit(String($0)) }
            guard !limits.isEmpty, !limits.contains(nil) else { return .problem("write limits like `1m, 3m, 6m`") }
            followUps = limits.map { $0! }
            return .applied
        default:
            return .notMine
        }
    }
}

/// What a grassroots due item is about; each kind is owed by a unit and escalates to the one above.
public enum GrassrootsDueKind: String, Sendable, CaseIterable {
    /// A key household's visit of the month (家家访).
    case visit
    /// A lead the village women's council has not yet deliberated (议事研判).
    case deliberation
    /// A dispatch (派单) the receiving federation has not yet signed for.
    case dispatchSign = "dispatch_sign"
    /// A settled dispute's follow-up (跟踪治理).
    case followUp = "follow_up"
    /// A case's legal-aid referral not yet decided (法律援助绿色通道).
    case legalAidDecision = "legal_aid_decision"
    /// A police domestic-violence incident's phone follow-up (家暴警情回访).
    case incidentFollowUp = "incident_follow_up"
    /// A personal-safety protection order's expiry (人身安全保护令到期): warned ahead for an extension.
    case protectionOrderExpiry = "protection_order_expiry"

    public var label: String {
        switch self {
        case .visit: return "入户走访"
        case .deliberation: return "议事研判"
        case .dispatchSign: return "派单签收"
        case .followUp: return "跟踪回访"
        case .legalAidDecision: return "法律援助决定"
        case .incidentFollowUp: return "家暴警情回访"
        case .protectionOrderExpiry: return "人身安全保护令到期"
        }
    }
}

/// What the legal-aid body decided on a green-channel referral.
public enum LegalAidDecision: String, Sendable, CaseIterable {
    case granted, refused, withdrawn

    public var label: String {
        switch self {
        case .granted: return "给予法律援助"
        case .refused: return "不予法律援助"
        case .withdrawn: return "申请人撤回"
        }
    }
}
