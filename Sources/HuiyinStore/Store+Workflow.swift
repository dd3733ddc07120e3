import Foundation
import HuiyinCore
import Postgres

/// A change the case's state does not allow (answered 409).
public struct InvalidTransition: Error, Sendable {
    /// Machine-readable: `invalid_transition` unless a more precise code helps the client.
    public let code: String
    public let message: String
    public init(code: String = "invalid_transition", message: String) {
        self.code = code
        self.message = message
    }
}

extension Store {
    /// One extension of a running clock, at most the rule's maximum, with the approver and the
    /// reason told to the petitioner.
    public func extend(caseID: Int64, clock kind: ClockKind, by limit: DeadlineLimit, approver: String, reason: String,
                       user: StaffUser) throws {
        guard [.handler, .supervisor, .leader].contains(user.role) else {
            throw Forbidden(message: "an extension is recorded by a handler, supervisor or leader")
        }
        guard let maximum = rules[kind].maximumExtension else {
            throw InvalidTransition(message: "the \(kind.rawValue) clock cannot be extended")
        }
        guard Self.fits(limit, within: maximum) else {
            throw UnknownReference(field: "limit", message: "at most \(maximum) for the \(kind.rawValue) clock")
        }
        let at = now()
        let calendar = try currentCalendar()
        try pool.withConnection { db in
            try db.transaction { tx in
                guard try lockCase(tx, caseID, for: user).opened else {
                    throw Forbidden(message: "the case is sealed; only its circle may act on it")
                }
                guard let clock = try tx.query("""
                    SELECT k.id, k.due_on, k.extended_from, k.unit_id, k.channel FROM clocks k JOIN cases c ON c.id = k.case_id
                    WHERE k.case_id = \(caseID) AND k.kind = \(kind.rawValue) AND k.state = 'running' FOR UPDATE OF k
                    """).first else { throw InvalidTransition(message: "no running \(kind.rawValue) clock on this case") }
                guard try clock.decode("extended_from", as: Int64?.self) == nil else {
                    throw InvalidTransition(message: "the \(kind.rawValue) clock has been extended once already")
                }
                let oldID: Int64 = try clock.decode("id")
                let due = DeadlineCounter(calendar: calendar).due(from: try clock.decode("due_on"), limit: limit).day
                try tx.execute("UPDATE clocks SET state = 'cancelled', stopped_at = \(at) WHERE id = \(oldID)")
                try tx.execute("""
                    INSERT INTO clocks (case_id, kind, rule_limit, started_on, due_on, due_at, state, unit_id, channel,
                                        extended_from, created_at)
                    SELECT case_id, kind, \(limit.description), due_on, \(due), \(DeadlineCounter.endOfDay(due, in: timeZone)),
                           'running', unit_id, channel, id, \(at)
                    FROM clocks WHERE id = \(oldID)
                    """)
                try tx.execute("""
                    INSERT INTO case_events (case_id, at, actor, actor_user_id, kind, reason, detail)
                    VALUES (\(caseID), \(at), 'staff', \(user.id), \(CaseEventKind.extended), \(reason),
                            jsonb_build_object('clock', \(kind.rawValue)::text, 'by', \(limit.description)::text,
                                               'due_on', \(due.description)::text, 'approver', \(approver)::text,
                                               'petitioner_told', true))
                    """)
            }
        }
    }

    /// 领导包案: a leader of the case's unit or a unit above becomes its accountable owner and the
    /// leadership clock starts.
    public func assignLeader(caseID: Int64, leaderID: Int64, reason: String, by user: StaffUser) throws {
        guard [.supervisor, .leader].contains(user.role) else {
            throw Forbidden(message: "leadership ownership is assigned by a supervisor or a leader")
        }
        let at = now()
        let ownership = try clockRow(.leaderOwnership, from: LocalDate(at, in: timeZone))
        try pool.withConnection { db in
            try db.transaction { tx in
                _ = try lockCase(tx, caseID, for: user)
                guard let row = try tx.query("""
                    SELECT c.unit_id, c.channel, c.status, c.leader_id,
                           EXISTS (SELECT 1 FROM users l WHERE l.id = \(leaderID) AND l.role = \(StaffRole.leader)
                                   AND l.disabled_at IS NULL AND l.unit_id = ANY(cu.path)) AS eligible
                    FROM cases c JOIN units cu ON cu.id = c.unit_id WHERE c.id = \(caseID) FOR UPDATE OF c
                    """).first else { throw UnknownReference(field: "case_id", message: "no such case") }
                guard try row.decode("eligible", as: Bool.self) else {
                    throw UnknownReference(field: "leader_id", message: "not a leader of the case's unit or a unit above it")
                }
                guard try row.decode("status", as: String.self) != CaseStatus.closed.rawValue else {
                    throw InvalidTransition(message: "a closed case is assigned when it is reopened")
                }
                let previous = try row.decode("leader_id", as: Int64?.self)
                try tx.execute("UPDATE cases SET leader_id = \(leaderID), updated_at = \(at) WHERE id = \(caseID)")
                try tx.execute("""
                    INSERT INTO case_events (case_id, at, actor, actor_user_id, kind, reason, detail)
                    VALUES (\(caseID), \(at), 'staff', \(user.id), \(CaseEventKind.leaderAssigned), \(reason),
                            jsonb_build_object('leader_id', \(leaderID), 'previous_leader_id', \(previous)))
                    """)
                try stopClocks(tx, caseID: caseID, kinds: [.leaderOwnership], at: at, state: "cancelled")
                try startClock(tx, caseID: caseID, ownership, unitID: try row.decode("unit_id"),
                               channel: try row.decode("channel"), at: at)
            }
        }
    }

