import Foundation
import HuiyinCore
import Postgres

/// What the one who reports a lead is told once it is durable.
public struct LeadReceipt: Codable, Sendable, Equatable {
    public let id: Int64
    public let status: String
    public let sealed: Bool
    public let riskGrade: String?
    /// The reports the law requires at once (MandatoryReportReason raw values); each is an open task.
    public let mandatoryReports: [String]
    /// Sent straight to the city federation (直报): its supervisors were told at once.
    public let directReport: Bool
    public let deliberationDueOn: String
}

/// A lead as a list shows it: people masked; a sealed lead she may not open shows only that it exists.
public struct LeadListItem: Sendable, Equatable {
    public let id: Int64
    public let gridID: Int64
    public let gridName: String
    public let villageID: Int64
    public let villageName: String
    public let kind: LeadKind
    public let source: LeadSource
    public let urgency: LeadUrgency
    public let status: LeadStatus
    public let riskGrade: RiskGrade?
    public let sealed: Bool
    /// Whether the viewer may open it whole (the households' seal rule).
    public let masked: Bool
    /// Nil when masked.
    public let summary: String?
    /// Masked names; empty when masked.
    public let people: [String]
    public let reportedAt: Date
    /// The open deliberation due's day, while the council has not decided it.
    public let deliberationDueOn: LocalDate?
}

public struct LeadTask: Sendable, Equatable {
    public let id: Int64
    public let kind: String
    public let reason: String
    public let dueAt: Date
    public let state: String
}

/// One lead read: whole when she may open it, masked otherwise.
public struct LeadRecord: Sendable, Equatable {
    public let item: LeadListItem
    public let sourceCaseID: Int64?
    public let householdID: Int64?
    public let caseID: Int64?
    /// Whole when opened, empty when masked.
    public let people: [LeadPerson]
    public let mandatoryReports: [MandatoryReportReason]
    public let tasks: [LeadTask]
    public let reportedBy: Int64
    /// The screening campaign it was found in, if any.
    public let campaignID: Int64?
}

public struct LeadFilter: Sendable, Equatable {
    public var status: LeadStatus?
    public var villageID: Int64?
    public var gridID: Int64?
    public var beforeID: Int64?
    /// Only the leads she reported herself (the field page's "my reports").
    public var mine = false
    public var limit = 50
    /// The council's agenda reads oldest first; lists newest first.
    public var oldestFirst = false
    /// Only these leads (a warning's): still only those in her scope, masked as any list.
    public var ids: [Int64]?

    public init(status: LeadStatus? = nil, villageID: Int64? = nil, gridID: Int64? = nil, beforeID: Int64? = nil, limit: Int = 50) {
        self.status = status
        self.villageID = villageID
        self.gridID = gridID
        self.beforeID = beforeID
        self.limit = limit
    }
}

/// Who may see which lead: the households' rule, applied verbatim (`HouseholdScope`) with the lead as
/// `h` and its grid as `gu` — grid roles their assigned grids, anyone else the grids below her unit;
/// a sealed lead opens to those assigned to its grid and to supervisors of units above the grid.
enum LeadScope {
    static let source = "FROM leads h JOIN units gu ON gu.id = h.grid_id JOIN units vu ON vu.id = h.village_id"
    static let inScope = HouseholdScope.inScope
    static let opened = HouseholdScope.opened
}

extension Store {
    /// Records a lead in a grid she may see (nil otherwise: 404, as for any out-of-scope reference), with
    /// its people, the reports the law requires at once (tasks, and the city federation's supervisors
    /// told now: 直报), and the council's deliberation due — all in one transaction, once per key.
    public func addLead(_ lead: Lead, by user: StaffUser, idempotency: IdempotencyKey?) throws -> (LeadReceipt, replayed: Bool)? {
        let at = now()
        let today = LocalDate(at, in: timeZone)
        let dueOn = try grassrootsDueDay(from: today, limit: rules.grassroots.deliberationWithin)
        do {
            return try pool.withConnection { db in
                try idempotent(db, idempotency) { tx in try insertLead(tx, lead, by: user, dueOn: dueOn, at: at) }
            }
        } catch is CaseNotFound {
            return nil
        }
    }

