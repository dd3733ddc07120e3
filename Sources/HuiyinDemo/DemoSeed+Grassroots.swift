import Foundation
import HuiyinCore
import HuiyinStore
import Postgres

// The demo's grassroots network: two to four grids under every demo village, each with its profile
// ("5 compounds, 4,217 residents, 305 children, 6 elderly living alone"), one grid worker (巾帼网格员)
// and one information officer (妇情信息员) per grid, the village federation's chair at each village, and
// a few hundred key households (重点户) put on the register and classified through the same store calls
// as the API: members (a few minors), Jiangsu's 四必访 categories, Changzhou's ABC / 红橙粉 classification
// (some reclassified, some past their review day), a few sealed for domestic violence or a minor.
// Its own seeded generator, run after the office's demo, so the rest of the demo is unchanged.

extension DemoSeed {
    struct GridDef: Sendable {
        let code: String
        let name: String
        let villageCode: String
        let villageName: String
        /// "xl0101a": the county's and village's place and the grid's letter, for usernames.
        let slug: String
    }

    /// Two to four grids under every demo village (the count cycles through the villages).
    static var grids: [GridDef] {
        let ordinals = ["第一", "第二", "第三", "第四"]
        var grids: [GridDef] = []
        var villageIndex = 0
        for county in counties {
            for township in county.townships {
                for (index, village) in township.villages.enumerated() {
                    let villageCode = township.code + String(format: "-%02d", index + 1)
                    for g in 0..<(2 + villageIndex % 3) {
                        grids.append(GridDef(code: villageCode + "-g\(g + 1)", name: village + ordinals[g] + "网格",
                                             villageCode: villageCode, villageName: village,
                                             slug: villageSlug(villageCode) + String(UnicodeScalar(UInt8(ascii: "a") + UInt8(g)))))
                    }
                    villageIndex += 1
                }
            }
        }
        return grids
    }

    /// "hb-yc-xl-01-02" → "xl0102".
    static func villageSlug(_ code: String) -> String {
        code.split(separator: "-").dropFirst(2).joined()
    }

    /// The grassroots accounts: a chair at every village, a grid worker and an information officer per grid.
    static var grassrootsStaff: [StaffDef] {
        var rng = RNG(seed: 0x1233_8000_0013)
        var staff: [StaffDef] = []
        var villages: [String] = []
        for grid in grids {
            if !villages.contains(grid.villageCode) {
                villages.append(grid.villageCode)
                staff.append(StaffDef(username: "chair." + villageSlug(grid.villageCode), displayName: rng.name(age: rng.int(40...58)),
                                      unitCode: grid.villageCode, role: .handler))
            }
            staff.append(StaffDef(username: "grid." + grid.slug, displayName: rng.name(age: rng.int(26...50)),
                                  unitCode: grid.code, role: .gridWorker))
            staff.append(StaffDef(username: "info." + grid.slug, displayName: rng.name(age: rng.int(30...62)),
                                  unitCode: grid.code, role: .informationOfficer))
        }
        return staff
    }

    /// The codes of the demo's grids.
    public static var gridCodes: [String] { grids.map(\.code) }

    /// The grassroots accounts the seed creates (the README names their pattern and a few examples).
    public static var grassrootsUsernames: [String] { grassrootsStaff.map(\.username) }

