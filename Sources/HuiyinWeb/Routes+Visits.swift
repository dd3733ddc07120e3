import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

extension HuiyinApp {
    /// The monthly visit cycle (家家访 月月谈): record a visit, a household's visits (audited), the figures per
    /// unit, her households still due (its notifications go to the common inbox).
    static func addVisitRoutes(to router: inout Router<Route>) {
        router.add("POST", "/api/v1/households/{id}/visits", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let householdID = try caseID(request)
            let visit = try decodeValidated(VisitBody.self, from: request) { body in
                var draft = body.draft
                draft.householdID = householdID
                return draft.validate(today: app.store.today)
            }
            let key = try app.idempotencyKey(request, scope: "user:\(user.id)")
            guard let recorded = try app.store.recordVisit(visit, by: user, idempotency: key) else {
                throw APIError.notFound
            }
            var response = try json(201, VisitReceiptView(recorded.0))
            if recorded.replayed { response.headers.append(("Idempotent-Replayed", "true")) }
            return response
        })
        router.add("GET", "/api/v1/households/{id}/visits", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            guard let read = try app.store.householdVisits(id: try caseID(request), by: user) else { throw APIError.notFound }
            return try json(200, HouseholdVisitsView(read))
        })
        router.add("GET", "/api/v1/visits/progress", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            var problems: [FieldError] = []
            for name in request.query.keys.sorted() where !["month", "unit"].contains(name) {
                problems.append(FieldError(name, "is not a known parameter"))
            }
            let month = visitMonth(request, today: app.store.today, problems: &problems)
            var unitID: Int64?
            if let raw = request.query["unit"] {
                if let id = Int64(raw), id > 0 { unitID = id } else { problems.append(FieldError("unit", "must be a positive integer")) }
            }
            guard problems.isEmpty, let month else { throw APIError.validation(problems) }
            guard let progress = try app.store.visitProgress(month: month, unitID: unitID, for: user) else { throw APIError.notFound }
            return try json(200, VisitProgressView(progress))
        })
        router.add("GET", "/api/v1/visits/due", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            var problems: [FieldError] = []
            for name in request.query.keys.sorted() where name != "month" {
                problems.append(FieldError(name, "is not a known parameter"))
            }
            let month = visitMonth(request, today: app.store.today, problems: &problems)
            if let month, month != VisitMonth(app.store.today) {
                problems.append(FieldError("month", "only the current month (\(VisitMonth(app.store.today))) has visits still due"))
            }
            guard problems.isEmpty else { throw APIError.validation(problems) }
            let due = try app.store.dueVisits(for: user)
            return try json(200, DueVisitsView(month: due.month.description, households: due.items.map(DueVisitView.init)))
        })
    }

    /// `month=YYYY-MM`, not after the current month (the current month when absent).
    private static func visitMonth(_ request: Request, today: LocalDate, problems: inout [FieldError]) -> VisitMonth? {
        guard let raw = request.query["month"] else { return VisitMonth(today) }
        guard let month = VisitMonth(raw) else { problems.append(FieldError("month", "must be a month as YYYY-MM")); return nil }
        guard month <= VisitMonth(today) else { problems.append(FieldError("month", "is in the future")); return nil }
        return month
    }
}

extension VisitAlreadyRecorded: HTTPResponseError {
    func apiError(retryAfter: Int) -> APIError {
        APIError(status: 409, code: "visit_already_recorded",
                 message: "This household's visit on \(visitedOn) is already recorded.",
                 consoleText: "该户当天的走访已登记，无需重复登记。")
    }
}

struct VisitBody: RequestBody {
    var draft: VisitDraft

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        draft = VisitDraft(visitedOn: fields.string("visited_on"), mode: fields.string("mode"), notes: fields.string("notes"),
                           leadID: fields.int("lead_id"))
        if var topics = fields.object("topics") {
            var answers: [String: (asked: Bool?, found: Bool?)] = [:]
            for topic in VisitTopic.allCases {
                if var answer = topics.object(topic.rawValue) {
                    answers[topic.rawValue] = (answer.bool("asked"), answer.bool("found"))
                    errors += answer.finish()
                }
            }
            errors += topics.finish()
            draft.topics = answers
        }
    }
}

struct VisitReceiptView: ResponseBody {
    let id: Int64
    let householdID: Int64
    let visitedOn: String
    let month: String

    init(_ receipt: VisitReceipt) {
        (id, householdID, visitedOn, month) = (receipt.visitID, receipt.householdID, receipt.visitedOn, receipt.month)
    }

