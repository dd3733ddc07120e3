import Foundation
import HuiyinCore
import HuiyinStore
import Postgres

// The grassroots network at work, relative to the demo's today: the key households' monthly visits over
// the last three months (most visited each month, some missed, the current month partly done), and in
// 龙泉镇's 双泉村 (chair.yl0202; its township's handler hd.mao signs dispatches) leads at every stage:
// open on the agenda (one past its deliberation period), decided by a sitting with each decision kind,
// dispatched and awaiting signature, signed with progress notes, settled with follow-ups due, one that
// recurred at its follow-up, a sealed domestic-violence lead with its mandatory report task, and a
// household flagged for three quarrels. Every step goes through the store calls the API uses, each on the
// store clock of its own day, so counters, dues and notifications are what the real work would leave.

extension DemoSeed {
    /// The village whose council the demo shows at work, and its township's account.
    public static let workVillage = "hb-yc-yl-02-02"
    static let workTownshipUsername = "hd.mao"

    static func seedGrassrootsWork(store: Store, accounts: [DemoAccount], township: StaffUser) throws {
        var users: [String: StaffUser] = [:]
        for account in accounts where account.username.hasPrefix("grid.") || account.username.hasPrefix("chair.") {
            users[account.username] = try store.authenticate(token: account.token)
        }
        try seedVisits(store: store, users: users)
        try seedLeads(store: store, users: users, township: township)
    }

    /// The store with its clock standing at `hour`:00 on `daysAgo` days before today (never after now).
    static func clock(_ store: Store, daysAgo: Int, hour: Int = 10) -> Store {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = store.timeZone
        let midnight = calendar.startOfDay(for: store.now())
        let at = calendar.date(byAdding: .day, value: -daysAgo, to: midnight)!.addingTimeInterval(Double(hour) * 3600)
        return Store(pool: store.pool, timeZone: store.timeZone, rules: store.rules, region: store.region, now: { min(at, store.now()) })
    }

    /// Each key household's visits over the current month and the two before it, recorded by its grid's
    /// worker on the day of the visit (the visit form accepts only the current month, so each is validated
    /// against its own day). Past months: nine in ten households visited, a few twice; this month: about as
    /// many as the days gone allow.
    static func seedVisits(store: Store, users: [String: StaffUser]) throws {
        var rng = RNG(seed: 0x1233_8000_3013)
        let today = store.today
        let households = try store.pool.withConnection { db in
            try db.query("""
                SELECT h.id, g.code, (h.created_at AT TIME ZONE \(store.timeZone.identifier))::date AS added
                FROM households h JOIN units g ON g.id = h.grid_id ORDER BY h.id
                """).rows.map { (id: try $0.decode("id", as: Int64.self), grid: try $0.decode("code", as: String.self),
                                added: try $0.decode("added", as: LocalDate.self)) }
        }
        let slugs = Dictionary(uniqueKeysWithValues: grids.map { ($0.code, $0.slug) })
        var month = VisitMonth(today)
        var months: [VisitMonth] = []
        for _ in 0..<3 {
            months.insert(month, at: 0)
            month = VisitMonth(month.firstDay.adding(days: -1))
        }
        for month in months {
            let current = month == VisitMonth(today)
            let lastDay = current ? today : month.next.firstDay.adding(days: -1)
            // The month's counters open on its first day, as the first visit or the sweep would open them.
            try clock(store, daysAgo: today.dayNumber - month.firstDay.dayNumber, hour: 8).openVisitMonth(month)
            let share = current ? min(0.85, Double(today.day) / Double(lastDay.day + 20) + 0.2) : 0.9
            for household in households {
                guard household.added < month.firstDay, rng.chance(share),
                      let worker = users["grid." + (slugs[household.grid] ?? "")] else { continue }
                var days = [rng.int(month.firstDay.day...lastDay.day)]
                if !current, rng.chance(0.1) { days.append(rng.int(month.firstDay.day...lastDay.day)) }
                for day in Set(days).sorted() {
                    let on = LocalDate(year: month.year, month: month.month, day: day)!
                    let found = rng.chance(0.06)
                    let topics = Dictionary(uniqueKeysWithValues: VisitTopic.allCases.map { topic in
                        (topic.rawValue, (asked: Optional(true), found: Optional(found && topic == .marriageFamilyDisputes)))
                    })
                    let draft = VisitDraft(householdID: household.id, visitedOn: on.description, mode: rng.chance(0.8) ? "in_person" : "phone",
                                           topics: topics, notes: found ? "夫妻近期因家务分工发生争吵，已当面劝解" : rng.chance(0.3) ? rng.pick(visitNotes) : nil)
                    guard case .success(let visit) = draft.validate(today: on) else { continue }
                    do {
                        _ = try clock(store, daysAgo: today.dayNumber - on.dayNumber, hour: 9 + rng.int(0...8))
                            .recordVisit(visit, by: worker, idempotency: nil)
                    } catch is Forbidden {
                        continue
                    }
                }
            }
        }
    }

