import HuiyinCore
import Postgres

/// One column a statement writes: its name, its SQL type, and the value a row gives it (PostgreSQL text
/// form, nil for NULL). Written once, it builds both a many-row `unnest` and a one-row list of values.
struct WrittenColumn<Row>: Sendable {
    let name: String
    let type: String
    let value: @Sendable (Row) -> String?

    init(_ name: String, _ type: String, _ value: @escaping @Sendable (Row) -> String?) {
        self.name = name
        self.type = type
        self.value = value
    }

    /// The same column, its value taken from a part of a larger row.
    func from<Whole>(_ part: @escaping @Sendable (Whole) -> Row) -> WrittenColumn<Whole> {
        let value = self.value
        return WrittenColumn<Whole>(name, type) { value(part($0)) }
    }
}

/// Columns described once, and the SQL built from them (values always bound, never spliced).
struct WrittenColumns<Row>: Sendable {
    let columns: [WrittenColumn<Row>]

    init(_ columns: [WrittenColumn<Row>]) { self.columns = columns }

    /// `a, b, c`: for a column list, or for selecting the same names from an `unnest` alias.
    var names: String { columns.map(\.name).joined(separator: ", ") }

    /// `unnest($1::t1[], $2::t2[], …) WITH ORDINALITY AS alias(a, b, …, ord)`: one array bind per column.
    func unnest(_ rows: [Row], as alias: String) -> PostgresQuery {
        var sql = "unnest("
        var binds: [PostgresBind] = []
        binds.reserveCapacity(columns.count)
        for column in columns {
            let array = PostgresTextArray(rows.map(column.value))
            binds.append(PostgresBind(typeOID: PostgresTextArray.postgresTypeOID, value: array.postgresValue))
            sql += (binds.count == 1 ? "$" : ", $") + String(binds.count) + "::" + column.type + "[]"
        }
        sql += ") WITH ORDINALITY AS " + alias + "(" + names + ", ord)"
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    /// `$1::t1, $2::t2, …`: one row's values, in the order of `names`.
    func values(_ row: Row) -> PostgresQuery {
        var sql = ""
        var binds: [PostgresBind] = []
        for column in columns {
            binds.append(PostgresBind(typeOID: 25, value: column.value(row).map { .text($0) } ?? .null))
            sql += (binds.count == 1 ? "$" : ", $") + String(binds.count) + "::" + column.type
        }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}
