import Foundation
import HuiyinCore
import Postgres

/// What a mediation body was sent and what came of it over a period (a month, or the whole period in
/// the registry's list): referrals of cases to it by their outcome recorded or not, and lead dispatches
/// naming it by their state. Counts only, within the viewer's scope; no case or lead is named.
public struct MediationBodyCounts: Sendable, Equatable {
    public var referrals = 0
    public var referralOutcomes = 0
    public var referralsOpen = 0
    public var dispatches = 0
    public var settled = 0
    public var notSettled = 0
    public var referredOn = 0
    public var objected = 0
    public var dispatchesOpen = 0
    public init() {}
}

public struct MediationBodyMonth: Sendable, Equatable {
    /// `YYYY-MM`.
    public let month: String
    public let counts: MediationBodyCounts
}

/// A body of the registry with its counts, for the staff's registry page.
public struct MediationBodyFigures: Sendable, Equatable {
    public let id: Int64
    public let code: String
    public let name: String
    public let kind: MediationBodyKind
    public let unitName: String
    public let counts: MediationBodyCounts
}

/// A body a form may name: its id and how staff recognise it.
public struct MediationBodyChoice: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let kind: MediationBodyKind
    public let unitName: String
}

extension Store {
    /// The problem with naming this body, on the field `mediation_body_id`, or nil.
    static func mediationBodyProblem(_ tx: PostgresConnection, _ id: Int64) throws -> FieldError? {
        try tx.query("SELECT 1 AS ok FROM mediation_bodies WHERE id = \(id)").isEmpty
            ? FieldError("mediation_body_id", "no mediation body by that id in the registry") : nil
    }

    /// The body's counts per month of the period (months with nothing are left out); nil for an unknown body.
    public func mediationBodyMonths(id: Int64, from: LocalDate, to: LocalDate, for user: StaffUser) throws -> [MediationBodyMonth]? {
        try pool.withConnection { db in
            guard !(try db.query("SELECT 1 AS ok FROM mediation_bodies WHERE id = \(id)").isEmpty) else { return nil }
            let rows = try db.query(countsQuery(key: "to_char(x.at AT TIME ZONE \(timeZone.identifier), 'YYYY-MM')", bodies: [id],
                                                from: from, to: to, user: user)).rows
            return try rows.map { MediationBodyMonth(month: try $0.decode("key"), counts: try Self.counts($0)) }
        }
    }

    /// The bodies under the viewer's unit (or the chosen unit within her scope), by name, each with its
    /// counts over the period.
    public func mediationBodyFigures(under unitID: Int64?, from: LocalDate, to: LocalDate, for user: StaffUser,
                                     limit: Int = 500) throws -> [MediationBodyFigures] {
        try pool.withConnection { db in
            let bodies = try db.query("""
                SELECT b.id, b.code, b.name, b.kind, u.name AS unit_name
                FROM mediation_bodies b JOIN units u ON u.id = b.unit_id
                WHERE u.path @> ARRAY[\(unitID ?? user.unitID)]::bigint[] AND u.path @> ARRAY[\(user.unitID)]::bigint[]
                ORDER BY b.name, b.id LIMIT \(limit)
                """).rows
            let ids: [Int64] = try bodies.map { try $0.decode("id") }
            var counts: [Int64: MediationBodyCounts] = [:]
            if !ids.isEmpty {
                for row in try db.query(countsQuery(key: "x.body_id::text", bodies: ids, from: from, to: to, user: user)).rows {
                    counts[Int64(try row.decode("key", as: String.self))!] = try Self.counts(row)
                }
            }
            return try bodies.map {
                let id: Int64 = try $0.decode("id")
                return MediationBodyFigures(id: id, code: try $0.decode("code"), name: try $0.decode("name"),
                                            kind: MediationBodyKind(rawValue: try $0.decode("kind")) ?? .other,
                                            unitName: try $0.decode("unit_name"), counts: counts[id] ?? MediationBodyCounts())
            }
        }
    }

