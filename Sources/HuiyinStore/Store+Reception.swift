import Foundation
import HuiyinCore
import Postgres

public struct Shift: Sendable {
    public let id: Int64
    public let day: LocalDate
    public let period: String
    public let window: String
    public let userID: Int64
    public let userName: String
}

public struct QueueTicket: Sendable {
    public let number: Int
    public let issuedAt: Date
    public let calledAt: Date?
}

public struct StaffMember: Sendable {
    public let id: Int64
    public let displayName: String
    public let role: StaffRole
}

/// A unit she may file a case under or filter by: her own and those below it.
public struct ScopedUnit: Sendable {
    public let id: Int64
    public let name: String
    public let level: String
    public let depth: Int
}

public struct Attachment: Sendable {
    public let id: Int64
    public let caseID: Int64
    public let contentType: String
    public let bytes: [UInt8]
}

extension Store {
    public static let shiftPeriods = ["morning", "afternoon", "full_day"]

    /// The roster of her unit from `from` through `through`, by day.
    public func roster(unitID: Int64, from: LocalDate, through: LocalDate) throws -> [Shift] {
        try pool.withConnection { db in
            try db.query("""
                SELECT s.id, s.day, s.period, s.reception_window, s.user_id, u.display_name FROM shifts s JOIN users u ON u.id = s.user_id
                WHERE s.unit_id = \(unitID) AND s.day BETWEEN \(from) AND \(through)
                ORDER BY s.day, array_position(ARRAY['morning', 'afternoon', 'full_day'], s.period), u.display_name
                """).rows.map { row in
                Shift(id: try row.decode("id"), day: try row.decode("day"), period: try row.decode("period"),
                      window: try row.decode("reception_window"), userID: try row.decode("user_id"), userName: try row.decode("display_name"))
            }
        }
    }

    /// Puts a cadre of her unit on the roster (every cadre takes shifts, not only the petition office).
    public func addShift(userID: Int64, day: LocalDate, period: String, window: String, by user: StaffUser) throws {
        guard [.supervisor, .admin, .reception, .leader].contains(user.role) else {
            throw Forbidden(message: "the roster is planned by the unit's supervisors, reception cadres, leaders or admin")
        }
        guard Self.shiftPeriods.contains(period) else { throw UnknownReference(field: "period", message: "must be morning, afternoon or full_day") }
        guard day >= today else { throw UnknownReference(field: "day", message: "must not be in the past") }
        try pool.withConnection { db in
            let inserted = try db.execute("""
                INSERT INTO shifts (unit_id, user_id, day, period, reception_window, created_by, created_at)
                SELECT \(user.unitID), id, \(day), \(period), \(window), \(user.id), \(now()) FROM users
                WHERE id = \(userID) AND unit_id = \(user.unitID) AND disabled_at IS NULL
                ON CONFLICT (user_id, day, period) DO UPDATE SET reception_window = excluded.reception_window
                """)
            guard inserted == 1 else { throw UnknownReference(field: "user_id", message: "not a cadre of your unit") }
        }
    }

    public func removeShift(id: Int64, by user: StaffUser) throws {
        guard [.supervisor, .admin, .reception, .leader].contains(user.role) else {
            throw Forbidden(message: "the roster is planned by the unit's supervisors, reception cadres, leaders or admin")
        }
        try pool.withConnection { db in
            try db.execute("DELETE FROM shifts WHERE id = \(id) AND unit_id = \(user.unitID) AND day >= \(today)")
        }
    }

    /// The next walk-in number of her unit's window today.
    public func issueTicket(by user: StaffUser) throws -> Int {
        let at = now()
        return try pool.withConnection { db in
            try db.transaction { tx in
                // Numbers of one window and day are handed out one at a time.
                try tx.execute("SELECT pg_advisory_xact_lock(hashtext('queue'), \(Int32(truncatingIfNeeded: user.unitID))) IS NOT NULL AS locked")
                return try tx.query("""
                    INSERT INTO queue_tickets (unit_id, day, number, issued_at)
                    SELECT \(user.unitID), \(LocalDate(at, in: timeZone)), coalesce(max(number), 0) + 1, \(at) FROM queue_tickets
                    WHERE unit_id = \(user.unitID) AND day = \(LocalDate(at, in: timeZone))
                    RETURNING number
                    """).first!.decode("number", as: Int.self)
            }
        }
    }

    public func tickets(by user: StaffUser) throws -> [QueueTicket] {
        try pool.withConnection { db in
            try db.query("""
                SELECT number, issued_at, called_at FROM queue_tickets WHERE unit_id = \(user.unitID) AND day = \(today) ORDER BY number
                """).rows.map { QueueTicket(number: try $0.decode("number"), issuedAt: try $0.decode("issued_at"),
                                            calledAt: try $0.decode("called_at", as: Date?.self)) }
        }
    }

