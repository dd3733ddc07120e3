import Foundation
import HuiyinCore
import Postgres

/// A campaign as its list shows it.
public struct CampaignSummary: Sendable, Equatable {
    public let id: Int64
    public let unitID: Int64
    public let unitName: String
    public let topic: String
    public let startsOn: LocalDate
    public let endsOn: LocalDate
    public let reportItems: [CampaignReportItem]
    public let openedBy: Int64
    public let createdAt: Date
    public let units: Int
    public let reported: Int
    public let majorRisks: Int
}

/// One participating unit's progress: counted from the linked leads and cases, beside what it declared.
public struct CampaignUnitProgress: Sendable, Equatable {
    public let unitID: Int64
    public let unitName: String
    public let leadsFound: Int
    public let leadsSettled: Int
    public let casesFound: Int
    public let casesSettled: Int
    public let majorRisks: Int
    /// Nil until filed.
    public let report: CampaignReport?
    public let filedAt: Date?
    public let revisedAt: Date?
    public let revision: Int?
    public let remindedAt: Date?
    public let overdueAt: Date?

    public var found: Int { leadsFound + casesFound }
    public var settled: Int { leadsSettled + casesSettled }
}

/// A lead or case linked to the campaign, as she may see it: a sealed one she cannot open shows no text.
public struct CampaignMatter: Sendable, Equatable {
    public let kind: String   // "lead" or "case"
    public let id: Int64
    public let unitID: Int64
    public let unitName: String
    public let status: String
    public let settled: Bool
    public let sealed: Bool
    public let masked: Bool
    public let summary: String?
}

public struct CampaignRisk: Sendable, Equatable {
    public let id: Int64
    public let unitID: Int64
    public let unitName: String
    public let summary: String?
    public let masked: Bool
    public let leadID: Int64?
    public let caseID: Int64?
    public let reportedAt: Date
}

public struct CampaignProgress: Sendable, Equatable {
    public let campaign: CampaignSummary
    public let units: [CampaignUnitProgress]
    /// Linked matters in her scope (the figures count every linked matter).
    public let matters: [CampaignMatter]
    public let risks: [CampaignRisk]
}

/// Who may see a campaign: staff at or above its unit, and staff at or below a participating unit.
enum CampaignScope {
    static let visible = """
        (ou.path @> ARRAY[v.unit_id]
         OR EXISTS (SELECT 1 FROM campaign_units pu JOIN units mu ON mu.id = v.unit_id
                    WHERE pu.campaign_id = k.id AND mu.path @> ARRAY[pu.unit_id]))
        """
}

extension Store {
    /// Opens a campaign at her unit (a supervisor's or leader's), for units strictly below it, none under
    /// another named one (so totals count each matter once); the units are told at once. Once per key.
    public func openCampaign(_ campaign: Campaign, by user: StaffUser, idempotency: IdempotencyKey?) throws -> (Int64, replayed: Bool) {
        guard [.supervisor, .leader].contains(user.role) else {
            throw Forbidden(message: "a campaign is opened by a supervisor or leader of the unit")
        }
        let at = now()
        return try pool.withConnection { db in
            try idempotent(db, idempotency) { tx -> Int64 in
                let rows = try tx.query("""
                    SELECT u.id, u.path @> ARRAY[\(user.unitID)::bigint] AND u.id <> \(user.unitID) AS below,
                           EXISTS (SELECT 1 FROM units o WHERE o.id = ANY(\(campaign.unitIDs)) AND o.id <> u.id
                                   AND o.path @> ARRAY[\(user.unitID)::bigint] AND o.id <> \(user.unitID)
                                   AND u.path @> ARRAY[o.id]) AS nested
                    FROM units u WHERE u.id = ANY(\(campaign.unitIDs))
                    """).rows
                var problems: [FieldError] = []
                for (index, id) in campaign.unitIDs.enumerated() {
                    guard let row = try rows.first(where: { try $0.decode("id", as: Int64.self) == id }),
                          try row.decode("below", as: Bool.self) else {
                        problems.append(FieldError("unit_ids[\(index)]", "is not a unit below yours"))
                        continue
                    }
                    if try row.decode("nested", as: Bool.self) {
                        problems.append(FieldError("unit_ids[\(index)]", "lies under another unit named"))
                    }
                }
                guard problems.isEmpty else { throw ValidationFailure(problems) }
                let id = try tx.query("""
                    INSERT INTO campaigns (unit_id, topic, starts_on, ends_on, report_items, opened_by, created_at)
                    VALUES (\(user.unitID), \(campaign.topic), \(campaign.startsOn), \(campaign.endsOn),
                            \(PostgresTextArray(campaign.reportItems.map(\.rawValue))), \(user.id), \(at))
                    RETURNING id
                    """).first!.decode("id", as: Int64.self)
                try tx.execute("""
                    WITH joined AS (
                        INSERT INTO campaign_units (campaign_id, unit_id) SELECT \(id), unnest(\(campaign.unitIDs)) RETURNING unit_id
                    )
                    INSERT INTO notifications (unit_id, audience, kind, detail, created_at)
                    SELECT unit_id, a.audience, 'campaign_opened',
                           jsonb_build_object('campaign_id', \(id)::bigint, 'ends_on', \(campaign.endsOn)::date), \(at)
                    FROM joined CROSS JOIN (VALUES ('handlers'), ('supervisors')) AS a (audience)
                    """)
                return id
            }
        }
    }

