import Foundation
import HuiyinCore
import HuiyinStore
import Postgres
import TestSupport
import XCTest

/// Every workflow step from every status, over HTTP against PostgreSQL: the allowed ones move the case
/// to the status the rules say and record their event; every other one is refused with 409
/// `invalid_transition` and changes nothing. The expectation is written out here, independently of
/// the table in HuiyinCore, so a change to either shows up.
final class WorkflowTableTests: XCTestCase {
    /// status → action → status after. Anything missing is refused.
    static let allowed: [String: [String: String]] = [
        "registered": ["accept": "accepted", "decline": "declined", "transfer": "transferred", "refer": "registered"],
        "accepted": ["transfer": "transferred", "reply": "replied", "refer": "accepted", "follow_up": "accepted"],
        "declined": [:],
        "transferred": ["accept_transfer": "registered", "object_transfer": "registered", "refer": "transferred"],
        "replied": ["close": "closed", "refer": "replied", "follow_up": "replied", "request_review": "reviewing"],
        "closed": ["reopen": "reopened", "follow_up": "closed", "request_review": "reviewing", "request_rereview": "rereviewing"],
        "reopened": ["accept": "accepted", "decline": "declined", "transfer": "transferred", "refer": "reopened"],
        "reviewing": ["decide_review": "closed", "follow_up": "reviewing"],
        "rereviewing": ["decide_rereview": "closed", "follow_up": "rereviewing"],
    ]

    /// Each action's endpoint and a valid body.
    static func request(_ action: CaseAction, countyID: Int64) -> (String, [String: Any]) {
        switch action {
        case .accept: return ("accept", [:])
        case .decline: return ("decline", ["reason": "不属于妇联受理范围"])
        case .transfer: return ("transfer", ["unit_id": countyID, "reason": "属地办理"])
        case .acceptTransfer: return ("transfer/accept", [:])
        case .objectTransfer: return ("transfer/object", ["reason": "当事人住所不在本县"])
        case .refer: return ("referrals", ["kind": "lawyer", "referred_to": "市法律援助中心"])
        case .reply: return ("reply", ["text": "经核查，已协调处理。"])
        case .close: return ("close", [:])
        case .followUp: return ("follow-ups", ["method": "call", "satisfaction": "satisfied"])
        case .reopen: return ("follow-ups", ["method": "visit", "satisfaction": "unsatisfied", "reopen": true])
        case .requestReview: return ("review/request", ["reason": "对答复不服"])
        case .decideReview: return ("review/decision", ["decision": "upheld", "text": "维持原答复"])
        case .requestRereview: return ("rereview/request", ["reason": "对复查意见不服"])
        case .decideRereview: return ("rereview/decision", ["decision": "changed", "text": "撤销原意见，重新办理"])
        }
    }

    func testEveryAllowedAndEveryRefusedTransition() throws {
        let t = try TestApp()
        let city = try t.unitID("t-c"), county = try t.unitID("t-c-a")
        let op = try t.newOperator(role: .operator_, unit: "t-c").1
        let province = try t.newOperator(role: .supervisor, unit: "t").1     // above everything: may decide reviews
        let receiving = try t.newOperator(role: .supervisor, unit: "t-c-a").1  // the unit a transfer lands in
        let sending = try t.newOperator(role: .supervisor, unit: "t-c").1       // the case's own unit otherwise
        let owner = try TestDatabase.connect()
        XCTAssertEqual(Set(Self.allowed.keys), Set(CaseStatus.allCases.map(\.rawValue)), "every status is covered")
        var checked = 0
        for status in CaseStatus.allCases {
            for action in CaseAction.allCases {
                var body = Sample.call(phone: Sample.randomPhone())
                body["unit_id"] = city
                let id = Int64(try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: op, body).decode(Receipt.self).caseId)
                // Put the case in `status`, with what that status implies (a transfer's origin, open request periods).
                let transferred = status == .transferred
                try owner.execute("""
                    UPDATE cases SET status = \(status.rawValue), unit_id = \(transferred ? county : city),
                           transfer_from_unit_id = \(transferred ? city : nil), transfer_prior_status = \(transferred ? "registered" : nil)
                    WHERE id = \(id)
                    """)
                for kind in ["review_request", "rereview_request"] {
                    try owner.execute("""
                        INSERT INTO clocks (case_id, kind, rule_limit, started_on, due_on, due_at, state, unit_id, channel, created_at)
                        VALUES (\(id), \(kind), '30d', '2026-01-01', '2099-12-31', '2099-12-31T16:00:00Z', 'running', \(city), 'call', now())
                        """)
                }
                let events = try t.count("SELECT count(*) AS n FROM case_events WHERE case_id = \(id)")
                let (path, payload) = Self.request(action, countyID: county)
                // Accepting or objecting to a transfer is for the unit that holds the case.
                let actor = [.acceptTransfer, .objectTransfer].contains(action) ? (transferred ? receiving : sending) : province
                let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/cases/\(id)/\(path)", token: actor, payload)
                let now = try owner.query("SELECT status FROM cases WHERE id = \(id)").first!.decode("status", as: String.self)
                let label = "\(status.rawValue) --\(action.rawValue)-->"
                if let expected = Self.allowed[status.rawValue]?[action.rawValue] {
                    XCTAssertTrue((200...299).contains(r.status), "\(label) \(r.status) \(r.text)")
                    XCTAssertEqual(now, expected, label)
                    XCTAssertGreaterThan(try t.count("SELECT count(*) AS n FROM case_events WHERE case_id = \(id)"), events, label)
                    XCTAssertEqual(try t.count("""
                        SELECT count(*) AS n FROM case_events WHERE case_id = \(id) AND kind = '\(action.event.rawValue)' AND actor_user_id IS NOT NULL
                        """), 1, "\(label) records its event with who")
                } else {
                    XCTAssertEqual(r.status, 409, "\(label) \(r.text)")
                    XCTAssertEqual(r.errorCode, "invalid_transition", label)
                    XCTAssertEqual(now, status.rawValue, "\(label) changes nothing")
                    XCTAssertEqual(try t.count("SELECT count(*) AS n FROM case_events WHERE case_id = \(id)"), events, "\(label) writes no event")
                }
                checked += 1
            }
        }
        XCTAssertEqual(checked, CaseStatus.allCases.count * CaseAction.allCases.count)
    }
}
