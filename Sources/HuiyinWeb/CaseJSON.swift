import Foundation
import HuiyinCore
import HuiyinStore

/// Cases as the API shows them. Lists and exports mask phone and ID numbers; the case page shows
/// them whole to those who may open the case. A masked (sealed) case shows that it exists, its
/// status, unit and clocks, never what it is about or who is involved.
enum CaseJSON {
    static func label(category: String) -> String { CaseCategory(rawValue: category)?.label ?? category }
}

/// A unit named in an answer.
struct UnitRef: Encodable {
    let id: Int64
    let name: String?
}

/// A case as lists show it (phone masked) and as the first members of the case page (phone whole).
struct CaseSummaryView: ResponseBody {
    let item: CaseListItem
    let maskPhone: Bool

    init(_ item: CaseListItem, maskPhone: Bool = true) {
        self.item = item
        self.maskPhone = maskPhone
    }

    enum CodingKeys: String, CodingKey {
        case id, trackingNo = "tracking_no", category, categoryLabel = "category_label", status, statusLabel = "status_label"
        case unit, channel, receivedOn = "received_on", contactCount = "contact_count", repeated = "repeat"
        case createdAt = "created_at", updatedAt = "updated_at", sealed, masked, summary
        case petitionerName = "petitioner_name", petitionerPhone = "petitioner_phone", handlerID = "handler_id"
        case leaderID = "leader_id", riskGrade = "risk_grade", visitors, collective, nextDueOn = "next_due_on"
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(item.id, forKey: .id)
        try c.encode(item.trackingNo, forKey: .trackingNo)
        try c.encode(item.category, forKey: .category)
        try c.encode(CaseJSON.label(category: item.category), forKey: .categoryLabel)
        try c.encode(item.status, forKey: .status)
        try c.encode(CaseStatus(rawValue: item.status)?.label ?? item.status, forKey: .statusLabel)
        try c.encode(UnitRef(id: item.unitID, name: item.unitName), forKey: .unit)
        try c.encode(item.channel, forKey: .channel)
        try c.encode(item.receivedOn.description, forKey: .receivedOn)
        try c.encode(item.contactCount, forKey: .contactCount)
        try c.encode(item.contactCount > 1, forKey: .repeated)
        try c.encode(item.createdAt, forKey: .createdAt)
        try c.encode(item.updatedAt, forKey: .updatedAt)
        try c.encode(item.sealed, forKey: .sealed)
        try c.encode(item.masked, forKey: .masked)
        try c.encodeIfPresent(item.summary, forKey: .summary)
        try c.encodeIfPresent(item.petitionerName, forKey: .petitionerName)
        try c.encodeIfPresent(maskPhone ? PersonalDataMask.phone(item.petitionerPhone) : item.petitionerPhone, forKey: .petitionerPhone)
        try c.encodeIfPresent(item.handlerID, forKey: .handlerID)
        try c.encodeIfPresent(item.leaderID, forKey: .leaderID)
        try c.encodeIfPresent(item.riskGrade, forKey: .riskGrade)
        try c.encodeIfPresent(item.visitors, forKey: .visitors)
        try c.encode((item.visitors ?? 0) >= ChannelDetails.collectiveVisitThreshold, forKey: .collective)
        try c.encodeIfPresent(item.nextDueOn?.description, forKey: .nextDueOn)
    }
}

/// The case page: everything on record for those who may open it.
struct CaseView: ResponseBody {
    let record: CaseRecord
    let today: LocalDate

    enum CodingKeys: String, CodingKey {
        case petitioner, victim, contacts, events, clocks, tasks, referrals, documents, actions, brokeSeal = "broke_seal"
    }

    func encode(to encoder: Encoder) throws {
        try CaseSummaryView(record.item, maskPhone: false).encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(record.petitioner.map(PetitionerView.init), forKey: .petitioner)
        try c.encodeIfPresent(record.victim.map(VictimView.init), forKey: .victim)
        try c.encode(record.contacts.map(ContactView.init), forKey: .contacts)
        try c.encode(record.events.map(EventView.init), forKey: .events)
        try c.encode(record.clocks.map { ClockView($0, today: today) }, forKey: .clocks)
        try c.encode(record.tasks.map(TaskView.init), forKey: .tasks)
        try c.encode(record.referrals.map(ReferralView.init), forKey: .referrals)
        try c.encode(record.documents.map(DocumentView.init), forKey: .documents)
        try c.encode((CaseStatus(rawValue: record.item.status).map(CaseWorkflow.actions) ?? []).map(\.rawValue), forKey: .actions)
        try c.encode(record.brokeSeal, forKey: .brokeSeal)
    }
}

