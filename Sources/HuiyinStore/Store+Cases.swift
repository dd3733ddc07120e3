import Foundation
import HuiyinCore
import Postgres

public struct PetitionerRecord: Sendable {
    public let id: Int64
    public let name: String?
    public let phone: String?
    public let idNumber: String?
    public let address: String?
    public let isMinor: Bool
}

public struct ContactRecord: Sendable {
    public let id: Int64
    public let channel: String
    /// Nil on a masked (sealed) case.
    public let summary: String?
    public let receivedOn: LocalDate
    public let recordedAt: Date
    public let recordedBy: Int64?
    public let petitionerID: Int64?
    /// What its channel adds (the sub-line, the letter, the visit); nil for a channel this binary does not know.
    public let details: ChannelDetails?
}

public struct EventRecord: Sendable {
    public let id: Int64
    public let at: Date
    public let actor: String
    public let actorUserID: Int64?
    public let kind: String
    public let fromStatus: String?
    public let toStatus: String?
    /// Nil on a masked case.
    public let reason: String?
    /// The event's detail object as JSON text (`{}` on a masked case).
    public let detailJSON: String
}

public struct ClockRecord: Sendable {
    public let id: Int64
    public let kind: String
    public let ruleLimit: String
    public let startedOn: LocalDate
    public let dueOn: LocalDate
    public let state: String
    public let stoppedAt: Date?
}

/// One row of a list, search, export, caller history or responsibility list. On a masked row the
/// summary and the petitioner are nil.
public struct CaseListItem: Sendable {
    public let id: Int64
    public let trackingNo: String
    public let category: String
    public let status: String
    public let unitID: Int64
    public let unitName: String
    public let channel: String
    public let receivedOn: LocalDate
    public let contactCount: Int
    public let createdAt: Date
    public let updatedAt: Date
    public let sealed: Bool
    /// Sealed and she is outside its circle: she sees that the case exists, not what it is about.
    public let masked: Bool
    public let summary: String?
    public let petitionerName: String?
    /// Digits, whole; lists and exports show them masked.
    public let petitionerPhone: String?
    public let handlerID: Int64?
    public let leaderID: Int64?
    public let riskGrade: String?
    /// The largest head count of its visits (5 or more: 集体访); nil if no visit.
    public let visitors: Int?
    /// The nearest due day of its running clocks (the list's 期限 column); nil if none runs.
    public let nextDueOn: LocalDate?
}

/// A case as its page shows it to one user; everything on record if she may open it.
public struct CaseRecord: Sendable {
    public let item: CaseListItem
    public let petitioner: PetitionerRecord?
    /// The person the matter is about, as recorded at intake; nil when none was named apart from the
    /// petitioner, or on a masked case.
    public let victim: Victim?
    public let contacts: [ContactRecord]
    public let events: [EventRecord]
    public let clocks: [ClockRecord]
    public let tasks: [TaskRecord]
    public let referrals: [ReferralRecord]
    public let documents: [DocumentRecord]
    /// Her read was a broken seal (flagged for review).
    public let brokeSeal: Bool
}

public struct CallerMatch: Sendable {
    public let petitioner: PetitionerRecord
    /// Newest first, only those in her scope.
    public let cases: [CaseListItem]
}

/// Filters of the case list, search, count and export. Every one narrows within the user's scope.
public struct CaseFilter: Sendable {
    public var status: String?
    public var category: String?
    /// A unit of her subtree: that unit and below.
    public var unitID: Int64?
    public var trackingNo: String?
    /// Free text: a tracking number, a phone number, a name or words of the summary. Phone, name and
    /// summary match only unsealed cases she may open, so a search cannot reveal what a seal hides
    /// (a sealed case is found by its tracking number).
    public var text: String?
    /// Only cases she handles or owns as leader.
    public var mine = false
    public var channel: String?
    /// true: only sealed cases; false: only unsealed ones.
    public var sealed: Bool?
    /// Received on or after / on or before these days.
    public var receivedFrom: LocalDate?
    public var receivedTo: LocalDate?
    /// Only cases with a running clock past its due day.
    public var overdue = false
    /// Only collective visits (a visit of 5 or more).
    public var collective = false
    /// Only these cases (a warning's, a report's): still only those in her scope, masked as any list.
    public var ids: [Int64]?
    public var beforeID: Int64?
    public var limit = 50
    /// Set by the store from `overdue`: the day clocks are judged on.
    var overdueOn: LocalDate?
    public init() {}
}

