/// One PostgreSQL server of a replicated formation.
public struct PostgresServer: Sendable, Equatable {
    public var host: String
    public var port: Int
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

/// Where and how to connect. Handed to libpq keyword by keyword (`PQconnectdbParams`),
/// so no value is ever spliced into a connection string.
public struct PostgresConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var database: String
    public var user: String
    public var password: String?
    public var applicationName: String
    public var connectTimeoutSeconds: Int
    /// A statement running longer is cancelled by the server (SQLSTATE 57014). 0 disables.
    public var statementTimeoutMilliseconds: Int
    /// A role the session switches to at connect time (`SET ROLE`), so a login that owns the schema
    /// can work with fewer privileges. Letters, digits and `_` only.
    public var role: String?
    /// Further servers of the same formation, tried in order after `host`:`port` (libpq's host list).
    /// With any, libpq accepts only a server that takes writes (`target_session_attrs=read-write`),
    /// so a new connection always lands on the current primary, wherever failover put it.
    public var otherServers: [PostgresServer] = []

    /// Every server, in the order they are tried.
    public var servers: [PostgresServer] { [PostgresServer(host: host, port: port)] + otherServers }

    public init(host: String = "127.0.0.1", port: Int = 5432, database: String, user: String,
                password: String? = nil, applicationName: String = "swift-postgres",
                connectTimeoutSeconds: Int = 5, statementTimeoutMilliseconds: Int = 5_000, role: String? = nil) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
        self.role = role
    }

    /// Keywords for `PQconnectdbParams`. Sessions run in UTC with ISO dates so that
    /// timestamps read back in one known text form.
    var connectionParameters: [(String, String)] {
        var options = "-c statement_timeout=\(statementTimeoutMilliseconds) -c TimeZone=UTC -c DateStyle=ISO"
        if let role {
            precondition(!role.isEmpty && role.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") },
                         "a role name is letters, digits and _")
            options += " -c role=\(role)"
        }
        let servers = self.servers
        precondition(servers.allSatisfy { !$0.host.contains(",") }, "a host name has no comma")
        var parameters: [(String, String)] = [
            ("host", servers.map(\.host).joined(separator: ",")),
            ("port", servers.map { String($0.port) }.joined(separator: ",")),
            ("dbname", database), ("user", user),
            ("application_name", applicationName), ("connect_timeout", String(connectTimeoutSeconds)),
            ("client_encoding", "UTF8"),
            ("options", options),
        ]
        if servers.count > 1 { parameters.append(("target_session_attrs", "read-write")) }
        if let password { parameters.append(("password", password)) }
        return parameters
    }
}
