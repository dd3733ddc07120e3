/// A failure talking to PostgreSQL. Its description names the SQLSTATE and the constraint,
/// never a bound value and never server text that could quote one.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// Could not connect, or the connection broke (server restart, network).
        case connection
        /// The server refused a statement; see `sqlState`.
        case server
        /// Every pooled connection stayed busy past the acquire timeout.
        case poolExhausted
        /// A value could not be read as the requested Swift type.
        case decoding
        /// A text parameter holds U+0000, which PostgreSQL text cannot store (libpq would cut it there);
        /// refused before sending so nothing is stored other than what was given.
        case nulInText
    }

    public let kind: Kind
    public let sqlState: String?
    public let constraint: String?
    /// The server's message, kept only for SQLSTATE classes whose messages never quote data
    /// (schema and syntax errors, connection and resource problems).
    public let safeMessage: String?

    public init(kind: Kind, sqlState: String? = nil, constraint: String? = nil, safeMessage: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.constraint = constraint
        self.safeMessage = safeMessage
    }

    /// Worth a 503 and a retry: the database is away or overloaded, not the request wrong.
    public var isTransient: Bool {
        switch kind {
        case .connection, .poolExhausted: return true
        case .decoding, .nulInText: return false
        case .server:
            guard let sqlState else { return false }
            return sqlState.hasPrefix("08") || sqlState.hasPrefix("57P") || sqlState == "53300"
                || sqlState == "40001" || sqlState == "40P01"
        }
    }

    public var isUniqueViolation: Bool { sqlState == "23505" }

    public var description: String {
        var text = "PostgreSQL \(kind)"
        if let sqlState { text += " SQLSTATE \(sqlState)" }
        if let constraint { text += " constraint \(constraint)" }
        if let safeMessage { text += ": \(safeMessage)" }
        return text
    }

    static func messageIsSafe(forSQLState state: String) -> Bool {
        ["08", "42", "53", "57", "55", "3D", "3F", "0A", "25", "40"].contains { state.hasPrefix($0) }
            && state != "42804"  // datatype_mismatch can echo a value
    }
}
