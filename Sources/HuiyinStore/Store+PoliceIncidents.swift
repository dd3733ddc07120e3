import Foundation
import HuiyinCore
import Postgres

/// What an import did: rows new, rows already on record (a re-import), and rows it could not take.
public struct IncidentImportReport: Sendable, Equatable {
    public let batchID: Int64
    public let imported: Int
    public let already: Int
    /// Bad rows and rows that could not be placed, by line.
    public let problems: [PoliceIncidentCSV.Problem]
    public let dueOn: LocalDate
}

/// An incident as a list shows it: names, phone and address masked unless she may open it.
public struct IncidentListItem: Sendable, Equatable {
    public let id: Int64
    public let incidentNo: String
    public let occurredAt: Date
    public let station: String
    public let unitID: Int64
    public let unitName: String
    public let masked: Bool
    public let address: String
    public let victimName: String
    public let victimPhone: String?
    public let respondentName: String?
    public let warningLetter: Bool
    public let followUpDueOn: LocalDate
    public let followedUpAt: Date?
}

public struct IncidentFollowUpRecord: Sendable, Equatable {
    public let id: Int64
    public let reached: Bool
    public let said: String?
    public let needs: String?
    public let riskGrade: RiskGrade?
    public let caseID: Int64?
    /// The lead the follow-up opened, if it did.
    public var leadID: Int64? = nil
    public let onTime: Bool
    public let recordedBy: Int64
    public let recordedAt: Date
}

public struct IncidentRecord: Sendable, Equatable {
    public let item: IncidentListItem
    /// Nil when masked.
    public let handling: String?
    public let followUps: [IncidentFollowUpRecord]
}

/// Who may see which incident: her unit and below (grid roles: their assigned grids). Every incident is
/// sealed; it opens to those who owe the call — the handlers, supervisors and leaders of the unit it
/// was placed in, the grid's assigned workers — and to the supervisors of the units above.
enum IncidentScope {
    static let source = "FROM police_incidents i JOIN units iu ON iu.id = i.unit_id"
    static let inScope = """
        (CASE WHEN v.role IN ('grid_worker', 'information_officer')
              THEN EXISTS (SELECT 1 FROM staff_grids sg WHERE sg.user_id = v.id AND sg.grid_id = i.unit_id)
              ELSE iu.path @> ARRAY[v.unit_id] END)
        """
    static let opened = """
        ((iu.id = v.unit_id AND v.role IN ('handler', 'supervisor', 'leader'))
         OR EXISTS (SELECT 1 FROM staff_grids sg WHERE sg.user_id = v.id AND sg.grid_id = i.unit_id)
         OR (v.is_supervisor AND iu.id <> v.unit_id))
        """
}

extension Store {
    /// The tree below the importing unit, for placing addresses.
    func unitPlacer(_ db: PostgresConnection, under root: Int64) throws -> UnitPlacer {
        UnitPlacer(units: try db.query("SELECT id, parent_id, name FROM units WHERE path @> ARRAY[\(root)]::bigint[] AND id <> \(root)").rows.map {
            UnitPlacer.Unit(id: try $0.decode("id"), parentID: try $0.decode("parent_id", as: Int64?.self), name: try $0.decode("name"))
        })
    }

    /// Imports incidents below `rootUnitID` (the importing federation): each placed by its address, new
    /// numbers inserted with their follow-up due in one transaction, numbers already on record left as
    /// they are. Rows it cannot place are reported with the parse problems, not stored.
    public func importIncidents(_ rows: [PoliceIncidentCSV.Row], parseProblems: [PoliceIncidentCSV.Problem] = [],
                                rootUnitID: Int64, fileName: String?, by userID: Int64?) throws -> IncidentImportReport {
        let at = now()
        let today = LocalDate(at, in: timeZone)
        let dueOn = try grassrootsDueDay(from: today, limit: rules.grassroots.incidentFollowUpWithin)
        return try pool.withConnection { db in
            let placer = try unitPlacer(db, under: rootUnitID)
            var problems = parseProblems
            var placed: [(row: PoliceIncidentCSV.Row, unit: Int64)] = []
            placed.reserveCapacity(rows.count)
            for row in rows {
                switch placer.place(row.incident.address, under: rootUnitID) {
                case .success(let unit): placed.append((row, unit))
                case .failure(let why):
                    problems.append(.init(line: row.line, incidentNo: row.incident.incidentNo, address: row.incident.address,
                                          field: "地址", message: why.message))
                }
            }
            problems.sort { ($0.line, $0.field ?? "") < ($1.line, $1.field ?? "") }
            return try db.transaction { tx in
                let batchID = try tx.query("""
                    INSERT INTO police_incident_batches (source, file_name, rows_total, reported, created_by, created_at)
                    VALUES (\(fileName == nil ? "api" : "csv"), \(fileName), \(rows.count + parseProblems.count), \(Set(problems.map(\.line)).count),
                            \(userID), \(at))
                    RETURNING id
                    """).first!.decode("id", as: Int64.self)
                var imported = 0
                var start = 0
                // Multi-row inserts with the columns as array binds: one statement per 5,000 rows.
                while start < placed.count {
                    let chunk = placed[start..<min(start + 5000, placed.count)]
                    start += chunk.count
                    imported += try insertIncidents(tx, chunk.map { ($0.row.incident, $0.unit) }, batchID: batchID, today: today,
                                                    dueOn: dueOn, at: at).count
                }
                try tx.execute("""
                    UPDATE police_incident_batches SET imported = \(imported), already = \(placed.count - imported) WHERE id = \(batchID)
                    """)
                return IncidentImportReport(batchID: batchID, imported: imported, already: placed.count - imported, problems: problems,
                                            dueOn: dueOn)
            }
        }
    }

