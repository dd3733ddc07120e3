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
            let filter = try app.householdFilter(request, user: user, paged: true)
            let items = try app.store.households(filter, for: user)
            return try json(200, HouseholdListView(households: items.map(HouseholdListItemView.init),
                                                   nextBeforeID: items.count == filter.limit ? items.last?.id : nil))
        })
        // The register as a spreadsheet (UTF-8 with BOM), masked as the list; each export recorded before it is sent.
        router.add("GET", "/api/v1/households/export.csv", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let filter = try app.householdFilter(request, user: user, paged: false)
            let items = try app.store.households(filter, for: user)
            try app.store.recordExport(.households, filter: request.query.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                                       rowCount: items.count, by: user)
            return Response(status: 200, headers: [("Content-Type", "text/csv; charset=utf-8"),
                                                   ("Content-Disposition", "attachment; filename=\"households.csv\"")],
                            body: Array(HouseholdCSV.render(items, today: app.store.today).utf8))
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

extension HuiyinApp {
    /// The register's filters from the query string, each checked; a grid outside her scope is 404.
    /// `paged`: the list's `before_id` and `limit` (1–500, default 200); an export takes up to 10,000 rows.
    func householdFilter(_ request: Request, user: StaffUser, paged: Bool) throws -> HouseholdFilter {
        var filter = HouseholdFilter(limit: paged ? 200 : 10_000)
        var problems: [FieldError] = []
        let known: Set<String> = paged ? ["grid_id", "category", "colour", "review_due", "before_id", "limit"]
                                       : ["grid_id", "category", "colour", "review_due"]
        for name in request.query.keys.sorted() where !known.contains(name) {
            problems.append(FieldError(name, "is not a known filter"))
        }
        for name in ["grid_id", "before_id"] {
            guard let raw = request.query[name] else { continue }
            guard let id = Int64(raw), id > 0 else { problems.append(FieldError(name, "must be a positive integer")); continue }
            if name == "grid_id" { filter.gridID = id } else { filter.beforeID = id }
        }
        if let raw = request.query["limit"] {
            if let limit = Int(raw), (1...500).contains(limit) { filter.limit = limit } else {
                problems.append(FieldError("limit", "must be from 1 to 500"))
            }
        }
        if let raw = request.query["category"] {
            filter.category = HouseholdCategory(rawValue: raw)
            if filter.category == nil {
                problems.append(FieldError("category", "must be one of " + HouseholdCategory.allCases.map(\.rawValue).joined(separator: ", ")))
            }
        }
        if let raw = request.query["colour"] {
            filter.colour = HouseholdColour(rawValue: raw)
            if filter.colour == nil {
                problems.append(FieldError("colour", "must be one of " + HouseholdColour.allCases.map(\.rawValue).joined(separator: ", ")))
            }
        }
        if let raw = request.query["review_due"] {
            if let value = ["true": true, "1": true, "false": false, "0": false][raw] { filter.reviewDue = value } else {
                problems.append(FieldError("review_due", "must be true or false"))
            }
        }
        guard problems.isEmpty else { throw APIError.validation(problems) }
        if let gridID = filter.gridID, try !store.gridIsInHouseholdScope(gridID, of: user) { throw APIError.notFound }
        return filter
    }
}

/// The register as a spreadsheet: personal data masked as in the list; a sealed household's row shows
/// only its grid and that it is sealed.
enum HouseholdCSV {
    static func render(_ items: [HouseholdListItem], today: LocalDate) -> String {
        var lines = ["\u{FEFF}编号,网格,密封,地址,户主,联系电话,四必访类别,分类,颜色,下次复核日期,复核到期"]
        for item in items {
            let fields: [String]
            if item.sealed {
                fields = ["", item.gridName, "是", "", "", "", "", "", "", "", ""]
            } else {
                fields = [String(item.id), item.gridName, "否", item.address ?? "", item.headName ?? "", item.phone ?? "",
                          item.categories.map(\.label).joined(separator: "；"), item.grade?.rawValue ?? "", item.colour?.label ?? "",
                          item.reviewOn?.description ?? "", item.reviewOn.map { $0 < today ? "是" : "否" } ?? ""]
            }
            lines.append(fields.map(CaseCSV.quote).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
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

/// A page of the register; `next_before_id` is there only when another page may follow.
struct HouseholdListView: ResponseBody {
    let households: [HouseholdListItemView]
    let nextBeforeID: Int64?

    enum CodingKeys: String, CodingKey { case households, nextBeforeID = "next_before_id" }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(households, forKey: .households)
        if let nextBeforeID { try c.encode(nextBeforeID, forKey: .nextBeforeID) }
    }
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
