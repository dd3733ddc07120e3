import Foundation
import HuiyinCore
import Postgres

extension Store {
    /// Stops a running clock from counting (a hearing, an expert opinion): it leaves the sweep.
    public func pause(caseID: Int64, clock kind: ClockKind, reason: String, by user: StaffUser) throws {
        let at = now()
        let today = LocalDate(at, in: timeZone)
        try clockChange(caseID, kind, from: "running", event: .clockPaused, reason: reason, user: user, at: at) { tx, clockID, _, _ in
            try tx.execute("UPDATE clocks SET state = 'paused', paused_on = \(today) WHERE id = \(clockID)")
            return [:]
        }
    }

    /// Restarts a paused clock; its due day moves by the paused time in the rule's own unit
    /// (working days for a working-day limit, calendar days otherwise).
    public func resume(caseID: Int64, clock kind: ClockKind, by user: StaffUser) throws {
        let at = now()
        let calendar = try currentCalendar()
        let today = LocalDate(at, in: timeZone)
        try clockChange(caseID, kind, from: "paused", event: .clockResumed, reason: nil, user: user, at: at) { tx, clockID, dueOn, pausedOn in
            let shift: DeadlineLimit?
            switch rules[kind].limit {
            case .workingDays:
                let paused = calendar.workingDays(after: pausedOn, through: today)
                shift = paused > 0 ? .workingDays(paused) : nil
            case .days, .months:
                shift = today > pausedOn ? .days(today.dayNumber - pausedOn.dayNumber) : nil
            }
            let due = shift.map { DeadlineCounter(calendar: calendar).due(from: dueOn, limit: $0).day } ?? dueOn
            try tx.execute("""
                UPDATE clocks SET state = 'running', paused_on = NULL, due_on = \(due),
                       due_at = \(DeadlineCounter.endOfDay(due, in: timeZone))
                WHERE id = \(clockID)
                """)
            return ["paused_on": pausedOn.description, "due_on": due.description]
        }
    }

    /// Locks the case's clock of `kind` in `state`, applies `change`, and records the event with its detail.
    private func clockChange(_ caseID: Int64, _ kind: ClockKind, from state: String, event: CaseEventKind, reason: String?,
                             user: StaffUser, at: Date,
                             _ change: (PostgresConnection, Int64, LocalDate, LocalDate) throws -> [String: String]) throws {
        try pool.withConnection { db in
            try db.transaction { tx in
                guard [.handler, .supervisor, .leader].contains(user.role) else {
                    throw Forbidden(message: "a clock is paused or resumed by a handler, supervisor or leader")
                }
                guard try lockCase(tx, caseID, for: user).opened else {
                    throw Forbidden(message: "the case is sealed; only its circle may act on it")
                }
                guard let clock = try tx.query("""
                    SELECT id, due_on, coalesce(paused_on, due_on) AS paused_on FROM clocks
                    WHERE case_id = \(caseID) AND kind = \(kind.rawValue) AND state = \(state) FOR UPDATE
                    """).first else { throw InvalidTransition(message: "no \(state) \(kind.rawValue) clock on this case") }
                var detail = try change(tx, try clock.decode("id"), try clock.decode("due_on"), try clock.decode("paused_on"))
                detail["clock"] = kind.rawValue
                let json = String(decoding: try JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys]), as: UTF8.self)
                try tx.execute("""
                    INSERT INTO case_events (case_id, at, actor, actor_user_id, kind, reason, detail)
                    VALUES (\(caseID), \(at), 'staff', \(user.id), \(event), \(reason), \(json)::jsonb)
                    """)
            }
        }
    }
}
