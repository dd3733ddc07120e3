import Foundation
import HuiyinCore
import Postgres

public struct PetitionerRecord: Sendable {
    public let id: Int64
    public let name: String?
    public let phone: String?
    public let idNumber: String?
    public let address: String?
    public let isMinor: Bool
}

public struct ContactRecord: Sendable {
    public let id: Int64
    public let channel: String
    public let summary: String
    public let receivedOn: LocalDate
    public let recordedAt: Date
    public let recordedBy: Int64?
    public let petitionerID: Int64?
    public let subLine: String?
    public let letterSender: String?
    public let letterOnBehalf: Bool?
    public let visitWindow: String?
    public let visitors: Int?
}

public struct EventRecord: Sendable {
    public let id: Int64
    public let at: Date
    public let actor: String
    public let actorUserID: Int64?
    public let kind: String
    public let fromStatus: String?
    public let toStatus: String?
    public let reason: String?
    /// The event's detail object as JSON text.
    public let detailJSON: String
}

/// A case with everything on record about it, for staff.
public struct CaseRecord: Sendable {
    public let id: Int64
    public let trackingNo: String
    public let category: String
    public let summary: String
    public let status: String
    public let unitID: Int64
    public let unitName: String
    public let channel: String
    public let receivedOn: LocalDate
    public let contactCount: Int
    public let createdAt: Date
    public let updatedAt: Date
    public let petitioner: PetitionerRecord?
    public let contacts: [ContactRecord]
    public let events: [EventRecord]
}

/// A line in a caller's history.
public struct CaseSummary: Sendable {
    public let id: Int64
    public let trackingNo: String
    public let category: String
    public let status: String
    public let summary: String
    public let contactCount: Int
    public let createdAt: Date
    public let unitName: String
}

public struct CallerMatch: Sendable {
    public let petitioner: PetitionerRecord
    /// Newest first.
    public let cases: [CaseSummary]
}

extension Store {
    public func caseRecord(id: Int64) throws -> CaseRecord? {
        try pool.withConnection { db in
            guard let row = try db.query("""
                SELECT c.id, c.tracking_no, c.category, c.summary, c.status, c.unit_id, u.name AS unit_name, c.channel,
                       c.received_on, c.contact_count, c.created_at, c.updated_at,
                       p.id AS p_id, p.name AS p_name, p.phone AS p_phone, p.id_number AS p_id_number,
                       p.address AS p_address, p.is_minor AS p_is_minor
                FROM cases c JOIN units u ON u.id = c.unit_id LEFT JOIN petitioners p ON p.id = c.petitioner_id
                WHERE c.id = \(id)
                """).first else { return nil }
            let contacts = try db.query("""
                SELECT id, channel, summary, received_on, recorded_at, recorded_by, petitioner_id, sub_line,
                       letter_sender, letter_on_behalf, visit_window, visitors
                FROM contacts WHERE case_id = \(id) ORDER BY id
                """).rows.map { row in
                ContactRecord(id: try row.decode("id"), channel: try row.decode("channel"), summary: try row.decode("summary"),
                              receivedOn: try row.decode("received_on"), recordedAt: try row.decode("recorded_at"),
                              recordedBy: try row.decode("recorded_by", as: Int64?.self),
                              petitionerID: try row.decode("petitioner_id", as: Int64?.self),
                              subLine: try row.decode("sub_line", as: String?.self),
                              letterSender: try row.decode("letter_sender", as: String?.self),
                              letterOnBehalf: try row.decode("letter_on_behalf", as: Bool?.self),
                              visitWindow: try row.decode("visit_window", as: String?.self),
                              visitors: try row.decode("visitors", as: Int?.self))
            }
            let events = try db.query("""
                SELECT id, at, actor, actor_user_id, kind, from_status, to_status, reason, detail::text AS detail
                FROM case_events WHERE case_id = \(id) ORDER BY id
                """).rows.map { row in
                EventRecord(id: try row.decode("id"), at: try row.decode("at"), actor: try row.decode("actor"),
                            actorUserID: try row.decode("actor_user_id", as: Int64?.self), kind: try row.decode("kind"),
                            fromStatus: try row.decode("from_status", as: String?.self),
                            toStatus: try row.decode("to_status", as: String?.self),
                            reason: try row.decode("reason", as: String?.self), detailJSON: try row.decode("detail"))
            }
            return CaseRecord(
                id: try row.decode("id"), trackingNo: try row.decode("tracking_no"), category: try row.decode("category"),
                summary: try row.decode("summary"), status: try row.decode("status"), unitID: try row.decode("unit_id"),
                unitName: try row.decode("unit_name"), channel: try row.decode("channel"),
                receivedOn: try row.decode("received_on"), contactCount: try row.decode("contact_count"),
                createdAt: try row.decode("created_at"), updatedAt: try row.decode("updated_at"),
                petitioner: try Self.petitioner(row, prefix: "p_"), contacts: contacts, events: events)
        }
    }

    /// Caller lookup while the phone rings: everyone on record with this number, each with her
    /// cases, newest first. One round trip: it runs while the operator is still saying hello.
    public func callers(phone: PhoneNumber, limit: Int = 20, casesPerCaller: Int = 50) throws -> [CallerMatch] {
        let rows = try pool.withConnection { db in
            try db.query("""
                SELECT p.id AS p_id, p.name AS p_name, p.phone AS p_phone, p.id_number AS p_id_number,
                       p.address AS p_address, p.is_minor AS p_is_minor,
                       c.id, c.tracking_no, c.category, c.status, c.summary, c.contact_count, c.created_at, c.unit_name
                FROM (SELECT * FROM petitioners WHERE phone = \(phone.digits) ORDER BY id DESC LIMIT \(limit)) p
                LEFT JOIN LATERAL (
                    SELECT c.id, c.tracking_no, c.category, c.status, c.summary, c.contact_count, c.created_at,
                           u.name AS unit_name
                    FROM cases c JOIN units u ON u.id = c.unit_id
                    WHERE c.petitioner_id = p.id
                    ORDER BY c.created_at DESC, c.id DESC LIMIT \(casesPerCaller)
                ) c ON true
                ORDER BY p.id DESC, c.created_at DESC, c.id DESC
                """).rows
        }
        var matches: [CallerMatch] = []
        for row in rows {
            guard let person = try Self.petitioner(row, prefix: "p_") else { continue }
            if matches.last?.petitioner.id != person.id { matches.append(CallerMatch(petitioner: person, cases: [])) }
            guard let caseID = try row.decode("id", as: Int64?.self) else { continue }
            let summary = CaseSummary(
                id: caseID, trackingNo: try row.decode("tracking_no"), category: try row.decode("category"),
                status: try row.decode("status"), summary: try row.decode("summary"),
                contactCount: try row.decode("contact_count"), createdAt: try row.decode("created_at"),
                unitName: try row.decode("unit_name"))
            let last = matches.removeLast()
            matches.append(CallerMatch(petitioner: last.petitioner, cases: last.cases + [summary]))
        }
        return matches
    }

    static func petitioner(_ row: PostgresRow, prefix: String) throws -> PetitionerRecord? {
        guard let id = try row.decode(prefix + "id", as: Int64?.self) else { return nil }
        return PetitionerRecord(id: id, name: try row.decode(prefix + "name", as: String?.self),
                                phone: try row.decode(prefix + "phone", as: String?.self),
                                idNumber: try row.decode(prefix + "id_number", as: String?.self),
                                address: try row.decode(prefix + "address", as: String?.self),
                                isMinor: try row.decode(prefix + "is_minor", as: Bool.self))
    }
}
