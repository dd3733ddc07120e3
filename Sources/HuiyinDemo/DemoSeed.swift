import Foundation
import HuiyinCore
import HuiyinStore
import Postgres

/// A staff account the demo seed created, with its API token (shown once).
public struct DemoAccount: Sendable {
    public let username: String
    public let displayName: String
    public let role: StaffRole
    public let unitName: String
    public let token: String
}

/// Demo data: a federation unit tree in Yichang, one staff user of every role, and a few hundred
/// realistic cases across the four channels, recorded through the same validation and store calls
/// as real intake.
public enum DemoSeed {
    /// Creates the demo unit tree, one staff user of every role in several units, and `cases` cases across all four channels. Deterministic (seeded RNG), so two runs produce the same data (except tokens/query codes).
    /// - Parameter historyDays: 0 records every contact now (today); N > 0 spreads the contacts in
    ///   order over the last N days (08:00–21:00), so that deadline views have cases of every age.
    ///   Letters are always received 1–10 days before the day they are logged.
    /// Meant for an empty database (`isEmpty`): a second run fails on the existing usernames.
    /// Every demo account's console password. Demo data only: real accounts get theirs from `huiyin user password`.
    public static let password = "huiyin-demo-2026"

    public static func run(store: Store, cases: Int = 300, historyDays: Int = 0) throws -> [DemoAccount] {
        precondition(cases >= 0 && historyDays >= 0, "cases and historyDays must not be negative")
        var unitIDs: [String: Int64] = [:]
        var unitNames: [String: String] = [:]
        for def in unitTree {
            let unit = try store.addUnit(code: def.code, name: def.name, level: def.level, parentCode: def.parent)
            unitIDs[def.code] = unit.id
            unitNames[def.code] = unit.name
        }
        _ = try store.importSubLines(subLines)
        var users: [String: StaffUser] = [:]
        var accounts: [DemoAccount] = []
        for def in staff {
            let (user, token) = try store.addUser(username: def.username, displayName: def.displayName,
                                                  unitCode: def.unitCode, role: def.role)
            users[def.username] = user
            try store.setPassword(username: def.username, password: password)
            accounts.append(DemoAccount(username: def.username, displayName: def.displayName, role: def.role,
                                        unitName: unitNames[def.unitCode] ?? def.unitCode, token: token))
        }
        var builder = Builder(store: store, unitIDs: unitIDs, users: users, caseCount: cases,
                              repeatCount: cases * 18 / 100, historyDays: historyDays)
        try builder.run()
        // A history was worked day by day as it was recorded; contacts all of today get the old pass.
        if historyDays == 0 { try assignHandlers(store: store, users: Array(users.values)) }
        accounts += try seedGrassroots(store: store)   // DemoSeed+Grassroots.swift
        // DemoSeed+GrassrootsWork.swift: visits and leads; with a history, the evening sweep tells the
        // township of the lead past its deliberation period, as it would have.
        try seedGrassrootsWork(store: store, accounts: accounts, township: users[workTownshipUsername]!)
        try seedCampaign(store: store, users: users)   // DemoSeed+Campaigns.swift: a screening campaign under way
        if historyDays > 0 { _ = try store.sweep() }
        try seedMediationBodies(store: store)   // DemoSeed+Mediation.swift: the public map's bodies
        try seedProtectionOrders(store: store, users: users)   // DemoSeed+ProtectionOrders.swift
        return accounts
    }