    private static let campaignColumns = """
        k.id, k.unit_id, ou.name AS unit_name, k.topic, k.starts_on, k.ends_on, array_to_string(k.report_items, ',') AS report_items,
        k.opened_by, k.created_at,
        (SELECT count(*) FROM campaign_units p WHERE p.campaign_id = k.id)::int AS units,
        (SELECT count(*) FROM campaign_reports r WHERE r.campaign_id = k.id)::int AS reported,
        (SELECT count(*) FROM campaign_major_risks m WHERE m.campaign_id = k.id)::int AS major_risks
        """

    private static func campaignSummary(_ row: PostgresRow) throws -> CampaignSummary {
        CampaignSummary(id: try row.decode("id"), unitID: try row.decode("unit_id"), unitName: try row.decode("unit_name"),
                        topic: try row.decode("topic"), startsOn: try row.decode("starts_on"), endsOn: try row.decode("ends_on"),
                        reportItems: try row.decode("report_items", as: String.self).split(separator: ",")
                            .compactMap { CampaignReportItem(rawValue: String($0)) },
                        openedBy: try row.decode("opened_by"), createdAt: try row.decode("created_at"),
                        units: try row.decode("units"), reported: try row.decode("reported"), majorRisks: try row.decode("major_risks"))
    }

    /// The campaigns she may see, the latest ending first.
    public func campaigns(for user: StaffUser, limit: Int = 100) throws -> [CampaignSummary] {
        try pool.withConnection { db in
            try db.query("""
                WITH \(viewer: user)
                SELECT \(unescaped: Self.campaignColumns) FROM campaigns k JOIN units ou ON ou.id = k.unit_id, v
                WHERE \(unescaped: CampaignScope.visible)
                ORDER BY k.ends_on DESC, k.id DESC LIMIT \(limit)
                """).rows.map(Self.campaignSummary)
        }
    }

    private func visibleCampaign(_ db: PostgresConnection, _ id: Int64, for user: StaffUser) throws -> CampaignSummary? {
        try db.query("""
            WITH \(viewer: user)
            SELECT \(unescaped: Self.campaignColumns) FROM campaigns k JOIN units ou ON ou.id = k.unit_id, v
            WHERE k.id = \(id) AND \(unescaped: CampaignScope.visible)
            """).first.map(Self.campaignSummary)
    }

