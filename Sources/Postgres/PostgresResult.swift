/// The rows a statement returned, copied out of libpq (text format).
public struct PostgresResult: Sendable {
    public let columns: [String]
    let values: [[String?]]
    /// Rows touched by INSERT/UPDATE/DELETE (`PQcmdTuples`), 0 otherwise.
    public let affectedRows: Int

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }
    public var rows: [PostgresRow] { values.indices.map { PostgresRow(result: self, index: $0) } }
    public var first: PostgresRow? { values.isEmpty ? nil : PostgresRow(result: self, index: 0) }

    func columnIndex(_ name: String) -> Int? { columns.firstIndex(of: name) }
}

public struct PostgresRow: Sendable {
    let result: PostgresResult
    let index: Int

    /// The column's value; a NULL decodes only into an Optional.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let text = try raw(column) else { throw PostgresError(kind: .decoding) }
        return try T(postgresText: text)
    }

    public func decode<T: PostgresDecodable>(_ column: String, as type: T?.Type = T?.self) throws -> T? {
        guard let text = try raw(column) else { return nil }
        return try T(postgresText: text)
    }

    public func raw(_ column: String) throws -> String? {
        guard let position = result.columnIndex(column) else { throw PostgresError(kind: .decoding) }
        return result.values[index][position]
    }
}