    /// Inserts the incidents whose numbers are new and opens their follow-up dues; returns number → id of those inserted.
    private func insertIncidents(_ tx: PostgresConnection, _ rows: [(PoliceIncident, Int64)], batchID: Int64, today: LocalDate,
                                 dueOn: LocalDate, at: Date) throws -> [String: Int64] {
        func texts(_ value: (PoliceIncident) -> String?) -> PostgresTextArray { PostgresTextArray(rows.map { value($0.0) }) }
        let result = try tx.query("""
            WITH input AS (
                SELECT * FROM unnest(\(texts(\.incidentNo)), \(texts { String($0.occurredAt.timeIntervalSince1970) }), \(texts(\.station)),
                                     \(texts(\.address)), \(texts(\.victimName)), \(texts(\.victimPhone)), \(texts(\.respondentName)),
                                     \(texts(\.handling)), \(texts { $0.warningLetter ? "t" : "f" }), \(rows.map(\.1)))
                    AS t(incident_no, occurred, station, address, victim_name, victim_phone, respondent_name, handling, warning_letter, unit_id)
            ), added AS (
                INSERT INTO police_incidents (incident_no, occurred_at, station, address, victim_name, victim_phone, respondent_name,
                                              handling, warning_letter, unit_id, batch_id, received_on, follow_up_due_on, created_at)
                SELECT incident_no, to_timestamp(occurred::double precision), station, address, victim_name, victim_phone, respondent_name,
                       handling, warning_letter::boolean, unit_id, \(batchID), \(today), \(dueOn), \(at)
                FROM input
                ON CONFLICT (incident_no) DO NOTHING  -- imported before: a re-import never duplicates
                RETURNING id, incident_no, unit_id
            ), dues AS (
                INSERT INTO grassroots_dues (kind, unit_id, incident_id, due_on, detail, created_at)
                SELECT 'incident_follow_up', unit_id, id, \(dueOn), jsonb_build_object('incident_id', id), \(at) FROM added
            )
            SELECT id, incident_no FROM added
            """)
        var ids: [String: Int64] = [:]
        for row in result.rows { ids[try row.decode("incident_no", as: String.self)] = try row.decode("id", as: Int64.self) }
        return ids
    }

    /// One incident through the API, placed under her unit. Idempotent on its number: a number on record
    /// returns the existing incident (`replayed`), or nil when that one lies outside her scope.
    public func addIncident(_ incident: PoliceIncident, by user: StaffUser) throws -> (id: Int64, replayed: Bool)? {
        let row = PoliceIncidentCSV.Row(line: 1, incident: incident)
        let report = try importIncidents([row], rootUnitID: user.unitID, fileName: nil, by: user.id)
        if let problem = report.problems.first { throw ValidationFailure([FieldError("address", problem.message)]) }
        return try pool.withConnection { db -> (id: Int64, replayed: Bool)? in
            guard let existing = try db.query("""
                WITH \(viewer: user)
                SELECT i.id, i.batch_id \(unescaped: IncidentScope.source), v
                WHERE i.incident_no = \(incident.incidentNo) AND \(unescaped: IncidentScope.inScope)
                """).first else { return nil }
            return (try existing.decode("id"), try existing.decode("batch_id", as: Int64.self) != report.batchID)
        }
    }

