import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

extension HuiyinApp {
    static func addCaseRoutes(to router: inout Router<Route>) {
        router.add("GET", "/api/v1/cases/{id}", Route(access: .staff) { app, request, _ in
            guard let id = request.pathParameters["id"].flatMap({ Int64($0) }), id > 0,
                  let record = try app.store.caseRecord(id: id) else { throw APIError.notFound }
            return json(200, CaseJSON.render(record))
        })
        // Caller lookup while the phone rings.
        router.add("GET", "/api/v1/petitioners", Route(access: .staff) { app, request, _ in
            guard let raw = request.query["phone"], !raw.isEmpty else {
                throw APIError.validation([FieldError("phone", "is required")])
            }
            guard let phone = PhoneNumber(raw) else {
                throw APIError.validation([FieldError("phone", "is not a mainland mobile or landline number")])
            }
            let matches = try app.store.callers(phone: phone)
            return json(200, .object([("petitioners", .array(matches.map(CaseJSON.render)))]))
        })
    }
}

enum CaseJSON {
    static func render(_ record: CaseRecord) -> JSON {
        .object([
            ("id", .int(record.id)), ("tracking_no", .string(record.trackingNo)),
            ("category", .string(record.category)), ("category_label", .string(label(category: record.category))),
            ("status", .string(record.status)), ("summary", .string(record.summary)),
            ("unit", .object([("id", .int(record.unitID)), ("name", .string(record.unitName))])),
            ("channel", .string(record.channel)), ("received_on", .string(record.receivedOn.description)),
            ("contact_count", .int(record.contactCount)), ("repeat", .bool(record.contactCount > 1)),
            ("created_at", .date(record.createdAt)), ("updated_at", .date(record.updatedAt)),
            ("petitioner", record.petitioner.map(render) ?? .null),
            ("contacts", .array(record.contacts.map(render))),
            ("events", .array(record.events.map(render))),
        ])
    }

    static func render(_ person: PetitionerRecord) -> JSON {
        .object([
            ("id", .int(person.id)), ("name", .string(person.name)), ("phone", .string(person.phone)),
            ("id_number", .string(person.idNumber)), ("address", .string(person.address)), ("is_minor", .bool(person.isMinor)),
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

    static func render(_ match: CallerMatch) -> JSON {
        var person = render(match.petitioner)
        if case .object(var members) = person {
            members.append(("cases", .array(match.cases.map { summary in
                .object([
                    ("id", .int(summary.id)), ("tracking_no", .string(summary.trackingNo)),
                    ("category", .string(summary.category)), ("status", .string(summary.status)),
                    ("summary", .string(summary.summary)), ("contact_count", .int(summary.contactCount)),
                    ("created_at", .date(summary.createdAt)), ("unit_name", .string(summary.unitName)),
                ])
            })))
            person = .object(members)
        }
        return person
    }

    static func label(category: String) -> String { CaseCategory(rawValue: category)?.label ?? category }
}
