import HuiyinCore
import HuiyinStore
import Postgres

/// An error that knows how it looks to a client. Anything else that escapes a handler is a 500
/// that shows the request id and nothing more.
public struct APIError: Error, Sendable {
    public let status: Int
    public let code: String
    public let message: String
    public var fields: [FieldError] = []
    public var headers: [(name: String, value: String)] = []

    public static let invalidJSON = APIError(status: 400, code: "invalid_json", message: "The request body is not valid JSON.")
    public static let unauthorized = APIError(status: 401, code: "unauthorized",
                                              message: "A valid API token is required (Authorization: Bearer <token>).",
                                              headers: [("WWW-Authenticate", "Bearer")])
    public static let csrfFailed = APIError(status: 403, code: "csrf_failed",
                                            message: "A signed-in console request that changes data must send the session's X-CSRF-Token.")
    public static let notFound = APIError(status: 404, code: "not_found", message: "No such resource.")
    public static let idempotencyKeyReused = APIError(
        status: 422, code: "idempotency_key_reused",
        message: "This Idempotency-Key was already used with a different request.")

    public static func validation(_ fields: [FieldError]) -> APIError {
        APIError(status: 422, code: "validation_failed", message: "Some fields are missing or invalid.", fields: fields)
    }

    public static func methodNotAllowed(_ allowed: [String]) -> APIError {
        APIError(status: 405, code: "method_not_allowed", message: "This path does not accept that method.",
                 headers: [("Allow", allowed.joined(separator: ", "))])
    }

    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(status: 413, code: "payload_too_large", message: "The request body is larger than \(limit) bytes.")
    }

    public static func unavailable(retryAfter: Int) -> APIError {
        APIError(status: 503, code: "database_unavailable",
                 message: "The database cannot be reached right now; nothing was recorded. Please retry.",
                 headers: [("Retry-After", String(retryAfter))])
    }

    public static func tooManyRequests(retryAfter: Int) -> APIError {
        APIError(status: 429, code: "too_many_attempts", message: "Too many failed attempts; try again later.",
                 headers: [("Retry-After", String(retryAfter))])
    }

    /// The error body: `{"error":{"code","message","fields":[{"field","message"}]}}`.
    func body(requestID: String) -> JSON {
        var error: [(String, JSON)] = [("code", .string(code)), ("message", .string(message))]
        if !fields.isEmpty {
            error.append(("fields", .array(fields.map { .object([("field", .string($0.field)), ("message", .string($0.message))]) })))
        }
        if status >= 500 { error.append(("request_id", .string(requestID))) }
        return .object([("error", .object(error))])
    }

    /// What the client is told for any error a handler threw.
    static func from(_ error: Error, retryAfter: Int) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as ValidationFailure: return .validation(error.fields)
        case let error as UnknownReference: return .validation([FieldError(error.field, error.message)])
        case is IdempotencyConflict: return .idempotencyKeyReused
        case let error as InvalidTransition: return APIError(status: 409, code: error.code, message: error.message)
        case let error as Forbidden: return APIError(status: 403, code: "forbidden", message: error.message)
        case is CaseNotFound: return .notFound
        case let error as PostgresError where error.kind == .nulInText:
            return .validation([FieldError("body", "text must not contain a NUL character (\\u0000)")])
        case let error as PostgresError where error.isTransient: return .unavailable(retryAfter: retryAfter)
        default: return APIError(status: 500, code: "internal_error",
                                 message: "Something went wrong on our side; quote the request id when reporting it.")
        }
    }
}
