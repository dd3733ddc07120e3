import Foundation
import HuiyinCore
import Postgres

public struct UnitImportReport: Sendable, Equatable {
    public var created = 0
    public var renamed = 0
    public var unchanged = 0
    public init(created: Int = 0, renamed: Int = 0, unchanged: Int = 0) {
        self.created = created
        self.renamed = renamed
        self.unchanged = unchanged
    }
}

extension Store {
    /// Imports a unit tree (rows parents first, as `UnitCSV.parse` returns them) in one transaction:
    /// new codes are created under their parent, known codes may be renamed; a known unit never moves
    /// or changes level (cases and clocks are answerable to it). Any problem rolls the whole file back.
    public func importUnits(_ rows: [UnitRow]) throws -> UnitImportReport {
        try pool.withConnection { db in
            try db.transaction { tx in
                var report = UnitImportReport()
                for (index, row) in rows.enumerated() {
                    let line = "row \(index + 1) (\(row.code))"
                    if let existing = try tx.query("""
                        SELECT u.name, u.level, p.code AS parent_code FROM units u LEFT JOIN units p ON p.id = u.parent_id
                        WHERE u.code = \(row.code)
                        """).first {
                        guard try existing.decode("level", as: String.self) == row.level.rawValue,
                              try existing.decode("parent_code", as: String?.self) == row.parentCode else {
                            throw UnknownReference(field: line, message: "an existing unit keeps its level and parent")
                        }
                        try Self.writeProfile(row, tx)
                        if try existing.decode("name", as: String.self) == row.name { report.unchanged += 1; continue }
                        try tx.execute("UPDATE units SET name = \(row.name) WHERE code = \(row.code)")
                        report.renamed += 1
                        continue
                    }
                    var parentID: Int64?
                    if let parentCode = row.parentCode {
                        guard let parent = try tx.query("SELECT id, level FROM units WHERE code = \(parentCode)").first else {
                            throw UnknownReference(field: line, message: "parent \(parentCode) is neither in the file nor in the database")
                        }
                        guard UnitLevel(rawValue: try parent.decode("level"))?.child == row.level else {
                            throw UnknownReference(field: line, message: "a \(row.level.rawValue) unit cannot sit under a \(try parent.decode("level", as: String.self)) unit")
                        }
                        parentID = try parent.decode("id", as: Int64.self)
                    }
                    try tx.execute("""
                        INSERT INTO units (parent_id, level, code, name) VALUES (\(parentID), \(row.level.rawValue), \(row.code), \(row.name))
                        """)
                    try Self.writeProfile(row, tx)
                    report.created += 1
                }
                return report
            }
        }
    }
}

extension Store {
    /// A grid's profile columns, when the file had them: the file's figures replace the stored ones.
    static func writeProfile(_ row: UnitRow, _ tx: PostgresConnection) throws {
        guard let p = row.profile else { return }
        try tx.execute("""
            INSERT INTO grid_profiles (unit_id, households, residents, children, elderly_alone, womens_groups)
            SELECT id, \(p.households), \(p.residents), \(p.children), \(p.elderlyAlone), \(p.womensGroups)
            FROM units WHERE code = \(row.code)
            ON CONFLICT (unit_id) DO UPDATE SET households = excluded.households, residents = excluded.residents,
                children = excluded.children, elderly_alone = excluded.elderly_alone,
                womens_groups = excluded.womens_groups, updated_at = now()
            """)
    }

    /// A grid's profile, nil when none was imported.
    public func gridProfile(unitCode: String) throws -> GridProfile? {
        try pool.withConnection { db in
            try db.query("""
                SELECT g.households, g.residents, g.children, g.elderly_alone, g.womens_groups
                FROM grid_profiles g JOIN units u ON u.id = g.unit_id WHERE u.code = \(unitCode)
                """).first.map {
                GridProfile(households: try $0.decode("households", as: Int?.self), residents: try $0.decode("residents", as: Int?.self),
                            children: try $0.decode("children", as: Int?.self), elderlyAlone: try $0.decode("elderly_alone", as: Int?.self),
                            womensGroups: try $0.decode("womens_groups", as: String?.self))
            }
        }
    }
}
