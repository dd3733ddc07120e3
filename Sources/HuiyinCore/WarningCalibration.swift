import Foundation

extension SeededRandom {
    /// A Poisson draw (Knuth's product of uniforms; fine for the small daily means counts have here).
    public mutating func poisson(mean: Double) -> Int {
        let limit = exp(-mean)
        var product = Double.random(in: 0..<1, using: &self), count = 0
        while product > limit {
            count += 1
            product *= Double.random(in: 0..<1, using: &self)
        }
        return count
    }
}

/// How the early-warning rules behave on synthetic data: how often they alarm on steady counts
/// (false alarms), and how soon they catch a rise. The figures a deployment reads before changing
/// `warning_alpha` or the baseline.
public struct WarningCalibration: Sendable {
    public struct SteadyFigures: Sendable {
        public let dailyMean: Double
        public let series: Int
        public let testedDays: Int
        public let warnings: Int
        /// Warnings per tested unit-day.
        public var ratePerDay: Double { Double(warnings) / Double(max(testedDays, 1)) }
        /// Warnings per series per year.
        public var perSeriesYear: Double { ratePerDay * 365 }
    }

    public struct RiseFigures: Sendable {
        public let dailyMean: Double
        public let factor: Double
        public let series: Int
        /// Days from the rise's first day to its warning, for the series that warned within the window.
        public let delays: [Int]
        /// Series that warned before the rise (false alarms in the steady part are not counted as detections).
        public let warnedBefore: Int
        public let window: Int
        public var detected: Double { Double(delays.count) / Double(max(series, 1)) }
        public func delayPercentile(_ p: Double) -> Int? {
            guard !delays.isEmpty else { return nil }
            let sorted = delays.sorted()
            return sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
        }
    }

    public let rules: WarningRules
    public var monitor: WarningMonitor { WarningMonitor(rules: rules) }

    public init(rules: WarningRules) { self.rules = rules }

    /// Steady Poisson counts for `days` days per series: every warning is a false alarm.
    public func steady(dailyMean: Double, series: Int, days: Int, seed: UInt64) -> SteadyFigures {
        var random = SeededRandom(seed: seed)
        var warnings = 0
        for _ in 0..<series {
            let daily = (0..<days).map { _ in random.poisson(mean: dailyMean) }
            warnings += monitor.warningDays(daily).count
        }
        return SteadyFigures(dailyMean: dailyMean, series: series,
                             testedDays: series * max(0, days - monitor.firstTestableDay), warnings: warnings)
    }

    /// Steady counts, then from the day after the baseline the mean multiplied by `factor`; the delay
    /// is counted from the rise's first day to the first warning on or after it, within `window` days.
    public func rise(dailyMean: Double, factor: Double, series: Int, window: Int = 28, seed: UInt64) -> RiseFigures {
        var random = SeededRandom(seed: seed)
        let start = monitor.firstTestableDay + 14
        var delays: [Int] = [], warnedBefore = 0
        for _ in 0..<series {
            let daily = (0..<(start + window)).map { random.poisson(mean: $0 < start ? dailyMean : dailyMean * factor) }
            let days = monitor.warningDays(daily)
            if days.contains(where: { $0 < start }) { warnedBefore += 1 }
            // A false alarm just before would hold the monitor quiet; the rise is judged on its own test.
            if let first = (start..<daily.count).first(where: { monitor.evaluate(daily, endingOn: $0).exceeds }) {
                delays.append(first - start)
            }
        }
        return RiseFigures(dailyMean: dailyMean, factor: factor, series: series, delays: delays,
                           warnedBefore: warnedBefore, window: window)
    }
}
