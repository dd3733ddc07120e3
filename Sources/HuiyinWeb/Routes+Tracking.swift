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
                               message: "No case matches this tracking number and query code.", consoleText: ConsoleText.notFound)
            case .found(let view):
                return try json(200, TrackedCaseView(view))
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

/// The petitioner's view of her case: only what concerns her, the notices and replies sent to her,
/// and how to ask for review.
struct TrackedCaseView: ResponseBody {
    struct Document: Encodable {
        let kind: String
        let title: String
        let number: String
        let issuedOn: String
        let body: String
        enum CodingKeys: String, CodingKey { case kind, title, number, issuedOn = "issued_on", body }
    }

    struct Review: Encodable {
        let kind: String
        let lastDay: String
        let how: String
        enum CodingKeys: String, CodingKey { case kind, lastDay = "last_day", how }
    }

    let trackingNo: String
    let status: String
    let statusLabel: String
    let category: String
    let categoryLabel: String
    let receivedOn: String
    let lastUpdatedAt: Date
    let documents: [Document]
    let review: Review?

    init(_ view: PublicCaseView) {
        (trackingNo, status, statusLabel) = (view.trackingNo, view.status, CaseStatus(rawValue: view.status)?.label ?? view.status)
        (category, categoryLabel) = (view.category, CaseJSON.label(category: view.category))
        (receivedOn, lastUpdatedAt) = (view.receivedOn.description, view.lastUpdatedAt)
        documents = view.documents.map {
            Document(kind: $0.kind, title: $0.title, number: $0.number, issuedOn: $0.issuedOn.description, body: $0.body)
        }
        review = view.reviewWindow.map { window in
            Review(kind: window.kind == .reviewRequest ? "review" : "rereview", lastDay: window.lastDay.description,
                   how: reviewAdvice(window))
        }
    }

    enum CodingKeys: String, CodingKey {
        case trackingNo = "tracking_no", status, statusLabel = "status_label", category, categoryLabel = "category_label"
        case receivedOn = "received_on", lastUpdatedAt = "last_updated_at", documents, review
    }
}
