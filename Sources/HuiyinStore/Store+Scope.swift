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
         OR (v.role = 'supervisor' AND cu.id <> v.unit_id))
        """
}

extension PostgresQuery.StringInterpolation {
    /// `v (id, unit_id, role)`: the user asking, as a relation the scope fragments refer to.
    mutating func appendInterpolation(viewer user: StaffUser) {
        appendLiteral("v AS (SELECT ")
        appendInterpolation(user.id)
        appendLiteral("::bigint AS id, ")
        appendInterpolation(user.unitID)
        appendLiteral("::bigint AS unit_id, ")
        appendInterpolation(user.role)
        appendLiteral("::text AS role)")
    }
}