    /// Gives each handler the open cases of her unit and takes some of them further through the real
    /// workflow (accepted with a notice; a few replied and closed), so the handler's, leader's and
    /// supervisor's views have cases at every stage.
    static func assignHandlers(store: Store, users: [StaffUser]) throws {
        for handler in users.filter({ $0.role == .handler }).sorted(by: { $0.id < $1.id }) {
            let ids = try store.pool.withConnection { db in
                try db.query("""
                    UPDATE cases SET handler_id = \(handler.id) WHERE unit_id = \(handler.unitID) AND handler_id IS NULL
                    RETURNING id
                    """).rows.map { try $0.decode("id", as: Int64.self) }.sorted()
            }
            for (index, id) in ids.enumerated() where index % 2 == 0 {
                try store.perform(.accept, caseID: id, by: handler, StepInput(reason: "属于妇联信访受理范围"))
                guard index % 6 == 0 else { continue }
                try store.perform(.reply, caseID: id, by: handler,
                                  StepInput(text: "经调查核实，已协调相关部门依法处理，并为您联系了法律援助律师。"))
                do {
                    try store.perform(.close, caseID: id, by: handler, StepInput(reason: "已书面答复"))
                } catch let error as InvalidTransition where error.code == "required_task_open" {
                    continue  // a mandatory report is still to be made: the case stays open, as it must
                }
            }
        }
    }

    /// True if the database has no units yet.
    public static func isEmpty(store: Store) throws -> Bool {
        try store.pool.withConnection { db in
            try db.query("SELECT count(*) AS n FROM units").first!.decode("n", as: Int.self) == 0
        }
    }
}

extension DemoSeed {
    static let channelWeights: [(Channel, Int)] = [(.call, 55), (.letter, 12), (.visit, 17), (.online, 16)]
    static let categoryWeights: [(CaseCategory, Int)] = [
        (.marriageFamily, 30), (.domesticViolence, 26), (.minorsRights, 10), (.laborSocialSecurity, 10),
        (.propertyRights, 10), (.personalRights, 6), (.sexualAssault, 4), (.other, 4),
    ]
    /// How often each county is the one concerned (西陵、夷陵、当阳、秭归).
    static let countyWeights = [30, 25, 25, 20]

    static func subLineWeights(_ category: CaseCategory) -> [(String, Int)] {
        switch category {
        case .domesticViolence, .sexualAssault: return [("main", 55), ("psychology", 30), ("legal", 15)]
        case .marriageFamily: return [("main", 50), ("mediation", 25), ("legal", 15), ("psychology", 10)]
        case .minorsRights: return [("main", 60), ("psychology", 30), ("legal", 10)]
        case .laborSocialSecurity, .propertyRights, .personalRights: return [("main", 55), ("legal", 45)]
        case .other: return [("main", 1)]
        }
    }

    /// A case the seed opened, for later repeat contacts.
    struct Opened {
        let caseID: Int64
        let category: CaseCategory
        let receivedOn: LocalDate
        let countyIndex: Int
        let letterSender: String?
        let onBehalf: Bool
        var contacts: Int
    }

    /// Who records a contact, and where the contact lands when the intake names no unit.
    struct Recorder {
        let actor: Actor
        let source: IntakeSource
        let defaultUnitID: Int64
        let username: String?
    }

    struct Builder {
        let store: Store
        let unitIDs: [String: Int64]
        let users: [String: StaffUser]
        let caseCount: Int
        let repeatCount: Int
        let historyDays: Int
        let startedAt: Date
        var rng = RNG(seed: 0x1233_8000_2026)
        var event = 0
        var opened: [Opened] = []
        /// Everyone who gave a phone number: returning petitioners and shared family phones come from here.
        var people: [Person] = []
        /// Numbers already lent to a relative once: one family, one shared phone.
        var sharedPhones: Set<String> = []
        var usedSummaries: Set<String> = []
        /// History only: the days (indexes into the history) whose office work and sweep are done,
        /// and what the office will do with each case (see DemoSeed+History.swift).
        var daysWorked = 0
        var plans: [Plan] = []

        init(store: Store, unitIDs: [String: Int64], users: [String: StaffUser], caseCount: Int, repeatCount: Int,
             historyDays: Int) {
            self.store = store
            self.unitIDs = unitIDs
            self.users = users
            self.caseCount = caseCount
            self.repeatCount = repeatCount
            self.historyDays = historyDays
            self.startedAt = store.now()
        }

        mutating func run() throws {
            var repeatsDone = 0
            for index in 0..<caseCount {
                try newCase()
                // Repeat contacts interleave with new cases, each about a case opened before it.
                while repeatsDone < repeatCount * (index + 1) / caseCount, try repeatContact() {
                    repeatsDone += 1
                }
            }
            if historyDays > 0 { try finishHistory() }
        }

