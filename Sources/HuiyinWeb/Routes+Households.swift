import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

extension HuiyinApp {
    /// The key-household register (重点户): scoped by grid, masked in lists, every read audited.
    static func addHouseholdRoutes(to router: inout Router<Route>) {
        router.add("POST", "/api/v1/households", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let household = try decodeValidated(HouseholdBody.self, from: request) { $0.draft.validate(today: app.store.today) }
            guard let id = try app.store.addHousehold(household, by: user) else { throw APIError.notFound }
            return try json(201, CreatedView(id: id))
        })
        router.add("GET", "/api/v1/households", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            var problems: [FieldError] = []
            for name in request.query.keys.sorted() where name != "grid_id" {
                problems.append(FieldError(name, "is not a known filter"))
            }
            var gridID: Int64?
            if let raw = request.query["grid_id"] {
                if let id = Int64(raw), id > 0 { gridID = id } else { problems.append(FieldError("grid_id", "must be a positive integer")) }
            }
            guard problems.isEmpty else { throw APIError.validation(problems) }
            if let gridID, try !app.store.gridIsInHouseholdScope(gridID, of: user) { throw APIError.notFound }
            let items = try app.store.households(gridID: gridID, for: user)
            return try json(200, HouseholdListView(households: items.map(HouseholdListItemView.init)))
        })
        router.add("GET", "/api/v1/households/{id}", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            guard let record = try app.store.readHousehold(id: try caseID(request), by: user, view: "household") else {
                throw APIError.notFound
            }
            return try json(200, HouseholdView(record))
        })
        router.add("POST", "/api/v1/households/{id}/classification", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let classification = try decodeValidated(ClassificationBody.self, from: request) {
                $0.draft.validate(today: app.store.today)
            }
            guard try app.store.classifyHousehold(id: try caseID(request), classification, by: user) else { throw APIError.notFound }
            return Response(status: 204)
        })
    }
}

/// The body read and then validated by the domain, so one 422 names every bad field: the wrong types and
/// unknown members the reader finds and the rule breaches the domain finds (one message per field).
func decodeValidated<Body: RequestBody, Value>(_: Body.Type, from request: Request,
                                               _ validate: (Body) -> Result<Value, ValidationFailure>) throws -> Value {
    let value = request.body.isEmpty ? JSON.object([]) : try jsonBody(request)
    var errors: [FieldError] = []
    guard var reader = FieldReader(value, errors: &errors) else { throw APIError.validation(errors) }
    let body = Body(reading: &reader, errors: &errors)
    errors += reader.finish().filter { $0.message != "is required" }   // the domain names what is missing
    var result: Value?
    if let body {
        switch validate(body) {
        case .success(let valid): result = valid
        case .failure(let failure):
            for field in failure.fields where !errors.contains(where: { $0.field == field.field }) { errors.append(field) }
        }
    }
    guard errors.isEmpty, let result else { throw APIError.validation(errors) }
    return result
}

struct HouseholdBody: RequestBody {
    let draft: HouseholdDraft

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        var draft = HouseholdDraft(gridID: fields.int("grid_id"), address: fields.string("address"),
                                   headName: fields.string("head_name"), phone: fields.string("phone"),
                                   categories: fields.strings("categories") ?? [], matters: fields.strings("matters") ?? [],
                                   notes: fields.string("notes"))
        for var member in fields.objects("members") ?? [] {
            draft.members.append(HouseholdMemberDraft(name: member.string("name"), relation: member.string("relation"),
                                                      birthDate: member.string("birth_date"),
                                                      age: member.int("age").map { Int(clamping: $0) }, isMinor: member.bool("is_minor")))
            errors += member.finish()
        }
        self.draft = draft
    }
}

struct ClassificationBody: RequestBody {
    let draft: HouseholdClassificationDraft

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        draft = HouseholdClassificationDraft(grade: fields.string("grade"), colour: fields.string("colour"),
                                             reason: fields.string("reason"), reviewOn: fields.string("review_on"))
    }
}

