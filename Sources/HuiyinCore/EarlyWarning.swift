import Foundation

/// Early warning (苗头性问题预警): is the latest week unusual for this unit and this series?
///
/// The method is the **historical-limits count test** of public-health surveillance (Stroup et al.,
/// Stat Med 1989, used by CDC's NNDSS; the same idea as Farrington et al., JRSS A 1996, without the
/// trend term): the count of the latest 7 days is compared with the counts of the `baselineWeeks`
/// weeks before it. The expected count μ is their mean; the dispersion φ = max(1, s²/μ) is how much
/// more they vary than Poisson counts would (quasi-Poisson, as Farrington), so a unit whose weeks
/// are naturally lumpy does not alarm every week. The latest week is judged against its prediction
/// distribution: negative binomial with mean μ and variance φμ(1 + 1/n) for n baseline weeks — the
/// 1/n term is the uncertainty of μ itself (Farrington's prediction variance); without it a plug-in
/// test alarms more often than α on steady data. A warning is raised when
///   - the upper tail P(X ≥ observed) is below `alpha`, and
///   - the observed count is at least `minimumCount` (three cases in a quiet village are not a trend),
/// and no warning was raised for the same unit and series in the last `refractoryDays` (one warning
/// per rise, not one per day while it lasts). Weekly sums need no day-of-week adjustment.
public struct WarningRules: Sendable, Equatable {
    /// One-sided significance of the latest week against the baseline.
    public var alpha = 0.001
    /// Fewer than this many in the latest week never warn.
    public var minimumCount = 3
    /// Weeks before the latest one that make the baseline (8–12 in the literature).
    public var baselineWeeks = 8
    /// After a warning, the same unit and series stay quiet this many days.
    public var refractoryDays = 28
    /// The expected count never goes below this, so a series with an empty baseline needs a real rise.
    public var expectedFloor = 0.5

    public init() {}

    /// Applies one profile line: `warning_alpha = 0.001` (0 < α < 0.5), `warning_minimum_count = 3`
    /// (≥ 1), `warning_baseline_weeks = 8` (4–52), `warning_refractory_days = 28` (≥ 1),
    /// `warning_expected_floor = 0.5` (> 0).
    public mutating func apply(key: String, value: String) -> GrassrootsRules.LineOutcome {
        switch key {
        case "warning_alpha":
            guard let alpha = Double(value), alpha > 0, alpha < 0.5 else { return .problem("a probability between 0 and 0.5, like 0.001") }
            self.alpha = alpha
        case "warning_minimum_count":
            guard let count = Int(value), count >= 1 else { return .problem("a number ≥ 1") }
            minimumCount = count
        case "warning_baseline_weeks":
            guard let weeks = Int(value), (4...52).contains(weeks) else { return .problem("a number of weeks from 4 to 52") }
            baselineWeeks = weeks
        case "warning_refractory_days":
            guard let days = Int(value), days >= 1 else { return .problem("a number of days ≥ 1") }
            refractoryDays = days
        case "warning_expected_floor":
            guard let floor = Double(value), floor > 0 else { return .problem("a number > 0, like 0.5") }
            expectedFloor = floor
        default:
            return .notMine
        }
        return .applied
    }
}

/// One evaluation of the historical-limits test.
public struct AberrationResult: Sendable, Equatable {
    public let observed: Int
    /// The baseline's mean weekly count (before the floor).
    public let expected: Double
    /// The baseline's sample variance (0 for fewer than two weeks).
    public let variance: Double
    /// P(X ≥ observed) under the baseline's distribution.
    public let pValue: Double
    /// Whether the counts cross the threshold (the refractory period is the caller's to apply).
    public let exceeds: Bool
}

public enum AberrationTest {
    /// Tests `observed` (the latest 7 days) against `baseline` (the weekly counts before it).
    public static func evaluate(observed: Int, baseline: [Int], rules: WarningRules) -> AberrationResult {
        let weeks = Double(max(baseline.count, 1))
        let mean = Double(baseline.reduce(0, +)) / weeks
        let variance = baseline.count < 2 ? 0
            : baseline.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(baseline.count - 1)
        let expected = max(mean, rules.expectedFloor)
        let dispersion = max(1, variance / expected)
        let p = negativeBinomialUpperTail(atLeast: observed, mean: expected,
                                          variance: dispersion * expected * (1 + 1 / weeks))
        return AberrationResult(observed: observed, expected: mean, variance: variance, pValue: p,
                                exceeds: observed >= rules.minimumCount && p < rules.alpha)
    }

    /// The smallest count of the latest week that would raise a warning against `baseline`: the top
    /// of the expected band a chart draws.
    public static func threshold(baseline: [Int], rules: WarningRules) -> Int {
        let mean = Double(baseline.reduce(0, +)) / Double(max(baseline.count, 1))
        var k = max(rules.minimumCount, Int(mean.rounded(.up)))
        while k < 1_000_000, !evaluate(observed: k, baseline: baseline, rules: rules).exceeds { k += 1 }
        return k
    }

