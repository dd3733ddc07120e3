import Foundation
import HuiyinCore
import HuiyinStore
import Postgres
import TestSupport
import XCTest

private struct HouseholdRow: Decodable {
    let id: Int
    let gridId: Int
    let sealed: Bool
    let address: String?
    let headName: String?
    let phone: String?
    let categories: [String]
    let grade: String?
    let colour: String?
}
private struct HouseholdRows: Decodable { let households: [HouseholdRow]; let nextBeforeId: Int? }
private struct HouseholdMemberRead: Decodable { let name: String; let relation: String; let isMinor: Bool }
private struct ClassificationRead: Decodable { let grade: String; let colour: String; let reason: String; let setBy: Int; let reviewOn: String }
private struct HouseholdRead: Decodable {
    let id: Int
    let sealed: Bool
    let masked: Bool
    let address: String?
    let headName: String?
    let phone: String?
    let members: [HouseholdMemberRead]
    let matters: [String]
    let classification: ClassificationRead?
}

/// The key-household register against the real database: a grid worker sees her grids only, the
/// village, township and county above see every grid below them, a neighbour sees nothing (404);
/// lists mask personal data, a domestic-violence or minor's household is sealed, every read is audited.
final class HouseholdRegisterTests: XCTestCase {
    var t: TestApp!
    var county = "", township = "", village = "", gridA = "", gridB = "", neighbourVillage = "", neighbourGrid = ""
    var worker: (StaffUser, String)!, officer: (StaffUser, String)!, neighbourWorker: (StaffUser, String)!
    var villageChair: (StaffUser, String)!, townshipHandler: (StaffUser, String)!, countySupervisor: (StaffUser, String)!
    var neighbourHandler: (StaffUser, String)!

    override func setUpWithError() throws {
        t = try TestApp()
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
        townshipHandler = try t.newOperator(role: .handler, unit: township)
        countySupervisor = try t.newOperator(role: .supervisor, unit: county)
        neighbourHandler = try t.newOperator(role: .handler, unit: neighbourVillage)
    }

    override func tearDown() { t = nil }

