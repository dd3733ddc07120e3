import Foundation
import HuiyinCore
import HuiyinStore
import Postgres
import TestSupport
import XCTest

struct VisitReceiptRead: Decodable { let id: Int; let householdId: Int; let visitedOn: String; let month: String }
struct VisitTopicRead: Decodable { let asked: Bool; let found: Bool }
struct VisitTopicsRead: Decodable { let domesticViolence: VisitTopicRead; let marriageFamilyDisputes: VisitTopicRead }
struct VisitRead: Decodable { let id: Int; let visitedOn: String; let mode: String; let topics: VisitTopicsRead?; let notes: String? }
struct HouseholdVisitsRead: Decodable { let householdId: Int; let masked: Bool; let visits: [VisitRead] }
struct VisitFigureRead: Decodable, Equatable { let unitId: Int; let level: String; let due: Int; let done: Int }
struct VisitProgressRead: Decodable { let month: String; let dueOn: String; let unit: VisitFigureRead?; let children: [VisitFigureRead] }
struct DueVisitRead: Decodable { let householdId: Int; let gridId: Int; let sealed: Bool; let dueOn: String; let address: String?; let headName: String? }
struct DueVisitsRead: Decodable { let month: String; let households: [DueVisitRead] }

/// A small grassroots tree for the visit tests: a township with a village of two grids and a neighbouring
/// village of one, their workers, the village chair (a handler at the village), the township's supervisor.
final class VisitWorld {
    let t: TestApp
    let township: String, village: String, gridA: String, gridB: String, neighbourVillage: String, neighbourGrid: String
    let worker: (StaffUser, String), officer: (StaffUser, String), neighbourWorker: (StaffUser, String)
    let villageChair: (StaffUser, String), townshipSupervisor: (StaffUser, String), countySupervisor: (StaffUser, String)
    let county: String

    init(_ t: TestApp) throws {
        self.t = t
        county = try t.newUnit("county", under: "t-c")
        township = try t.newUnit("township", under: county)
        village = try t.newUnit("village", under: township)
        gridA = try t.newUnit("grid", under: village)
        gridB = try t.newUnit("grid", under: village)
        neighbourVillage = try t.newUnit("village", under: township)
        neighbourGrid = try t.newUnit("grid", under: neighbourVillage)
        worker = try t.newOperator(role: .gridWorker, unit: gridA)
        officer = try t.store.addUser(username: "io-\(UUID().uuidString.prefix(8))", displayName: "妇情信息员", unitCode: gridA,
                                      role: .informationOfficer, furtherGridCodes: [gridB])
        neighbourWorker = try t.newOperator(role: .gridWorker, unit: neighbourGrid)
        villageChair = try t.newOperator(role: .handler, unit: village)
        townshipSupervisor = try t.newOperator(role: .supervisor, unit: township)
        countySupervisor = try t.newOperator(role: .supervisor, unit: county)
    }

    func household(_ grid: String, by who: (StaffUser, String), matters: [String] = []) throws -> Int {
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/households", token: who.1, [
            "grid_id": try t.unitID(grid), "address": "海安市城东镇幸福村3组18号", "head_name": "王秀英",
            "categories": ["family_in_hardship"], "matters": matters,
        ] as [String: Any])
        XCTAssertEqual(r.status, 201, r.text)
        return try r.decode(Created.self).id
    }

    static func body(_ day: String, found violence: Bool = false, notes: String = "谈及子女入学") -> [String: Any] {
        ["visited_on": day, "mode": "in_person", "notes": notes, "topics": [
            "womens_childrens_rights": ["asked": true, "found": false],
            "marriage_family_disputes": ["asked": true, "found": false],
            "domestic_violence": ["asked": true, "found": violence],
            "minor_sexual_assault": ["asked": true, "found": false],
        ]]
    }

    /// The same bytes for the same arguments (a retry must send the very request it repeats).
    func visit(_ household: Int, on day: String, by who: (StaffUser, String), key: String? = nil, found: Bool = false) throws -> HTTPResult {
        let body = try JSONSerialization.data(withJSONObject: Self.body(day, found: found), options: [.sortedKeys])
        var headers = [("Content-Type", "application/json"), ("Authorization", "Bearer \(who.1)")]
        if let key { headers.append(("Idempotency-Key", key)) }
        return try HTTPClient.send(port: t.port, "POST", "/api/v1/households/\(household)/visits", headers: headers, body: Array(body))
    }

    func progress(_ who: (StaffUser, String), month: String = "2026-11", unit: String? = nil) throws -> HTTPResult {
        let query = try unit.map { "&unit=\(try t.unitID($0))" } ?? ""
        return try HTTPClient.get(port: t.port, "/api/v1/visits/progress?month=\(month)\(query)", token: who.1)
    }

    func id(_ code: String) throws -> Int { Int(try t.unitID(code)) }
}