        // MARK: Clock

        /// The store to record the next contact with: the real one, or one whose clock stands at the
        /// contact's place in the history (monotonic, never after the real now).
        /// Before the first contact of a new day, the office's work and the sweep of the days before it.
        mutating func nextClock() throws -> Store {
            defer { event += 1 }
            guard historyDays > 0 else { return store }
            let total = max(1, caseCount + repeatCount)
            let position = Double(event) / Double(total) * Double(historyDays)
            let dayIndex = Int(position)
            try workDays(before: dayIndex)
            let planned = dayStart(dayIndex).addingTimeInterval(8 * 3600 + (position - Double(dayIndex)) * 13 * 3600)
            let at = min(planned, startedAt.addingTimeInterval(-Double(total - event)))
            return store(at: at)
        }

        /// Midnight (local) that begins day `index` of the history; the last day is today.
        func dayStart(_ index: Int) -> Date {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = store.timeZone
            return calendar.date(byAdding: .day, value: -(historyDays - 1 - index), to: calendar.startOfDay(for: startedAt))!
        }

        /// The store with its clock standing at `at`.
        func store(at: Date) -> Store {
            Store(pool: store.pool, timeZone: store.timeZone, rules: store.rules, region: store.region, now: { at })
        }

        // MARK: New cases

        mutating func newCase() throws {
            let clock = try nextClock()
            let today = clock.today
            let channel = rng.weighted(DemoSeed.channelWeights)
            if channel == .call, rng.chance(0.05) { return try anonymousCall(clock) }
            if channel == .letter, rng.chance(0.3) { return try onBehalfLetter(clock) }
            if channel == .visit, rng.chance(0.15) { return try collectiveVisit(clock) }

            // The history's last week brings a cluster of family disputes in one township: a rise the
            // early-warning pass catches, so the analysis page and the month's report have one to show.
            let rising = historyDays >= 70 && LocalDate(startedAt, in: store.timeZone).dayNumber - today.dayNumber < 7
                && rng.chance(0.6)
            let category = rising ? .marriageFamily : rng.weighted(DemoSeed.categoryWeights)
            // On the phone, a child often speaks for herself.
            let situation = rng.weighted(DemoSeed.situations[category]!.compactMap { situation in
                situation.minorSelf ? (channel == .call ? (situation, 3) : nil) : (situation, 2)
            })
            let person = rising ? risingPerson(for: situation) : choosePerson(for: situation, channel: channel)
            let county = DemoSeed.counties[person.countyIndex]
            let township = county.townships[person.townshipIndex]

            var draft = IntakeDraft()
            draft.category = category.rawValue
            draft.unitID = caseUnit(county: county, township: township)
            draft.petitioner = person.draft
            // Compose again (a few times at most) rather than repeat a summary word for word.
            var summary = ""
            for _ in 0..<6 {
                summary = compose(situation, category: category, channel: channel, person: person,
                                  county: county, township: township)
                if !usedSummaries.contains(summary) { break }
            }
            draft.summary = summary
            var sender: String?
            switch channel {
            case .call:
                draft.subLine = rng.chance(0.15) ? county.subLine : rng.weighted(DemoSeed.subLineWeights(category))
            case .letter:
                draft.letter = LetterDraft(receivedOn: today.adding(days: -rng.int(1...10)).description, sender: person.name, onBehalf: false)
                sender = person.name
            case .visit:
                draft.visitVisitors = rng.weighted([(1, 70), (2, 25), (3, 5)])
            case .online:
                break
            }
            try open(&draft, channel: channel, category: category, countyIndex: person.countyIndex, clock: clock,
                     letterSender: sender, onBehalf: false, anonymous: false)
        }

