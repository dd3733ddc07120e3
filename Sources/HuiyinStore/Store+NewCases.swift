import Foundation
import HuiyinCore
import Postgres

/// One new case ready to be written: everything decided in Swift (query code, salt, time),
/// so that many can be inserted by one statement.
struct NewCaseRow: Sendable {
    let intake: Intake
    let category: CaseCategory
    let unitID: Int64
    let actor: Actor
    let at: Date
    /// The acceptance clock (受理告知) it starts: counted from the day the matter was received.
    let acceptanceLimit: DeadlineLimit
    let acceptanceDue: LocalDate
    let acceptanceDueAt: Date
    let queryCode = QueryCode.generate()
    let salt = Secrets.randomBytes(16)
}

extension Store {
    /// Inserts new cases — petitioner, case, first contact and 'registered' event each — in a
    /// single statement, whatever their number. Receipts come back in the order of `rows`.
    func insertNewCases(_ db: PostgresConnection, _ rows: [NewCaseRow]) throws -> [IntakeReceipt] {
        func column(_ value: (NewCaseRow) -> String?) -> PostgresTextArray { PostgresTextArray(rows.map(value)) }
        func hex(_ data: Data) -> String { data.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
        let contacts = rows.map { ContactColumns($0.intake.details) }
        let people = rows.map(\.intake.newPetitioner)
        let result = try db.query("""
            WITH input AS MATERIALIZED (
                SELECT t.*,
                       CASE WHEN t.has_person THEN nextval('petitioners_id_seq') END AS new_petitioner_id,
                       nextval('cases_id_seq') AS case_id,
                       nextval('contacts_id_seq') AS contact_id,
                       t.prefix || lpad(nextval('case_serial')::text, \(Int32(TrackingNumber.minimumSerialDigits)), '0') AS tracking_no
                FROM unnest(\(column { String($0.at.timeIntervalSince1970) })::float8[],
                            \(column { TrackingNumber.prefix(for: LocalDate($0.at, in: self.timeZone)) }),
                            \(PostgresTextArray(people.map { $0 == nil ? "f" : "t" }))::bool[],
                            \(PostgresTextArray(people.map { $0?.name })), \(PostgresTextArray(people.map { $0?.phone?.digits })),
                            \(PostgresTextArray(people.map { $0?.idNumber?.value })), \(PostgresTextArray(people.map { $0?.address })),
                            \(PostgresTextArray(people.map { ($0?.isMinor ?? false) ? "t" : "f" }))::bool[],
                            \(column { $0.intake.existingPetitionerID.map(String.init) })::int8[],
                            \(column { hex(Secrets.queryCodeDigest(salt: $0.salt, normalizedCode: QueryCode.normalize($0.queryCode)!)) }),
                            \(column { hex($0.salt) }), \(column { $0.category.rawValue }), \(column { $0.intake.summary }),
                            \(column { String($0.unitID) })::int8[], \(column { $0.intake.receivedOn.description })::date[],
                            \(column { $0.actor.kind }), \(column { $0.actor.userID.map(String.init) })::int8[],
                            \(PostgresTextArray(contacts.map(\.channel))), \(PostgresTextArray(contacts.map(\.subLine))),
                            \(PostgresTextArray(contacts.map(\.letterSender))),
                            \(PostgresTextArray(contacts.map { $0.letterOnBehalf.map { $0 ? "t" : "f" } }))::bool[],
                            \(PostgresTextArray(contacts.map(\.visitWindow))),
                            \(PostgresTextArray(contacts.map { $0.visitors.map(String.init) }))::int4[],
                            \(column { $0.intake.details.isCollective ? "t" : "f" })::bool[],
                            \(column { $0.acceptanceLimit.description }), \(column { $0.acceptanceDue.description })::date[],
                            \(column { String($0.acceptanceDueAt.timeIntervalSince1970) })::float8[],
                            \(column { $0.intake.victim?.relation.rawValue }), \(column { $0.intake.victim?.birthDate?.description })::date[],
                            \(column { $0.intake.victim?.age.map(String.init) })::int4[],
                            \(column { ($0.intake.victim?.isMinor ?? false) ? "t" : "f" })::bool[])
                     WITH ORDINALITY AS t(epoch, prefix, has_person, name, phone, id_number, address, is_minor,
                                          existing_petitioner_id, code_hash, code_salt, category, summary, unit_id,
                                          received_on, actor, user_id, channel, sub_line, letter_sender, letter_on_behalf,
                                          visit_window, visitors, collective, acceptance_limit, acceptance_due,
                                          acceptance_due_epoch, victim_relation, victim_birth_date, victim_age,
                                          victim_is_minor, ord)
            ), new_petitioners AS (
                INSERT INTO petitioners (id, name, phone, id_number, address, is_minor, created_at)
                SELECT new_petitioner_id, name, phone, id_number, address, is_minor, to_timestamp(epoch)
                FROM input WHERE has_person
            ), new_cases AS (
                INSERT INTO cases (id, tracking_no, query_code_hash, query_code_salt, category, summary, status, unit_id,
                                   petitioner_id, channel, received_on, created_by, created_at, updated_at,
                                   victim_relation, victim_birth_date, victim_age, victim_is_minor)
                SELECT case_id, tracking_no, decode(code_hash, 'hex'), decode(code_salt, 'hex'), category, summary,
                       \(CaseStatus.registered.rawValue), unit_id, coalesce(new_petitioner_id, existing_petitioner_id),
                       channel, received_on, user_id, to_timestamp(epoch), to_timestamp(epoch),
                       victim_relation, victim_birth_date, victim_age, victim_is_minor
                FROM input
            ), new_contacts AS (
                INSERT INTO contacts (id, case_id, petitioner_id, channel, summary, received_on, recorded_at, recorded_by,
                                      sub_line, letter_sender, letter_on_behalf, visit_window, visitors)
                SELECT contact_id, case_id, coalesce(new_petitioner_id, existing_petitioner_id), channel, summary,
                       received_on, to_timestamp(epoch), user_id, sub_line, letter_sender, letter_on_behalf, visit_window, visitors
                FROM input
            ), new_events AS (
                INSERT INTO case_events (case_id, at, actor, actor_user_id, kind, to_status, detail)
                SELECT case_id, to_timestamp(epoch), actor, user_id, 'registered', \(CaseStatus.registered.rawValue),
                       jsonb_build_object('contact_id', contact_id, 'channel', channel, 'collective', collective)
                FROM input
            ), new_clocks AS (
                INSERT INTO clocks (case_id, kind, rule_limit, started_on, due_on, due_at, state, unit_id, channel, created_at)
                SELECT case_id, \(ClockKind.acceptance.rawValue), acceptance_limit, received_on, acceptance_due,
                       to_timestamp(acceptance_due_epoch), 'running', unit_id, channel, to_timestamp(epoch)
                FROM input
            )
            SELECT case_id, contact_id, tracking_no FROM input ORDER BY ord
            """)
        return try zip(rows, result.rows).map { row, inserted in
            IntakeReceipt(caseID: try inserted.decode("case_id"), contactID: try inserted.decode("contact_id"),
                          trackingNo: try inserted.decode("tracking_no"), queryCode: row.queryCode, contactCount: 1,
                          status: CaseStatus.registered.rawValue, channel: row.intake.details.channel.rawValue)
        }
    }
}
