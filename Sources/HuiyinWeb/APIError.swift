import HuiyinCore

/// How an error looks to a client: the API's status, code, English message, fields and headers, and the
/// console's sentence in Chinese. Every error type says this once (Errors+HTTP.swift); anything else that
/// escapes a handler is a 500 that shows the request id and nothing more.
public struct APIError: Error, Sendable {
    public let status: Int
    public let code: String
    public let message: String
    public var fields: [FieldError] = []
    public var headers: [(name: String, value: String)] = []
    /// What the console says to staff (a page or a flash); the request id is added for a 500.
    public var consoleText = "操作未成功，请稍后重试。"

    public static let invalidJSON = APIError(status: 400, code: "invalid_json", message: "The request body is not valid JSON.")
    public static let unauthorized = APIError(status: 401, code: "unauthorized",
                                              message: "A valid API token is required (Authorization: Bearer <token>).",
                                              headers: [("WWW-Authenticate", "Bearer")])
    public static let csrfFailed = APIError(status: 403, code: "csrf_failed",
                                            message: "A signed-in console request that changes data must send the session's X-CSRF-Token.",
                                            consoleText: ConsoleText.forbidden)
    public static let notFound = APIError(status: 404, code: "not_found", message: "No such resource.", consoleText: ConsoleText.notFound)
    public static let idempotencyKeyReused = APIError(
        status: 422, code: "idempotency_key_reused",
        message: "This Idempotency-Key was already used with a different request.", consoleText: ConsoleText.checkFields([]))
    public static let internalError = APIError(status: 500, code: "internal_error",
                                               message: "Something went wrong on our side; quote the request id when reporting it.")

    public static func validation(_ fields: [FieldError]) -> APIError {
        APIError(status: 422, code: "validation_failed", message: "Some fields are missing or invalid.", fields: fields,
                 consoleText: ConsoleText.checkFields(fields))
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
                 headers: [("Retry-After", String(retryAfter))], consoleText: ConsoleText.databaseAway)
    }

    public static func tooManyRequests(retryAfter: Int) -> APIError {
        APIError(status: 429, code: "too_many_attempts", message: "Too many failed attempts; try again later.",
                 headers: [("Retry-After", String(retryAfter))])
    }

    /// The error body: `{"error":{"code","message","fields":[{"field","message"}]}}`; `fields` only when
    /// there are some, `request_id` only for a 500-class error (the one thing a client can quote).
    struct Body: ResponseBody {
        struct Detail: Encodable {
            let code: String
            let message: String
            let fields: [Field]
            let requestID: String?

            enum CodingKeys: String, CodingKey { case code, message, fields, requestID = "request_id" }

            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(code, forKey: .code)
                try c.encode(message, forKey: .message)
                if !fields.isEmpty { try c.encode(fields, forKey: .fields) }
                if let requestID { try c.encode(requestID, forKey: .requestID) }
            }
        }

        struct Field: Encodable {
            let field: String
            let message: String
        }

        let error: Detail
    }

    func body(requestID: String) -> Body {
        Body(error: Body.Detail(code: code, message: message, fields: fields.map { Body.Field(field: $0.field, message: $0.message) },
                                requestID: status >= 500 ? requestID : nil))
    }

    /// What the client (and the console) is told for any error a handler threw.
    static func from(_ error: Error, retryAfter: Int) -> APIError {
        (error as? HTTPResponseError)?.apiError(retryAfter: retryAfter) ?? .internalError
    }
}

/// An error that describes itself to clients, once, where its type is conformed (Errors+HTTP.swift).
/// Modelled on hummingbird's `HTTPResponseError`: an error that does not conform is a 500.
protocol HTTPResponseError: Error {
    /// Status, code, English message, fields and headers for the API; the Chinese sentence for the console.
    /// `retryAfter`: the seconds a client is told to wait, for errors worth retrying.
    func apiError(retryAfter: Int) -> APIError
}

extension APIError: HTTPResponseError {
    func apiError(retryAfter: Int) -> APIError { self }
}

/// The console's sentences shared by several errors.
enum ConsoleText {
    static let forbidden = "您没有权限进行此操作。"
    static let notFound = "案件不存在，或不在您的查看范围内。"
    static let databaseAway = "数据库暂时无法连接，操作未保存，请稍后重试。"
    static let notAllowedNow = "案件当前状态不允许此操作。"

    /// Names the fields to check, in the console's words.
    static func checkFields(_ fields: [FieldError]) -> String {
        "请检查填写内容（" + fields.map { ConsoleLabels.fieldLabel($0.field) }.joined(separator: "、") + "）。"
    }
}