    /// The campaign page: each unit's progress, the linked matters in her scope (masked when sealed to
    /// her), the major risks. Nil if she may not see it.
    public func campaignProgress(id: Int64, for user: StaffUser) throws -> CampaignProgress? {
        try pool.withConnection { db -> CampaignProgress? in
            guard let campaign = try visibleCampaign(db, id, for: user) else { return nil }
            // A lead counts for the participant above its grid, a case for the one above its unit.
            let units = try db.query("""
                SELECT p.unit_id, u.name, p.reminded_at, p.overdue_at,
                       (SELECT count(*) FROM leads l JOIN units g ON g.id = l.grid_id
                        WHERE l.campaign_id = \(id) AND g.path @> ARRAY[p.unit_id])::int AS leads_found,
                       (SELECT count(*) FROM leads l JOIN units g ON g.id = l.grid_id
                        WHERE l.campaign_id = \(id) AND g.path @> ARRAY[p.unit_id] AND l.status = 'settled')::int AS leads_settled,
                       (SELECT count(*) FROM cases c JOIN units cu ON cu.id = c.unit_id
                        WHERE c.campaign_id = \(id) AND cu.path @> ARRAY[p.unit_id])::int AS cases_found,
                       (SELECT count(*) FROM cases c JOIN units cu ON cu.id = c.unit_id
                        WHERE c.campaign_id = \(id) AND cu.path @> ARRAY[p.unit_id] AND c.status IN ('replied', 'closed'))::int AS cases_settled,
                       (SELECT count(*) FROM campaign_major_risks m WHERE m.campaign_id = \(id) AND m.unit_id = p.unit_id)::int AS risks,
                       r.found, r.settled, r.major_risks, r.notes, r.filed_at, r.revised_at, r.revision
                FROM campaign_units p JOIN units u ON u.id = p.unit_id
                LEFT JOIN campaign_reports r ON r.campaign_id = p.campaign_id AND r.unit_id = p.unit_id
                WHERE p.campaign_id = \(id) ORDER BY u.code
                """).rows.map { row in
                let filedAt = try row.decode("filed_at", as: Date?.self)
                return CampaignUnitProgress(
                    unitID: try row.decode("unit_id"), unitName: try row.decode("name"),
                    leadsFound: try row.decode("leads_found"), leadsSettled: try row.decode("leads_settled"),
                    casesFound: try row.decode("cases_found"), casesSettled: try row.decode("cases_settled"),
                    majorRisks: try row.decode("risks"),
                    report: filedAt == nil ? nil : CampaignReport(found: try row.decode("found", as: Int?.self),
                                                                   settled: try row.decode("settled", as: Int?.self),
                                                                   majorRisks: try row.decode("major_risks", as: Int?.self),
                                                                   notes: try row.decode("notes", as: String?.self)),
                    filedAt: filedAt, revisedAt: try row.decode("revised_at", as: Date?.self),
                    revision: try row.decode("revision", as: Int?.self),
                    remindedAt: try row.decode("reminded_at", as: Date?.self), overdueAt: try row.decode("overdue_at", as: Date?.self))
            }
            // The lists' seal rules, verbatim: leads as households (LeadScope), cases as cases (Scope).
            let leads = try db.query("""
                WITH \(viewer: user)
                SELECT 'lead' AS kind, h.id, vu.id AS unit_id, vu.name AS unit_name, h.status, h.status = 'settled' AS settled, h.sealed,
                       \(unescaped: LeadScope.opened) AS opened, h.summary
                \(unescaped: LeadScope.source), v
                WHERE h.campaign_id = \(id) AND \(unescaped: LeadScope.inScope)
                ORDER BY h.id
                """).rows
            let cases = try db.query("""
                WITH \(viewer: user)
                SELECT 'case' AS kind, c.id, cu.id AS unit_id, cu.name AS unit_name, c.status, c.status IN ('replied', 'closed') AS settled,
                       c.sealed, \(unescaped: Scope.opened) AS opened, c.summary
                FROM cases c JOIN units cu ON cu.id = c.unit_id, v
                WHERE c.campaign_id = \(id) AND \(unescaped: Scope.inScope)
                ORDER BY c.id
                """).rows
            let matters = try (leads + cases).map { row in
                let opened = try row.decode("opened", as: Bool.self)
                return CampaignMatter(kind: try row.decode("kind"), id: try row.decode("id"), unitID: try row.decode("unit_id"),
                                      unitName: try row.decode("unit_name"), status: try row.decode("status"),
                                      settled: try row.decode("settled"), sealed: try row.decode("sealed"), masked: !opened,
                                      summary: opened ? try row.decode("summary", as: String.self) : nil)
            }
            // A risk naming a sealed lead or case keeps its text from those who cannot open that matter.
            let risks = try db.query("""
                WITH \(viewer: user)
                SELECT m.id, m.unit_id, u.name AS unit_name, m.summary, m.lead_id, m.case_id, m.reported_at,
                       coalesce((SELECT \(unescaped: LeadScope.opened) AND \(unescaped: LeadScope.inScope)
                                 \(unescaped: LeadScope.source) WHERE h.id = m.lead_id), true)
                       AND coalesce((SELECT \(unescaped: Scope.opened) AND \(unescaped: Scope.inScope)
                                     FROM cases c JOIN units cu ON cu.id = c.unit_id WHERE c.id = m.case_id), true) AS opened
                FROM campaign_major_risks m JOIN units u ON u.id = m.unit_id, v
                WHERE m.campaign_id = \(id) ORDER BY m.id
                """).rows.map { row in
                let opened = try row.decode("opened", as: Bool.self)
                return CampaignRisk(id: try row.decode("id"), unitID: try row.decode("unit_id"), unitName: try row.decode("unit_name"),
                                    summary: opened ? try row.decode("summary", as: String.self) : nil, masked: !opened,
                                    leadID: try row.decode("lead_id", as: Int64?.self), caseID: try row.decode("case_id", as: Int64?.self),
                                    reportedAt: try row.decode("reported_at"))
            }
            return CampaignProgress(campaign: campaign, units: units, matters: matters, risks: risks)
        }
    }

