import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

extension HuiyinApp {
    static func addCaseRoutes(to router: inout Router<Route>) {
        // The case page: everything on record for those who may open it, a masked view for the rest
        // of her scope, 404 outside it. Every read is audited.
        router.add("GET", "/api/v1/cases/{id}", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            guard let record = try app.store.readCase(id: try caseID(request), by: user, view: "case") else { throw APIError.notFound }
            return try json(200, CaseView(record: record, today: app.store.today))
        })
        // Breaking a seal: a supervisor's written reason, flagged for review.
        router.add("POST", "/api/v1/cases/{id}/break-glass", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(ReasonBody.self, from: request)
            guard let record = try app.store.readCase(id: try caseID(request), by: user, view: "case",
                                                      breakGlassReason: body.reason) else { throw APIError.notFound }
            return try json(200, CaseView(record: record, today: app.store.today))
        })
        router.add("GET", "/api/v1/cases/{id}/access-log", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let reads = try app.store.accessLog(caseID: try caseID(request), by: user)
            return try json(200, AccessLogView(reads: reads.map(CaseReadView.init)))
        })
        router.add("GET", "/api/v1/cases", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let filter = try app.caseFilter(request, user: user)
            let items = try app.store.cases(filter, for: user)
            return try json(200, CaseListView(cases: items.map { CaseSummaryView($0) },
                                              nextBeforeID: items.count == filter.limit ? items.last?.id : nil))
        })
        router.add("GET", "/api/v1/cases/count", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            return try json(200, CaseCountView(count: try app.store.countCases(try app.caseFilter(request, user: user), for: user)))
        })
        // Spreadsheet export (UTF-8 with BOM so Excel reads the Chinese), phone numbers masked, sealed
        // cases masked for everyone; each export is recorded (who, when, filter, rows) before it is sent.
        router.add("GET", "/api/v1/cases/export.csv", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            var filter = try app.caseFilter(request, user: user, defaultLimit: 10_000, maximum: 10_000)
            filter.beforeID = nil
            let items = try app.store.cases(filter, for: user)
            try app.store.recordExport(.cases, filter: request.query.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                                       rowCount: items.count, by: user)
            return Response(status: 200, headers: [("Content-Type", "text/csv; charset=utf-8"),
                                                   ("Content-Disposition", "attachment; filename=\"cases.csv\"")],
                            body: Array(CaseCSV.render(items).utf8))
        })
        // Caller lookup while the phone rings: the people with this number who have cases in her scope.
        router.add("GET", "/api/v1/petitioners", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            guard let raw = request.query["phone"], !raw.isEmpty else {
                throw APIError.validation([FieldError("phone", "is required")])
            }
            guard let phone = PhoneNumber(raw) else {
                throw APIError.validation([FieldError("phone", "is not a mainland mobile or landline number")])
            }
            let matches = try app.store.callers(phone: phone, for: user)
            return try json(200, CallersView(petitioners: matches.map(CallerView.init)))
        })
    }

    /// The list filters from the query string, each checked.
    func caseFilter(_ request: Request, user: StaffUser, defaultLimit: Int = 50, maximum: Int = 500) throws -> CaseFilter {
        var filter = CaseFilter()
        var problems: [FieldError] = []
        let known: Set<String> = ["status", "category", "unit_id", "tracking_no", "q", "mine", "before_id", "limit",
                                  "channel", "sealed", "received_from", "received_to", "overdue", "collective"]
        for name in request.query.keys.sorted() where !known.contains(name) {
            problems.append(FieldError(name, "is not a known filter"))
        }
        if let status = request.query["status"] {
            if CaseStatus(rawValue: status) == nil {
                problems.append(FieldError("status", "must be one of " + CaseStatus.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            filter.status = status
        }
        if let category = request.query["category"] {
            if CaseCategory(rawValue: category) == nil {
                problems.append(FieldError("category", "must be one of " + CaseCategory.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            filter.category = category
        }
        if let channel = request.query["channel"] {
            if Channel(rawValue: channel) == nil {
                problems.append(FieldError("channel", "must be one of " + Channel.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            filter.channel = channel
        }
        for (name, assign) in [("sealed", { (value: Bool) in filter.sealed = value }), ("overdue", { filter.overdue = $0 }),
                               ("collective", { filter.collective = $0 })] {
            guard let raw = request.query[name] else { continue }
            if let value = ["true": true, "1": true, "false": false, "0": false][raw] { assign(value) }
            else { problems.append(FieldError(name, "must be true or false")) }
        }
        for name in ["received_from", "received_to"] {
            guard let raw = request.query[name] else { continue }
            guard let day = LocalDate(iso: raw) else { problems.append(FieldError(name, "must be a date (YYYY-MM-DD)")); continue }
            if name == "received_from" { filter.receivedFrom = day } else { filter.receivedTo = day }
        }
        if request.query["unit_id"] != nil { filter.unitID = try unitInScope(request, of: user, &problems) }
        filter.trackingNo = request.query["tracking_no"].map { $0.uppercased() }
        if let text = request.query["q"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            if text.count > 100 { problems.append(FieldError("q", "must be at most 100 characters")) }
            filter.text = text
        }
        if let mine = request.query["mine"] {
            guard ["true", "false", "1", "0"].contains(mine) else { throw APIError.validation([FieldError("mine", "must be true or false")]) }
            filter.mine = mine == "true" || mine == "1"
        }
        if let raw = request.query["before_id"] {
            if let id = Int64(raw), id > 0 { filter.beforeID = id } else { problems.append(FieldError("before_id", "must be a case id")) }
        }
        filter.limit = defaultLimit
        if let raw = request.query["limit"] {
            if let value = Int(raw), (1...maximum).contains(value) { filter.limit = value }
            else { problems.append(FieldError("limit", "must be a number from 1 to \(maximum)")) }
        }
        guard problems.isEmpty else { throw APIError.validation(problems) }
        return filter
    }
}

func caseID(_ request: Request, _ name: String = "id") throws -> Int64 {
    guard let id = request.pathParameters[name].flatMap({ Int64($0) }), id > 0 else { throw APIError.notFound }
    return id
}

struct CaseReadView: Encodable {
    struct User: Encodable {
        let id: Int64
        let username: String
        let displayName: String
        let role: String
        enum CodingKeys: String, CodingKey { case id, username, displayName = "display_name", role }
    }

    let id: Int64
    let at: Date
    let view: String
    let masked: Bool
    let user: User
    let breakGlassReason: String?
    let flagged: Bool

    init(_ read: CaseReadRecord) {
        (id, at, view, masked, breakGlassReason, flagged) = (read.id, read.at, read.view, read.masked, read.breakGlassReason, read.flagged)
        user = User(id: read.userID, username: read.username, displayName: read.displayName, role: read.role)
    }

    enum CodingKeys: String, CodingKey { case id, at, view, masked, user, breakGlassReason = "break_glass_reason", flagged }
}

struct AccessLogView: ResponseBody {
    let reads: [CaseReadView]
}

/// A page of the case list; `next_before_id` is there only when another page may follow.
struct CaseListView: ResponseBody {
    let cases: [CaseSummaryView]
    let nextBeforeID: Int64?

    enum CodingKeys: String, CodingKey { case cases, nextBeforeID = "next_before_id" }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(cases, forKey: .cases)
        if let nextBeforeID { try c.encode(nextBeforeID, forKey: .nextBeforeID) }
    }
}

struct CaseCountView: ResponseBody {
    let count: Int
}

struct CallersView: ResponseBody {
    let petitioners: [CallerView]
}
