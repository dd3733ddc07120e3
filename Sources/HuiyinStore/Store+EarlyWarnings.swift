import Foundation
import HuiyinCore
import Postgres

/// What one daily warning pass did.
public struct WarningPass: Sendable, Equatable {
    /// The last day of the week tested (yesterday: the last full, final day).
    public var weekEnding: LocalDate
    /// Unit-and-series pairs with enough in the latest week to be tested at all.
    public var tested = 0
    public var raised = 0
    public var milliseconds = 0.0
}

/// A warning as lists and pages show it.
public struct EarlyWarning: Sendable, Equatable {
    public let id: Int64
    public let unit: FigureUnit
    public let series: WarningSeries
    public let weekEnding: LocalDate
    public let observed: Int
    public let expected: Double
    public let pValue: Double
    /// Weekly counts before the tested week, oldest first.
    public let baseline: [Int]
    public let raisedAt: Date
}

extension Store {
    /// Runs the day's warning pass if no instance has run it today; nil when it had been run.
    func runWarningPassIfDue(_ db: PostgresConnection, at: Date) throws -> WarningPass? {
        let today = LocalDate(at, in: timeZone)
        guard try !db.query("""
            INSERT INTO warning_passes (day, started_at) VALUES (\(today), \(at)) ON CONFLICT DO NOTHING RETURNING day
            """).rows.isEmpty else { return nil }
        let pass = try warningPass(db, weekEnding: today.adding(days: -1), at: at)
        try db.execute("""
            UPDATE warning_passes SET finished_at = \(now()), series = \(pass.tested), warnings = \(pass.raised) WHERE day = \(today)
            """)
        return pass
    }

    /// The pass for the week ending `weekEnding` (callable directly by tests and the benchmark).
    public func runWarningPass(weekEnding: LocalDate) throws -> WarningPass {
        let at = now()
        return try pool.withConnection { try warningPass($0, weekEnding: weekEnding, at: at) }
    }

    /// Tests every unit and series with at least `minimumCount` in the week ending `weekEnding`
    /// against its own baseline (`WarningMonitor`), and raises a warning where the test says so and
    /// the series has had none within the refractory period. Each warning is told once to the
    /// supervisors of its unit and of the unit above. The figures of the days tested are made final
    /// first, so a pass never reads a day still being counted.
    func warningPass(_ db: PostgresConnection, weekEnding: LocalDate, at: Date) throws -> WarningPass {
        let started = DispatchTime.now()
        let rules = self.rules.warnings
        let weeks = rules.baselineWeeks + 1
        let first = weekEnding.adding(days: -(7 * weeks - 1))
        let stale = try db.query("""
            SELECT g::date AS day FROM generate_series(\(first)::date, \(weekEnding)::date, interval '1 day') g
            WHERE NOT EXISTS (SELECT 1 FROM daily_figure_days f WHERE f.day = g::date AND f.final)
            """).rows.map { try $0.decode("day", as: LocalDate.self) }
        _ = try refreshDailyFigures(db, days: stale, at: at)

        // Weekly sums per unit and series, latest week first; only pairs the latest week could alarm.
        // Over a national tree this reads millions of rows once a day: longer than a request may take.
        let rows = try db.transaction { tx in
            try tx.execute("SET LOCAL statement_timeout = '600s'")
            return try tx.query("""
            WITH weekly AS (
                SELECT unit_id,
                       CASE measure WHEN 'contacts_by_category' THEN 'category:' || dimension
                                    WHEN 'high_risk_domestic_violence' THEN 'high_risk_domestic_violence'
                                    WHEN 'contacts_minor' THEN 'minors'
                                    WHEN 'collective_visits' THEN 'collective_visits'
                                    WHEN 'repeat_contacts' THEN 'repeat_petitions' END AS series,
                       (\(weekEnding)::date - day) / 7 AS back, sum(count) AS n
                FROM daily_figures
                WHERE day BETWEEN \(first) AND \(weekEnding)
                  AND measure IN ('contacts_by_category', 'high_risk_domestic_violence', 'contacts_minor',
                                  'collective_visits', 'repeat_contacts')
                GROUP BY 1, 2, 3
            )
            SELECT unit_id, series,
                   array_to_string(array_agg(n ORDER BY back) FILTER (WHERE back > 0), ',') AS before,
                   array_to_string(array_agg(back ORDER BY back) FILTER (WHERE back > 0), ',') AS backs,
                   coalesce(sum(n) FILTER (WHERE back = 0), 0) AS latest
            FROM weekly GROUP BY unit_id, series
            HAVING coalesce(sum(n) FILTER (WHERE back = 0), 0) >= \(rules.minimumCount)
            """).rows
        }
        var pass = WarningPass(weekEnding: weekEnding)
        pass.tested = rows.count
        var units: [Int64] = [], series: [String?] = [], observed: [String?] = [], expected: [String?] = []
        var variance: [String?] = [], pValues: [String?] = [], baselines: [String?] = []
        for row in rows {
            let counts = (try row.decode("before", as: String?.self) ?? "").split(separator: ",").compactMap { Int($0) }
            let backs = (try row.decode("backs", as: String?.self) ?? "").split(separator: ",").compactMap { Int($0) }
            var baseline = Array(repeating: 0, count: rules.baselineWeeks)   // oldest first
            for (back, count) in zip(backs, counts) where (1...rules.baselineWeeks).contains(back) {
                baseline[rules.baselineWeeks - back] = count
            }
            let latest: Int = try row.decode("latest")
            let result = AberrationTest.evaluate(observed: latest, baseline: baseline, rules: rules)
            guard result.exceeds else { continue }
            units.append(try row.decode("unit_id"))
            series.append(try row.decode("series", as: String.self))
            observed.append(String(latest))
            expected.append(String(result.expected))
            variance.append(String(result.variance))
            pValues.append(String(result.pValue))
            baselines.append("{" + baseline.map(String.init).joined(separator: ",") + "}")
        }
        if !units.isEmpty {
            pass.raised = try db.transaction { tx in
                try tx.query("""
                    WITH candidate AS (
                        SELECT * FROM unnest(\(units), \(PostgresTextArray(series)), \(PostgresTextArray(observed))::int[],
                                             \(PostgresTextArray(expected))::float8[], \(PostgresTextArray(variance))::float8[],
                                             \(PostgresTextArray(pValues))::float8[], \(PostgresTextArray(baselines)))
                               AS c(unit_id, series, observed, expected, variance, p_value, baseline)
                    ), raised AS (
                        INSERT INTO early_warnings (unit_id, series, week_ending, observed, expected, variance, p_value, baseline, raised_at)
                        SELECT c.unit_id, c.series, \(weekEnding), c.observed, c.expected, c.variance, c.p_value, c.baseline::int[], \(at)
                        FROM candidate c
                        WHERE NOT EXISTS (SELECT 1 FROM early_warnings w
                                          WHERE w.unit_id = c.unit_id AND w.series = c.series
                                            AND w.week_ending > \(weekEnding.adding(days: -rules.refractoryDays))
                                            AND w.week_ending <= \(weekEnding))
                        ON CONFLICT DO NOTHING
                        RETURNING id, unit_id, series, observed, expected
                    ), told AS (
                        INSERT INTO notifications (unit_id, audience, warning_id, kind, detail, created_at)
                        SELECT t.unit_id, 'supervisors', r.id, 'early_warning',
                               jsonb_build_object('warning_unit_id', r.unit_id, 'series', r.series, 'observed', r.observed,
                                                  'expected', round(r.expected::numeric, 1), 'week_ending', \(weekEnding.description)),
                               \(at)
                        FROM raised r JOIN units u ON u.id = r.unit_id
                        CROSS JOIN LATERAL (SELECT r.unit_id UNION ALL SELECT u.parent_id WHERE u.parent_id IS NOT NULL) AS t(unit_id)
                        RETURNING 1
                    )
                    SELECT (SELECT count(*) FROM raised) AS n, (SELECT count(*) FROM told) AS told
                    """).first!.decode("n", as: Int.self)
            }
        }
        pass.milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
        return pass
    }

