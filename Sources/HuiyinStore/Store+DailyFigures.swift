import Foundation
import HuiyinCore
import Postgres

/// What a refresh of the daily figures did.
public struct FigureRefresh: Sendable, Equatable {
    public var days: [LocalDate] = []
    public var rows = 0
}

extension Store {
    /// The advisory lock a refresh holds for its transaction, so two instances never rewrite a day at once.
    static let dailyFiguresLock: Int64 = 0x4855_4946_4947   // "HUIFIG"
    /// A day is final once it is refreshed this long after it ended: no transaction stays open that long.
    static let figuresSettleSeconds: TimeInterval = 600
    /// How stale today's figures may be: the sweep counts today again once this has passed.
    static let todayRefreshSeconds: TimeInterval = 300

    /// The sweep's share of the figures: today again (at most every five minutes), and up to `backfill` days not yet final —
    /// yesterday first until it settles, then the oldest (a new database's history, a few days per sweep).
    func refreshDailyFigures(_ db: PostgresConnection, at: Date, backfill: Int = 14) throws -> FigureRefresh {
        let today = LocalDate(at, in: timeZone)
        // Today is counted again at most every few minutes: a national day takes seconds to count.
        let todayIsFresh = try !db.query("""
            SELECT 1 AS x FROM daily_figure_days WHERE day = \(today)
              AND refreshed_at > \(at.addingTimeInterval(-Self.todayRefreshSeconds)) AND refreshed_at <= \(at)
            """).isEmpty
        let pending = try db.query("""
            WITH first AS (
                SELECT min(d) AS d FROM (
                    (SELECT recorded_at AS d FROM contacts ORDER BY id LIMIT 1)
                    UNION ALL (SELECT at FROM case_events ORDER BY id LIMIT 1)
                    UNION ALL (SELECT reported_at FROM leads ORDER BY id LIMIT 1)
                    UNION ALL (SELECT recorded_at FROM household_visits ORDER BY id LIMIT 1)
                    UNION ALL (SELECT created_at FROM police_incidents ORDER BY id LIMIT 1)
                ) t
            )
            SELECT g::date AS day FROM first,
                   generate_series((first.d AT TIME ZONE \(timeZone.identifier))::date, \(today.adding(days: -1))::date,
                                   interval '1 day') AS g
            WHERE first.d IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM daily_figure_days f WHERE f.day = g::date AND f.final)
            ORDER BY g = \(today.adding(days: -1))::date DESC, g LIMIT \(backfill)
            """).rows.map { try $0.decode("day", as: LocalDate.self) }
        return try refreshDailyFigures(db, days: pending + (todayIsFresh ? [] : [today]), at: at)
    }