struct ClockView: Encodable {
    let clock: ClockRecord
    let today: LocalDate

    init(_ clock: ClockRecord, today: LocalDate) {
        self.clock = clock
        self.today = today
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, kindLabel = "kind_label", limit, startedOn = "started_on", dueOn = "due_on", state, overdue
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(clock.id, forKey: .id)
        try c.encode(clock.kind, forKey: .kind)
        try c.encode(ClockKind(rawValue: clock.kind)?.label ?? clock.kind, forKey: .kindLabel)
        try c.encode(clock.ruleLimit, forKey: .limit)
        try c.encode(clock.startedOn.description, forKey: .startedOn)
        try c.encode(clock.dueOn.description, forKey: .dueOn)
        try c.encode(clock.state, forKey: .state)
        try c.encode(["running", "paused"].contains(clock.state) && clock.dueOn < today, forKey: .overdue)
    }
}

struct TaskView: Encodable {
    let id: Int64
    let kind: String
    let reason: String
    let dueAt: Date
    let state: String
    let doneAt: Date?
    let detail: JSON

    init(_ task: TaskRecord) {
        (id, kind, reason, dueAt, state, doneAt) = (task.id, task.kind, task.reason, task.dueAt, task.state, task.doneAt)
        detail = .raw(task.detailJSON)
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, reason, dueAt = "due_at", state, doneAt = "done_at", detail
    }
}

struct ReferralView: Encodable {
    let id: Int64
    let kind: String
    let referredTo: String
    let note: String?
    let referredAt: Date
    let outcome: String?
    let outcomeAt: Date?
    let decisionDueOn: String?
    let aidDecision: String?
    let mediationBodyID: Int64?

    init(_ referral: ReferralRecord) {
        mediationBodyID = referral.mediationBodyID
        (id, kind, referredTo, note) = (referral.id, referral.kind, referral.referredTo, referral.note)
        (referredAt, outcome, outcomeAt) = (referral.referredAt, referral.outcome, referral.outcomeAt)
        (decisionDueOn, aidDecision) = (referral.decisionDueOn?.description, referral.aidDecision?.rawValue)
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, referredTo = "referred_to", note, referredAt = "referred_at", outcome, outcomeAt = "outcome_at"
        case decisionDueOn = "decision_due_on", aidDecision = "aid_decision", mediationBodyID = "mediation_body_id"
    }
}

struct PetitionerView: Encodable {
    let id: Int64
    let name: String?
    let phone: String?
    let idNumber: String?
    let address: String?
    let isMinor: Bool

    init(_ person: PetitionerRecord) {
        (id, name, phone, idNumber, address, isMinor) = (person.id, person.name, person.phone, person.idNumber, person.address, person.isMinor)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, phone, idNumber = "id_number", address, isMinor = "is_minor"
    }
}

struct VictimView: Encodable {
    let relation: String
    let relationLabel: String
    let birthDate: String?
    let age: Int?
    let isMinor: Bool

    init(_ victim: Victim) {
        (relation, relationLabel) = (victim.relation.rawValue, victim.relation.label)
        (birthDate, age, isMinor) = (victim.birthDate?.description, victim.age, victim.isMinor)
    }

    enum CodingKeys: String, CodingKey {
        case relation, relationLabel = "relation_label", birthDate = "birth_date", age, isMinor = "is_minor"
    }
}

/// A written notice or opinion, with where to print it.
struct DocumentView: ResponseBody {
    let id: Int64
    let kind: String
    let number: String
    let title: String
    let body: String
    let issuedOn: String
    let issuedAt: Date
    let printURL: String

