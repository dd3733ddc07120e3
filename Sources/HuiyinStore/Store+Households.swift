import Foundation
import HuiyinCore
import Postgres

/// A key household as a list shows it: personal data masked for everyone, a sealed household's row
/// shows only that it exists.
public struct HouseholdListItem: Sendable, Equatable {
    public let id: Int64
    public let gridID: Int64
    public let gridName: String
    public let sealed: Bool
    /// Nil on a sealed row.
    public let address: String?
    public let headName: String?
    public let phone: String?
    public let categories: [HouseholdCategory]
    public let grade: HouseholdGrade?
    public let colour: HouseholdColour?
    public let reviewOn: LocalDate?
    /// Set when its reported quarrels reached the rule set's count (nil on a sealed row).
    public let flag: HouseholdFlag?
}

/// A household flagged for repeated quarrels (Haian: three in two months): when, and why.
public struct HouseholdFlag: Sendable, Equatable {
    public let at: Date
    public let reason: String
}

public struct HouseholdClassificationRecord: Sendable, Equatable {
    public let classification: HouseholdClassification
    public let setBy: Int64
    public let setAt: Date
}

/// One household read: whole when she may open it, masked otherwise.
public struct HouseholdRecord: Sendable, Equatable {
    public let id: Int64
    public let gridID: Int64
    public let gridName: String
    public let sealed: Bool
    public let masked: Bool
    public let address: String?
    public let headName: String?
    public let phone: String?
    public let notes: String?
    public let members: [HouseholdMember]
    public let categories: [HouseholdCategory]
    public let matters: [HouseholdMatter]
    public let classification: HouseholdClassificationRecord?
    public let createdAt: Date
    /// Nil when masked.
    public let flag: HouseholdFlag?
}

/// Who may see which household, as SQL over `v` (the viewer), `h` (the household) and `gu` (its grid).
enum HouseholdScope {
    /// A grid worker or information officer: her assigned grids; anyone else: the grids in her subtree.
    static let inScope = """
        (CASE WHEN v.role IN ('grid_worker', 'information_officer')
              THEN EXISTS (SELECT 1 FROM staff_grids sg WHERE sg.user_id = v.id AND sg.grid_id = h.grid_id)
              ELSE gu.path @> ARRAY[v.unit_id] END)
        """
    /// A sealed household opens to those assigned to its grid and to supervisors of units above the grid.
    static let opened = """
        (NOT h.sealed
         OR EXISTS (SELECT 1 FROM staff_grids sg WHERE sg.user_id = v.id AND sg.grid_id = h.grid_id)
         OR (v.is_supervisor AND gu.id <> v.unit_id))
        """
}

extension Store {
    /// True if `gridID` is a grid whose register she may see (her assigned grids, or grids below her unit).
    public func gridIsInHouseholdScope(_ gridID: Int64, of user: StaffUser) throws -> Bool {
        try pool.withConnection { db in
            try !db.query("""
                WITH \(viewer: user), h AS (SELECT \(gridID)::bigint AS grid_id)
                SELECT 1 AS ok FROM h JOIN units gu ON gu.id = h.grid_id, v
                WHERE gu.level = 'grid' AND \(unescaped: HouseholdScope.inScope)
                """).isEmpty
        }
    }

