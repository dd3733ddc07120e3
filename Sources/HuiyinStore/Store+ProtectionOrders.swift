import Foundation
import HuiyinCore
import Postgres

/// One extension of an order, as recorded.
public struct ProtectionOrderExtensionRecord: Sendable {
    public let id: Int64
    public let ruledOn: LocalDate
    public let previousExpiresOn: LocalDate
    public let expiresOn: LocalDate
    public let note: String?
    public let recordedAt: Date
}

/// One reported violation, with the police-report task it made.
public struct ProtectionOrderViolationRecord: Sendable {
    public let id: Int64
    public let occurredOn: LocalDate
    public let what: String
    public let caseTaskID: Int64?
    public let leadID: Int64?
    public let leadTaskID: Int64?
    public let reportedBy: Int64
    public let reportedAt: Date
}

/// An order as she may see it. `masked`: it belongs to a sealed case or household not open to her, so
/// only where it sits and when it expires are given (what a masked case row shows: its unit and its day).
public struct ProtectionOrderRecord: Sendable {
    public let id: Int64
    public let caseID: Int64?
    public let householdID: Int64?
    public let unitID: Int64
    public let unitName: String
    public let masked: Bool
    public let expiresOn: LocalDate
    public let court: String?
    public let orderNo: String?
    public let protectedPerson: ProtectedPerson?
    public let householdMemberID: Int64?
    /// The protected person's name when one is on record (a petitioner or member); a victim has none.
    public let protectedName: String?
    public let issuedOn: LocalDate?
    public let effectiveFrom: LocalDate?
    public let measures: [ProtectionMeasure]
    public let otherMeasure: String?
    public let counsellingOrdered: Bool?
    public let recordedAt: Date?
    public let extensions: [ProtectionOrderExtensionRecord]
    public let violations: [ProtectionOrderViolationRecord]
}

/// What reporting a violation did.
public struct ProtectionOrderViolationReceipt: Sendable, Codable {
    public let id: Int64
    public let orderID: Int64
    public let caseID: Int64?
    public let caseTaskID: Int64?
    public let leadID: Int64?
    public let leadTaskID: Int64?
    /// A new lead was opened for it (a household order with no open lead).
    public let leadOpened: Bool
}

/// Who may see an order, as SQL: the case or household it belongs to decides (`c`/`cu`, `h`/`gu`, and `v`).
enum ProtectionOrderScope {
    static let source = """
        FROM protection_orders o
        LEFT JOIN cases c ON c.id = o.case_id LEFT JOIN units cu ON cu.id = c.unit_id
        LEFT JOIN households h ON h.id = o.household_id LEFT JOIN units gu ON gu.id = h.grid_id
        """
    static let inScope = "((c.id IS NOT NULL AND \(Scope.inScope)) OR (h.id IS NOT NULL AND \(HouseholdScope.inScope)))"
    /// Open only when every matter it belongs to is open to her: the order names the woman either protects.
    static let opened = "((c.id IS NULL OR \(Scope.opened)) AND (h.id IS NULL OR \(HouseholdScope.opened)))"
}