    /// `sourceIncidentID`: the police incident whose follow-up opens it (source police_incident).
    func insertLead(_ tx: PostgresConnection, _ lead: Lead, by user: StaffUser, dueOn: LocalDate, at: Date,
                    sourceIncidentID: Int64? = nil) throws -> LeadReceipt {
        guard let place = try tx.query("""
            WITH \(viewer: user), h AS (SELECT \(lead.gridID)::bigint AS grid_id)
            SELECT gu.parent_id AS village_id,
                   coalesce((SELECT u.id FROM units u WHERE u.id = ANY(gu.path) AND u.level = 'city'), gu.parent_id) AS city_id
            FROM h JOIN units gu ON gu.id = h.grid_id, v
            WHERE gu.level = 'grid' AND \(unescaped: HouseholdScope.inScope)
            """).first else { throw CaseNotFound() }
        let villageID = try place.decode("village_id", as: Int64.self)
        var problems: [FieldError] = []
        if let household = lead.householdID,
           try tx.query("SELECT 1 AS ok FROM households WHERE id = \(household) AND grid_id = \(lead.gridID)").isEmpty {
            problems.append(FieldError("household_id", "is not a household of this grid"))
        }
        if let caseID = lead.sourceCaseID, try tx.query("""
            SELECT 1 AS ok FROM cases c JOIN units cu ON cu.id = c.unit_id WHERE c.id = \(caseID) AND cu.path @> ARRAY[\(user.unitID)]::bigint[]
            """).isEmpty {
            problems.append(FieldError("source_case_id", "no such case"))
        }
        if let campaignID = lead.campaignID {
            do {
                try checkNewLeadCampaign(tx, campaignID: campaignID, gridID: lead.gridID, by: user, today: LocalDate(at, in: timeZone))
            } catch let failure as ValidationFailure {
                problems += failure.fields
            }
        }
        guard problems.isEmpty else { throw ValidationFailure(problems) }
        let reports = lead.mandatoryReports
        let answersJSON = lead.riskAnswers.map { answers in
            "{" + answers.keys.sorted().map { "\"\($0)\":\(answers[$0]! ? "true" : "false")" }.joined(separator: ",") + "}"
        }
        let row = try tx.query("""
            INSERT INTO leads (grid_id, village_id, kind, source, household_id, source_case_id, source_incident_id, summary, urgency,
                               risk_grade, risk_answers, mandatory_reports, reported_by, reported_at, updated_at, campaign_id)
            VALUES (\(lead.gridID), \(villageID), \(lead.kind.rawValue), \(lead.source.rawValue), \(lead.householdID),
                    \(lead.sourceCaseID), \(sourceIncidentID), \(lead.summary), \(lead.urgency.rawValue), \(lead.assessment?.grade.rawValue),
                    \(answersJSON)::jsonb, \(PostgresTextArray(reports.map(\.rawValue))), \(user.id), \(at), \(at), \(lead.campaignID))
            RETURNING id
            """).first!
        let id = try row.decode("id", as: Int64.self)
        for (position, person) in lead.people.enumerated() {
            try tx.execute("""
                INSERT INTO lead_people (lead_id, position, role, name, phone, relation, age, is_minor)
                VALUES (\(id), \(position), \(person.role.rawValue), \(person.name), \(person.phone), \(person.relation?.rawValue),
                        \(person.age), \(person.isMinor))
                """)
        }
        // The same tasks a case gets for the same facts (Store.assessRisk, trigger cases_mandatory_report).
        for reason in reports {
            try addLeadTask(tx, leadID: id, kind: "mandatory_report", reason: reason.rawValue, dueAt: at, at: at)
        }
        if lead.assessment?.grade == .high {
            try addLeadTask(tx, leadID: id, kind: "police_report", reason: "high_risk", dueAt: at, at: at)
            try addLeadTask(tx, leadID: id, kind: "direct_report", reason: "high_risk", dueAt: at.addingTimeInterval(86_400), at: at)
        }
        if lead.reportsDirectly {
            // 直报: the city federation's supervisors hear of it now, not when a task runs late. Codes only.
            try tx.execute("""
                INSERT INTO notifications (unit_id, audience, lead_id, kind, detail, created_at)
                VALUES (\(try place.decode("city_id", as: Int64.self)), 'supervisors', \(id), 'lead_direct_report',
                        jsonb_build_object('reasons', \(PostgresTextArray(reports.map(\.rawValue)))::text[],
                                           'risk_grade', \(lead.assessment?.grade.rawValue)::text, 'village_id', \(villageID)::bigint),
                        \(at))
                """)
        }
        try Self.openDue(tx, kind: .deliberation, unitID: villageID, leadID: id, dueOn: dueOn, at: at)
        // Sealed by its kind (leads_seal) or by a minor among its people (lead_people_seal).
        let sealed = try tx.query("SELECT sealed FROM leads WHERE id = \(id)").first!.decode("sealed", as: Bool.self)
        return LeadReceipt(id: id, status: LeadStatus.open.rawValue, sealed: sealed,
                           riskGrade: lead.assessment?.grade.rawValue, mandatoryReports: reports.map(\.rawValue),
                           directReport: lead.reportsDirectly, deliberationDueOn: dueOn.description)
    }

