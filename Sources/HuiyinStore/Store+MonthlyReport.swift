import Foundation
import HuiyinCore
import Postgres

/// The monthly report (月报) of one unit: its subtree's figures for a calendar month in the form a
/// federation sends up, the on-time rates, the warnings raised and a short list of notable cases.
/// Built from the daily figures (never by scanning contacts) and, once the month has closed, kept as
/// it was first generated: a closed month's report never changes.
public struct MonthlyReport: Codable, Sendable, Equatable {
    public struct Count: Codable, Sendable, Equatable {
        public let measure: String
        public let dimension: String
        public let count: Int
    }

    /// One unit directly below, with the figures a report lists per unit.
    public struct ChildLine: Codable, Sendable, Equatable {
        public let unit: FigureUnit
        public let contacts: Int
        public let newCases: Int
        public let closed: Int
        public let clocksMet: Int
        public let clocksLate: Int
        public let collectiveVisits: Int
        public let repeatContacts: Int
        public let highRiskDomesticViolence: Int
        public let leads: Int
        public let incidents: Int
        public let incidentsOnTime: Int
        public let incidentsLate: Int
    }

    public struct WarningLine: Codable, Sendable, Equatable {
        public let id: Int64
        public let unit: FigureUnit
        public let series: String
        public let weekEnding: String
        public let observed: Int
        public let expected: Double
    }

    /// A case worth a line in the report: never a sealed one, never its summary or a person's name.
    public struct NotableCase: Codable, Sendable, Equatable {
        public let caseID: Int64
        public let trackingNo: String
        public let category: String
        public let unitName: String
        public let receivedOn: String
        public let status: String
        /// Why it is listed: `high_risk`, `collective_visit`, `leader_assigned`, `repeat_petition`.
        public let reasons: [String]
    }

    public let unit: FigureUnit
    /// YYYY-MM.
    public let month: String
    public let from: String
    public let through: String
    public let generatedAt: Date
    /// Kept: the month had closed when this was generated, and this is the report for good.
    public let final: Bool
    /// Every count of the month (measure, dimension), the spreadsheet's rows.
    public let counts: [Count]
    /// Key households due their monthly visit, and visited at least once (家家访 月月谈).
    public let visitsDue: Int
    public let visitsDone: Int
    public let children: [ChildLine]
    public let warnings: [WarningLine]
    public let notable: [NotableCase]

    public var figures: FigureCounts {
        FigureCounts(Dictionary(counts.compactMap { line in
            FigureMeasure(rawValue: line.measure).map { (FigureKey($0, line.dimension), line.count) }
        }, uniquingKeysWith: +))
    }
}

extension Store {
    /// The unit's report for the month of `month` (any day in it). Generated from the daily figures;
    /// once the month has closed (its last day final) the first report generated is stored and every
    /// later request gets that one. A month not yet begun has no report.
    public func monthlyReport(unit unitID: Int64, month: LocalDate) throws -> MonthlyReport? {
        let first = LocalDate(year: month.year, month: month.month, day: 1)!
        let last = LocalDate(year: month.year, month: month.month, day: LocalDate.daysIn(month: month.month, year: month.year))!
        let at = now()
        guard first <= LocalDate(at, in: timeZone) else { return nil }
        return try pool.withConnection { db in
            if let kept = try db.query("""
                SELECT body::text AS body FROM monthly_reports WHERE unit_id = \(unitID) AND month = \(first)
                """).first {
                return try JSONDecoder.report.decode(MonthlyReport.self, from: Data(try kept.decode("body", as: String.self).utf8))
            }
            // Every day of a closed month must be final before its report is kept.
            let closes = at.timeIntervalSince(DeadlineCounter.endOfDay(last, in: timeZone)) >= Self.figuresSettleSeconds
            if closes {
                let stale = try db.query("""
                    SELECT g::date AS day FROM generate_series(\(first)::date, \(last)::date, interval '1 day') g
                    WHERE NOT EXISTS (SELECT 1 FROM daily_figure_days f WHERE f.day = g::date AND f.final)
                    """).rows.map { try $0.decode("day", as: LocalDate.self) }
                _ = try refreshDailyFigures(db, days: stale, at: at)
            }
            guard let report = try buildMonthlyReport(db, unitID: unitID, first: first, last: min(last, LocalDate(at, in: timeZone)),
                                                      at: at, final: closes) else { return nil }
            guard closes else { return report }
            let body = String(decoding: try JSONEncoder.report.encode(report), as: UTF8.self)
            try db.execute("""
                INSERT INTO monthly_reports (unit_id, month, body, generated_at) VALUES (\(unitID), \(first), \(body)::jsonb, \(at))
                ON CONFLICT DO NOTHING
                """)
            // Another instance may have kept its own a moment earlier: that one is the report.
            let kept = try db.query("SELECT body::text AS body FROM monthly_reports WHERE unit_id = \(unitID) AND month = \(first)").first!
            return try JSONDecoder.report.decode(MonthlyReport.self, from: Data(try kept.decode("body", as: String.self).utf8))
        }
    }