    init(_ document: DocumentRecord) {
        (id, kind, number, title, body) = (document.id, document.kind, document.number, document.title, document.body)
        (issuedOn, issuedAt) = (document.issuedOn.description, document.issuedAt)
        printURL = "/cases/\(document.caseID)/documents/\(document.id)"
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, number, title, body, issuedOn = "issued_on", issuedAt = "issued_at", printURL = "print_url"
    }
}

/// One contact; its channel's details sit under the channel's name, and only for that channel.
struct ContactView: Encodable {
    let contact: ContactRecord

    init(_ contact: ContactRecord) { self.contact = contact }

    enum CodingKeys: String, CodingKey {
        case id, channel, summary, receivedOn = "received_on", recordedAt = "recorded_at", recordedBy = "recorded_by"
        case petitionerID = "petitioner_id"
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(contact.id, forKey: .id)
        try c.encode(contact.channel, forKey: .channel)
        try c.encodeIfPresent(contact.summary, forKey: .summary)
        try c.encode(contact.receivedOn.description, forKey: .receivedOn)
        try c.encode(contact.recordedAt, forKey: .recordedAt)
        try c.encodeIfPresent(contact.recordedBy, forKey: .recordedBy)
        try c.encodeIfPresent(contact.petitionerID, forKey: .petitionerID)
        var channelObjects = encoder.container(keyedBy: ChannelObjectKey.self)
        try contact.details?.encode(into: &channelObjects)
    }
}

struct EventView: Encodable {
    let id: Int64
    let at: Date
    let actor: String
    let actorUserID: Int64?
    let kind: String
    let fromStatus: String?
    let toStatus: String?
    let reason: String?
    let detail: JSON

    init(_ event: EventRecord) {
        (id, at, actor, actorUserID, kind) = (event.id, event.at, event.actor, event.actorUserID, event.kind)
        (fromStatus, toStatus, reason, detail) = (event.fromStatus, event.toStatus, event.reason, .raw(event.detailJSON))
    }

    enum CodingKeys: String, CodingKey {
        case id, at, actor, actorUserID = "actor_user_id", kind, fromStatus = "from_status", toStatus = "to_status", reason, detail
    }
}

/// A caller found by phone. The operator typed the number, so it is shown; the ID number is masked
/// and the address left out (they belong on the case page). If every case of hers that the operator
/// may see is sealed to the operator, the name is masked too.
struct CallerView: Encodable {
    let id: Int64
    let name: String?
    let phone: String?
    let idNumber: String?
    let isMinor: Bool
    let cases: [CaseSummaryView]

    init(_ match: CallerMatch) {
        let opened = match.cases.contains { !$0.masked }
        let person = match.petitioner
        (id, phone, isMinor) = (person.id, person.phone, person.isMinor)
        name = opened ? person.name : PersonalDataMask.name(person.name)
        idNumber = PersonalDataMask.idNumber(person.idNumber)
        cases = match.cases.map { CaseSummaryView($0) }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, phone, idNumber = "id_number", isMinor = "is_minor", cases
    }
}

/// The case list as a spreadsheet: UTF-8 with a byte-order mark, Chinese headings, personal numbers masked.
enum CaseCSV {
    static func render(_ items: [CaseListItem]) -> String {
        var lines = ["\u{FEFF}跟踪编号,类别,状态,承办单位,渠道,收到日期,来信来访次数,集体访人数,密封,信访人,联系电话,诉求摘要"]
        for item in items {
            let fields = [
                item.trackingNo, CaseJSON.label(category: item.category), CaseStatus(rawValue: item.status)?.label ?? item.status,
                item.unitName, Channel(rawValue: item.channel)?.label ?? item.channel, item.receivedOn.description,
                String(item.contactCount), (item.visitors ?? 0) >= ChannelDetails.collectiveVisitThreshold ? String(item.visitors!) : "",
                item.sealed ? "是" : "否", item.masked ? "（密封）" : item.petitionerName ?? "",
                item.masked ? "" : PersonalDataMask.phone(item.petitionerPhone) ?? "", item.masked ? "（密封）" : item.summary ?? "",
            ]
            lines.append(fields.map(quote).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180 quoting; a leading = + - @ is neutralised so a cell never runs as a spreadsheet formula.
    static func quote(_ field: String) -> String {
        var text = field
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { ",\"\r\n".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
