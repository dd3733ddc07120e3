import Foundation
import HuiyinCore
import Postgres

/// One unit's legal-aid green channel over a period: referrals made, decided on time or late, still
/// open (and how many of those past their day), and what was decided — `granted` is the number of
/// women helped, the figure the federation reports (Yichang: 23 women in half a year).
public struct LegalAidFigures: Sendable, Equatable {
    public let unitID: Int64
    public let unitName: String
    public let referred: Int
    public let decidedOnTime: Int
    public let decidedLate: Int
    public let open: Int
    public let overdue: Int
    public let granted: Int
    public let refused: Int
    public let withdrawn: Int
}

extension Store {
    /// Per unit of her subtree whose cases made legal-aid referrals between `from` and `to` (local days).
    /// Counts only: no case is named, so a sealed case counts like any other.
    public func legalAidFigures(from: LocalDate, to: LocalDate, for user: StaffUser) throws -> [LegalAidFigures] {
        let (start, end, today) = (from.startOfDay(in: timeZone), to.adding(days: 1).startOfDay(in: timeZone), self.today)
        return try pool.withConnection { db in
            try db.query("""
                WITH \(viewer: user)
                SELECT cu.id, cu.name,
                       count(*) AS referred,
                       count(*) FILTER (WHERE r.aid_decision IS NOT NULL
                                        AND (r.outcome_at AT TIME ZONE \(timeZone.identifier))::date <= r.decision_due_on) AS on_time,
                       count(*) FILTER (WHERE r.aid_decision IS NOT NULL
                                        AND (r.outcome_at AT TIME ZONE \(timeZone.identifier))::date > r.decision_due_on) AS late,
                       count(*) FILTER (WHERE r.aid_decision IS NULL) AS open,
                       count(*) FILTER (WHERE r.aid_decision IS NULL AND r.decision_due_on < \(today)) AS overdue,
                       count(*) FILTER (WHERE r.aid_decision = 'granted') AS granted,
                       count(*) FILTER (WHERE r.aid_decision = 'refused') AS refused,
                       count(*) FILTER (WHERE r.aid_decision = 'withdrawn') AS withdrawn
                FROM referrals r JOIN cases c ON c.id = r.case_id JOIN units cu ON cu.id = c.unit_id, v
                WHERE r.kind = 'legal_aid' AND r.referred_at >= \(start) AND r.referred_at < \(end)
                  AND cu.path @> ARRAY[v.unit_id]
                GROUP BY cu.id, cu.name ORDER BY cu.name, cu.id
                """).rows.map {
                LegalAidFigures(unitID: try $0.decode("id"), unitName: try $0.decode("name"), referred: try $0.decode("referred"),
                                decidedOnTime: try $0.decode("on_time"), decidedLate: try $0.decode("late"), open: try $0.decode("open"),
                                overdue: try $0.decode("overdue"), granted: try $0.decode("granted"), refused: try $0.decode("refused"),
                                withdrawn: try $0.decode("withdrawn"))
            }
        }
    }
}