        /// A caller who gives no name and no number.
        mutating func anonymousCall(_ clock: Store) throws {
            var call = rng.pick(DemoSeed.anonymousCalls)
            var countyIndex = chooseCounty()
            var township = rng.pick(DemoSeed.counties[countyIndex].townships)
            var summary = ""
            for _ in 0..<6 {
                summary = fill(rng.pick(call.texts), person: nil, county: DemoSeed.counties[countyIndex],
                               township: township) + "。" + rng.pick(call.notes) + "。"
                if !usedSummaries.contains(summary) { break }
                call = rng.pick(DemoSeed.anonymousCalls)
                countyIndex = chooseCounty()
                township = rng.pick(DemoSeed.counties[countyIndex].townships)
            }
            let category = call.category
            let county = DemoSeed.counties[countyIndex]
            var draft = IntakeDraft()
            draft.category = category.rawValue
            draft.unitID = caseUnit(county: county, township: township)
            draft.summary = summary
            draft.subLine = rng.chance(0.3) ? "psychology" : "main"
            try open(&draft, channel: .call, category: category, countyIndex: countyIndex, clock: clock,
                     letterSender: nil, onBehalf: false, anonymous: true)
        }

        /// A letter from a daughter, son, sister, grandmother or village cadre for the person concerned.
        mutating func onBehalfLetter(_ clock: Store) throws {
            let letter = rng.pick(DemoSeed.onBehalfLetters)
            let writer = newPerson(age: letter.minor ? rng.int(58...72) : rng.int(25...50), minor: false)
            var person = newPerson(age: rng.int(letter.ages), minor: letter.minor, countyIndex: writer.countyIndex,
                                   townshipIndex: writer.townshipIndex)
            person.phone = writer.phone  // she gives her own number to be called back on
            let county = DemoSeed.counties[person.countyIndex]
            let township = county.townships[person.townshipIndex]
            var petitioner = person.draft
            if person.address == nil { petitioner.address = rng.address(county: county, township: township) }
            if rng.chance(0.3), !letter.minor { petitioner.phone = nil }
            var draft = IntakeDraft()
            draft.category = letter.category.rawValue
            draft.unitID = caseUnit(county: county, township: township)
            draft.petitioner = petitioner
            draft.summary = rng.pick(letter.intros) + fill(letter.body, person: person, county: county, township: township)
                + "。" + rng.pick(letter.asks) + "。"
            draft.letter = LetterDraft(receivedOn: clock.today.adding(days: -rng.int(1...10)).description, sender: writer.name, onBehalf: true)
            people.append(writer)
            try open(&draft, channel: .letter, category: letter.category, countyIndex: person.countyIndex, clock: clock,
                     letterSender: writer.name, onBehalf: true, anonymous: false)
        }

        /// Five or more people at the window about one matter; their representative is the petitioner.
        mutating func collectiveVisit(_ clock: Store) throws {
            let visit = rng.pick(DemoSeed.collectiveVisits)
            let representative = newPerson(age: rng.int(30...55), minor: false)
            let county = DemoSeed.counties[representative.countyIndex]
            let township = county.townships[representative.townshipIndex]
            let visitors = rng.int(visit.visitors)
            var draft = IntakeDraft()
            draft.category = visit.category.rawValue
            draft.unitID = caseUnit(county: county, township: township)
            draft.petitioner = representative.draft
            draft.summary = fill(visit.text, person: representative, county: county, township: township,
                                 more: ["{n}": String(visitors)])
                + "。推选\(representative.name)为代表，" + rng.pick(visit.asks) + "。"
                + (rng.chance(0.5) ? rng.pick(DemoSeed.collectiveNotes) + "。" : "")
            draft.visitVisitors = visitors
            people.append(representative)
            try open(&draft, channel: .visit, category: visit.category, countyIndex: representative.countyIndex,
                     clock: clock, letterSender: nil, onBehalf: false, anonymous: false)
        }

