import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

extension HuiyinApp {
    static func addTrackingRoutes(to router: inout Router<Route>) {
        // The petitioner's own view. The query code comes in `X-Query-Code` or the `code` field.
        router.add("GET", "/api/v1/track/{tracking_no}", Route(access: .anyone) { app, request, _ in
            let trackingNo = request.pathParameters["tracking_no"] ?? ""
            guard let code = request.header("x-query-code") ?? request.query["code"], !code.isEmpty else {
                throw APIError.validation([FieldError("code", "the query code is required")])
            }
            switch try app.store.track(trackingNo: trackingNo, code: code, clientAddress: request.remoteAddress,
                                   throttle: app.configuration.trackingThrottle) {
            case .throttled(let seconds): throw APIError.tooManyRequests(retryAfter: seconds)
            case .notFound:
                throw APIError(status: 404, code: "not_found",
                               message: "No case matches this tracking number and query code.")
            case .found(let view):
                return json(200, .object([
                    ("tracking_no", .string(view.trackingNo)), ("status", .string(view.status)),
                    ("status_label", .string(CaseStatus(rawValue: view.status)?.label ?? view.status)),
                    ("category", .string(view.category)), ("category_label", .string(CaseJSON.label(category: view.category))),
                    ("received_on", .string(view.receivedOn.description)), ("last_updated_at", .date(view.lastUpdatedAt)),
                    // Only what concerns her: the notices and replies sent to her, and how to ask for review.
                    ("documents", .array(view.documents.map { document in
                        .object([("kind", .string(document.kind)), ("title", .string(document.title)),
                                 ("number", .string(document.number)), ("issued_on", .string(document.issuedOn.description)),
                                 ("body", .string(document.body))])
                    })),
                    ("review", view.reviewWindow.map { window in
                        .object([
                            ("kind", .string(window.kind == .reviewRequest ? "review" : "rereview")),
                            ("last_day", .string(window.lastDay.description)),
                            ("how", .string(reviewAdvice(window))),
                        ])
                    } ?? .null),
                ]))
            }
        })
    }
}

/// How the petitioner asks for review (复查) or re-review (复核), and by when: the API's and the tracking page's words.
func reviewAdvice(_ window: (kind: ClockKind, lastDay: LocalDate)) -> String {
    window.kind == .reviewRequest
        ? "如对答复意见不服，可在\(window.lastDay.chineseText)前向上一级妇联书面请求复查。"
        : "如对复查意见不服，可在\(window.lastDay.chineseText)前向再上一级妇联书面请求复核。"
}
