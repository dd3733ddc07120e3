import Foundation
import HuiyinCore
import HuiyinStore
import Logging
import MicroHTTP
import Postgres

/// Settings of the web layer.
public struct AppConfiguration: Sendable {
    /// Largest request body; also handed to the HTTP server.
    public var bodyLimit: Int = 1 << 20
    /// Seconds a client is told to wait when the database is away.
    public var retryAfterSeconds: Int = 5
    /// Where online petitions land when they name no unit; nil means the root of the unit tree.
    public var publicUnitID: Int64?
    public var trackingThrottle = TrackingThrottle()
    public var loginPolicy = LoginPolicy()
    /// Mark the session cookie `Secure`. Also set for any request a TLS-terminating proxy forwards
    /// with `X-Forwarded-Proto: https`.
    public var secureCookies = false
    /// The public mediation map's tile service; nil shows the map page as a list only.
    public var mapTiles: MapTiles?
    /// Where Debian's libjs-leaflet puts Leaflet; without it the map page is a list only.
    public var leafletDirectory = "/usr/share/javascript/leaflet"

    public init() {}
}

/// Who may call a route.
enum Access: Sendable {
    case anyone
    /// Staff by API token (`Authorization: Bearer`) or console session cookie; a cookie-authenticated
    /// request that changes something must echo the session's CSRF token in `X-CSRF-Token`.
    case staff
    /// A console page: staff by session cookie; anyone else is sent to the login page.
    case console
}

/// What a handler gets besides the request.
struct RequestContext {
    /// The application's logger with this request's `request.id` (the `X-Request-Id` it is answered
    /// with) as metadata: whatever a handler logs can be told apart from other requests' lines.
    var logger: Logger
    var user: StaffUser?
    var session: StaffSession?

    func staff() throws -> StaffUser {
        guard let user else { throw APIError.unauthorized }
        return user
    }
}

struct Route: Sendable {
    let access: Access
    let handle: @Sendable (HuiyinApp, Request, RequestContext) throws -> Response
}

/// The application: routes, authentication, errors, metrics and access logging in front of the store.
/// `makeServer` wires it to libmicrohttpd; tests build it exactly as `huiyin serve` does.
public final class HuiyinApp: Sendable {
    public let store: Store
    public let migrator: Migrator
    public let configuration: AppConfiguration
    public let metrics: AppMetrics
    let logger: Logger
    let router: Router<Route>

    public init(store: Store, migrator: Migrator, configuration: AppConfiguration = AppConfiguration(),
                logger: Logger, metrics: AppMetrics = AppMetrics()) {
        self.store = store
        self.migrator = migrator
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        store.renderMediationBodies(with: MediationBodyJSON.head)
        var router = Router<Route>()
        Self.addHealthRoutes(to: &router)
        Self.addIntakeRoutes(to: &router)
        Self.addCaseRoutes(to: &router)
        Self.addTrackingRoutes(to: &router)
        Self.addSupervisionRoutes(to: &router)
        Self.addWorkflowRoutes(to: &router)
        Self.addClockRoutes(to: &router)
        Self.addDocumentationRoutes(to: &router)
        Self.addCaseWorkRoutes(to: &router)
        Self.addHouseholdRoutes(to: &router)
        Self.addDispatchRoutes(to: &router)
        Self.addLeadRoutes(to: &router)
        Self.addPoliceIncidentRoutes(to: &router)
        Self.addAnalysisRoutes(to: &router)
        Self.addProtectionOrderRoutes(to: &router)
        Self.addCampaignRoutes(to: &router)
        Self.addVisitRoutes(to: &router)
        Self.addConsoleRoutes(to: &router)
        Self.addFieldRoutes(to: &router)
        Self.addConsoleIntakeRoutes(to: &router)
        Self.addConsoleCaseRoutes(to: &router)
        Self.addConsoleHouseholdRoutes(to: &router)
        Self.addConsoleProtectionOrderRoutes(to: &router)
        Self.addConsoleSupervisionRoutes(to: &router)
        Self.addConsoleAnalysisRoutes(to: &router)
        Self.addConsoleDispatchRoutes(to: &router)
        Self.addConsoleIncidentRoutes(to: &router)
        Self.addConsoleCouncilRoutes(to: &router)
        Self.addConsoleVisitRoutes(to: &router)
        Self.addConsoleCampaignRoutes(to: &router)
        Self.addPublicRoutes(to: &router)
        Self.addMediationMapRoutes(to: &router)
        Self.addMediationBodyRoutes(to: &router)
        self.router = router
    }