extension Store {
    /// Records an order on a case (`caseID`) or a household (`householdID`) she may open, and starts its
    /// expiry clock, once per idempotency key. Nil when the case or household is not hers to see (404).
    public func recordProtectionOrder(_ order: ProtectionOrder, caseID: Int64? = nil, householdID: Int64? = nil, by user: StaffUser,
                                      idempotency: IdempotencyKey? = nil) throws -> (id: Int64, replayed: Bool)? {
        precondition(caseID != nil || householdID != nil, "an order belongs to a case or a household")
        let at = now()
        let today = LocalDate(at, in: timeZone)
        do {
            let (id, replayed) = try pool.withConnection { db in
                try idempotent(db, idempotency) { tx -> Int64 in
                    var unitID: Int64
                    if let caseID {
                        let current = try lockCase(tx, caseID, for: user)
                        guard current.opened else { throw Forbidden(message: "the case is sealed; only its circle may record its order") }
                        unitID = current.unitID
                        if order.protectedPerson == .victim, try tx.query("""
                            SELECT 1 AS x FROM cases WHERE id = \(caseID) AND victim_relation IS NOT NULL AND victim_relation <> 'self'
                            """).isEmpty {
                            throw UnknownReference(field: "protected_person", message: "the case has no victim on record apart from the petitioner")
                        }
                    } else {
                        guard let row = try tx.query("""
                            WITH \(viewer: user)
                            SELECT h.grid_id, \(unescaped: HouseholdScope.opened) AS opened
                            FROM households h JOIN units gu ON gu.id = h.grid_id, v
                            WHERE h.id = \(householdID!) AND \(unescaped: HouseholdScope.inScope)
                            FOR UPDATE OF h
                            """).first else { throw CaseNotFound() }
                        guard try row.decode("opened", as: Bool.self) else {
                            throw Forbidden(message: "the household is sealed; only its grid's workers and the supervisors above may record its order")
                        }
                        unitID = try row.decode("grid_id")
                    }
                    if let member = order.householdMemberID, try tx.query("""
                        SELECT 1 AS x FROM household_members WHERE id = \(member) AND household_id = \(householdID)
                        """).isEmpty {
                        throw UnknownReference(field: "household_member_id", message: "not a member of this household")
                    }
                    if try !tx.query("SELECT 1 AS x FROM protection_orders WHERE court = \(order.court) AND order_no = \(order.orderNo)").isEmpty {
                        throw InvalidTransition(code: "order_no_taken", message: "this court's order number is on record already")
                    }
                    let id = try tx.query("""
                        INSERT INTO protection_orders (case_id, household_id, court, order_no, protected_person, household_member_id,
                                                       issued_on, effective_from, expires_on, measures, other_measure,
                                                       counselling_ordered, recorded_by, recorded_at)
                        VALUES (\(caseID), \(householdID), \(order.court), \(order.orderNo), \(order.protectedPerson.rawValue),
                                \(order.householdMemberID), \(order.issuedOn), \(order.effectiveFrom), \(order.expiresOn),
                                \(PostgresTextArray(order.measures.map(\.rawValue))), \(order.otherMeasure), \(order.counsellingOrdered),
                                \(user.id), \(at))
                        RETURNING id
                        """).first!.decode("id", as: Int64.self)
                    // An order already past its day is history: no clock to warn.
                    if order.expiresOn >= today {
                        try Self.openDue(tx, kind: .protectionOrderExpiry, unitID: unitID, householdID: householdID, caseID: caseID,
                                         protectionOrderID: id, dueOn: order.expiresOn, detail: ["protection_order_id": id], at: at)
                    }
                    if let caseID {
                        try tx.execute("UPDATE cases SET updated_at = \(at) WHERE id = \(caseID)")
                        try record(tx, caseID: caseID, event: .protectionOrderRecorded, reason: nil,
                                   detail: [("protection_order_id", String(id)), ("expires_on", order.expiresOn.description),
                                            ("counselling_ordered", String(order.counsellingOrdered))], by: user, at: at)
                    }
                    return id
                }
            }
            return (id, replayed)
        } catch is CaseNotFound {
            return nil
        }
    }

    /// Records an extension the court granted: the order takes the new expiry, its clock the new day (the
    /// old due is met; a fresh one is warned again ahead of the new day), once per idempotency key.
    /// False when not hers to see.
    public func extendProtectionOrder(id: Int64, _ ext: ProtectionOrderExtension, by user: StaffUser,
                                      idempotency: IdempotencyKey? = nil) throws -> (found: Bool, replayed: Bool) {
        let at = now()
        let (found, replayed) = try pool.withConnection { db in
            try idempotent(db, idempotency) { tx -> Bool in
                guard let row = try lockOrder(tx, id, for: user) else { return false }
                let previous: LocalDate = try row.decode("expires_on")
                guard ext.expiresOn > previous else {
                    throw ValidationFailure([FieldError("expires_on", "must be after the current expiry \(previous)")])
                }
                let issued: LocalDate = try row.decode("issued_on")
                if ext.ruledOn < issued { throw ValidationFailure([FieldError("ruled_on", "must not be before the order was issued (\(issued))")]) }
                try tx.execute("""
                    INSERT INTO protection_order_extensions (order_id, ruled_on, previous_expires_on, expires_on, note, recorded_by, recorded_at)
                    VALUES (\(id), \(ext.ruledOn), \(previous), \(ext.expiresOn), \(ext.note), \(user.id), \(at))
                    """)
                try tx.execute("UPDATE protection_orders SET expires_on = \(ext.expiresOn) WHERE id = \(id)")
                try Self.meetDues(tx, kind: .protectionOrderExpiry, protectionOrderID: id, at: at)
                let caseID: Int64? = try row.decode("case_id")
                try Self.openDue(tx, kind: .protectionOrderExpiry, unitID: try row.decode("unit_id"), householdID: try row.decode("household_id"),
                                 caseID: caseID, protectionOrderID: id, dueOn: ext.expiresOn, detail: ["protection_order_id": id], at: at)
                if let caseID {
                    try tx.execute("UPDATE cases SET updated_at = \(at) WHERE id = \(caseID)")
                    try record(tx, caseID: caseID, event: .protectionOrderExtended, reason: ext.note,
                               detail: [("protection_order_id", String(id)), ("previous_expires_on", previous.description),
                                        ("expires_on", ext.expiresOn.description)], by: user, at: at)
                }
                return true
            }
        }
        return (found, replayed)
    }

