import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

extension HuiyinApp {
    /// Personal-safety protection orders (人身安全保护令) on a case or a household: recorded, listed (the
    /// expiring ones across her scope), extended, and their violations reported. Scope and seal follow the
    /// case or household the order belongs to.
    static func addProtectionOrderRoutes(to router: inout Router<Route>) {
        router.add("POST", "/api/v1/cases/{id}/protection-orders", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let caseID = try caseID(request)
            let order = try decodeValidated(ProtectionOrderBody.self, from: request) {
                $0.draft.validate(today: app.store.today, onHousehold: false)
            }
            guard let (id, replayed) = try app.store.recordProtectionOrder(order, caseID: caseID, by: user,
                                                                          idempotency: try app.idempotencyKey(request, scope: "user:\(user.id)"))
            else { throw APIError.notFound }
            return try app.createdOrder(id, replayed: replayed, user: user)
        })
        router.add("GET", "/api/v1/cases/{id}/protection-orders", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            guard let orders = try app.store.protectionOrders(caseID: try caseID(request), for: user) else { throw APIError.notFound }
            return try json(200, ProtectionOrderListView(protectionOrders: orders.map { ProtectionOrderView($0, today: app.store.today) }))
        })
        router.add("POST", "/api/v1/households/{id}/protection-orders", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let householdID = try caseID(request)
            let order = try decodeValidated(ProtectionOrderBody.self, from: request) {
                $0.draft.validate(today: app.store.today, onHousehold: true)
            }
            guard let (id, replayed) = try app.store.recordProtectionOrder(order, householdID: householdID, by: user,
                                                                          idempotency: try app.idempotencyKey(request, scope: "user:\(user.id)"))
            else { throw APIError.notFound }
            return try app.createdOrder(id, replayed: replayed, user: user)
        })
        router.add("GET", "/api/v1/households/{id}/protection-orders", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            guard let orders = try app.store.protectionOrders(householdID: try caseID(request), for: user) else { throw APIError.notFound }
            return try json(200, ProtectionOrderListView(protectionOrders: orders.map { ProtectionOrderView($0, today: app.store.today) }))
        })
        router.add("GET", "/api/v1/protection-orders", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            var problems = unknownFilters(request, known: ["expiring_within", "limit"])
            var within = app.protectionOrderWarnDays
            var limit = 200
            if let raw = request.query["expiring_within"] {
                if let value = Int(raw), (0...366).contains(value) { within = value } else {
                    problems.append(FieldError("expiring_within", "must be a number of days from 0 to 366"))
                }
            }
            if let raw = request.query["limit"] {
                if let value = Int(raw), (1...200).contains(value) { limit = value } else { problems.append(FieldError("limit", "must be from 1 to 200")) }
            }
            guard problems.isEmpty else { throw APIError.validation(problems) }
            let orders = try app.store.expiringProtectionOrders(within: within, for: user, limit: limit)
            return try json(200, ProtectionOrderListView(protectionOrders: orders.map { ProtectionOrderView($0, today: app.store.today) }))
        })
        router.add("GET", "/api/v1/protection-orders/{id}", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            guard let order = try app.store.protectionOrder(id: try caseID(request), for: user) else { throw APIError.notFound }
            return try json(200, ProtectionOrderView(order, today: app.store.today))
        })
        router.add("POST", "/api/v1/protection-orders/{id}/extensions", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let id = try caseID(request)
            let ext = try decodeValidated(ProtectionOrderExtensionBody.self, from: request) {
                ProtectionOrderExtension.validate(ruledOn: $0.ruledOn, expiresOn: $0.expiresOn, note: $0.note, today: app.store.today)
            }
            let (found, replayed) = try app.store.extendProtectionOrder(id: id, ext, by: user,
                                                                       idempotency: try app.idempotencyKey(request, scope: "user:\(user.id)"))
            guard found, let order = try app.store.protectionOrder(id: id, for: user) else { throw APIError.notFound }
            var response = try json(replayed ? 200 : 201, ProtectionOrderView(order, today: app.store.today))
            if replayed { response.headers.append(("Idempotent-Replayed", "true")) }
            return response
        })
        router.add("POST", "/api/v1/protection-orders/{id}/violations", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let id = try caseID(request)
            let violation = try decodeValidated(ProtectionOrderViolationBody.self, from: request) {
                ProtectionOrderViolation.validate(occurredOn: $0.occurredOn, what: $0.what, today: app.store.today)
            }
            guard let (receipt, replayed) = try app.store.reportProtectionOrderViolation(
                orderID: id, violation, by: user, idempotency: try app.idempotencyKey(request, scope: "user:\(user.id)"))
            else { throw APIError.notFound }
            var response = try json(replayed ? 200 : 201, ProtectionOrderViolationReceiptView(receipt))
            if replayed { response.headers.append(("Idempotent-Replayed", "true")) }
            return response
        })
    }

    /// The lead the warning has, in calendar days, for the default of the expiring list.
    var protectionOrderWarnDays: Int {
        if case .days(let days) = store.rules.grassroots.protectionOrderWarnBefore { return days }
        return 15
    }

    func createdOrder(_ id: Int64, replayed: Bool, user: StaffUser) throws -> Response {
        guard let order = try store.protectionOrder(id: id, for: user) else { throw APIError.notFound }
        var response = try json(replayed ? 200 : 201, ProtectionOrderView(order, today: store.today))
        response.headers.append(("Location", "/api/v1/protection-orders/\(id)"))
        if replayed { response.headers.append(("Idempotent-Replayed", "true")) }
        return response
    }
}

