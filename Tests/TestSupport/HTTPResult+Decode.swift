import Foundation

extension HTTPResult {
    /// The body decoded as `T`, snake_case members matching camelCase properties (`case_id` → `caseId`).
    /// Throws (failing the test) when the body is not JSON of that shape: a missing non-optional member,
    /// a member of another type.
    public func decode<T: Decodable>(_: T.Type = T.self) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: Data(body))
    }

    /// The body as a free-form JSON value, member names as sent (for the contract document, a jsonb
    /// detail, or a check that a member is absent rather than null). Throws when the body is not JSON.
    public func jsonValue() throws -> JSONValue {
        try JSONValue.parse(body)
    }

    /// The error body, or nil when the answer is not one.
    public var errorBody: APIErrorBody? { (try? decode(APIErrorEnvelope.self))?.error }
    /// `error.code` of an error answer.
    public var errorCode: String? { errorBody?.code }
    /// `error.fields[].field` of an error answer.
    public var errorFields: [String] { errorBody?.fields?.map(\.field) ?? [] }
}

/// `{"error": {...}}`, every error answer of the API.
public struct APIErrorEnvelope: Decodable, Sendable {
    public let error: APIErrorBody
}

/// The `error` member of an error answer.
public struct APIErrorBody: Decodable, Sendable {
    public struct Field: Decodable, Sendable {
        public let field: String
        public let message: String
    }

    public let code: String
    public let message: String
    public let fields: [Field]?
    /// Only on 5xx answers.
    public let requestId: String?
}