    /// A reported violation. On a case: the case goes to high risk (an event says so), its unit's handlers
    /// are told, and a police-report task is added for this violation. On a household only: the task goes
    /// on the household's open lead (raised to high risk), or on a new lead opened for it (sealed, as every
    /// domestic-violence lead, with the council's deliberation due); the grid's workers and the village's
    /// supervisors are told. Once per idempotency key; nil when the order is not hers to see.
    public func reportProtectionOrderViolation(orderID: Int64, _ violation: ProtectionOrderViolation, by user: StaffUser,
                                               idempotency: IdempotencyKey? = nil) throws -> (ProtectionOrderViolationReceipt, replayed: Bool)? {
        let at = now()
        let deliberationDue = try grassrootsDueDay(from: LocalDate(at, in: timeZone), limit: rules.grassroots.deliberationWithin)
        do {
            return try pool.withConnection { db in
                try idempotent(db, idempotency) { tx -> ProtectionOrderViolationReceipt in
                    guard let row = try lockOrder(tx, orderID, for: user) else { throw CaseNotFound() }
                    let violationID = try tx.query("SELECT nextval('protection_order_violations_id_seq') AS id").first!.decode("id", as: Int64.self)
                    let reason = ProtectionOrderViolation.taskReason(violationID)
                    let detail = "{\"protection_order_id\": \(orderID), \"violation_id\": \(violationID)}"
                    let caseID: Int64? = try row.decode("case_id")
                    let householdID: Int64? = try row.decode("household_id")
                    var caseTaskID: Int64?, leadID: Int64?, leadTaskID: Int64?, leadOpened = false
                    if let caseID {
                        let previous = try tx.query("SELECT risk_grade FROM cases WHERE id = \(caseID) FOR UPDATE").first?
                            .decode("risk_grade", as: String?.self)
                        try tx.execute("UPDATE cases SET risk_grade = 'high', updated_at = \(at) WHERE id = \(caseID)")
                        caseTaskID = try tx.query("""
                            INSERT INTO case_tasks (case_id, kind, reason, due_at, detail, created_at)
                            VALUES (\(caseID), 'police_report', \(reason), \(at), \(detail)::jsonb, \(at))
                            RETURNING id
                            """).first!.decode("id", as: Int64.self)
                        try record(tx, caseID: caseID, event: .protectionOrderViolated, reason: violation.what,
                                   detail: [("protection_order_id", String(orderID)), ("violation_id", String(violationID)),
                                            ("occurred_on", violation.occurredOn.description), ("previous_risk_grade", previous ?? ""),
                                            ("risk_grade", "high"), ("task_id", String(caseTaskID!))], by: user, at: at)
                        try tx.execute("""
                            INSERT INTO notifications (unit_id, audience, case_id, kind, detail, created_at)
                            SELECT unit_id, 'handlers', id, 'protection_order_violation',
                                   \(detail)::jsonb || jsonb_build_object('task_id', \(caseTaskID!)), \(at)
                            FROM cases WHERE id = \(caseID)
                            """)
                    } else if let householdID {
                        let place = try tx.query("""
                            SELECT h.grid_id, gu.parent_id AS village_id FROM households h JOIN units gu ON gu.id = h.grid_id
                            WHERE h.id = \(householdID)
                            """).first!
                        let (gridID, villageID): (Int64, Int64) = (try place.decode("grid_id"), try place.decode("village_id"))
                        leadID = try tx.query("""
                            SELECT id FROM leads WHERE household_id = \(householdID) AND status NOT IN ('settled', 'closed')
                            ORDER BY reported_at DESC, id DESC LIMIT 1 FOR UPDATE
                            """).first?.decode("id", as: Int64.self)
                        if let leadID {
                            try tx.execute("UPDATE leads SET risk_grade = 'high', updated_at = \(at) WHERE id = \(leadID)")
                        } else {
                            // The summary says what happened, no names: the lead is sealed like the household.
                            let opened = try tx.query("""
                                INSERT INTO leads (grid_id, village_id, kind, source, household_id, summary, urgency, risk_grade,
                                                   reported_by, reported_at, updated_at)
                                VALUES (\(gridID), \(villageID), 'domestic_violence', 'grid_report', \(householdID),
                                        \("违反人身安全保护令：" + violation.what), 'immediate', 'high', \(user.id), \(at), \(at))
                                RETURNING id
                                """).first!.decode("id", as: Int64.self)
                            try Self.openDue(tx, kind: .deliberation, unitID: villageID, householdID: householdID, leadID: opened,
                                             dueOn: deliberationDue, at: at)
                            leadID = opened
                            leadOpened = true
                        }
                        leadTaskID = try tx.query("""
                            INSERT INTO lead_tasks (lead_id, kind, reason, due_at, detail, created_at)
                            VALUES (\(leadID!), 'police_report', \(reason), \(at), \(detail)::jsonb, \(at))
                            RETURNING id
                            """).first!.decode("id", as: Int64.self)
                        try tx.execute("""
                            INSERT INTO notifications (unit_id, audience, household_id, lead_id, kind, detail, created_at)
                            VALUES (\(gridID), 'handlers', \(householdID), \(leadID!), 'protection_order_violation',
                                    \(detail)::jsonb || jsonb_build_object('task_id', \(leadTaskID!)), \(at)),
                                   (\(villageID), 'supervisors', \(householdID), \(leadID!), 'protection_order_violation',
                                    \(detail)::jsonb || jsonb_build_object('task_id', \(leadTaskID!)), \(at))
                            """)
                    }
                    try tx.execute("""
                        INSERT INTO protection_order_violations (id, order_id, occurred_on, what, case_task_id, lead_id, lead_task_id,
                                                                 reported_by, reported_at)
                        VALUES (\(violationID), \(orderID), \(violation.occurredOn), \(violation.what), \(caseTaskID), \(leadID),
                                \(leadTaskID), \(user.id), \(at))
                        """)
                    return ProtectionOrderViolationReceipt(id: violationID, orderID: orderID, caseID: caseID, caseTaskID: caseTaskID,
                                                           leadID: leadID, leadTaskID: leadTaskID, leadOpened: leadOpened)
                }
            }
        } catch is CaseNotFound {
            return nil
        }
    }

