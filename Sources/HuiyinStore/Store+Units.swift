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
                    report.created += 1
                }
                return report
            }
        }
    }
}
