import Foundation
import HuiyinCore
import Postgres

/// A member of staff as an authenticated request sees her.
public struct StaffUser: Sendable, Equatable {
    public let id: Int64
    public let username: String
    public let displayName: String
    public let unitID: Int64
    public let role: StaffRole
}

public struct Unit: Sendable, Equatable {
    public let id: Int64
    public let parentID: Int64?
    public let level: String
    public let code: String
    public let name: String
}

extension Store {
    /// The user behind an API token, or nil for an unknown or revoked token.
    public func authenticate(token: String) throws -> StaffUser? {
        let digest = Secrets.digest(token)
        let at = now()
        if let known = tokenCache.user(for: digest, at: at) { return known }
        let user = try pool.withConnection { db in
            try db.query("""
                SELECT u.id, u.username, u.display_name, u.unit_id, u.role
                FROM api_tokens t JOIN users u ON u.id = t.user_id
                WHERE t.token_hash = \(digest) AND t.revoked_at IS NULL
                """).first.map(Self.staffUser)
        }
        if let user { tokenCache.remember(user, for: digest, at: at) }
        return user
    }

    /// Creates a user in the unit with `unitCode` and returns her with a new API token (shown once).
    public func addUser(username: String, displayName: String, unitCode: String, role: StaffRole,
                        furtherGridCodes: [String] = []) throws -> (StaffUser, String) {
        let token = Secrets.newToken()
        let digest = Secrets.digest(token)
        let at = now()
        let user = try pool.withConnection { db in
            try db.transaction { tx -> StaffUser in
                guard let unit = try tx.query("SELECT id, level FROM units WHERE code = \(unitCode)").first else {
                    throw UnknownReference(field: "unit", message: "no unit with code \(unitCode)")
                }
                let unitID = try unit.decode("id", as: Int64.self)
                if role.worksInGrids, try unit.decode("level", as: String.self) != UnitLevel.grid.rawValue {
                    throw UnknownReference(field: "unit", message: "a \(role.rawValue) sits at a grid; \(unitCode) is not one")
                }
                let row = try tx.query("""
                    INSERT INTO users (username, display_name, unit_id, role, created_at)
                    VALUES (\(username), \(displayName), \(unitID), \(role.rawValue), \(at))
                    RETURNING id, username, display_name, unit_id, role
                    """).first!
                let user = try Self.staffUser(row)
                if role.worksInGrids {   // her own grid is the first assigned to her
                    try tx.execute("INSERT INTO staff_grids (user_id, grid_id) VALUES (\(user.id), \(unitID))")
                    try Self.assign(gridCodes: furtherGridCodes, to: user.id, tx)
                } else if !furtherGridCodes.isEmpty {
                    throw UnknownReference(field: "grid", message: "only a grid worker or an information officer is assigned grids")
                }
                try tx.execute("INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES (\(user.id), \(digest), \(at))")
                return user
            }
        }
        return (user, token)
    }

    /// Adds a unit under `parentCode` (nil for a root). Returns the existing unit if the code is taken.
    @discardableResult
    public func addUnit(code: String, name: String, level: String, parentCode: String?) throws -> Unit {
        try pool.withConnection { db in
            let row = try db.query("""
                INSERT INTO units (parent_id, level, code, name)
                VALUES ((SELECT id FROM units WHERE code = \(parentCode)), \(level), \(code), \(name))
                ON CONFLICT (code) DO UPDATE SET name = units.name
                RETURNING id, parent_id, level, code, name
                """).first!
            return try Self.unit(row)
        }
    }

    /// The root of the tree (where public petitions land unless they name a unit).
    public func rootUnit() throws -> Unit? {
        try pool.withConnection { db in
            try db.query("SELECT id, parent_id, level, code, name FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1")
                .first.map(Self.unit)
        }
    }

    static func staffUser(_ row: PostgresRow) throws -> StaffUser {
        StaffUser(id: try row.decode("id"), username: try row.decode("username"),
                  displayName: try row.decode("display_name"), unitID: try row.decode("unit_id"),
                  role: try row.decode("role"))
    }

    static func unit(_ row: PostgresRow) throws -> Unit {
        Unit(id: try row.decode("id"), parentID: try row.decode("parent_id", as: Int64?.self),
             level: try row.decode("level"), code: try row.decode("code"), name: try row.decode("name"))
    }
}

extension Store {
    public func parentUnit(of id: Int64) throws -> Int64? {
        try pool.withConnection { db in
            try db.query("SELECT parent_id FROM units WHERE id = \(id)").first?.decode("parent_id", as: Int64?.self)
        }
    }

    public func unitName(_ id: Int64) throws -> String {
        try pool.withConnection { db in
            try db.query("SELECT name FROM units WHERE id = \(id)").first?.decode("name", as: String.self) ?? ""
        }
    }
}
