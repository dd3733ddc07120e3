import Foundation
import HuiyinCore
import Postgres

extension Store {
    /// Weekly counts of every warning series for one unit: `weeks` windows of 7 days, the last ending
    /// on `lastDay`, oldest first. One read of the unit's own figure rows.
    public func seriesWeekly(unit unitID: Int64, weeks: Int, endingOn lastDay: LocalDate) throws -> [WarningSeries: [Int]] {
        let first = lastDay.adding(days: -(7 * weeks - 1))
        var result = Dictionary(uniqueKeysWithValues: WarningSeries.all.map { ($0, Array(repeating: 0, count: weeks)) })
        try pool.withConnection { db in
            for row in try db.query("""
                SELECT measure, dimension, (\(lastDay)::date - day) / 7 AS back, sum(count)::bigint AS n FROM daily_figures
                WHERE unit_id = \(unitID) AND day BETWEEN \(first) AND \(lastDay)
                  AND measure IN ('contacts_by_category', 'high_risk_domestic_violence', 'contacts_minor',
                                  'collective_visits', 'repeat_contacts')
                GROUP BY 1, 2, 3
                """).rows {
                guard let measure = FigureMeasure(rawValue: try row.decode("measure")) else { continue }
                let dimension: String = try row.decode("dimension"), back: Int = try row.decode("back"), n: Int = try row.decode("n")
                for series in WarningSeries.all where series.source.measure == measure
                    && (series.source.dimension == nil || series.source.dimension == dimension) {
                    result[series]![weeks - 1 - back] += n
                }
            }
        }
        return result
    }

    /// The units directly below `unitID`, in name order.
    public func childUnits(of unitID: Int64) throws -> [FigureUnit] {
        try pool.withConnection { db in
            try db.query("SELECT id, name, level FROM units WHERE parent_id = \(unitID) ORDER BY name, id").rows.map {
                FigureUnit(id: try $0.decode("id"), name: try $0.decode("name"), level: try $0.decode("level"))
            }
        }
    }

    public func figureUnit(_ unitID: Int64) throws -> FigureUnit? {
        try pool.withConnection { db in
            try db.query("SELECT id, name, level FROM units WHERE id = \(unitID)").first.map {
                FigureUnit(id: try $0.decode("id"), name: try $0.decode("name"), level: try $0.decode("level"))
            }
        }
    }

    /// Cases of the subtree petitioned twice or more and worked on since `since`, most contacts
    /// first, as her list shows them (sealed ones masked). Through `cases_repeat_unit_idx`.
    public func repeatPetitionCases(under unitID: Int64, since: LocalDate, limit: Int, for user: StaffUser) throws -> [CaseListItem] {
        let start = DeadlineCounter.endOfDay(since.adding(days: -1), in: timeZone)
        let ids = try pool.withConnection { db in
            try db.query("""
                SELECT k.id FROM cases k
                WHERE k.unit_id = ANY (ARRAY(SELECT id FROM units WHERE path @> ARRAY[\(unitID)::bigint]))
                  AND k.contact_count >= 2 AND k.updated_at >= \(start)
                ORDER BY k.contact_count DESC, k.updated_at DESC LIMIT \(limit)
                """).rows.map { try $0.decode("id", as: Int64.self) }
        }
        return try casesInOrder(ids, for: user)
    }

    /// Collective visits (5 or more) received since `since` in the subtree, newest first.
    public func collectiveVisitCases(under unitID: Int64, since: LocalDate, limit: Int, for user: StaffUser) throws -> [CaseListItem] {
        var filter = CaseFilter()
        filter.unitID = unitID
        filter.collective = true
        filter.receivedFrom = since
        filter.limit = limit
        return try cases(filter, for: user)
    }

