import Foundation

/// A response that does not agree with the API contract: the route, the status and every violation.
public struct ContractViolation: Error, CustomStringConvertible {
    public let description: String
}

/// The API contract (`Sources/HuiyinWeb/openapi.json`, read from the repository as the tests run)
/// and the check of one response against the documented operation: the status must be documented
/// (or `default`), the content type one the operation lists, a JSON body valid against its schema,
/// and a body-less answer (204) empty. A path the document does not know, or a method it does not
/// list, must answer the generic error (`#/components/schemas/Error`).
public final class OpenAPIContract: Sendable {
    public let document: JSONValue
    let validator: JSONSchemaValidator
    /// Path templates split into segments ("{id}" a parameter), as the router matches them.
    let templates: [(template: String, segments: [Substring])]

    public init(document: JSONValue) {
        self.document = document
        validator = JSONSchemaValidator(document: document)
        templates = (document["paths"]?.objectValue ?? [:]).keys.sorted().map { ($0, $0.split(separator: "/")) }
    }

    public convenience init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        self.init(document: try JSONValue.parse(Array(data)))
    }

    public static let fileURL = TestDatabase.repositoryRoot.appendingPathComponent("Sources/HuiyinWeb/openapi.json")

    /// The repository's contract, read once.
    public static let repository: Result<OpenAPIContract, Error> = Result { try OpenAPIContract(contentsOf: fileURL) }

    /// Paths whose answers the contract describes: the JSON API and the operations endpoints.
    public static func describes(_ path: String) -> Bool {
        let path = String(path.prefix { $0 != "?" })
        return path == "/api" || path.hasPrefix("/api/") || ["/healthz", "/readyz", "/metrics"].contains(path)
    }

    /// The documented template a concrete path falls under (a literal segment beats a parameter).
    public func template(for path: String) -> String? {
        let parts = String(path.prefix { $0 != "?" }).split(separator: "/")
        var best: (template: String, segments: [Substring])?
        for candidate in templates where candidate.segments.count == parts.count {
            guard zip(candidate.segments, parts).allSatisfy({ $0.first == "{" || $0 == $1 }) else { continue }
            if let current = best {
                let firstDifference = zip(candidate.segments, current.segments).first { $0 != $1 }
                if let (mine, theirs) = firstDifference, mine.first != "{", theirs.first == "{" { best = candidate }
            } else {
                best = candidate
            }
        }
        return best?.template
    }

    /// Every way the response breaks the contract; empty when it conforms.
    public func violations(method: String, path: String, status: Int, contentType: String?, body: [UInt8]) -> [String] {
        let method = method.uppercased()
        guard let template = template(for: path),
              let operation = document["paths"]?[template]?[method == "HEAD" ? "get" : method.lowercased()] else {
            // An undocumented path or method: a deliberate probe, answered by the generic error.
            var problems: [String] = []
            if status < 400 { problems.append("status \(status) for an undocumented operation (expected an error)") }
            problems += check(body: body, contentType: contentType, method: method,
                              content: ["application/json": .object(["schema": .object(["$ref": .string("#/components/schemas/Error")])])])
            return problems
        }
        guard let responses = operation["responses"]?.objectValue else { return ["the operation documents no responses"] }
        let documented = responses["\(status)"] ?? responses["\(status / 100)XX"] ?? responses["default"]
        guard var response = documented else {
            return ["status \(status) is not documented (documented: \(responses.keys.sorted().joined(separator: ", ")))"]
        }
        if let reference = response["$ref"]?.stringValue {
            guard let target = validator.resolve(reference) else { return ["unresolvable $ref \(reference)"] }
            response = target
        }
        return check(body: body, contentType: contentType, method: method, content: response["content"]?.objectValue ?? [:])
    }

    private func check(body: [UInt8], contentType: String?, method: String, content: [String: JSONValue]) -> [String] {
        if content.isEmpty {
            return body.isEmpty ? [] : ["a body of \(body.count) bytes where the contract documents none"]
        }
        guard let contentType else { return ["no Content-Type (documented: \(content.keys.sorted().joined(separator: ", ")))"] }
        let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let entry = content[media] else {
            return ["Content-Type \(contentType) is not documented (documented: \(content.keys.sorted().joined(separator: ", ")))"]
        }
        guard method != "HEAD", media == "application/json" || media.hasSuffix("+json"), let schema = entry["schema"] else { return [] }
        let value: JSONValue
        do { value = try JSONValue.parse(body) } catch { return ["the body is not JSON: \(error)"] }
        return validator.validate(value, against: schema).map(\.description)
    }

    /// Throws a `ContractViolation` naming the route, status and each JSON pointer when the response
    /// to `method path` breaks the contract.
    public static func check(method: String, path: String, status: Int, headers: [String: String], body: [UInt8]) throws {
        guard describes(path) else { return }
        let contract = try repository.get()
        let problems = contract.violations(method: method, path: path, status: status, contentType: headers["content-type"], body: body)
        guard !problems.isEmpty else { return }
        let route = contract.template(for: path).map { "\(method) \($0)" } ?? "\(method) \(path.prefix { $0 != "?" }) (undocumented)"
        throw ContractViolation(description: "\(route) answered \(status), which breaks the API contract "
            + "(Sources/HuiyinWeb/openapi.json):\n  " + problems.joined(separator: "\n  ")
            + "\n  body: \(String(decoding: body.prefix(600), as: UTF8.self))")
    }
}