    /// Locks an order she may open: nil when not in her scope; Forbidden when its matter is sealed to her.
    private func lockOrder(_ tx: PostgresConnection, _ id: Int64, for user: StaffUser) throws -> PostgresRow? {
        guard let row = try tx.query("""
            WITH \(viewer: user)
            SELECT o.id, o.case_id, o.household_id, o.issued_on, o.expires_on, coalesce(c.unit_id, h.grid_id) AS unit_id,
                   \(unescaped: ProtectionOrderScope.opened) AS opened
            \(unescaped: ProtectionOrderScope.source) CROSS JOIN v
            WHERE o.id = \(id) AND \(unescaped: ProtectionOrderScope.inScope)
            FOR UPDATE OF o
            """).first else { return nil }
        guard try row.decode("opened", as: Bool.self) else { throw Forbidden(message: "the order's matter is sealed; only its circle may act on it") }
        return row
    }

    /// The orders of one case, newest first; nil when the case is not in her scope. `audited`: false only
    /// for a page that has just made the audited read of the case itself (one read, one row).
    public func protectionOrders(caseID: Int64, for user: StaffUser, audited: Bool = true) throws -> [ProtectionOrderRecord]? {
        guard try caseIsInScope(caseID, of: user) else { return nil }
        return try protectionOrders(where: "o.case_id = \(caseID)", audit: audited ? "protection_orders" : nil, for: user)
    }