    func addLeadTask(_ tx: PostgresConnection, leadID: Int64, kind: String, reason: String, dueAt: Date, at: Date) throws {
        try tx.execute("""
            INSERT INTO lead_tasks (lead_id, kind, reason, due_at, created_at) VALUES (\(leadID), \(kind), \(reason), \(dueAt), \(at))
            ON CONFLICT (lead_id, kind, reason) DO NOTHING
            """)
    }

    private static let leadColumns = """
        h.id, h.grid_id, gu.name AS grid_name, h.village_id, vu.name AS village_name, h.kind, h.source, h.urgency, h.status,
        h.risk_grade, h.sealed, h.summary, h.reported_at, h.source_case_id, h.household_id, h.case_id, h.reported_by,
        array_to_string(h.mandatory_reports, ',') AS mandatory_reports,
        (SELECT string_agg(p.name, chr(31) ORDER BY p.position) FROM lead_people p WHERE p.lead_id = h.id) AS people,  -- unit separator: a name may hold a comma
        (SELECT min(d.due_on) FROM grassroots_dues d
         WHERE d.lead_id = h.id AND d.kind = 'deliberation' AND d.met_at IS NULL) AS deliberation_due_on
        """

    private static func leadItem(_ row: PostgresRow) throws -> LeadListItem {
        let masked = !(try row.decode("opened", as: Bool.self))
        let names = (try row.decode("people", as: String?.self) ?? "").split(separator: "\u{1F}").map(String.init)
        return LeadListItem(
            id: try row.decode("id"), gridID: try row.decode("grid_id"), gridName: try row.decode("grid_name"),
            villageID: try row.decode("village_id"), villageName: try row.decode("village_name"),
            kind: LeadKind(rawValue: try row.decode("kind")) ?? .other, source: LeadSource(rawValue: try row.decode("source")) ?? .gridReport,
            urgency: LeadUrgency(rawValue: try row.decode("urgency")) ?? .normal, status: LeadStatus(rawValue: try row.decode("status")) ?? .open,
            riskGrade: try row.decode("risk_grade", as: String?.self).flatMap(RiskGrade.init(rawValue:)),
            sealed: try row.decode("sealed"), masked: masked,
            summary: masked ? nil : try row.decode("summary", as: String.self),
            people: masked ? [] : names.compactMap { PersonalDataMask.name($0) },
            reportedAt: try row.decode("reported_at"), deliberationDueOn: try row.decode("deliberation_due_on", as: LocalDate?.self))
    }

