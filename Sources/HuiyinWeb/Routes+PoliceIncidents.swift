import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

extension HuiyinApp {
    /// Police domestic-violence incidents (家暴警情): one at a time through the API (the spreadsheet goes
    /// through `huiyin incidents import`), idempotent on the police number; scoped, masked, every read
    /// audited; the phone follow-up; the monthly on-time figure (goal: 100 %).
    static func addPoliceIncidentRoutes(to router: inout Router<Route>) {
        router.add("POST", "/api/v1/police-incidents", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            // The federation's staff who take incidents over from the police: not the intake desk, not the grids.
            guard [.handler, .supervisor, .leader, .admin].contains(user.role) else {
                throw APIError(status: 403, code: "forbidden", message: "Incidents are entered by a unit's handlers, supervisors, leaders or admin.")
            }
            let incident = try decodeValidated(PoliceIncidentBody.self, from: request) {
                $0.draft.validate(names: .api, timeZone: app.store.timeZone, now: app.store.now())
            }
            guard let (id, replayed) = try app.store.addIncident(incident, by: user) else {
                // The number is on record in a unit she cannot see: saying more would reveal it.
                throw APIError(status: 409, code: "incident_no_taken", message: "This incident number is on record elsewhere.")
            }
            guard let record = try app.store.readIncident(id: id, by: user, view: "created") else { throw APIError.notFound }
            var response = try json(replayed ? 200 : 201, PoliceIncidentView(record))
            response.headers.append(("Location", "/api/v1/police-incidents/\(id)"))
            if replayed { response.headers.append(("Idempotent-Replayed", "true")) }
            return response
        })
        router.add("GET", "/api/v1/police-incidents", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            var problems = unknownFilters(request, known: ["before_id", "limit", "open"])
            var beforeID: Int64?
            var limit = 50
            var openOnly = false
            if let raw = request.query["before_id"] {
                if let value = Int64(raw), value > 0 { beforeID = value } else { problems.append(FieldError("before_id", "must be a positive integer")) }
            }
            if let raw = request.query["limit"] {
                if let value = Int(raw), (1...200).contains(value) { limit = value } else { problems.append(FieldError("limit", "must be from 1 to 200")) }
            }
            switch request.query["open"] {
            case nil, "false": break
            case "true": openOnly = true
            default: problems.append(FieldError("open", "must be true or false"))
            }
            guard problems.isEmpty else { throw APIError.validation(problems) }
            let items = try app.store.incidents(for: user, beforeID: beforeID, limit: limit, openOnly: openOnly)
            return try json(200, PoliceIncidentListView(incidents: items.map(PoliceIncidentItemView.init),
                                                        nextBeforeID: items.count == limit ? items.last?.id : nil))
        })
        router.add("GET", "/api/v1/police-incidents/figures", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            var problems = unknownFilters(request, known: ["month"])
            var month = LocalDate(year: app.store.today.year, month: app.store.today.month, day: 1)!
            if let raw = request.query["month"] {
                if let parsed = LocalDate(iso: raw + "-01"), raw.count == 7 { month = parsed } else { problems.append(FieldError("month", "must be a month as YYYY-MM")) }
            }
            guard problems.isEmpty else { throw APIError.validation(problems) }
            let (total, units) = try app.store.incidentFigures(month: month, for: user)
            return try json(200, IncidentFiguresView(month: String(month.description.prefix(7)), goal: 1.0,
                                                     total: IncidentFigureView(total), units: units.map(IncidentFigureView.init)))
        })
        router.add("GET", "/api/v1/police-incidents/{id}", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            guard let record = try app.store.readIncident(id: try caseID(request), by: user, view: "incident") else { throw APIError.notFound }
            return try json(200, PoliceIncidentView(record))
        })
        router.add("POST", "/api/v1/police-incidents/{id}/follow-ups", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let followUp = try decodeValidated(IncidentFollowUpBody.self, from: request) { $0.draft.validate() }
            guard let (id, caseID, leadID) = try app.store.recordIncidentFollowUp(incidentID: try caseID(request), followUp, by: user) else {
                throw APIError.notFound
            }
            return try json(201, IncidentFollowUpCreatedView(id: id, caseID: caseID, leadID: leadID, riskGrade: followUp.assessment?.grade.rawValue))
        })
    }
}

struct PoliceIncidentBody: RequestBody {
    let draft: PoliceIncidentDraft

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        var letter: String?
        if let value = fields.bool("warning_letter") { letter = value ? "true" : "false" }
        draft = PoliceIncidentDraft(incidentNo: fields.string("incident_no"), occurredAt: fields.string("occurred_at"),
                                    station: fields.string("station"), address: fields.string("address"),
                                    victimName: fields.string("victim_name"), victimPhone: fields.string("victim_phone"),
                                    respondentName: fields.string("respondent_name"), handling: fields.string("handling"),
                                    warningLetter: letter)
    }
}

