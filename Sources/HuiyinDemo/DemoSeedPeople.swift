import HuiyinCore
import HuiyinStore

// The demo organisation (湖北省妇联 → 宜昌市妇联 → four counties → two townships each → two
// villages/communities each), its staff, and generators for petitioners: names, mainland mobile
// numbers, 18-digit resident ID numbers with a correct check character, addresses.

extension DemoSeed {
    /// A seeded generator (the same demo data every run) with the helpers the seed uses.
    struct RNG: RandomNumberGenerator {
        private var base: SeededRandom
        init(seed: UInt64) { base = SeededRandom(seed: seed) }
        mutating func next() -> UInt64 { base.next() }

        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
        mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
        mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
        /// One of `items`, each as likely as its weight.
        mutating func weighted<T>(_ items: [(T, Int)]) -> T {
            var roll = Int.random(in: 0..<items.reduce(0) { $0 + $1.1 }, using: &self)
            for (item, weight) in items {
                if roll < weight { return item }
                roll -= weight
            }
            return items[items.count - 1].0
        }
    }

    // MARK: Units

    struct UnitDef: Sendable {
        let code: String
        let name: String
        let level: String
        let parent: String?
    }

    struct County: Sendable {
        let code: String
        let name: String        // 西陵区
        let regionCode: String  // GB/T 2260, first six digits of a resident ID number
        let subLine: String     // the county's regional 12338 sub-line
        let townships: [Township]
    }

    struct Township: Sendable {
        let code: String
        let name: String        // 学院街道
        let villages: [String]  // 桃花岭社区, 青龙村 …
    }

    static let provinceCode = "hb"
    static let cityCode = "hb-yc"

    static let counties: [County] = [
        County(code: "hb-yc-xl", name: "西陵区", regionCode: "420502", subLine: "xiling", townships: [
            Township(code: "hb-yc-xl-01", name: "西陵街道", villages: ["东山社区", "珍珠路社区"]),
            Township(code: "hb-yc-xl-02", name: "学院街道", villages: ["桃花岭社区", "胜利四路社区"]),
        ]),
        County(code: "hb-yc-yl", name: "夷陵区", regionCode: "420506", subLine: "yiling", townships: [
            Township(code: "hb-yc-yl-01", name: "小溪塔街道", villages: ["东湖社区", "营盘社区"]),
            Township(code: "hb-yc-yl-02", name: "龙泉镇", villages: ["青龙村", "双泉村"]),
        ]),
        County(code: "hb-yc-dy", name: "当阳市", regionCode: "420582", subLine: "dangyang", townships: [
            Township(code: "hb-yc-dy-01", name: "玉阳街道", villages: ["长坂路社区", "子龙社区"]),
            Township(code: "hb-yc-dy-02", name: "河溶镇", villages: ["前华村", "官垱村"]),
        ]),
        County(code: "hb-yc-zg", name: "秭归县", regionCode: "420527", subLine: "zigui", townships: [
            Township(code: "hb-yc-zg-01", name: "茅坪镇", villages: ["九里村", "银杏沱村"]),
            Township(code: "hb-yc-zg-02", name: "郭家坝镇", villages: ["烟灯堡村", "文化村"]),
        ]),
    ]

    /// Yichang's other counties: units (each with its regional sub-line) that the demo's cases leave empty.
    static let quietCounties: [(code: String, name: String, subLine: String, lineName: String)] = [
        ("hb-yc-wjg", "伍家岗区", "wujiagang", "伍家岗区分线"), ("hb-yc-dt", "点军区", "dianjun", "点军区分线"),
        ("hb-yc-xt", "猇亭区", "xiaoting", "猇亭区分线"), ("hb-yc-yd", "宜都市", "yidu", "宜都市分线"),
        ("hb-yc-zj", "枝江市", "zhijiang", "枝江市分线"),
    ]

    /// The 12338 lines Yichang runs: three professional lines and nine regional lines, one per county.
    static var subLines: [SubLineRow] {
        [SubLineRow(code: "legal", name: "法律咨询", kind: .professional, unitCode: nil, referral: "lawyer"),
         SubLineRow(code: "psychology", name: "心理疏导", kind: .professional, unitCode: nil, referral: "psychologist"),
         SubLineRow(code: "mediation", name: "婚姻家庭调解", kind: .professional, unitCode: nil, referral: "mediator")]
            + counties.map { SubLineRow(code: $0.subLine, name: $0.name + "分线", kind: .regional, unitCode: $0.code, referral: nil) }
            + quietCounties.map { SubLineRow(code: $0.subLine, name: $0.lineName, kind: .regional, unitCode: $0.code, referral: nil) }
    }