struct ProtectionOrderBody: RequestBody {
    let draft: ProtectionOrderDraft

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        draft = ProtectionOrderDraft(court: fields.string("court"), orderNo: fields.string("order_no"),
                                     protectedPerson: fields.string("protected_person"), householdMemberID: fields.int("household_member_id"),
                                     issuedOn: fields.string("issued_on"), effectiveFrom: fields.string("effective_from"),
                                     expiresOn: fields.string("expires_on"), measures: fields.strings("measures"),
                                     otherMeasure: fields.string("other_measure"), counsellingOrdered: fields.bool("counselling_ordered"))
    }
}

struct ProtectionOrderExtensionBody: RequestBody {
    let ruledOn: String?
    let expiresOn: String?
    let note: String?

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        ruledOn = fields.string("ruled_on")
        expiresOn = fields.string("expires_on")
        note = fields.string("note")
    }
}

struct ProtectionOrderViolationBody: RequestBody {
    let occurredOn: String?
    let what: String?

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        occurredOn = fields.string("occurred_on")
        what = fields.string("what")
    }
}

struct ProtectionOrderExtensionView: ResponseBody {
    let id: Int64
    let ruledOn: String
    let previousExpiresOn: String
    let expiresOn: String
    let note: String?
    let recordedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, note
        case ruledOn = "ruled_on", previousExpiresOn = "previous_expires_on", expiresOn = "expires_on", recordedAt = "recorded_at"
    }
}

struct ProtectionOrderViolationView: ResponseBody {
    let id: Int64
    let occurredOn: String
    let what: String
    let caseTaskID: Int64?
    let leadID: Int64?
    let leadTaskID: Int64?
    let reportedBy: Int64
    let reportedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, what
        case occurredOn = "occurred_on", caseTaskID = "case_task_id", leadID = "lead_id", leadTaskID = "lead_task_id"
        case reportedBy = "reported_by", reportedAt = "reported_at"
    }
}