        /// Fills in who records it, validates, records, and remembers the case.
        mutating func open(_ draft: inout IntakeDraft, channel: Channel, category: CaseCategory, countyIndex: Int,
                           clock: Store, letterSender: String?, onBehalf: Bool, anonymous: Bool) throws {
            let recorder = chooseRecorder(channel: channel, countyIndex: countyIndex)
            if channel != .online { draft.channel = channel.rawValue }
            if channel == .visit { draft.visitWindow = window(of: recorder) }
            let receipt = try record(draft, recorder: recorder, clock: clock)
            usedSummaries.insert(draft.summary ?? "")
            let receivedOn = draft.letter?.receivedOn.flatMap(LocalDate.init(iso:)) ?? clock.today
            opened.append(Opened(caseID: receipt.caseID, category: category, receivedOn: receivedOn,
                                 countyIndex: countyIndex, letterSender: anonymous ? nil : letterSender,
                                 onBehalf: onBehalf, contacts: anonymous ? 0 : 1))  // 0: nobody to call back
            if historyDays > 0 { plan(receipt.caseID, receivedOn: receivedOn) }
        }

        func record(_ draft: IntakeDraft, recorder: Recorder, clock: Store) throws -> IntakeReceipt {
            // A draft the validator refuses is a bug in the seed: let it surface.
            let intake = try IntakeValidator.validate(draft, source: recorder.source, today: clock.today).get()
            return try clock.recordIntake(intake, by: recorder.actor, defaultUnitID: recorder.defaultUnitID,
                                          idempotency: nil).0
        }

        // MARK: Repeat contacts

        /// Another call, visit or letter about a case already open (重复信访). False if there is none yet.
        mutating func repeatContact() throws -> Bool {
            let second = opened.indices.filter { opened[$0].contacts == 1 }
            let third = opened.indices.filter { opened[$0].contacts == 2 }
            let index: Int
            if !third.isEmpty, rng.chance(0.2) {
                index = rng.pick(third)
            } else if !second.isEmpty {
                // Domestic violence and marriage matters come back most often.
                index = rng.weighted(second.map { i -> (Int, Int) in
                    switch opened[i].category {
                    case .domesticViolence: return (i, 3)
                    case .marriageFamily: return (i, 2)
                    default: return (i, 1)
                    }
                })
            } else {
                return false
            }
            let clock = try nextClock()
            let target = opened[index]
            let number = target.contacts + 1
            let channel: Channel = target.letterSender != nil && rng.chance(0.5)
                ? .letter : rng.weighted([(.call, 60), (.visit, 28), (.letter, 12)])
            let times = number == 2 ? "再次" : number == 3 ? "第三次" : "第\(number)次"

            var draft = IntakeDraft()
            draft.caseID = target.caseID
            let opener: String
            switch channel {
            case .call:
                opener = "来电人\(times)来电，"
                draft.subLine = rng.weighted([("main", 80), (DemoSeed.counties[target.countyIndex].subLine, 20)])
            case .letter:
                opener = target.onBehalf ? "原来信人\(times)来信，" : "当事人\(times)来信，"
                let earliest = max(target.receivedOn.dayNumber, clock.today.dayNumber - rng.int(1...6))
                draft.letter = LetterDraft(receivedOn: LocalDate(dayNumber: min(earliest, clock.today.dayNumber)).description, sender: target.letterSender ?? rng.name(age: 40), onBehalf: target.onBehalf)
            case .visit:
                opener = "当事人\(times)来访，"
                draft.visitVisitors = rng.weighted([(1, 75), (2, 25)])
            case .online:
                preconditionFailure("a repeat contact is recorded by staff")
            }
            let specific = DemoSeed.followUps[target.category] ?? []
            let days = clock.today.dayNumber - target.receivedOn.dayNumber
            let since = String(days)
            let generic = DemoSeed.genericFollowUps.filter { days >= 2 || !$0.contains("{d}") }
            var parts = [rng.chance(0.75) && !specific.isEmpty
                         ? rng.pick(specific) : rng.pick(generic).replacingOccurrences(of: "{d}", with: since)]
            var summary = ""
            repeat {
                if summary.count > 0 || usedSummaries.contains(summary) {
                    let more = rng.pick(generic).replacingOccurrences(of: "{d}", with: since)
                    if !parts.contains(more) { parts.append(more) }
                }
                summary = opener + parts.joined(separator: "；") + "。" + rng.pick(DemoSeed.followUpClosings) + "。"
            } while (summary.count < 40 || usedSummaries.contains(summary)) && parts.count < 4
            draft.summary = summary
            usedSummaries.insert(summary)

            let recorder = chooseRecorder(channel: channel, countyIndex: target.countyIndex)
            draft.channel = channel.rawValue
            if channel == .visit { draft.visitWindow = window(of: recorder) }
            _ = try record(draft, recorder: recorder, clock: clock)
            opened[index].contacts = number
            // A third contact about the same matter: the supervisor puts a leader in charge (领导包案).
            if number == 3, let p = plans.firstIndex(where: { $0.caseID == target.caseID }) { plans[p].wantsLeader = true }
            return true
        }

