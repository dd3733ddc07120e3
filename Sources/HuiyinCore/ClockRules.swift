/// The legal clocks a case can run (信访工作条例 2022 unless a province overrides them).
public enum ClockKind: String, CaseIterable, Sendable {
    /// Tell the petitioner whether it is accepted (Art. 23): from receipt.
    case acceptance
    /// A unit that received a transfer may object that it is not theirs (Art. 23).
    case transferObjection = "transfer_objection"
    /// Close an accepted matter (Art. 34): from acceptance.
    case handling
    /// The petitioner may ask for review (Art. 35): from the written reply.
    case reviewRequest = "review_request"
    /// Decide the review (Art. 35).
    case reviewDecision = "review_decision"
    /// Ask for re-review (Art. 36).
    case rereviewRequest = "rereview_request"
    /// Decide the re-review (Art. 36; hearing time paused).
    case rereviewDecision = "rereview_decision"
    /// A leader-owned case (领导包案, Yunnan's practice): closed within 3 months.
    case leaderOwnership = "leader_ownership"

    public var label: String {
        switch self {
        case .acceptance: return "受理告知"
        case .transferObjection: return "转办异议"
        case .handling: return "办理"
        case .reviewRequest: return "复查申请"
        case .reviewDecision: return "复查决定"
        case .rereviewRequest: return "复核申请"
        case .rereviewDecision: return "复核决定"
        case .leaderOwnership: return "领导包案"
        }
    }
}

/// One clock's rule: how long, what starts and stops it, how early to warn, how far it may be extended.
public struct ClockRule: Sendable, Equatable {
    public let kind: ClockKind
    public var limit: DeadlineLimit
    /// The case event that starts it (e.g. `registered`, `accepted`).
    public var startEvent: CaseEventKind
    /// The case events that stop it (met on time, or breached if late).
    public var stopEvents: [CaseEventKind]
    /// A due-soon warning goes out this long before the due day.
    public var warnAhead: DeadlineLimit
    /// The longest single extension allowed, if any (approved by the unit head / the leader).
    public var maximumExtension: DeadlineLimit?
}

/// The rule set in force. The default is the 2022 regulation; a province profile overrides limits.
public struct RuleSet: Sendable, Equatable {
    public private(set) var rules: [ClockKind: ClockRule]
    /// A reminder (催办) goes out the day after a clock passes; a written notice (通报) and
    /// escalation to the unit above when it is still overdue this much later.
    public var noticeAfter: DeadlineLimit = .workingDays(5)
    /// A case with this many contacts is put forward for leadership ownership.
    public var leadershipContactThreshold = 3
    /// A domestic-violence case assessed high-risk runs these shorter limits (from the assessment).
    public var highRiskLimits: [ClockKind: DeadlineLimit] = [.acceptance: .workingDays(1), .handling: .days(15)]
    /// Follow-up visits scheduled for a high-risk case, counted from the assessment.
    public var highRiskFollowUps: [DeadlineLimit] = [.days(7), .days(30), .days(90)]
    /// A mandatory report is due at once; still open this many seconds later, it goes to the city supervisors.
    public var reportEscalationSeconds = 3600
    /// The grassroots network's deadlines (the monthly visit, deliberation, dispatch, follow-up).
    public var grassroots = GrassrootsRules()
    /// The early-warning test's threshold and baseline (`WarningRules.apply`).
    public var warnings = WarningRules()

    public subscript(kind: ClockKind) -> ClockRule { rules[kind]! }

    /// The limit a clock of this kind runs under for a case of this danger grade: a high-risk case's
    /// shorter one where the rules set one. Clocks and the notices that state them both ask here.
    public func limit(_ kind: ClockKind, riskGrade: String?) -> DeadlineLimit {
        riskGrade == "high" ? highRiskLimits[kind] ?? self[kind].limit : self[kind].limit
    }