    /// A progress report, by the owning leader only.
    public func reportProgress(caseID: Int64, note: String, by user: StaffUser) throws {
        let inserted = try pool.withConnection { db in
            try db.execute("""
                INSERT INTO case_events (case_id, at, actor, actor_user_id, kind, reason)
                SELECT id, \(now()), 'staff', \(user.id), \(CaseEventKind.leaderProgress), \(note) FROM cases
                WHERE id = \(caseID) AND leader_id = \(user.id)
                """)
        }
        guard inserted == 1 else { throw InvalidTransition(message: "only the leader who owns the case reports its progress") }
    }

    /// A leader's responsibility list (责任清单): her cases with their open clocks, as far as `viewer` may see them.
    public func leaderCases(leaderID: Int64, for viewer: StaffUser) throws -> [(CaseListItem, [ClockRecord])] {
        try pool.withConnection { db in
            let items = try db.query("""
                WITH \(viewer: viewer)
                SELECT \(unescaped: Self.itemColumns) \(unescaped: Self.itemSource)
                WHERE c.leader_id = \(leaderID) AND \(unescaped: Scope.inScope)
                ORDER BY c.id
                """).rows.map { try Self.listItem($0) }
            var clocks: [Int64: [ClockRecord]] = [:]
            for row in try db.query("""
                SELECT case_id, id, kind, rule_limit, started_on, due_on, state, stopped_at FROM clocks
                WHERE case_id = ANY(\(items.map(\.id))) AND state IN ('running', 'paused') ORDER BY due_on
                """).rows {
                clocks[try row.decode("case_id"), default: []].append(
                    ClockRecord(id: try row.decode("id"), kind: try row.decode("kind"), ruleLimit: try row.decode("rule_limit"),
                                startedOn: try row.decode("started_on"), dueOn: try row.decode("due_on"),
                                state: try row.decode("state"), stoppedAt: try row.decode("stopped_at", as: Date?.self)))
            }
            return items.map { ($0, clocks[$0.id] ?? []) }
        }
    }

    /// The latest progress report of each of these cases, for the responsibility list (only those she may open).
    public func latestProgress(caseIDs: [Int64]) throws -> [Int64: (note: String, at: Date)] {
        try pool.withConnection { db in
            var latest: [Int64: (note: String, at: Date)] = [:]
            for row in try db.query("""
                SELECT DISTINCT ON (case_id) case_id, reason, at FROM case_events
                WHERE case_id = ANY(\(caseIDs)) AND kind = \(CaseEventKind.leaderProgress) ORDER BY case_id, id DESC
                """).rows {
                latest[try row.decode("case_id")] = (try row.decode("reason", as: String?.self) ?? "", try row.decode("at"))
            }
            return latest
        }
    }

    // MARK: - Pieces

    struct ClockStart {
        let kind: ClockKind
        let limit: DeadlineLimit
        let startedOn: LocalDate
        let due: LocalDate
        let dueAt: Date
    }

    func clockRow(_ kind: ClockKind, from day: LocalDate) throws -> ClockStart {
        let limit = rules[kind].limit
        let due = DeadlineCounter(calendar: try currentCalendar()).due(from: day, limit: limit).day
        return ClockStart(kind: kind, limit: limit, startedOn: day, due: due, dueAt: DeadlineCounter.endOfDay(due, in: timeZone))
    }

    func startClock(_ tx: PostgresConnection, caseID: Int64, _ clock: ClockStart, unitID: Int64, channel: String, at: Date) throws {
        try tx.execute("""
            INSERT INTO clocks (case_id, kind, rule_limit, started_on, due_on, due_at, state, unit_id, channel, created_at)
            VALUES (\(caseID), \(clock.kind.rawValue), \(clock.limit.description), \(clock.startedOn), \(clock.due),
                    \(clock.dueAt), 'running', \(unitID), \(channel), \(at))
            """)
    }

    /// Stops the case's open clocks of these kinds: met if on time, breached if late (or `state`).
    func stopClocks(_ tx: PostgresConnection, caseID: Int64, kinds: [ClockKind], at: Date, state: String? = nil) throws {
        try tx.execute("""
            UPDATE clocks SET stopped_at = \(at),
                   state = coalesce(\(state), CASE WHEN \(at) <= due_at THEN 'met' ELSE 'breached' END)
            WHERE case_id = \(caseID) AND state IN ('running', 'paused')
              AND kind = ANY(\(unescaped: "string_to_array(")\(kinds.map(\.rawValue).joined(separator: ",")), ','))
            """)
    }

    static func fits(_ limit: DeadlineLimit, within maximum: DeadlineLimit) -> Bool {
        switch (limit, maximum) {
        case (.days(let a), .days(let b)), (.workingDays(let a), .workingDays(let b)), (.months(let a), .months(let b)): return a <= b
        case (.workingDays(let a), .days(let b)): return a <= b * 5 / 7
        case (.days(let a), .months(let b)): return a <= b * 28
        default: return false
        }
    }
}
