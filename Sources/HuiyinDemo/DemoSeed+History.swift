import Foundation
import HuiyinCore
import HuiyinStore

// A demo history: the office works each day of it as it goes by — handlers take the day's new
// cases, accept most within days and leave some waiting, reply and close after weeks or not yet;
// a supervisor puts repeat petitions under a leader — and the sweep runs every evening. So a
// newcomer's first look shows what a working office looks like: overdue clocks, reminders (催办)
// and notices (通报), leaders' lists, closed cases and a 30-day trend, all written by the real
// workflow and sweep, never by hand-made rows.

extension DemoSeed {
    /// The number the README's caller-lookup example looks up; the seed's first adult caller has it.
    public static let examplePhone = "13807171234"

    /// Every account the seed creates, as the README's table lists them.
    public static var accountUsernames: [String] { staff.map(\.username) }

    /// What the office does with one case of the history, decided when it is opened.
    struct Plan {
        let caseID: Int64
        let receivedOn: LocalDate
        /// The handler who takes it: one of its own unit, else of the unit above; nil: nobody (it waits).
        let handler: StaffUser?
        /// Accepted this day, or never (the acceptance clock runs out).
        let acceptOn: LocalDate?
        /// Replied to and closed this many days after acceptance, or never.
        let replyAfter: Int?
        var taken = false
        var acceptedOn: LocalDate?
        var done = false
        var wantsLeader = false
        var leaderAssigned = false
    }
}

extension DemoSeed.Builder {
    /// Decides what the office will do with a case just opened.
    mutating func plan(_ caseID: Int64, receivedOn: LocalDate) {
        let handler = handlerFor(caseID: caseID)
        let acceptDelay: Int? = rng.weighted([(1, 30), (2, 20), (3, 15), (5, 10), (8, 8), (12, 5), (-1, 12)])
        let replyAfter: Int? = rng.weighted([(9, 12), (16, 15), (25, 20), (40, 18), (55, 10), (-1, 25)])
        plans.append(DemoSeed.Plan(caseID: caseID, receivedOn: receivedOn, handler: handler,
                                   acceptOn: acceptDelay.flatMap { $0 < 0 ? nil : receivedOn.adding(days: $0) },
                                   replyAfter: replyAfter.flatMap { $0 < 0 ? nil : $0 }))
    }

    /// The handler of the case's unit, else of its parent unit.
    func handlerFor(caseID: Int64) -> StaffUser? {
        guard let unitID = try? store.pool.withConnection({ db in
            try db.query("SELECT unit_id FROM cases WHERE id = \(caseID)").first?.decode("unit_id", as: Int64.self)
        }) else { return nil }
        let handlers = users.values.filter { $0.role == .handler }.sorted { $0.id < $1.id }
        if let own = handlers.first(where: { $0.unitID == unitID }) { return own }
        guard let def = DemoSeed.unitTree.first(where: { unitIDs[$0.code] == unitID }), let parent = def.parent else { return nil }
        return handlers.first { $0.unitID == unitIDs[parent] }
    }

    /// Works every day of the history before day `index` that is not worked yet.
    mutating func workDays(before index: Int) throws {
        while daysWorked < min(index, historyDays - 1) {
            try workDay(daysWorked)
            daysWorked += 1
        }
    }

    /// After the last contact: the days before today, then today's new cases taken (not yet acted on).
    mutating func finishHistory() throws {
        try workDays(before: historyDays - 1)
        let today = store(at: startedAt)
        for index in plans.indices where !plans[index].taken {
            var plan = plans[index]
            try take(&plan, on: today)
            plans[index] = plan
        }
    }

    /// One day of the office: from 17:00 the handlers' steps, at 20:00 the sweep.
    mutating func workDay(_ index: Int) throws {
        let office = store(at: dayStart(index).addingTimeInterval(17 * 3600))
        let day = office.today
        for p in plans.indices where plans[p].receivedOn <= day && !plans[p].done {
            var plan = plans[p]
            try work(&plan, office: office, day: day)
            plans[p] = plan
        }
        _ = try store(at: dayStart(index).addingTimeInterval(20 * 3600)).sweep()
    }