    /// The cases behind a warning: those of its unit's subtree with a fact of its series in its week.
    public func warningCases(_ warning: EarlyWarning, limit: Int = 200, for user: StaffUser) throws -> [CaseListItem] {
        let start = DeadlineCounter.endOfDay(warning.weekEnding.adding(days: -7), in: timeZone)
        let end = DeadlineCounter.endOfDay(warning.weekEnding, in: timeZone)
        let condition: PostgresQuery
        switch warning.series {
        case .category(let category): condition = "k.category = \(category.rawValue)"
        case .minors: condition = "k.victim_is_minor"
        case .collectiveVisits: condition = "c.channel = 'visit' AND c.visitors >= \(ChannelDetails.collectiveVisitThreshold)"
        case .repeatPetitions: condition = "EXISTS (SELECT 1 FROM contacts p WHERE p.case_id = c.case_id AND p.id < c.id)"
        case .highRiskDomesticViolence: condition = "false"
        }
        let ids = try pool.withConnection { db in
            let scope: PostgresQuery = "SELECT id FROM units WHERE path @> ARRAY[\(warning.unit.id)::bigint]"
            if warning.series == .highRiskDomesticViolence {
                return try db.query("""
                    SELECT DISTINCT e.case_id AS id FROM case_events e JOIN cases k ON k.id = e.case_id
                    WHERE e.at >= \(start) AND e.at < \(end) AND e.kind = 'risk_assessed' AND e.detail ->> 'grade' = 'high'
                      AND k.category = 'domestic_violence' AND e.unit_id IN (\(fragment: scope))
                    ORDER BY 1 DESC LIMIT \(limit)
                    """).rows.map { try $0.decode("id", as: Int64.self) }
            }
            return try db.query("""
                SELECT DISTINCT c.case_id AS id FROM contacts c JOIN cases k ON k.id = c.case_id
                WHERE c.recorded_at >= \(start) AND c.recorded_at < \(end) AND c.unit_id IN (\(fragment: scope))
                  AND \(fragment: condition)
                ORDER BY 1 DESC LIMIT \(limit)
                """).rows.map { try $0.decode("id", as: Int64.self) }
        }
        return try casesInOrder(ids, for: user)
    }

    /// The grassroots leads of a warning's week and subtree whose kind matches its series (a
    /// domestic-violence rise and the grids' domestic-violence leads, and so on), as her list shows them.
    public func warningLeads(_ warning: EarlyWarning, limit: Int = 200, for user: StaffUser) throws -> [LeadListItem] {
        let kinds: [String]
        switch warning.series {
        case .category(.domesticViolence), .highRiskDomesticViolence: kinds = [LeadKind.domesticViolence.rawValue]
        case .category(.marriageFamily): kinds = [LeadKind.familyDispute.rawValue]
        case .category(.minorsRights), .category(.sexualAssault), .minors:
            kinds = [LeadKind.minorSexualAssault.rawValue, LeadKind.minorInDanger.rawValue]
        default: return []
        }
        let start = DeadlineCounter.endOfDay(warning.weekEnding.adding(days: -7), in: timeZone)
        let end = DeadlineCounter.endOfDay(warning.weekEnding, in: timeZone)
        let ids = try pool.withConnection { db in
            try db.query("""
                SELECT l.id FROM leads l JOIN units g ON g.id = l.grid_id
                WHERE l.reported_at >= \(start) AND l.reported_at < \(end) AND g.path @> ARRAY[\(warning.unit.id)::bigint]
                  AND l.kind = ANY(\(PostgresTextArray(kinds)))
                ORDER BY l.id DESC LIMIT \(limit)
                """).rows.map { try $0.decode("id", as: Int64.self) }
        }
        guard !ids.isEmpty else { return [] }
        var filter = LeadFilter(limit: limit)
        filter.ids = ids
        return try leads(filter, for: user)
    }

    /// List items for `ids` in that order, those outside her scope left out.
    private func casesInOrder(_ ids: [Int64], for user: StaffUser) throws -> [CaseListItem] {
        guard !ids.isEmpty else { return [] }
        var filter = CaseFilter()
        filter.ids = ids
        filter.limit = ids.count
        let items = Dictionary(uniqueKeysWithValues: try cases(filter, for: user).map { ($0.id, $0) })
        return ids.compactMap { items[$0] }
    }
}