    /// Leads in her scope (grid roles: their grids; others: their subtree), filtered, newest first
    /// before `beforeID` (or oldest first for the agenda), people masked, sealed ones shown as such.
    public func leads(_ filter: LeadFilter, for user: StaffUser) throws -> [LeadListItem] {
        try pool.withConnection { db in
            try db.query("""
                WITH \(viewer: user)
                SELECT \(unescaped: Self.leadColumns), \(unescaped: LeadScope.opened) AS opened
                \(unescaped: LeadScope.source), v
                WHERE \(unescaped: LeadScope.inScope)
                  AND (\(filter.status?.rawValue)::text IS NULL OR h.status = \(filter.status?.rawValue))
                  AND (\(filter.villageID)::bigint IS NULL OR h.village_id = \(filter.villageID))
                  AND (\(filter.gridID)::bigint IS NULL OR h.grid_id = \(filter.gridID))
                  AND (\(filter.beforeID)::bigint IS NULL OR h.id < \(filter.beforeID))
                  AND (NOT \(filter.mine) OR h.reported_by = v.id)
                  AND (\(filter.ids == nil) OR h.id = ANY(\(filter.ids ?? [])))
                ORDER BY CASE WHEN \(filter.oldestFirst) THEN h.reported_at END, CASE WHEN \(filter.oldestFirst) THEN h.id END,
                         h.id DESC
                LIMIT \(filter.limit)
                """).rows.map(Self.leadItem)
        }
    }

    /// True if `unitID` is a unit of the given level she may list leads of (her grids or her subtree).
    public func leadUnitIsInScope(_ unitID: Int64, level: String, of user: StaffUser) throws -> Bool {
        try pool.withConnection { db in
            try !db.query("""
                WITH \(viewer: user)
                SELECT 1 AS ok FROM units gu, v
                WHERE gu.id = \(unitID) AND gu.level = \(level)
                  AND (CASE WHEN v.role IN ('grid_worker', 'information_officer')
                            THEN EXISTS (SELECT 1 FROM staff_grids sg JOIN units g ON g.id = sg.grid_id
                                         WHERE sg.user_id = v.id AND (g.id = gu.id OR g.parent_id = gu.id))
                            ELSE gu.path @> ARRAY[v.unit_id] END)
                """).isEmpty
        }
    }

    /// Reads one lead and records the read (one `lead_reads` row) in the same transaction. Nil when it
    /// does not exist or lies outside her scope: the two look the same.
    public func readLead(id: Int64, by user: StaffUser, view: String) throws -> LeadRecord? {
        let at = now()
        return try pool.withConnection { db in
            try db.transaction { tx -> LeadRecord? in
                guard let row = try tx.query("""
                    WITH \(viewer: user)
                    SELECT \(unescaped: Self.leadColumns), h.campaign_id, \(unescaped: LeadScope.opened) AS opened
                    \(unescaped: LeadScope.source), v
                    WHERE h.id = \(id) AND \(unescaped: LeadScope.inScope)
                    """).first else { return nil }
                let item = try Self.leadItem(row)
                try tx.execute("""
                    INSERT INTO lead_reads (lead_id, user_id, at, view, masked) VALUES (\(id), \(user.id), \(at), \(view), \(item.masked))
                    """)
                let people: [LeadPerson] = item.masked ? [] : try tx.query("""
                    SELECT role, name, phone, relation, age, is_minor FROM lead_people WHERE lead_id = \(id) ORDER BY position
                    """).rows.map { p in
                    LeadPerson(role: LeadPersonRole(rawValue: try p.decode("role")) ?? .other, name: try p.decode("name"),
                               phone: try p.decode("phone", as: String?.self),
                               relation: try p.decode("relation", as: String?.self).flatMap(VictimRelation.init(rawValue:)),
                               age: try p.decode("age", as: Int?.self), isMinor: try p.decode("is_minor"))
                }
                let tasks = try tx.query("""
                    SELECT id, kind, reason, due_at, state FROM lead_tasks WHERE lead_id = \(id) ORDER BY id
                    """).rows.map { t in
                    LeadTask(id: try t.decode("id"), kind: try t.decode("kind"), reason: try t.decode("reason"),
                             dueAt: try t.decode("due_at"), state: try t.decode("state"))
                }
                return LeadRecord(item: item, sourceCaseID: item.masked ? nil : try row.decode("source_case_id", as: Int64?.self),
                                  householdID: item.masked ? nil : try row.decode("household_id", as: Int64?.self),
                                  caseID: try row.decode("case_id", as: Int64?.self), people: people,
                                  mandatoryReports: Self.words(try row.decode("mandatory_reports")), tasks: tasks,
                                  reportedBy: try row.decode("reported_by"), campaignID: try row.decode("campaign_id", as: Int64?.self))
            }
        }
    }

