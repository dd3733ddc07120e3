import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

extension HuiyinApp {
    static func addWorkflowRoutes(to router: inout Router<Route>) {
        router.add("POST", "/api/v1/cases/{id}/extensions", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try WorkflowBody(request, text: ["clock", "limit", "approver", "reason"], required: ["clock", "limit", "approver", "reason"])
            var problems: [FieldError] = []
            let kind = ClockKind(rawValue: body.text["clock"]!! )
            if kind == nil { problems.append(FieldError("clock", "unknown clock")) }
            let limit = DeadlineLimit(body.text["limit"]!!)
            if limit == nil { problems.append(FieldError("limit", "write it like 30d")) }
            guard problems.isEmpty, let kind, let limit else { throw APIError.validation(problems) }
            try app.store.extend(caseID: try caseID(request), clock: kind, by: limit, approver: body.text["approver"]!!,
                                 reason: body.text["reason"]!!, user: user)
            return Response(status: 204)
        })
        router.add("POST", "/api/v1/cases/{id}/leader", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try WorkflowBody(request, text: ["reason"], integers: ["leader_id"], required: ["reason", "leader_id"])
            try app.store.assignLeader(caseID: try caseID(request), leaderID: body.integers["leader_id"]!!,
                                       reason: body.text["reason"]!!, by: user)
            return Response(status: 204)
        })
        router.add("POST", "/api/v1/cases/{id}/progress", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try WorkflowBody(request, text: ["note"], required: ["note"])
            try app.store.reportProgress(caseID: try caseID(request), note: body.text["note"]!!, by: user)
            return Response(status: 204)
        })
        // A leader's responsibility list (责任清单), as far as the asker's scope and the seals allow.
        router.add("GET", "/api/v1/leaders/{id}/cases", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            guard let leader = request.pathParameters["id"].flatMap({ Int64($0) }), leader > 0 else { throw APIError.notFound }
            let today = app.store.today
            return json(200, .object([("cases", .array(try app.store.leaderCases(leaderID: leader, for: user).map { item, clocks in
                var members = CaseJSON.itemMembers(item, maskPhone: true)
                members.append(("clocks", .array(clocks.map { clock in
                    .object([("kind", .string(clock.kind)), ("due_on", .string(clock.dueOn.description)),
                             ("state", .string(clock.state)), ("overdue", .bool(clock.dueOn < today))])
                })))
                return .object(members)
            }))]))
        })
    }
}

/// The small JSON bodies of workflow actions: named text and integer fields, some required.
struct WorkflowBody {
    var text: [String: String?] = [:]
    var integers: [String: Int64?] = [:]
    var booleans: [String: Bool?] = [:]
    var maps: [String: [String: Bool]] = [:]

    init(_ request: Request, text names: [String], integers integerNames: [String] = [], booleans booleanNames: [String] = [],
         maps mapNames: [String] = [], required: Set<String> = []) throws {
        let value = request.body.isEmpty ? JSON.object([]) : try jsonBody(request)
        var errors: [FieldError] = []
        guard var reader = FieldReader(value, errors: &errors) else { throw APIError.validation(errors) }
        for name in names {
            let field = reader.string(name)?.trimmingCharacters(in: .whitespacesAndNewlines)
            text[name] = (field?.isEmpty ?? true) ? nil : field
            if let field, field.count > 2000 { errors.append(FieldError(name, "must be at most 2000 characters")) }
        }
        for name in integerNames { integers[name] = reader.int(name) }
        for name in booleanNames { booleans[name] = reader.bool(name) }
        for name in mapNames { if let map = reader.booleans(name) { maps[name] = map } }
        errors += reader.finish()
        for name in required.sorted() where (text[name] ?? nil) == nil && (integers[name] ?? nil) == nil
            && (booleans[name] ?? nil) == nil && maps[name] == nil && !errors.contains(where: { $0.field == name }) {
            errors.append(FieldError(name, "is required"))
        }
        guard errors.isEmpty else { throw APIError.validation(errors) }
    }
}

extension HuiyinApp {
    static func addClockRoutes(to router: inout Router<Route>) {
        router.add("POST", "/api/v1/cases/{id}/clocks/{kind}/pause", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try WorkflowBody(request, text: ["reason"], required: ["reason"])
            try app.store.pause(caseID: try caseID(request), clock: try clockKind(request), reason: body.text["reason"]!!, by: user)
            return Response(status: 204)
        })
        router.add("POST", "/api/v1/cases/{id}/clocks/{kind}/resume", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            _ = try WorkflowBody(request, text: [])
            try app.store.resume(caseID: try caseID(request), clock: try clockKind(request), by: user)
            return Response(status: 204)
        })
    }
}

private func clockKind(_ request: Request) throws -> ClockKind {
    guard let kind = request.pathParameters["kind"].flatMap(ClockKind.init(rawValue:)) else { throw APIError.notFound }
    return kind
}
