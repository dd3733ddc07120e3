import Foundation
import HuiyinCore
import HuiyinStore
import Postgres

// A screening campaign under way (专项排查, as Yichang's month of family disputes): 夷陵区's supervisor
// opened it twenty days ago for her two townships, ending in ten days; 龙泉镇's leads and cases of the
// period are linked to it (a sealed one among them), 龙泉镇 has filed its report and reported a major
// risk up, and 小溪塔街道 has not reported yet — so the campaign page has a unit on its "not reported" list.

extension DemoSeed {
    static func seedCampaign(store: Store, users: [String: StaffUser]) throws {
        guard let supervisor = users["sup.huang"], let township = users[workTownshipUsername] else { return }
        let units = try store.pool.withConnection { db in
            try db.query("SELECT id FROM units WHERE code IN ('hb-yc-yl-01', 'hb-yc-yl-02') ORDER BY code").rows.map { try $0.decode("id", as: Int64.self) }
        }
        guard units.count == 2 else { return }
        let opened = clock(store, daysAgo: 20, hour: 9)
        let draft = CampaignDraft(topic: "婚姻家庭纠纷专项排查", startsOn: opened.today.description,
                                  endsOn: store.today.adding(days: 10).description, unitIDs: units,
                                  reportItems: CampaignReportItem.allCases.map(\.rawValue))
        let (id, _) = try opened.openCampaign(try draft.validate(today: opened.today).get(), by: supervisor, idempotency: nil)
        // What 龙泉镇 found during the period: its leads (the sealed one included) and a few of its cases.
        let (leads, cases) = try store.pool.withConnection { db in
            let leads = try db.query("""
                SELECT l.id FROM leads l JOIN units g ON g.id = l.grid_id
                WHERE g.path @> ARRAY[\(units[1])::bigint] AND l.reported_at >= \(opened.now().addingTimeInterval(-9 * 3600))
                ORDER BY l.id
                """).rows.map { try $0.decode("id", as: Int64.self) }
            let cases = try db.query("""
                SELECT c.id FROM cases c JOIN units u ON u.id = c.unit_id
                WHERE u.path @> ARRAY[\(units[1])::bigint] AND c.created_at >= \(opened.now().addingTimeInterval(-9 * 3600))
                ORDER BY c.id LIMIT 2
                """).rows.map { try $0.decode("id", as: Int64.self) }
            return (leads, cases)
        }
        for lead in leads { _ = try store.linkToCampaign(campaignID: id, leadID: lead, caseID: nil, by: supervisor) }
        for caseID in cases { _ = try store.linkToCampaign(campaignID: id, leadID: nil, caseID: caseID, by: supervisor) }
        let reporting = clock(store, daysAgo: 1, hour: 16)
        _ = try reporting.reportMajorRisk(campaignID: id, MajorRisk(unitID: units[1], summary: "一户家庭暴力苗头，施暴人有酗酒史，已联系派出所共同稳控",
                                                                   leadID: leads.last, caseID: nil), by: township, idempotency: nil)
        _ = try reporting.fileCampaignReport(campaignID: id, unitID: units[1], CampaignReportDraft(
            found: Int64(leads.count + cases.count), settled: 1, majorRisks: 1,
            notes: "全镇逐村逐户排查婚姻家庭纠纷，对排查出的矛盾逐一建立台账、明确化解责任人。"), by: township)
    }
}