    /// Puts a validated household on the register of a grid in her scope (nil when the grid is not a grid
    /// she may see: the caller answers 404 as for any out-of-scope reference).
    public func addHousehold(_ household: Household, by user: StaffUser) throws -> Int64? {
        let at = now()
        return try pool.withConnection { db in
            try db.transaction { tx -> Int64? in
                guard try !tx.query("""
                    WITH \(viewer: user), h AS (SELECT \(household.gridID)::bigint AS grid_id)
                    SELECT 1 AS ok FROM h JOIN units gu ON gu.id = h.grid_id, v
                    WHERE gu.level = 'grid' AND \(unescaped: HouseholdScope.inScope)
                    """).isEmpty else { return nil }
                let id = try tx.query("""
                    INSERT INTO households (grid_id, address, head_name, phone, categories, matters, notes, created_by, created_at)
                    VALUES (\(household.gridID), \(household.address), \(household.headName), \(household.phone),
                            string_to_array(\(household.categories.map(\.rawValue).joined(separator: ",")), ','),
                            string_to_array(\(household.sealedMatters.map(\.rawValue).joined(separator: ",")), ','),
                            \(household.notes), \(user.id), \(at))
                    RETURNING id
                    """).first!.decode("id", as: Int64.self)
                for (position, member) in household.members.enumerated() {
                    try tx.execute("""
                        INSERT INTO household_members (household_id, position, name, relation, birth_date, age, is_minor)
                        VALUES (\(id), \(position), \(member.name), \(member.relation.rawValue), \(member.birthDate),
                                \(member.age), \(member.isMinor))
                        """)
                }
                return id
            }
        }
    }

    /// The register of one grid (or of every grid she sees when `gridID` is nil), newest first, masked.
    public func households(gridID: Int64?, for user: StaffUser, limit: Int = 200) throws -> [HouseholdListItem] {
        try households(HouseholdFilter(gridID: gridID, limit: limit), for: user)
    }

    /// Reads one household and records the read (one `household_reads` row) in the same transaction.
    /// Nil when it does not exist or lies outside her scope: the two look the same.
    public func readHousehold(id: Int64, by user: StaffUser, view: String) throws -> HouseholdRecord? {
        let at = now()
        return try pool.withConnection { db in
            try db.transaction { tx -> HouseholdRecord? in
                guard let row = try tx.query("""
                    WITH \(viewer: user)
                    SELECT h.id, h.grid_id, gu.name AS grid_name, h.sealed, h.address, h.head_name, h.phone, h.notes,
                           array_to_string(h.categories, ',') AS categories, array_to_string(h.matters, ',') AS matters,
                           h.grade, h.colour, h.classification_reason, h.classified_by, h.classified_at, h.review_on,
                           h.created_at, h.flagged_at, h.flag_reason, \(unescaped: HouseholdScope.opened) AS opened
                    FROM households h JOIN units gu ON gu.id = h.grid_id, v
                    WHERE h.id = \(id) AND \(unescaped: HouseholdScope.inScope)
                    """).first else { return nil }
                let opened = try row.decode("opened", as: Bool.self)
                try tx.execute("""
                    INSERT INTO household_reads (household_id, user_id, at, view, masked)
                    VALUES (\(id), \(user.id), \(at), \(view), \(!opened))
                    """)
                var classification: HouseholdClassificationRecord?
                if opened, let grade = try row.decode("grade", as: String?.self).flatMap(HouseholdGrade.init(rawValue:)),
                   let colour = try row.decode("colour", as: String?.self).flatMap(HouseholdColour.init(rawValue:)) {
                    classification = HouseholdClassificationRecord(
                        classification: HouseholdClassification(grade: grade, colour: colour,
                                                                 reason: try row.decode("classification_reason"),
                                                                 reviewOn: try row.decode("review_on")),
                        setBy: try row.decode("classified_by"), setAt: try row.decode("classified_at"))
                }
                let members: [HouseholdMember] = opened ? try tx.query("""
                    SELECT name, relation, birth_date, age, is_minor FROM household_members
                    WHERE household_id = \(id) ORDER BY position
                    """).rows.map { m in
                    HouseholdMember(name: try m.decode("name"),
                                    relation: VictimRelation(rawValue: try m.decode("relation")) ?? .other,
                                    birthDate: try m.decode("birth_date", as: LocalDate?.self),
                                    age: try m.decode("age", as: Int?.self), isMinor: try m.decode("is_minor"))
                } : []
                return HouseholdRecord(
                    id: id, gridID: try row.decode("grid_id"), gridName: try row.decode("grid_name"),
                    sealed: try row.decode("sealed"), masked: !opened,
                    address: opened ? try row.decode("address", as: String.self) : nil,
                    headName: opened ? try row.decode("head_name", as: String.self) : nil,
                    phone: opened ? try row.decode("phone", as: String?.self) : nil,
                    notes: opened ? try row.decode("notes", as: String?.self) : nil,
                    members: members,
                    categories: opened ? Self.words(try row.decode("categories")) : [],
                    matters: opened ? Self.words(try row.decode("matters")) : [],
                    classification: classification, createdAt: try row.decode("created_at"),
                    flag: opened ? try Self.householdFlag(row) : nil)
            }
        }
    }

