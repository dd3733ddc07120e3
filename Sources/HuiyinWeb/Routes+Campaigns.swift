import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

extension HuiyinApp {
    /// Screening campaigns (专项排查): opened by a supervisor for units below hers; leads and cases link to
    /// them; each unit files its report and reports major risks up; the page shows who has not reported.
    static func addCampaignRoutes(to router: inout Router<Route>) {
        router.add("POST", "/api/v1/campaigns", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let campaign = try decodeValidated(CampaignBody.self, from: request) { $0.draft.validate(today: app.store.today) }
            let (id, replayed) = try app.store.openCampaign(campaign, by: user,
                                                            idempotency: try app.idempotencyKey(request, scope: "user:\(user.id)"))
            guard let progress = try app.store.campaignProgress(id: id, for: user) else { throw APIError.notFound }
            var response = try json(replayed ? 200 : 201, CampaignView(progress, today: app.store.today, timeZone: app.store.timeZone))
            response.headers.append(("Location", "/api/v1/campaigns/\(id)"))
            if replayed { response.headers.append(("Idempotent-Replayed", "true")) }
            return response
        })
        router.add("GET", "/api/v1/campaigns", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let problems = unknownFilters(request, known: [])
            guard problems.isEmpty else { throw APIError.validation(problems) }
            let today = app.store.today
            return try json(200, CampaignListView(campaigns: try app.store.campaigns(for: user).map { CampaignSummaryView($0, today: today) }))
        })
        router.add("GET", "/api/v1/campaigns/{id}", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            guard let progress = try app.store.campaignProgress(id: try caseID(request), for: user) else { throw APIError.notFound }
            return try json(200, CampaignView(progress, today: app.store.today, timeZone: app.store.timeZone))
        })
        router.add("PUT", "/api/v1/campaigns/{id}/reports/{unit}", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(CampaignReportBody.self, from: request)
            guard let revision = try app.store.fileCampaignReport(campaignID: try caseID(request), unitID: try caseID(request, "unit"),
                                                                  body.draft, by: user) else { throw APIError.notFound }
            return try json(revision == 1 ? 201 : 200, CampaignReportFiledView(revision: revision))
        })
        router.add("POST", "/api/v1/campaigns/{id}/major-risks", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let risk = try decodeValidated(MajorRiskBody.self, from: request) { $0.draft.validate() }
            let campaignID = try caseID(request)
            guard let (id, replayed) = try app.store.reportMajorRisk(campaignID: campaignID, risk, by: user,
                                                                     idempotency: try app.idempotencyKey(request, scope: "user:\(user.id)"))
            else { throw APIError.notFound }
            var response = try json(replayed ? 200 : 201, CreatedView(id: id))
            response.headers.append(("Location", "/api/v1/campaigns/\(campaignID)"))
            if replayed { response.headers.append(("Idempotent-Replayed", "true")) }
            return response
        })
        router.add("POST", "/api/v1/campaigns/{id}/links", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(CampaignLinkBody.self, from: request)
            guard try app.store.linkToCampaign(campaignID: try caseID(request), leadID: body.leadID, caseID: body.caseID, by: user) != nil
            else { throw APIError.notFound }
            return Response(status: 204)
        })
    }
}

struct CampaignBody: RequestBody {
    let draft: CampaignDraft

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        draft = CampaignDraft(topic: fields.string("topic"), startsOn: fields.string("starts_on"), endsOn: fields.string("ends_on"),
                              unitIDs: fields.ints("unit_ids"), reportItems: fields.strings("report_items"))
    }
}

struct CampaignReportBody: RequestBody {
    let draft: CampaignReportDraft

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        draft = CampaignReportDraft(found: fields.int("found"), settled: fields.int("settled"), majorRisks: fields.int("major_risks"),
                                    notes: fields.string("notes"))
    }
}

struct MajorRiskBody: RequestBody {
    let draft: MajorRiskDraft

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        draft = MajorRiskDraft(unitID: fields.int("unit_id"), summary: fields.string("summary"), leadID: fields.int("lead_id"),
                               caseID: fields.int("case_id"))
    }
}

struct CampaignLinkBody: RequestBody {
    let leadID: Int64?
    let caseID: Int64?

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        leadID = fields.int("lead_id")
        caseID = fields.int("case_id")
        if (leadID == nil) == (caseID == nil) { errors.append(FieldError("lead_id", "name exactly one of lead_id and case_id")) }
    }
}

struct CampaignSummaryView: ResponseBody {
    let id: Int64
    let unitID: Int64
    let unitName: String
    let topic: String
    let startsOn: String
    let endsOn: String
    let phase: String
    let reportItems: [String]
    let units: Int
    let reported: Int
    let majorRisks: Int
    let createdAt: Date

    init(_ c: CampaignSummary, today: LocalDate) {
        id = c.id
        unitID = c.unitID
        unitName = c.unitName
        topic = c.topic
        startsOn = c.startsOn.description
        endsOn = c.endsOn.description
        phase = CampaignPhase(startsOn: c.startsOn, endsOn: c.endsOn, today: today).rawValue
        reportItems = c.reportItems.map(\.rawValue)
        units = c.units
        reported = c.reported
        majorRisks = c.majorRisks
        createdAt = c.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, topic, phase, units, reported
        case unitID = "unit_id", unitName = "unit_name", startsOn = "starts_on", endsOn = "ends_on", reportItems = "report_items"
        case majorRisks = "major_risks", createdAt = "created_at"
    }
}

