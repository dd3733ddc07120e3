import Foundation
import HuiyinCore
import Postgres

/// What the visitor is told once a visit is durable.
public struct VisitReceipt: Codable, Sendable, Equatable {
    public let visitID: Int64
    public let householdID: Int64
    public let visitedOn: String
    public let month: String
}

/// A household was already visited that day (a second record without the first request's key).
public struct VisitAlreadyRecorded: Error, Sendable {
    public let householdID: Int64
    public let visitedOn: LocalDate
}

/// One visit as the household's history shows it; topics and notes are nil when the household is sealed to her.
public struct VisitRecord: Sendable, Equatable {
    public let id: Int64
    public let visitedOn: LocalDate
    public let mode: VisitMode
    public let visitedBy: Int64
    public let visitorName: String
    public let topics: [VisitTopic: VisitTopicAnswer]?
    public let notes: String?
    public let leadID: Int64?
    public let recordedAt: Date
}

/// A household's visits as read (audited); `masked` when the household is sealed to her.
public struct HouseholdVisits: Sendable, Equatable {
    public let householdID: Int64
    public let masked: Bool
    public let visits: [VisitRecord]
}

/// A unit's visit figures for a month: households due and households visited at least once.
public struct VisitFigure: Sendable, Equatable {
    public let unitID: Int64
    public let name: String
    public let level: String
    public let due: Int
    public let done: Int
}

/// The figures of a unit and of each unit one level below it (for grid roles without a unit: each of her grids).
public struct VisitProgress: Sendable, Equatable {
    public let month: VisitMonth
    public let dueOn: LocalDate
    public let unit: VisitFigure?
    public let children: [VisitFigure]
}

/// A household still due its visit this month, masked as in household lists (a sealed one shows only that it is due).
public struct DueVisit: Sendable, Equatable {
    public let householdID: Int64
    public let gridID: Int64
    public let gridName: String
    public let sealed: Bool
    public let dueOn: LocalDate
    public let address: String?
    public let headName: String?
    public let lastVisitedOn: LocalDate?
    /// Why the household is on the register: its categories and its colour (none when sealed).
    public let categories: [HouseholdCategory]
    public let colour: HouseholdColour?
}

/// Columns of `household_visits` for each topic: (asked, found).
private let topicColumns: [VisitTopic: (String, String)] = [
    .womensChildrensRights: ("rights_asked", "rights_found"),
    .marriageFamilyDisputes: ("disputes_asked", "disputes_found"),
    .domesticViolence: ("violence_asked", "violence_found"),
    .minorSexualAssault: ("minor_assault_asked", "minor_assault_found"),
]