    /// Recounts the given days from the records, each in its own transaction. A day another instance
    /// is counting is left to it.
    func refreshDailyFigures(_ db: PostgresConnection, days: [LocalDate], at: Date) throws -> FigureRefresh {
        var refresh = FigureRefresh()
        for day in days {
            let start = DeadlineCounter.endOfDay(day.adding(days: -1), in: timeZone)
            let end = DeadlineCounter.endOfDay(day, in: timeZone)
            let final = at.timeIntervalSince(end) >= Self.figuresSettleSeconds
            let written = try db.transaction { tx -> Int? in
                guard try tx.query("SELECT pg_try_advisory_xact_lock(\(Self.dailyFiguresLock)) AS mine").first!
                    .decode("mine", as: Bool.self) else { return nil }
                // A national day is a few seconds of counting: more than a request may take, no JIT
                // (its compile time exceeded the count's at 10 million contacts), and room for the
                // aggregate over every ancestor so it does not spill to disk.
                try tx.executeScript("SET LOCAL statement_timeout = '300s'; SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
                let rows = try tx.query("SELECT refresh_daily_figures(\(day), \(start), \(end)) AS n").first!.decode("n", as: Int.self)
                try tx.execute("""
                    INSERT INTO daily_figure_days (day, refreshed_at, final, rows) VALUES (\(day), \(at), \(final), \(rows))
                    ON CONFLICT (day) DO UPDATE SET refreshed_at = excluded.refreshed_at, final = excluded.final, rows = excluded.rows
                    """)
                return rows
            }
            if let written {
                refresh.days.append(day)
                refresh.rows += written
            }
        }
        return refresh
    }

    /// Recounts every day from `first` through `last` (the operator's rebuild, e.g. after an import of
    /// history); `progress` hears each day's row count.
    public func rebuildDailyFigures(from first: LocalDate, through last: LocalDate,
                                    progress: (LocalDate, Int) -> Void = { _, _ in }) throws -> FigureRefresh {
        let at = now()
        return try pool.withConnection { db in
            var total = FigureRefresh()
            var day = first
            while day <= last {
                let one = try refreshDailyFigures(db, days: [day], at: at)
                progress(day, one.rows)
                total.days += one.days
                total.rows += one.rows
                day = day.adding(days: 1)
            }
            return total
        }
    }

    /// The sweep's refresh, for tests and the CLI: today and whatever is not final yet.
    public func refreshDailyFigures(backfill: Int = 14) throws -> FigureRefresh {
        let at = now()
        return try pool.withConnection { try refreshDailyFigures($0, at: at, backfill: backfill) }
    }

    /// A unit's counts (its whole subtree) over `from...through`.
    public func figures(unit unitID: Int64, from: LocalDate, through: LocalDate) throws -> FigureCounts {
        try pool.withConnection { db in
            try Self.counts(db.query("""
                SELECT measure, dimension, sum(count)::bigint AS n FROM daily_figures
                WHERE unit_id = \(unitID) AND day BETWEEN \(from) AND \(through)
                GROUP BY measure, dimension
                """).rows)
        }
    }

    /// The counts of each unit directly below `unitID` over `from...through`, in the tree's order of names.
    public func figuresOfChildren(unit unitID: Int64, from: LocalDate, through: LocalDate) throws -> [(unit: FigureUnit, counts: FigureCounts)] {
        try pool.withConnection { db in
            let rows = try db.query("""
                SELECT u.id, u.name, u.level, f.measure, f.dimension, sum(f.count)::bigint AS n
                FROM units u LEFT JOIN daily_figures f ON f.unit_id = u.id AND f.day BETWEEN \(from) AND \(through)
                WHERE u.parent_id = \(unitID)
                GROUP BY u.id, u.name, u.level, f.measure, f.dimension
                ORDER BY u.name, u.id
                """).rows
            var order: [Int64] = []
            var units: [Int64: FigureUnit] = [:]
            var counts: [Int64: [FigureKey: Int]] = [:]
            for row in rows {
                let id: Int64 = try row.decode("id")
                if units[id] == nil {
                    order.append(id)
                    units[id] = FigureUnit(id: id, name: try row.decode("name"), level: try row.decode("level"))
                }
                if let raw = try row.decode("measure", as: String?.self), let measure = FigureMeasure(rawValue: raw) {
                    counts[id, default: [:]][FigureKey(measure, try row.decode("dimension"))] = try row.decode("n", as: Int.self)
                }
            }
            return order.map { (units[$0]!, FigureCounts(counts[$0] ?? [:])) }
        }
    }

    /// Weekly counts of one measure (one dimension, or all) for each of `units`: `weeks` windows of 7
    /// days, the last ending on `lastDay`; result[unit][0] is the oldest week.
    public func weeklyCounts(units: [Int64], measure: FigureMeasure, dimension: String?, weeks: Int,
                             endingOn lastDay: LocalDate) throws -> [Int64: [Int]] {
        guard !units.isEmpty, weeks > 0 else { return [:] }
        let first = lastDay.adding(days: -(7 * weeks - 1))
        return try pool.withConnection { db in
            var result = Dictionary(uniqueKeysWithValues: units.map { ($0, Array(repeating: 0, count: weeks)) })
            for row in try db.query("""
                SELECT unit_id, (\(lastDay)::date - day) / 7 AS back, sum(count)::bigint AS n FROM daily_figures
                WHERE unit_id = ANY(\(units)) AND measure = \(measure.rawValue)
                  AND (\(dimension)::text IS NULL OR dimension = \(dimension))
                  AND day BETWEEN \(first) AND \(lastDay)
                GROUP BY 1, 2
                """).rows {
                let unit: Int64 = try row.decode("unit_id"), back: Int = try row.decode("back")
                result[unit]?[weeks - 1 - back] = try row.decode("n")
            }
            return result
        }
    }

    static func counts(_ rows: [PostgresRow]) throws -> FigureCounts {
        var counts: [FigureKey: Int] = [:]
        for row in rows {
            guard let measure = FigureMeasure(rawValue: try row.decode("measure")) else { continue }
            counts[FigureKey(measure, try row.decode("dimension"))] = try row.decode("n", as: Int.self)
        }
        return FigureCounts(counts)
    }
}

/// A unit named in figures.
public struct FigureUnit: Sendable, Equatable, Hashable, Codable {
    public let id: Int64
    public let name: String
    public let level: String

    public init(id: Int64, name: String, level: String) {
        (self.id, self.name, self.level) = (id, name, level)
    }
}
