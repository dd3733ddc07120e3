import Foundation
import HuiyinCore
import MicroHTTP

/// A JSON request body as a struct, read field by field so that a 422 lists every bad field.
/// `init` reads every field it knows (so none is reported unknown) and returns nil when a required one
/// is missing; it adds its own rule breaches (a bad enum value, a text too long) to `errors`.
protocol RequestBody {
    init?(reading fields: inout FieldReader, errors: inout [FieldError])
}

/// The request's body as `Body`, or a 422 naming every field that is wrong, unknown or missing.
/// An empty body reads as `{}`.
func decode<Body: RequestBody>(_: Body.Type, from request: Request) throws -> Body {
    let value = request.body.isEmpty ? JSON.object([]) : try jsonBody(request)
    var errors: [FieldError] = []
    guard var reader = FieldReader(value, errors: &errors) else { throw APIError.validation(errors) }
    let body = Body(reading: &reader, errors: &errors)
    errors += reader.finish()
    guard errors.isEmpty, let body else { throw APIError.validation(errors) }
    return body
}

extension FieldReader {
    /// Free text: trimmed, blank counts as absent, at most 2000 characters.
    mutating func text(_ key: String, required: Bool = false, errors: inout [FieldError]) -> String? {
        let field = string(key)?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let field, field.count > 2000 { errors.append(FieldError(key, "must be at most 2000 characters")) }
        let value = (field?.isEmpty ?? true) ? nil : field
        if required, value == nil { noteMissing(key) }
        return value
    }

    mutating func int(_ key: String, required: Bool) -> Int64? {
        let value = int(key)
        if required, value == nil { noteMissing(key) }
        return value
    }

    mutating func booleans(_ key: String, required: Bool) -> [String: Bool]? {
        let value = booleans(key)
        if required, value == nil { noteMissing(key) }
        return value
    }
}
