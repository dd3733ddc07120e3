import ArgumentParser
import Foundation
import HuiyinCore
import HuiyinStore

/// `huiyin figures …`: the daily figures the reports and the analysis page read.
struct FiguresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figures", abstract: "Count the daily figures again (the sweep keeps them; this rebuilds history).",
        subcommands: [Rebuild.self])

    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Count every day from --from through --through again, e.g. after loading history.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "First day (YYYY-MM-DD).") var from: String
        @Option(help: "Last day (YYYY-MM-DD); today by default.") var through: String?

        func run() throws {
            _ = database.bootstrapLogging()
            let store = try database.makeStore(poolSize: 1, asApplication: true)
            guard let first = LocalDate(iso: from) else { throw ValidationError("--from: a day like 2026-11-01") }
            let last = try through.map { text -> LocalDate in
                guard let day = LocalDate(iso: text) else { throw ValidationError("--through: a day like 2026-11-30") }
                return day
            } ?? store.today
            let started = Date()
            let done = try store.rebuildDailyFigures(from: first, through: last)
            print("figures: \(done.days.count) days counted (\(first) … \(last)), \(done.rows) rows, in "
                  + String(format: "%.1f s", Date().timeIntervalSince(started)))
        }
    }
}

/// `huiyin warnings …`: the early-warning pass, and how its rules behave on synthetic data.
struct WarningsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warnings", abstract: "Run the early-warning pass, or calibrate its rules on synthetic data.",
        subcommands: [Pass.self, Calibrate.self])

    struct Pass: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Test every unit and series for the week ending --week-ending (yesterday by default).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Last day of the week tested (YYYY-MM-DD).") var weekEnding: String?

        func run() throws {
            _ = database.bootstrapLogging()
            let store = try database.makeStore(poolSize: 1, asApplication: true)
            let day = try weekEnding.map { text -> LocalDate in
                guard let day = LocalDate(iso: text) else { throw ValidationError("--week-ending: a day like 2026-11-29") }
                return day
            } ?? store.today.adding(days: -1)
            let pass = try store.runWarningPass(weekEnding: day)
            print("warnings: week ending \(day): \(pass.tested) unit-series tested, \(pass.raised) warnings raised, in "
                  + String(format: "%.1f s", pass.milliseconds / 1000))
        }
    }

    struct Calibrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "False-alarm rate on steady synthetic counts and detection delay of a rise, under the rules in force.")
        @Option(help: "Province profile (HUIYIN_RULES) whose warning_* lines to use.")
        var rules: String? = Environment.string("HUIYIN_RULES")
        @Option(help: "Series per level.") var series = 2_000
        @Option(help: "Random seed.") var seed: UInt64 = 20_261_207

        func run() throws {
            var ruleSet = RuleSet.regulation2022
            if let rules {
                switch ruleSet.applying(profile: try String(contentsOfFile: rules, encoding: .utf8)) {
                case .success(let applied): ruleSet = applied
                case .failure(let error): throw ValidationError("\(rules):\n\(error)")
                }
            }
            let w = ruleSet.warnings
            print("calibrate: historical-limits test, latest 7 days against \(w.baselineWeeks) weeks before; "
                  + "alpha \(w.alpha), minimum \(w.minimumCount), refractory \(w.refractoryDays) d; \(series) series per line, seed \(seed)")
            let calibration = WarningCalibration(rules: w)
            for (index, mean) in [0.2, 1, 3, 10].enumerated() {
                let steady = calibration.steady(dailyMean: mean, series: series, days: 3 * 365, seed: seed &+ UInt64(index))
                print(String(format: "calibrate: steady %4.1f/day: %d warnings over %d series-days = %.5f per day (%.3f per series-year; nominal alpha %.4f)",
                             mean, steady.warnings, steady.testedDays, steady.ratePerDay, steady.perSeriesYear, w.alpha))
            }
            for (index, (mean, factor)) in [(0.2, 3.0), (1, 2), (1, 1.5), (3, 2), (3, 1.5), (10, 1.5)].enumerated() {
                let rise = calibration.rise(dailyMean: mean, factor: factor, series: series, seed: seed &+ 100 &+ UInt64(index))
                let p50 = rise.delayPercentile(0.5).map(String.init) ?? "-", p90 = rise.delayPercentile(0.9).map(String.init) ?? "-"
                print(String(format: "calibrate: rise %4.1f/day x%.1f: detected within %d days in %.1f %% of series; ",
                             mean, factor, rise.window, rise.detected * 100) + "delay p50 \(p50) d, p90 \(p90) d")
            }
        }
    }
}
