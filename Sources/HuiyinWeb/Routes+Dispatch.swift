import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

extension HuiyinApp {
    /// Dispatch (派单) of medium- and high-risk disputes up to the township or county federation, the
    /// mediation's outcome on either path, and the follow-ups of settled disputes (跟踪治理).
    static func addDispatchRoutes(to router: inout Router<Route>) {
        router.add("POST", "/api/v1/leads/{id}/dispatch", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(DispatchBody.self, from: request)
            guard let unitID = body.unitID,
                  let id = try app.store.dispatchLead(toUnitID: unitID, leadID: try caseID(request), by: user, note: body.note,
                                                      mediationBodyID: body.mediationBodyID,
                                                      idempotency: try app.idempotencyKey(request, scope: "user:\(user.id)")) else {
                throw APIError.notFound
            }
            return try json(201, CreatedView(id: id))
        })
        router.add("GET", "/api/v1/dispatches", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            var problems = unknownFilters(request, known: ["view"])
            var view = DispatchListView.mine
            if let raw = request.query["view"] {
                if let parsed = DispatchListView(rawValue: raw) { view = parsed } else {
                    problems.append(FieldError("view", "must be one of to_sign, mine"))
                }
            }
            guard problems.isEmpty else { throw APIError.validation(problems) }
            let items = try app.store.dispatches(view, for: user)
            return try json(200, DispatchListBody(dispatches: items.map(DispatchView.init)))
        })
        router.add("GET", "/api/v1/dispatches/figures", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let (from, to) = try figuresPeriod(request, today: app.store.today)
            let rows = try app.store.dispatchFigures(from: from, to: to, for: user)
            return try json(200, DispatchFiguresBody(from: from.description, to: to.description, units: rows.map(DispatchFiguresView.init)))
        })
        router.add("GET", "/api/v1/dispatches/{id}", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            guard let page = try app.store.dispatchPage(id: try caseID(request), for: user) else { throw APIError.notFound }
            return try json(200, DispatchPageView(page))
        })
        router.add("POST", "/api/v1/dispatches/{id}/sign", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            _ = try decode(NoFieldsBody.self, from: request)
            guard try app.store.signDispatch(id: try caseID(request), by: user) else { throw APIError.notFound }
            return Response(status: 204)
        })
        router.add("POST", "/api/v1/dispatches/{id}/object", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(ObjectionBody.self, from: request)
            guard try app.store.objectToDispatch(id: try caseID(request), reason: body.reason, by: user) else { throw APIError.notFound }
            return Response(status: 204)
        })
        router.add("POST", "/api/v1/dispatches/{id}/notes", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(NoteBody.self, from: request)
            guard try app.store.addDispatchNote(id: try caseID(request), note: body.note, by: user) else { throw APIError.notFound }
            return Response(status: 204)
        })
        router.add("POST", "/api/v1/dispatches/{id}/outcome", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let outcome = try decodeValidated(OutcomeBody.self, from: request) { $0.draft.validate() }
            guard try app.store.recordDispatchOutcome(id: try caseID(request), outcome, by: user) else { throw APIError.notFound }
            return Response(status: 204)
        })
        router.add("POST", "/api/v1/leads/{id}/mediation-outcome", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let outcome = try decodeValidated(OutcomeBody.self, from: request) { $0.draft.validate() }
            guard try app.store.recordMediationOutcome(leadID: try caseID(request), outcome, by: user) else { throw APIError.notFound }
            return Response(status: 204)
        })
        router.add("POST", "/api/v1/leads/{id}/follow-ups", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let followUp = try decodeValidated(LeadFollowUpBody.self, from: request) { $0.draft.validate(today: app.store.today) }
            guard let id = try app.store.recordFollowUp(leadID: try caseID(request), followUp, by: user,
                                                        idempotency: try app.idempotencyKey(request, scope: "user:\(user.id)")) else {
                throw APIError.notFound
            }
            return try json(201, CreatedView(id: id))
        })
        router.add("GET", "/api/v1/leads/{id}/follow-ups", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            guard let records = try app.store.followUps(leadID: try caseID(request), for: user) else { throw APIError.notFound }
            return try json(200, FollowUpListBody(followUps: records.map(FollowUpView.init)))
        })
        router.add("GET", "/api/v1/follow-ups/due", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let problems = unknownFilters(request, known: [])
            guard problems.isEmpty else { throw APIError.validation(problems) }
            let items = try app.store.followUpsDue(for: user)
            return try json(200, FollowUpDueListBody(dues: items.map(FollowUpDueView.init)))
        })
    }

    static func unknownFilters(_ request: Request, known: Set<String>) -> [FieldError] {
        request.query.keys.sorted().filter { !known.contains($0) }.map { FieldError($0, "is not a known filter") }
    }

    /// `from` and `to` (YYYY-MM-DD, from ≤ to); by default the current month so far.
    static func figuresPeriod(_ request: Request, today: LocalDate) throws -> (LocalDate, LocalDate) {
        var problems = unknownFilters(request, known: ["from", "to"])
        func day(_ name: String, _ fallback: LocalDate) -> LocalDate? {
            guard let raw = request.query[name] else { return fallback }
            guard let parsed = LocalDate(iso: raw) else {
                problems.append(FieldError(name, "must be a date as YYYY-MM-DD"))
                return nil
            }
            return parsed
        }
        let from = day("from", LocalDate(year: today.year, month: today.month, day: 1)!)
        let to = day("to", today)
        if let from, let to, from > to { problems.append(FieldError("to", "must not be before from")) }
        guard problems.isEmpty, let from, let to else { throw APIError.validation(problems) }
        return (from, to)
    }
}

