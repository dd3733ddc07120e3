/// A request head the server refuses before any handler sees it (RFC 9112), answered 400 and closed.
public enum MalformedRequest: Sendable, Equatable {
    /// HTTP/1.1 requires exactly one `Host` header (RFC 9112 §3.2).
    case missingHost
    /// Several `Content-Length` values that differ, or one that is not a number: a proxy that reads another
    /// one than we do would see a different request boundary (request smuggling, RFC 9112 §6.3).
    case invalidContentLength

    public var message: String {
        switch self {
        case .missingHost: return "An HTTP/1.1 request must carry a Host header."
        case .invalidContentLength: return "The request has conflicting or invalid Content-Length headers."
        }
    }

    static func find(version: String, headers: [String: String], contentLengths: [String]) -> MalformedRequest? {
        if version == "HTTP/1.1", headers["host"] == nil { return .missingHost }
        if !contentLengths.isEmpty {
            // "5, 5" and two "5" headers are the same length; anything else is refused.
            let values = contentLengths.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
            guard values.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
                  Set(values).count == 1 else { return .invalidContentLength }
        }
        return nil
    }
}
