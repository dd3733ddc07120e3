import Foundation

extension Request {
    /// Cookies sent with the request (`Cookie: a=1; b=2`).
    public var cookies: [String: String] {
        guard let header = header("cookie") else { return [:] }
        var cookies: [String: String] = [:]
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, cookies[parts[0]] == nil { cookies[parts[0]] = parts[1] }
        }
        return cookies
    }

    /// The fields of an `application/x-www-form-urlencoded` body (the first value of a repeated name wins).
    /// Nil if the body is not such a form or is not valid UTF-8 after decoding.
    public func formFields() -> [String: String]? {
        guard header("content-type")?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false,
              let text = String(bytes: body, encoding: .utf8) else { return nil }
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.formDecode(parts[0]), let value = Self.formDecode(parts.count > 1 ? parts[1] : "") else { return nil }
            if fields[name] == nil { fields[name] = value }
        }
        return fields
    }

    private static func formDecode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