    /// Whom a route serves: the JSON API and operations endpoints (described by the contract,
    /// Sources/HuiyinWeb/openapi.json), a console page behind the staff session, or a public page.
    public enum Audience: String, Sendable { case api, console, publicPage = "public" }

    /// Every route with its audience, for the checks that the contract and the page list are complete.
    public var routeList: [(method: String, pattern: String, audience: Audience)] {
        router.routes.map { route in
            let audience: Audience = Self.speaksJSON(route.pattern) ? .api
                : route.handler.access == .console ? .console : .publicPage
            return (route.method, route.pattern, audience)
        }
    }

    public func makeServer(_ configuration: ServerConfiguration) -> HTTPServer {
        var configuration = configuration
        configuration.bodyLimit = self.configuration.bodyLimit
        return HTTPServer(configuration: configuration, handler: { [self] in respond(to: $0) },
                          payloadTooLarge: { [self] in refuseTooLarge($0) },
                          malformed: { [self] in refuseMalformed($0, $1) })
    }

    /// The 400 for a head the server refuses (no Host, conflicting Content-Length), logged and counted.
    func refuseMalformed(_ request: Request, _ problem: MalformedRequest) -> Response {
        let requestID = Self.newRequestID()
        return finish(request, started: DispatchTime.now(), requestID: requestID, logger: requestLogger(requestID), pattern: "unmatched",
                      result: .failure(APIError(status: 400, code: "bad_request", message: problem.message)))
    }

    /// The 413 for a body over the limit, logged and counted like any other answer.
    func refuseTooLarge(_ request: Request) -> Response {
        let requestID = Self.newRequestID()
        return finish(request, started: DispatchTime.now(), requestID: requestID, logger: requestLogger(requestID), pattern: "unmatched",
                      result: .failure(APIError.payloadTooLarge(limit: configuration.bodyLimit)))
    }

    /// The logger of one request: every line it writes carries `request.id`.
    private func requestLogger(_ requestID: String) -> Logger {
        var logger = self.logger
        logger[metadataKey: "request.id"] = "\(requestID)"
        return logger
    }

    public func respond(to request: Request) -> Response {
        let started = DispatchTime.now()
        let requestID = Self.newRequestID()
        var context = RequestContext(logger: requestLogger(requestID))
        var pattern = "unmatched"
        let result: Result<Response, Error>
        // A decoded %00 in a query argument would be cut off by libpq: refuse it, naming the argument.
        let nulArguments = request.query.filter { $0.value.utf8.contains(0) }.keys.sorted()
        switch router.match(method: request.method, path: request.path) {
        case _ where !nulArguments.isEmpty:
            result = .failure(APIError.validation(nulArguments.map { FieldError($0, "must not contain a NUL character (%00)") }))
        case .notFound where !Self.speaksJSON(request.path):
            result = .success(unmatchedConsolePage(request, status: 404, allowed: []))
        case .methodNotAllowed(let allowed) where !Self.speaksJSON(request.path):
            result = .success(unmatchedConsolePage(request, status: 405, allowed: allowed))
        case .notFound:
            result = .failure(APIError.notFound)
        case .methodNotAllowed(let allowed):
            result = .failure(APIError.methodNotAllowed(allowed))
        case .found(let route, let matched, let parameters):
            pattern = matched
            request.pathParameters = parameters
            result = Result {
                switch route.access {
                case .anyone: break
                case .staff: (context.user, context.session) = try authenticate(request)
                case .console:
                    guard let session = try consoleSession(request) else { return Console.redirect(to: "/login") }
                    (context.user, context.session) = (session.user, session)
                }
                do {
                    return try route.handle(self, request, context)
                } catch where route.access == .console {
                    // A cadre gets a page in Chinese, not the API's JSON.
                    return try consoleProblemPage(error, context: context, requestID: requestID, pattern: matched)
                }
            }
        }
        return finish(request, started: started, requestID: requestID, logger: context.logger, pattern: pattern, result: result)
    }

