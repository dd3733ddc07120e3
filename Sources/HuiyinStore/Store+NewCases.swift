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

/// A new case as the batch statement reads it, with what depends on the batch (the zone's tracking
/// prefix, whether an earlier row of the batch gave the same key).
struct NewCaseInput: Sendable {
    let row: NewCaseRow
    let trackingPrefix: String
    let repeatsKey: Bool

    /// The columns of `input` in the batch statement, each with its value for a row; the contact's
    /// channel-specific columns are `ContactColumns`.
    static let columns = WrittenColumns<NewCaseInput>(caseColumns
        + ContactColumns.all.columns.map { $0.from { (input: NewCaseInput) in input.row.intake.details } } + laterColumns)

    private typealias Column = WrittenColumn<NewCaseInput>
    private static let caseColumns: [Column] = [
        WrittenColumn("epoch", "float8") { String($0.row.at.timeIntervalSince1970) },
        WrittenColumn("prefix", "text") { $0.trackingPrefix },
        WrittenColumn("has_person", "bool") { $0.row.intake.newPetitioner == nil ? "f" : "t" },
        WrittenColumn("name", "text") { $0.row.intake.newPetitioner?.name },
        WrittenColumn("phone", "text") { $0.row.intake.newPetitioner?.phone?.digits },
        WrittenColumn("id_number", "text") { $0.row.intake.newPetitioner?.idNumber?.value },
        WrittenColumn("address", "text") { $0.row.intake.newPetitioner?.address },
        WrittenColumn("is_minor", "bool") { ($0.row.intake.newPetitioner?.isMinor ?? false) ? "t" : "f" },
        WrittenColumn("existing_petitioner_id", "int8") { $0.row.intake.existingPetitionerID.map(String.init) },
        WrittenColumn("code_hash", "text") {
            NewCaseInput.hex(Secrets.queryCodeDigest(salt: $0.row.salt, normalizedCode: QueryCode.normalize($0.row.queryCode)!))
        },
        WrittenColumn("code_salt", "text") { NewCaseInput.hex($0.row.salt) },
        WrittenColumn("category", "text") { $0.row.category.rawValue },
        WrittenColumn("summary", "text") { $0.row.intake.summary },
        WrittenColumn("unit_id", "int8") { String($0.row.unitID) },
        WrittenColumn("received_on", "date") { $0.row.intake.receivedOn.description },
        WrittenColumn("actor", "text") { $0.row.actor.kind },
        WrittenColumn("user_id", "int8") { $0.row.actor.userID.map(String.init) },
        WrittenColumn("channel", "text") { $0.row.intake.details.channel.rawValue },
    ]
    private static let laterColumns: [Column] = [
        WrittenColumn("collective", "bool") { $0.row.intake.details.isCollective ? "t" : "f" },
        WrittenColumn("acceptance_limit", "text") { $0.row.acceptanceLimit.description },
        WrittenColumn("acceptance_due", "date") { $0.row.acceptanceDue.description },
        WrittenColumn("acceptance_due_epoch", "float8") { String($0.row.acceptanceDueAt.timeIntervalSince1970) },
        WrittenColumn("victim_relation", "text") { $0.row.intake.victim?.relation.rawValue },
        WrittenColumn("victim_birth_date", "date") { $0.row.intake.victim?.birthDate?.description },
        WrittenColumn("victim_age", "int4") { $0.row.intake.victim?.age.map(String.init) },
        WrittenColumn("victim_is_minor", "bool") { ($0.row.intake.victim?.isMinor ?? false) ? "t" : "f" },
        WrittenColumn("campaign_id", "int8") { $0.row.intake.campaignID.map(String.init) },
        WrittenColumn("key_scope", "text") { $0.row.idempotency?.scope },
        WrittenColumn("key", "text") { $0.row.idempotency?.key },
        WrittenColumn("request_hash", "text") { $0.row.idempotency.map { NewCaseInput.hex($0.requestDigest) } },
        WrittenColumn("query_code", "text") { $0.row.queryCode },
        WrittenColumn("repeats_key", "bool") { $0.repeatsKey ? "t" : "f" },
    ]

    private static func hex(_ data: Data) -> String {
        data.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
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
        // A key given twice in one batch (a client's concurrent retries): only its first row may claim it.
        var keysSeen = Set<[String]>()
        let inputs = rows.map { row in
            NewCaseInput(row: row, trackingPrefix: TrackingNumber.prefix(for: LocalDate(row.at, in: self.timeZone)),
                         repeatsKey: row.idempotency.map { !keysSeen.insert([$0.scope, $0.key]).inserted } ?? false)
        }
        let result = try db.query("""
            WITH input AS MATERIALIZED (
                SELECT t.*,
                       CASE WHEN t.has_person THEN nextval('petitioners_id_seq') END AS new_petitioner_id,
                       nextval('cases_id_seq') AS case_id,
                       nextval('contacts_id_seq') AS contact_id,
                       t.prefix || lpad(nextval('case_serial')::text, \(Int32(TrackingNumber.minimumSerialDigits)), '0') AS tracking_no
                FROM \(fragment: NewCaseInput.columns.unnest(inputs, as: "t"))
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
                                   victim_relation, victim_birth_date, victim_age, victim_is_minor, campaign_id)
                SELECT case_id, tracking_no, decode(code_hash, 'hex'), decode(code_salt, 'hex'), category, summary,
                       \(CaseStatus.registered.rawValue), unit_id, coalesce(new_petitioner_id, existing_petitioner_id),
                       channel, received_on, user_id, to_timestamp(epoch), to_timestamp(epoch),
                       victim_relation, victim_birth_date, victim_age, victim_is_minor, campaign_id
                FROM accepted
            ), new_contacts AS (
                INSERT INTO contacts (id, case_id, unit_id, petitioner_id, channel, summary, received_on, recorded_at, recorded_by,
                                      \(unescaped: ContactColumns.all.names))
                SELECT contact_id, case_id, unit_id, coalesce(new_petitioner_id, existing_petitioner_id), channel, summary,
                       received_on, to_timestamp(epoch), user_id, \(unescaped: ContactColumns.all.names)
                FROM accepted
            ), new_events AS (
                INSERT INTO case_events (case_id, unit_id, at, actor, actor_user_id, kind, to_status, detail)
                SELECT case_id, unit_id, to_timestamp(epoch), actor, user_id, \(CaseEventKind.registered), \(CaseStatus.registered.rawValue),
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
