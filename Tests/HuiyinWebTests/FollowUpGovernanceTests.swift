import Foundation
import HuiyinCore
@testable import HuiyinStore
import Postgres
import TestSupport
import XCTest

private struct DueRead: Decodable { let leadId: Int; let round: Int; let number: Int; let dueOn: String; let overdue: Bool }
private struct DueRows: Decodable { let dues: [DueRead] }
private struct FollowUpRead: Decodable { let dueOn: String; let madeOn: String; let method: String; let result: String }
private struct FollowUpRows: Decodable { let followUps: [FollowUpRead] }
private struct FlagRead: Decodable { let at: String; let reason: String }
private struct FlaggedHousehold: Decodable { let id: Int; let flagged: FlagRead? }
private struct FlaggedHouseholds: Decodable { let households: [FlaggedHousehold] }

/// Follow-up governance (跟踪治理) against the real database: a settled dispute is followed at 1, 3 and
/// 6 months on the working calendar, owed by the village and watched by the sweep; a follow-up meets
/// the earliest; a recurrence reopens the lead, raises its risk and ends the round; three reported
/// quarrels of a household within two months flag it.
final class FollowUpGovernanceTests: XCTestCase {
    var t: TestApp!
    var p: GrassrootsPlace!

    static func morning(_ day: String) -> Date { ISO8601DateFormatter().date(from: day + "T02:00:00Z")! }

    override func setUpWithError() throws {
        t = try TestApp(now: Self.morning("2026-06-04"))   // a Thursday
        p = try GrassrootsPlace(t)
    }

    override func tearDown() {
        p = nil
        t = nil
    }

    func settledInTheVillage(risk: String = "medium") throws -> Int64 {
        let lead = try p.lead(risk: risk, status: "mediating")
        let r = try p.post("/api/v1/leads/\(lead)/mediation-outcome", p.villageChair, ["result": "settled", "note": "当场和解"])
        XCTAssertEqual(r.status, 204, r.text)
        return lead
    }

    func followUpCount(_ lead: Int64) throws -> Int {
        try t.store.pool.withConnection { db in
            try db.query("SELECT count(*) AS n FROM lead_follow_ups WHERE lead_id = \(lead)").first!.decode("n", as: Int.self)
        }
    }

    func testASettledDisputeIsFollowedAtOneThreeAndSixMonthsOnTheWorkingCalendar() throws {
        let lead = try settledInTheVillage()
        XCTAssertEqual(try p.leadRow(lead).status, "settled")
        // 1 month after Thursday 4 June is Saturday 4 July: the next working day, Monday 6 July.
        XCTAssertEqual(try p.openDues(lead), ["follow_up/\(p.village)/2026-07-06", "follow_up/\(p.village)/2026-09-04",
                                             "follow_up/\(p.village)/2026-12-04"])
        let dues = try p.get("/api/v1/follow-ups/due", p.villageChair).decode(DueRows.self).dues
        XCTAssertEqual(dues.map(\.number), [1, 2, 3])
        XCTAssertEqual(Set(dues.map(\.round)), [1])
        XCTAssertEqual(try p.get("/api/v1/follow-ups/due", p.worker).decode(DueRows.self).dues.count, 3, "her grid's lead")
        XCTAssertEqual(try p.get("/api/v1/follow-ups/due", p.countySupervisor).decode(DueRows.self).dues.count, 3)
        XCTAssertEqual(try p.get("/api/v1/follow-ups/due", p.neighbourHandler).decode(DueRows.self).dues.count, 0)
        XCTAssertEqual(try p.get("/api/v1/follow-ups/due?village=1", p.villageChair).errorFields, ["village"])

        // The sweep watches them like the other dues: warned on Friday 3 July (the 4th and 5th rest), late on the 7th.
        t.clock.value = Self.morning("2026-07-02")
        _ = try t.store.sweep()
        XCTAssertEqual(try p.notices(lead), [])
        t.clock.value = Self.morning("2026-07-03")
        _ = try t.store.sweep()
        XCTAssertEqual(try p.notices(lead), ["follow_up_due_soon/handlers/\(p.village)"])
        t.clock.value = Self.morning("2026-07-07")
        _ = try t.store.sweep()
        _ = try t.store.sweep()
        XCTAssertEqual(try p.notices(lead).sorted(), ["follow_up_due_soon/handlers/\(p.village)", "follow_up_overdue/handlers/\(p.village)",
                                                     "follow_up_overdue/supervisors/\(p.township)"].sorted())
        XCTAssertEqual(try p.get("/api/v1/follow-ups/due", p.villageChair).decode(DueRows.self).dues.first?.overdue, true)

        // Recording one meets the earliest.
        let r = try p.post("/api/v1/leads/\(lead)/follow-ups", p.worker, ["made_on": "2026-07-07", "method": "visit", "result": "calm",
                                                                          "notes": "家庭关系平稳"])
        XCTAssertEqual(r.status, 201, r.text)
        XCTAssertEqual(try p.openDues(lead), ["follow_up/\(p.village)/2026-09-04", "follow_up/\(p.village)/2026-12-04"])
        let made = try p.get("/api/v1/leads/\(lead)/follow-ups", p.villageChair).decode(FollowUpRows.self).followUps
        XCTAssertEqual(made.map(\.dueOn), ["2026-07-06"])
        XCTAssertEqual(made.first?.method, "visit")
        XCTAssertEqual(try p.get("/api/v1/leads/\(lead)/follow-ups", p.neighbourChair).status, 404)
        XCTAssertEqual(try p.leadRow(lead).status, "settled")
    }