    private func finish(_ request: Request, started: DispatchTime, requestID: String, logger: Logger, pattern: String,
                        result: Result<Response, Error>) -> Response {
        var response: Response
        switch result {
        case .success(let ok):
            response = ok
        case .failure(let error):
            let apiError = APIError.from(error, retryAfter: configuration.retryAfterSeconds)
            if apiError.status >= 500 {
                // The error's description carries SQLSTATEs and constraint names, never values.
                logger.error("request failed", metadata: [
                    "route": "\(pattern)", "error": "\(String(describing: error))",
                    "error.type": "\(type(of: error))",
                ])
            }
            // Encoding an error body cannot fail (no member throws); a bare status is the fallback all the same.
            response = (try? json(apiError.status, apiError.body(requestID: requestID))) ?? Response(status: apiError.status)
            response.headers += apiError.headers
        }
        response.headers.append(("X-Request-Id", requestID))
        let elapsed = Int64(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds)
        metrics.request(route: pattern, method: request.method, status: response.status, nanoseconds: elapsed)
        // The path and query are not logged: they can carry phone numbers and tracking numbers.
        logger.info("request", metadata: [
            "method": "\(request.method)", "route": "\(pattern)",
            "status": "\(response.status)", "duration_ms": "\(Double(elapsed / 1000) / 1000)",
        ])
        return response
    }

    /// The API and the operations endpoints answer JSON (or text) with codes; every other path is the console's.
    static func speaksJSON(_ path: String) -> Bool {
        path == "/api" || path.hasPrefix("/api/") || ["/healthz", "/readyz", "/metrics"].contains(path)
    }

    /// A console URL that does not exist (or not for this method): a Chinese page, never the API's JSON.
    private func unmatchedConsolePage(_ request: Request, status: Int, allowed: [String]) -> Response {
        let session = try? consoleSession(request)
        return Console.page(status, title: "未找到", template: "message", MessageView(
            heading: status == 404 ? "未找到该页面" : "无法以这种方式打开该页面",
            text: status == 404 ? "您访问的页面不存在，请检查地址或从首页进入。" : "请从页面上的按钮或链接进入。",
            link: session == nil ? "/login" : "/", link_text: session == nil ? "前往登录" : "返回首页"
        ), session: session, unitName: session.flatMap { try? store.unitName($0.user.unitID) } ?? "",
           headers: allowed.isEmpty ? [] : [("Allow", allowed.joined(separator: ", "))])
    }

    private func consoleProblemPage(_ error: Error, context: RequestContext, requestID: String, pattern: String) throws -> Response {
        let apiError = APIError.from(error, retryAfter: configuration.retryAfterSeconds)
        if apiError.status >= 500 {
            context.logger.error("request failed", metadata: [
                "route": "\(pattern)", "error": "\(String(describing: error))",
                "error.type": "\(type(of: error))",
            ])
        }
        let text = ConsoleLabels.problem(error, retryAfter: configuration.retryAfterSeconds)
            + (apiError.status >= 500 ? "（请向系统管理员提供编号 \(requestID)）" : "")
        return Console.page(apiError.status, title: "出错了", template: "message", MessageView(
            heading: apiError.status == 404 ? "未找到" : "操作未成功", text: text, link: "/", link_text: "返回首页"
        ), session: context.session, unitName: context.user.flatMap { try? store.unitName($0.unitID) } ?? "", headers: apiError.headers)
    }

    private func authenticate(_ request: Request) throws -> (StaffUser, StaffSession?) {
        if let header = request.header("authorization") {
            guard header.lowercased().hasPrefix("bearer "),
                  let user = try store.authenticate(token: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
            else { throw APIError.unauthorized }
            return (user, nil)
        }
        guard let session = try consoleSession(request) else { throw APIError.unauthorized }
        if !["GET", "HEAD"].contains(request.method) {
            guard let echoed = request.header("x-csrf-token"),
                  Secrets.constantTimeEqual(Data(echoed.utf8), Data(session.csrfToken.utf8)) else { throw APIError.csrfFailed }
        }
        return (session.user, session)
    }

    func consoleSession(_ request: Request) throws -> StaffSession? {
        guard let token = request.cookies[Console.sessionCookie], !token.isEmpty else { return nil }
        return try store.session(token: token, policy: configuration.loginPolicy)
    }

    static func newRequestID() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(UInt64.random(in: .min ... .max, using: &generator), radix: 16)
    }
}

func json(_ status: Int, _ body: JSON) -> Response {
    Response(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: body.serialized())
}

/// Parses a request body that must be a JSON object.
func jsonBody(_ request: Request) throws -> JSON {
    guard let value = JSON.parse(request.body) else { throw APIError.invalidJSON }
    return value
}