/// A user may not do this (her role or her place), though she may see the case. Answered 403.
public struct Forbidden: Error, Sendable {
    public let message: String
}

extension Store {
    /// Reads one case for `user` and records the read (exactly one audit row) in the same transaction.
    /// Nil if it does not exist or is outside her scope: the two look the same. A supervisor may break
    /// a seal with a written reason; that read is flagged for review.
    public func readCase(id: Int64, by user: StaffUser, view: String, breakGlassReason: String? = nil) throws -> CaseRecord? {
        let at = now()
        return try pool.withConnection { db in
            try db.transaction { tx -> CaseRecord? in
                guard let row = try tx.query("""
                    WITH \(viewer: user)
                    SELECT \(unescaped: Self.itemColumns), c.summary AS whole_summary,  -- the one read that may open a seal
                           p.id AS p_id, p.name AS p_name, p.phone AS p_phone,
                           p.id_number AS p_id_number, p.address AS p_address, p.is_minor AS p_is_minor,
                           c.victim_relation, c.victim_birth_date, c.victim_age, c.victim_is_minor
                    \(unescaped: Self.itemSource)
                    WHERE c.id = \(id) AND \(unescaped: Scope.inScope)
                    """).first else { return nil }
                var item = try Self.listItem(row, caseRead: true)
                var brokeSeal = false
                if let breakGlassReason {
                    guard user.role == .supervisor else {
                        throw Forbidden(message: "only a supervisor may break a seal")
                    }
                    guard item.masked else { throw InvalidTransition(message: "this case is open to you; no seal to break") }
                    brokeSeal = true
                    item = try Self.listItem(row, caseRead: true, brokenSeal: true)
                }
                try tx.execute("""
                    INSERT INTO case_reads (case_id, user_id, at, view, masked, break_glass_reason, flagged)
                    VALUES (\(id), \(user.id), \(at), \(view), \(item.masked), \(breakGlassReason), \(brokeSeal))
                    """)
                if brokeSeal {
                    // Flagged for review by the supervisors one level above the one who broke it.
                    try tx.execute("""
                        INSERT INTO notifications (unit_id, audience, case_id, kind, detail, created_at)
                        SELECT coalesce(u.parent_id, u.id), 'supervisors', \(id), 'seal_broken',
                               jsonb_build_object('user_id', \(user.id)), \(at)
                        FROM units u WHERE u.id = \(user.unitID)
                        """)
                }
                let opened = !item.masked
                return CaseRecord(
                    item: item, petitioner: opened ? try Self.petitioner(row, prefix: "p_") : nil,
                    victim: opened ? try Self.victim(row) : nil,
                    contacts: try contacts(tx, caseID: id, opened: opened), events: try events(tx, caseID: id, opened: opened),
                    clocks: try clocks(tx, caseID: id), tasks: try tasks(tx, caseID: id, opened: opened),
                    referrals: opened ? try referrals(tx, caseID: id) : [],
                    documents: opened ? try documents(tx, caseID: id) : [], brokeSeal: brokeSeal)
            }
        }
    }

    /// Cases in her scope matching `filter`, newest first.
    public func cases(_ filter: CaseFilter, for user: StaffUser) throws -> [CaseListItem] {
        let limit = max(1, min(filter.limit, 10_000))
        let filter = withToday(filter)
        return try pool.withConnection { db in
            let query = try isNarrow(db, filter, user)
                ? Self.narrowListQuery(filter, user, limit: limit)
                : Self.listQuery(filter, user, select: Self.itemColumns, tail: "ORDER BY c.id DESC LIMIT \(limit)")
            return try db.query(query).rows.map { try Self.listItem($0) }
        }
    }

