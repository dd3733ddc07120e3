import Foundation
import HuiyinCore
import HuiyinStore
import Postgres
import TestSupport
import XCTest

private struct VisitNotificationRead: Decodable { let kind: String; let unitId: Int }
private struct VisitNotificationsRead: Decodable {
    let notifications: [VisitNotificationRead]
    /// The inbox holds every kind; these tests look at the visit cycle's.
    var visits: [VisitNotificationRead] { notifications.filter { $0.kind.hasPrefix("visits_") } }
}

/// The visit sweep day by day with the injected clock: nothing before the warning day, one warning per grid
/// with households still unvisited from the 17th, after the 20th one notice to the village (handlers and
/// supervisors) and one to the township's supervisors, each once, also when many instances sweep at once.
final class VisitSweepTests: XCTestCase {
    var t: TestApp!
    var w: VisitWorld!

    override func setUpWithError() throws {
        t = try TestApp(now: DeadlineSweepTests.morning("2026-11-02"))
        w = try VisitWorld(t)
    }

    override func tearDown() { w = nil; t = nil }

    /// The visit notifications about this test's units, as `kind/audience/unit`.
    func told() throws -> [String] {
        let codes = [w.gridA, w.gridB, w.village, w.township, w.neighbourVillage, w.neighbourGrid]
        let names = Dictionary(uniqueKeysWithValues: try codes.map { (try w.id($0), $0) })
        return try t.store.pool.withConnection { db in
            try db.query("""
                SELECT kind, audience, unit_id FROM notifications
                WHERE kind LIKE 'visits_%' AND unit_id = ANY(string_to_array(\(names.keys.map(String.init).joined(separator: ",")), ',')::bigint[])
                ORDER BY id
                """).rows.map { row in
                let unit = names[Int(try row.decode("unit_id", as: Int64.self))]!
                let label = unit == w.gridA ? "gridA" : unit == w.gridB ? "gridB" : unit == w.village ? "village"
                    : unit == w.township ? "township" : unit == w.neighbourVillage ? "neighbourVillage" : "neighbourGrid"
                return "\(try row.decode("kind", as: String.self))/\(try row.decode("audience", as: String.self))/\(label)"
            }
        }
    }

    func sweep(on day: String) throws {
        t.clock.value = DeadlineSweepTests.morning(day)
        _ = try t.store.sweep()
    }

    func testTheSweepWarnsTheGridThenTellsTheVillageAndTownshipOnce() throws {
        let a1 = try w.household(w.gridA, by: w.worker), a2 = try w.household(w.gridA, by: w.worker)
        let b1 = try w.household(w.gridB, by: w.officer)
        let n1 = try w.household(w.neighbourGrid, by: w.neighbourWorker)
        XCTAssertEqual(try w.visit(a1, on: "2026-11-02", by: w.worker).status, 201)

        for day in ["2026-11-02", "2026-11-10", "2026-11-16"] { try sweep(on: day) }
        XCTAssertEqual(try told(), [], "before the 17th nothing is due soon")

        // Grid B is visited on the 16th: complete before the warning day.
        t.clock.value = DeadlineSweepTests.morning("2026-11-16")
        XCTAssertEqual(try w.visit(b1, on: "2026-11-16", by: w.officer).status, 201)
        try sweep(on: "2026-11-17")
        try sweep(on: "2026-11-17")
        XCTAssertEqual(Set(try told()), ["visits_due_soon/handlers/gridA", "visits_due_soon/handlers/neighbourGrid"])
        XCTAssertEqual(try told().count, 2, "once each")
        // Grid workers see the warnings of every grid assigned to them: the officer sits at A and is assigned B too.
        let officerSees = try HTTPClient.get(port: t.port, "/api/v1/notifications", token: w.officer.1)
            .decode(VisitNotificationsRead.self).visits
        XCTAssertEqual(officerSees.map(\.unitId), [try w.id(w.gridA)])
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/notifications", token: w.neighbourWorker.1)
            .decode(VisitNotificationsRead.self).visits.map(\.unitId), [try w.id(w.neighbourGrid)])

