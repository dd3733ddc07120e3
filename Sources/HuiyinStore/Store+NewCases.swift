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
    /// The request's `Idempotency-Key`: claimed, with the answer stored, by the statement that writes the case.
    var idempotency: IdempotencyKey?
}

/// A new case's answer: written now, or the stored answer of an earlier request with the same key.
struct NewCaseOutcome: Sendable {
    let receipt: IntakeReceipt
    let replayed: Bool
}

extension Store {
    /// Inserts new cases — petitioner, case, first contact and 'registered' event each — in a
    /// single statement, whatever their number. Results come back in the order of `rows`.
    ///
    /// A row with an `Idempotency-Key` is written only if the same statement claims its key, storing the
    /// answer with it (so the claim, the answer and the case commit together). A key already claimed —
    /// earlier, by a concurrent request (whose commit the claim waits for), or by an earlier row of this
    /// batch — writes nothing: its stored answer is replayed if the request is the same, else refused.
    func insertNewCases(_ db: PostgresConnection, _ rows: [NewCaseRow]) throws -> [Result<NewCaseOutcome, Error>] {
        func column(_ value: (NewCaseRow) -> String?) -> PostgresTextArray { PostgresTextArray(rows.map(value)) }
        func hex(_ data: Data) -> String { data.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
        let contacts = rows.map { ContactColumns($0.intake.details) }
        let people = rows.map(\.intake.newPetitioner)
        // A key given twice in one batch (a client's concurrent retries): only its first row may claim it.
        var keysSeen = Set<[String]>()
        let repeatsAKey = rows.map { row in row.idempotency.map { !keysSeen.insert([$0.scope, $0.key]).inserted } ?? false }
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
                            \(column { ($0.intake.victim?.isMinor ?? false) ? "t" : "f" })::bool[],
                            \(column { $0.idempotency?.scope }), \(column { $0.idempotency?.key }),
                            \(column { $0.idempotency.map { hex($0.requestDigest) } }), \(column { $0.queryCode }),
                            \(PostgresTextArray(repeatsAKey.map { $0 ? "t" : "f" }))::bool[])
                     WITH ORDINALITY AS t(epoch, prefix, has_person, name, phone, id_number, address, is_minor,
                                          existing_petitioner_id, code_hash, code_salt, category, summary, unit_id,
                                          received_on, actor, user_id, channel, sub_line, letter_sender, letter_on_behalf,
                                          visit_window, visitors, collective, acceptance_limit, acceptance_due,
                                          acceptance_due_epoch, victim_relation, victim_birth_date, victim_age,
                                          victim_is_minor, key_scope, key, request_hash, query_code, repeats_key, ord)
            ), claimed AS (
                -- The key and the answer its retries get (IntakeReceipt's JSON), stored by this same statement.
                INSERT INTO idempotency_keys (scope, key, request_hash, created_at, result)
                SELECT key_scope, key, decode(request_hash, 'hex'), to_timestamp(epoch),
                       jsonb_build_object('caseID', case_id, 'contactID', contact_id, 'trackingNo', tracking_no,
                                          'queryCode', query_code, 'contactCount', 1,
                                          'status', \(CaseStatus.registered.rawValue)::text, 'channel', channel)
                FROM input WHERE key IS NOT NULL AND NOT repeats_key
                ON CONFLICT DO NOTHING
                RETURNING scope, key
            ), accepted AS (
                SELECT * FROM input i
                WHERE NOT repeats_key
                  AND (key IS NULL OR EXISTS (SELECT 1 FROM claimed c WHERE c.scope = i.key_scope AND c.key = i.key))
            ), new_petitioners AS (
                INSERT INTO petitioners (id, name, phone, id_number, address, is_minor, created_at)
                SELECT new_petitioner_id, name, phone, id_number, address, is_minor, to_timestamp(epoch)
                FROM accepted WHERE has_person
            ), new_cases AS (
                INSERT INTO cases (id, tracking_no, query_code_hash, query_code_salt, category, summary, status, unit_id,
                                   petitioner_id, channel, received_on, created_by, created_at, updated_at,
                                   victim_relation, victim_birth_date, victim_age, victim_is_minor)
                SELECT case_id, tracking_no, decode(code_hash, 'hex'), decode(code_salt, 'hex'), category, summary,
                       \(CaseStatus.registered.rawValue), unit_id, coalesce(new_petitioner_id, existing_petitioner_id),
                       channel, received_on, user_id, to_timestamp(epoch), to_timestamp(epoch),
                       victim_relation, victim_birth_date, victim_age, victim_is_minor
                FROM accepted
            ), new_contacts AS (
                INSERT INTO contacts (id, case_id, petitioner_id, channel, summary, received_on, recorded_at, recorded_by,
                                      sub_line, letter_sender, letter_on_behalf, visit_window, visitors)
                SELECT contact_id, case_id, coalesce(new_petitioner_id, existing_petitioner_id), channel, summary,
                       received_on, to_timestamp(epoch), user_id, sub_line, letter_sender, letter_on_behalf, visit_window, visitors
                FROM accepted
            ), new_events AS (
                INSERT INTO case_events (case_id, at, actor, actor_user_id, kind, to_status, detail)
                SELECT case_id, to_timestamp(epoch), actor, user_id, 'registered', \(CaseStatus.registered.rawValue),
                       jsonb_build_object('contact_id', contact_id, 'channel', channel, 'collective', collective)
                FROM accepted
            ), new_clocks AS (
                INSERT INTO clocks (case_id, kind, rule_limit, started_on, due_on, due_at, state, unit_id, channel, created_at)
                SELECT case_id, \(ClockKind.acceptance.rawValue), acceptance_limit, received_on, acceptance_due,
                       to_timestamp(acceptance_due_epoch), 'running', unit_id, channel, to_timestamp(epoch)
                FROM accepted
            )
            SELECT case_id, contact_id, tracking_no, EXISTS (SELECT 1 FROM accepted a WHERE a.ord = input.ord) AS written
            FROM input ORDER BY ord
            """)
        return try zip(rows, result.rows).map { row, inserted in
            guard try inserted.decode("written", as: Bool.self) else { return try storedAnswer(db, for: row.idempotency!) }
            return .success(NewCaseOutcome(receipt: IntakeReceipt(
                caseID: try inserted.decode("case_id"), contactID: try inserted.decode("contact_id"),
                trackingNo: try inserted.decode("tracking_no"), queryCode: row.queryCode, contactCount: 1,
                status: CaseStatus.registered.rawValue, channel: row.intake.details.channel.rawValue), replayed: false))
        }
    }

    /// The answer stored with a key someone else claimed: replayed for the same request, refused for another.
    private func storedAnswer(_ db: PostgresConnection, for key: IdempotencyKey) throws -> Result<NewCaseOutcome, Error> {
        guard let earlier = try db.query("""
                SELECT request_hash, result::text AS result FROM idempotency_keys WHERE scope = \(key.scope) AND key = \(key.key)
                """).first,
              Secrets.constantTimeEqual(try earlier.decode("request_hash", as: Data.self), key.requestDigest),
              let stored = try earlier.decode("result", as: String?.self)
        else { return .failure(IdempotencyConflict()) }
        return .success(NewCaseOutcome(receipt: try JSONDecoder().decode(IntakeReceipt.self, from: Data(stored.utf8)), replayed: true))
    }
}
