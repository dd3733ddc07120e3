import ArgumentParser
import Foundation
import HuiyinCore
import HuiyinMigrations
import HuiyinStore
import Logging
import Postgres

/// Reads a default from the environment, so every option has a HUIYIN_* twin.
enum Environment {
    static func string(_ name: String) -> String? { ProcessInfo.processInfo.environment[name] }
    static func int(_ name: String) -> Int? { string(name).flatMap { Int($0) } }
}

/// Where the database is. The password is read only from HUIYIN_DB_PASSWORD (a flag would show in `ps`).
struct DatabaseOptions: ParsableArguments {
    @Option(help: "PostgreSQL host, or a comma-separated list of a formation's hosts: the primary among them is used (HUIYIN_DB_HOST).")
    var dbHost: String = Environment.string("HUIYIN_DB_HOST") ?? "127.0.0.1"
    @Option(help: "PostgreSQL port, or one per host, comma-separated (HUIYIN_DB_PORT).")
    var dbPort: String = Environment.string("HUIYIN_DB_PORT") ?? "5432"
    @Option(help: "Database name (HUIYIN_DB_NAME).")
    var dbName: String = Environment.string("HUIYIN_DB_NAME") ?? "huiyin"
    @Option(help: "Database user (HUIYIN_DB_USER).")
    var dbUser: String = Environment.string("HUIYIN_DB_USER") ?? "huiyin"
    @Option(help: "Role the server works as after connecting; empty to keep the login's own (HUIYIN_DB_ROLE).")
    var dbRole: String = Environment.string("HUIYIN_DB_ROLE") ?? "huiyin_app"
    @Option(help: "Statement timeout in milliseconds (HUIYIN_STATEMENT_TIMEOUT_MS).")
    var statementTimeoutMs: Int = Environment.int("HUIYIN_STATEMENT_TIMEOUT_MS") ?? 5_000
    @Option(help: "Folder of numbered migration files, for development (HUIYIN_SQL_DIR); by default those built into the binary.")
    var sqlDir: String? = Environment.string("HUIYIN_SQL_DIR")
    @Option(help: "Time zone in which days are counted (HUIYIN_TIME_ZONE).")
    var timeZone: String = Environment.string("HUIYIN_TIME_ZONE") ?? "Asia/Shanghai"
    @Option(help: "Region whose local holidays apply on top of the national calendar; empty for none (HUIYIN_REGION).")
    var region: String = Environment.string("HUIYIN_REGION") ?? ""
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (HUIYIN_LOG_LEVEL).")
    var logLevel: String = Environment.string("HUIYIN_LOG_LEVEL") ?? "info"

    /// The servers named by --db-host and --db-port (one port for all, or one per host).
    var servers: [PostgresServer]? {
        let hosts = dbHost.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let ports = dbPort.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !hosts.isEmpty, !hosts.contains(""), ports.count == 1 || ports.count == hosts.count,
              ports.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 0) < 65536 }) else { return nil }
        return hosts.enumerated().map { PostgresServer(host: $1, port: ports[ports.count == 1 ? 0 : $0]!) }
    }

    var postgres: PostgresConfiguration {
        let servers = self.servers ?? [PostgresServer(host: dbHost, port: 5432)]
        var configuration = PostgresConfiguration(host: servers[0].host, port: servers[0].port, database: dbName, user: dbUser,
                                                  password: Environment.string("HUIYIN_DB_PASSWORD"), applicationName: "huiyin",
                                                  statementTimeoutMilliseconds: statementTimeoutMs)
        configuration.otherServers = Array(servers.dropFirst())
        return configuration
    }

    /// The server's connections: as the application role, which cannot rewrite history.
    var applicationPostgres: PostgresConfiguration {
        var configuration = postgres
        configuration.role = dbRole.isEmpty ? nil : dbRole
        return configuration
    }

    func validate() throws {
        guard servers != nil else {
            throw ValidationError("--db-host is a host or comma-separated hosts; --db-port one port, or one per host")
        }
        guard dbRole.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw ValidationError("a role name is letters, digits and _")
        }
        guard TimeZone(identifier: timeZone) != nil else { throw ValidationError("unknown time zone \(timeZone)") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown log level \(logLevel)") }
    }

    @Option(help: "Province profile overriding clock limits, lines like `acceptance = 5wd` (HUIYIN_RULES).")
    var rules: String? = Environment.string("HUIYIN_RULES")

    /// A store over the login's own privileges (admin commands), or the application role's (`asApplication`).
    func makeStore(poolSize: Int, asApplication: Bool = false) throws -> Store {
        var ruleSet = RuleSet.regulation2022
        if let rules {
            switch ruleSet.applying(profile: try String(contentsOfFile: rules, encoding: .utf8)) {
            case .success(let applied): ruleSet = applied
            case .failure(let error): throw ValidationError("\(rules):\n\(error)")
            }
        }
        return Store(pool: PostgresPool(configuration: asApplication ? applicationPostgres : postgres, size: poolSize), timeZone: TimeZone(identifier: timeZone)!,
                     rules: ruleSet, region: region, now: InjectedClock.fromEnvironment())
    }

    func migrator() throws -> Migrator {
        guard let sqlDir else {
            return Migrator(migrations: try Migration.named(EmbeddedMigrations.files))
        }
        return Migrator(migrations: try Migration.load(from: sqlDir))
    }

    func bootstrapLogging() -> Logger {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "huiyin")
    }
}

/// For browser tests only: with HUIYIN_CLOCK_FILE set, "now" is the ISO-8601 time written in that
/// file (the real time while it is missing or empty), so a test can let days pass for a running server
/// and for `huiyin sweep`. Unset in production.
enum InjectedClock {
    static func fromEnvironment() -> @Sendable () -> Date {
        guard let path = Environment.string("HUIYIN_CLOCK_FILE"), !path.isEmpty else { return { Date() } }
        return {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let date = try? Date(text.trimmingCharacters(in: .whitespacesAndNewlines), strategy: .iso8601) else { return Date() }
            return date
        }
    }
}