    static var unitTree: [UnitDef] {
        var units = [
            UnitDef(code: provinceCode, name: "湖北省妇女联合会", level: "province", parent: nil),
            UnitDef(code: cityCode, name: "宜昌市妇女联合会", level: "city", parent: provinceCode),
        ]
        for county in counties {
            units.append(UnitDef(code: county.code, name: county.name + "妇女联合会", level: "county", parent: cityCode))
            for township in county.townships {
                units.append(UnitDef(code: township.code, name: township.name + "妇联", level: "township", parent: county.code))
                for (index, village) in township.villages.enumerated() {
                    units.append(UnitDef(code: township.code + String(format: "-%02d", index + 1), name: village + "妇联",
                                         level: "village", parent: township.code))
                }
            }
        }
        for county in quietCounties {
            units.append(UnitDef(code: county.code, name: county.name + "妇女联合会", level: "county", parent: cityCode))
        }
        return units
    }

    // MARK: Staff

    struct StaffDef: Sendable {
        let username: String
        let displayName: String
        let unitCode: String
        let role: StaffRole
    }

    static let staff: [StaffDef] = [
        StaffDef(username: "admin.zhou", displayName: "周海燕", unitCode: "hb", role: .admin),
        // The province, where online petitions land by default: someone handles and supervises them.
        StaffDef(username: "sup.sun", displayName: "孙慧", unitCode: "hb", role: .supervisor),
        StaffDef(username: "hd.qian", displayName: "钱蓉", unitCode: "hb", role: .handler),
        StaffDef(username: "leader.li", displayName: "李红梅", unitCode: "hb-yc", role: .leader),
        StaffDef(username: "sup.chen", displayName: "陈静", unitCode: "hb-yc", role: .supervisor),
        StaffDef(username: "sup.huang", displayName: "黄晓丽", unitCode: "hb-yc-yl", role: .supervisor),
        StaffDef(username: "op.wang", displayName: "王丽娟", unitCode: "hb-yc", role: .operator_),
        StaffDef(username: "op.liu", displayName: "刘思雨", unitCode: "hb-yc", role: .operator_),
        StaffDef(username: "op.zhang", displayName: "张敏", unitCode: "hb-yc", role: .operator_),
        StaffDef(username: "rec.zhao", displayName: "赵春燕", unitCode: "hb-yc", role: .reception),
        StaffDef(username: "rec.sun", displayName: "孙芳", unitCode: "hb-yc-xl", role: .reception),
        StaffDef(username: "rec.xiang", displayName: "向丽", unitCode: "hb-yc-zg", role: .reception),
        StaffDef(username: "hd.yang", displayName: "杨秀英", unitCode: "hb-yc-xl", role: .handler),
        StaffDef(username: "hd.du", displayName: "杜娟", unitCode: "hb-yc-dy", role: .handler),
        StaffDef(username: "hd.mao", displayName: "毛晓琴", unitCode: "hb-yc-yl-02", role: .handler),
        // A second county with every role, so a newcomer can compare what neighbours see.
        StaffDef(username: "sup.tan", displayName: "谭凤", unitCode: "hb-yc-xl", role: .supervisor),
        StaffDef(username: "leader.xu", displayName: "徐玉兰", unitCode: "hb-yc-xl", role: .leader),
        StaffDef(username: "op.qin", displayName: "覃小燕", unitCode: "hb-yc-xl", role: .operator_),
        StaffDef(username: "sup.fu", displayName: "付红", unitCode: "hb-yc-dy", role: .supervisor),
        StaffDef(username: "leader.he", displayName: "何桂芝", unitCode: "hb-yc-dy", role: .leader),
        StaffDef(username: "rec.ma", displayName: "马琳", unitCode: "hb-yc-dy", role: .reception),
        StaffDef(username: "hd.wu", displayName: "吴倩", unitCode: "hb-yc", role: .handler),
    ]

    /// The reception window each cadre sits at when she takes a shift (全员接访).
    static let windows: [String: String] = [
        "rec.zhao": "市妇联信访接待窗口",
        "rec.sun": "西陵区妇联信访接待窗口",
        "rec.xiang": "秭归县妇联信访接待窗口",
        "hd.du": "当阳市妇联信访接待窗口",
        "sup.huang": "夷陵区妇联信访接待窗口",
        "leader.li": leaderWindow,
    ]

    // MARK: Names

    /// Common surnames, with those frequent in western Hubei (向、覃、谭、田、熊) a little more likely.
    static let surnames: [(String, Int)] = [
        ("王", 10), ("李", 10), ("张", 9), ("刘", 8), ("陈", 8), ("杨", 6), ("黄", 5), ("赵", 4), ("吴", 4), ("周", 4),
        ("徐", 3), ("孙", 3), ("胡", 4), ("朱", 3), ("高", 3), ("林", 2), ("何", 3), ("郭", 3), ("马", 3), ("罗", 3),
        ("梁", 2), ("宋", 2), ("郑", 2), ("谢", 2), ("韩", 2), ("唐", 2), ("冯", 2), ("曹", 2), ("彭", 3), ("曾", 2),
        ("肖", 2), ("田", 3), ("董", 2), ("袁", 2), ("潘", 2), ("余", 3), ("杜", 2), ("程", 2), ("魏", 2), ("丁", 2),
        ("向", 4), ("覃", 3), ("谭", 3), ("熊", 3), ("万", 2), ("望", 1), ("邓", 2), ("雷", 2), ("易", 1), ("聂", 1),
        ("毛", 1), ("龚", 1), ("文", 1), ("付", 2), ("严", 1), ("鲁", 1), ("秦", 1), ("屈", 1), ("卢", 1), ("苏", 1),
    ]