    /// Records a lead's required report as made, with the facts a case's report of the same kind needs
    /// (`reportDetail`). Any staff who sees the lead may, sealed or not: it adds what she did and reveals
    /// nothing. False when the lead is not hers to see (404); 409 when no such task is open.
    public func completeLeadTask(leadID: Int64, taskID: Int64, detail: [(String, String)], by user: StaffUser) throws -> Bool {
        let at = now()
        return try pool.withConnection { db in
            try db.transaction { tx -> Bool in
                guard try !tx.query("""
                    WITH \(viewer: user)
                    SELECT 1 AS ok \(unescaped: LeadScope.source), v WHERE h.id = \(leadID) AND \(unescaped: LeadScope.inScope)
                    """).isEmpty else { return false }
                guard let kind = try tx.query("""
                    SELECT kind FROM lead_tasks WHERE id = \(taskID) AND lead_id = \(leadID) AND state = 'open' FOR UPDATE
                    """).first?.decode("kind", as: String.self) else {
                    throw InvalidTransition(message: "no open task by that id on this lead")
                }
                let kept = try reportDetail(kind: kind, detail)
                try tx.execute("""
                    UPDATE lead_tasks SET state = 'done', done_at = \(at), done_by = \(user.id),
                           detail = coalesce((SELECT jsonb_object_agg(k, v) FROM unnest(\(PostgresTextArray(kept.map(\.0))),
                                                                                      \(PostgresTextArray(kept.map(\.1)))) AS d(k, v)), '{}')
                    WHERE id = \(taskID)
                    """)
                return true
            }
        }
    }

    /// Who read a lead, oldest first (for tests and the audit).
    public func leadReads(id: Int64) throws -> [(userID: Int64, view: String, masked: Bool)] {
        try pool.withConnection { db in
            try db.query("SELECT user_id, view, masked FROM lead_reads WHERE lead_id = \(id) ORDER BY id").rows.map {
                (try $0.decode("user_id"), try $0.decode("view"), try $0.decode("masked"))
            }
        }
    }

    /// Overdue report tasks of leads, once each, as `escalateTasks` does for cases: an overdue mandatory
    /// report to the supervisors of the city federation above the lead (直报, skipping levels), a late
    /// police or direct report to the supervisors of the lead's village.
    func escalateLeadTasks(_ db: PostgresConnection, at: Date) throws -> Int {
        try db.query("""
            WITH due AS (
                SELECT t.id, t.lead_id, t.kind, t.reason, l.village_id,
                       coalesce((SELECT u.id FROM units u WHERE u.id = ANY(vu.path) AND u.level = 'city'), l.village_id) AS city_id
                FROM lead_tasks t JOIN leads l ON l.id = t.lead_id JOIN units vu ON vu.id = l.village_id
                WHERE t.state = 'open' AND t.escalated_at IS NULL
                  AND t.due_at < \(at) - make_interval(secs => CASE WHEN t.kind = 'mandatory_report'
                                                                    THEN \(Double(rules.reportEscalationSeconds)) ELSE 0 END)
                FOR UPDATE OF t SKIP LOCKED
            ), marked AS (
                UPDATE lead_tasks SET escalated_at = \(at) FROM due
                WHERE lead_tasks.id = due.id AND lead_tasks.escalated_at IS NULL
                RETURNING due.*
            ), notify AS (
                INSERT INTO notifications (unit_id, audience, lead_id, kind, detail, created_at)
                SELECT CASE kind WHEN 'mandatory_report' THEN city_id ELSE village_id END, 'supervisors',
                       lead_id, 'lead_task_overdue', jsonb_build_object('task_id', id, 'kind', kind, 'reason', reason), \(at)
                FROM marked
            )
            SELECT count(*) AS n FROM marked
            """).first!.decode("n", as: Int.self)
    }
}