struct NoFieldsBody: RequestBody {
    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {}
}

struct DispatchBody: RequestBody {
    let unitID: Int64?
    let note: String?
    /// The registry's mediation body that will mediate it, if one is named.
    let mediationBodyID: Int64?
    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        unitID = fields.int("unit_id", required: true)
        note = fields.text("note", errors: &errors)
        mediationBodyID = fields.int("mediation_body_id")
    }
}

struct ObjectionBody: RequestBody {
    let reason: String?
    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        reason = fields.text("reason", required: true, errors: &errors)
    }
}

struct NoteBody: RequestBody {
    let note: String?
    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        note = fields.text("note", required: true, errors: &errors)
    }
}

struct OutcomeBody: RequestBody {
    let draft: MediationOutcomeDraft
    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        draft = MediationOutcomeDraft(result: fields.string("result"), nextStep: fields.string("next_step"),
                                      referredTo: fields.string("referred_to"), note: fields.string("note"))
    }
}

struct LeadFollowUpBody: RequestBody {
    let draft: FollowUpDraft
    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        draft = FollowUpDraft(madeOn: fields.string("made_on"), method: fields.string("method"),
                              result: fields.string("result"), notes: fields.string("notes"))
    }
}

/// A dispatch as lists show it; `days_left` counts working days to the signing day while it awaits
/// a signature (negative when late), null after.
struct DispatchView: ResponseBody {
    let id: Int64
    let leadID: Int64
    let leadKind: String
    let riskGrade: String?
    let sealed: Bool
    let summary: String?
    let fromUnit: UnitRef
    let toUnit: UnitRef
    let state: String
    let note: String?
    let dispatchedAt: Date
    let signDueOn: String
    let daysLeft: Int?
    let signedAt: Date?
    let objectionReason: String?

    init(_ d: DispatchRecord) {
        id = d.id
        leadID = d.leadID
        leadKind = d.leadKind
        riskGrade = d.riskGrade?.rawValue
        sealed = d.sealed
        summary = d.summary
        fromUnit = UnitRef(id: d.fromUnitID, name: d.fromUnitName)
        toUnit = UnitRef(id: d.toUnitID, name: d.toUnitName)
        state = d.state.rawValue
        note = d.note
        dispatchedAt = d.dispatchedAt
        signDueOn = d.signDueOn.description
        daysLeft = d.daysLeft
        signedAt = d.signedAt
        objectionReason = d.objectionReason
    }

    enum CodingKeys: String, CodingKey {
        case id, sealed, summary, state, note
        case leadID = "lead_id", leadKind = "lead_kind", riskGrade = "risk_grade", fromUnit = "from_unit", toUnit = "to_unit"
        case dispatchedAt = "dispatched_at", signDueOn = "sign_due_on", daysLeft = "days_left", signedAt = "signed_at"
        case objectionReason = "objection_reason"
    }
}