extension Store {
    /// Records a visit of a household in her scope: the grid workers and information officers of its grid,
    /// or staff of its village (or of the grid itself). Nil when the household is not hers to see (404, as
    /// any out-of-scope read). One statement writes the visit, marks the household visited this month and,
    /// if that mark is new, adds one to its grid's counter; with a key, a retry replays the first answer.
    /// Throws `VisitAlreadyRecorded` (409) for a second visit on the same day, `Forbidden` for staff above
    /// the village or a household sealed to her, `UnknownReference` for a lead not of the household's grid.
    public func recordVisit(_ visit: Visit, by user: StaffUser, idempotency: IdempotencyKey?) throws -> (VisitReceipt, replayed: Bool)? {
        let at = now()
        let month = visit.month.firstDay
        let t = visit.topics
        func answer(_ topic: VisitTopic) -> VisitTopicAnswer { t[topic] ?? VisitTopicAnswer(asked: false, found: false) }
        let rights = answer(.womensChildrensRights), disputes = answer(.marriageFamilyDisputes)
        let violence = answer(.domesticViolence), minor = answer(.minorSexualAssault)
        let (receipt, replayed) = try pool.withConnection { db in
            try oneStatement(db, idempotency) { tx -> VisitReceipt? in
                let row = try tx.query("""
                    WITH \(viewer: user), h AS (
                        SELECT h.id, h.grid_id, gu.path,
                               (v.role IN ('grid_worker', 'information_officer') OR v.unit_id = gu.id OR v.unit_id = gu.parent_id) AS may_record,
                               \(unescaped: HouseholdScope.opened) AS opened,
                               (\(visit.leadID)::bigint IS NULL OR EXISTS (
                                   SELECT 1 FROM leads l WHERE l.id = \(visit.leadID) AND l.grid_id = h.grid_id)) AS lead_ok
                        FROM households h JOIN units gu ON gu.id = h.grid_id, v
                        WHERE h.id = \(visit.householdID) AND \(unescaped: HouseholdScope.inScope)
                    ), visit AS (
                        INSERT INTO household_visits (household_id, grid_id, visited_on, month, mode,
                            rights_asked, rights_found, disputes_asked, disputes_found, violence_asked, violence_found,
                            minor_assault_asked, minor_assault_found, notes, lead_id, visited_by, recorded_at)
                        SELECT h.id, h.grid_id, \(visit.visitedOn), \(month), \(visit.mode.rawValue),
                               \(rights.asked), \(rights.found), \(disputes.asked), \(disputes.found),
                               \(violence.asked), \(violence.found), \(minor.asked), \(minor.found),
                               \(visit.notes), \(visit.leadID), \(user.id), \(at)
                        FROM h WHERE h.may_record AND h.opened AND h.lead_ok
                        ON CONFLICT (household_id, visited_on) DO NOTHING
                        RETURNING id, household_id
                    ), first_of_month AS (
                        INSERT INTO visit_household_months (household_id, month, first_visit_id)
                        SELECT household_id, \(month), id FROM visit
                        ON CONFLICT DO NOTHING
                        RETURNING household_id
                    ), counted AS (
                        INSERT INTO visit_grid_months AS g (grid_id, month, path, done)
                        SELECT h.grid_id, \(month), h.path, 1 FROM first_of_month JOIN h ON h.id = first_of_month.household_id
                        ON CONFLICT (grid_id, month) DO UPDATE SET done = g.done + 1
                    )
                    SELECT h.may_record, h.opened, h.lead_ok, (SELECT id FROM visit) AS visit_id FROM h
                    """).first
                guard let row else { return nil }
                guard try row.decode("may_record", as: Bool.self) else {
                    throw Forbidden(message: "visits are recorded by the grid's workers and officers or by its village")
                }
                guard try row.decode("opened", as: Bool.self) else { throw Forbidden(message: "this household is sealed to you") }
                guard try row.decode("lead_ok", as: Bool.self) else {
                    throw UnknownReference(field: "lead_id", message: "no such lead in this household's grid")
                }
                guard let id = try row.decode("visit_id", as: Int64?.self) else {
                    throw VisitAlreadyRecorded(householdID: visit.householdID, visitedOn: visit.visitedOn)
                }
                return VisitReceipt(visitID: id, householdID: visit.householdID, visitedOn: visit.visitedOn.description,
                                    month: visit.month.description)
            }
        }
        return receipt.map { ($0, replayed) }
    }

    /// Runs `operation`, one statement that writes all or nothing (and nothing when it refuses), as its own
    /// transaction when there is no key: no BEGIN and COMMIT round trips. With a key, inside the idempotent one.
    private func oneStatement<R: Codable>(_ db: PostgresConnection, _ key: IdempotencyKey?,
                                          _ operation: (PostgresConnection) throws -> R) throws -> (R, replayed: Bool) {
        guard key != nil else { return (try operation(db), false) }
        return try idempotent(db, key, operation)
    }

