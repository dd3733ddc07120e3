import Foundation
import HuiyinCore
import HuiyinStore
import Postgres

// Personal-safety protection orders (人身安全保护令) on a few domestic-violence cases and one sealed key
// household, relative to the demo's today: one with the respondent ordered to take psychological
// counselling (Changzhou's first such order), one expiring within the warning lead (on the supervisors'
// 保护令即将到期 list, its handler warned by the next sweep), one with the measure "other" in words.
// Recorded through the store calls the API uses, by the case's handler or the province's supervisor.

extension DemoSeed {
    static func seedProtectionOrders(store: Store, users: [String: StaffUser]) throws {
        guard let province = users["sup.sun"] else { return }
        let byID = Dictionary(users.values.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let today = store.today
        let cases: [(Int64, Int64?)] = try store.pool.withConnection { db in
            try db.query("""
                SELECT id, handler_id FROM cases WHERE category = 'domestic_violence' ORDER BY handler_id IS NULL, id LIMIT 3
                """).rows.map { (try $0.decode("id"), try $0.decode("handler_id")) }
        }
        // (issued days ago, term in days, measures, other measure, counselling ordered)
        let specs: [(Int, Int, [ProtectionMeasure], String?, Bool)] = [
            (40, 180, [.noViolence, .noHarassmentOrContact], nil, true),
            (170, 180, [.noViolence, .moveOut], nil, false),
            (20, 120, [.noViolence, .other], "禁止被申请人在申请人工作单位周边200米内逗留", false),
        ]
        for ((caseID, handlerID), (ago, term, measures, other, counselling)) in zip(cases, specs) {
            let issued = today.adding(days: -ago)
            let order = ProtectionOrder(court: "宜昌市夷陵区人民法院", orderNo: "(\(issued.year))鄂0506民保令\(caseID)号",
                                        protectedPerson: .petitioner, issuedOn: issued, effectiveFrom: issued,
                                        expiresOn: issued.adding(days: term), measures: measures, otherMeasure: other,
                                        counsellingOrdered: counselling)
            // Her handler records it; should the case have moved out of her reach, the province's supervisor does.
            let recorder = handlerID.flatMap { byID[$0] } ?? province
            if ((try? store.recordProtectionOrder(order, caseID: caseID, by: recorder)) ?? nil) == nil {
                _ = try store.recordProtectionOrder(order, caseID: caseID, by: province)
            }
        }
        // A sealed key household: the order protects one of its members.
        let household: (Int64, Int64)? = try store.pool.withConnection { db in
            try db.query("""
                SELECT h.id, min(m.id) AS member_id FROM households h JOIN household_members m ON m.household_id = h.id
                WHERE h.sealed GROUP BY h.id ORDER BY h.id LIMIT 1
                """).first.map { (try $0.decode("id"), try $0.decode("member_id")) }
        }
        if let (householdID, memberID) = household {
            let issued = today.adding(days: -60)
            let order = ProtectionOrder(court: "宜昌市夷陵区人民法院", orderNo: "(\(issued.year))鄂0506民保令H\(householdID)号",
                                        protectedPerson: .householdMember, householdMemberID: memberID, issuedOn: issued,
                                        effectiveFrom: issued, expiresOn: issued.adding(days: 180),
                                        measures: [.noViolence, .noHarassmentOrContact], counsellingOrdered: true)
            _ = try store.recordProtectionOrder(order, householdID: householdID, by: province)
        }
    }
}
