import XCTest
@testable import HuiyinCore

final class EarlyWarningTests: XCTestCase {
    let rules = WarningRules()

    func testPoissonTailAgainstDirectSums() {
        // References summed independently (Python, in 50-digit decimals).
        XCTAssertEqual(AberrationTest.poissonUpperTail(atLeast: 20, mean: 10), 0.0034543419758568, accuracy: 1e-12)
        XCTAssertEqual(AberrationTest.poissonUpperTail(atLeast: 5, mean: 1), 0.0036598468273437, accuracy: 1e-12)
        XCTAssertEqual(AberrationTest.poissonUpperTail(atLeast: 40, mean: 20), 5.320202511246268e-05, accuracy: 1e-15)
        XCTAssertEqual(AberrationTest.poissonUpperTail(atLeast: 30, mean: 2) / 5.855318609378577e-25, 1, accuracy: 1e-9)
        XCTAssertEqual(AberrationTest.poissonUpperTail(atLeast: 3, mean: 5), 0.8753479805169189, accuracy: 1e-12)
        XCTAssertEqual(AberrationTest.poissonUpperTail(atLeast: 1, mean: 0.5), 1 - exp(-0.5), accuracy: 1e-15)
        XCTAssertEqual(AberrationTest.poissonUpperTail(atLeast: 0, mean: 3), 1)
    }

    func testNegativeBinomialTailAgainstDirectSums() {
        XCTAssertEqual(AberrationTest.negativeBinomialUpperTail(atLeast: 20, mean: 10, variance: 20), 0.0307141728699206, accuracy: 1e-12)
        XCTAssertEqual(AberrationTest.negativeBinomialUpperTail(atLeast: 3, mean: 5, variance: 9), 0.7905100293940844, accuracy: 1e-12)
        XCTAssertEqual(AberrationTest.negativeBinomialUpperTail(atLeast: 60, mean: 10, variance: 30) / 2.442027986557905e-07, 1, accuracy: 1e-9)
        // Overdispersed counts make the same rise less surprising.
        XCTAssertGreaterThan(AberrationTest.negativeBinomialUpperTail(atLeast: 20, mean: 10, variance: 20),
                             AberrationTest.poissonUpperTail(atLeast: 20, mean: 10))
    }

    func testEvaluationUsesTheBaselinesMeanAndSpread() {
        let flat = AberrationTest.evaluate(observed: 28, baseline: Array(repeating: 10, count: 8), rules: rules)
        XCTAssertEqual(flat.expected, 10)
        XCTAssertEqual(flat.variance, 0)
        XCTAssertEqual(flat.pValue, AberrationTest.negativeBinomialUpperTail(atLeast: 28, mean: 10, variance: 10 * 9 / 8), accuracy: 1e-15,
                       "a steady baseline: Poisson spread, widened by the uncertainty of its mean")
        XCTAssertTrue(flat.exceeds)
        let lumpy = AberrationTest.evaluate(observed: 28, baseline: [2, 18, 3, 17, 1, 19, 4, 16], rules: rules)
        XCTAssertEqual(lumpy.expected, 10)
        XCTAssertGreaterThan(lumpy.variance, 10)
        XCTAssertFalse(lumpy.exceeds, "a unit with lumpy weeks is not alarmed by a week inside its own range")
        // Two cases where there were none is not a trend; three clearly above a floor is.
        XCTAssertFalse(AberrationTest.evaluate(observed: 2, baseline: Array(repeating: 0, count: 8), rules: rules).exceeds)
        XCTAssertTrue(AberrationTest.evaluate(observed: 6, baseline: Array(repeating: 0, count: 8), rules: rules).exceeds)
    }

    func testASteadySeriesRaisesNothing() {
        let monitor = WarningMonitor(rules: rules)
        XCTAssertEqual(monitor.warningDays(Array(repeating: 2, count: 400)), [])
        XCTAssertEqual(monitor.warningDays((0..<400).map { $0 % 7 == 0 ? 5 : 1 }), [], "a weekly rhythm is steady")
        XCTAssertEqual(monitor.warningDays((0..<400).map { $0 % 14 < 7 ? 30 : 10 }), [], "so are lumpy weeks, alternating")
        // Random steady counts are held to a rate, not to zero: see the calibration test.
    }

