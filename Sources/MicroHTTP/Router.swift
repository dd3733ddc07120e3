/// Method + path routing with `{name}` path parameters, e.g. `/api/v1/cases/{id}`.
/// Knows nothing of what a handler is: the application chooses `Handler`.
public struct Router<Handler> {
    public struct Route {
        public let method: String
        public let pattern: String
        let segments: [Segment]
        public let handler: Handler
    }

    enum Segment: Equatable {
        case literal(Substring)
        case parameter(String)
    }

    public enum Match {
        case found(Handler, pattern: String, parameters: [String: String])
        /// The path exists but not for this method: answer 405 with these in `Allow`.
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    public private(set) var routes: [Route] = []

    public init() {}

    public mutating func add(_ method: String, _ pattern: String, _ handler: Handler) {
        let segments = Self.split(pattern).map { part -> Segment in
            if part.first == "{" && part.last == "}" { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(part)
        }
        precondition(!routes.contains { $0.method == method && $0.segments == segments },
                     "route \(method) \(pattern) registered twice")
        routes.append(Route(method: method, pattern: pattern, segments: segments, handler: handler))
    }

    public func match(method: String, path: String) -> Match {
        let parts = Self.split(path)
        var allowed: [String] = []
        var best: (route: Route, parameters: [String: String])?
        for route in routes {
            guard let parameters = Self.bind(route.segments, to: parts) else { continue }
            if route.method == method || (method == "HEAD" && route.method == "GET") {
                // A literal segment beats a parameter at the same place: /cases/count before /cases/{id}.
                if best == nil || Self.moreSpecific(route.segments, than: best!.route.segments) { best = (route, parameters) }
                continue
            }
            if !allowed.contains(route.method) { allowed.append(route.method) }
        }
        if let best { return .found(best.route.handler, pattern: best.route.pattern, parameters: best.parameters) }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }

    private static func moreSpecific(_ a: [Segment], than b: [Segment]) -> Bool {
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case (.literal, .parameter): return true
            case (.parameter, .literal): return false
            default: continue
            }
        }
        return false
    }

    private static func split(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func bind(_ segments: [Segment], to parts: [Substring]) -> [String: String]? {
        guard segments.count == parts.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let literal): if literal != part { return nil }
            case .parameter(let name): parameters[name] = String(part)
            }
        }
        return parameters
    }
}

extension Router: Sendable where Handler: Sendable {}
extension Router.Route: Sendable where Handler: Sendable {}
extension Router.Segment: Sendable {}