    /// The orders of one household, newest first; nil when the household is not in her scope.
    public func protectionOrders(householdID: Int64, for user: StaffUser, audited: Bool = true) throws -> [ProtectionOrderRecord]? {
        let visible = try pool.withConnection { db in
            try !db.query("""
                WITH \(viewer: user)
                SELECT 1 AS ok FROM households h JOIN units gu ON gu.id = h.grid_id, v
                WHERE h.id = \(householdID) AND \(unescaped: HouseholdScope.inScope)
                """).isEmpty
        }
        guard visible else { return nil }
        return try protectionOrders(where: "o.household_id = \(householdID)", audit: audited ? "protection_orders" : nil, for: user)
    }

    /// The household's members by id, in register order, for naming whom an order protects (the caller
    /// has just made the audited read of the household).
    public func householdMemberIDs(householdID: Int64) throws -> [(id: Int64, name: String)] {
        try pool.withConnection { db in
            try db.query("SELECT id, name FROM household_members WHERE household_id = \(householdID) ORDER BY position").rows.map {
                (try $0.decode("id"), try $0.decode("name"))
            }
        }
    }

    /// One order, or nil when not in her scope.
    public func protectionOrder(id: Int64, for user: StaffUser) throws -> ProtectionOrderRecord? {
        try protectionOrders(where: "o.id = \(id)", audit: "protection_order", for: user).first
    }

    /// Orders in her scope whose expiry is from today through `days` ahead (already expired ones with a
    /// negative `expiredSince`), soonest first. Masked rows for a sealed matter she cannot open.
    public func expiringProtectionOrders(within days: Int, for user: StaffUser, limit: Int = 200) throws -> [ProtectionOrderRecord] {
        let today = self.today
        return try protectionOrders(where: "o.expires_on BETWEEN \(today) AND \(today.adding(days: days))",
                                    order: "o.expires_on, o.id", limit: limit, for: user)
    }

