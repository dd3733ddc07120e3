import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

extension HuiyinApp {
    /// Leads (线索) and the village women's council's sittings (议事研判): scoped like the households,
    /// masked in lists, every read of a lead audited.
    static func addLeadRoutes(to router: inout Router<Route>) {
        router.add("POST", "/api/v1/leads", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let lead = try decodeValidated(LeadBody.self, from: request) { body in
                body.draft.validate().map { var lead = $0; lead.campaignID = body.campaignID; return lead }
            }
            guard let (receipt, replayed) = try app.store.addLead(lead, by: user,
                                                                  idempotency: try app.idempotencyKey(request, scope: "user:\(user.id)"))
            else { throw APIError.notFound }
            var response = try json(201, LeadReceiptView(receipt))
            response.headers.append(("Location", "/api/v1/leads/\(receipt.id)"))
            if replayed { response.headers.append(("Idempotent-Replayed", "true")) }
            return response
        })
        router.add("GET", "/api/v1/leads", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let filter = try app.leadFilter(request, user: user)
            let items = try app.store.leads(filter, for: user)
            return try json(200, LeadListView(leads: items.map(LeadListItemView.init),
                                              nextBeforeID: items.count == filter.limit ? items.last?.id : nil))
        })
        router.add("GET", "/api/v1/leads/{id}", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            guard let record = try app.store.readLead(id: try caseID(request), by: user, view: "lead") else { throw APIError.notFound }
            return try json(200, LeadView(record))
        })
        router.add("POST", "/api/v1/leads/{id}/tasks/{task}/complete", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(TaskReportBody.self, from: request)
            guard try app.store.completeLeadTask(leadID: try caseID(request), taskID: try caseID(request, "task"), detail: body.detail,
                                                 by: user) else { throw APIError.notFound }
            return Response(status: 204)
        })
        router.add("POST", "/api/v1/villages/{id}/sittings", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let villageID = try caseID(request)
            let sitting = try decodeValidated(SittingBody.self, from: request) { $0.draft.validate(today: app.store.today) }
            guard let id = try app.store.recordSitting(villageID: villageID, sitting, by: user) else { throw APIError.notFound }
            var response = try json(201, CreatedView(id: id))
            response.headers.append(("Location", "/api/v1/sittings/\(id)"))
            return response
        })
        router.add("GET", "/api/v1/villages/{id}/sittings", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            guard let sittings = try app.store.sittings(villageID: try caseID(request), for: user) else { throw APIError.notFound }
            return try json(200, SittingListView(sittings: sittings.map(SittingSummaryView.init)))
        })
        router.add("GET", "/api/v1/sittings/{id}", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            guard let sitting = try app.store.sitting(id: try caseID(request), for: user) else { throw APIError.notFound }
            return try json(200, SittingView(sitting))
        })
    }

    /// The lead list's filters from the query string, each checked; a village or grid outside her scope is 404.
    func leadFilter(_ request: Request, user: StaffUser) throws -> LeadFilter {
        var filter = LeadFilter()
        var problems: [FieldError] = []
        let known: Set<String> = ["status", "village_id", "grid_id", "before_id", "limit", "mine"]
        for name in request.query.keys.sorted() where !known.contains(name) { problems.append(FieldError(name, "is not a known filter")) }
        func id(_ name: String) -> Int64? {
            guard let raw = request.query[name] else { return nil }
            guard let value = Int64(raw), value > 0 else { problems.append(FieldError(name, "must be a positive integer")); return nil }
            return value
        }
        if let raw = request.query["status"] {
            filter.status = LeadStatus(rawValue: raw)
            if filter.status == nil { problems.append(FieldError("status", "must be one of " + LeadStatus.allCases.map(\.rawValue).joined(separator: ", "))) }
        }
        filter.villageID = id("village_id")
        switch request.query["mine"] {
        case nil, "false": break
        case "true": filter.mine = true
        default: problems.append(FieldError("mine", "must be true or false"))
        }
        filter.gridID = id("grid_id")
        filter.beforeID = id("before_id")
        if let raw = request.query["limit"] {
            if let limit = Int(raw), (1...200).contains(limit) { filter.limit = limit } else { problems.append(FieldError("limit", "must be from 1 to 200")) }
        }
        guard problems.isEmpty else { throw APIError.validation(problems) }
        if let village = filter.villageID, try !store.leadUnitIsInScope(village, level: "village", of: user) { throw APIError.notFound }
        if let grid = filter.gridID, try !store.leadUnitIsInScope(grid, level: "grid", of: user) { throw APIError.notFound }
        return filter
    }
}