    private static let incidentColumns = """
        i.id, i.incident_no, i.occurred_at, i.station, i.unit_id, iu.name AS unit_name, i.address, i.victim_name, i.victim_phone,
        i.respondent_name, i.warning_letter, i.follow_up_due_on, i.followed_up_at, i.handling
        """

    private static func incidentItem(_ row: PostgresRow) throws -> IncidentListItem {
        let masked = !(try row.decode("opened", as: Bool.self))
        let address: String = try row.decode("address")
        let victim: String = try row.decode("victim_name")
        let phone = try row.decode("victim_phone", as: String?.self)
        let respondent = try row.decode("respondent_name", as: String?.self)
        return IncidentListItem(
            id: try row.decode("id"), incidentNo: try row.decode("incident_no"), occurredAt: try row.decode("occurred_at"),
            station: try row.decode("station"), unitID: try row.decode("unit_id"), unitName: try row.decode("unit_name"), masked: masked,
            address: masked ? PersonalDataMask.address(address)! : address,
            victimName: masked ? PersonalDataMask.name(victim)! : victim,
            victimPhone: masked ? PersonalDataMask.phone(phone) : phone,
            respondentName: masked ? PersonalDataMask.name(respondent) : respondent,
            warningLetter: try row.decode("warning_letter"), followUpDueOn: try row.decode("follow_up_due_on"),
            followedUpAt: try row.decode("followed_up_at", as: Date?.self))
    }

    /// Incidents in her scope, newest first before `beforeID`; every row masked (a list is not a read:
    /// the whole incident is read, and audited, one at a time). `open`: only those not yet followed up.
    public func incidents(for user: StaffUser, beforeID: Int64?, limit: Int, openOnly: Bool) throws -> [IncidentListItem] {
        try pool.withConnection { db in
            try db.query("""
                WITH \(viewer: user)
                SELECT \(unescaped: Self.incidentColumns), false AS opened
                \(unescaped: IncidentScope.source), v
                WHERE \(unescaped: IncidentScope.inScope)
                  AND (\(beforeID)::bigint IS NULL OR i.id < \(beforeID))
                  AND (NOT \(openOnly) OR i.followed_up_at IS NULL)
                ORDER BY i.id DESC
                LIMIT \(limit)
                """).rows.map(Self.incidentItem)
        }
    }

    /// Reads one incident and records the read in the same transaction. Nil when it does not exist or
    /// lies outside her scope: the two look the same.
    public func readIncident(id: Int64, by user: StaffUser, view: String) throws -> IncidentRecord? {
        let at = now()
        return try pool.withConnection { db in
            try db.transaction { tx -> IncidentRecord? in
                guard let row = try tx.query("""
                    WITH \(viewer: user)
                    SELECT \(unescaped: Self.incidentColumns), \(unescaped: IncidentScope.opened) AS opened
                    \(unescaped: IncidentScope.source), v
                    WHERE i.id = \(id) AND \(unescaped: IncidentScope.inScope)
                    """).first else { return nil }
                let item = try Self.incidentItem(row)
                try tx.execute("""
                    INSERT INTO police_incident_reads (incident_id, user_id, at, view, masked)
                    VALUES (\(id), \(user.id), \(at), \(view), \(item.masked))
                    """)
                let followUps = try tx.query("""
                    SELECT id, reached, said, needs, risk_grade, case_id, lead_id, on_time, recorded_by, recorded_at
                    FROM police_incident_follow_ups WHERE incident_id = \(id) ORDER BY id
                    """).rows.map { f in
                    IncidentFollowUpRecord(
                        id: try f.decode("id"), reached: try f.decode("reached"),
                        said: item.masked ? nil : try f.decode("said", as: String?.self),
                        needs: item.masked ? nil : try f.decode("needs", as: String?.self),
                        riskGrade: try f.decode("risk_grade", as: String?.self).flatMap(RiskGrade.init(rawValue:)),
                        caseID: try f.decode("case_id", as: Int64?.self), leadID: try f.decode("lead_id", as: Int64?.self),
                        onTime: try f.decode("on_time"),
                        recordedBy: try f.decode("recorded_by"), recordedAt: try f.decode("recorded_at"))
                }
                return IncidentRecord(item: item, handling: item.masked ? nil : try row.decode("handling", as: String?.self),
                                      followUps: followUps)
            }
        }
    }