    /// Grids, their profiles and people, and the key-household register. Returns the accounts made.
    static func seedGrassroots(store: Store) throws -> [DemoAccount] {
        var rng = RNG(seed: 0x1233_8000_2013)
        let rows = grids.map { grid -> UnitRow in
            let households = rng.int(18...45) * 10
            let residents = households * rng.int(24...31) / 10
            let groups = grid.villageName.hasSuffix("社区")
                ? (1...rng.int(2...4)).map { _ in "\(rng.int(1...28))栋" }.joined(separator: "、") + "妇女小组；姐妹微家1个"
                : (1...rng.int(2...3)).map { _ in "\(rng.int(1...12))组" }.joined(separator: "、") + "妇女小组；巾帼志愿服务队1支"
            return UnitRow(code: grid.code, name: grid.name, level: .grid, parentCode: grid.villageCode,
                           profile: GridProfile(households: households, residents: residents, children: residents * rng.int(10...18) / 100,
                                                elderlyAlone: rng.int(3...16), womensGroups: groups))
        }
        _ = try store.importUnits(rows)
        var accounts: [DemoAccount] = []
        var users: [String: StaffUser] = [:]
        let staff = grassrootsStaff
        for def in staff {
            let (user, token) = try store.addUser(username: def.username, displayName: def.displayName, unitCode: def.unitCode, role: def.role)
            users[def.username] = user
            let unitName = try store.unitName(user.unitID)
            accounts.append(DemoAccount(username: def.username, displayName: def.displayName, role: def.role, unitName: unitName, token: token))
        }
        // The demo password, hashed once: a hundred memory-hard hashes of one published demo password would
        // only slow the seed down (demo data only; real accounts get theirs from `huiyin user password`).
        try store.setPassword(username: staff[0].username, password: password)
        try store.pool.withConnection { db in
            _ = try db.execute("""
                UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = \(staff[0].username))
                WHERE username = ANY (\(PostgresTextArray(staff.map(\.username))))
                """)
        }
        var register = Register(store: store, rng: rng)
        for grid in grids {
            try register.fill(grid, worker: users["grid." + grid.slug]!, chair: users["chair." + villageSlug(grid.villageCode)]!)
        }
        return accounts
    }

    /// Puts households on one grid's register at a time, each added and classified on its own day.
    struct Register {
        let store: Store
        var rng: RNG

        static let categoryWeights: [(HouseholdCategory, Int)] = [
            (.emptyNestOrLeftBehind, 40), (.familyInHardship, 30), (.petitionerFamilyDispute, 18), (.womanEntrepreneurInDifficulty, 12),
        ]
        static let reasons: [HouseholdColour: [String]] = [
            .red: ["夫妻矛盾激烈，近期多次争吵，需每周走访", "家庭成员患重病，生活陷入困境，需重点帮扶", "婚姻家庭纠纷反复信访，情绪不稳定"],
            .orange: ["独居老人行动不便，需定期探望", "留守妇女独自照顾老人和子女，压力较大", "创业失败负债，需就业帮扶"],
            .pink: ["家庭经济困难，已纳入低保，定期回访", "空巢老人身体尚可，按月电话问候", "纠纷已调解，保持跟踪"],
        ]
        static let notes = ["丈夫常年在外务工", "子女在外地工作，逢年过节回家", "已申请临时救助", "邻里关系良好，网格员每月走访",
                            "曾因家庭纠纷到村委会反映", "参加姐妹微家手工培训", "有慢性病，需定期送药"]

        /// The store with its clock standing at 10:00 on `daysAgo` days before today.
        func store(daysAgo: Int) -> Store {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = store.timeZone
            let midnight = calendar.startOfDay(for: store.now())
            let at = calendar.date(byAdding: .day, value: -daysAgo, to: midnight)!.addingTimeInterval(10 * 3600)
            return Store(pool: store.pool, timeZone: store.timeZone, rules: store.rules, region: store.region, now: { min(at, store.now()) })
        }

        mutating func fill(_ grid: GridDef, worker: StaffUser, chair: StaffUser) throws {
            for _ in 0..<rng.int(6...11) {
                let clock = store(daysAgo: rng.int(150...240))
                let draft = household(grid, gridID: worker.unitID)
                guard case .success(let valid) = draft.validate(today: clock.today),
                      let id = try clock.addHousehold(valid, by: worker) else { continue }
                guard rng.chance(0.7) else { continue }
                // Red is reviewed monthly, orange every two months, pink every quarter. The latest
                // classification is mostly within its period; about one in six is past its review day
                // (复核到期); a quarter were classified differently before.
                let colour = rng.weighted([(HouseholdColour.red, 2), (.orange, 4), (.pink, 5)])
                let period = Self.reviewPeriod(colour)
                let latest = rng.chance(0.16) ? period + rng.int(1...20) : rng.int(1...(period - 1))
                if rng.chance(0.25) {
                    let earlier = rng.weighted([(HouseholdColour.red, 3), (.orange, 4), (.pink, 2)])
                    try classify(id, colour: earlier, daysAgo: latest + rng.int(25...70), worker: worker, chair: chair)
                }
                try classify(id, colour: colour, daysAgo: latest, worker: worker, chair: chair)
            }
        }

