import Foundation
import Postgres

/// Which list a spreadsheet export came from.
public enum ExportList: String, Sendable {
    case cases, clocks, households
    case monthlyReport = "monthly_report"
}

/// One recorded export, as the audit shows it.
public struct ExportRecord: Sendable {
    public let id: Int64
    public let userID: Int64
    public let at: Date
    public let list: ExportList
    /// The filter as given: `name=value` pairs of the request.
    public let filterJSON: String
    public let rowCount: Int
}

extension Store {
    /// Records an export (who, when, which list and filter, how many rows) in the append-only
    /// `exports` table. Called after the rows are read and before any is sent: an export that cannot
    /// be recorded is not served.
    public func recordExport(_ list: ExportList, filter: [(String, String)], rowCount: Int, by user: StaffUser) throws {
        let at = now()
        _ = try pool.withConnection { db in
            try db.execute("""
                INSERT INTO exports (user_id, at, list, filter, row_count)
                VALUES (\(user.id), \(at), \(list.rawValue),
                        coalesce((SELECT jsonb_object_agg(k, v) FROM unnest(\(PostgresTextArray(filter.map(\.0))),
                                                                          \(PostgresTextArray(filter.map(\.1)))) AS f(k, v)), '{}'),
                        \(rowCount))
                """)
        }
    }

    /// A user's exports, newest first (for the audit and its tests).
    public func exports(by userID: Int64, limit: Int = 100) throws -> [ExportRecord] {
        try pool.withConnection { db in
            try db.query("""
                SELECT id, user_id, at, list, filter::text AS filter, row_count FROM exports
                WHERE user_id = \(userID) ORDER BY id DESC LIMIT \(limit)
                """).rows.map { row in
                ExportRecord(id: try row.decode("id"), userID: try row.decode("user_id"), at: try row.decode("at"),
                             list: ExportList(rawValue: try row.decode("list")) ?? .cases, filterJSON: try row.decode("filter"),
                             rowCount: try row.decode("row_count"))
            }
        }
    }
}
