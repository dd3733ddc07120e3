import ArgumentParser
import Postgres

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending migrations from the sql folder (safe to run twice, or from two processes at once).")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let logger = database.bootstrapLogging()
        let migrator = try database.migrator()
        let connection = try PostgresConnection(configuration: database.postgres)
        let applied = try migrator.migrate(connection)
        logger.notice("migrated", metadata: ["applied": "\(applied.count)", "names": "\(applied.joined(separator: ","))",
                                             "known": "\(migrator.migrations.count)"])
        // The holiday notices shipped with this release, for years not loaded yet.
        let years = try database.makeStore(poolSize: 1).importShippedNotices()
        if !years.isEmpty { logger.notice("calendar imported", metadata: ["years": "\(years.map(String.init).joined(separator: ","))"]) }
    }
}