    /// Warnings of `unitID`'s subtree (or of the unit alone), newest first.
    public func earlyWarnings(under unitID: Int64, since: LocalDate, limit: Int = 200) throws -> [EarlyWarning] {
        try pool.withConnection { db in
            try db.query("""
                SELECT w.id, w.unit_id, u.name, u.level, w.series, w.week_ending, w.observed, w.expected, w.p_value,
                       array_to_string(w.baseline, ',') AS baseline, w.raised_at
                FROM early_warnings w JOIN units u ON u.id = w.unit_id
                WHERE u.path @> ARRAY[\(unitID)::bigint] AND w.week_ending >= \(since)
                ORDER BY w.week_ending DESC, w.p_value, w.id LIMIT \(limit)
                """).rows.compactMap(Self.warning)
        }
    }

    public func earlyWarning(id: Int64) throws -> EarlyWarning? {
        try pool.withConnection { db in
            try db.query("""
                SELECT w.id, w.unit_id, u.name, u.level, w.series, w.week_ending, w.observed, w.expected, w.p_value,
                       array_to_string(w.baseline, ',') AS baseline, w.raised_at
                FROM early_warnings w JOIN units u ON u.id = w.unit_id WHERE w.id = \(id)
                """).rows.compactMap(Self.warning).first
        }
    }

    static func warning(_ row: PostgresRow) throws -> EarlyWarning? {
        guard let series = WarningSeries(code: try row.decode("series")) else { return nil }
        return EarlyWarning(id: try row.decode("id"),
                            unit: FigureUnit(id: try row.decode("unit_id"), name: try row.decode("name"), level: try row.decode("level")),
                            series: series, weekEnding: try row.decode("week_ending"), observed: try row.decode("observed"),
                            expected: try row.decode("expected"), pValue: try row.decode("p_value"),
                            baseline: (try row.decode("baseline", as: String.self)).split(separator: ",").compactMap { Int($0) },
                            raisedAt: try row.decode("raised_at"))
    }
}
