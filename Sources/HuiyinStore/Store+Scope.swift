import HuiyinCore
import Postgres

/// Who may see what, written once as SQL and used by every list, read, search, export and count.
///
/// Queries start with `WITH \(viewer: user)`, which binds the user as the one-row relation `v`, join
/// the case `c` to its unit `cu`, and then say `WHERE \(unescaped: Scope.inScope)`. Scope is decided
/// in the database, never by filtering rows afterwards.
enum Scope {
    /// Her unit and its subtree: the case's unit has hers among its ancestors (or is hers).
    static let inScope = "cu.path @> ARRAY[v.unit_id]"

    /// May she open the case (not just see its masked row)? A sealed case opens only to its handler,
    /// its owning leader and the supervisors of the units above the case's unit. (Never NULL: an
    /// unassigned handler must not turn the whole test into "unknown".)
    static let opened = """
        (NOT c.sealed OR c.handler_id IS NOT DISTINCT FROM v.id OR c.leader_id IS NOT DISTINCT FROM v.id
         OR (v.is_supervisor AND cu.id <> v.unit_id))
        """
}

extension PostgresQuery.StringInterpolation {
    /// `v (id, unit_id, role, is_supervisor)`: the user asking, as a relation the scope fragments refer to.
    mutating func appendInterpolation(viewer user: StaffUser) {
        appendLiteral("v AS (SELECT ")
        appendInterpolation(user.id)
        appendLiteral("::bigint AS id, ")
        appendInterpolation(user.unitID)
        appendLiteral("::bigint AS unit_id, ")
        appendInterpolation(user.role)
        appendLiteral("::text AS role, ")
        appendInterpolation(user.role == .supervisor)
        appendLiteral("::bool AS is_supervisor)")
    }
}

extension Store {
    /// True if the unit exists and is neither hers nor below hers.
    public func unitIsOutsideScope(_ id: Int64, of user: StaffUser) throws -> Bool {
        try pool.withConnection { db in
            try !db.query("SELECT 1 AS x FROM units WHERE id = \(id) AND NOT path @> ARRAY[\(user.unitID)::bigint]").isEmpty
        }
    }

    /// True if the case exists and lies in her unit's subtree.
    public func caseIsInScope(_ id: Int64, of user: StaffUser) throws -> Bool {
        try pool.withConnection { db in
            try !db.query("""
                SELECT 1 AS x FROM cases c JOIN units cu ON cu.id = c.unit_id
                WHERE c.id = \(id) AND cu.path @> ARRAY[\(user.unitID)::bigint]
                """).isEmpty
        }
    }
}