struct HouseholdListView: ResponseBody {
    let households: [HouseholdListItemView]
}

/// A list row: personal data masked; a sealed household shows only that it exists.
struct HouseholdListItemView: ResponseBody {
    let id: Int64
    let gridID: Int64
    let gridName: String
    let sealed: Bool
    let address: String?
    let headName: String?
    let phone: String?
    let categories: [String]
    let grade: String?
    let colour: String?
    let reviewOn: String?
    let flagged: HouseholdFlagView?

    init(_ item: HouseholdListItem) {
        id = item.id
        gridID = item.gridID
        gridName = item.gridName
        sealed = item.sealed
        address = item.address
        headName = item.headName
        phone = item.phone
        categories = item.categories.map(\.rawValue)
        grade = item.grade?.rawValue
        colour = item.colour?.rawValue
        reviewOn = item.reviewOn?.description
        flagged = item.flag.map(HouseholdFlagView.init)
    }

    enum CodingKeys: String, CodingKey {
        case id, sealed, address, phone, categories, grade, colour, flagged
        case gridID = "grid_id", gridName = "grid_name", headName = "head_name", reviewOn = "review_on"
    }
}

struct HouseholdMemberView: ResponseBody {
    let name: String
    let relation: String
    let birthDate: String?
    let age: Int?
    let isMinor: Bool

    enum CodingKeys: String, CodingKey {
        case name, relation, age
        case birthDate = "birth_date", isMinor = "is_minor"
    }
}

struct HouseholdClassificationView: ResponseBody {
    let grade: String
    let colour: String
    let reason: String
    let setBy: Int64
    let setAt: Date
    let reviewOn: String

    enum CodingKeys: String, CodingKey {
        case grade, colour, reason
        case setBy = "set_by", setAt = "set_at", reviewOn = "review_on"
    }
}

/// The audited read: whole when she may open it; a sealed household she may not open is masked.
struct HouseholdView: ResponseBody {
    let id: Int64
    let gridID: Int64
    let gridName: String
    let sealed: Bool
    let masked: Bool
    let address: String?
    let headName: String?
    let phone: String?
    let notes: String?
    let members: [HouseholdMemberView]
    let categories: [String]
    let matters: [String]
    let classification: HouseholdClassificationView?
    let createdAt: Date
    let flagged: HouseholdFlagView?

    init(_ record: HouseholdRecord) {
        id = record.id
        gridID = record.gridID
        gridName = record.gridName
        sealed = record.sealed
        masked = record.masked
        address = record.address
        headName = record.headName
        phone = record.phone
        notes = record.notes
        members = record.members.map {
            HouseholdMemberView(name: $0.name, relation: $0.relation.rawValue, birthDate: $0.birthDate?.description,
                                age: $0.age, isMinor: $0.isMinor)
        }
        categories = record.categories.map(\.rawValue)
        matters = record.matters.map(\.rawValue)
        classification = record.classification.map {
            HouseholdClassificationView(grade: $0.classification.grade.rawValue, colour: $0.classification.colour.rawValue,
                                        reason: $0.classification.reason, setBy: $0.setBy, setAt: $0.setAt,
                                        reviewOn: $0.classification.reviewOn.description)
        }
        createdAt = record.createdAt
        flagged = record.flag.map(HouseholdFlagView.init)
    }

    enum CodingKeys: String, CodingKey {
        case id, sealed, masked, address, phone, notes, members, categories, matters, classification, flagged
        case gridID = "grid_id", gridName = "grid_name", headName = "head_name", createdAt = "created_at"
    }
}

/// Flagged for repeated quarrels: when, and why (null when not flagged, or masked).
struct HouseholdFlagView: ResponseBody {
    let at: Date
    let reason: String

    init(_ flag: HouseholdFlag) {
        at = flag.at
        reason = flag.reason
    }
}