    /// A household's visits, newest first, read in scope and audited (one `household_reads` row, view
    /// `visits`). Nil when it does not exist or lies outside her scope.
    public func householdVisits(id: Int64, by user: StaffUser) throws -> HouseholdVisits? {
        let at = now()
        return try pool.withConnection { db in
            try db.transaction { tx -> HouseholdVisits? in
                guard let row = try tx.query("""
                    WITH \(viewer: user)
                    SELECT \(unescaped: HouseholdScope.opened) AS opened
                    FROM households h JOIN units gu ON gu.id = h.grid_id, v
                    WHERE h.id = \(id) AND \(unescaped: HouseholdScope.inScope)
                    """).first else { return nil }
                let opened = try row.decode("opened", as: Bool.self)
                try tx.execute("""
                    INSERT INTO household_reads (household_id, user_id, at, view, masked)
                    VALUES (\(id), \(user.id), \(at), 'visits', \(!opened))
                    """)
                let visits = try tx.query("""
                    SELECT hv.*, u.display_name FROM household_visits hv JOIN users u ON u.id = hv.visited_by
                    WHERE hv.household_id = \(id) ORDER BY hv.visited_on DESC, hv.id DESC LIMIT 200
                    """).rows.map { r -> VisitRecord in
                    var topics: [VisitTopic: VisitTopicAnswer]?
                    if opened {
                        topics = [:]
                        for (topic, columns) in topicColumns {
                            topics![topic] = VisitTopicAnswer(asked: try r.decode(columns.0), found: try r.decode(columns.1))
                        }
                    }
                    return VisitRecord(id: try r.decode("id"), visitedOn: try r.decode("visited_on"),
                                       mode: VisitMode(rawValue: try r.decode("mode")) ?? .inPerson,
                                       visitedBy: try r.decode("visited_by"), visitorName: try r.decode("display_name"),
                                       topics: topics, notes: opened ? try r.decode("notes", as: String?.self) : nil,
                                       leadID: opened ? try r.decode("lead_id", as: Int64?.self) : nil,
                                       recordedAt: try r.decode("recorded_at"))
                }
                return HouseholdVisits(householdID: id, masked: !opened, visits: visits)
            }
        }
    }

    /// Opens a month's counters once: each grid's households on the register by the month's end are due.
    /// Under a SHARE lock on households, so a household put on the register meanwhile is either counted
    /// here or (committing after the month row) by the trigger, never both, never neither.
    public func openVisitMonth(_ month: VisitMonth) throws {
        try pool.withConnection { try openVisitMonth(month, on: $0) }
    }

    func openVisitMonth(_ month: VisitMonth, on db: PostgresConnection) throws {
        let starts = month.firstDay.startOfDay(in: timeZone), ends = month.next.firstDay.startOfDay(in: timeZone)
        do {
            guard try db.query("SELECT 1 AS open FROM visit_months WHERE month = \(month.firstDay)").isEmpty else { return }
            try db.transaction { tx in
                try tx.execute("LOCK TABLE households IN SHARE MODE")
                guard try !tx.query("""
                    INSERT INTO visit_months (month, starts_at, ends_at, opened_at)
                    VALUES (\(month.firstDay), \(starts), \(ends), \(now()))
                    ON CONFLICT DO NOTHING RETURNING month
                    """).isEmpty else { return }
                try tx.execute("""
                    INSERT INTO visit_grid_months AS g (grid_id, month, path, due)
                    SELECT h.grid_id, \(month.firstDay), gu.path, count(*)
                    FROM households h JOIN units gu ON gu.id = h.grid_id
                    WHERE h.created_at < \(ends)
                    GROUP BY h.grid_id, gu.path
                    ON CONFLICT (grid_id, month) DO UPDATE SET due = excluded.due
                    """)
            }
        }
    }