    func add(_ grid: String, by who: (StaffUser, String), matters: [String] = [], members: [[String: Any]] = [],
             address: String = "海安市城东镇幸福村3组18号") throws -> Int {
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/households", token: who.1, [
            "grid_id": try t.unitID(grid), "address": address, "head_name": "王秀英", "phone": "138 0717 1234",
            "categories": ["empty_nest_or_left_behind"], "matters": matters, "members": members,
        ] as [String: Any])
        XCTAssertEqual(r.status, 201, r.text)
        return try r.decode(Created.self).id
    }

    fileprivate func list(_ who: (StaffUser, String), grid: String? = nil) throws -> [HouseholdRow] {
        let path = try grid.map { "/api/v1/households?grid_id=\(try t.unitID($0))" } ?? "/api/v1/households"
        let r = try HTTPClient.get(port: t.port, path, token: who.1)
        XCTAssertEqual(r.status, 200, r.text)
        return try r.decode(HouseholdRows.self).households
    }

    func read(_ id: Int, _ who: (StaffUser, String)) throws -> HTTPResult {
        try HTTPClient.get(port: t.port, "/api/v1/households/\(id)", token: who.1)
    }

    func testScopeOfEveryListAndRead() throws {
        let inA = try add(gridA, by: worker)
        let inB = try add(gridB, by: villageChair)
        let theirs = try add(neighbourGrid, by: neighbourWorker)

        // A grid worker assigned to grid A sees A only; the information officer assigned A and B sees both.
        XCTAssertEqual(Set(try list(worker).map(\.id)), [inA])
        XCTAssertEqual(Set(try list(officer).map(\.id)), [inA, inB])
        // The village, the township and the county above see every grid below them.
        XCTAssertEqual(Set(try list(villageChair).map(\.id)), [inA, inB])
        XCTAssertEqual(Set(try list(townshipHandler).map(\.id)), [inA, inB, theirs])
        XCTAssertEqual(Set(try list(countySupervisor).map(\.id)), [inA, inB, theirs])
        XCTAssertEqual(Set(try list(villageChair, grid: gridB).map(\.id)), [inB])
        // A neighbour sees nothing: an empty list, 404 for the grid and for each read.
        XCTAssertEqual(try list(neighbourHandler).map(\.id), [theirs])
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/households?grid_id=\(try t.unitID(gridA))", token: neighbourHandler.1).status, 404)
        XCTAssertEqual(try read(inA, neighbourHandler).status, 404)
        XCTAssertEqual(try read(inA, neighbourWorker).status, 404)
        XCTAssertEqual(try read(inB, worker).status, 404, "grid B is not hers though it is in her village")
        XCTAssertEqual(try read(inB, officer).status, 200)
        XCTAssertEqual(try read(theirs, townshipHandler).status, 200)
        // Nor may she put a household on a grid that is not hers.
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/households", token: worker.1, [
            "grid_id": try t.unitID(gridB), "address": "某地", "head_name": "李", "categories": ["family_in_hardship"],
        ] as [String: Any])
        XCTAssertEqual(r.status, 404, r.text)
    }

    func testListsMaskPersonalDataAndTheReadShowsItWhole() throws {
        let id = try add(gridA, by: worker)
        let row = try XCTUnwrap(try list(villageChair).first { $0.id == id })
        XCTAssertEqual(row.address, "海安市城东镇****")
        XCTAssertEqual(row.headName, "王**")
        XCTAssertEqual(row.phone, "138****1234")
        XCTAssertEqual(row.categories, ["empty_nest_or_left_behind"])
        let whole = try read(id, villageChair)
        XCTAssertEqual(whole.status, 200, whole.text)
        let record = try whole.decode(HouseholdRead.self)
        XCTAssertFalse(record.masked)
        XCTAssertEqual(record.address, "海安市城东镇幸福村3组18号")
        XCTAssertEqual(record.headName, "王秀英")
        XCTAssertEqual(record.phone, "13807171234")
    }

    func testDomesticViolenceOrAMinorSealsTheHousehold() throws {
        let violence = try add(gridA, by: worker, matters: ["domestic_violence"])
        let child = try add(gridA, by: worker, members: [["name": "李小红", "relation": "child", "age": 9]])
        let plain = try add(gridA, by: worker)
        for id in [violence, child] {
            let row = try XCTUnwrap(try list(villageChair).first { $0.id == id })
            XCTAssertTrue(row.sealed)
            XCTAssertNil(row.address); XCTAssertNil(row.headName); XCTAssertNil(row.phone)
            XCTAssertEqual(row.categories, [])
            // The village chair is in scope but outside the seal's circle: masked.
            let masked = try read(id, villageChair).decode(HouseholdRead.self)
            XCTAssertTrue(masked.masked)
            XCTAssertNil(masked.address); XCTAssertEqual(masked.members.count, 0)
            // The grid worker of the grid and a supervisor above open it.
            for who in [worker!, countySupervisor!] {
                let opened = try read(id, who).decode(HouseholdRead.self)
                XCTAssertFalse(opened.masked)
                XCTAssertEqual(opened.headName, "王秀英")
            }
        }
        XCTAssertEqual(try read(child, worker).decode(HouseholdRead.self).members.map(\.isMinor), [true])
        XCTAssertEqual(try read(child, worker).decode(HouseholdRead.self).matters, ["minor"])
        XCTAssertFalse(try XCTUnwrap(try list(villageChair).first { $0.id == plain }).sealed)
        // The database seals whatever path writes the matter, and an update never lifts a seal.
        try t.store.pool.withConnection { db in
            _ = try db.execute("UPDATE households SET matters = '{domestic_violence}' WHERE id = \(Int64(plain))")
            _ = try db.execute("UPDATE households SET matters = '{}' WHERE id = \(Int64(plain))")
        }
        XCTAssertTrue(try XCTUnwrap(try list(villageChair).first { $0.id == plain }).sealed)
    }

    func testEveryReadIsAuditedAndTheAuditCannotBeChanged() throws {
        let id = try add(gridA, by: worker, matters: ["domestic_violence"])
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM household_reads WHERE household_id = \(id)"), 0)
        _ = try read(id, worker)
        _ = try read(id, villageChair)
        _ = try read(id, neighbourHandler)   // 404: outside her scope, nothing read
        let reads = try t.store.householdReads(id: Int64(id))
        XCTAssertEqual(reads.map(\.userID), [worker.0.id, villageChair.0.id])
        XCTAssertEqual(reads.map(\.masked), [false, true])
        XCTAssertEqual(reads.map(\.view), ["household", "household"])
        XCTAssertThrowsError(try t.store.pool.withConnection { db in
            try db.execute("DELETE FROM household_reads WHERE household_id = \(Int64(id))")
        })
    }

    func testClassificationIsKeptWithWhoAndWhen() throws {
        let id = try add(gridA, by: worker)
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/households/\(id)/classification", token: villageChair.1,
                                    ["grade": "B", "colour": "orange", "reason": "丈夫失业，两个孩子上学", "review_on": "2099-03-01"])
        XCTAssertEqual(r.status, 204, r.text)
        let set = try XCTUnwrap(try read(id, worker).decode(HouseholdRead.self).classification)
        XCTAssertEqual(set.grade, "B"); XCTAssertEqual(set.colour, "orange")
        XCTAssertEqual(set.setBy, Int(villageChair.0.id)); XCTAssertEqual(set.reviewOn, "2099-03-01")
        XCTAssertEqual(try list(worker).first { $0.id == id }?.grade, "B")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM household_classifications WHERE household_id = \(id)"), 1)
        // Out of scope: 404, nothing written.
        let theirs = try HTTPClient.json(port: t.port, "POST", "/api/v1/households/\(id)/classification", token: neighbourHandler.1,
                                         ["grade": "A", "colour": "red", "reason": "x", "review_on": "2099-03-01"])
        XCTAssertEqual(theirs.status, 404)
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM household_classifications WHERE household_id = \(id)"), 1)
    }

    func testBadInputListsEveryFieldAndWritesNothing() throws {
        let before = try t.count("SELECT count(*) AS n FROM households")
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/households", token: worker.1, [
            "address": "", "phone": "12", "categories": ["rich"], "colour": "red",
            "members": [["name": "小红", "relation": "cousin", "age": 200]],
        ] as [String: Any])
        XCTAssertEqual(r.status, 422, r.text)
        XCTAssertEqual(Set(r.errorFields), ["grid_id", "address", "head_name", "phone", "categories[0]", "colour",
                                            "members[0].relation", "members[0].age"])
        let c = try HTTPClient.json(port: t.port, "POST", "/api/v1/households/1/classification", token: worker.1,
                                    ["grade": "D", "colour": "blue", "review_on": "yesterday"])
        XCTAssertEqual(c.status, 422, c.text)
        XCTAssertEqual(Set(c.errorFields), ["grade", "colour", "reason", "review_on"])
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM households"), before)
    }

    func testGridsAndProfilesComeFromTheUnitImport() throws {
        let code = village + "-g"
        let rows = try UnitCSV.parse("""
            code,name,level,parent_code,households,residents,children,elderly_alone,womens_groups
            \(code),第九网格,grid,\(village),1380,4217,305,6,1号楼 巾帼志愿者小组
            """).get()
        XCTAssertEqual(try t.store.importUnits(rows), UnitImportReport(created: 1))
        XCTAssertEqual(try t.store.gridProfile(unitCode: code),
                       GridProfile(households: 1380, residents: 4217, children: 305, elderlyAlone: 6, womensGroups: "1号楼 巾帼志愿者小组"))
        // A grid only sits under a village, and only a grid is assigned to a grid worker.
        XCTAssertThrowsError(try t.store.addUnit(code: code + "x", name: "错位网格", level: "grid", parentCode: township))
        XCTAssertThrowsError(try t.newOperator(role: .gridWorker, unit: village))
    }

    func classify(_ id: Int, colour: String, reviewOn: String, by who: (StaffUser, String)) throws {
        let r = try HTTPClient.json(port: t.port, "POST", "/api/v1/households/\(id)/classification", token: who.1,
                                    ["grade": "B", "colour": colour, "reason": "定期回访", "review_on": reviewOn])
        XCTAssertEqual(r.status, 204, r.text)
    }

    fileprivate func page(_ query: String, _ who: (StaffUser, String)) throws -> HouseholdRows {
        let r = try HTTPClient.get(port: t.port, "/api/v1/households?" + query, token: who.1)
        XCTAssertEqual(r.status, 200, r.text)
        return try r.decode(HouseholdRows.self)
    }

    func testTheListPagesWithBeforeIDAndFiltersWithoutRevealingSealedRows() throws {
        var ids: [Int] = []
        for _ in 0..<5 { ids.append(try add(gridA, by: worker)) }
        let sealed = try add(gridA, by: worker, matters: ["domestic_violence"])
        try classify(ids[0], colour: "red", reviewOn: "2099-01-01", by: worker)
        try classify(sealed, colour: "red", reviewOn: "2099-01-01", by: worker)
        // Two at a time, newest first, until no next_before_id: every household once.
        var seen: [Int] = []
        var query = "grid_id=\(try t.unitID(gridA))&limit=2"
        while true {
            let rows = try page(query, villageChair)
            XCTAssertLessThanOrEqual(rows.households.count, 2)
            seen += rows.households.map(\.id)
            guard let next = rows.nextBeforeId else { break }
            XCTAssertEqual(next, rows.households.last?.id)
            query = "grid_id=\(try t.unitID(gridA))&limit=2&before_id=\(next)"
        }
        XCTAssertEqual(seen, (ids + [sealed]).sorted(by: >))
        // Filters by what a row shows: the sealed household, red too, is never matched by its colour.
        XCTAssertEqual(try page("colour=red", villageChair).households.map(\.id), [ids[0]])
        XCTAssertEqual(try page("colour=red", worker).households.map(\.id), [ids[0]])
        XCTAssertEqual(Set(try page("category=empty_nest_or_left_behind", villageChair).households.map(\.id)), Set(ids))
        XCTAssertEqual(try page("category=family_in_hardship", villageChair).households.map(\.id), [])
        XCTAssertEqual(try page("review_due=true", villageChair).households.map(\.id), [], "no review day has passed yet")
        // A review day passed: set on a day long ago, it lies behind today.
        let past = Store(pool: t.store.pool, timeZone: t.store.timeZone, rules: t.store.rules, region: t.store.region,
                         now: { Date(timeIntervalSince1970: 1_700_000_000) })
        _ = try past.classifyHousehold(id: Int64(ids[1]), HouseholdClassification(grade: .c, colour: .pink, reason: "按季回访",
                                                                                 reviewOn: past.today.adding(days: 90)), by: worker.0)
        XCTAssertEqual(try page("review_due=true", villageChair).households.map(\.id), [ids[1]])
        // Bad paging or filters: 422 naming each, outside her grids: 404.
        let bad = try HTTPClient.get(port: t.port, "/api/v1/households?limit=0&before_id=x&colour=blue&category=rich&review_due=maybe",
                                     token: villageChair.1)
        XCTAssertEqual(bad.status, 422, bad.text)
        XCTAssertEqual(Set(bad.errorFields), ["limit", "before_id", "colour", "category", "review_due"])
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/households?grid_id=\(try t.unitID(gridB))", token: worker.1).status, 404)
    }

    func testTheExportIsMaskedRecordedAndShowsOnlyTheGridOfASealedHousehold() throws {
        let plain = try add(gridA, by: worker)
        try classify(plain, colour: "orange", reviewOn: "2099-01-01", by: worker)
        _ = try add(gridA, by: worker, matters: ["domestic_violence"])
        _ = try add(neighbourGrid, by: neighbourWorker)
        let r = try HTTPClient.get(port: t.port, "/api/v1/households/export.csv?grid_id=\(try t.unitID(gridA))", token: villageChair.1)
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(r.header("content-type"), "text/csv; charset=utf-8")
        XCTAssertEqual(Array(r.body.prefix(3)), [0xEF, 0xBB, 0xBF], "UTF-8 with BOM")
        let lines = r.text.replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: "\r\n").map(String.init)
        XCTAssertEqual(lines.count, 3, r.text)
        XCTAssertTrue(lines[0].hasPrefix("编号,网格,密封,地址,户主,联系电话"))
        let gridName = try t.store.unitName(try t.unitID(gridA))
        XCTAssertEqual(lines[1], ",\(gridName),是,,,,,,,,", "a sealed row: its grid and that it is sealed")
        XCTAssertEqual(lines[2], "\(plain),\(gridName),否,海安市城东镇****,王**,138****1234,空巢老人及留守妇女儿童,B,橙,2099-01-01,否")
        XCTAssertFalse(r.text.contains("王秀英") || r.text.contains("13807171234") || r.text.contains("幸福村"))
        let export = try XCTUnwrap(try t.store.exports(by: villageChair.0.id).first)
        XCTAssertEqual(export.list, .households)
        XCTAssertEqual(export.rowCount, 2)
        XCTAssertTrue(export.filterJSON.contains("grid_id"))
        // Her scope holds for the export as for the list.
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/households/export.csv?grid_id=\(try t.unitID(gridA))",
                                          token: neighbourHandler.1).status, 404)
        XCTAssertEqual(try HTTPClient.get(port: t.port, "/api/v1/households/export.csv", token: neighbourWorker.1).text
            .split(separator: "\r\n").count, 2)
    }
}