    /// P(X ≥ k) for X ~ Poisson(mean).
    public static func poissonUpperTail(atLeast k: Int, mean: Double) -> Double {
        guard k > 0 else { return 1 }
        guard mean > 0 else { return 0 }
        // Below the mean the tail is large: 1 − P(X < k), summed from 0. Above it, the tail's own
        // terms shrink fast and are summed directly, so tiny p-values keep their precision.
        if Double(k) <= mean {
            var term = exp(-mean), below = 0.0
            for i in 0..<k {
                below += term
                term *= mean / Double(i + 1)
            }
            return min(1, max(0, 1 - below))
        }
        var term = exp(Double(k) * log(mean) - mean - lgamma(Double(k) + 1)), tail = 0.0
        var i = k
        while term > tail * 1e-16 && i < k + 10_000 {
            tail += term
            i += 1
            term *= mean / Double(i)
        }
        return min(1, tail)
    }

    /// P(X ≥ k) for a negative binomial with this mean and variance (variance > mean): size
    /// r = mean² / (variance − mean), success probability p = r / (r + mean).
    public static func negativeBinomialUpperTail(atLeast k: Int, mean: Double, variance: Double) -> Double {
        guard k > 0 else { return 1 }
        guard mean > 0, variance > mean else { return poissonUpperTail(atLeast: k, mean: mean) }
        let r = mean * mean / (variance - mean)
        let q = mean / (r + mean)          // 1 − p
        func logPMF(_ x: Int) -> Double {
            lgamma(Double(x) + r) - lgamma(r) - lgamma(Double(x) + 1) + r * log1p(-q) + Double(x) * log(q)
        }
        if Double(k) <= mean {
            var below = 0.0
            for x in 0..<k { below += exp(logPMF(x)) }
            return min(1, max(0, 1 - below))
        }
        var term = exp(logPMF(k)), tail = 0.0
        var x = k
        while term > tail * 1e-16 && x < k + 100_000 {
            tail += term
            term *= (Double(x) + r) / Double(x + 1) * q
            x += 1
        }
        return min(1, tail)
    }
}

/// The series a unit's warnings watch: every case category, and four the issue singles out.
public enum WarningSeries: Sendable, Hashable, Comparable {
    /// Contacts (calls, letters, visits, online) about matters of this category.
    case category(CaseCategory)
    /// Domestic-violence cases assessed high-risk.
    case highRiskDomesticViolence
    /// Contacts about a minor victim.
    case minors
    /// Collective visits (five or more people).
    case collectiveVisits
    /// Repeat petitions: a contact on a matter already recorded.
    case repeatPetitions

    public static let all: [WarningSeries] = CaseCategory.allCases.map { .category($0) }
        + [.highRiskDomesticViolence, .minors, .collectiveVisits, .repeatPetitions]

    /// The stable code stored with a warning and used in the API.
    public var code: String {
        switch self {
        case .category(let category): return "category:" + category.rawValue
        case .highRiskDomesticViolence: return "high_risk_domestic_violence"
        case .minors: return "minors"
        case .collectiveVisits: return "collective_visits"
        case .repeatPetitions: return "repeat_petitions"
        }
    }

    public init?(code: String) {
        guard let series = Self.all.first(where: { $0.code == code }) else { return nil }
        self = series
    }

    public var label: String {
        switch self {
        case .category(let category): return category.label
        case .highRiskDomesticViolence: return "高风险家庭暴力"
        case .minors: return "涉未成年人"
        case .collectiveVisits: return "集体访"
        case .repeatPetitions: return "重复信访"
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.code < b.code }
}

/// Walks one daily series the way the daily warning pass does, day by day: the test on the 7 days
/// ending each day, and at most one warning per refractory period. The pass itself keeps the last
/// warning's day in the database; this is the same rule over an array, for tests and calibration.
public struct WarningMonitor: Sendable {
    public let rules: WarningRules

    public init(rules: WarningRules) { self.rules = rules }

    /// The first day with a full baseline behind its week.
    public var firstTestableDay: Int { (rules.baselineWeeks + 1) * 7 - 1 }

    /// The test for the week ending on day `t` of `daily`.
    public func evaluate(_ daily: [Int], endingOn t: Int) -> AberrationResult {
        func week(endingOn end: Int) -> Int { daily[(end - 6)...end].reduce(0, +) }
        let baseline = (1...rules.baselineWeeks).map { week(endingOn: t - 7 * $0) }
        return AberrationTest.evaluate(observed: week(endingOn: t), baseline: baseline, rules: rules)
    }

    /// The days a warning is raised on, given the day of the last warning before the series (if any).
    public func warningDays(_ daily: [Int], lastWarning: Int? = nil) -> [Int] {
        var last = lastWarning
        var raised: [Int] = []
        guard daily.count > firstTestableDay else { return [] }
        for t in firstTestableDay..<daily.count {
            if let last, t - last < rules.refractoryDays { continue }
            if evaluate(daily, endingOn: t).exceeds {
                raised.append(t)
                last = t
            }
        }
        return raised
    }
}