    /// Files (or revises) the unit's report: by the unit's own handlers, supervisors or leaders, from the
    /// campaign's first day; revisable until its last day, and a unit with none may still file late.
    /// Returns the revision, or nil if she may not see the campaign or the unit does not take part.
    public func fileCampaignReport(campaignID: Int64, unitID: Int64, _ draft: CampaignReportDraft, by user: StaffUser) throws -> Int? {
        let at = now()
        let today = LocalDate(at, in: timeZone)
        return try pool.withConnection { db in
            try db.transaction { tx -> Int? in
                guard let campaign = try visibleCampaign(tx, campaignID, for: user),
                      let taking = try tx.query("""
                        SELECT r.revision FROM campaign_units p
                        LEFT JOIN campaign_reports r ON r.campaign_id = p.campaign_id AND r.unit_id = p.unit_id
                        WHERE p.campaign_id = \(campaignID) AND p.unit_id = \(unitID) FOR UPDATE OF p
                        """).first else { return nil }
                guard user.unitID == unitID, [.handler, .supervisor, .leader].contains(user.role) else {
                    throw Forbidden(message: "a unit's report is filed by its own handlers, supervisors or leaders")
                }
                let revision = try taking.decode("revision", as: Int?.self)
                if today < campaign.startsOn {
                    throw InvalidTransition(code: "campaign_not_started", message: "The campaign has not started yet.")
                }
                if today > campaign.endsOn, revision != nil {
                    throw InvalidTransition(code: "campaign_ended", message: "The campaign has ended; its reports can no longer be revised.")
                }
                let report = try draft.validate(asked: campaign.reportItems).get()
                return try tx.query("""
                    INSERT INTO campaign_reports (campaign_id, unit_id, found, settled, major_risks, notes, filed_by, filed_at, revised_at)
                    VALUES (\(campaignID), \(unitID), \(report.found), \(report.settled), \(report.majorRisks), \(report.notes),
                            \(user.id), \(at), \(at))
                    ON CONFLICT (campaign_id, unit_id) DO UPDATE SET
                        found = EXCLUDED.found, settled = EXCLUDED.settled, major_risks = EXCLUDED.major_risks, notes = EXCLUDED.notes,
                        filed_by = EXCLUDED.filed_by, revised_at = EXCLUDED.revised_at, revision = campaign_reports.revision + 1
                    RETURNING revision
                    """).first!.decode("revision", as: Int.self)
            }
        }
    }