    /// Sets Changzhou's classification of a household she may open (its history kept). False when it is
    /// not hers to see (404), throws Forbidden when she sees only its masked row.
    public func classifyHousehold(id: Int64, _ classification: HouseholdClassification, by user: StaffUser) throws -> Bool {
        let at = now()
        return try pool.withConnection { db in
            try db.transaction { tx -> Bool in
                guard let row = try tx.query("""
                    WITH \(viewer: user)
                    SELECT \(unescaped: HouseholdScope.opened) AS opened
                    FROM households h JOIN units gu ON gu.id = h.grid_id, v
                    WHERE h.id = \(id) AND \(unescaped: HouseholdScope.inScope)
                    FOR UPDATE OF h
                    """).first else { return false }
                guard try row.decode("opened", as: Bool.self) else {
                    throw Forbidden(message: "this household is sealed to you")
                }
                let c = classification
                try tx.execute("""
                    INSERT INTO household_classifications (household_id, grade, colour, reason, set_by, set_at, review_on)
                    VALUES (\(id), \(c.grade.rawValue), \(c.colour.rawValue), \(c.reason), \(user.id), \(at), \(c.reviewOn))
                    """)
                try tx.execute("""
                    UPDATE households SET grade = \(c.grade.rawValue), colour = \(c.colour.rawValue),
                           classification_reason = \(c.reason), classified_by = \(user.id), classified_at = \(at),
                           review_on = \(c.reviewOn)
                    WHERE id = \(id)
                    """)
                return true
            }
        }
    }

    /// Who read a household, oldest first (for tests and the audit).
    public func householdReads(id: Int64) throws -> [(userID: Int64, view: String, masked: Bool)] {
        try pool.withConnection { db in
            try db.query("SELECT user_id, view, masked FROM household_reads WHERE household_id = \(id) ORDER BY id").rows.map {
                (try $0.decode("user_id"), try $0.decode("view"), try $0.decode("masked"))
            }
        }
    }

    /// Assigns grids (by code) to a grid worker or information officer.
    public func assignGrids(username: String, gridCodes: [String]) throws {
        try pool.withConnection { db in
            try db.transaction { tx in
                guard let user = try tx.query("SELECT id, role FROM users WHERE username = \(username)").first else {
                    throw UnknownReference(field: "username", message: "no user \(username)")
                }
                guard StaffRole(rawValue: try user.decode("role"))?.worksInGrids == true else {
                    throw UnknownReference(field: "role", message: "only a grid worker or an information officer is assigned grids")
                }
                try Self.assign(gridCodes: gridCodes, to: try user.decode("id", as: Int64.self), tx)
            }
        }
    }

    static func assign(gridCodes: [String], to userID: Int64, _ tx: PostgresConnection) throws {
        for code in gridCodes {
            guard let grid = try tx.query("SELECT id FROM units WHERE code = \(code) AND level = 'grid'").first else {
                throw UnknownReference(field: "grid", message: "no grid with code \(code)")
            }
            try tx.execute("""
                INSERT INTO staff_grids (user_id, grid_id) VALUES (\(userID), \(try grid.decode("id", as: Int64.self)))
                ON CONFLICT DO NOTHING
                """)
        }
    }

    static func householdFlag(_ row: PostgresRow) throws -> HouseholdFlag? {
        guard let at = try row.decode("flagged_at", as: Date?.self) else { return nil }
        return HouseholdFlag(at: at, reason: try row.decode("flag_reason", as: String?.self) ?? "")
    }

    static func words<Word: RawRepresentable>(_ joined: String) -> [Word] where Word.RawValue == String {
        joined.split(separator: ",").compactMap { Word(rawValue: String($0)) }
    }
}