    /// How many cases in her scope match `filter`.
    public func countCases(_ filter: CaseFilter, for user: StaffUser) throws -> Int {
        let filter = withToday(filter)
        return try pool.withConnection { db in
            // Without free text nothing depends on the seal: count through the units of her scope and
            // the covering index `cases (unit_id, status, category, …)`, never reading a case row.
            let query = filter.text == nil ? Self.scopeCountQuery(filter, user)
                : try isNarrow(db, filter, user) ? Self.narrowCountQuery(filter, user)
                : Self.listQuery(filter, user, select: "count(*) AS n", tail: "")
            return try db.query(query).first!.decode("n", as: Int.self)
        }
    }

    /// The day "overdue" is judged on: today in the configured zone.
    private func withToday(_ filter: CaseFilter) -> CaseFilter {
        var filter = filter
        if filter.overdue { filter.overdueOn = today }
        return filter
    }

    /// A scope of at most `narrowScopeUnits` units is read unit by unit through `cases (unit_id, id DESC)`;
    /// a larger one by walking all cases newest first, where most of them are hers anyway. (Measured
    /// with a million cases: a 100-case unit listed in 57–156 ms the wide way.)
    private func isNarrow(_ db: PostgresConnection, _ filter: CaseFilter, _ user: StaffUser) throws -> Bool {
        try db.query("""
            SELECT count(*) AS n FROM units WHERE path @> ARRAY[\(filter.unitID ?? user.unitID)::bigint]
            """).first!.decode("n", as: Int.self) <= narrowScopeUnits.load(ordering: .relaxed)
    }