    /// The visit figures of a unit in her scope and of each unit below it (`unitID` nil: her unit; for a grid
    /// worker or information officer, each of her grids). Nil when the unit is not hers to see.
    /// Sums per-grid counters over the subtree: one btree range on (month, path), no visit is read.
    public func visitProgress(month: VisitMonth, unitID: Int64?, for user: StaffUser) throws -> VisitProgress? {
        try openVisitMonth(month)
        let dueOn = month.dueOn(rules)
        return try pool.withConnection { db -> VisitProgress? in
            if user.role.worksInGrids {
                let grids = try db.query("""
                    SELECT u.id, u.name, u.level, coalesce(g.due, 0) AS due, coalesce(g.done, 0) AS done
                    FROM staff_grids sg JOIN units u ON u.id = sg.grid_id
                    LEFT JOIN visit_grid_months g ON g.grid_id = u.id AND g.month = \(month.firstDay)
                    WHERE sg.user_id = \(user.id) AND (\(unitID)::bigint IS NULL OR u.id = \(unitID))
                    ORDER BY u.code
                    """).rows.map(Self.figure)
                if let unitID {
                    guard let grid = grids.first(where: { $0.unitID == unitID }) else { return nil }
                    return VisitProgress(month: month, dueOn: dueOn, unit: grid, children: [])
                }
                return VisitProgress(month: month, dueOn: dueOn, unit: nil, children: grids)
            }
            let target = unitID ?? user.unitID
            guard let unit = try db.query("""
                SELECT id, name, level FROM units WHERE id = \(target) AND path @> ARRAY[\(user.unitID)::bigint]
                """).first else { return nil }
            let sums = try db.query("""
                WITH t AS (SELECT path, array_length(path, 1) AS depth FROM units WHERE id = \(target))
                SELECT g.path[(SELECT depth FROM t) + 1] AS child, sum(g.due)::bigint AS due, sum(g.done)::bigint AS done
                FROM visit_grid_months g
                WHERE g.month = \(month.firstDay)
                  AND g.path >= (SELECT path FROM t)
                  AND g.path < (SELECT path[1:depth - 1] || (path[depth] + 1) FROM t)
                GROUP BY 1
                """).rows.map { (try $0.decode("child", as: Int64?.self), try $0.decode("due", as: Int.self), try $0.decode("done", as: Int.self)) }
            let byChild = Dictionary(sums.compactMap { c, due, done in c.map { ($0, (due, done)) } }, uniquingKeysWith: { a, _ in a })
            let children = try db.query("SELECT id, name, level FROM units WHERE parent_id = \(target) ORDER BY code").rows.map { row in
                let id = try row.decode("id", as: Int64.self)
                let (due, done) = byChild[id] ?? (0, 0)
                return VisitFigure(unitID: id, name: try row.decode("name"), level: try row.decode("level"), due: due, done: done)
            }
            let own = VisitFigure(unitID: target, name: try unit.decode("name"), level: try unit.decode("level"),
                                  due: sums.reduce(0) { $0 + $1.1 }, done: sums.reduce(0) { $0 + $1.2 })
            return VisitProgress(month: month, dueOn: dueOn, unit: own, children: children)
        }
    }

    private static func figure(_ row: PostgresRow) throws -> VisitFigure {
        VisitFigure(unitID: try row.decode("id"), name: try row.decode("name"), level: try row.decode("level"),
                    due: try row.decode("due"), done: try row.decode("done"))
    }

    /// Her households not yet visited this month (the month of today), nearest deadline first (all share the
    /// month's due day; then the longest unvisited), masked as in household lists.
    public func dueVisits(for user: StaffUser, limit: Int = 500) throws -> (month: VisitMonth, items: [DueVisit]) {
        let month = VisitMonth(today)
        let dueOn = month.dueOn(rules)
        let items = try pool.withConnection { db in
            try db.query("""
                WITH \(viewer: user)
                SELECT h.id, h.grid_id, gu.name AS grid_name, h.sealed, h.address, h.head_name, array_to_string(h.categories, ',') AS categories, h.colour,
                       (SELECT max(hv.visited_on) FROM household_visits hv WHERE hv.household_id = h.id) AS last_visited_on
                FROM households h JOIN units gu ON gu.id = h.grid_id, v
                WHERE \(unescaped: HouseholdScope.inScope)
                  AND NOT EXISTS (SELECT 1 FROM visit_household_months m WHERE m.household_id = h.id AND m.month = \(month.firstDay))
                ORDER BY last_visited_on ASC NULLS FIRST, h.id
                LIMIT \(limit)
                """).rows.map { row -> DueVisit in
                let sealed = try row.decode("sealed", as: Bool.self)
                return DueVisit(householdID: try row.decode("id"), gridID: try row.decode("grid_id"),
                                gridName: try row.decode("grid_name"), sealed: sealed, dueOn: dueOn,
                                address: sealed ? nil : PersonalDataMask.address(try row.decode("address", as: String.self)),
                                headName: sealed ? nil : PersonalDataMask.name(try row.decode("head_name", as: String.self)),
                                lastVisitedOn: sealed ? nil : try row.decode("last_visited_on", as: LocalDate?.self),
                                categories: sealed ? [] : Self.words(try row.decode("categories")),
                                colour: sealed ? nil : try row.decode("colour", as: String?.self).flatMap(HouseholdColour.init(rawValue:)))
            }
        }
        return (month, items)
    }
}