/// An order; a masked one (its sealed matter is not open to her) carries where it sits and its expiry only.
struct ProtectionOrderView: ResponseBody {
    let id: Int64
    let caseID: Int64?
    let householdID: Int64?
    let unitID: Int64
    let unitName: String
    let masked: Bool
    let status: String
    let expiresOn: String
    let daysLeft: Int
    let court: String?
    let orderNo: String?
    let protectedPerson: String?
    let householdMemberID: Int64?
    let protectedName: String?
    let issuedOn: String?
    let effectiveFrom: String?
    let measures: [String]
    let otherMeasure: String?
    let counsellingOrdered: Bool?
    let recordedAt: Date?
    let extensions: [ProtectionOrderExtensionView]
    let violations: [ProtectionOrderViolationView]

    init(_ o: ProtectionOrderRecord, today: LocalDate) {
        id = o.id
        caseID = o.caseID
        householdID = o.householdID
        unitID = o.unitID
        unitName = o.unitName
        masked = o.masked
        status = ProtectionOrderView.status(o, today: today)
        expiresOn = o.expiresOn.description
        daysLeft = o.expiresOn.dayNumber - today.dayNumber
        court = o.court
        orderNo = o.orderNo
        protectedPerson = o.protectedPerson?.rawValue
        householdMemberID = o.householdMemberID
        protectedName = o.protectedName
        issuedOn = o.issuedOn?.description
        effectiveFrom = o.effectiveFrom?.description
        measures = o.measures.map(\.rawValue)
        otherMeasure = o.otherMeasure
        counsellingOrdered = o.counsellingOrdered
        recordedAt = o.recordedAt
        extensions = o.extensions.map {
            ProtectionOrderExtensionView(id: $0.id, ruledOn: $0.ruledOn.description, previousExpiresOn: $0.previousExpiresOn.description,
                                         expiresOn: $0.expiresOn.description, note: $0.note, recordedAt: $0.recordedAt)
        }
        violations = o.violations.map {
            ProtectionOrderViolationView(id: $0.id, occurredOn: $0.occurredOn.description, what: $0.what, caseTaskID: $0.caseTaskID,
                                         leadID: $0.leadID, leadTaskID: $0.leadTaskID, reportedBy: $0.reportedBy, reportedAt: $0.reportedAt)
        }
    }

    /// in_force, pending (issued, not yet effective) or expired (its last day has passed).
    static func status(_ o: ProtectionOrderRecord, today: LocalDate) -> String {
        if o.expiresOn < today { return "expired" }
        if let from = o.effectiveFrom, from > today { return "pending" }
        return "in_force"
    }

    enum CodingKeys: String, CodingKey {
        case id, masked, status, court, measures, extensions, violations
        case caseID = "case_id", householdID = "household_id", unitID = "unit_id", unitName = "unit_name", expiresOn = "expires_on"
        case daysLeft = "days_left", orderNo = "order_no", protectedPerson = "protected_person", householdMemberID = "household_member_id"
        case protectedName = "protected_name", issuedOn = "issued_on", effectiveFrom = "effective_from", otherMeasure = "other_measure"
        case counsellingOrdered = "counselling_ordered", recordedAt = "recorded_at"
    }
}

struct ProtectionOrderListView: ResponseBody {
    let protectionOrders: [ProtectionOrderView]
    enum CodingKeys: String, CodingKey { case protectionOrders = "protection_orders" }
}

struct ProtectionOrderViolationReceiptView: ResponseBody {
    let id: Int64
    let orderID: Int64
    let caseID: Int64?
    let caseTaskID: Int64?
    let leadID: Int64?
    let leadTaskID: Int64?
    let leadOpened: Bool
    let riskGrade = "high"

    init(_ r: ProtectionOrderViolationReceipt) {
        id = r.id
        orderID = r.orderID
        caseID = r.caseID
        caseTaskID = r.caseTaskID
        leadID = r.leadID
        leadTaskID = r.leadTaskID
        leadOpened = r.leadOpened
    }

    enum CodingKeys: String, CodingKey {
        case id
        case orderID = "order_id", caseID = "case_id", caseTaskID = "case_task_id", leadID = "lead_id", leadTaskID = "lead_task_id"
        case leadOpened = "lead_opened", riskGrade = "risk_grade"
    }
}