    /// 重大风险上报: from staff at or below a participating unit (the one above her, unless she names it);
    /// the supervisors of the campaign's unit are told in the same transaction. Once per key.
    /// Nil if she may not see the campaign.
    public func reportMajorRisk(campaignID: Int64, _ risk: MajorRisk, by user: StaffUser,
                                idempotency: IdempotencyKey?) throws -> (Int64, replayed: Bool)? {
        guard ![.operator_, .reception, .admin].contains(user.role) else {
            throw Forbidden(message: "a major risk is reported by the staff of a unit taking part")
        }
        let at = now()
        do {
            return try pool.withConnection { db in
                try idempotent(db, idempotency) { tx -> Int64 in
                    guard let campaign = try visibleCampaign(tx, campaignID, for: user) else { throw CaseNotFound() }
                    if LocalDate(at, in: timeZone) < campaign.startsOn {
                        throw InvalidTransition(code: "campaign_not_started", message: "The campaign has not started yet.")
                    }
                    var problems: [FieldError] = []
                    // The participant on her own path; a named unit must be that one.
                    let mine = try tx.query("""
                        SELECT p.unit_id FROM campaign_units p JOIN units mu ON mu.id = \(user.unitID)
                        WHERE p.campaign_id = \(campaignID) AND mu.path @> ARRAY[p.unit_id]
                        """).first?.decode("unit_id", as: Int64.self)
                    var unitID = mine
                    if let named = risk.unitID, named != mine {
                        problems.append(FieldError("unit_id", "is not the unit taking part that you belong to"))
                        unitID = nil
                    } else if mine == nil {
                        throw Forbidden(message: "a major risk is reported by the staff of a unit taking part")
                    }
                    if let lead = risk.leadID, try tx.query("""
                        WITH \(viewer: user) SELECT 1 AS ok \(unescaped: LeadScope.source), v
                        WHERE h.id = \(lead) AND \(unescaped: LeadScope.inScope)
                        """).isEmpty {
                        problems.append(FieldError("lead_id", "no such lead"))
                    }
                    if let caseID = risk.caseID, try tx.query("""
                        WITH \(viewer: user) SELECT 1 AS ok FROM cases c JOIN units cu ON cu.id = c.unit_id, v
                        WHERE c.id = \(caseID) AND \(unescaped: Scope.inScope)
                        """).isEmpty {
                        problems.append(FieldError("case_id", "no such case"))
                    }
                    guard problems.isEmpty, let unitID else { throw ValidationFailure(problems) }
                    let id = try tx.query("""
                        INSERT INTO campaign_major_risks (campaign_id, unit_id, summary, lead_id, case_id, reported_by, reported_at)
                        VALUES (\(campaignID), \(unitID), \(risk.summary), \(risk.leadID), \(risk.caseID), \(user.id), \(at))
                        RETURNING id
                        """).first!.decode("id", as: Int64.self)
                    // Codes only: the account itself is read on the campaign page, under the seal rules.
                    try tx.execute("""
                        INSERT INTO notifications (unit_id, audience, lead_id, case_id, kind, detail, created_at)
                        VALUES (\(campaign.unitID), 'supervisors', \(risk.leadID), \(risk.caseID), 'campaign_major_risk',
                                jsonb_build_object('campaign_id', \(campaignID)::bigint, 'risk_id', \(id)::bigint,
                                                   'from_unit', \(unitID)::bigint), \(at))
                        """)
                    return id
                }
            }
        } catch is CaseNotFound {
            return nil
        }
    }

    /// The participating unit on her own path (hers or one above her); nil when she is under none. The
    /// page offers the major-risk form by it, as `reportMajorRisk` decides.
    public func campaignUnit(campaignID: Int64, of user: StaffUser) throws -> Int64? {
        try pool.withConnection { db in
            try db.query("""
                SELECT p.unit_id FROM campaign_units p JOIN units mu ON mu.id = \(user.unitID)
                WHERE p.campaign_id = \(campaignID) AND mu.path @> ARRAY[p.unit_id]
                """).first?.decode("unit_id", as: Int64.self)
        }
    }

