import Foundation
import HuiyinCore
import Postgres

/// What the petitioner or operator is told once a contact is durable.
public struct IntakeReceipt: Codable, Sendable, Equatable {
    public let caseID: Int64
    public let contactID: Int64
    public let trackingNo: String
    /// Only for a new case, and only in this answer: it is stored hashed.
    public let queryCode: String?
    public let contactCount: Int
    public let status: String
    public let channel: String
}

extension Store {
    /// Records one contact, on a new case or an existing one, durably (committed) before returning.
    /// - Parameter defaultUnitID: where a new case goes when the intake names no unit.
    public func recordIntake(_ intake: Intake, by actor: Actor, defaultUnitID: Int64,
                             idempotency: IdempotencyKey?) throws -> (IntakeReceipt, replayed: Bool) {
        var intake = intake
        // A returning caller is the person on record, not a second one with the same number.
        if case .new(let person) = intake.petitioner, let id = try samePetitioner(person) { intake.petitioner = .existing(id: id) }
        // Worked out before a connection is taken (the calendar may need one of its own).
        _ = try currentCalendar()
        var newCase: NewCaseRow?
        if case .newCase(let category, let unitID) = intake.target {
            newCase = try newCaseRow(intake, category: category, unitID: unitID ?? defaultUnitID, actor: actor)
        }
        // A new case, with or without a key, joins the group commit: under synchronous replication each
        // commit waits for the standby, and one batch waits once for all of its intakes.
        if var row = newCase {
            row.idempotency = idempotency
            do {
                let outcome = try newCaseBatcher.submit(row) { self.writeNewCases($0) }
                return (outcome.receipt, outcome.replayed)
            } catch let error as PostgresError where error.sqlState == "23503" {
                throw Self.unknownReference(constraint: error.constraint)
            }
        }
        return try pool.withConnection { db in
            do {
                return try idempotent(db, idempotency) { db in
                    guard case .existingCase(let caseID) = intake.target else { preconditionFailure("new cases handled above") }
                    return try attachContact(db, intake, caseID: caseID, actor: actor)
                }
            } catch let error as PostgresError where error.sqlState == "23503" {
                throw Self.unknownReference(constraint: error.constraint)
            }
        }
    }

    /// The person on record this one is: the same number and name, and nothing sent that differs from
    /// what is on record (an ID number, address or minor flag of someone else makes her someone else).
    func samePetitioner(_ person: Petitioner) throws -> Int64? {
        guard let phone = person.phone?.digits, let name = person.name else { return nil }
        return try pool.withConnection { db in
            try db.query("""
                SELECT id FROM petitioners
                WHERE phone = \(phone) AND name = \(name) AND is_minor = \(person.isMinor)
                  AND (\(person.idNumber?.value)::text IS NULL OR id_number IS NOT DISTINCT FROM \(person.idNumber?.value))
                  AND (\(person.address)::text IS NULL OR address IS NOT DISTINCT FROM \(person.address))
                ORDER BY id DESC LIMIT 1
                """).first?.decode("id", as: Int64.self)
        }
    }