    func testBadFollowUpsAreRefusedAndChangeNothing() throws {
        let lead = try settledInTheVillage()
        var r = try p.post("/api/v1/leads/\(lead)/follow-ups", p.villageChair, ["made_on": "2026-06-05", "method": "fax", "result": "fine"])
        XCTAssertEqual(r.status, 422)
        XCTAssertEqual(Set(r.errorFields), ["made_on", "method", "result"], "a future day, an unknown method and result")
        r = try p.post("/api/v1/leads/\(lead)/follow-ups", p.villageChair, ["method": "phone", "result": "calm", "extra": true])
        XCTAssertEqual(Set(r.errorFields), ["made_on", "extra"])
        r = try p.post("/api/v1/leads/\(lead)/follow-ups", p.villageChair, ["made_on": "2026-06-01", "method": "phone", "result": "calm"])
        XCTAssertEqual(r.status, 422)
        XCTAssertEqual(r.errorFields, ["made_on"], "before the dispute was settled")
        XCTAssertEqual(try p.post("/api/v1/leads/\(lead)/follow-ups", p.neighbourChair,
                                  ["made_on": "2026-06-04", "method": "phone", "result": "calm"]).status, 404)
        XCTAssertEqual(try p.post("/api/v1/leads/\(lead)/follow-ups", p.townshipHandler,
                                  ["made_on": "2026-06-04", "method": "phone", "result": "calm"]).status, 403)
        XCTAssertEqual(try followUpCount(lead), 0)
        XCTAssertEqual(try p.openDues(lead).count, 3)
        let open = try p.lead(risk: "medium")
        r = try p.post("/api/v1/leads/\(open)/follow-ups", p.villageChair, ["made_on": "2026-06-04", "method": "phone", "result": "calm"])
        XCTAssertEqual(r.status, 409)
        XCTAssertEqual(r.errorCode, "no_follow_up_due")
    }

