/// The grassroots network's deadlines, part of the rule set so a province profile can change them:
/// how long the women's council has to deliberate a lead, how long a township has to sign for a
/// dispatch, when a settled dispute is followed up, and how early a due item is warned.
public struct GrassrootsRules: Sendable, Equatable {
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
    /// A due item is warned this long before its day.
    public var warnAhead: DeadlineLimit = .days(1)

    public init() {}

    /// What one profile line did to these rules.
    public enum LineOutcome: Equatable { case notMine, applied, problem(String) }

    /// Applies one profile line `key = value` if it is a grassroots rule: `deliberation_within = 7d`,
    /// `dispatch_sign_within = 3wd`, `follow_ups = 1m, 3m, 6m`, `quarrel_window = 2m`,
    /// `quarrel_flag_count = 3`, `grassroots_warn_ahead = 1d`.
    public mutating func apply(key: String, value: String) -> LineOutcome {
        func limit(_ assign: (inout GrassrootsRules, DeadlineLimit) -> Void) -> LineOutcome {
            guard let parsed = DeadlineLimit(value) else { return .problem("`\(value)` is not a limit like 7d, 3wd or 1m") }
            assign(&self, parsed)
            return .applied
        }
        switch key {
        case "deliberation_within": return limit { $0.deliberationWithin = $1 }
        case "dispatch_sign_within": return limit { $0.dispatchSignWithin = $1 }
        case "quarrel_window": return limit { $0.quarrelWindow = $1 }
        case "grassroots_warn_ahead": return limit { $0.warnAhead = $1 }
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

    public var label: String {
        switch self {
        case .visit: return "入户走访"
        case .deliberation: return "议事研判"
        case .dispatchSign: return "派单签收"
        case .followUp: return "跟踪回访"
        }
    }
}