    /// The clocks a case event starts.
    public func kinds(startedBy event: CaseEventKind) -> [ClockKind] {
        ClockKind.allCases.filter { rules[$0]!.startEvent == event }
    }

    /// The clocks a case event stops.
    public func kinds(stoppedBy event: CaseEventKind) -> [ClockKind] {
        ClockKind.allCases.filter { rules[$0]!.stopEvents.contains(event) }
    }

    /// The events a profile may start or stop clocks on: those a workflow step records, where the
    /// rule set is asked. (Intake, leader assignment and the sweep start their clocks themselves.)
    public static let profileEvents: [CaseEventKind] = CaseAction.allCases.map(\.event)

    public static let regulation2022: RuleSet = {
        func rule(_ kind: ClockKind, _ limit: DeadlineLimit, _ start: CaseEventKind, _ stops: [CaseEventKind],
                  extension: DeadlineLimit? = nil) -> ClockRule {
            ClockRule(kind: kind, limit: limit, startEvent: start, stopEvents: stops, warnAhead: .workingDays(3),
                      maximumExtension: `extension`)
        }
        let all = [
            rule(.acceptance, .days(15), .registered, [.accepted, .declined, .closed]),
            rule(.transferObjection, .workingDays(5), .transferred, [.transferAccepted, .transferObjected, .closed]),
            rule(.handling, .days(60), .accepted, [.replied, .closed], extension: .days(30)),
            rule(.reviewRequest, .days(30), .replied, [.reviewRequested]),
            rule(.reviewDecision, .days(30), .reviewRequested, [.reviewDecided]),
            rule(.rereviewRequest, .days(30), .reviewDecided, [.rereviewRequested]),
            rule(.rereviewDecision, .days(30), .rereviewRequested, [.rereviewDecided]),
            rule(.leaderOwnership, .months(3), .leaderAssigned, [.closed], extension: .months(1)),
        ]
        return RuleSet(rules: Dictionary(uniqueKeysWithValues: all.map { ($0.kind, $0) }))
    }()