/// Recording a visit and reading the figures against the real database: scope, bad input that changes
/// nothing, idempotent retries, counters per grid summed up the tree, the due list's masking, the audit.
final class VisitTests: XCTestCase {
    var t: TestApp!
    var w: VisitWorld!

    override func setUpWithError() throws {
        t = try TestApp(now: DeadlineSweepTests.morning("2026-11-12"))
        w = try VisitWorld(t)
    }

    override func tearDown() { w = nil; t = nil }

    func visitRows(_ household: Int) throws -> Int {
        try t.count("SELECT count(*) AS n FROM household_visits WHERE household_id = \(household)")
    }

    func testAVisitIsRecordedAndCountedOncePerHouseholdAndMonth() throws {
        let a1 = try w.household(w.gridA, by: w.worker), a2 = try w.household(w.gridA, by: w.worker)
        let b1 = try w.household(w.gridB, by: w.villageChair)
        _ = try w.household(w.neighbourGrid, by: w.neighbourWorker)

        let first = try w.visit(a1, on: "2026-11-10", by: w.worker)
        XCTAssertEqual(first.status, 201, first.text)
        let receipt = try first.decode(VisitReceiptRead.self)
        XCTAssertEqual(receipt.householdId, a1)
        XCTAssertEqual(receipt.month, "2026-11")
        // A second visit to the same household this month is recorded but does not count twice.
        XCTAssertEqual(try w.visit(a1, on: "2026-11-12", by: w.officer).status, 201)
        XCTAssertEqual(try w.visit(b1, on: "2026-11-11", by: w.villageChair).status, 201, "the village staff may record")

        let village = try w.progress(w.villageChair).decode(VisitProgressRead.self)
        XCTAssertEqual(village.unit, VisitFigureRead(unitId: try w.id(w.village), level: "village", due: 3, done: 2))
        XCTAssertEqual(Set(village.children.map { [$0.unitId, $0.due, $0.done] }),
                       [[try w.id(w.gridA), 2, 1], [try w.id(w.gridB), 1, 1]])
        XCTAssertEqual(Set(village.children.map(\.level)), ["grid"])
        XCTAssertEqual(village.dueOn, "2026-11-20")
        let township = try w.progress(w.townshipSupervisor).decode(VisitProgressRead.self)
        XCTAssertEqual(township.unit, VisitFigureRead(unitId: try w.id(w.township), level: "township", due: 4, done: 2))
        XCTAssertEqual(Set(township.children.map { [$0.unitId, $0.due, $0.done] }),
                       [[try w.id(w.village), 3, 2], [try w.id(w.neighbourVillage), 1, 0]])
        let county = try w.progress(w.countySupervisor).decode(VisitProgressRead.self)
        XCTAssertEqual(county.unit?.due, 4)
        XCTAssertEqual(county.children, [VisitFigureRead(unitId: try w.id(w.township), level: "township", due: 4, done: 2)])

        // The grid roles see their grids only: the worker grid A, the officer A and B.
        let mine = try w.progress(w.worker).decode(VisitProgressRead.self)
        XCTAssertNil(mine.unit)
        XCTAssertEqual(mine.children.map(\.unitId), [try w.id(w.gridA)])
        XCTAssertEqual(Set(try w.progress(w.officer).decode(VisitProgressRead.self).children.map(\.unitId)),
                       [try w.id(w.gridA), try w.id(w.gridB)])
        XCTAssertEqual(try w.progress(w.worker, unit: w.gridA).decode(VisitProgressRead.self).unit?.done, 1)
        XCTAssertEqual(try w.progress(w.worker, unit: w.gridB).status, 404)
        XCTAssertEqual(try w.progress(w.worker, unit: w.village).status, 404)
        XCTAssertEqual(try w.progress(w.villageChair, unit: w.neighbourVillage).status, 404, "a neighbour's village")
        XCTAssertEqual(try w.progress(w.villageChair, unit: w.gridB).decode(VisitProgressRead.self).unit?.due, 1)

        // Counters, not a scan: the figures equal what the visits say.
        XCTAssertEqual(try t.count("""
            SELECT count(DISTINCT household_id) AS n FROM household_visits WHERE grid_id = \(try w.id(w.gridA)) AND month = '2026-11-01'
            """), 1)
        _ = a2
    }

