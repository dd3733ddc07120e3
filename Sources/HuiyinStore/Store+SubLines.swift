import Foundation
import HuiyinCore
import Postgres

/// A configured 12338 sub-line, as the call screen offers it.
public struct SubLine: Sendable {
    public let code: String
    public let name: String
    public let kind: SubLineKind
    /// A regional line's county unit: the new case's default unit.
    public let unitID: Int64?
    public let unitName: String?
    public let unitCode: String?
    /// A professional line's suggested referral kind.
    public let referral: String?
}

public struct SubLineImportReport: Sendable, Equatable {
    public var created = 0
    public var changed = 0
    public var unchanged = 0
}

extension Store {
    /// Every configured line: the main line first, then professional, then regional, in file order.
    public func subLines() throws -> [SubLine] {
        try querySubLines(code: nil)
    }

    /// One configured line, or nil if the code names none (one indexed read on every call's intake).
    public func subLine(code: String) throws -> SubLine? {
        try querySubLines(code: code).first
    }

    private func querySubLines(code: String?) throws -> [SubLine] {
        try pool.withConnection { db in
            try db.query("""
                SELECT l.code, l.name, l.kind, l.unit_id, u.name AS unit_name, u.code AS unit_code, l.referral
                FROM sub_lines l LEFT JOIN units u ON u.id = l.unit_id
                WHERE \(code)::text IS NULL OR l.code = \(code)
                ORDER BY array_position(ARRAY['main', 'professional', 'regional'], l.kind), l.position, l.code
                """).rows.map { row in
                SubLine(code: try row.decode("code"), name: try row.decode("name"),
                        kind: SubLineKind(rawValue: try row.decode("kind")) ?? .main,
                        unitID: try row.decode("unit_id", as: Int64?.self), unitName: try row.decode("unit_name", as: String?.self),
                        unitCode: try row.decode("unit_code", as: String?.self),
                        referral: try row.decode("referral", as: String?.self))
            }
        }
    }

    /// Imports lines (one transaction): new codes are added, known codes take the file's name, kind, unit
    /// and referral. A regional line's unit must be a county unit on record. Lines are never removed
    /// (calls name them); any problem rolls the whole file back.
    public func importSubLines(_ rows: [SubLineRow]) throws -> SubLineImportReport {
        try pool.withConnection { db in
            try db.transaction { tx in
                var report = SubLineImportReport()
                for (index, row) in rows.enumerated() {
                    let line = "row \(index + 1) (\(row.code))"
                    var unitID: Int64?
                    if let unitCode = row.unitCode {
                        guard let unit = try tx.query("SELECT id, level FROM units WHERE code = \(unitCode)").first else {
                            throw UnknownReference(field: line, message: "unit \(unitCode) is not in the database")
                        }
                        guard try unit.decode("level", as: String.self) == UnitLevel.county.rawValue else {
                            throw UnknownReference(field: line, message: "a regional line belongs to a county unit")
                        }
                        unitID = try unit.decode("id", as: Int64.self)
                    }
                    let existing = try tx.query("""
                        SELECT name = \(row.name) AND kind = \(row.kind.rawValue) AND unit_id IS NOT DISTINCT FROM \(unitID)::bigint
                               AND referral IS NOT DISTINCT FROM \(row.referral)::text AS same
                        FROM sub_lines WHERE code = \(row.code)
                        """).first
                    try tx.execute("""
                        INSERT INTO sub_lines (code, name, kind, unit_id, referral, position)
                        VALUES (\(row.code), \(row.name), \(row.kind.rawValue), \(unitID), \(row.referral), \(Int32(index + 100)))
                        ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, unit_id = excluded.unit_id,
                            referral = excluded.referral, position = excluded.position
                        """)
                    switch try existing?.decode("same", as: Bool.self) {
                    case nil: report.created += 1
                    case true?: report.unchanged += 1
                    case false?: report.changed += 1
                    }
                }
                return report
            }
        }
    }
}
