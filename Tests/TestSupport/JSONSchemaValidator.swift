import Foundation

/// One place where a value breaks its schema: the JSON pointer into the value, and what is wrong.
public struct SchemaViolation: Equatable, Sendable, CustomStringConvertible {
    public let pointer: String
    public let message: String
    public var description: String { "\(pointer.isEmpty ? "/" : pointer): \(message)" }
}

/// The subset of JSON Schema (2020-12, as OpenAPI 3.1 uses it) that the contract is written in.
/// A constraining keyword outside the subset is reported as a violation, so the document cannot
/// promise something that nothing checks.
public struct JSONSchemaValidator: Sendable {
    /// The document `$ref`s point into (`#/components/schemas/...`).
    public let document: JSONValue

    public init(document: JSONValue) { self.document = document }

    /// Words that only describe; they constrain nothing.
    static let annotations: Set<String> = ["description", "examples", "example", "default", "title", "deprecated",
                                           "readOnly", "writeOnly", "$comment"]
    static let checked: Set<String> = ["$ref", "type", "properties", "required", "additionalProperties", "enum", "const",
                                       "unevaluatedProperties", "items", "oneOf", "anyOf", "allOf", "format", "minimum", "maximum",
                                       "minLength", "maxLength", "minItems", "maxItems"]