    func testARetriedFollowUpIsRecordedOnce() throws {
        let lead = try settledInTheVillage()
        let body: [String: Any] = ["made_on": "2026-06-04", "method": "phone", "result": "calm"]
        func send(key: String?) throws -> HTTPResult {
            try HTTPClient.json(port: t.port, "POST", "/api/v1/leads/\(lead)/follow-ups", token: p.villageChair.1,
                                headers: key.map { [("Idempotency-Key", $0)] } ?? [], body)
        }
        let first = try send(key: "follow-up-1")
        XCTAssertEqual(first.status, 201, first.text)
        let retry = try send(key: "follow-up-1")
        XCTAssertEqual(retry.status, 201, retry.text)
        XCTAssertEqual(try retry.decode(Created.self).id, try first.decode(Created.self).id, "the first answer, replayed")
        let keyless = try send(key: nil)
        XCTAssertEqual(keyless.status, 409)
        XCTAssertEqual(keyless.errorCode, "follow_up_already_recorded", "the same day again in one round")
        XCTAssertEqual(try followUpCount(lead), 1)
        XCTAssertEqual(try p.openDues(lead).count, 2, "one due met, not two")
    }

    func testARecurrenceReopensTheLeadRaisesItsRiskAndEndsTheRound() throws {
        let lead = try settledInTheVillage(risk: "medium")
        t.clock.value = Self.morning("2026-07-06")
        let r = try p.post("/api/v1/leads/\(lead)/follow-ups", p.villageChair, ["made_on": "2026-07-06", "method": "phone", "result": "recurred"])
        XCTAssertEqual(r.status, 201, r.text)
        XCTAssertEqual(try p.leadRow(lead).status, "open")
        XCTAssertEqual(try p.leadRow(lead).risk, "high", "medium → high")
        XCTAssertEqual(try p.openDues(lead), ["deliberation/\(p.village)/2026-07-13"],
                       "the round's other follow-ups are closed; the council deliberates it again within 7 days")
        XCTAssertEqual(try p.notices(lead).last, "dispute_recurred/handlers/\(p.village)")
        XCTAssertEqual(try p.post("/api/v1/leads/\(lead)/follow-ups", p.villageChair,
                                  ["made_on": "2026-07-06", "method": "phone", "result": "calm"]).errorCode, "no_follow_up_due")

        // Dispatched now (high risk) and settled again: a second round of follow-ups from the new settlement.
        let id = try p.dispatch(lead, to: p.township).decode(Created.self).id
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(id)/sign", p.townshipHandler).status, 204)
        XCTAssertEqual(try p.post("/api/v1/dispatches/\(id)/outcome", p.townshipHandler, ["result": "settled"]).status, 204)
        let dues = try p.get("/api/v1/follow-ups/due", p.villageChair).decode(DueRows.self).dues.filter { $0.leadId == Int(lead) }
        XCTAssertEqual(dues.map(\.round), [2, 2, 2])
        XCTAssertEqual(dues.first?.dueOn, "2026-08-06", "counted from the new settlement on 6 July")
    }

    func testALowRiskRecurrenceBecomesMedium() throws {
        let lead = try settledInTheVillage(risk: "low")
        XCTAssertEqual(try p.post("/api/v1/leads/\(lead)/follow-ups", p.villageChair,
                                  ["made_on": "2026-06-04", "method": "visit", "result": "recurred"]).status, 201)
        XCTAssertEqual(try p.leadRow(lead).risk, "medium")
    }

