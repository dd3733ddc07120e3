import Foundation
import HuiyinCore
import HuiyinStore
import TestSupport
import XCTest

/// Every console screen answers every role with a page (never a 500), in Chinese, with the security
/// headers; pages of cases are audited reads like the API's.
final class ConsolePagesTests: XCTestCase {
    func testEveryScreenAnswersEveryRole() throws {
        let t = try TestApp()
        let city = try t.newUnit("city", under: "t")
        let county = try t.newUnit("county", under: city)
        let grid = try t.newUnit("grid", under: try t.newUnit("village", under: try t.newUnit("township", under: county)))
        let op = try t.newOperator(role: .operator_, unit: city)
        func file(_ category: String, unit: String) throws -> Int {
            var body = Sample.call(phone: Sample.randomPhone(), category: category)
            body["unit_id"] = try t.unitID(unit)
            return try HTTPClient.json(port: t.port, "POST", "/api/v1/contacts", token: op.1, body).decode(Receipt.self).caseId
        }
        let plain = try file("marriage_family", unit: county), sealed = try file("domestic_violence", unit: county)
        for role in StaffRole.allCases {
            for unit in role.worksInGrids ? [grid] : [city, county] {   // a grid role sits at a grid
                let (user, _) = try t.newOperator(role: role, unit: unit)
                try t.store.setPassword(username: user.username, password: "a-long-test-password", hasher: PasswordHasher(logRounds: 10))
                let cookie = try login(t, user.username)
                for path in ["/", "/call", "/reception", "/roster", "/cases", "/cases?q=HY", "/inbox", "/dashboard", "/leader",
                             "/dispatches", "/follow-ups", "/cases/\(plain)", "/cases/\(sealed)", "/council", "/households", "/visits",
                             "/campaigns"] {
                    let page = try HTTPClient.get(port: t.port, path, headers: [("Cookie", cookie)])
                    // The county's cases lie outside a grid: a grid role gets the not-found page for them.
                    let expected = role.worksInGrids && path.hasPrefix("/cases/") ? 404 : 200
                    XCTAssertEqual(page.status, expected, "\(role.rawValue) at \(unit): \(path) \(page.text.prefix(200))")
                    XCTAssertTrue(page.text.contains("lang=\"zh-CN\""), "\(path)")
                    XCTAssertNotNil(page.header("content-security-policy"), "\(path)")
                }
            }
        }
        for path in ["/petition", "/track", "/login"] {
            XCTAssertEqual(try HTTPClient.get(port: t.port, path).status, 200, path)
        }
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/call").status, 303, "no session: to the login page")
        // A console page that cannot be shown says so in Chinese, as a page, not as the API's JSON.
        let (countyUser, _) = try t.newOperator(role: .supervisor, unit: county)
        try t.store.setPassword(username: countyUser.username, password: "a-long-test-password", hasher: PasswordHasher(logRounds: 10))
        let neighbour = try HTTPClient.get(port: t.port, "/dashboard?unit_id=\(try t.unitID("t-c-b"))",
                                           headers: [("Cookie", try login(t, countyUser.username))])
        XCTAssertEqual(neighbour.status, 404)
        XCTAssertTrue(neighbour.header("content-type")?.hasPrefix("text/html") ?? false)
        XCTAssertTrue(neighbour.text.contains("未找到") && !neighbour.text.contains("not_found"))
    }

    /// The month's visit progress: the village chair sees her grids and their households, visited or not (a
    /// sealed one only as sealed); the township sees its villages and the grids with visits overdue; a grid
    /// worker sees her grid alone.
    func testTheVisitProgressPageShowsEachRoleItsPart() throws {
        let t = try TestApp(now: DeadlineSweepTests.morning("2026-11-12"))
        let w = try VisitWorld(t)
        let visited = try w.household(w.gridA, by: w.worker)
        _ = try w.household(w.gridA, by: w.worker)
        _ = try w.household(w.gridB, by: w.officer, matters: ["domestic_violence"])
        XCTAssertEqual(try w.visit(visited, on: "2026-11-10", by: w.worker).status, 201)
        t.clock.value = DeadlineSweepTests.morning("2026-11-22")
        func page(_ who: (StaffUser, String), _ path: String = "/visits") throws -> String {
            try t.store.setPassword(username: who.0.username, password: "a-long-test-password", hasher: PasswordHasher(logRounds: 10))
            let r = try HTTPClient.get(port: t.port, path, headers: [("Cookie", try login(t, who.0.username))])
            XCTAssertEqual(r.status, 200, r.text)
            return r.text
        }
        let gridAName = try t.store.unitName(t.unitID(w.gridA)), gridBName = try t.store.unitName(t.unitID(w.gridB))
        let chair = try page(w.villageChair)
        XCTAssertTrue(chair.contains("家家访 月月谈"))
        XCTAssertTrue(chair.contains("2026年11月20日"), "the due day")
        XCTAssertTrue(chair.contains(gridAName) && chair.contains(gridBName))
        XCTAssertTrue(chair.contains("王**"), "masked head of household")
        XCTAssertFalse(chair.contains("王秀英"))
        XCTAssertTrue(chair.contains("已访") && chair.contains("逾期未访"))
        XCTAssertTrue(chair.contains("密封"), "the sealed household shows only that it is there")
        XCTAssertTrue(chair.contains("2 户逾期"), "the village's two households not visited")
        let township = try page(w.townshipSupervisor)
        XCTAssertTrue(township.contains("尚有未访重点户的网格"))
        XCTAssertTrue(township.contains(gridBName), "grid B has a visit overdue")
        XCTAssertTrue(township.contains("/visits?unit_id=\(try t.unitID(w.village))"), "drill down to the village")
        XCTAssertFalse(township.contains("王**"), "households are the village's page")
        let worker = try page(w.worker)
        XCTAssertTrue(worker.contains(gridAName))
        XCTAssertFalse(worker.contains(gridBName), "not her grid")
        XCTAssertTrue(worker.contains("href=\"/visits\""), "in her navigation")
        let neighbour = try HTTPClient.get(port: t.port, "/visits?unit_id=\(try t.unitID(w.neighbourVillage))",
                                           headers: [("Cookie", try login(t, w.villageChair.0.username))])
        XCTAssertEqual(neighbour.status, 404, "a neighbour's village")
        for text in [chair, township, worker] {
            XCTAssertFalse(text.contains("in_person") || text.contains(">grid<") || text.contains("visits_overdue"))
        }
    }

    private func login(_ t: TestApp, _ username: String) throws -> String {
        let page = try HTTPClient.get(port: t.port, "/login")
        let csrfCookie = String(page.header("set-cookie")!.split(separator: ";")[0])
        let token = String(csrfCookie.split(separator: "=", maxSplits: 1)[1])
        let body = "_csrf=\(token)&username=\(username)&password=a-long-test-password"
        let r = try HTTPClient.send(port: t.port, "POST", "/login", headers: [("Content-Type", "application/x-www-form-urlencoded"),
                                                                              ("Cookie", csrfCookie)], body: Array(body.utf8))
        XCTAssertEqual(r.status, 303, r.text)
        let set = r.header("set-cookie")!.split(separator: "\n").first { $0.hasPrefix("huiyin_session=") }!
        return String(set.split(separator: ";")[0])
    }
}