    public func validate(_ value: JSONValue, against schema: JSONValue, at pointer: String = "") -> [SchemaViolation] {
        var out: [SchemaViolation] = []
        func fail(_ message: String, _ at: String = pointer) { out.append(SchemaViolation(pointer: at, message: message)) }
        if case .bool(let allowed) = schema {
            if !allowed { fail("no value is allowed here") }
            return out
        }
        guard let keywords = schema.objectValue else { fail("the schema is not an object: \(schema)"); return out }
        for keyword in keywords.keys where !Self.annotations.contains(keyword) && !Self.checked.contains(keyword) {
            fail("the schema uses \(keyword), which the contract validator does not check")
        }
        if let reference = keywords["$ref"]?.stringValue {
            if let target = resolve(reference) { out += validate(value, against: target, at: pointer) }
            else { fail("unresolvable $ref \(reference)") }
        }
        if let type = keywords["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? type.stringValue.map { [$0] } ?? []
            let actual = value.schemaType
            if !allowed.contains(actual) && !(actual == "integer" && allowed.contains("number")) {
                fail("expected \(allowed.joined(separator: " or ")), got \(actual) \(Self.excerpt(value))")
                return out  // the other keywords would only repeat it
            }
        }
        if let options = keywords["enum"]?.arrayValue, !options.contains(value) {
            fail("\(Self.excerpt(value)) is not one of \(options.map(\.description).joined(separator: ", "))")
        }
        if let constant = keywords["const"], constant != value { fail("expected \(constant), got \(Self.excerpt(value))") }
        for keyword in ["allOf", "anyOf", "oneOf"] {
            guard let branches = keywords[keyword]?.arrayValue else { continue }
            let results = branches.map { validate(value, against: $0, at: pointer) }
            let passing = results.filter(\.isEmpty).count
            switch keyword {
            case "allOf": out += results.flatMap { $0 }
            case "anyOf" where passing == 0, "oneOf" where passing == 0:
                let nearest = results.min { $0.count < $1.count } ?? []
                fail("matches none of the \(keyword) branches; nearest: \(nearest.map(\.description).joined(separator: "; "))")
            case "oneOf" where passing > 1: fail("matches \(passing) oneOf branches, not exactly one")
            default: break
            }
        }
        switch value {
        case .object(let members):
            let properties = keywords["properties"]?.objectValue ?? [:]
            for name in keywords["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
                fail("required member \"\(name)\" is missing")
            }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                let at = pointer + "/" + Self.escape(name)
                if let property = properties[name] {
                    out += validate(member, against: property, at: at)
                } else if let additional = keywords["additionalProperties"] {
                    if case .bool(false) = additional { fail("member \"\(name)\" is not in the schema (additionalProperties: false)", at) }
                    else { out += validate(member, against: additional, at: at) }
                }
            }
            if let unevaluated = keywords["unevaluatedProperties"] {
                // What this schema evaluates apart from the keyword itself.
                let known = evaluatedMembers(of: value, by: .object(keywords.filter { $0.key != "unevaluatedProperties" }))
                for (name, member) in members.sorted(by: { $0.key < $1.key }) where !known.contains(name) {
                    let at = pointer + "/" + Self.escape(name)
                    if case .bool(false) = unevaluated { fail("member \"\(name)\" is not in the schema (unevaluatedProperties: false)", at) }
                    else { out += validate(member, against: unevaluated, at: at) }
                }
            }
        case .array(let elements):
            if let items = keywords["items"] {
                for (index, element) in elements.enumerated() { out += validate(element, against: items, at: pointer + "/\(index)") }
            }
            if case .number(let least)? = keywords["minItems"], Double(elements.count) < least { fail("fewer than \(Int(least)) items") }
            if case .number(let most)? = keywords["maxItems"], Double(elements.count) > most { fail("more than \(Int(most)) items") }
        case .number(let number):
            if case .number(let least)? = keywords["minimum"], number < least { fail("\(value) is below the minimum \(least)") }
            if case .number(let most)? = keywords["maximum"], number > most { fail("\(value) is above the maximum \(most)") }
        case .string(let text):
            let length = Double(text.unicodeScalars.count)
            if case .number(let least)? = keywords["minLength"], length < least { fail("shorter than \(Int(least)) characters") }
            if case .number(let most)? = keywords["maxLength"], length > most { fail("longer than \(Int(most)) characters") }
            if let format = keywords["format"]?.stringValue, let pattern = Self.formats[format],
               text.range(of: pattern, options: .regularExpression) == nil {
                fail("\(Self.excerpt(value)) is not a \(format)")
            }
        default: break
        }
        return out
    }

    /// The members of an object that a schema evaluates: all when it has `additionalProperties` or
    /// `unevaluatedProperties`, else those its `properties` name, and those of its `$ref` and of every `allOf`
    /// branch and every passing `anyOf`/`oneOf` branch (2020-12's annotation rule for the keyword).
    func evaluatedMembers(of value: JSONValue, by schema: JSONValue) -> Set<String> {
        guard let keywords = schema.objectValue, let members = value.objectValue else { return [] }
        // These two cover every member that nothing else does.
        if keywords["additionalProperties"] != nil || keywords["unevaluatedProperties"] != nil { return Set(members.keys) }
        var known = Set((keywords["properties"]?.objectValue ?? [:]).keys).intersection(members.keys)
        if let reference = keywords["$ref"]?.stringValue, let target = resolve(reference) {
            known.formUnion(evaluatedMembers(of: value, by: target))
        }
        for branch in keywords["allOf"]?.arrayValue ?? [] { known.formUnion(evaluatedMembers(of: value, by: branch)) }
        for keyword in ["anyOf", "oneOf"] {
            for branch in keywords[keyword]?.arrayValue ?? [] where validate(value, against: branch).isEmpty {
                known.formUnion(evaluatedMembers(of: value, by: branch))
            }
        }
        return known
    }

    /// Formats that are checked; others (uri, email) are annotations only.
    static let formats: [String: String] = [
        "date": #"^\d{4}-\d{2}-\d{2}$"#,
        "date-time": #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"#,
    ]

    /// A local reference (`#/a/b`) into the document.
    public func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        var node: JSONValue? = document
        for token in reference.dropFirst().split(separator: "/", omittingEmptySubsequences: true) {
            let name = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = node?[name]
        }
        return node
    }

    static func escape(_ name: String) -> String {
        name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    static func excerpt(_ value: JSONValue) -> String {
        let text = value.description
        return text.count > 60 ? String(text.prefix(57)) + "…" : text
    }
}