    private func buildMonthlyReport(_ db: PostgresConnection, unitID: Int64, first: LocalDate, last: LocalDate, at: Date,
                                    final: Bool) throws -> MonthlyReport? {
        guard let unitRow = try db.query("SELECT id, name, level FROM units WHERE id = \(unitID)").first else { return nil }
        let unit = FigureUnit(id: try unitRow.decode("id"), name: try unitRow.decode("name"), level: try unitRow.decode("level"))
        let counts = try db.query("""
            SELECT measure, dimension, sum(count)::bigint AS n FROM daily_figures
            WHERE unit_id = \(unitID) AND day BETWEEN \(first) AND \(last)
            GROUP BY measure, dimension ORDER BY measure, dimension
            """).rows.map { MonthlyReport.Count(measure: try $0.decode("measure"), dimension: try $0.decode("dimension"), count: try $0.decode("n")) }
        let visits = try db.query("""
            SELECT coalesce(sum(due), 0)::bigint AS due, coalesce(sum(done), 0)::bigint AS done FROM visit_grid_months
            WHERE month = \(first) AND path @> ARRAY[\(unitID)::bigint]
            """).first!
        let children = try childLines(db, unitID: unitID, first: first, last: last)
        let warnings = try db.query("""
            SELECT w.id, w.unit_id, u.name, u.level, w.series, w.week_ending, w.observed, w.expected
            FROM early_warnings w JOIN units u ON u.id = w.unit_id
            WHERE u.path @> ARRAY[\(unitID)::bigint] AND w.week_ending BETWEEN \(first) AND \(last)
            ORDER BY w.week_ending, w.p_value, w.id LIMIT 100
            """).rows.map { row in
            MonthlyReport.WarningLine(id: try row.decode("id"),
                                      unit: FigureUnit(id: try row.decode("unit_id"), name: try row.decode("name"), level: try row.decode("level")),
                                      series: try row.decode("series"), weekEnding: (try row.decode("week_ending", as: LocalDate.self)).description,
                                      observed: try row.decode("observed"), expected: try row.decode("expected"))
        }
        return MonthlyReport(unit: unit, month: String(first.description.prefix(7)), from: first.description, through: last.description,
                             generatedAt: at, final: final, counts: counts, visitsDue: try visits.decode("due"),
                             visitsDone: try visits.decode("done"), children: children, warnings: warnings,
                             notable: try notableCases(db, unitID: unitID, first: first, last: last))
    }