struct CampaignListView: ResponseBody {
    let campaigns: [CampaignSummaryView]
}

struct CampaignDeclaredView: ResponseBody {
    let found: Int?
    let settled: Int?
    let majorRisks: Int?
    let notes: String?
    let revision: Int
    let filedAt: Date
    let revisedAt: Date
    let late: Bool

    enum CodingKeys: String, CodingKey {
        case found, settled, notes, revision, late
        case majorRisks = "major_risks", filedAt = "filed_at", revisedAt = "revised_at"
    }
}

struct CampaignUnitView: ResponseBody {
    let unitID: Int64
    let unitName: String
    let found: Int
    let settled: Int
    let leadsFound: Int
    let casesFound: Int
    let majorRisks: Int
    let reported: Bool
    let overdue: Bool
    let remindedAt: Date?
    let report: CampaignDeclaredView?

    init(_ u: CampaignUnitProgress, endsOn: LocalDate, timeZone: TimeZone) {
        unitID = u.unitID
        unitName = u.unitName
        found = u.found
        settled = u.settled
        leadsFound = u.leadsFound
        casesFound = u.casesFound
        majorRisks = u.majorRisks
        reported = u.report != nil
        overdue = u.overdueAt != nil && u.report == nil
        remindedAt = u.remindedAt
        report = u.report.flatMap { r in
            u.filedAt.map { filed in
                CampaignDeclaredView(found: r.found, settled: r.settled, majorRisks: r.majorRisks, notes: r.notes, revision: u.revision ?? 1,
                                     filedAt: filed, revisedAt: u.revisedAt ?? filed, late: LocalDate(filed, in: timeZone) > endsOn)
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case found, settled, reported, overdue, report
        case unitID = "unit_id", unitName = "unit_name", leadsFound = "leads_found", casesFound = "cases_found"
        case majorRisks = "major_risks", remindedAt = "reminded_at"
    }
}

struct CampaignMatterView: ResponseBody {
    let kind: String
    let id: Int64
    let unitID: Int64
    let unitName: String
    let status: String
    let settled: Bool
    let sealed: Bool
    let masked: Bool
    let summary: String?

    enum CodingKeys: String, CodingKey {
        case kind, id, status, settled, sealed, masked, summary
        case unitID = "unit_id", unitName = "unit_name"
    }
}

struct CampaignRiskView: ResponseBody {
    let id: Int64
    let unitID: Int64
    let unitName: String
    let summary: String?
    let masked: Bool
    let leadID: Int64?
    let caseID: Int64?
    let reportedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, summary, masked
        case unitID = "unit_id", unitName = "unit_name", leadID = "lead_id", caseID = "case_id", reportedAt = "reported_at"
    }
}

struct CampaignTotalsView: ResponseBody {
    let units: Int
    let reported: Int
    let found: Int
    let settled: Int
    let declaredFound: Int
    let declaredSettled: Int
    let majorRisks: Int

    enum CodingKeys: String, CodingKey {
        case units, reported, found, settled
        case declaredFound = "declared_found", declaredSettled = "declared_settled", majorRisks = "major_risks"
    }
}

/// The campaign page's data: each unit's progress, who has not reported, the totals.
struct CampaignView: ResponseBody {
    let campaign: CampaignSummaryView
    let units: [CampaignUnitView]
    let notReported: [Int64]
    let totals: CampaignTotalsView
    let matters: [CampaignMatterView]
    let majorRisks: [CampaignRiskView]

    init(_ p: CampaignProgress, today: LocalDate, timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!) {
        campaign = CampaignSummaryView(p.campaign, today: today)
        units = p.units.map { CampaignUnitView($0, endsOn: p.campaign.endsOn, timeZone: timeZone) }
        notReported = p.units.filter { $0.report == nil }.map(\.unitID)
        totals = CampaignTotalsView(units: p.units.count, reported: p.units.filter { $0.report != nil }.count,
                                    found: p.units.map(\.found).reduce(0, +), settled: p.units.map(\.settled).reduce(0, +),
                                    declaredFound: p.units.compactMap { $0.report?.found }.reduce(0, +),
                                    declaredSettled: p.units.compactMap { $0.report?.settled }.reduce(0, +),
                                    majorRisks: p.units.map(\.majorRisks).reduce(0, +))
        matters = p.matters.map {
            CampaignMatterView(kind: $0.kind, id: $0.id, unitID: $0.unitID, unitName: $0.unitName, status: $0.status, settled: $0.settled,
                               sealed: $0.sealed, masked: $0.masked, summary: $0.summary)
        }
        majorRisks = p.risks.map {
            CampaignRiskView(id: $0.id, unitID: $0.unitID, unitName: $0.unitName, summary: $0.summary, masked: $0.masked,
                             leadID: $0.leadID, caseID: $0.caseID, reportedAt: $0.reportedAt)
        }
    }

    enum CodingKeys: String, CodingKey {
        case campaign, units, totals, matters
        case notReported = "not_reported", majorRisks = "major_risks"
    }
}

struct CampaignReportFiledView: ResponseBody {
    let revision: Int
}