    /// Applies a province profile: lines `kind = limit` (e.g. `acceptance = 5wd`), `kind.warn_ahead = 2wd`,
    /// `high_risk.kind = limit`, `kind.start = event` and `kind.stop = event, event` (case event kinds,
    /// e.g. `handling.stop = replied, closed`), plus `notice_after = 5wd`, `warn_ahead = 3wd` (every kind) and
    /// `leadership_contacts = 3`, `visit_due_day = 20` (1–28), `visit_warn_ahead = 3d` (calendar days, fewer
    /// than the due day), the grassroots rules (`GrassrootsRules.apply`) and the early-warning rules (`WarningRules.apply`); `#` comments. An unknown clock or event is an error naming its line, so a
    /// typo stops the server at start instead of leaving a clock that never starts.
    public func applying(profile text: String) -> Result<RuleSet, HolidayNotice.ParseError> {
        var result = self
        var problems: [HolidayNotice.Problem] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = (raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                .filter { $0 != " " && $0 != "\t" && $0 != "\r" }
            guard !line.isEmpty else { continue }
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { problems.append(.init(line: index + 1, message: "write `kind = limit`")); continue }
            let (key, value) = (parts[0], parts[1])
            if key == "leadership_contacts" {
                guard let count = Int(value), count >= 2 else { problems.append(.init(line: index + 1, message: "a number ≥ 2")); continue }
                result.leadershipContactThreshold = count
                continue
            }
            switch result.grassroots.apply(key: key, value: value) {
            case .applied: continue
            case .problem(let message): problems.append(.init(line: index + 1, message: message)); continue
            case .notMine: break
            }
            switch result.warnings.apply(key: key, value: value) {
            case .applied: continue
            case .problem(let message): problems.append(.init(line: index + 1, message: message)); continue
            case .notMine: break
            }
            if let dot = key.lastIndex(of: "."), ["start", "stop"].contains(key[key.index(after: dot)...]) {
                guard let kind = ClockKind(rawValue: String(key[..<dot])) else {
                    problems.append(.init(line: index + 1, message: "unknown clock in `\(key)`")); continue
                }
                let names = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                let events = names.compactMap(CaseEventKind.init(rawValue:)).filter(Self.profileEvents.contains)
                guard events.count == names.count, !events.isEmpty else {
                    let unknown = names.filter { CaseEventKind(rawValue: $0).map(Self.profileEvents.contains) != true }
                    problems.append(.init(line: index + 1, message: "unknown case event "
                        + unknown.map { "`\($0)`" }.joined(separator: ", ") + "; a clock starts or stops on one of "
                        + Self.profileEvents.map(\.rawValue).joined(separator: ", ")))
                    continue
                }
                if key.hasSuffix(".start") {
                    guard events.count == 1 else {
                        problems.append(.init(line: index + 1, message: "a clock starts on one event")); continue
                    }
                    result.rules[kind]!.startEvent = events[0]
                } else {
                    result.rules[kind]!.stopEvents = events
                }
                continue
            }
            guard let limit = DeadlineLimit(value) else {
                problems.append(.init(line: index + 1, message: "`\(value)` is not a limit like 15d, 5wd or 3m")); continue
            }
            switch key {
            case "notice_after": result.noticeAfter = limit
            case "warn_ahead": for kind in ClockKind.allCases { result.rules[kind]!.warnAhead = limit }
            case let key where key.hasPrefix("high_risk."):
                guard let kind = ClockKind(rawValue: String(key.dropFirst("high_risk.".count))) else {
                    problems.append(.init(line: index + 1, message: "unknown clock in `\(key)`")); continue
                }
                result.highRiskLimits[kind] = limit
            case let key where key.hasSuffix(".warn_ahead"):
                guard let kind = ClockKind(rawValue: String(key.dropLast(".warn_ahead".count))) else {
                    problems.append(.init(line: index + 1, message: "unknown clock in `\(key)`")); continue
                }
                result.rules[kind]!.warnAhead = limit
            default:
                guard let kind = ClockKind(rawValue: key) else {
                    problems.append(.init(line: index + 1, message: "unknown clock `\(key)`")); continue
                }
                result.rules[kind]!.limit = limit
            }
        }
        if problems.isEmpty, let problem = result.grassroots.problem {
            problems.append(.init(line: 0, message: problem))
        }
        return problems.isEmpty ? .success(result) : .failure(HolidayNotice.ParseError(problems: problems))
    }
}

/// The day thresholds of one sweep, computed once from "today" and the calendar, so the database
/// can compare plain dates.
public struct SweepThresholds: Sendable, Equatable {
    /// Running clocks of each kind due on or before its day get a due-soon warning.
    public let warnThrough: [ClockKind: LocalDate]
    /// The latest of those days (the index range a sweep reads).
    public var latestWarnThrough: LocalDate { warnThrough.values.max()! }
    /// Running clocks due before today are overdue: a reminder (催办).
    public let today: LocalDate
    /// Running clocks due on or before this day are still overdue `noticeAfter` after their reminder
    /// (the day after the due day): a notice (通报) and escalation.
    public let noticeThrough: LocalDate

    public init(today: LocalDate, rules: RuleSet, calendar: WorkingCalendar) {
        let counter = DeadlineCounter(calendar: calendar)
        self.today = today
        warnThrough = Dictionary(uniqueKeysWithValues: ClockKind.allCases.map {
            ($0, counter.due(from: today, limit: rules[$0].warnAhead).day)
        })
        // The latest due day whose notice period, counted from its reminder day, has run out by today.
        var candidate = today.adding(days: -1)
        while counter.due(from: candidate.adding(days: 1), limit: rules.noticeAfter).day > today {
            candidate = candidate.adding(days: -1)
        }
        noticeThrough = candidate
    }
}