    func testADoublingRaisesOnceSoonAfterItStarts() throws {
        let monitor = WarningMonitor(rules: rules)
        let rise = 120
        let series = (0..<300).map { $0 < rise ? 5 : 10 }
        let days = monitor.warningDays(series)
        XCTAssertEqual(days.count, 1, "one warning for one rise, not one per day: \(days)")
        let first = try XCTUnwrap(days.first)
        XCTAssertTrue((rise..<(rise + 7)).contains(first), "caught within the first week: \(days)")
        // A second, later rise warns again.
        let twice = series + Array(repeating: 25, count: 30)
        XCTAssertEqual(monitor.warningDays(twice).count, 2)
        // A small count doubling (2 a day to 4) is within what the baseline allows at α = 0.001: the
        // threshold is the rule set's to lower.
        XCTAssertEqual(monitor.warningDays((0..<300).map { $0 < rise ? 2 : 4 }), [])
        var looser = rules
        looser.alpha = 0.01
        XCTAssertEqual(WarningMonitor(rules: looser).warningDays((0..<300).map { $0 < rise ? 2 : 4 }).count, 1)
    }

    func testTheRefractoryPeriodCountsFromTheLastStoredWarning() {
        let monitor = WarningMonitor(rules: rules)
        let series = (0..<200).map { $0 < 120 ? 5 : 10 }
        XCTAssertEqual(monitor.warningDays(series).count, 1)
        XCTAssertEqual(monitor.warningDays(series, lastWarning: 110), [], "warned 10 days before the rise: still quiet")
    }

    func testCalibrationFiguresOnSyntheticData() {
        let calibration = WarningCalibration(rules: rules)
        let steady = calibration.steady(dailyMean: 1, series: 200, days: 365, seed: 1)
        XCTAssertLessThan(steady.ratePerDay, rules.alpha, "false alarms stay under the nominal level")
        let noisy = calibration.steady(dailyMean: 3, series: 200, days: 365, seed: 4)
        XCTAssertLessThan(noisy.ratePerDay, rules.alpha)
        let rise = calibration.rise(dailyMean: 5, factor: 2, series: 200, seed: 2)
        XCTAssertGreaterThan(rise.detected, 0.95)
        XCTAssertLessThanOrEqual(rise.delayPercentile(0.5) ?? 99, 7)
        let small = calibration.rise(dailyMean: 2, factor: 2, series: 200, seed: 5)
        XCTAssertLessThan(small.detected, rise.detected, "a smaller count needs a larger rise to stand out")
        let none = calibration.rise(dailyMean: 2, factor: 1, series: 200, seed: 3)
        XCTAssertLessThan(none.detected, 0.1, "no rise, (almost) no detection")
    }

    func testTheThresholdIsTheFirstCountThatWarns() {
        for baseline in [[10, 10, 10, 10, 10, 10, 10, 10], [0, 0, 0, 0, 0, 0, 0, 0], [2, 18, 3, 17, 1, 19, 4, 16], [40, 35, 50, 44, 38, 41, 47, 39]] {
            let k = AberrationTest.threshold(baseline: baseline, rules: rules)
            XCTAssertTrue(AberrationTest.evaluate(observed: k, baseline: baseline, rules: rules).exceeds, "\(baseline)")
            XCTAssertFalse(AberrationTest.evaluate(observed: k - 1, baseline: baseline, rules: rules).exceeds, "\(baseline)")
        }
    }

    func testRuleLines() {
        var warnings = WarningRules()
        XCTAssertEqual(warnings.apply(key: "warning_alpha", value: "0.01"), .applied)
        XCTAssertEqual(warnings.alpha, 0.01)
        XCTAssertEqual(warnings.apply(key: "warning_baseline_weeks", value: "12"), .applied)
        XCTAssertEqual(warnings.apply(key: "warning_alpha", value: "2"), .problem("a probability between 0 and 0.5, like 0.001"))
        XCTAssertEqual(warnings.apply(key: "warning_baseline_weeks", value: "3"), .problem("a number of weeks from 4 to 52"))
        XCTAssertEqual(warnings.apply(key: "visit_due_day", value: "20"), .notMine)
        guard case .success(let set) = RuleSet.regulation2022.applying(profile: "warning_minimum_count = 5\nwarning_refractory_days = 14") else {
            return XCTFail("profile refused")
        }
        XCTAssertEqual(set.warnings.minimumCount, 5)
        XCTAssertEqual(set.warnings.refractoryDays, 14)
        guard case .failure(let error) = RuleSet.regulation2022.applying(profile: "warning_alpha = 0") else { return XCTFail("accepted") }
        XCTAssertEqual(error.problems.first?.line, 1)
    }

    func testSeriesCodesRoundTrip() {
        for series in WarningSeries.all { XCTAssertEqual(WarningSeries(code: series.code), series) }
        XCTAssertNil(WarningSeries(code: "category:nothing"))
        XCTAssertEqual(Set(WarningSeries.all.map(\.code)).count, WarningSeries.all.count)
    }
}