extension LocalDate {
    /// 00:00 of this day in `zone`.
    func startOfDay(in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: year, month: month, day: day))!
    }
}

/// A household of the month's register as the village sees it: visited (the first visit's day) or not, masked.
public struct MonthRegisterEntry: Sendable, Equatable {
    public let householdID: Int64
    public let gridName: String
    public let sealed: Bool
    public let headName: String?
    public let address: String?
    public let visitedOn: LocalDate?
}

/// A grid with households still unvisited in the month, for the township's list of overdue visits.
public struct OutstandingGrid: Sendable, Equatable {
    public let gridID: Int64
    public let gridName: String
    public let villageName: String
    public let due: Int
    public let done: Int
}

extension Store {
    /// The households of these grids she may see, with their first visit of the month if any: unvisited first.
    public func visitRegister(month: VisitMonth, gridIDs: [Int64], for user: StaffUser, limit: Int = 500) throws -> [MonthRegisterEntry] {
        try pool.withConnection { db in
            try db.query("""
                WITH \(viewer: user)
                SELECT h.id, gu.name AS grid_name, h.sealed, h.head_name, h.address, hv.visited_on
                FROM households h JOIN units gu ON gu.id = h.grid_id
                LEFT JOIN visit_household_months m ON m.household_id = h.id AND m.month = \(month.firstDay)
                LEFT JOIN household_visits hv ON hv.id = m.first_visit_id, v
                WHERE h.grid_id = ANY(string_to_array(\(gridIDs.map(String.init).joined(separator: ",")), ',')::bigint[])
                  AND \(unescaped: HouseholdScope.inScope)
                ORDER BY hv.visited_on IS NOT NULL, gu.code, h.id
                LIMIT \(limit)
                """).rows.map { row in
                let sealed = try row.decode("sealed", as: Bool.self)
                return MonthRegisterEntry(householdID: try row.decode("id"), gridName: try row.decode("grid_name"), sealed: sealed,
                                          headName: sealed ? nil : PersonalDataMask.name(try row.decode("head_name", as: String.self)),
                                          address: sealed ? nil : PersonalDataMask.address(try row.decode("address", as: String.self)),
                                          visitedOn: try row.decode("visited_on", as: LocalDate?.self))
            }
        }
    }

    /// Grids below `unitID` (the caller checked her scope) with households still unvisited in the month, the
    /// most outstanding first. From the counters.
    public func outstandingVisitGrids(month: VisitMonth, underUnit unitID: Int64, limit: Int = 100) throws -> [OutstandingGrid] {
        try pool.withConnection { db in
            try db.query("""
                WITH t AS (SELECT path, array_length(path, 1) AS depth FROM units WHERE id = \(unitID))
                SELECT g.grid_id, gu.name AS grid_name, coalesce(vu.name, '') AS village_name, g.due, g.done
                FROM visit_grid_months g JOIN units gu ON gu.id = g.grid_id LEFT JOIN units vu ON vu.id = gu.parent_id
                WHERE g.month = \(month.firstDay) AND g.done < g.due
                  AND g.path >= (SELECT path FROM t) AND g.path < (SELECT path[1:depth - 1] || (path[depth] + 1) FROM t)
                ORDER BY g.due - g.done DESC, g.grid_id
                LIMIT \(limit)
                """).rows.map { row in
                OutstandingGrid(gridID: try row.decode("grid_id"), gridName: try row.decode("grid_name"),
                                villageName: try row.decode("village_name"), due: try row.decode("due"), done: try row.decode("done"))
            }
        }
    }
}