    /// Links a lead or a case she may see to the campaign: it must lie in a participating unit, have been
    /// reported or received during the period, and be linked to no other campaign (relinking to the same
    /// one changes nothing). Nil if she may not see the campaign.
    public func linkToCampaign(campaignID: Int64, leadID: Int64?, caseID: Int64?, by user: StaffUser) throws -> Bool? {
        try pool.withConnection { db in
            try db.transaction { tx -> Bool? in
                guard try visibleCampaign(tx, campaignID, for: user) != nil else { return nil }
                if let leadID {
                    guard let row = try tx.query("""
                        WITH \(viewer: user)
                        SELECT h.campaign_id, (h.reported_at AT TIME ZONE \(timeZone.identifier))::date AS on_day, gu.path::text AS path
                        \(unescaped: LeadScope.source), v WHERE h.id = \(leadID) AND \(unescaped: LeadScope.inScope) FOR UPDATE OF h
                        """).first else { throw ValidationFailure([FieldError("lead_id", "no such lead")]) }
                    try checkLink(tx, campaignID: campaignID, field: "lead_id", row: row)
                    try tx.execute("UPDATE leads SET campaign_id = \(campaignID) WHERE id = \(leadID)")
                } else if let caseID {
                    guard let row = try tx.query("""
                        WITH \(viewer: user)
                        SELECT c.campaign_id, (c.created_at AT TIME ZONE \(timeZone.identifier))::date AS on_day, cu.path::text AS path
                        FROM cases c JOIN units cu ON cu.id = c.unit_id, v
                        WHERE c.id = \(caseID) AND \(unescaped: Scope.inScope) FOR UPDATE OF c
                        """).first else { throw ValidationFailure([FieldError("case_id", "no such case")]) }
                    try checkLink(tx, campaignID: campaignID, field: "case_id", row: row)
                    try tx.execute("UPDATE cases SET campaign_id = \(campaignID) WHERE id = \(caseID)")
                } else {
                    throw ValidationFailure([FieldError("lead_id", "name a lead_id or a case_id")])
                }
                return true
            }
        }
    }

    /// `row` holds the matter's campaign_id, its day (on_day) and its unit's path (text).
    private func checkLink(_ tx: PostgresConnection, campaignID: Int64, field: String, row: PostgresRow) throws {
        if let current = try row.decode("campaign_id", as: Int64?.self), current != campaignID {
            throw InvalidTransition(code: "linked_elsewhere", message: "It is already linked to campaign \(current).")
        }
        try Self.checkCampaignPlace(tx, campaignID: campaignID, field: field, day: try row.decode("on_day"),
                                    path: try row.decode("path", as: String.self))
    }

    /// The matter's unit (its path, as text `{1,2,3}`) lies in a participating unit and its day in the period.
    static func checkCampaignPlace(_ tx: PostgresConnection, campaignID: Int64, field: String, day: LocalDate, path: String) throws {
        guard let row = try tx.query("""
            SELECT k.starts_on, k.ends_on,
                   EXISTS (SELECT 1 FROM campaign_units p WHERE p.campaign_id = k.id AND \(path)::bigint[] @> ARRAY[p.unit_id]) AS taking_part
            FROM campaigns k WHERE k.id = \(campaignID)
            """).first else { throw ValidationFailure([FieldError("campaign_id", "no such campaign")]) }
        var problems: [FieldError] = []
        if !(try row.decode("taking_part", as: Bool.self)) {
            problems.append(FieldError(field, "is not in a unit taking part in the campaign"))
        }
        let starts: LocalDate = try row.decode("starts_on"), ends: LocalDate = try row.decode("ends_on")
        if day < starts || day > ends {
            problems.append(FieldError(field == "campaign_id" ? "campaign_id" : field, "was not found during the campaign's period"))
        }
        guard problems.isEmpty else { throw ValidationFailure(problems) }
    }

    /// Used by a new lead naming its campaign: the campaign must be one she can see, and the grid in it.
    func checkNewLeadCampaign(_ tx: PostgresConnection, campaignID: Int64, gridID: Int64, by user: StaffUser, today: LocalDate) throws {
        guard try visibleCampaign(tx, campaignID, for: user) != nil,
              let path = try tx.query("SELECT path::text AS path FROM units WHERE id = \(gridID)").first?.decode("path", as: String.self)
        else { throw ValidationFailure([FieldError("campaign_id", "no such campaign")]) }
        do {
            try Self.checkCampaignPlace(tx, campaignID: campaignID, field: "campaign_id", day: today, path: path)
        } catch let failure as ValidationFailure {
            throw ValidationFailure(failure.fields.map { FieldError("campaign_id", $0.message) })
        }
    }

