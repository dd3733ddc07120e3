import Foundation
import HuiyinCore
import HuiyinStore

extension DemoSeed {
    /// Rough centres (WGS-84) of the demo townships around Yichang, so the public map has bodies where
    /// the demo's people live: each township's committee, each village's family-mediation point, each
    /// county's marriage-and-family committee and federation studio, and the city's committee.
    static let townshipCentres: [String: (Double, Double)] = [
        "hb-yc-xl-01": (30.7020, 111.2905), "hb-yc-xl-02": (30.7145, 111.3030),
        "hb-yc-yl-01": (30.7700, 111.3260), "hb-yc-yl-02": (30.5560, 111.5180),
        "hb-yc-dy-01": (30.8210, 111.7880), "hb-yc-dy-02": (30.7190, 111.9240),
        "hb-yc-zg-01": (30.8300, 110.9780), "hb-yc-zg-02": (30.8990, 110.7960),
    ]

    static var mediationBodies: [MediationBodyRow] {
        var rows: [MediationBodyRow] = []
        func add(_ code: String, _ name: String, _ kind: MediationBodyKind, unit: String, address: String, at point: (Double, Double),
                 phone: String, hours: String, mediators: [String]) {
            rows.append(MediationBodyRow(line: rows.count + 2, code: code, name: name, kind: kind, unitCode: unit, address: address,
                                         latitude: (point.0 * 1e6).rounded() / 1e6, longitude: (point.1 * 1e6).rounded() / 1e6,
                                         phone: phone, hours: hours, mediatorCount: mediators.count, mediators: mediators))
        }
        let office = "周一至周五 8:30-12:00，14:30-17:30"
        add("YC-0001", "宜昌市婚姻家庭纠纷人民调解委员会", .countyCommittee, unit: cityCode, address: "宜昌市西陵区沿江大道52号",
            at: (30.6965, 111.2870), phone: "0717-6251234", hours: office, mediators: ["刘芳", "陈静", "周敏", "吴丽"])
        for (c, county) in counties.enumerated() {
            let centre = townshipCentres[county.townships[0].code]!
            add(String(format: "YC-%02d01", c + 1), county.name + "婚姻家庭纠纷人民调解委员会", .countyCommittee, unit: county.code,
                address: county.name + "人民路\(18 + c * 7)号", at: (centre.0 + 0.004, centre.1 - 0.003),
                phone: String(format: "0717-62%05d", 31000 + c * 101), hours: office, mediators: ["黄丽", "赵敏", "孙芳"])
            add(String(format: "YC-%02d02", c + 1), county.name + "妇联“和美家庭”调解工作室", .federationStudio, unit: county.code,
                address: county.name + "妇女儿童活动中心二楼", at: (centre.0 - 0.003, centre.1 + 0.004),
                phone: String(format: "0717-62%05d", 32000 + c * 101), hours: "周一至周六 9:00-17:00", mediators: ["马琴", "郑华"])
            for (t, township) in county.townships.enumerated() {
                let (lat, lon) = townshipCentres[township.code]!
                add(String(format: "YC-%02d%d0", c + 1, t + 1), township.name + "人民调解委员会", .townshipCommittee, unit: township.code,
                    address: township.name + "综治中心一楼", at: (lat, lon),
                    phone: String(format: "0717-63%05d", 40000 + c * 100 + t * 10), hours: office, mediators: ["何静", "杨梅"])
                for (v, village) in township.villages.enumerated() {
                    // Villages a few kilometres around their township's centre.
                    let angle = Double(v * 2 + t + c) * 1.3
                    add(String(format: "YC-%02d%d%d", c + 1, t + 1, v + 1), village + "家事调解点（妇女议事会）", .villagePoint,
                        unit: township.code + String(format: "-%02d", v + 1), address: township.name + village + "党群服务中心",
                        at: (lat + 0.018 * sin(angle), lon + 0.022 * cos(angle)),
                        phone: String(format: "1380717%04d", 2000 + c * 100 + t * 10 + v), hours: "每周二、四 9:00-11:30，其余时间请来电预约",
                        mediators: ["张秀英", "李红梅"])
                }
            }
        }
        return rows
    }

    static func seedMediationBodies(store: Store) throws {
        _ = try store.importMediationBodies(mediationBodies)
    }
}
