import Foundation
import HuiyinCore
import HuiyinStore
import HuiyinWeb
import TestSupport
import XCTest

/// The mediation network's registry and its public queries (家事调解地图): a CSV goes in whole or not at
/// all with every bad row named by line and field, re-importing never duplicates, and the nearest
/// query's order is the exact great-circle order.
final class MediationBodyTests: XCTestCase {
    static let header = MediationBodyCSV.header.joined(separator: ",")

    /// A county with a township and a village of its own, so counts are not disturbed by other tests.
    func newArea(_ t: TestApp) throws -> (county: String, township: String, village: String) {
        let county = try t.newUnit("county", under: "t-c")
        let township = try t.newUnit("township", under: county)
        return (county, township, try t.newUnit("village", under: township))
    }

    func testAGoodFileImportsAndAReimportNeverDuplicates() throws {
        let t = try TestApp()
        let (county, township, village) = try newArea(t)
        let p = "mb" + UUID().uuidString.prefix(6)
        let csv = """
            \(Self.header)
            \(p)-1,"东山社区家事调解点",village_point,\(village),西陵区东山大道12号,30.7021,111.2903,0717-6221234,周一至周五 8:30-17:30,3,张敏、李华、王琴
            \(p)-2,龙泉镇人民调解委员会,township_committee,\(township),龙泉镇综治中心,30.556,111.518,,,,
            \(p)-3,某县婚姻家庭纠纷人民调解委员会,county_committee,\(county),人民路18号,30.71,111.30,12338,,,
            """
        let rows = try MediationBodyCSV.parse(csv).get()
        XCTAssertEqual(rows.map(\.line), [2, 3, 4])
        XCTAssertEqual(rows[0].mediators, ["张敏", "李华", "王琴"])
        XCTAssertEqual(try t.store.importMediationBodies(rows), MediationImportReport(created: 3, updated: 0, unchanged: 0))
        XCTAssertEqual(try t.store.importMediationBodies(rows), MediationImportReport(created: 0, updated: 0, unchanged: 3))
        let changed = try MediationBodyCSV.parse(csv.replacingOccurrences(of: "0717-6221234", with: "0717-6229999")).get()
        XCTAssertEqual(try t.store.importMediationBodies(changed), MediationImportReport(created: 0, updated: 1, unchanged: 2))
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM mediation_bodies WHERE code LIKE '\(p)-%'"), 3)

        // The public list by county holds all three, the county's own first; by township, two.
        let byCounty = try HTTPClient.get(port: t.port, "/api/v1/mediation-bodies?unit_id=\(try t.unitID(county))")
        XCTAssertEqual(byCounty.status, 200)
        let items = try byCounty.decode(List.self).items
        XCTAssertEqual(items.map(\.code), ["\(p)-3", "\(p)-2", "\(p)-1"])
        XCTAssertEqual(items[2].phone, "0717-6229999")
        XCTAssertNil(items[0].distanceM)
        let byTownship = try HTTPClient.get(port: t.port, "/api/v1/mediation-bodies?unit_id=\(try t.unitID(township))").decode(List.self)
        XCTAssertEqual(byTownship.items.map(\.code), ["\(p)-2", "\(p)-1"])
        XCTAssertFalse(byCounty.text.contains("张敏"), "the mediators' names are not published")
        // The chooser lists the county and the township with their counts.
        let areas = try HTTPClient.get(port: t.port, "/api/v1/mediation-bodies/areas").decode(Areas.self).items
        XCTAssertEqual(areas.first { $0.id == (try? t.unitID(county)) }?.bodies, 3)
        XCTAssertEqual(areas.first { $0.id == (try? t.unitID(township)) }?.bodies, 2)
        // The page lists a chosen area without script.
        let page = try HTTPClient.get(port: t.port, "/mediation-map?unit_id=\(try t.unitID(township))")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("龙泉镇人民调解委员会") && page.text.contains("href=\"tel:07176229999\""))
    }

    func testEveryBadRowIsNamedByLineAndFieldAndNothingIsImported() throws {
        let t = try TestApp()
        let (county, township, village) = try newArea(t)
        let p = "mb" + UUID().uuidString.prefix(6)
        let csv = """
            \(Self.header)
            \(p)-1,好的调解点,village_point,\(village),某村,30.1,111.1,0717-1234567,,,
            \(p)-2,,village_point,\(village),某村,91,111.1,,,,
            \(p)-3,调解点,mediation_room,\(village),某村,30.1,east,电话,,,
            \(p)-1,重复,other,\(county),某地,0,0,,,2,甲、乙、丙
            """
        guard case .failure(let failure) = MediationBodyCSV.parse(csv) else { return XCTFail("a bad file parses") }
        let problems = failure.problems.map(\.description)
        for expected in ["line 3: name: is empty", "line 3: latitude: `91`", "line 4: kind: `mediation_room`", "line 4: longitude: `east`",
                         "line 4: phone: `电话`", "line 5: code: `\(p)-1` is already on line 2", "line 5: latitude: 0,0",
                         "line 5: mediator_count: 2 is fewer than the 3 mediators named"] {
            XCTAssertTrue(problems.contains { $0.hasPrefix(expected) }, "\(expected) in \(problems)")
        }
        // Rows the file alone cannot judge: an unknown unit, a kind at the wrong level.
        let rows = try MediationBodyCSV.parse("""
            \(Self.header)
            \(p)-a,好的调解点,village_point,\(village),某村,30.1,111.1,,,,
            \(p)-b,乡镇调委会,township_committee,\(county),某县,30.1,111.1,,,,
            \(p)-c,某调解点,other,no-such-unit,某地,30.1,111.1,,,,
            """).get()
        XCTAssertThrowsError(try t.store.importMediationBodies(rows)) { error in
            let lines = (error as? MediationImportFailure)?.problems.map(\.description) ?? []
            XCTAssertEqual(lines.count, 2, "\(lines)")
            XCTAssertTrue(lines[0].hasPrefix("line 3: kind: a township_committee belongs to a township unit"), lines[0])
            XCTAssertTrue(lines[1].hasPrefix("line 4: unit_code: no unit `no-such-unit`"), lines[1])
        }
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM mediation_bodies WHERE code LIKE '\(p)-%'"), 0, "nothing imported")
        _ = township
    }

    /// The nearest order against a brute-force haversine over every body in the table, at random points.
    func testNearestIsTheExactGreatCircleOrder() throws {
        let t = try TestApp()
        let (_, _, village) = try newArea(t)
        let p = "mb" + UUID().uuidString.prefix(6)
        var generator = SeededRandom(seed: 15)
        // A cluster far from other tests' bodies, dense in the middle and sparse around it.
        var lines = [Self.header]
        for i in 0..<400 {
            let spread = i < 300 ? 0.3 : 4.0
            let lat = 46 + Double.random(in: -spread...spread, using: &generator)
            let lon = 126 + Double.random(in: -spread...spread, using: &generator)
            lines.append("\(p)-\(i),调解点\(i),other,\(village),某地\(i),\(String(format: "%.6f", lat)),\(String(format: "%.6f", lon)),,,,")
        }
        _ = try t.store.importMediationBodies(try MediationBodyCSV.parse(lines.joined(separator: "\n")).get())
        let all = try t.store.pool.withConnection { db in
            try db.query("SELECT id, latitude::float8 AS lat, longitude::float8 AS lon FROM mediation_bodies").rows.map {
                (id: try $0.decode("id", as: Int64.self), lat: try $0.decode("lat", as: Double.self), lon: try $0.decode("lon", as: Double.self))
            }
        }
        for round in 0..<40 {
            // Inside the cluster, at its edge and far away (where only the widest box or the full scan answers).
            let spread = [0.3, 3.0, 20.0][round % 3]
            let lat = 46 + Double.random(in: -spread...spread, using: &generator)
            let lon = 126 + Double.random(in: -spread...spread, using: &generator)
            let limit = [1, 10, 50][round % 3]
            let expected = all.map { (id: $0.id, d: Haversine.metres(lat, lon, $0.lat, $0.lon)) }
                .sorted { ($0.d, $0.id) < ($1.d, $1.id) }.prefix(limit)
            let answer = try HTTPClient.get(port: t.port, "/api/v1/mediation-bodies/nearest?lat=\(lat)&lon=\(lon)&limit=\(limit)")
            XCTAssertEqual(answer.status, 200)
            let got = try answer.decode(List.self).items
            XCTAssertEqual(got.map(\.id), expected.map(\.id), "round \(round) at \(lat),\(lon)")
            for (item, want) in zip(got, expected) {
                XCTAssertEqual(item.distanceM ?? -1, want.d, accuracy: 0.2)
            }
        }
    }

    /// The nearest answer writes each body from its stored JSON: the same members, in the same order, as
    /// the list by unit writes them, with the distance last; a body changed by a re-import is written anew.
    func testNearestWritesEachBodyAsTheListDoesAndARenamedBodyAnew() throws {
        let t = try TestApp()
        let (_, _, village) = try newArea(t)
        let code = "mb" + UUID().uuidString.prefix(6)
        func load(_ name: String) throws {
            let csv = [Self.header, "\(code),\(name),other,\(village),某地,-40.100000,-70.200000,0717-1234567,周一至周五,3,"]
            _ = try t.store.importMediationBodies(try MediationBodyCSV.parse(csv.joined(separator: "\n")).get())
        }
        func nearestText() throws -> String {
            let answer = try HTTPClient.get(port: t.port, "/api/v1/mediation-bodies/nearest?lat=-40.1&lon=-70.2&limit=1")
            XCTAssertEqual(answer.status, 200, answer.text)
            return answer.text
        }
        try load("第一调解点")
        let villageID = try t.unitID(village)
        let listed = try HTTPClient.get(port: t.port, "/api/v1/mediation-bodies?unit_id=\(villageID)").text
        let first = try nearestText(), again = try nearestText()
        XCTAssertEqual(first, again)
        // Member for member, the list's object with its null distance replaced by the measured one.
        let object = try XCTUnwrap(listed.range(of: "{\"id\"").map { String(listed[$0.lowerBound...]) })
        let head = try XCTUnwrap(object.range(of: ",\"distance_m\":null}").map { String(object[..<$0.lowerBound]) })
        XCTAssertTrue(first.contains(head + ",\"distance_m\":0"), "\(first)\n\(head)")
        try load("改名调解点")
        XCTAssertTrue(try nearestText().contains("改名调解点"), "a renamed body is written anew")
    }

    func testBadQueriesAre422WithEveryField() throws {
        let t = try TestApp()
        for (query, fields) in [("", ["lat", "lon"]), ("lat=91&lon=200&limit=0", ["lat", "lon", "limit"]),
                                ("lat=abc&lon=111", ["lat"]), ("lat=30&lon=111&limit=51", ["limit"]), ("lat=1e2&lon=1", ["lat"])] {
            let answer = try HTTPClient.get(port: t.port, "/api/v1/mediation-bodies/nearest?" + query)
            XCTAssertEqual(answer.status, 422, query)
            XCTAssertEqual(answer.errorFields.sorted(), fields.sorted(), query)
        }
        let list = try HTTPClient.get(port: t.port, "/api/v1/mediation-bodies?unit_id=x&limit=5000")
        XCTAssertEqual(list.status, 422)
        XCTAssertEqual(list.errorFields.sorted(), ["limit", "unit_id"])
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/mediation-bodies").errorFields, ["unit_id"])
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/mediation-bodies?unit_id=999999999").status, 404)
    }

    func testThePageIsPublicAndItsPolicyAllowsOnlyTheConfiguredTiles() throws {
        let plain = try TestApp()
        let page = try HTTPClient.get(port: plain.port, "/mediation-map")
        XCTAssertEqual(page.status, 200)
        let csp = page.header("content-security-policy") ?? ""
        XCTAssertTrue(csp.contains("script-src 'self'") && csp.contains("img-src 'self' data:;"), csp)
        XCTAssertFalse(page.text.contains("leaflet"), "no tile service: no map")
        XCTAssertFalse(page.text.contains("<script>"), "no inline script")
        XCTAssertEqual(try HTTPClient.get(port: plain.port, "/mediation-map/map.js").status, 200)
        XCTAssertEqual(try HTTPClient.get(port: plain.port, "/static/leaflet/images/..%2Fleaflet.js").status, 404)

        let leaflet = FileManager.default.fileExists(atPath: "/usr/share/javascript/leaflet/leaflet.js")
        let tiled = try TestApp { $0.mapTiles = MapTiles(template: "https://t{s}.tiles.example.cn/{z}/{x}/{y}.png?tk=k", attribution: "© 示例") }
        let map = try HTTPClient.get(port: tiled.port, "/mediation-map")
        let tiledCSP = map.header("content-security-policy") ?? ""
        if leaflet {
            XCTAssertTrue(tiledCSP.contains("img-src 'self' data: https://*.tiles.example.cn;"), tiledCSP)
            XCTAssertTrue(map.text.contains("/static/leaflet/leaflet.js"))
            XCTAssertEqual(try HTTPClient.get(port: tiled.port, "/static/leaflet/leaflet.js").status, 200)
            XCTAssertEqual(try HTTPClient.get(port: tiled.port, "/static/leaflet/images/marker-icon.png").status, 200)
        }
        // Leaflet missing: the page is a list and the policy names no tile host.
        let missing = try TestApp {
            $0.mapTiles = MapTiles(template: "https://tiles.example.cn/{z}/{x}/{y}.png", attribution: "")
            $0.leafletDirectory = "/nonexistent"
        }
        let listOnly = try HTTPClient.get(port: missing.port, "/mediation-map")
        XCTAssertFalse(listOnly.text.contains("leaflet"))
        XCTAssertFalse((listOnly.header("content-security-policy") ?? "").contains("example.cn"))
        XCTAssertNil(MapTiles(template: "javascript:alert(1)//{z}{x}{y}", attribution: ""))
        XCTAssertNil(MapTiles(template: "https://a'b.cn/{z}/{x}/{y}", attribution: ""))
    }

    struct List: Decodable { let items: [Body] }
    struct Body: Decodable {
        let id: Int64
        let code: String
        let name: String
        let kind: String
        let phone: String?
        let distanceM: Double?
    }
    struct Areas: Decodable { let items: [Area] }
    struct Area: Decodable { let id: Int64; let bodies: Int }
}