    /// The bodies a referral or dispatch form offers for a unit: those of its county (the unit's own
    /// subtree when it is a county or above), by name.
    public func mediationBodyChoices(near unitID: Int64, limit: Int = 300) throws -> [MediationBodyChoice] {
        try pool.withConnection { db in
            try db.query("""
                WITH area AS (
                    SELECT coalesce((SELECT a.id FROM units a WHERE a.id = ANY(u.path) AND a.level = 'county' LIMIT 1), u.id) AS id
                    FROM units u WHERE u.id = \(unitID))
                SELECT b.id, b.name, b.kind, bu.name AS unit_name
                FROM area, mediation_bodies b JOIN units bu ON bu.id = b.unit_id
                WHERE bu.path @> ARRAY[area.id]
                ORDER BY array_length(bu.path, 1), b.name, b.id LIMIT \(limit)
                """).rows.map {
                MediationBodyChoice(id: try $0.decode("id"), name: try $0.decode("name"),
                                    kind: MediationBodyKind(rawValue: try $0.decode("kind")) ?? .other, unitName: try $0.decode("unit_name"))
            }
        }
    }

    /// Referrals and dispatches naming the bodies, in the period and the viewer's scope, grouped by `key`
    /// (an expression over `x`: body_id, at).
    private func countsQuery(key: PostgresQuery, bodies: [Int64], from: LocalDate, to: LocalDate, user: StaffUser) -> PostgresQuery {
        let (start, end) = (from.startOfDay(in: timeZone), to.adding(days: 1).startOfDay(in: timeZone))
        return """
            WITH \(viewer: user),
            x AS (
                SELECT r.mediation_body_id AS body_id, r.referred_at AS at, 'referral' AS what,
                       CASE WHEN r.outcome IS NULL THEN 'open' ELSE 'outcome' END AS state
                FROM referrals r JOIN cases c ON c.id = r.case_id JOIN units cu ON cu.id = c.unit_id, v
                WHERE r.mediation_body_id = ANY(\(PostgresTextArray(bodies.map(String.init)))::bigint[]) AND r.referred_at >= \(start) AND r.referred_at < \(end)
                  AND cu.path @> ARRAY[v.unit_id]
                UNION ALL
                SELECT d.mediation_body_id, d.dispatched_at, 'dispatch', d.state
                FROM lead_dispatches d JOIN units fu ON fu.id = d.from_unit_id JOIN units tu ON tu.id = d.to_unit_id, v
                WHERE d.mediation_body_id = ANY(\(PostgresTextArray(bodies.map(String.init)))::bigint[]) AND d.dispatched_at >= \(start) AND d.dispatched_at < \(end)
                  AND \(unescaped: DispatchScope.inScope))
            SELECT \(fragment: key) AS key,
                   count(*) FILTER (WHERE x.what = 'referral') AS referrals,
                   count(*) FILTER (WHERE x.what = 'referral' AND x.state = 'outcome') AS referral_outcomes,
                   count(*) FILTER (WHERE x.what = 'referral' AND x.state = 'open') AS referrals_open,
                   count(*) FILTER (WHERE x.what = 'dispatch') AS dispatches,
                   count(*) FILTER (WHERE x.what = 'dispatch' AND x.state = 'settled') AS settled,
                   count(*) FILTER (WHERE x.what = 'dispatch' AND x.state = 'not_settled') AS not_settled,
                   count(*) FILTER (WHERE x.what = 'dispatch' AND x.state = 'referred') AS referred_on,
                   count(*) FILTER (WHERE x.what = 'dispatch' AND x.state = 'objected') AS objected,
                   count(*) FILTER (WHERE x.what = 'dispatch' AND x.state IN ('awaiting_sign', 'signed')) AS dispatches_open
            FROM x GROUP BY 1 ORDER BY 1
            """
    }

    private static func counts(_ row: PostgresRow) throws -> MediationBodyCounts {
        var c = MediationBodyCounts()
        c.referrals = try row.decode("referrals")
        c.referralOutcomes = try row.decode("referral_outcomes")
        c.referralsOpen = try row.decode("referrals_open")
        c.dispatches = try row.decode("dispatches")
        c.settled = try row.decode("settled")
        c.notSettled = try row.decode("not_settled")
        c.referredOn = try row.decode("referred_on")
        c.objected = try row.decode("objected")
        c.dispatchesOpen = try row.decode("dispatches_open")
        return c
    }
}
