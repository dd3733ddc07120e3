import Foundation
import Postgres

/// The PostgreSQL that `ops/test.sh` started for this run, from the HUIYIN_DB_* variables.
/// Tests that need it fail (not skip) when it is missing: a suite that silently skips proves nothing.
public enum TestDatabase {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "HUIYIN_DB_* not set: run the tests through ops/test.sh" }
    }

    public static func configuration(statementTimeoutMilliseconds: Int = 5_000) throws -> PostgresConfiguration {
        let env = ProcessInfo.processInfo.environment
        guard let port = env["HUIYIN_DB_PORT"].flatMap({ Int($0) }), let name = env["HUIYIN_DB_NAME"] else { throw Missing() }
        return PostgresConfiguration(host: env["HUIYIN_DB_HOST"] ?? "127.0.0.1", port: port, database: name,
                                     user: env["HUIYIN_DB_USER"] ?? "postgres", password: env["HUIYIN_DB_PASSWORD"],
                                     applicationName: "huiyin-tests",
                                     statementTimeoutMilliseconds: statementTimeoutMilliseconds)
    }

    public static func connect() throws -> PostgresConnection {
        try PostgresConnection(configuration: configuration())
    }

    /// A port nobody listens on, for "database down" tests.
    public static func deadConfiguration() throws -> PostgresConfiguration {
        var config = try configuration()
        config.port = freePort()
        config.connectTimeoutSeconds = 1
        return config
    }

    /// The repository root (for `sql/` and the built binary).
    public static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }

    /// A TCP port that was free a moment ago.
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                bind(fd, pointer, length)
                return getsockname(fd, pointer, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