    /// Given names by generation: older women, women of working age, and girls.
    static let olderGivenNames = ["秀英", "桂英", "秀兰", "玉兰", "桂兰", "凤英", "玉珍", "淑芬", "翠花", "春兰", "德芳",
                                  "金凤", "菊香", "冬梅", "素珍", "兰芝", "贵香", "玉梅", "巧云", "秋菊"]
    static let adultGivenNames = ["丽娟", "晓燕", "海燕", "春燕", "红霞", "亚琴", "小红", "丽", "芳", "敏", "静", "燕", "娟",
                                  "艳", "霞", "玲", "婷", "雪", "慧", "倩", "琴", "萍", "莉", "丹", "洁", "红梅", "晓丽",
                                  "金花", "小艳", "慧敏", "春梅", "丽华", "晓琴", "雪梅", "思思", "文静", "佳慧", "梦瑶",
                                  "晶晶", "秋月", "海霞", "婉婷", "雅琪", "丽萍"]
    static let girlGivenNames = ["欣怡", "梓涵", "雨桐", "思琪", "佳怡", "子涵", "一诺", "诗涵", "可欣", "语桐", "梓萱",
                                 "雨涵", "紫涵", "若汐", "沐晴", "芷若", "安琪", "心怡"]

    static let mobilePrefixes = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                                 "153", "155", "156", "157", "158", "159", "166", "173", "176", "177", "178", "180",
                                 "181", "182", "183", "185", "186", "187", "188", "189", "191", "193", "198", "199"]

    /// A person the seed invents: what she gives when she contacts the federation.
    struct Person: Sendable {
        var name: String
        var phone: String
        var idNumber: String?
        var address: String?
        var isMinor: Bool
        var age: Int
        var countyIndex: Int
        var townshipIndex: Int

        var draft: PetitionerDraft {
            // isMinor is only ticked when no ID number says so already (the validator derives it).
            PetitionerDraft(name: name, phone: phone, idNumber: idNumber, address: address,
                            isMinor: isMinor && idNumber == nil ? true : nil)
        }
    }
}

extension DemoSeed.RNG {
    mutating func name(age: Int) -> String {
        let surname = weighted(DemoSeed.surnames)
        if age < 18 { return surname + pick(DemoSeed.girlGivenNames) }
        if age >= 55 { return surname + pick(DemoSeed.olderGivenNames) }
        return surname + pick(DemoSeed.adultGivenNames)
    }

    mutating func mobile() -> String {
        pick(DemoSeed.mobilePrefixes) + String(format: "%08d", int(0...99_999_999))
    }

    /// A woman's resident ID number (an even sequence digit) born on `birth`, in the county's region.
    mutating func residentID(regionCode: String, birth: LocalDate) -> String {
        let sequence = int(0...99) * 10 + int(0...4) * 2
        let body = regionCode + String(format: "%04d%02d%02d%03d", birth.year, birth.month, birth.day, sequence)
        return body + DemoSeed.idCheckCharacter(body)
    }

    /// A birthday on which someone is exactly `age` years old on `today`.
    mutating func birthday(age: Int, on today: LocalDate) -> LocalDate {
        let year = today.year - age
        let anniversary = LocalDate(year: year, month: today.month,
                                    day: min(today.day, LocalDate.daysIn(month: today.month, year: year)))!
        return anniversary.adding(days: -int(0...360))
    }

    mutating func address(county: DemoSeed.County, township: DemoSeed.Township) -> String {
        let village = pick(township.villages)
        let prefix = chance(0.5) ? "宜昌市" : ""
        let detail = village.hasSuffix("社区")
            ? "\(int(1...28))栋\(int(1...4))单元\(int(1...18))0\(int(1...4))室"
            : "\(int(1...12))组\(int(1...60))号"
        return prefix + county.name + township.name + village + detail
    }
}

extension DemoSeed {
    /// ISO 7064 MOD 11-2 check character of the 17 leading digits of a resident ID number (GB 11643).
    static func idCheckCharacter(_ body: String) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body.utf8, weights).reduce(0) { $0 + Int($1.0 - UInt8(ascii: "0")) * $1.1 }
        return String(Array("10X98765432")[sum % 11])
    }
}