    mutating func work(_ plan: inout DemoSeed.Plan, office: Store, day: LocalDate) throws {
        if plan.wantsLeader, !plan.leaderAssigned {
            plan.leaderAssigned = true
            try assignLeader(plan.caseID, office: office)
        }
        guard let handler = plan.handler else { return }
        if !plan.taken { try take(&plan, on: office) }
        do {
            if plan.acceptedOn == nil, let on = plan.acceptOn, on <= day {
                try office.perform(.accept, caseID: plan.caseID, by: handler, StepInput(reason: "属于妇联信访受理范围"))
                plan.acceptedOn = day
                // Every sixth accepted case goes through the legal-aid green channel (法律援助绿色通道).
                if plan.caseID % 6 == 0 {
                    _ = try office.refer(caseID: plan.caseID, kind: .legalAid, to: "宜昌市法律援助中心", note: "申请代理离婚诉讼", by: handler)
                }
            }
            if let accepted = plan.acceptedOn, let after = plan.replyAfter, accepted.adding(days: after) <= day {
                plan.done = true
                if plan.caseID % 6 == 0 { try decideLegalAid(plan.caseID, by: handler, office: office) }
                try office.perform(.reply, caseID: plan.caseID, by: handler,
                                   StepInput(text: rng.pick(DemoSeed.historyReplies)))
                try office.perform(.close, caseID: plan.caseID, by: handler, StepInput(reason: "已书面答复"))
            }
        } catch let error as InvalidTransition where ["required_task_open", "invalid_transition"].contains(error.code) {
            // A mandatory report still to be made keeps a case open, as it must; a case moved on
            // meanwhile (a repeat contact reopened it) is left where it is.
            plan.done = true
        }
    }

    /// The legal-aid centre's decision on the case's open green-channel referral, before the case closes.
    func decideLegalAid(_ caseID: Int64, by handler: StaffUser, office: Store) throws {
        guard let referral = try office.pool.withConnection({ db in
            try db.query("SELECT id FROM referrals WHERE case_id = \(caseID) AND kind = 'legal_aid' AND outcome IS NULL")
                .first?.decode("id", as: Int64.self)
        }) else { return }
        let granted = caseID % 4 != 0
        try office.recordReferralOutcome(caseID: caseID, referralID: referral,
                                         outcome: granted ? "已指派律师代理" : "经济状况不符合法律援助条件，已告知其他维权途径",
                                         aidDecision: granted ? .granted : .refused, by: handler)
    }

    /// The handler takes the case into her inbox.
    func take(_ plan: inout DemoSeed.Plan, on office: Store) throws {
        plan.taken = true
        guard let handler = plan.handler else { return }
        try office.pool.withConnection { db in
            try db.execute("UPDATE cases SET handler_id = \(handler.id) WHERE id = \(plan.caseID) AND handler_id IS NULL")
        }
    }

    /// 领导包案 by the city supervisor: the leader of the case's county if it has one, else the city's.
    func assignLeader(_ caseID: Int64, office: Store) throws {
        guard let supervisor = users["sup.chen"] else { return }
        // The nearest leader up the case's unit path.
        guard let leaderID = try office.pool.withConnection({ db in
            try db.query("""
                SELECT l.id FROM cases c JOIN units cu ON cu.id = c.unit_id
                JOIN users l ON l.role = \(StaffRole.leader) AND l.unit_id = ANY(cu.path)
                WHERE c.id = \(caseID) ORDER BY array_position(cu.path, l.unit_id) DESC, l.id LIMIT 1
                """).first?.decode("id", as: Int64.self)
        }), let leader = users.values.first(where: { $0.id == leaderID }) else { return }
        do {
            try office.assignLeader(caseID: caseID, leaderID: leader.id, reason: "同一事项三次来访来电，列入领导包案",
                                    by: supervisor)
            try office.reportProgress(caseID: caseID, note: "已约谈当事人，协调相关部门召开联席会议研究化解方案", by: leader)
        } catch is InvalidTransition {
            // Closed meanwhile: a closed case is assigned when it is reopened.
        }
    }
}

extension DemoSeed {
    static let historyReplies = [
        "经调查核实，已协调相关部门依法处理，并为您联系了法律援助律师。",
        "经与村（社区）妇联、派出所共同走访核实，已对当事人进行批评教育并出具告诫书，将持续跟踪回访。",
        "已组织婚姻家庭纠纷人民调解委员会调解，双方达成调解协议，现将办理结果答复如下。",
        "经核实，已协调人社部门督促用人单位依法支付拖欠工资，并告知您后续维权途径。",
        "已联系心理咨询师为当事人提供三次心理疏导，并协调学校、社区共同关注未成年人情况。",
    ]
}