    /// A new case naming its campaign: one she can see, running today, with the case's unit in a unit taking part.
    public func checkNewCaseCampaign(campaignID: Int64, unitID: Int64, by user: StaffUser) throws {
        let today = self.today
        try pool.withConnection { db in
            guard try visibleCampaign(db, campaignID, for: user) != nil,
                  let path = try db.query("SELECT path::text AS path FROM units WHERE id = \(unitID)").first?.decode("path", as: String.self)
            else { throw ValidationFailure([FieldError("campaign_id", "no such campaign")]) }
            do {
                try Self.checkCampaignPlace(db, campaignID: campaignID, field: "campaign_id", day: today, path: path)
            } catch let failure as ValidationFailure {
                throw ValidationFailure(failure.fields.map { FieldError("campaign_id", $0.message) })
            }
        }
    }

    /// The sweep's part: units with no report are reminded once within `campaign_report_reminder_before`
    /// of the last day (the unit's handlers and supervisors), and marked overdue once the day has passed
    /// (the unit, and the supervisors of the campaign's unit). Each mark is a conditional UPDATE, so two
    /// instances sweeping at once take it once.
    func sweepCampaigns(_ db: PostgresConnection, today: LocalDate, at: Date) throws -> (reminders: Int, overdue: Int) {
        let remindThrough = try grassrootsDueDay(from: today, limit: rules.grassroots.campaignReportReminderBefore)
        let reminders = try db.query("""
            WITH due AS (
                UPDATE campaign_units p SET reminded_at = \(at)
                FROM campaigns k
                WHERE k.id = p.campaign_id AND p.reminded_at IS NULL AND p.overdue_at IS NULL
                  AND k.starts_on <= \(today) AND k.ends_on BETWEEN \(today) AND \(remindThrough)
                  AND NOT EXISTS (SELECT 1 FROM campaign_reports r WHERE r.campaign_id = p.campaign_id AND r.unit_id = p.unit_id)
                RETURNING p.campaign_id, p.unit_id, k.ends_on
            ), told AS (
                INSERT INTO notifications (unit_id, audience, kind, detail, created_at)
                SELECT due.unit_id, a.audience, 'campaign_report_due_soon',
                       jsonb_build_object('campaign_id', due.campaign_id, 'ends_on', due.ends_on), \(at)
                FROM due CROSS JOIN (VALUES ('handlers'), ('supervisors')) AS a (audience)
            )
            SELECT count(*)::int AS n FROM due
            """).first!.decode("n", as: Int.self)
        let overdue = try db.query("""
            WITH due AS (
                UPDATE campaign_units p SET overdue_at = \(at)
                FROM campaigns k
                WHERE k.id = p.campaign_id AND p.overdue_at IS NULL AND k.ends_on < \(today)
                  AND NOT EXISTS (SELECT 1 FROM campaign_reports r WHERE r.campaign_id = p.campaign_id AND r.unit_id = p.unit_id)
                RETURNING p.campaign_id, p.unit_id, k.ends_on, k.unit_id AS owner_id
            ), to_unit AS (
                INSERT INTO notifications (unit_id, audience, kind, detail, created_at)
                SELECT due.unit_id, a.audience, 'campaign_report_overdue',
                       jsonb_build_object('campaign_id', due.campaign_id, 'ends_on', due.ends_on), \(at)
                FROM due CROSS JOIN (VALUES ('handlers'), ('supervisors')) AS a (audience)
            ), to_owner AS (
                INSERT INTO notifications (unit_id, audience, kind, detail, created_at)
                SELECT owner_id, 'supervisors', 'campaign_report_overdue',
                       jsonb_build_object('campaign_id', campaign_id, 'ends_on', ends_on, 'escalated_from', unit_id), \(at)
                FROM due
            )
            SELECT count(*)::int AS n FROM due
            """).first!.decode("n", as: Int.self)
        return (reminders, overdue)
    }
}
