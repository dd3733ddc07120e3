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
            return try json(200, SupervisedClocksView(status: filter.rawValue, unitID: unitID,
                                                      calendarWarning: try app.store.calendarWarning(),
                                                      clocks: items.map { SupervisedClockView($0, today: today) }))
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
            return try json(200, UnitFiguresView(calendarWarning: try app.store.calendarWarning(), units: figures.map(UnitFigureView.init)))
        })
        router.add("GET", "/api/v1/notifications", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            var problems: [FieldError] = []
            let unread = request.query["unread"].map { $0 == "true" || $0 == "1" } ?? false
            let limit = try app.limit(request, &problems)
            guard problems.isEmpty else { throw APIError.validation(problems) }
            let items = try app.store.notifications(for: user, unreadOnly: unread, limit: limit)
            return try json(200, NotificationsView(notifications: items.map(NotificationView.init)))
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

/// A clock due soon or overdue, as supervision lists it.
struct SupervisedClockView: Encodable {
    let clockID: Int64
    let kind: String
    let kindLabel: String
    let caseID: Int64
    let trackingNo: String
    let category: String
    let channel: String
    let unit: UnitRef
    let dueOn: String
    let dueAt: Date
    let daysOverdue: Int
    let reminded: Bool
    let noticeIssued: Bool

    init(_ item: ClockListItem, today: LocalDate) {
        (clockID, kind, kindLabel) = (item.clockID, item.kind, ClockKind(rawValue: item.kind)?.label ?? item.kind)
        (caseID, trackingNo, category, channel) = (item.caseID, item.trackingNo, item.category, item.channel)
        unit = UnitRef(id: item.unitID, name: item.unitName)
        (dueOn, dueAt, daysOverdue) = (item.dueOn.description, item.dueAt, max(0, today.dayNumber - item.dueOn.dayNumber))
        (reminded, noticeIssued) = (item.supervisionLevel >= 2, item.supervisionLevel >= 3)
    }

    enum CodingKeys: String, CodingKey {
        case clockID = "clock_id", kind, kindLabel = "kind_label", caseID = "case_id", trackingNo = "tracking_no", category, channel
        case unit, dueOn = "due_on", dueAt = "due_at", daysOverdue = "days_overdue", reminded, noticeIssued = "notice_issued"
    }
}

struct SupervisedClocksView: ResponseBody {
    let status: String
    let unitID: Int64
    let calendarWarning: String?
    let clocks: [SupervisedClockView]

    enum CodingKeys: String, CodingKey { case status, unitID = "unit_id", calendarWarning = "calendar_warning", clocks }
}

struct UnitFigureView: Encodable {
    let unitID: Int64
    let name: String
    let openCases: Int
    let dueSoon: Int
    let overdue: Int
    let onTimeRate: Double?

    init(_ unit: UnitFigures) {
        (unitID, name, openCases, dueSoon, overdue, onTimeRate) = (unit.unitID, unit.unitName, unit.openCases, unit.dueSoon, unit.overdue, unit.onTimeRate)
    }

    enum CodingKeys: String, CodingKey {
        case unitID = "unit_id", name, openCases = "open_cases", dueSoon = "due_soon", overdue, onTimeRate = "on_time_rate"
    }
}

struct UnitFiguresView: ResponseBody {
    let calendarWarning: String?
    let units: [UnitFigureView]

    enum CodingKeys: String, CodingKey { case calendarWarning = "calendar_warning", units }
}

struct NotificationView: Encodable {
    let id: Int64
    let kind: String
    /// The subject: exactly one of case (with its tracking number), lead or household, or none when
    /// the notification is about its unit.
    let caseID: Int64?
    let trackingNo: String?
    let leadID: Int64?
    let householdID: Int64?
    let unitID: Int64
    let detail: JSON
    let createdAt: Date
    let readAt: Date?

    init(_ item: NotificationItem) {
        (id, kind, unitID) = (item.id, item.kind, item.unitID)
        var (caseID, trackingNo, leadID, householdID): (Int64?, String?, Int64?, Int64?) = (nil, nil, nil, nil)
        switch item.subject {
        case .case(let id, let number): (caseID, trackingNo) = (id, number)
        case .lead(let id): leadID = id
        case .household(let id): householdID = id
        case .unit: break
        }
        (self.caseID, self.trackingNo, self.leadID, self.householdID) = (caseID, trackingNo, leadID, householdID)
        (detail, createdAt, readAt) = (.raw(item.detailJSON), item.createdAt, item.readAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, caseID = "case_id", trackingNo = "tracking_no", leadID = "lead_id", householdID = "household_id",
             unitID = "unit_id", detail, createdAt = "created_at", readAt = "read_at"
    }
}

struct NotificationsView: ResponseBody {
    let notifications: [NotificationView]
}