    /// A further contact about a case on record: counted, and from the second on a repeat petition (重复信访).
    private func attachContact(_ db: PostgresConnection, _ intake: Intake, caseID: Int64, actor: Actor) throws -> IntakeReceipt {
        let at = now()
        let person = intake.newPetitioner
        let channel = intake.details.channel.rawValue
        guard let row = try db.query("""
            WITH before AS (
                SELECT status FROM cases WHERE id = \(caseID)
            ), new_petitioner AS (
                INSERT INTO petitioners (name, phone, id_number, address, is_minor, created_at)
                SELECT \(person?.name), \(person?.phone?.digits), \(person?.idNumber?.value), \(person?.address),
                       \(person?.isMinor ?? false), \(at)
                WHERE \(person != nil) AND EXISTS (SELECT 1 FROM cases WHERE id = \(caseID))
                RETURNING id
            ), touched AS (
                -- the petitioner came back after closure: the case is reopened (and keeps its leader)
                UPDATE cases SET contact_count = contact_count + 1, updated_at = \(at),
                       status = CASE WHEN status = 'closed' THEN 'reopened' ELSE status END,
                       petitioner_id = coalesce(petitioner_id, (SELECT id FROM new_petitioner), \(intake.existingPetitionerID))
                WHERE id = \(caseID)
                RETURNING id, tracking_no, contact_count, status, petitioner_id, leader_id, unit_id, channel
            ), reopened AS (
                INSERT INTO case_events (case_id, unit_id, at, actor, actor_user_id, kind, from_status, to_status, detail)
                SELECT touched.id, touched.unit_id, \(at), \(actor.kind), \(actor.userID), \(CaseEventKind.reopened), 'closed', 'reopened',
                       jsonb_build_object('leader_id', touched.leader_id)
                FROM touched, before WHERE before.status = 'closed'
            ), contact AS (
                INSERT INTO contacts (case_id, unit_id, petitioner_id, channel, summary, received_on, recorded_at, recorded_by,
                                      \(unescaped: ContactColumns.all.names))
                SELECT id, unit_id, coalesce((SELECT id FROM new_petitioner), \(intake.existingPetitionerID), petitioner_id),
                       \(channel), \(intake.summary), \(intake.receivedOn), \(at), \(actor.userID),
                       \(fragment: ContactColumns.all.values(intake.details))
                FROM touched
                RETURNING id, case_id
            ), event AS (
                INSERT INTO case_events (case_id, unit_id, at, actor, actor_user_id, kind, detail)
                SELECT touched.id, touched.unit_id, \(at), \(actor.kind), \(actor.userID), \(CaseEventKind.contactAdded),
                       jsonb_build_object('contact_id', contact.id, 'channel', \(channel)::text,
                                          'contact_count', touched.contact_count, 'repeat', true,
                                          'collective', \(intake.details.isCollective))
                FROM touched, contact
            )
            SELECT touched.id AS case_id, touched.tracking_no, touched.contact_count, touched.status, contact.id AS contact_id,
                   touched.leader_id, touched.unit_id, touched.channel, before.status = 'closed' AS reopened
            FROM touched, contact, before
            """).first
        else { throw UnknownReference(field: "case_id", message: "no such case") }
        // A reopened case stays with its leader, whose clock starts again.
        if try row.decode("reopened", as: Bool.self), try row.decode("leader_id", as: Int64?.self) != nil {
            try startClock(db, caseID: caseID, try clockRow(.leaderOwnership, from: LocalDate(at, in: timeZone)),
                           unitID: try row.decode("unit_id"), channel: try row.decode("channel"), at: at)
        }
        return IntakeReceipt(caseID: try row.decode("case_id"), contactID: try row.decode("contact_id"),
                             trackingNo: try row.decode("tracking_no"), queryCode: nil,
                             contactCount: try row.decode("contact_count"), status: try row.decode("status"),
                             channel: channel)
    }

    /// A new case with its acceptance clock worked out on the current calendar.
    func newCaseRow(_ intake: Intake, category: CaseCategory, unitID: Int64, actor: Actor) throws -> NewCaseRow {
        let limit = rules[.acceptance].limit
        let due = DeadlineCounter(calendar: try currentCalendar()).due(from: intake.receivedOn, limit: limit).day
        return NewCaseRow(intake: intake, category: category, unitID: unitID, actor: actor, at: now(), acceptanceLimit: limit,
                          acceptanceDue: due, acceptanceDueAt: DeadlineCounter.endOfDay(due, in: timeZone))
    }

    /// One statement, one commit, for a whole batch. If a row spoils it (say an unknown unit),
    /// each row is written alone so every error reaches only its own request.
    func writeNewCases(_ rows: [NewCaseRow]) -> [Result<NewCaseOutcome, Error>] {
        do {
            return try pool.withConnection { try insertNewCases($0, rows) }
        } catch let error as PostgresError where rows.count > 1 && !error.isTransient {
            return rows.map { row in Result { try pool.withConnection { try insertNewCases($0, [row]) }[0].get() } }
        } catch {
            return rows.map { _ in .failure(error) }
        }
    }

    static func unknownReference(constraint: String?) -> UnknownReference {
        switch constraint {
        case "cases_unit_id_fkey", "clocks_unit_id_fkey": return UnknownReference(field: "unit_id", message: "no such unit")
        case "cases_petitioner_id_fkey", "contacts_petitioner_id_fkey":
            return UnknownReference(field: "petitioner_id", message: "no such petitioner")
        default: return UnknownReference(field: "", message: "refers to something that does not exist")
        }
    }
}

extension Intake {
    var newPetitioner: Petitioner? {
        if case .new(let person) = petitioner { return person }
        return nil
    }

    var existingPetitionerID: Int64? {
        if case .existing(let id) = petitioner { return id }
        return nil
    }
}