        for day in ["2026-11-18", "2026-11-19", "2026-11-20"] { try sweep(on: day) }
        XCTAssertEqual(try told().count, 2, "no more until the due day has passed")

        // The neighbour's household is visited on the 20th; the 21st tells only about gridA's a2.
        t.clock.value = DeadlineSweepTests.morning("2026-11-20")
        XCTAssertEqual(try w.visit(n1, on: "2026-11-20", by: w.neighbourWorker).status, 201)
        try sweep(on: "2026-11-21")
        try sweep(on: "2026-11-22")
        XCTAssertEqual(Array(try told().dropFirst(2)).sorted(), [
            "visits_overdue/handlers/village", "visits_overdue/supervisors/township", "visits_overdue/supervisors/village",
        ])
        let chair = try HTTPClient.get(port: t.port, "/api/v1/notifications", token: w.villageChair.1)
        XCTAssertEqual(chair.status, 200, chair.text)
        let detail = try chair.jsonValue()["notifications"]?.arrayValue?.first?["detail"]
        XCTAssertEqual(detail?["outstanding"]?.intValue, 1)
        XCTAssertEqual(detail?["due_on"]?.stringValue, "2026-11-20")
        XCTAssertEqual(detail?["grids"]?.arrayValue?.first?["grid_id"]?.intValue, try w.id(w.gridA))
        let township = try HTTPClient.get(port: t.port, "/api/v1/notifications", token: w.townshipSupervisor.1)
            .decode(VisitNotificationsRead.self).visits
        XCTAssertEqual(township.map(\.unitId), [try w.id(w.township)])

        // The next month starts fresh: nothing is told on its 1st, its own warning comes on its 17th.
        try sweep(on: "2026-12-01")
        XCTAssertEqual(try told().count, 5)
        XCTAssertEqual(try w.progress(w.villageChair, month: "2026-12").decode(VisitProgressRead.self).unit?.done, 0)
        XCTAssertEqual(try w.progress(w.villageChair, month: "2026-12").decode(VisitProgressRead.self).unit?.due, 3)
        _ = a2
    }

    func testInstancesSweepingAtOnceTellEachUnitOnce() throws {
        for _ in 0..<3 { _ = try w.household(w.gridA, by: w.worker) }
        _ = try w.household(w.gridB, by: w.officer)
        _ = try w.household(w.neighbourGrid, by: w.neighbourWorker)
        try sweep(on: "2026-11-05")  // opens the month
        t.clock.value = DeadlineSweepTests.morning("2026-11-18")
        try sweepConcurrently()
        XCTAssertEqual(try told().count, 3, "one warning per grid")
        t.clock.value = DeadlineSweepTests.morning("2026-11-23")
        try sweepConcurrently()
        XCTAssertEqual(try told().count, 3 + 2 * 2 + 1, "each village twice (handlers, supervisors), the township once")
        XCTAssertEqual(try t.count("""
            SELECT count(*) AS n FROM visit_steps WHERE unit_id IN (\(try w.id(w.village)), \(try w.id(w.neighbourVillage)))
            """), 2)
    }

    /// Eight sweeps at once, each on its own store (its own connections), as eight instances would.
    func sweepConcurrently() throws {
        let errors = LockedValue<[Error]>([])
        let stores = try (0..<8).map { _ in
            Store(pool: PostgresPool(configuration: try TestDatabase.configuration(), size: 1), now: { [clock = t.clock] in clock.value })
        }
        defer { stores.forEach { $0.pool.close() } }
        DispatchQueue.concurrentPerform(iterations: stores.count) { index in
            do { _ = try stores[index].sweep() } catch { errors.withLock { $0.append(error) } }
        }
        XCTAssertEqual(errors.value.count, 0, "\(errors.value)")
    }
}