struct IncidentFollowUpBody: RequestBody {
    let draft: IncidentFollowUpDraft

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        draft = IncidentFollowUpDraft(reached: fields.bool("reached"), said: fields.string("said"), needs: fields.string("needs"),
                                      riskAnswers: fields.booleans("risk_answers"), open: fields.string("open"), gridID: fields.int("grid_id"))
    }
}

struct PoliceIncidentItemView: ResponseBody {
    let id: Int64
    let incidentNo: String
    let occurredAt: Date
    let station: String
    let unitID: Int64
    let unitName: String
    let sealed = true
    let masked: Bool
    let address: String
    let victimName: String
    let victimPhone: String?
    let respondentName: String?
    let warningLetter: Bool
    let followUpDueOn: String
    let followedUpAt: Date?

    init(_ item: IncidentListItem) {
        id = item.id
        incidentNo = item.incidentNo
        occurredAt = item.occurredAt
        station = item.station
        unitID = item.unitID
        unitName = item.unitName
        masked = item.masked
        address = item.address
        victimName = item.victimName
        victimPhone = item.victimPhone
        respondentName = item.respondentName
        warningLetter = item.warningLetter
        followUpDueOn = item.followUpDueOn.description
        followedUpAt = item.followedUpAt
    }

    enum CodingKeys: String, CodingKey {
        case id, station, sealed, masked, address
        case incidentNo = "incident_no", occurredAt = "occurred_at", unitID = "unit_id", unitName = "unit_name"
        case victimName = "victim_name", victimPhone = "victim_phone", respondentName = "respondent_name"
        case warningLetter = "warning_letter", followUpDueOn = "follow_up_due_on", followedUpAt = "followed_up_at"
    }
}

struct PoliceIncidentListView: ResponseBody {
    let incidents: [PoliceIncidentItemView]
    let nextBeforeID: Int64?

    enum CodingKeys: String, CodingKey { case incidents, nextBeforeID = "next_before_id" }
}

struct IncidentFollowUpView: ResponseBody {
    let id: Int64
    let reached: Bool
    let said: String?
    let needs: String?
    let riskGrade: String?
    let caseID: Int64?
    let leadID: Int64?
    let onTime: Bool
    let recordedBy: Int64
    let recordedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, reached, said, needs
        case riskGrade = "risk_grade", caseID = "case_id", leadID = "lead_id", onTime = "on_time", recordedBy = "recorded_by", recordedAt = "recorded_at"
    }
}

/// The audited read: whole when she may open it (she owes the call, or supervises from above), masked otherwise.
struct PoliceIncidentView: ResponseBody {
    let incident: PoliceIncidentItemView
    let handling: String?
    let followUps: [IncidentFollowUpView]

    init(_ record: IncidentRecord) {
        incident = PoliceIncidentItemView(record.item)
        handling = record.handling
        followUps = record.followUps.map {
            IncidentFollowUpView(id: $0.id, reached: $0.reached, said: $0.said, needs: $0.needs, riskGrade: $0.riskGrade?.rawValue,
                                 caseID: $0.caseID, leadID: $0.leadID, onTime: $0.onTime, recordedBy: $0.recordedBy, recordedAt: $0.recordedAt)
        }
    }

    enum CodingKeys: String, CodingKey { case incident, handling, followUps = "follow_ups" }
}

struct IncidentFollowUpCreatedView: ResponseBody {
    let id: Int64
    let caseID: Int64?
    let leadID: Int64?
    let riskGrade: String?

    enum CodingKeys: String, CodingKey { case id, caseID = "case_id", leadID = "lead_id", riskGrade = "risk_grade" }
}

struct IncidentFigureView: ResponseBody {
    let unitID: Int64
    let unitName: String
    let incidents: Int
    let onTime: Int
    let late: Int
    let openNotDue: Int
    let openOverdue: Int
    let shareOnTime: Double?

    init(_ figure: IncidentFigure) {
        unitID = figure.unitID
        unitName = figure.unitName
        incidents = figure.incidents
        onTime = figure.onTime
        late = figure.late
        openNotDue = figure.openNotDue
        openOverdue = figure.openOverdue
        shareOnTime = figure.shareOnTime
    }

    enum CodingKeys: String, CodingKey {
        case incidents, late
        case unitID = "unit_id", unitName = "unit_name", onTime = "on_time", openNotDue = "open_not_due", openOverdue = "open_overdue"
        case shareOnTime = "share_on_time"
    }
}

struct IncidentFiguresView: ResponseBody {
    let month: String
    /// The share the federation is held to: every incident followed up on time.
    let goal: Double
    let total: IncidentFigureView
    let units: [IncidentFigureView]
}