struct LeadBody: RequestBody {
    let draft: LeadDraft
    /// The screening campaign it was found in (专项排查), if any.
    let campaignID: Int64?

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        var draft = LeadDraft(gridID: fields.int("grid_id"), kind: fields.string("kind"), source: fields.string("source"),
                              sourceCaseID: fields.int("source_case_id"), householdID: fields.int("household_id"),
                              summary: fields.string("summary"), urgency: fields.string("urgency"),
                              riskAnswers: fields.booleans("risk_answers"))
        campaignID = fields.int("campaign_id")
        for var person in fields.objects("people") ?? [] {
            draft.people.append(LeadPersonDraft(role: person.string("role"), name: person.string("name"), phone: person.string("phone"),
                                                relation: person.string("relation"), age: person.int("age").map { Int(clamping: $0) },
                                                isMinor: person.bool("is_minor")))
            errors += person.finish().filter { $0.message != "is required" }
        }
        self.draft = draft
    }
}

struct SittingBody: RequestBody {
    let draft: SittingDraft

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        var draft = SittingDraft(heldOn: fields.string("held_on"))
        for var participant in fields.objects("participants") ?? [] {
            draft.participants.append(SittingParticipantDraft(name: participant.string("name"), role: participant.string("role")))
            errors += participant.finish().filter { $0.message != "is required" }
        }
        for var decision in fields.objects("decisions") ?? [] {
            draft.decisions.append(LeadDecisionDraft(
                leadID: decision.int("lead_id"), decision: decision.string("decision"), mediatorKind: decision.string("mediator_kind"),
                mediatorName: decision.string("mediator_name"), referralKind: decision.string("referral_kind"),
                referredTo: decision.string("referred_to"), targetUnitID: decision.int("target_unit_id"),
                mediationBodyID: decision.int("mediation_body_id"),
                reason: decision.string("reason"), note: decision.string("note"), riskGrade: decision.string("risk_grade")))
            errors += decision.finish().filter { $0.message != "is required" }
        }
        self.draft = draft
    }
}

struct LeadReceiptView: ResponseBody {
    let id: Int64
    let status: String
    let sealed: Bool
    let riskGrade: String?
    let mandatoryReports: [String]
    let directReport: Bool
    let deliberationDueOn: String

    init(_ receipt: LeadReceipt) {
        id = receipt.id
        status = receipt.status
        sealed = receipt.sealed
        riskGrade = receipt.riskGrade
        mandatoryReports = receipt.mandatoryReports
        directReport = receipt.directReport
        deliberationDueOn = receipt.deliberationDueOn
    }

    enum CodingKeys: String, CodingKey {
        case id, status, sealed
        case riskGrade = "risk_grade", mandatoryReports = "mandatory_reports", directReport = "direct_report"
        case deliberationDueOn = "deliberation_due_on"
    }
}

struct LeadListView: ResponseBody {
    let leads: [LeadListItemView]
    let nextBeforeID: Int64?

    enum CodingKeys: String, CodingKey { case leads, nextBeforeID = "next_before_id" }
}

/// A list row: people's names masked; a lead sealed to her shows only that it exists and where it stands.
struct LeadListItemView: ResponseBody {
    let id: Int64
    let gridID: Int64
    let gridName: String
    let villageID: Int64
    let villageName: String
    let kind: String
    let source: String
    let urgency: String
    let status: String
    let riskGrade: String?
    let sealed: Bool
    let masked: Bool
    let summary: String?
    let people: [String]
    let reportedAt: Date
    let deliberationDueOn: String?

    init(_ item: LeadListItem) {
        id = item.id
        gridID = item.gridID
        gridName = item.gridName
        villageID = item.villageID
        villageName = item.villageName
        kind = item.kind.rawValue
        source = item.source.rawValue
        urgency = item.urgency.rawValue
        status = item.status.rawValue
        riskGrade = item.riskGrade?.rawValue
        sealed = item.sealed
        masked = item.masked
        summary = item.summary
        people = item.people
        reportedAt = item.reportedAt
        deliberationDueOn = item.deliberationDueOn?.description
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, source, urgency, status, sealed, masked, summary, people
        case gridID = "grid_id", gridName = "grid_name", villageID = "village_id", villageName = "village_name"
        case riskGrade = "risk_grade", reportedAt = "reported_at", deliberationDueOn = "deliberation_due_on"
    }
}