    enum CodingKeys: String, CodingKey {
        case id, month, householdID = "household_id", visitedOn = "visited_on"
    }
}

struct VisitTopicView: ResponseBody {
    let asked: Bool
    let found: Bool
}

struct VisitTopicsView: ResponseBody {
    let womensChildrensRights: VisitTopicView
    let marriageFamilyDisputes: VisitTopicView
    let domesticViolence: VisitTopicView
    let minorSexualAssault: VisitTopicView

    init(_ topics: [VisitTopic: VisitTopicAnswer]) {
        func view(_ topic: VisitTopic) -> VisitTopicView {
            let answer = topics[topic] ?? VisitTopicAnswer(asked: false, found: false)
            return VisitTopicView(asked: answer.asked, found: answer.found)
        }
        womensChildrensRights = view(.womensChildrensRights)
        marriageFamilyDisputes = view(.marriageFamilyDisputes)
        domesticViolence = view(.domesticViolence)
        minorSexualAssault = view(.minorSexualAssault)
    }

    enum CodingKeys: String, CodingKey {
        case womensChildrensRights = "womens_childrens_rights", marriageFamilyDisputes = "marriage_family_disputes"
        case domesticViolence = "domestic_violence", minorSexualAssault = "minor_sexual_assault"
    }
}

struct VisitView: ResponseBody {
    let id: Int64
    let visitedOn: String
    let mode: String
    let visitedBy: Int64
    let visitorName: String
    let topics: VisitTopicsView?
    let notes: String?
    let leadID: Int64?
    let recordedAt: Date

    init(_ record: VisitRecord) {
        id = record.id
        visitedOn = record.visitedOn.description
        mode = record.mode.rawValue
        visitedBy = record.visitedBy
        visitorName = record.visitorName
        topics = record.topics.map(VisitTopicsView.init)
        notes = record.notes
        leadID = record.leadID
        recordedAt = record.recordedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, mode, topics, notes
        case visitedOn = "visited_on", visitedBy = "visited_by", visitorName = "visitor_name", leadID = "lead_id"
        case recordedAt = "recorded_at"
    }
}

struct HouseholdVisitsView: ResponseBody {
    let householdID: Int64
    let masked: Bool
    let visits: [VisitView]

    init(_ read: HouseholdVisits) {
        (householdID, masked, visits) = (read.householdID, read.masked, read.visits.map(VisitView.init))
    }

    enum CodingKeys: String, CodingKey {
        case masked, visits, householdID = "household_id"
    }
}

struct VisitFigureView: ResponseBody {
    let unitID: Int64
    let name: String
    let level: String
    let due: Int
    let done: Int

    init(_ figure: VisitFigure) {
        (unitID, name, level, due, done) = (figure.unitID, figure.name, figure.level, figure.due, figure.done)
    }

    enum CodingKeys: String, CodingKey {
        case name, level, due, done, unitID = "unit_id"
    }
}

struct VisitProgressView: ResponseBody {
    let month: String
    let dueOn: String
    let unit: VisitFigureView?
    let children: [VisitFigureView]

    init(_ progress: VisitProgress) {
        month = progress.month.description
        dueOn = progress.dueOn.description
        unit = progress.unit.map(VisitFigureView.init)
        children = progress.children.map(VisitFigureView.init)
    }

    enum CodingKeys: String, CodingKey {
        case month, unit, children, dueOn = "due_on"
    }
}

struct DueVisitView: ResponseBody {
    let householdID: Int64
    let gridID: Int64
    let gridName: String
    let sealed: Bool
    let dueOn: String
    let address: String?
    let headName: String?
    let lastVisitedOn: String?
    let categories: [String]
    let colour: String?

    init(_ item: DueVisit) {
        householdID = item.householdID
        gridID = item.gridID
        gridName = item.gridName
        sealed = item.sealed
        dueOn = item.dueOn.description
        address = item.address
        headName = item.headName
        lastVisitedOn = item.lastVisitedOn?.description
        categories = item.categories.map(\.rawValue)
        colour = item.colour?.rawValue
    }

    enum CodingKeys: String, CodingKey {
        case sealed, address, categories, colour
        case householdID = "household_id", gridID = "grid_id", gridName = "grid_name", dueOn = "due_on"
        case headName = "head_name", lastVisitedOn = "last_visited_on"
    }
}

struct DueVisitsView: ResponseBody {
    let month: String
    let households: [DueVisitView]
}