    func testThreeReportedQuarrelsInTwoMonthsFlagTheHousehold() throws {
        let created = try p.post("/api/v1/households", p.worker, [
            "grid_id": try t.unitID(p.grid), "address": "海安市城东镇幸福村3组18号", "head_name": "王秀英",
            "categories": ["petitioner_family_dispute"],
        ])
        XCTAssertEqual(created.status, 201, created.text)
        let household = try created.decode(Created.self).id
        func flag() throws -> FlagRead? {
            try p.get("/api/v1/households/\(household)", p.villageChair).decode(FlaggedHousehold.self).flagged
        }
        _ = try p.lead(risk: "low", householdID: household, reportedAt: "2026-03-01")
        _ = try p.lead(risk: "low", householdID: household, reportedAt: "2026-04-20")
        _ = try p.lead(risk: nil, kind: "other", householdID: household, reportedAt: "2026-04-25")
        XCTAssertNil(try flag(), "two quarrels (another kind of lead does not count)")
        _ = try p.lead(risk: "low", householdID: household, reportedAt: "2026-05-10")
        XCTAssertNil(try flag(), "three, but the first lies outside two months of the third")
        let tipping = try p.lead(risk: "low", householdID: household, reportedAt: "2026-06-01")
        let flagged = try XCTUnwrap(try flag(), "20 April, 10 May, 1 June: three within two months")
        XCTAssert(flagged.at.hasPrefix("2026-06-01"), flagged.at)
        XCTAssertEqual(flagged.reason, "3 family-dispute or domestic-violence leads reported within 2m")
        XCTAssertEqual(try p.notices(tipping), ["household_flagged/handlers/\(p.village)"], "the village's staff are told")
        let listed = try p.get("/api/v1/households", p.worker).decode(FlaggedHouseholds.self).households
        XCTAssertNotNil(listed.first { $0.id == household }?.flagged)
        _ = try p.lead(risk: "low", householdID: household, reportedAt: "2026-06-02")
        XCTAssertEqual(try flag()?.at, flagged.at, "flagged once: a further quarrel keeps the first flag")
        XCTAssertEqual(try p.get("/api/v1/households/\(household)", p.neighbourChair).status, 404)
    }

    func testTwoQuarrelsReportedAtOnceCountEachOther() throws {
        let created = try p.post("/api/v1/households", p.worker, [
            "grid_id": try t.unitID(p.grid), "address": "海安市城东镇幸福村3组20号", "head_name": "张丽",
            "categories": ["petitioner_family_dispute"],
        ])
        let household = Int64(try created.decode(Created.self).id)
        _ = try p.lead(risk: "low", householdID: Int(household), reportedAt: "2026-05-20")
        let (gridID, villageID, worker) = (try t.unitID(p.grid), try t.unitID(p.village), p.worker.0.id)
        let at = Self.morning("2026-06-01")
        let insert: @Sendable (PostgresConnection) throws -> Void = { db in
            try db.execute("""
                INSERT INTO leads (grid_id, village_id, kind, source, household_id, summary, reported_by, reported_at, updated_at)
                VALUES (\(gridID), \(villageID), 'family_dispute', 'grid_report', \(household), '又吵起来了', \(worker), \(at), \(at))
                """)
        }
        // The first stays uncommitted while the second is reported; each alone sees two quarrels.
        let first = try TestDatabase.connect()
        try first.execute("BEGIN")
        try insert(first)
        let failure = LockedValue<String?>(nil)
        let done = DispatchGroup()
        done.enter()
        Thread.detachNewThread {
            do { try insert(try TestDatabase.connect()) } catch { failure.value = "\(error)" }
            done.leave()
        }
        Thread.sleep(forTimeInterval: 0.3)
        try first.execute("COMMIT")
        done.wait()
        XCTAssertNil(failure.value, "the second waits for the first, no deadlock")
        let read = try p.get("/api/v1/households/\(household)", p.worker).decode(FlaggedHousehold.self)
        XCTAssertNotNil(read.flagged, "three within two months, though two were reported at the same moment")
    }

    func testTheQuarrelRuleComesFromTheRuleSet() throws {
        let created = try p.post("/api/v1/households", p.worker, [
            "grid_id": try t.unitID(p.grid), "address": "海安市城东镇幸福村3组19号", "head_name": "李芳",
            "categories": ["family_in_hardship"],
        ])
        let household = try created.decode(Created.self).id
        var rules = RuleSet.regulation2022
        rules.grassroots.quarrelFlagCount = 2
        let strict = Store(pool: t.store.pool, rules: rules, now: { Self.morning("2026-06-04") })
        try strict.publishQuarrelRule()
        defer { try? t.store.publishQuarrelRule() }
        _ = try p.lead(risk: "low", kind: "domestic_violence", householdID: household, reportedAt: "2026-05-20")
        _ = try p.lead(risk: "low", householdID: household, reportedAt: "2026-06-01")
        let read = try p.get("/api/v1/households/\(household)", p.worker).decode(FlaggedHousehold.self)
        XCTAssertNotNil(read.flagged, "two in two months under a profile that says two")
    }
}