    /// Who read an incident, oldest first (for tests and the audit).
    public func incidentReads(id: Int64) throws -> [(userID: Int64, view: String, masked: Bool)] {
        try pool.withConnection { db in
            try db.query("SELECT user_id, view, masked FROM police_incident_reads WHERE incident_id = \(id) ORDER BY id").rows.map {
                (try $0.decode("user_id"), try $0.decode("view"), try $0.decode("masked"))
            }
        }
    }

    /// Records a phone follow-up by one who may open the incident (nil: not hers to see, 404; Forbidden:
    /// she sees it masked). Reaching her meets the due in the same transaction; the danger checklist, when
    /// asked, grades it; `opensCase` files a domestic-violence petition case for her at the incident's
    /// unit through the intake's own path; `opensLead` opens a lead in the incident's grid (or the grid
    /// named below its unit) through the leads' own path, with their mandatory reports, deliberation due
    /// and 直报. Returns the follow-up's id and the case or lead opened.
    public func recordIncidentFollowUp(incidentID: Int64, _ followUp: IncidentFollowUp, by user: StaffUser)
        throws -> (id: Int64, caseID: Int64?, leadID: Int64?)? {
        let at = now()
        let today = LocalDate(at, in: timeZone)
        let deliberationDue = followUp.opensLead ? try grassrootsDueDay(from: today, limit: rules.grassroots.deliberationWithin) : nil
        return try pool.withConnection { db in
            try db.transaction { tx -> (Int64, Int64?, Int64?)? in
                guard let row = try tx.query("""
                    WITH \(viewer: user)
                    SELECT i.unit_id, i.victim_name, i.victim_phone, i.follow_up_due_on, i.followed_up_at, i.incident_no, i.respondent_name,
                           (SELECT level FROM units WHERE id = i.unit_id) AS unit_level,
                           \(unescaped: IncidentScope.opened) AS opened
                    \(unescaped: IncidentScope.source), v
                    WHERE i.id = \(incidentID) AND \(unescaped: IncidentScope.inScope)
                    FOR UPDATE OF i
                    """).first else { return nil }
                guard try row.decode("opened", as: Bool.self) else {
                    throw Forbidden(message: "only those who owe the call (the unit's handlers, supervisors, leaders) or supervisors above may record it")
                }
                let unitID: Int64 = try row.decode("unit_id")
                let dueOn: LocalDate = try row.decode("follow_up_due_on")
                var caseID: Int64?
                if followUp.opensCase {
                    let phone = try row.decode("victim_phone", as: String?.self)
                    let intake = PoliceIncident.followUpIntake(victimName: try row.decode("victim_name"), phone: phone,
                                                               summary: "家暴警情回访：" + (followUp.said ?? ""), unitID: unitID,
                                                               receivedOn: today)
                    let newCase = try newCaseRow(intake, category: .domesticViolence, unitID: unitID, actor: .staff(user))
                    caseID = try insertNewCases(tx, [newCase])[0].get().receipt.caseID
                }
                var leadID: Int64?
                if followUp.opensLead, let deliberationDue {
                    let gridID: Int64
                    if let named = followUp.gridID {
                        guard !(try tx.query("""
                            SELECT 1 AS ok FROM units g WHERE g.id = \(named) AND g.level = 'grid' AND g.path @> ARRAY[\(unitID)]::bigint[]
                            """).isEmpty) else { throw UnknownReference(field: "grid_id", message: "must be a grid of the incident's unit") }
                        gridID = named
                    } else {
                        guard try row.decode("unit_level", as: String.self) == "grid" else {
                            throw UnknownReference(field: "grid_id", message: "is required: the incident's unit is not a grid; name the grid below it")
                        }
                        gridID = unitID
                    }
                    let lead = followUp.lead(gridID: gridID, incidentNo: try row.decode("incident_no"), victimName: try row.decode("victim_name"),
                                             victimPhone: try row.decode("victim_phone"), respondentName: try row.decode("respondent_name"))
                    do {
                        leadID = try insertLead(tx, lead, by: user, dueOn: deliberationDue, at: at, sourceIncidentID: incidentID).id
                    } catch is CaseNotFound {
                        throw UnknownReference(field: "grid_id", message: "the grid is not within your scope")
                    }
                }
                let answersJSON = followUp.riskAnswers.map { answers in
                    "{" + answers.keys.sorted().map { "\"\($0)\":\(answers[$0]! ? "true" : "false")" }.joined(separator: ",") + "}"
                }
                let onTime = followUp.reached && today <= dueOn
                let id = try tx.query("""
                    INSERT INTO police_incident_follow_ups (incident_id, reached, said, needs, risk_grade, risk_answers, case_id, lead_id,
                                                            on_time, recorded_by, recorded_at)
                    VALUES (\(incidentID), \(followUp.reached), \(followUp.said), \(followUp.needs), \(followUp.assessment?.grade.rawValue),
                            \(answersJSON)::jsonb, \(caseID), \(leadID), \(onTime), \(user.id), \(at))
                    RETURNING id
                    """).first!.decode("id", as: Int64.self)
                // Only reaching her is a follow-up: an unanswered call leaves the clock running.
                if followUp.reached, try row.decode("followed_up_at", as: Date?.self) == nil {
                    try tx.execute("UPDATE police_incidents SET followed_up_at = \(at) WHERE id = \(incidentID)")
                    try tx.execute("""
                        UPDATE grassroots_dues SET met_at = \(at)
                        WHERE incident_id = \(incidentID) AND kind = 'incident_follow_up' AND met_at IS NULL
                        """)
                }
                return (id, caseID, leadID)
            }
        }
    }

