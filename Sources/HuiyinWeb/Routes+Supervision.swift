import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

extension HuiyinApp {
    static func addSupervisionRoutes(to router: inout Router<Route>) {
        // Due soon or overdue, in a unit's subtree, oldest breach first.
        router.add("GET", "/api/v1/supervision/clocks", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            var problems: [FieldError] = []
            let filter = ClockListFilter(rawValue: request.query["status"] ?? "overdue")
            if filter == nil { problems.append(FieldError("status", "must be due_soon or overdue")) }
            let channel = request.query["channel"]
            if let channel, Channel(rawValue: channel) == nil { problems.append(FieldError("channel", "must be call, letter, visit or online")) }
            let kind = request.query["kind"]
            if let kind, ClockKind(rawValue: kind) == nil {
                problems.append(FieldError("kind", "must be one of " + ClockKind.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            let limit = try app.limit(request, &problems)
            let unitID = try app.unitInScope(request, of: user, &problems)
            guard problems.isEmpty, let filter else { throw APIError.validation(problems) }
            let items = try app.store.clocks(filter, underUnit: unitID, channel: channel, kind: kind, limit: limit)
            let today = app.store.today
            return json(200, .object([
                ("status", .string(filter.rawValue)), ("unit_id", .int(unitID)),
                ("calendar_warning", .string(try app.store.calendarWarning())),
                ("clocks", .array(items.map { item in
                    .object([
                        ("clock_id", .int(item.clockID)), ("kind", .string(item.kind)),
                        ("kind_label", .string(ClockKind(rawValue: item.kind)?.label ?? item.kind)),
                        ("case_id", .int(item.caseID)), ("tracking_no", .string(item.trackingNo)),
                        ("category", .string(item.category)), ("channel", .string(item.channel)),
                        ("unit", .object([("id", .int(item.unitID)), ("name", .string(item.unitName))])),
                        ("due_on", .string(item.dueOn.description)), ("due_at", .date(item.dueAt)),
                        ("days_overdue", .int(max(0, today.dayNumber - item.dueOn.dayNumber))),
                        ("reminded", .bool(item.supervisionLevel >= 2)), ("notice_issued", .bool(item.supervisionLevel >= 3)),
                    ])
                })),
            ]))
        })
        // The same list as a spreadsheet (UTF-8 with BOM, Chinese headings; no personal data in it).
        router.add("GET", "/api/v1/supervision/clocks.csv", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            var problems: [FieldError] = []
            let filter = ClockListFilter(rawValue: request.query["status"] ?? "overdue")
            if filter == nil { problems.append(FieldError("status", "must be due_soon or overdue")) }
            let unitID = try app.unitInScope(request, of: user, &problems)
            guard problems.isEmpty, let filter else { throw APIError.validation(problems) }
            let today = app.store.today
            let items = try app.store.clocks(filter, underUnit: unitID, channel: nil, kind: nil, limit: 10_000)
            try app.store.recordExport(.clocks, filter: [("status", filter.rawValue), ("unit_id", String(unitID))],
                                       rowCount: items.count, by: user)
            var lines = ["\u{FEFF}跟踪编号,期限,类别,渠道,单位,到期日,超期天数,督办"]
            for item in items {
                lines.append([item.trackingNo, ClockKind(rawValue: item.kind)?.label ?? item.kind, CaseJSON.label(category: item.category),
                              Channel(rawValue: item.channel)?.label ?? item.channel, item.unitName, item.dueOn.description,
                              String(max(0, today.dayNumber - item.dueOn.dayNumber)),
                              item.supervisionLevel >= 3 ? "已通报" : item.supervisionLevel >= 2 ? "已催办" : ""].map(CaseCSV.quote)
                    .joined(separator: ","))
            }
            return Response(status: 200, headers: [("Content-Type", "text/csv; charset=utf-8"),
                                                   ("Content-Disposition", "attachment; filename=\"clocks-\(filter.rawValue).csv\"")],
                            body: Array((lines.joined(separator: "\r\n") + "\r\n").utf8))
        })
        // Open, due soon, overdue and on-time rate for a unit and each unit directly below it.
        router.add("GET", "/api/v1/supervision/units", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            var problems: [FieldError] = []
            let unitID = try app.unitInScope(request, of: user, &problems)
            guard problems.isEmpty else { throw APIError.validation(problems) }
            let figures = try app.store.unitFigures(underUnit: unitID)
            return json(200, .object([
                ("calendar_warning", .string(try app.store.calendarWarning())),
                ("units", .array(figures.map { unit in
                    .object([
                        ("unit_id", .int(unit.unitID)), ("name", .string(unit.unitName)), ("open_cases", .int(unit.openCases)),
                        ("due_soon", .int(unit.dueSoon)), ("overdue", .int(unit.overdue)),
                        ("on_time_rate", unit.onTimeRate.map { .double($0) } ?? .null),
                    ])
                })),
            ]))
        })
        router.add("GET", "/api/v1/notifications", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            var problems: [FieldError] = []
            let unread = request.query["unread"].map { $0 == "true" || $0 == "1" } ?? false
            let limit = try app.limit(request, &problems)
            guard problems.isEmpty else { throw APIError.validation(problems) }
            let items = try app.store.notifications(for: user, unreadOnly: unread, limit: limit)
            return json(200, .object([("notifications", .array(items.map { item in
                .object([
                    ("id", .int(item.id)), ("kind", .string(item.kind)), ("case_id", .int(item.caseID)),
                    ("tracking_no", .string(item.trackingNo)), ("unit_id", .int(item.unitID)), ("detail", .raw(item.detailJSON)),
                    ("created_at", .date(item.createdAt)), ("read_at", item.readAt.map { .date($0) } ?? .null),
                ])
            }))]))
        })
        router.add("POST", "/api/v1/notifications/{id}/read", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            guard let id = request.pathParameters["id"].flatMap({ Int64($0) }), id > 0,
                  try app.store.markNotificationRead(id, by: user) else { throw APIError.notFound }
            return Response(status: 204)
        })
    }

    /// `limit`: 1…500, default 100.
    func limit(_ request: Request, _ problems: inout [FieldError]) throws -> Int {
        guard let raw = request.query["limit"] else { return 100 }
        guard let value = Int(raw), (1...500).contains(value) else {
            problems.append(FieldError("limit", "must be a number from 1 to 500"))
            return 100
        }
        return value
    }

    /// `unit_id`, defaulting to the user's unit; a unit outside her subtree is reported as unknown.
    func unitInScope(_ request: Request, of user: StaffUser, _ problems: inout [FieldError]) throws -> Int64 {
        guard let raw = request.query["unit_id"] else { return user.unitID }
        guard let unit = Int64(raw), unit > 0 else {
            problems.append(FieldError("unit_id", "must be a unit id"))
            return user.unitID
        }
        guard try store.unit(unit, isWithin: user.unitID) else { throw APIError.notFound }
        return unit
    }
}