    /// `audit`: the view an audited read of the orders' case or household is recorded as (one row per
    /// case or household read, in the same transaction, as every read of a case is); nil for the
    /// expiring list, which like the case lists is not a read of one matter.
    private func protectionOrders(where condition: PostgresQuery, order: String = "o.id DESC", limit: Int = 200,
                                  audit view: String? = nil, for user: StaffUser) throws -> [ProtectionOrderRecord] {
        let at = now()
        return try pool.withConnection { db in try db.transaction { db in
            let rows = try db.query("""
                WITH \(viewer: user)
                SELECT o.id, o.case_id, o.household_id, coalesce(c.unit_id, h.grid_id) AS unit_id,
                       (SELECT name FROM units WHERE id = coalesce(c.unit_id, h.grid_id)) AS unit_name,
                       \(unescaped: ProtectionOrderScope.opened) AS opened,
                       o.court, o.order_no, o.protected_person, o.household_member_id, o.issued_on, o.effective_from, o.expires_on,
                       array_to_string(o.measures, ',') AS measures, o.other_measure, o.counselling_ordered, o.recorded_at,
                       CASE o.protected_person
                           WHEN 'petitioner' THEN (SELECT p.name FROM petitioners p WHERE p.id = c.petitioner_id)
                           WHEN 'household_member' THEN (SELECT m.name FROM household_members m WHERE m.id = o.household_member_id)
                       END AS protected_name
                \(unescaped: ProtectionOrderScope.source) CROSS JOIN v
                WHERE \(fragment: condition) AND \(unescaped: ProtectionOrderScope.inScope)
                ORDER BY \(unescaped: order) LIMIT \(limit)
                """).rows
            if let view {
                var cases: [Int64: Bool] = [:], households: [Int64: Bool] = [:]
                for row in rows {
                    let masked = !(try row.decode("opened", as: Bool.self))
                    if let id = try row.decode("case_id", as: Int64?.self) { cases[id] = (cases[id] ?? false) || masked }
                    if let id = try row.decode("household_id", as: Int64?.self) { households[id] = (households[id] ?? false) || masked }
                }
                for (id, masked) in cases {
                    try db.execute("INSERT INTO case_reads (case_id, user_id, at, view, masked) VALUES (\(id), \(user.id), \(at), \(view), \(masked))")
                }
                for (id, masked) in households {
                    try db.execute("""
                        INSERT INTO household_reads (household_id, user_id, at, view, masked) VALUES (\(id), \(user.id), \(at), \(view), \(masked))
                        """)
                }
            }
            let openIDs = try rows.filter { try $0.decode("opened", as: Bool.self) }.map { try $0.decode("id", as: Int64.self) }
            var extensions: [Int64: [ProtectionOrderExtensionRecord]] = [:]
            var violations: [Int64: [ProtectionOrderViolationRecord]] = [:]
            if !openIDs.isEmpty {
                let ids = PostgresTextArray(openIDs.map(String.init))
                for row in try db.query("""
                    SELECT id, order_id, ruled_on, previous_expires_on, expires_on, note, recorded_at FROM protection_order_extensions
                    WHERE order_id = ANY(\(ids)::bigint[]) ORDER BY id
                    """).rows {
                    extensions[try row.decode("order_id"), default: []].append(ProtectionOrderExtensionRecord(
                        id: try row.decode("id"), ruledOn: try row.decode("ruled_on"), previousExpiresOn: try row.decode("previous_expires_on"),
                        expiresOn: try row.decode("expires_on"), note: try row.decode("note"), recordedAt: try row.decode("recorded_at")))
                }
                for row in try db.query("""
                    SELECT id, order_id, occurred_on, what, case_task_id, lead_id, lead_task_id, reported_by, reported_at
                    FROM protection_order_violations WHERE order_id = ANY(\(ids)::bigint[]) ORDER BY id
                    """).rows {
                    violations[try row.decode("order_id"), default: []].append(ProtectionOrderViolationRecord(
                        id: try row.decode("id"), occurredOn: try row.decode("occurred_on"), what: try row.decode("what"),
                        caseTaskID: try row.decode("case_task_id"), leadID: try row.decode("lead_id"), leadTaskID: try row.decode("lead_task_id"),
                        reportedBy: try row.decode("reported_by"), reportedAt: try row.decode("reported_at")))
                }
            }
            return try rows.map { row in
                let id: Int64 = try row.decode("id")
                let opened: Bool = try row.decode("opened")
                let base = (id: id, caseID: try row.decode("case_id", as: Int64?.self), householdID: try row.decode("household_id", as: Int64?.self),
                            unitID: try row.decode("unit_id", as: Int64.self), unitName: try row.decode("unit_name", as: String.self),
                            expiresOn: try row.decode("expires_on", as: LocalDate.self))
                guard opened else {
                    return ProtectionOrderRecord(id: id, caseID: base.caseID, householdID: base.householdID, unitID: base.unitID,
                                                 unitName: base.unitName, masked: true, expiresOn: base.expiresOn, court: nil, orderNo: nil,
                                                 protectedPerson: nil, householdMemberID: nil, protectedName: nil, issuedOn: nil,
                                                 effectiveFrom: nil, measures: [], otherMeasure: nil, counsellingOrdered: nil,
                                                 recordedAt: nil, extensions: [], violations: [])
                }
                return ProtectionOrderRecord(
                    id: id, caseID: base.caseID, householdID: base.householdID, unitID: base.unitID, unitName: base.unitName, masked: false,
                    expiresOn: base.expiresOn, court: try row.decode("court"), orderNo: try row.decode("order_no"),
                    protectedPerson: ProtectedPerson(rawValue: try row.decode("protected_person")),
                    householdMemberID: try row.decode("household_member_id"), protectedName: try row.decode("protected_name"),
                    issuedOn: try row.decode("issued_on"), effectiveFrom: try row.decode("effective_from"),
                    measures: (try row.decode("measures", as: String.self)).split(separator: ",").compactMap { ProtectionMeasure(rawValue: String($0)) },
                    otherMeasure: try row.decode("other_measure"), counsellingOrdered: try row.decode("counselling_ordered"),
                    recordedAt: try row.decode("recorded_at"), extensions: extensions[id] ?? [], violations: violations[id] ?? [])
            }
        } }
    }
}