        // MARK: Choices

        mutating func chooseCounty() -> Int {
            rng.weighted(DemoSeed.countyWeights.enumerated().map { ($0.offset, $0.element) })
        }

        /// Cases go to a county federation or straight to a township one.
        mutating func caseUnit(county: County, township: Township) -> Int64 {
            unitIDs[rng.chance(0.4) ? county.code : township.code]!
        }

        /// Someone who fits the situation: now and then a returning petitioner (same name and number),
        /// otherwise a new person, a few of whom share a family phone with someone on record.
        mutating func choosePerson(for situation: Situation, channel: Channel) -> Person {
            if rng.chance(0.12) {
                let returning = people.filter { situation.ages.contains($0.age) && $0.isMinor == situation.minorSelf }
                if !returning.isEmpty { return rng.pick(returning) }
            }
            var person = newPerson(age: rng.int(situation.ages), minor: situation.minorSelf)
            if channel == .call, !situation.minorSelf, !people.contains(where: { $0.phone == DemoSeed.examplePhone }) {
                person.phone = DemoSeed.examplePhone  // the README's caller-lookup example finds her
            }
            let lenders = people.filter { !sharedPhones.contains($0.phone) }
            if rng.chance(0.05), !lenders.isEmpty {
                let relative = rng.pick(lenders)
                sharedPhones.insert(relative.phone)
                person.phone = relative.phone
                person.countyIndex = relative.countyIndex
                person.townshipIndex = relative.townshipIndex
                person.address = relative.address
            } else if channel == .call, person.address != nil, rng.chance(0.3) {
                person.address = nil  // callers often give no address
            }
            people.append(person)
            return person
        }

        /// Someone of the first county's first township, where the history's last week rises.
        mutating func risingPerson(for situation: Situation) -> Person {
            let person = newPerson(age: rng.int(situation.ages), minor: situation.minorSelf, countyIndex: 0, townshipIndex: 0)
            people.append(person)
            return person
        }

        mutating func newPerson(age: Int, minor: Bool, countyIndex: Int? = nil, townshipIndex: Int? = nil) -> Person {
            let countyIndex = countyIndex ?? chooseCounty()
            let county = DemoSeed.counties[countyIndex]
            let townshipIndex = townshipIndex ?? rng.int(0...(county.townships.count - 1))
            let idNumber = rng.chance(minor ? 0.6 : 0.35)
                ? rng.residentID(regionCode: county.regionCode, birth: rng.birthday(age: age, on: store.today)) : nil
            let address = rng.chance(0.7) ? rng.address(county: county, township: county.townships[townshipIndex]) : nil
            return Person(name: rng.name(age: age), phone: rng.mobile(), idNumber: idNumber, address: address,
                          isMinor: minor, age: age, countyIndex: countyIndex, townshipIndex: townshipIndex)
        }

        mutating func chooseRecorder(channel: Channel, countyIndex: Int) -> Recorder {
            let username: String
            switch channel {
            case .online:
                return Recorder(actor: .petitioner, source: .publicPetition,
                                defaultUnitID: unitIDs[DemoSeed.provinceCode]!, username: nil)
            case .call:
                username = rng.pick(["op.wang", "op.liu", "op.zhang"])
            case .letter:
                switch DemoSeed.counties[countyIndex].code {
                case "hb-yc-xl" where rng.chance(0.6): username = "rec.sun"
                case "hb-yc-zg" where rng.chance(0.6): username = "rec.xiang"
                default: username = "rec.zhao"
                }
            case .visit:
                if rng.chance(0.08) {
                    username = "leader.li"  // 领导接访日
                } else {
                    switch DemoSeed.counties[countyIndex].code {
                    case "hb-yc-xl" where rng.chance(0.6): username = "rec.sun"
                    case "hb-yc-zg" where rng.chance(0.6): username = "rec.xiang"
                    case "hb-yc-dy" where rng.chance(0.4): username = "hd.du"      // 全员接访: a handler's shift
                    case "hb-yc-yl" where rng.chance(0.25): username = "sup.huang"
                    default: username = "rec.zhao"
                    }
                }
            }
            let user = users[username]!
            return Recorder(actor: .staff(user), source: .staff, defaultUnitID: user.unitID, username: username)
        }