    /// The month's incidents (by the day they happened) per unit directly below hers, and hers itself
    /// for those placed in her unit: followed up on time, late, not yet (before or past the day).
    public func incidentFigures(month: LocalDate, for user: StaffUser) throws -> (total: IncidentFigure, units: [IncidentFigure]) {
        let from = month
        let to = month.adding(days: LocalDate.daysIn(month: month.month, year: month.year))
        let today = self.today
        let tz = timeZone.identifier
        return try pool.withConnection { db in
            let rows = try db.query("""
                WITH me AS (SELECT id, name FROM units WHERE id = \(user.unitID)),
                counted AS (
                    SELECT coalesce(iu.path[array_position(iu.path, me.id) + 1], me.id) AS child,
                           count(*) AS incidents,
                           count(*) FILTER (WHERE (i.followed_up_at AT TIME ZONE \(tz))::date <= i.follow_up_due_on) AS on_time,
                           count(*) FILTER (WHERE (i.followed_up_at AT TIME ZONE \(tz))::date > i.follow_up_due_on) AS late,
                           count(*) FILTER (WHERE i.followed_up_at IS NULL AND i.follow_up_due_on >= \(today)) AS open_not_due,
                           count(*) FILTER (WHERE i.followed_up_at IS NULL AND i.follow_up_due_on < \(today)) AS open_overdue
                    FROM police_incidents i JOIN units iu ON iu.id = i.unit_id, me
                    WHERE iu.path @> ARRAY[me.id]
                      AND i.occurred_at >= (\(from)::date::timestamp AT TIME ZONE \(tz))
                      AND i.occurred_at < (\(to)::date::timestamp AT TIME ZONE \(tz))
                    GROUP BY 1
                )
                SELECT u.id, u.name, coalesce(c.incidents, 0) AS incidents, coalesce(c.on_time, 0) AS on_time, coalesce(c.late, 0) AS late,
                       coalesce(c.open_not_due, 0) AS open_not_due, coalesce(c.open_overdue, 0) AS open_overdue
                FROM units u LEFT JOIN counted c ON c.child = u.id, me
                WHERE u.parent_id = me.id OR (u.id = me.id AND c.child IS NOT NULL)
                ORDER BY u.id = me.id DESC, u.name, u.id
                """).rows.map { r in
                IncidentFigure(unitID: try r.decode("id"), unitName: try r.decode("name"), incidents: try r.decode("incidents"),
                               onTime: try r.decode("on_time"), late: try r.decode("late"), openNotDue: try r.decode("open_not_due"),
                               openOverdue: try r.decode("open_overdue"))
            }
            let name = try db.query("SELECT name FROM units WHERE id = \(user.unitID)").first!.decode("name", as: String.self)
            let total = IncidentFigure(unitID: user.unitID, unitName: name, incidents: rows.reduce(0) { $0 + $1.incidents },
                                       onTime: rows.reduce(0) { $0 + $1.onTime }, late: rows.reduce(0) { $0 + $1.late },
                                       openNotDue: rows.reduce(0) { $0 + $1.openNotDue }, openOverdue: rows.reduce(0) { $0 + $1.openOverdue })
            return (total, rows)
        }
    }
}

extension Store {
    /// The id of the unit with this code, if any.
    public func unitID(code: String) throws -> Int64? {
        try pool.withConnection { db in try db.query("SELECT id FROM units WHERE code = \(code)").first?.decode("id", as: Int64.self) }
    }
}