    private func childLines(_ db: PostgresConnection, unitID: Int64, first: LocalDate, last: LocalDate) throws -> [MonthlyReport.ChildLine] {
        try db.query("""
            SELECT u.id, u.name, u.level,
                   coalesce(sum(f.count) FILTER (WHERE f.measure = 'contacts_by_channel'), 0)::bigint AS contacts,
                   coalesce(sum(f.count) FILTER (WHERE f.measure = 'cases_by_category'), 0)::bigint AS new_cases,
                   coalesce(sum(f.count) FILTER (WHERE f.measure = 'case_events' AND f.dimension = 'closed'), 0)::bigint AS closed,
                   coalesce(sum(f.count) FILTER (WHERE f.measure = 'clocks_stopped' AND f.dimension = 'met'), 0)::bigint AS met,
                   coalesce(sum(f.count) FILTER (WHERE f.measure = 'clocks_stopped' AND f.dimension = 'breached'), 0)::bigint AS late,
                   coalesce(sum(f.count) FILTER (WHERE f.measure = 'collective_visits'), 0)::bigint AS collective,
                   coalesce(sum(f.count) FILTER (WHERE f.measure = 'repeat_contacts'), 0)::bigint AS repeats,
                   coalesce(sum(f.count) FILTER (WHERE f.measure = 'high_risk_domestic_violence'), 0)::bigint AS high_risk,
                   coalesce(sum(f.count) FILTER (WHERE f.measure = 'leads_by_kind'), 0)::bigint AS leads,
                   coalesce(sum(f.count) FILTER (WHERE f.measure = 'police_incidents'), 0)::bigint AS incidents,
                   coalesce(sum(f.count) FILTER (WHERE f.measure = 'incident_follow_ups' AND f.dimension = 'on_time'), 0)::bigint AS incidents_on_time,
                   coalesce(sum(f.count) FILTER (WHERE f.measure = 'incident_follow_ups' AND f.dimension = 'late'), 0)::bigint AS incidents_late
            FROM units u LEFT JOIN daily_figures f ON f.unit_id = u.id AND f.day BETWEEN \(first) AND \(last)
            WHERE u.parent_id = \(unitID)
            GROUP BY u.id, u.name, u.level ORDER BY u.name, u.id
            """).rows.map { row in
            MonthlyReport.ChildLine(
                unit: FigureUnit(id: try row.decode("id"), name: try row.decode("name"), level: try row.decode("level")),
                contacts: try row.decode("contacts"), newCases: try row.decode("new_cases"), closed: try row.decode("closed"),
                clocksMet: try row.decode("met"), clocksLate: try row.decode("late"), collectiveVisits: try row.decode("collective"),
                repeatContacts: try row.decode("repeats"), highRiskDomesticViolence: try row.decode("high_risk"),
                leads: try row.decode("leads"), incidents: try row.decode("incidents"),
                incidentsOnTime: try row.decode("incidents_on_time"), incidentsLate: try row.decode("incidents_late"))
        }
    }

    /// Up to ten cases worked on in the month that are worth naming: assessed high-risk, put under a
    /// leader, petitioned three times or more, collective visits. Sealed cases are counted in the
    /// figures and never listed. Read through `cases_notable_idx`, never by scanning the month's contacts.
    private func notableCases(_ db: PostgresConnection, unitID: Int64, first: LocalDate, last: LocalDate) throws -> [MonthlyReport.NotableCase] {
        let start = DeadlineCounter.endOfDay(first.adding(days: -1), in: timeZone)
        let end = DeadlineCounter.endOfDay(last, in: timeZone)
        return try db.query("""
            SELECT k.id, k.tracking_no, k.category, u.name AS unit_name, k.received_on, k.status,
                   k.risk_grade = 'high' AS high_risk, k.leader_id IS NOT NULL AS leader, k.contact_count >= 3 AS repeats,
                   coalesce(k.visitors >= 5, false) AS collective
            FROM cases k JOIN units u ON u.id = k.unit_id
            WHERE k.unit_id = ANY (ARRAY(SELECT id FROM units WHERE path @> ARRAY[\(unitID)::bigint]))
              AND (\(unescaped: Self.notableCondition)) AND k.updated_at >= \(start) AND k.updated_at < \(end) AND NOT k.sealed
            ORDER BY (k.risk_grade = 'high')::int + (k.leader_id IS NOT NULL)::int + (k.contact_count >= 3)::int
                     + coalesce(k.visitors >= 5, false)::int DESC, k.updated_at DESC, k.id DESC
            LIMIT 10
            """).rows.map { row in
            var reasons: [String] = []
            if try row.decode("high_risk", as: Bool?.self) == true { reasons.append("high_risk") }
            if try row.decode("leader", as: Bool.self) { reasons.append("leader_assigned") }
            if try row.decode("repeats", as: Bool.self) { reasons.append("repeat_petition") }
            if try row.decode("collective", as: Bool.self) { reasons.append("collective_visit") }
            return MonthlyReport.NotableCase(caseID: try row.decode("id"), trackingNo: try row.decode("tracking_no"),
                                             category: try row.decode("category"), unitName: try row.decode("unit_name"),
                                             receivedOn: (try row.decode("received_on", as: LocalDate.self)).description,
                                             status: try row.decode("status"), reasons: reasons)
        }
    }

    /// The predicate of `cases_notable_idx` (sql/024), written the same so the planner uses the index.
    static let notableCondition = "k.risk_grade = 'high' OR k.leader_id IS NOT NULL OR k.contact_count >= 3 OR k.visitors >= 5"
}

extension JSONEncoder {
    /// The stored form of a kept report: stable keys, exact instants.
    static var report: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension JSONDecoder {
    static var report: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
