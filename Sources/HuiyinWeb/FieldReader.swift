import HuiyinCore

/// Reads typed fields out of a JSON object, collecting every problem (wrong type, unknown field)
/// instead of stopping at the first, so a 422 can list them all.
struct FieldReader {
    private let members: [(String, JSON)]
    private let path: String
    private var seen: Set<String> = []
    private var missing: Set<String> = []
    private(set) var errors: [FieldError] = []

    /// nil (and an error on `path`) if `value` is not an object.
    init?(_ value: JSON, path: String = "", errors: inout [FieldError]) {
        guard case .object(let members) = value else {
            errors.append(FieldError(path.isEmpty ? "body" : path, "must be a JSON object"))
            return nil
        }
        self.members = members
        self.path = path
        // A repeated key is ambiguous (parsers disagree on which wins): refuse it rather than pick one.
        var keys = Set<String>(), reported = Set<String>()
        for (key, _) in members where !keys.insert(key).inserted && reported.insert(key).inserted {
            self.errors.append(FieldError(name(key), "appears more than once"))  // reported by finish()
        }
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    private mutating func value(_ key: String) -> JSON? {
        seen.insert(key)
        guard let found = members.first(where: { $0.0 == key })?.1 else { return nil }
        if case .null = found { return nil }
        return found
    }

    mutating func string(_ key: String) -> String? {
        guard let found = value(key) else { return nil }
        if case .string(let s) = found {
            // PostgreSQL text cannot hold U+0000 and libpq would cut the value there: refuse, never truncate.
            if s.utf8.contains(0) {
                errors.append(FieldError(name(key), "must not contain a NUL character (\\u0000)"))
                return nil
            }
            return s
        }
        errors.append(FieldError(name(key), "must be a string"))
        return nil
    }

    mutating func int(_ key: String) -> Int64? {
        guard let found = value(key) else { return nil }
        if case .int(let i) = found { return i }
        errors.append(FieldError(name(key), "must be an integer"))
        return nil
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let found = value(key) else { return nil }
        if case .bool(let b) = found { return b }
        errors.append(FieldError(name(key), "must be true or false"))
        return nil
    }

    /// An object whose every member is true or false (e.g. checklist answers by question id).
    mutating func booleans(_ key: String) -> [String: Bool]? {
        guard let found = value(key) else { return nil }
        guard case .object(let members) = found else {
            errors.append(FieldError(name(key), "must be a JSON object"))
            return nil
        }
        var result: [String: Bool] = [:]
        for (member, value) in members {
            if result[member] != nil {
                errors.append(FieldError(name(key) + "." + member, "appears more than once"))
                continue
            }
            if case .bool(let flag) = value { result[member] = flag } else { errors.append(FieldError(name(key) + "." + member, "must be true or false")) }
        }
        return result
    }

    /// An array of strings (e.g. closed category words); a non-string element is reported by its index.
    mutating func strings(_ key: String) -> [String]? {
        guard let found = value(key) else { return nil }
        guard case .array(let elements) = found else {
            errors.append(FieldError(name(key), "must be an array of strings"))
            return nil
        }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            if case .string(let text) = element, !text.utf8.contains(0) { result.append(text) } else {
                errors.append(FieldError(name(key) + "[\(index)]", "must be a string"))
            }
        }
        return result
    }

    /// An array of integers (e.g. unit ids); a non-integer element is reported by its index.
    mutating func ints(_ key: String) -> [Int64]? {
        guard let found = value(key) else { return nil }
        guard case .array(let elements) = found else {
            errors.append(FieldError(name(key), "must be an array of integers"))
            return nil
        }
        var result: [Int64] = []
        for (index, element) in elements.enumerated() {
            if case .int(let number) = element { result.append(number) } else { errors.append(FieldError(name(key) + "[\(index)]", "must be an integer")) }
        }
        return result
    }

    /// An array of objects, each read by its own reader (its field names prefixed `key[i]`).
    mutating func objects(_ key: String) -> [FieldReader]? {
        guard let found = value(key) else { return nil }
        guard case .array(let elements) = found else {
            errors.append(FieldError(name(key), "must be an array of objects"))
            return nil
        }
        var readers: [FieldReader] = []
        for (index, element) in elements.enumerated() {
            var problems: [FieldError] = []
            if let reader = FieldReader(element, path: name(key) + "[\(index)]", errors: &problems) { readers.append(reader) }
            errors += problems
        }
        return readers
    }

    mutating func object(_ key: String) -> FieldReader? {
        guard let found = value(key) else { return nil }
        var problems: [FieldError] = []
        let reader = FieldReader(found, path: name(key), errors: &problems)
        errors += problems
        return reader
    }

    /// Notes that a required field came without a value; finish() reports it unless it already has an error.
    mutating func noteMissing(_ key: String) { missing.insert(key) }

    /// Call after reading: every field the client sent that nobody asked for is an error (likely a typo),
    /// then every required field that is missing (by name).
    mutating func finish() -> [FieldError] {
        for (key, _) in members where !seen.contains(key) {
            errors.append(FieldError(name(key), "is not a known field"))
        }
        for key in missing.sorted() where !errors.contains(where: { $0.field == name(key) }) {
            errors.append(FieldError(name(key), "is required"))
        }
        return errors
    }
}
