import Foundation
import HuiyinCore
import HuiyinStore

/// Cases as the API shows them. Lists and exports mask phone and ID numbers; the case page shows
/// them whole to those who may open the case. A masked (sealed) case shows that it exists, its
/// status, unit and clocks, never what it is about or who is involved.
enum CaseJSON {
    static func render(_ record: CaseRecord, today: LocalDate) -> JSON {
        var members = itemMembers(record.item, maskPhone: false)
        members += [
            ("petitioner", record.petitioner.map(render) ?? .null),
            ("victim", record.victim.map(render) ?? .null),
            ("contacts", .array(record.contacts.map(render))),
            ("events", .array(record.events.map(render))),
            ("clocks", .array(record.clocks.map { clock in
                .object([
                    ("id", .int(clock.id)), ("kind", .string(clock.kind)),
                    ("kind_label", .string(ClockKind(rawValue: clock.kind)?.label ?? clock.kind)),
                    ("limit", .string(clock.ruleLimit)), ("started_on", .string(clock.startedOn.description)),
                    ("due_on", .string(clock.dueOn.description)), ("state", .string(clock.state)),
                    ("overdue", .bool(["running", "paused"].contains(clock.state) && clock.dueOn < today)),
                ])
            })),
            ("tasks", .array(record.tasks.map { task in
                .object([
                    ("id", .int(task.id)), ("kind", .string(task.kind)), ("reason", .string(task.reason)),
                    ("due_at", .date(task.dueAt)), ("state", .string(task.state)),
                    ("done_at", task.doneAt.map { .date($0) } ?? .null), ("detail", .raw(task.detailJSON)),
                ])
            })),
            ("referrals", .array(record.referrals.map { referral in
                .object([
                    ("id", .int(referral.id)), ("kind", .string(referral.kind)), ("referred_to", .string(referral.referredTo)),
                    ("note", .string(referral.note)), ("referred_at", .date(referral.referredAt)),
                    ("outcome", .string(referral.outcome)), ("outcome_at", referral.outcomeAt.map { .date($0) } ?? .null),
                ])
            })),
            ("documents", .array(record.documents.map(render))),
            ("actions", .array((CaseStatus(rawValue: record.item.status).map(CaseWorkflow.actions) ?? []).map { .string($0.rawValue) })),
            ("broke_seal", .bool(record.brokeSeal)),
        ]
        return .object(members)
    }

    static func render(_ item: CaseListItem) -> JSON { .object(itemMembers(item, maskPhone: true)) }

    static func itemMembers(_ item: CaseListItem, maskPhone: Bool) -> [(String, JSON)] {
        [
            ("id", .int(item.id)), ("tracking_no", .string(item.trackingNo)),
            ("category", .string(item.category)), ("category_label", .string(label(category: item.category))),
            ("status", .string(item.status)), ("status_label", .string(CaseStatus(rawValue: item.status)?.label ?? item.status)),
            ("unit", .object([("id", .int(item.unitID)), ("name", .string(item.unitName))])),
            ("channel", .string(item.channel)), ("received_on", .string(item.receivedOn.description)),
            ("contact_count", .int(item.contactCount)), ("repeat", .bool(item.contactCount > 1)),
            ("created_at", .date(item.createdAt)), ("updated_at", .date(item.updatedAt)),
            ("sealed", .bool(item.sealed)), ("masked", .bool(item.masked)),
            ("summary", .string(item.summary)), ("petitioner_name", .string(item.petitionerName)),
            ("petitioner_phone", .string(maskPhone ? PersonalDataMask.phone(item.petitionerPhone) : item.petitionerPhone)),
            ("handler_id", .int(item.handlerID)), ("leader_id", .int(item.leaderID)), ("risk_grade", .string(item.riskGrade)),
            ("visitors", .int(item.visitors.map(Int64.init))),
            ("collective", .bool((item.visitors ?? 0) >= ChannelDetails.collectiveVisitThreshold)),
            ("next_due_on", .string(item.nextDueOn?.description)),
        ]
    }

    static func render(_ person: PetitionerRecord) -> JSON {
        .object([
            ("id", .int(person.id)), ("name", .string(person.name)), ("phone", .string(person.phone)),
            ("id_number", .string(person.idNumber)), ("address", .string(person.address)), ("is_minor", .bool(person.isMinor)),
        ])
    }

    static func render(_ victim: Victim) -> JSON {
        .object([
            ("relation", .string(victim.relation.rawValue)), ("relation_label", .string(victim.relation.label)),
            ("birth_date", .string(victim.birthDate?.description)), ("age", .int(victim.age.map(Int64.init))),
            ("is_minor", .bool(victim.isMinor)),
        ])
    }

    static func render(_ document: DocumentRecord) -> JSON {
        .object([
            ("id", .int(document.id)), ("kind", .string(document.kind)), ("number", .string(document.number)),
            ("title", .string(document.title)), ("body", .string(document.body)),
            ("issued_on", .string(document.issuedOn.description)), ("issued_at", .date(document.issuedAt)),
            ("print_url", .string("/cases/\(document.caseID)/documents/\(document.id)")),
        ])
    }

    static func render(_ contact: ContactRecord) -> JSON {
        var members: [(String, JSON)] = [
            ("id", .int(contact.id)), ("channel", .string(contact.channel)), ("summary", .string(contact.summary)),
            ("received_on", .string(contact.receivedOn.description)), ("recorded_at", .date(contact.recordedAt)),
            ("recorded_by", .int(contact.recordedBy)), ("petitioner_id", .int(contact.petitionerID)),
        ]
        switch contact.channel {
        case "call": members.append(("call", .object([("sub_line", .string(contact.subLine))])))
        case "letter":
            members.append(("letter", .object([("sender", .string(contact.letterSender)),
                                               ("on_behalf", .bool(contact.letterOnBehalf ?? false))])))
        case "visit":
            let visitors = contact.visitors ?? 1
            members.append(("visit", .object([("window", .string(contact.visitWindow)), ("visitors", .int(visitors)),
                                              ("collective", .bool(visitors >= ChannelDetails.collectiveVisitThreshold))])))
        default: break
        }
        return .object(members)
    }

    static func render(_ event: EventRecord) -> JSON {
        .object([
            ("id", .int(event.id)), ("at", .date(event.at)), ("actor", .string(event.actor)),
            ("actor_user_id", .int(event.actorUserID)), ("kind", .string(event.kind)),
            ("from_status", .string(event.fromStatus)), ("to_status", .string(event.toStatus)),
            ("reason", .string(event.reason)), ("detail", .raw(event.detailJSON)),
        ])
    }

    /// A caller found by phone. The operator typed the number, so it is shown; the ID number is masked
    /// and the address left out (they belong on the case page). If every case of hers that the operator
    /// may see is sealed to the operator, the name is masked too.
    static func render(_ match: CallerMatch) -> JSON {
        let opened = match.cases.contains { !$0.masked }
        let person = match.petitioner
        return .object([
            ("id", .int(person.id)), ("name", .string(opened ? person.name : PersonalDataMask.name(person.name))),
            ("phone", .string(person.phone)), ("id_number", .string(PersonalDataMask.idNumber(person.idNumber))),
            ("is_minor", .bool(person.isMinor)), ("cases", .array(match.cases.map(render))),
        ])
    }

    static func label(category: String) -> String { CaseCategory(rawValue: category)?.label ?? category }
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
