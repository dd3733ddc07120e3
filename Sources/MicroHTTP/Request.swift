/// One HTTP request as the application sees it: head, body and the path parameters the router found.
/// Lives on the worker thread that serves it; never shared.
public final class Request {
    public let method: String
    /// The path without the query string, percent-decoded.
    public let path: String
    /// Headers with lower-cased names (the last value wins for repeated names).
    public let headers: [String: String]
    /// Query arguments, percent-decoded.
    public let query: [String: String]
    public let remoteAddress: String
    public internal(set) var body: [UInt8] = []
    /// Filled by the application's router; empty until then.
    public var pathParameters: [String: String] = [:]

    public init(method: String, path: String, headers: [String: String] = [:], query: [String: String] = [:],
                remoteAddress: String = "", body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.headers = headers
        self.query = query
        self.remoteAddress = remoteAddress
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The declared body length, if the client sent one.
    public var contentLength: Int? { header("content-length").flatMap { Int($0) } }
}
