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

    public init(host: String = "127.0.0.1", port: Int = 5432, database: String, user: String,
                password: String? = nil, applicationName: String = "swift-postgres",
                connectTimeoutSeconds: Int = 5, statementTimeoutMilliseconds: Int = 5_000) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
    }

    /// Keywords for `PQconnectdbParams`. Sessions run in UTC with ISO dates so that
    /// timestamps read back in one known text form.
    var connectionParameters: [(String, String)] {
        var parameters: [(String, String)] = [
            ("host", host), ("port", String(port)), ("dbname", database), ("user", user),
            ("application_name", applicationName), ("connect_timeout", String(connectTimeoutSeconds)),
            ("client_encoding", "UTF8"),
            ("options", "-c statement_timeout=\(statementTimeoutMilliseconds) -c TimeZone=UTC -c DateStyle=ISO"),
        ]
        if let password { parameters.append(("password", password)) }
        return parameters
    }
}