    /// Caller lookup while the phone rings: the people on record with this number who have a case in
    /// her scope, each with those cases, newest first. One round trip.
    public func callers(phone: PhoneNumber, for user: StaffUser, limit: Int = 20, casesPerCaller: Int = 50) throws -> [CallerMatch] {
        let rows = try pool.withConnection { db in
            try db.query("""
                WITH \(viewer: user)
                SELECT caller.id AS p_id, caller.name AS p_name, caller.phone AS p_phone, caller.id_number AS p_id_number,
                       caller.address AS p_address, caller.is_minor AS p_is_minor, k.*
                FROM (SELECT * FROM petitioners WHERE phone = \(phone.digits) ORDER BY id DESC LIMIT \(limit)) caller
                JOIN LATERAL (
                    SELECT \(unescaped: Self.itemColumns)
                    FROM cases c JOIN units cu ON cu.id = c.unit_id CROSS JOIN v
                    LEFT JOIN petitioners p ON p.id = c.petitioner_id
                    CROSS JOIN LATERAL (SELECT \(unescaped: Scope.opened) AS opened) o
                    WHERE c.petitioner_id = caller.id AND \(unescaped: Scope.inScope)
                    ORDER BY c.created_at DESC, c.id DESC LIMIT \(casesPerCaller)
                ) k ON true
                ORDER BY caller.id DESC, k.created_at DESC, k.id DESC
                """).rows
        }
        // Records of one person made before intake recognised returning callers (same number, same
        // name) show as one caller: the newest record, with the cases of all of them.
        var matches: [CallerMatch] = []
        for row in rows {
            guard let person = try Self.petitioner(row, prefix: "p_") else { continue }
            let item = try Self.listItem(row)
            if let index = matches.firstIndex(where: { $0.petitioner.id == person.id || ($0.petitioner.name != nil && $0.petitioner.name == person.name) }) {
                matches[index] = CallerMatch(petitioner: matches[index].petitioner, cases: matches[index].cases + [item])
            } else {
                matches.append(CallerMatch(petitioner: person, cases: [item]))
            }
        }
        return matches.map { CallerMatch(petitioner: $0.petitioner, cases: $0.cases.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }) }
    }

    // MARK: - SQL pieces

    /// The columns of a list row. A list or export never unmasks a sealed case, whoever asks: its
    /// summary, name and phone are not even selected (only `readCase`, audited, opens one).
    static let itemColumns = """
        c.id, c.tracking_no, c.category, c.status, c.unit_id, cu.name AS unit_name, c.channel, c.received_on,
        c.contact_count, c.created_at, c.updated_at, c.sealed, c.handler_id, c.leader_id, c.risk_grade, o.opened,
        c.visitors, (SELECT min(k.due_on) FROM clocks k WHERE k.case_id = c.id AND k.state = 'running') AS next_due_on,
        CASE WHEN o.opened AND NOT c.sealed THEN c.summary END AS summary,
        CASE WHEN o.opened AND NOT c.sealed THEN p.name END AS petitioner_name,
        CASE WHEN o.opened AND NOT c.sealed THEN p.phone END AS petitioner_phone
        """
    static let itemSource = """
        FROM cases c JOIN units cu ON cu.id = c.unit_id CROSS JOIN v
        LEFT JOIN petitioners p ON p.id = c.petitioner_id
        CROSS JOIN LATERAL (SELECT \(Scope.opened) AS opened) o
        """

    /// The filters other than scope, over `c`, `cu`, `p`, `o` and `v`: written once, used by every form of the list.
    static func filterCondition(_ filter: CaseFilter) -> PostgresQuery {
        let text = filter.text?.trimmingCharacters(in: .whitespaces)
        let phone = text.flatMap(PhoneNumber.init)?.digits
        let pattern = text.map { "%" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%" }
        var condition = caseCondition(filter)
        if let unitID = filter.unitID { condition = "\(fragment: condition) AND cu.path @> ARRAY[\(unitID)::bigint]" }
        if let beforeID = filter.beforeID { condition = "\(fragment: condition) AND c.id < \(beforeID)" }
        if let text {
            // Phone, name and words only in unsealed cases she may open: a search never reveals what a
            // seal hides (a sealed case is found by its tracking number alone).
            condition = """
                \(fragment: condition) AND (c.tracking_no = upper(\(text))
                     OR (o.opened AND NOT c.sealed AND (p.phone = \(phone) OR p.name = \(text) OR c.summary LIKE \(pattern))))
                """
        }
        return condition
    }

    /// The filters on the case row alone (and `v`): those a count can answer from the index. Only the
    /// filters given are written, so the planner has no dead branches to weigh on every request.
    static func caseCondition(_ filter: CaseFilter, counting: Bool = false) -> PostgresQuery {
        var parts: [PostgresQuery] = []
        if let status = filter.status { parts.append("c.status = \(status)") }
        if let category = filter.category { parts.append("c.category = \(category)") }
        if let channel = filter.channel { parts.append("c.channel = \(channel)") }
        if let sealed = filter.sealed { parts.append("c.sealed = \(sealed)") }
        if let from = filter.receivedFrom { parts.append("c.received_on >= \(from)") }
        if let to = filter.receivedTo { parts.append("c.received_on <= \(to)") }
        if let trackingNo = filter.trackingNo { parts.append("c.tracking_no = \(trackingNo)") }
        if filter.mine { parts.append("(c.handler_id = v.id OR c.leader_id = v.id)") }
        if filter.collective { parts.append("c.visitors >= \(ChannelDetails.collectiveVisitThreshold)") }
        if let ids = filter.ids { parts.append("c.id = ANY(\(ids))") }
        if let day = filter.overdueOn, counting {
            // A count reads every match: a semi-join with the running clocks past their day.
            parts.append("EXISTS (SELECT 1 FROM clocks k WHERE k.case_id = c.id AND k.state = 'running' AND k.due_on < \(day))")
        } else if let day = filter.overdueOn {
            // A list walks newest first and stops at a page: a per-row probe of `clocks (case_id, due_on)`.
            parts.append("(SELECT min(k.due_on) FROM clocks k WHERE k.case_id = c.id AND k.state = 'running') < \(day)")
        }
        return parts.reduce("true") { "\(fragment: $0) AND \(fragment: $1)" }
    }

    /// A count without free text: the units of her scope (below the unit filter), each read through
    /// its index range.
    static func scopeCountQuery(_ filter: CaseFilter, _ user: StaffUser) -> PostgresQuery {
        """
        WITH \(viewer: user), \(fragment: scopeUnits(filter))
        SELECT count(*) AS n FROM cases c CROSS JOIN v
        WHERE c.unit_id = ANY (ARRAY(SELECT id FROM scope)) AND \(fragment: caseCondition(filter, counting: true))
        """
    }

    /// The wide form: every case newest first, kept if in scope and matching.
    static func listQuery(_ filter: CaseFilter, _ user: StaffUser, select: String, tail: String) -> PostgresQuery {
        """
        WITH \(viewer: user)
        SELECT \(unescaped: select) \(unescaped: itemSource)
        WHERE \(unescaped: Scope.inScope) AND \(fragment: filterCondition(filter))
        \(unescaped: tail)
        """
    }

    /// The units a narrow query reads: hers and below, and below the unit filter if any.
    static func scopeUnits(_ filter: CaseFilter) -> PostgresQuery {
        """
        scope AS (SELECT u.id FROM units u, v
                  WHERE u.path @> ARRAY[v.unit_id] AND u.path @> ARRAY[coalesce(\(filter.unitID)::bigint, v.unit_id)])
        """
    }

    /// The narrow form: the newest matching cases of each unit in scope, then the newest of those.
    static func narrowListQuery(_ filter: CaseFilter, _ user: StaffUser, limit: Int) -> PostgresQuery {
        """
        WITH \(viewer: user), \(fragment: scopeUnits(filter))
        SELECT \(unescaped: itemColumns)
        FROM scope s CROSS JOIN LATERAL (
            SELECT c.id \(unescaped: itemSource)
            WHERE c.unit_id = s.id AND \(fragment: filterCondition(filter))
            ORDER BY c.id DESC LIMIT \(limit)
        ) pick
        JOIN cases c ON c.id = pick.id JOIN units cu ON cu.id = c.unit_id CROSS JOIN v
        LEFT JOIN petitioners p ON p.id = c.petitioner_id
        CROSS JOIN LATERAL (SELECT \(unescaped: Scope.opened) AS opened) o
        ORDER BY c.id DESC LIMIT \(limit)
        """
    }

    static func narrowCountQuery(_ filter: CaseFilter, _ user: StaffUser) -> PostgresQuery {
        """
        WITH \(viewer: user), \(fragment: scopeUnits(filter))
        SELECT count(*) AS n FROM scope s CROSS JOIN LATERAL (
            SELECT 1 AS one \(unescaped: itemSource)
            WHERE c.unit_id = s.id AND \(fragment: filterCondition(filter))
        ) hit
        """
    }

    /// A row. In a list a sealed case is masked for everyone; `caseRead` reads the whole columns that
    /// only `readCase` selects, open if she may open the case or `brokenSeal`.
    static func listItem(_ row: PostgresRow, caseRead: Bool = false, brokenSeal: Bool = false) throws -> CaseListItem {
        let sealed: Bool = try row.decode("sealed")
        let mayOpen: Bool = try row.decode("opened")
        let opened = caseRead ? brokenSeal || mayOpen : mayOpen && !sealed
        func column(_ whole: String, _ listed: String) throws -> String? {
            guard caseRead else { return try row.decode(listed, as: String?.self) }
            return opened ? try row.decode(whole, as: String?.self) : nil
        }
        return CaseListItem(
            id: try row.decode("id"), trackingNo: try row.decode("tracking_no"), category: try row.decode("category"),
            status: try row.decode("status"), unitID: try row.decode("unit_id"), unitName: try row.decode("unit_name"),
            channel: try row.decode("channel"), receivedOn: try row.decode("received_on"),
            contactCount: try row.decode("contact_count"), createdAt: try row.decode("created_at"),
            updatedAt: try row.decode("updated_at"), sealed: sealed, masked: !opened,
            summary: try column("whole_summary", "summary"), petitionerName: try column("p_name", "petitioner_name"),
            petitionerPhone: try column("p_phone", "petitioner_phone"),
            handlerID: try row.decode("handler_id", as: Int64?.self), leaderID: try row.decode("leader_id", as: Int64?.self),
            riskGrade: try row.decode("risk_grade", as: String?.self), visitors: try row.decode("visitors", as: Int?.self),
            nextDueOn: try row.decode("next_due_on", as: LocalDate?.self))
    }

    func contacts(_ db: PostgresConnection, caseID: Int64, opened: Bool) throws -> [ContactRecord] {
        try db.query("""
            SELECT id, channel, summary, received_on, recorded_at, recorded_by, petitioner_id,
                   \(unescaped: ContactColumns.all.names)
            FROM contacts WHERE case_id = \(caseID) ORDER BY id
            """).rows.map { row in
            let (channel, receivedOn) = (try row.decode("channel", as: String.self), try row.decode("received_on", as: LocalDate.self))
            return ContactRecord(id: try row.decode("id"), channel: channel,
                                 summary: opened ? try row.decode("summary") : nil,
                                 receivedOn: receivedOn, recordedAt: try row.decode("recorded_at"),
                                 recordedBy: try row.decode("recorded_by", as: Int64?.self),
                                 petitionerID: opened ? try row.decode("petitioner_id", as: Int64?.self) : nil,
                                 details: try ContactColumns.details(row, channel: channel, receivedOn: receivedOn, opened: opened))
        }
    }

    func events(_ db: PostgresConnection, caseID: Int64, opened: Bool) throws -> [EventRecord] {
        try db.query("""
            SELECT id, at, actor, actor_user_id, kind, from_status, to_status, reason, detail::text AS detail
            FROM case_events WHERE case_id = \(caseID) ORDER BY id
            """).rows.map { row in
            EventRecord(id: try row.decode("id"), at: try row.decode("at"), actor: try row.decode("actor"),
                        actorUserID: try row.decode("actor_user_id", as: Int64?.self), kind: try row.decode("kind"),
                        fromStatus: try row.decode("from_status", as: String?.self),
                        toStatus: try row.decode("to_status", as: String?.self),
                        reason: opened ? try row.decode("reason", as: String?.self) : nil,
                        detailJSON: opened ? try row.decode("detail") : "{}")
        }
    }

    func clocks(_ db: PostgresConnection, caseID: Int64) throws -> [ClockRecord] {
        try db.query("""
            SELECT id, kind, rule_limit, started_on, due_on, state, stopped_at FROM clocks WHERE case_id = \(caseID) ORDER BY id
            """).rows.map { row in
            ClockRecord(id: try row.decode("id"), kind: try row.decode("kind"), ruleLimit: try row.decode("rule_limit"),
                        startedOn: try row.decode("started_on"), dueOn: try row.decode("due_on"), state: try row.decode("state"),
                        stoppedAt: try row.decode("stopped_at", as: Date?.self))
        }
    }

    static func victim(_ row: PostgresRow) throws -> Victim? {
        guard let relation = try row.decode("victim_relation", as: String?.self).flatMap(VictimRelation.init(rawValue:)) else { return nil }
        return Victim(relation: relation, birthDate: try row.decode("victim_birth_date", as: LocalDate?.self),
                      age: try row.decode("victim_age", as: Int?.self), isMinor: try row.decode("victim_is_minor", as: Bool.self))
    }

    static func petitioner(_ row: PostgresRow, prefix: String) throws -> PetitionerRecord? {
        guard let id = try row.decode(prefix + "id", as: Int64?.self) else { return nil }
        return PetitionerRecord(id: id, name: try row.decode(prefix + "name", as: String?.self),
                                phone: try row.decode(prefix + "phone", as: String?.self),
                                idNumber: try row.decode(prefix + "id_number", as: String?.self),
                                address: try row.decode(prefix + "address", as: String?.self),
                                isMinor: try row.decode(prefix + "is_minor", as: Bool.self))
    }
}