        func window(of recorder: Recorder) -> String {
            recorder.username.flatMap { DemoSeed.windows[$0] } ?? "市妇联信访接待窗口"
        }

        // MARK: Text

        /// opener + situation [+ detail] + request [+ what the operator did], 40 to 200 characters.
        mutating func compose(_ situation: Situation, category: CaseCategory, channel: Channel, person: Person,
                              county: County, township: Township) -> String {
            let opener = situation.minorSelf ? rng.pick(DemoSeed.neutralCallOpeners) : rng.pick(DemoSeed.openers[channel]!)
            let body = fill(situation.text, person: person, county: county, township: township)
            let ownAsk = !situation.asks.isEmpty && (situation.only || rng.chance(0.7))
            var asks = [ownAsk ? rng.pick(situation.asks) : rng.pick(DemoSeed.genericAsks[category]!)]
            if !situation.only, rng.chance(0.15) {
                let second = rng.pick(DemoSeed.genericAsks[category]!)
                if !asks.contains(second) { asks.append(second) }
            }
            let details = situation.details + (situation.only ? [] : DemoSeed.extras[category]!)
            var extra = !details.isEmpty && rng.chance(0.5) ? fill(rng.pick(details), person: person, county: county,
                                                                  township: township) : nil
            let notes = (DemoSeed.handlingNotes[category] ?? []) + DemoSeed.genericHandlingNotes
            var note = (channel == .call || channel == .visit) && !situation.minorSelf && rng.chance(0.35)
                ? rng.pick(notes) : nil
            func text() -> String {
                opener + body + (extra.map { "，" + $0 } ?? "") + "。" + asks.joined(separator: "；") + "。"
                    + (note.map { $0 + "。" } ?? "")
            }
            if text().count < 40, extra == nil, !details.isEmpty {
                extra = fill(rng.pick(details), person: person, county: county, township: township)
            }
            if text().count < 40, note == nil, channel == .call || channel == .visit { note = rng.pick(notes) }
            if text().count > 200 { note = nil }
            if text().count > 200 { extra = nil }
            if text().count > 200, asks.count > 1 { asks.removeLast() }
            return text()
        }

        mutating func fill(_ template: String, person: Person?, county: County, township: Township,
                           more: [String: String] = [:]) -> String {
            var text = template
            let age = person?.age ?? 40
            func put(_ token: String, _ value: @autoclosure () -> String) {
                if text.contains(token) { text = text.replacingOccurrences(of: token, with: value()) }
            }
            for (token, value) in more { put(token, value) }
            put("{self}", String(age))
            put("{y}", String(rng.int(1...max(1, min(30, age - 21)))))
            put("{kid}", rng.pick(["儿子", "女儿"]))
            put("{age}", String(rng.int(3...max(3, min(16, age - 20)))))
            put("{sage}", String(rng.int(7...max(7, min(16, age - 20)))))
            put("{m}", String(rng.int(2...8)))
            put("{n}", String(rng.int(2...12)))
            put("{c}", String(rng.int(2...5)))
            put("{money}", "\(rng.pick([2, 3, 5, 6, 8, 10, 12, 15, 18, 20, 28, 30]))万元")
            put("{money2}", String(rng.int(18...95) * 100))
            put("{fee}", String(rng.pick([600, 800, 1000, 1200, 1500, 2000])))
            put("{place}", township.name)
            put("{county}", county.name)
            return text
        }
    }
}