struct LeadPersonView: ResponseBody {
    let role: String
    let name: String
    let phone: String?
    let relation: String?
    let age: Int?
    let isMinor: Bool

    enum CodingKeys: String, CodingKey { case role, name, phone, relation, age, isMinor = "is_minor" }
}

struct LeadTaskView: ResponseBody {
    let id: Int64
    let kind: String
    let reason: String
    let dueAt: Date
    let state: String

    enum CodingKeys: String, CodingKey { case id, kind, reason, state, dueAt = "due_at" }
}

/// The audited read: whole when she may open it; a lead sealed to her is masked.
struct LeadView: ResponseBody {
    let lead: LeadListItemView
    let sourceCaseID: Int64?
    let householdID: Int64?
    let caseID: Int64?
    let people: [LeadPersonView]
    let mandatoryReports: [String]
    let tasks: [LeadTaskView]
    let reportedBy: Int64
    let campaignID: Int64?

    init(_ record: LeadRecord) {
        lead = LeadListItemView(record.item)
        sourceCaseID = record.sourceCaseID
        householdID = record.householdID
        caseID = record.caseID
        people = record.people.map {
            LeadPersonView(role: $0.role.rawValue, name: $0.name, phone: $0.phone, relation: $0.relation?.rawValue, age: $0.age,
                           isMinor: $0.isMinor)
        }
        mandatoryReports = record.mandatoryReports.map(\.rawValue)
        tasks = record.tasks.map { LeadTaskView(id: $0.id, kind: $0.kind, reason: $0.reason, dueAt: $0.dueAt, state: $0.state) }
        reportedBy = record.reportedBy
        campaignID = record.campaignID
    }

    enum CodingKeys: String, CodingKey {
        case lead, people, tasks
        case sourceCaseID = "source_case_id", householdID = "household_id", caseID = "case_id"
        case mandatoryReports = "mandatory_reports", reportedBy = "reported_by", campaignID = "campaign_id"
    }
}

struct SittingListView: ResponseBody {
    let sittings: [SittingSummaryView]
}

struct SittingSummaryView: ResponseBody {
    let id: Int64
    let villageID: Int64
    let heldOn: String
    let participants: Int
    let decisions: Int
    let recordedBy: Int64
    let recordedAt: Date

    init(_ summary: SittingSummary) {
        id = summary.id
        villageID = summary.villageID
        heldOn = summary.heldOn.description
        participants = summary.participants
        decisions = summary.decisions
        recordedBy = summary.recordedBy
        recordedAt = summary.recordedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, participants, decisions
        case villageID = "village_id", heldOn = "held_on", recordedBy = "recorded_by", recordedAt = "recorded_at"
    }
}

struct SittingParticipantView: ResponseBody {
    let name: String
    let role: String
}

struct LeadDecisionView: ResponseBody {
    let leadID: Int64
    let decision: String
    let masked: Bool
    let mediatorKind: String?
    let mediatorName: String?
    let referralKind: String?
    let referredTo: String?
    let targetUnitID: Int64?
    let caseID: Int64?
    let reason: String?
    let note: String?
    let riskGrade: String?

    init(_ record: LeadDecisionRecord) {
        riskGrade = record.riskGrade?.rawValue
        leadID = record.leadID
        decision = record.decision.rawValue
        masked = record.masked
        mediatorKind = record.mediatorKind?.rawValue
        mediatorName = record.mediatorName
        referralKind = record.referralKind?.rawValue
        referredTo = record.referredTo
        targetUnitID = record.targetUnitID
        caseID = record.caseID
        reason = record.reason
        note = record.note
    }

    enum CodingKeys: String, CodingKey {
        case decision, masked, reason, note
        case leadID = "lead_id", mediatorKind = "mediator_kind", mediatorName = "mediator_name", referralKind = "referral_kind"
        case referredTo = "referred_to", targetUnitID = "target_unit_id", caseID = "case_id", riskGrade = "risk_grade"
    }
}

struct SittingView: ResponseBody {
    let sitting: SittingSummaryView
    let participants: [SittingParticipantView]
    let decisions: [LeadDecisionView]

    init(_ record: SittingRecord) {
        sitting = SittingSummaryView(record.summary)
        participants = record.participants.map { SittingParticipantView(name: $0.name, role: $0.role.rawValue) }
        decisions = record.decisions.map(LeadDecisionView.init)
    }
}