    /// Calls the lowest waiting number, if any.
    public func callNextTicket(by user: StaffUser) throws -> Int? {
        try pool.withConnection { db in
            try db.query("""
                UPDATE queue_tickets SET called_at = \(now()), called_by = \(user.id)
                WHERE (unit_id, day, number) = (SELECT unit_id, day, number FROM queue_tickets
                                                WHERE unit_id = \(user.unitID) AND day = \(today) AND called_at IS NULL
                                                ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING number
                """).first?.decode("number", as: Int.self)
        }
    }

    public func staff(ofUnit unitID: Int64) throws -> [StaffMember] {
        try pool.withConnection { db in
            try db.query("""
                SELECT id, display_name, role FROM users WHERE unit_id = \(unitID) AND disabled_at IS NULL ORDER BY display_name
                """).rows.map { StaffMember(id: try $0.decode("id"), displayName: try $0.decode("display_name"), role: try $0.decode("role")) }
        }
    }

    /// Leaders of the unit and the units above it: those who may own its cases.
    public func leaders(forUnit unitID: Int64) throws -> [StaffMember] {
        try pool.withConnection { db in
            try db.query("""
                SELECT u.id, u.display_name, u.role FROM users u JOIN units case_unit ON case_unit.id = \(unitID)
                WHERE u.role = \(StaffRole.leader) AND u.disabled_at IS NULL AND u.unit_id = ANY(case_unit.path)
                ORDER BY u.display_name
                """).rows.map { StaffMember(id: try $0.decode("id"), displayName: try $0.decode("display_name"), role: try $0.decode("role")) }
        }
    }

    /// Her unit and every unit below it, tree order.
    public func unitsInScope(of user: StaffUser) throws -> [ScopedUnit] {
        try units(under: user.unitID)
    }

    /// A unit and every unit below it, tree order, with their depth below it.
    public func units(under unitID: Int64) throws -> [ScopedUnit] {
        try pool.withConnection { db in
            try db.query("""
                SELECT id, name, level, array_length(path, 1) - array_position(path, \(unitID)) AS depth FROM units
                WHERE path @> ARRAY[\(unitID)::bigint] ORDER BY path
                """).rows.map { ScopedUnit(id: try $0.decode("id"), name: try $0.decode("name"), level: try $0.decode("level"),
                                           depth: try $0.decode("depth")) }
        }
    }

    /// Keeps a letter's scan with its case. PDF or JPEG only, by content, not by name.
    public func attach(caseID: Int64, contactID: Int64?, contentType: String, bytes: [UInt8], by user: StaffUser) throws -> Int64 {
        let pdf = bytes.starts(with: Array("%PDF-".utf8)), jpeg = bytes.starts(with: [0xFF, 0xD8, 0xFF])
        guard (contentType == "application/pdf" && pdf) || (contentType == "image/jpeg" && jpeg) else {
            throw UnknownReference(field: "file", message: "must be a PDF or JPEG file")
        }
        let at = now()
        return try pool.withConnection { db in
            try db.transaction { tx in
                guard try lockCase(tx, caseID, for: user).opened else {
                    throw Forbidden(message: "the case is sealed; only its circle may act on it")
                }
                let id = try tx.query("""
                    INSERT INTO attachments (case_id, contact_id, content_type, bytes, size, sha256, uploaded_by, uploaded_at)
                    SELECT \(caseID), \(contactID), \(contentType), \(Data(bytes)), \(bytes.count), \(Secrets.digest(bytes)), \(user.id), \(at)
                    WHERE \(contactID)::bigint IS NULL OR EXISTS (SELECT 1 FROM contacts WHERE id = \(contactID) AND case_id = \(caseID))
                    RETURNING id
                    """).first?.decode("id", as: Int64.self)
                guard let id else { throw UnknownReference(field: "contact_id", message: "not a contact of this case") }
                try record(tx, caseID: caseID, event: .attachmentAdded, reason: nil,
                           detail: [("attachment_id", String(id)), ("content_type", contentType), ("size", String(bytes.count))],
                           by: user, at: at)
                return id
            }
        }
    }

    /// A scan, for someone who may open its case; the read is audited like any read of the case.
    public func attachment(id: Int64, by user: StaffUser) throws -> Attachment? {
        guard let row = try pool.withConnection({ db in
            try db.query("SELECT case_id FROM attachments WHERE id = \(id)").first
        }) else { return nil }
        let caseID: Int64 = try row.decode("case_id")
        guard let record = try readCase(id: caseID, by: user, view: "attachment"), !record.item.masked else { return nil }
        return try pool.withConnection { db in
            try db.query("SELECT content_type, bytes FROM attachments WHERE id = \(id)").first.map {
                Attachment(id: id, caseID: caseID, contentType: try $0.decode("content_type"), bytes: Array(try $0.decode("bytes", as: Data.self)))
            }
        }
    }
}