    func testBadInputIsRefusedAndChangesNothing() throws {
        let mine = try w.household(w.gridA, by: w.worker)
        let theirs = try w.household(w.neighbourGrid, by: w.neighbourWorker)
        let inB = try w.household(w.gridB, by: w.officer)
        // Outside her grids: 404 exactly as any out-of-scope read (and as a household that does not exist).
        for (household, who) in [(theirs, w.worker), (inB, w.worker), (mine, w.neighbourWorker), (99_999_999, w.worker)] {
            let r = try w.visit(household, on: "2026-11-10", by: who)
            XCTAssertEqual(r.status, 404, r.text)
            XCTAssertEqual(r.errorCode, "not_found")
        }
        // In the future, or in a closed month: 422 on visited_on.
        for day in ["2026-11-13", "2026-10-31", "2027-01-01"] {
            let r = try w.visit(mine, on: day, by: w.worker)
            XCTAssertEqual(r.status, 422, r.text)
            XCTAssertEqual(r.errorFields, ["visited_on"])
        }
        // Every bad field at once.
        let bad = try HTTPClient.json(port: t.port, "POST", "/api/v1/households/\(mine)/visits", token: w.worker.1, [
            "visited_on": "2026-11-10", "mode": "letter", "extra": 1,
            "topics": ["womens_childrens_rights": ["asked": "yes", "found": false], "weather": ["asked": true, "found": true]],
        ] as [String: Any])
        XCTAssertEqual(bad.status, 422, bad.text)
        XCTAssertEqual(Set(bad.errorFields), ["mode", "extra", "topics.womens_childrens_rights.asked", "topics.weather",
                                              "topics.marriage_family_disputes", "topics.domestic_violence", "topics.minor_sexual_assault"])
        // The township above the village does not record visits; the grid's own people do.
        XCTAssertEqual(try w.visit(mine, on: "2026-11-10", by: w.townshipSupervisor).status, 403)
        XCTAssertEqual(try visitRows(mine) + visitRows(theirs) + visitRows(inB), 0)
        XCTAssertEqual(try w.progress(w.villageChair).decode(VisitProgressRead.self).unit?.done, 0)

        // A retry with the same key replays the first answer and stores nothing twice.
        let first = try w.visit(mine, on: "2026-11-10", by: w.worker, key: "visit-retry-1")
        XCTAssertEqual(first.status, 201, first.text)
        let retry = try w.visit(mine, on: "2026-11-10", by: w.worker, key: "visit-retry-1")
        XCTAssertEqual(retry.status, 201, retry.text)
        XCTAssertEqual(retry.header("Idempotent-Replayed"), "true")
        XCTAssertEqual(try retry.decode(VisitReceiptRead.self).id, try first.decode(VisitReceiptRead.self).id)
        // The same key with another body is refused.
        XCTAssertEqual(try w.visit(mine, on: "2026-11-11", by: w.worker, key: "visit-retry-1").status, 422)
        // A second record of the same household and day without the key: 409.
        let again = try w.visit(mine, on: "2026-11-10", by: w.officer)
        XCTAssertEqual(again.status, 409, again.text)
        XCTAssertEqual(again.errorCode, "visit_already_recorded")
        XCTAssertEqual(try visitRows(mine), 1)
        XCTAssertEqual(try w.progress(w.villageChair).decode(VisitProgressRead.self).unit?.done, 1)
        // A lead of another grid cannot be named.
        var withLead = VisitWorld.body("2026-11-11")
        withLead["lead_id"] = 99_999_999
        let lead = try HTTPClient.json(port: t.port, "POST", "/api/v1/households/\(mine)/visits", token: w.worker.1, withLead)
        XCTAssertEqual(lead.status, 422, lead.text)
        XCTAssertEqual(lead.errorFields, ["lead_id"])
        XCTAssertEqual(try visitRows(mine), 1)
        // A future month's figures: 422.
        XCTAssertEqual(try w.progress(w.villageChair, month: "2026-12").status, 422)
        XCTAssertEqual(try w.progress(w.villageChair, month: "2026-1").status, 422)
    }

