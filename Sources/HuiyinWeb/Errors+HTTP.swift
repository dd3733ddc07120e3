import HuiyinCore
import HuiyinStore
import Postgres

// Each domain error says once how it looks to a client: the API's status and code, the console's sentence.

extension ValidationFailure: HTTPResponseError {
    func apiError(retryAfter: Int) -> APIError { .validation(fields) }
}

extension UnknownReference: HTTPResponseError {
    func apiError(retryAfter: Int) -> APIError { .validation([FieldError(field, message)]) }
}

extension IdempotencyConflict: HTTPResponseError {
    func apiError(retryAfter: Int) -> APIError { .idempotencyKeyReused }
}

extension InvalidTransition: HTTPResponseError {
    func apiError(retryAfter: Int) -> APIError {
        APIError(status: 409, code: code, message: message, consoleText: consoleText)
    }

    /// The codes staff can act on get their own sentence; the rest say the step does not fit the case's status.
    private var consoleText: String {
        [
            "required_task_open": "尚有必办事项（如强制报告、报警、直报）未登记完成，暂不能办结。",
            "referral_open": "尚有转介未登记结果，请先在“转介”一栏登记结果（如对方未反馈，也请如实登记），再办结。",
            "request_window_closed": "申请期限已过。",
            "no_mediation_high_risk": "高风险家庭暴力案件不得转介调解。",
        ][code] ?? ConsoleText.notAllowedNow
    }
}

extension Forbidden: HTTPResponseError {
    func apiError(retryAfter: Int) -> APIError {
        APIError(status: 403, code: "forbidden", message: message, consoleText: ConsoleText.forbidden)
    }
}

extension CaseNotFound: HTTPResponseError {
    func apiError(retryAfter: Int) -> APIError { .notFound }
}

extension PostgresError: HTTPResponseError {
    /// A NUL in text is the request's fault; a database that is away is worth a retry; the rest is ours (500).
    func apiError(retryAfter: Int) -> APIError {
        if kind == .nulInText { return .validation([FieldError("body", "text must not contain a NUL character (\\u0000)")]) }
        return isTransient ? .unavailable(retryAfter: retryAfter) : .internalError
    }
}
