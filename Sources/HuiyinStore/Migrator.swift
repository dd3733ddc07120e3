import Crypto
import Foundation
import Postgres

/// One numbered SQL file from `sql/`, e.g. `001_intake.sql`.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    public var checksum: String { SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined() }

    /// Reads every `NNN_name.sql` in `directory`, ordered by number; two files with one number are an error.
    public static func load(from directory: String) throws -> [Migration] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".sql") }
        return try named(names.map { file in
            (String(file.dropLast(4)), try String(contentsOfFile: directory + "/" + file, encoding: .utf8))
        })
    }

    /// Migrations from `(NNN_name, SQL)` pairs (a folder's files, or those embedded in the binary), ordered by
    /// number; a name without its number, or two with one number, is an error.
    public static func named(_ files: [(name: String, sql: String)]) throws -> [Migration] {
        var migrations: [Migration] = []
        for (name, sql) in files {
            guard let underscore = name.firstIndex(of: "_"), let version = Int(name[..<underscore]) else {
                throw MigrationError(description: "\(name).sql: migration files are named NNN_description.sql")
            }
            migrations.append(Migration(version: version, name: name, sql: sql))
        }
        migrations.sort { $0.version < $1.version }
        for (a, b) in zip(migrations, migrations.dropFirst()) where a.version == b.version {
            throw MigrationError(description: "\(a.name) and \(b.name) share version \(a.version)")
        }
        return migrations
    }
}

public struct MigrationError: Error, CustomStringConvertible {
    public let description: String
}

/// Applies migrations in order, each in its own transaction, recorded in `schema_migrations`,
/// under an advisory lock so that two processes migrating at once apply each file once.
public struct Migrator: Sendable {
    /// Arbitrary constant naming this application's migration lock.
    static let lockKey: Int64 = 0x4855_4959_494E  // "HUIYIN"
    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations
    }

    /// Returns the names of the migrations it applied (empty when already current).
    @discardableResult
    public func migrate(_ connection: PostgresConnection) throws -> [String] {
        try connection.execute("SELECT pg_advisory_lock(\(Self.lockKey))")
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock(\(Self.lockKey))") }
        try connection.executeScript("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """)
        let applied = try appliedChecksums(connection)
        var done: [String] = []
        for migration in migrations {
            if let checksum = applied[migration.version] {
                guard checksum == migration.checksum else {
                    throw MigrationError(description: "\(migration.name) was changed after it was applied; add a new migration instead")
                }
                continue
            }
            try connection.transaction { tx in
                // A migration over a national history (an index on tens of millions of rows) outlasts the
                // statement timeout meant for requests; the advisory lock already keeps it to one process.
                try tx.execute("SET LOCAL statement_timeout = 0")
                try tx.executeScript(migration.sql)
                try tx.execute("""
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """)
            }
            done.append(migration.name)
        }
        return done
    }

    /// Names of migrations not yet applied (for readiness checks).
    public func pending(_ connection: PostgresConnection) throws -> [String] {
        let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        guard try exists.first?.decode("present", as: Bool.self) == true else { return migrations.map(\.name) }
        let applied = try appliedChecksums(connection)
        return migrations.filter { applied[$0.version] == nil }.map(\.name)
    }

    /// Migrations the database has that this binary does not know: a newer release has migrated it
    /// (a rolling deploy), as `NNN_name` in order.
    public func unknownApplied(_ connection: PostgresConnection) throws -> [String] {
        let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        guard try exists.first?.decode("present", as: Bool.self) == true else { return [] }
        let known = PostgresTextArray(migrations.map { String($0.version) })
        return try connection.query("""
            SELECT name FROM schema_migrations WHERE NOT (version = ANY(\(known)::int4[]))
            ORDER BY version
            """).rows.map { try $0.decode("name", as: String.self) }
    }

    private func appliedChecksums(_ connection: PostgresConnection) throws -> [Int: String] {
        var applied: [Int: String] = [:]
        for row in try connection.query("SELECT version, checksum FROM schema_migrations").rows {
            applied[try row.decode("version", as: Int.self)] = try row.decode("checksum", as: String.self)
        }
        return applied
    }
}

/// How the database's schema stands to the migrations this binary carries.
public struct SchemaState: Sendable, Equatable {
    /// Migrations this binary has and the database lacks: the schema is behind, the binary cannot work.
    public let pending: [String]
    /// Migrations the database has and this binary lacks: a newer release migrated it (rolling deploy).
    public let ahead: [String]

    public init(pending: [String], ahead: [String]) {
        self.pending = pending
        self.ahead = ahead
    }
}

extension Store {
    /// Migrations not yet applied and migrations this binary does not know, on one connection.
    /// Throws if the database is away.
    public func schemaState(_ migrator: Migrator) throws -> SchemaState {
        try pool.withConnection { SchemaState(pending: try migrator.pending($0), ahead: try migrator.unknownApplied($0)) }
    }
}