    static let visitNotes = ["家中一切平稳，老人身体尚好", "已宣传反家暴法和妇联维权热线12338", "了解孩子学习情况，留守儿童状态良好",
                             "户主外出务工，电话联系家属", "送去慰问品，询问生活困难", "提醒按时复诊，帮忙联系村医"]

    /// The leads of 双泉村, each taken as far as its stage.
    static func seedLeads(store: Store, users: [String: StaffUser], township: StaffUser) throws {
        let slug = villageSlug(workVillage)
        guard let chair = users["chair." + slug], let worker = users["grid." + slug + "a"],
              let otherWorker = users["grid." + slug + "b"] else { return }
        // Unsealed households of the two grids: one for the quarrels, others for the rest.
        func households(of gridID: Int64) throws -> [Int64] {
            try store.pool.withConnection { db in
                try db.query("SELECT id FROM households WHERE grid_id = \(gridID) AND NOT sealed ORDER BY id").rows.map { try $0.decode("id") }
            }
        }
        let homes = try households(of: worker.unitID), otherHomes = try households(of: otherWorker.unitID)
        func report(_ daysAgo: Int, _ kind: LeadKind, _ summary: String, household: Int64? = nil, by who: StaffUser? = nil,
                    people: [LeadPersonDraft], urgency: String = "normal") throws -> Int64 {
            let reporter = who ?? worker
            let draft = LeadDraft(gridID: reporter.unitID, kind: kind.rawValue, source: household == nil ? "grid_report" : "visit",
                                  householdID: household, summary: summary, urgency: urgency, people: people)
            let lead = try draft.validate().get()
            return try clock(store, daysAgo: daysAgo, hour: 15).addLead(lead, by: reporter, idempotency: nil)!.0.id
        }
        func couple(_ wife: String, _ husband: String) -> [LeadPersonDraft] {
            [LeadPersonDraft(role: "victim", name: wife, relation: "self", age: 38), LeadPersonDraft(role: "respondent", name: husband, relation: "spouse", age: 41)]
        }
        func sitting(_ daysAgo: Int, _ decisions: [LeadDecisionDraft]) throws {
            let at = clock(store, daysAgo: daysAgo, hour: 14)
            let draft = SittingDraft(heldOn: at.today.description,
                                     participants: [SittingParticipantDraft(name: "覃秀兰", role: "council_chair"),
                                                    SittingParticipantDraft(name: "向春梅", role: "council_member"),
                                                    SittingParticipantDraft(name: "郑德华", role: "mediator")],
                                     decisions: decisions)
            _ = try at.recordSitting(villageID: chair.unitID, try draft.validate(today: at.today).get(), by: chair)
        }
        func dispatchID(_ leadID: Int64) throws -> Int64 {
            try store.pool.withConnection { db in
                try db.query("SELECT max(id) AS id FROM lead_dispatches WHERE lead_id = \(leadID)").first!.decode("id")
            }
        }
        guard homes.count >= 3, otherHomes.count >= 2 else { return }

        // Three quarrels of one household within two months: the third flags it (多次争吵).
        let quarrel1 = try report(45, .familyDispute, "夫妻因赡养老人问题争吵，邻居报告", household: homes[0], people: couple("周桂香", "刘国强"))
        let quarrel2 = try report(32, .familyDispute, "夫妻再次争吵，摔砸家中物品", household: homes[0], people: couple("周桂香", "刘国强"))
        // Decided at a sitting 25 days ago, one of each kind.
        let referred = try report(30, .familyDispute, "兄妹因父母房产继承发生纠纷，多次协商未果", household: homes[1],
                                  people: [LeadPersonDraft(role: "victim", name: "陈晓燕", relation: "self", age: 45),
                                           LeadPersonDraft(role: "respondent", name: "陈建军", relation: "relative", age: 50)])
        let policed = try report(29, .familyDispute, "夫妻争吵中丈夫扬言报复，妻子害怕回家", by: otherWorker, people: couple("黄丽", "吴志刚"), urgency: "urgent")
        let cased = try report(28, .other, "妇女反映被村民小组克扣土地征收补偿款，要求依法解决",
                               people: [LeadPersonDraft(role: "victim", name: "赵秀梅", phone: "13972012345", relation: "self", age: 52)])
        let closed = try report(27, .other, "邻里因宅基地界址争执，经了解已由村调委会调解完毕",
                                people: [LeadPersonDraft(role: "reporter", name: "李春华", relation: "other", age: 60)])
        // Dispatched to the township: one signed with its progress notes, one settled (follow-ups due),
        // one settled long ago whose first follow-up found the dispute flared up again.
        let recurring = try report(70, .familyDispute, "婆媳矛盾激化，儿媳带孩子回娘家不归", household: otherHomes[0], by: otherWorker,
                                   people: couple("彭玉兰", "谭家明"))
        try sitting(68, [LeadDecisionDraft(leadID: recurring, decision: "dispatch", note: "村内多次调解无效，请镇妇联协调", riskGrade: "medium")])
        let recurringDispatch = try dispatchID(recurring)
        _ = try clock(store, daysAgo: 67).signDispatch(id: recurringDispatch, by: township)
        _ = try clock(store, daysAgo: 60).recordDispatchOutcome(id: recurringDispatch, MediationOutcome(
            result: .settled, nextStep: nil, referredTo: nil, note: "镇妇联联合司法所调解，婆媳达成和解"), by: township)
        let signed = try report(31, .familyDispute, "丈夫长期酗酒后辱骂妻子，妻子提出离婚", household: otherHomes[1], by: otherWorker,
                                people: couple("杨春燕", "龚德胜"))
        let settled = try report(30, .familyDispute, "夫妻因子女抚养费分担发生纠纷", household: homes[2], people: couple("田慧", "邓志明"))
        try sitting(25, [
            LeadDecisionDraft(leadID: quarrel1, decision: "mediate_here", mediatorKind: "elder_mediator", mediatorName: "郑德华", note: "由德高望重的老党员上门调解"),
            LeadDecisionDraft(leadID: quarrel2, decision: "close", reason: "经调解双方和好，暂不需进一步处理"),
            LeadDecisionDraft(leadID: referred, decision: "refer", referralKind: "legal_aid", referredTo: "夷陵区法律援助中心"),
            LeadDecisionDraft(leadID: policed, decision: "report_police", note: "已联系龙泉派出所上门", riskGrade: "high"),
            LeadDecisionDraft(leadID: cased, decision: "open_case"),
            LeadDecisionDraft(leadID: closed, decision: "close", reason: "已由村调委会调解完毕"),
            LeadDecisionDraft(leadID: signed, decision: "dispatch", note: "男方拒绝村内调解，请镇妇联介入", riskGrade: "medium"),
            LeadDecisionDraft(leadID: settled, decision: "dispatch", riskGrade: "medium"),
        ])
        let signedDispatch = try dispatchID(signed), settledDispatch = try dispatchID(settled)
        _ = try clock(store, daysAgo: 24).signDispatch(id: signedDispatch, by: township)
        _ = try clock(store, daysAgo: 20).addDispatchNote(id: signedDispatch, note: "已约谈男方，告知家庭暴力的法律后果", by: township)
        _ = try clock(store, daysAgo: 12).addDispatchNote(id: signedDispatch, note: "联系心理咨询师为女方做心理疏导一次", by: township)
        _ = try clock(store, daysAgo: 23).signDispatch(id: settledDispatch, by: township)
        _ = try clock(store, daysAgo: 14).recordDispatchOutcome(id: settledDispatch, MediationOutcome(
            result: .settled, nextStep: nil, referredTo: nil, note: "双方就抚养费分担达成书面协议"), by: township)
        // The long-settled one's first follow-up: it flared up again.
        _ = try clock(store, daysAgo: 20).recordFollowUp(leadID: recurring, FollowUp(
            madeOn: clock(store, daysAgo: 20).today, method: .visit, result: .recurred, notes: "婆媳再次争吵，儿媳又回娘家"), by: chair)
        // Awaiting signature at the township: dispatched yesterday.
        let awaiting = try report(3, .familyDispute, "夫妻因外出务工收入分配争吵，妻子要求分居", household: homes.count > 3 ? homes[3] : nil,
                                  people: couple("覃红梅", "周志勇"))
        try sitting(1, [LeadDecisionDraft(leadID: awaiting, decision: "dispatch", note: "涉及跨村财产，请镇妇联协调", riskGrade: "medium")])
        // On the agenda: the third quarrel (flags the household), past its deliberation period; a fresh one.
        _ = try report(10, .familyDispute, "夫妻又因老人赡养费争吵，妻子哭诉", household: homes[0], people: couple("周桂香", "刘国强"))
        _ = try report(2, .other, "独居老人反映子女长期不探望，生活无人照料", by: otherWorker,
                       people: [LeadPersonDraft(role: "victim", name: "谭桂英", relation: "self", age: 81)])
        // Sealed: violence against a child, with its mandatory report task.
        _ = try report(4, .domesticViolence, "邻居反映孩子身上多处淤青，疑似遭父亲殴打", by: otherWorker,
                       people: [LeadPersonDraft(role: "victim", name: "龚小雨", relation: "child", age: 9, isMinor: true),
                                LeadPersonDraft(role: "respondent", name: "龚建华", relation: "parent", age: 36)],
                       urgency: "urgent")
    }
}