    func testTheDueListIsHersMaskedAndSealedShowsOnlyThatItIsDue() throws {
        let plain = try w.household(w.gridA, by: w.worker)
        let sealed = try w.household(w.gridA, by: w.worker, matters: ["domestic_violence"])
        let visited = try w.household(w.gridA, by: w.worker)
        let inB = try w.household(w.gridB, by: w.officer)
        XCTAssertEqual(try w.visit(visited, on: "2026-11-05", by: w.worker).status, 201)

        let mine = try HTTPClient.get(port: t.port, "/api/v1/visits/due", token: w.worker.1).decode(DueVisitsRead.self)
        XCTAssertEqual(mine.month, "2026-11")
        XCTAssertEqual(Set(mine.households.map(\.householdId)), [plain, sealed])
        let plainRow = try XCTUnwrap(mine.households.first { $0.householdId == plain })
        XCTAssertEqual(plainRow.address, "海安市城东镇****")
        XCTAssertEqual(plainRow.headName, "王**")
        XCTAssertEqual(plainRow.dueOn, "2026-11-20")
        let sealedRow = try XCTUnwrap(mine.households.first { $0.householdId == sealed })
        XCTAssertTrue(sealedRow.sealed)
        XCTAssertNil(sealedRow.address)
        XCTAssertNil(sealedRow.headName)
        let officer = try HTTPClient.get(port: t.port, "/api/v1/visits/due", token: w.officer.1).decode(DueVisitsRead.self)
        XCTAssertEqual(Set(officer.households.map(\.householdId)), [plain, sealed, inB])
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/visits/due", token: w.neighbourWorker.1)
                        .decode(DueVisitsRead.self).households.count, 0)
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/visits/due?month=2026-10", token: w.worker.1).status, 422)
    }

    func testAHouseholdsVisitsAreScopedMaskedWhenSealedAndAudited() throws {
        let sealed = try w.household(w.gridA, by: w.worker, matters: ["domestic_violence"])
        XCTAssertEqual(try w.visit(sealed, on: "2026-11-10", by: w.worker, found: true).status, 201)
        // The village chair may not record on a household sealed to her.
        XCTAssertEqual(try w.visit(sealed, on: "2026-11-11", by: w.villageChair).status, 403)

        let path = "/api/v1/households/\(sealed)/visits"
        let hers = try HTTPClient.get(port: t.port, path, token: w.worker.1).decode(HouseholdVisitsRead.self)
        XCTAssertFalse(hers.masked)
        XCTAssertEqual(hers.visits.first?.topics?.domesticViolence.found, true)
        XCTAssertEqual(hers.visits.first?.notes, "谈及子女入学")
        let chair = try HTTPClient.get(port: t.port, path, token: w.villageChair.1).decode(HouseholdVisitsRead.self)
        XCTAssertTrue(chair.masked)
        XCTAssertEqual(chair.visits.map(\.visitedOn), ["2026-11-10"])
        XCTAssertNil(chair.visits.first?.topics)
        XCTAssertNil(chair.visits.first?.notes)
        XCTAssertEqual(try HTTPClient.get(port: t.port, path, token: w.neighbourWorker.1).status, 404)
        let reads = try t.store.householdReads(id: Int64(sealed)).filter { $0.view == "visits" }
        XCTAssertEqual(reads.map(\.userID), [w.worker.0.id, w.villageChair.0.id])
        XCTAssertEqual(reads.map(\.masked), [false, true])
    }

    func testAHouseholdAddedMidMonthIsDueAndTheMonthOpensOnce() throws {
        _ = try w.household(w.gridA, by: w.worker)
        XCTAssertEqual(try w.progress(w.villageChair).decode(VisitProgressRead.self).unit?.due, 1)
        _ = try w.household(w.gridA, by: w.worker)
        _ = try w.household(w.gridB, by: w.officer)
        try t.store.openVisitMonth(VisitMonth("2026-11")!)
        let village = try w.progress(w.villageChair).decode(VisitProgressRead.self)
        XCTAssertEqual(village.unit?.due, 3, "added after the month opened: the trigger counts them, once")
        // An earlier month opened later counts the households on the register by its end: none of these.
        XCTAssertEqual(try w.progress(w.villageChair, month: "2026-10").decode(VisitProgressRead.self).unit?.due, 0)
    }
}
