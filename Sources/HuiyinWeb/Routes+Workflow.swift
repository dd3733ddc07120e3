import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

extension HuiyinApp {
    static func addWorkflowRoutes(to router: inout Router<Route>) {
        router.add("POST", "/api/v1/cases/{id}/extensions", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(ExtensionBody.self, from: request)
            try app.store.extend(caseID: try caseID(request), clock: body.clock, by: body.limit, approver: body.approver,
                                 reason: body.reason, user: user)
            return Response(status: 204)
        })
        router.add("POST", "/api/v1/cases/{id}/leader", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(LeaderBody.self, from: request)
            try app.store.assignLeader(caseID: try caseID(request), leaderID: body.leaderID, reason: body.reason, by: user)
            return Response(status: 204)
        })
        router.add("POST", "/api/v1/cases/{id}/progress", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(ProgressBody.self, from: request)
            try app.store.reportProgress(caseID: try caseID(request), note: body.note, by: user)
            return Response(status: 204)
        })
        // A leader's responsibility list (责任清单), as far as the asker's scope and the seals allow.
        router.add("GET", "/api/v1/leaders/{id}/cases", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            guard let leader = request.pathParameters["id"].flatMap({ Int64($0) }), leader > 0 else { throw APIError.notFound }
            let today = app.store.today
            let cases = try app.store.leaderCases(leaderID: leader, for: user).map { item, clocks in
                LeaderCaseView(item: item, clocks: clocks.map { LeaderCaseView.Clock(clock: $0, today: today) })
            }
            return try json(200, LeaderCasesView(cases: cases))
        })
    }
}

/// An extension of a running clock: which clock, by how much (e.g. 30d), who approved it and why.
struct ExtensionBody: RequestBody {
    let clock: ClockKind
    let limit: DeadlineLimit
    let approver: String
    let reason: String

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        let clock = fields.text("clock", required: true, errors: &errors)
        let limit = fields.text("limit", required: true, errors: &errors)
        let approver = fields.text("approver", required: true, errors: &errors)
        let reason = fields.text("reason", required: true, errors: &errors)
        // Each given value is checked even when another field is missing, so the 422 lists them all.
        let kind = clock.flatMap(ClockKind.init(rawValue:))
        if clock != nil, kind == nil { errors.append(FieldError("clock", "unknown clock")) }
        let parsed = limit.flatMap(DeadlineLimit.init)
        if limit != nil, parsed == nil { errors.append(FieldError("limit", "write it like 30d")) }
        guard let kind, let parsed, let approver, let reason else { return nil }
        (self.clock, self.limit, self.approver, self.reason) = (kind, parsed, approver, reason)
    }
}

struct LeaderBody: RequestBody {
    let leaderID: Int64
    let reason: String

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        let reason = fields.text("reason", required: true, errors: &errors)
        let leaderID = fields.int("leader_id", required: true)
        guard let leaderID, let reason else { return nil }
        (self.leaderID, self.reason) = (leaderID, reason)
    }
}

struct ProgressBody: RequestBody {
    let note: String

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        guard let note = fields.text("note", required: true, errors: &errors) else { return nil }
        self.note = note
    }
}

/// A body of one required `reason` (pausing a clock, sealing, breaking a seal, declining...).
struct ReasonBody: RequestBody {
    let reason: String

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        guard let reason = fields.text("reason", required: true, errors: &errors) else { return nil }
        self.reason = reason
    }
}

/// No fields: the body is empty or `{}`.
struct EmptyBody: RequestBody {
    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {}
}

extension HuiyinApp {
    static func addClockRoutes(to router: inout Router<Route>) {
        router.add("POST", "/api/v1/cases/{id}/clocks/{kind}/pause", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(ReasonBody.self, from: request)
            try app.store.pause(caseID: try caseID(request), clock: try clockKind(request), reason: body.reason, by: user)
            return Response(status: 204)
        })
        router.add("POST", "/api/v1/cases/{id}/clocks/{kind}/resume", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            _ = try decode(EmptyBody.self, from: request)
            try app.store.resume(caseID: try caseID(request), clock: try clockKind(request), by: user)
            return Response(status: 204)
        })
    }
}

private func clockKind(_ request: Request) throws -> ClockKind {
    guard let kind = request.pathParameters["kind"].flatMap(ClockKind.init(rawValue:)) else { throw APIError.notFound }
    return kind
}

/// A case on a leader's responsibility list: the list row and its clocks.
struct LeaderCaseView: Encodable {
    struct Clock: Encodable {
        let kind: String
        let dueOn: String
        let state: String
        let overdue: Bool

        init(clock: ClockRecord, today: LocalDate) {
            (kind, dueOn, state, overdue) = (clock.kind, clock.dueOn.description, clock.state, clock.dueOn < today)
        }

        enum CodingKeys: String, CodingKey { case kind, dueOn = "due_on", state, overdue }
    }

    let item: CaseListItem
    let clocks: [Clock]

    enum CodingKeys: String, CodingKey { case clocks }

    func encode(to encoder: Encoder) throws {
        try CaseSummaryView(item).encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(clocks, forKey: .clocks)
    }
}

struct LeaderCasesView: ResponseBody {
    let cases: [LeaderCaseView]
}