struct DispatchListBody: ResponseBody {
    let dispatches: [DispatchView]
}

struct MediationNoteView: ResponseBody {
    let note: String
    let recordedBy: Int64
    let recordedAt: Date
    enum CodingKeys: String, CodingKey {
        case note
        case recordedBy = "recorded_by", recordedAt = "recorded_at"
    }
}

struct MediationOutcomeView: ResponseBody {
    let result: String
    let nextStep: String?
    let referredTo: String?
    let note: String?
    let recordedBy: Int64
    let recordedAt: Date

    init(_ o: MediationOutcomeRecord) {
        result = o.outcome.result.rawValue
        nextStep = o.outcome.nextStep
        referredTo = o.outcome.referredTo
        note = o.outcome.note
        recordedBy = o.recordedBy
        recordedAt = o.recordedAt
    }

    enum CodingKeys: String, CodingKey {
        case result, note
        case nextStep = "next_step", referredTo = "referred_to", recordedBy = "recorded_by", recordedAt = "recorded_at"
    }
}

struct DispatchPageView: ResponseBody {
    let dispatch: DispatchView
    let notes: [MediationNoteView]
    let outcome: MediationOutcomeView?

    init(_ page: DispatchPage) {
        dispatch = DispatchView(page.dispatch)
        notes = page.notes.map { MediationNoteView(note: $0.note, recordedBy: $0.recordedBy, recordedAt: $0.recordedAt) }
        outcome = page.outcome.map(MediationOutcomeView.init)
    }
}

struct DispatchFiguresView: ResponseBody {
    let unit: UnitRef
    let dispatched: Int
    let signedOnTime: Int
    let signedLate: Int
    let objected: Int
    let settled: Int
    let notSettled: Int
    let referred: Int
    let open: Int

    init(_ f: DispatchFigures) {
        unit = UnitRef(id: f.unitID, name: f.unitName)
        dispatched = f.dispatched
        signedOnTime = f.signedOnTime
        signedLate = f.signedLate
        objected = f.objected
        settled = f.settled
        notSettled = f.notSettled
        referred = f.referred
        open = f.open
    }

    enum CodingKeys: String, CodingKey {
        case unit, dispatched, objected, settled, referred, open
        case signedOnTime = "signed_on_time", signedLate = "signed_late", notSettled = "not_settled"
    }
}

struct DispatchFiguresBody: ResponseBody {
    let from: String
    let to: String
    let units: [DispatchFiguresView]
}

struct FollowUpView: ResponseBody {
    let id: Int64
    let dueOn: String
    let madeOn: String
    let method: String
    let result: String
    let notes: String?
    let recordedBy: Int64
    let recordedAt: Date

    init(_ r: FollowUpRecord) {
        id = r.id
        dueOn = r.dueOn.description
        madeOn = r.followUp.madeOn.description
        method = r.followUp.method.rawValue
        result = r.followUp.result.rawValue
        notes = r.followUp.notes
        recordedBy = r.recordedBy
        recordedAt = r.recordedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, method, result, notes
        case dueOn = "due_on", madeOn = "made_on", recordedBy = "recorded_by", recordedAt = "recorded_at"
    }
}

struct FollowUpListBody: ResponseBody {
    let followUps: [FollowUpView]
    enum CodingKeys: String, CodingKey { case followUps = "follow_ups" }
}

struct FollowUpDueView: ResponseBody {
    let dueID: Int64
    let leadID: Int64
    let leadKind: String
    let sealed: Bool
    let summary: String?
    let riskGrade: String?
    let round: Int
    let number: Int
    let dueOn: String
    let overdue: Bool

    init(_ d: FollowUpDueItem) {
        dueID = d.dueID
        leadID = d.leadID
        leadKind = d.leadKind
        sealed = d.sealed
        summary = d.summary
        riskGrade = d.riskGrade?.rawValue
        round = d.round
        number = d.number
        dueOn = d.dueOn.description
        overdue = d.overdue
    }

    enum CodingKeys: String, CodingKey {
        case sealed, summary, round, number, overdue
        case dueID = "due_id", leadID = "lead_id", leadKind = "lead_kind", riskGrade = "risk_grade", dueOn = "due_on"
    }
}

struct FollowUpDueListBody: ResponseBody {
    let dues: [FollowUpDueView]
}