        static func reviewPeriod(_ colour: HouseholdColour) -> Int {
            switch colour {
            case .red: return 30
            case .orange: return 60
            case .pink: return 90
            }
        }

        /// Classifies as she would have on that day: the village chair or the grid worker (a sealed household
        /// opens only to the grid's own people, so the grid worker classifies those).
        mutating func classify(_ id: Int64, colour: HouseholdColour, daysAgo: Int, worker: StaffUser, chair: StaffUser) throws {
            let clock = store(daysAgo: daysAgo)
            let grade = rng.weighted(colour == .red ? [(HouseholdGrade.a, 3), (.b, 1)] : [(HouseholdGrade.a, 1), (.b, 3), (.c, 3)])
            let classification = HouseholdClassification(grade: grade, colour: colour, reason: rng.pick(Self.reasons[colour]!),
                                                         reviewOn: clock.today.adding(days: Self.reviewPeriod(colour)))
            do {
                _ = try clock.classifyHousehold(id: id, classification, by: rng.chance(0.3) ? chair : worker)
            } catch is Forbidden {
                _ = try clock.classifyHousehold(id: id, classification, by: worker)
            }
        }

        /// A household as a grid worker types it in (validated like the API's).
        mutating func household(_ grid: GridDef, gridID: Int64) -> HouseholdDraft {
            let community = grid.villageName.hasSuffix("社区")
            let address = "宜昌市" + grid.villageName + (community
                ? "\(rng.int(1...28))栋\(rng.int(1...4))单元\(rng.int(1...18))0\(rng.int(1...4))室"
                : "\(rng.int(1...12))组\(rng.int(1...60))号")
            var categories = [rng.weighted(Self.categoryWeights)]
            if rng.chance(0.2) {
                let second = rng.weighted(Self.categoryWeights)
                if second != categories[0] { categories.append(second) }
            }
            let elderly = categories.contains(.emptyNestOrLeftBehind) && rng.chance(0.5)
            let headAge = elderly ? rng.int(66...85) : rng.int(28...60)
            let head = rng.name(age: headAge)
            func member(_ name: String, _ relation: VictimRelation, _ age: Int) -> HouseholdMemberDraft {
                HouseholdMemberDraft(name: name, relation: relation.rawValue, age: age, isMinor: age < 18)
            }
            var members = [member(head, .petitioner, headAge)]
            if rng.chance(0.6) {
                members.append(member(rng.weighted(DemoSeed.surnames) + rng.pick(["建国", "志强", "国华", "德明", "海军", "永红"]),
                                      .spouse, min(95, headAge + rng.int(-2...5))))
            }
            // A few households have a child under 18 on the register: those are sealed as a minor's matter.
            if !elderly, rng.chance(0.08) {
                let age = rng.int(4...16)
                members.append(member(rng.name(age: age), .child, age))
            } else if !elderly, headAge >= 45, rng.chance(0.4) {
                let age = rng.int(19...(headAge - 20))
                members.append(member(rng.name(age: age), .child, age))
            }
            if !elderly, rng.chance(0.25) {
                let age = rng.int(max(headAge + 20, 60)...95)
                members.append(member(rng.name(age: age), .parent, age))
            }
            let matters: [HouseholdMatter] = categories.contains(.petitionerFamilyDispute) && rng.chance(0.25) ? [.domesticViolence] : []
            return HouseholdDraft(gridID: gridID, address: address, headName: head, phone: rng.chance(0.85) ? rng.mobile() : nil,
                                  members: members, categories: categories.map(\.rawValue), matters: matters.map(\.rawValue),
                                  notes: rng.chance(0.5) ? rng.pick(Self.notes) : nil)
        }
    }
}
