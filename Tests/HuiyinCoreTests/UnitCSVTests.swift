import XCTest
@testable import HuiyinCore

final class UnitCSVTests: XCTestCase {
    func rows(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [UnitRow] {
        switch UnitCSV.parse(text) {
        case .success(let rows): return rows
        case .failure(let failure): XCTFail("\(failure)", file: file, line: line); return []
        }
    }

    func problems(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [UnitCSV.Problem] {
        if case .failure(let failure) = UnitCSV.parse(text) { return failure.problems }
        XCTFail("accepted", file: file, line: line)
        return []
    }

    func testAPlainFileParses() {
        let parsed = rows("""
            code,name,level,parent_code
            42,湖北省妇联,province,
            4205,宜昌市妇联,city,42
            420506,夷陵区妇联,county,4205
            """)
        XCTAssertEqual(parsed, [
            UnitRow(code: "42", name: "湖北省妇联", level: .province, parentCode: nil),
            UnitRow(code: "4205", name: "宜昌市妇联", level: .city, parentCode: "42"),
            UnitRow(code: "420506", name: "夷陵区妇联", level: .county, parentCode: "4205"),
        ])
    }

    func testQuotingBomCrlfAndEmptyLines() {
        let text = "\u{FEFF}code,name,level,parent_code\r\n\r\n"
            + "\"4205\",\"宜昌市妇联, 12338热线\",city,42\r\n"
            + "420506,\"夷陵区\"\"巾帼\"\"妇联\",county,\"4205\"\r\n"
            + "\r\n"
        XCTAssertEqual(rows(text), [
            UnitRow(code: "4205", name: "宜昌市妇联, 12338热线", level: .city, parentCode: "42"),
            UnitRow(code: "420506", name: "夷陵区\"巾帼\"妇联", level: .county, parentCode: "4205"),
        ])
    }

    func testABadHeaderStopsEverything() {
        XCTAssertEqual(problems("code,name,level\n42,湖北省妇联,province\n"),
                       [UnitCSV.Problem(line: 1, message: "the header must be `code,name,level,parent_code`, "
                        + "optionally followed by any of households, residents, children, elderly_alone, womens_groups once each")])
        XCTAssertEqual(problems("\n\nid,name,level,parent_code\n").map(\.line), [3], "the header's own line")
        XCTAssertEqual(problems("").map(\.line), [1])
        XCTAssertEqual(problems("code,name,level,parent_code\n").count, 1, "a header alone imports nothing")
    }

    func testAChildBeforeItsParentIsReordered() {
        let parsed = rows("""
            code,name,level,parent_code
            42050601,小溪塔街道妇联,township,420506
            420506001,某社区妇联,village,42050601
            420506,夷陵区妇联,county,4205
            4205,宜昌市妇联,city,42
            """)
        XCTAssertEqual(parsed.map(\.code), ["4205", "420506", "42050601", "420506001"])
    }

    func testAParentOutsideTheFileIsLeftToTheCaller() {
        XCTAssertEqual(rows("code,name,level,parent_code\n420506,夷陵区妇联,county,4205\n").map(\.parentCode), ["4205"])
    }

    func testEveryRowProblemIsReportedWithItsLine() {
        let found = problems("""
            code,name,level,parent_code
            42,湖北省妇联,province,
            4205,宜昌市妇联,city,42
            4205,宜昌市妇联（重复）,city,42
            420506,夷陵区妇联,township,4205
            43,湖南省妇联,province,4205
            bad code,某妇联,county,4205
            4206,,town,42
            4207,襄阳市妇联,city,
            4208,荆州市妇联,city
            """)
        XCTAssertEqual(found, [
            UnitCSV.Problem(line: 4, message: "code `4205` is already on line 3"),
            UnitCSV.Problem(line: 5, message: "parent `4205` (line 3) is a city; a township unit's parent must be a county"),
            UnitCSV.Problem(line: 6, message: "a province has no parent_code"),
            UnitCSV.Problem(line: 7, message: "code `bad code` must be 1–64 letters, digits, _ or -"),
            UnitCSV.Problem(line: 8, message: "name is empty"),
            UnitCSV.Problem(line: 8, message: "level `town` must be one of province, city, county, township, village, grid"),
            UnitCSV.Problem(line: 9, message: "parent_code is required for a city unit"),
            UnitCSV.Problem(line: 10, message: "expected 4 fields (code,name,level,parent_code), found 3"),
        ])
    }

    func testLimitsOnCodeAndName() {
        let longCode = String(repeating: "a", count: 65)
        let longName = String(repeating: "妇", count: 101)
        let found = problems("code,name,level,parent_code\n\(longCode),某妇联,province,\n42,\(longName),province,\n")
        XCTAssertEqual(found.map(\.line), [2, 3])
        XCTAssertTrue(rows("code,name,level,parent_code\n\(String(repeating: "a", count: 64)),\(String(repeating: "妇", count: 100)),province,\n").count == 1)
    }

    func testBrokenQuotingIsReportedAtTheRecordsFirstLine() {
        let found = problems("code,name,level,parent_code\n4205,宜昌\"市\"妇联,city,42\n4206,\"荆州市妇联\"x,city,42\n4207,\"襄阳市\n妇联,city,42\n")
        XCTAssertEqual(found.map(\.line), [2, 3, 4])
        XCTAssertEqual(found.last?.message, "a quoted field is not closed")
    }

    func testAQuotedLineBreakKeepsLaterLineNumbersRight() {
        let found = problems("code,name,level,parent_code\n4205,\"宜昌市\r\n妇联\",city,42\n4206,,city,42\n")
        XCTAssertEqual(found, [
            UnitCSV.Problem(line: 2, message: "name contains a line break or control character"),
            UnitCSV.Problem(line: 4, message: "name is empty"),
        ])
    }

    func testLevelsAreOrderedWithTheirChildren() {
        XCTAssertEqual(UnitLevel.allCases.sorted(), [.province, .city, .county, .township, .village, .grid])
        XCTAssertEqual(UnitLevel.allCases.map(\.child), [.city, .county, .township, .village, .grid, nil])
        XCTAssertEqual(UnitLevel.township.label, "乡镇（街道）")
    }

    func testGridsCarryTheirProfileFromOptionalColumns() {
        let parsed = rows("""
            code,name,level,parent_code,residents,households,children,elderly_alone,womens_groups
            3206,海安,village,,,,,,
            320601,第一网格,grid,3206,4217,1380,305,6,"1号楼 巾帼志愿者小组, 3号楼 读书会"
            320602,第二网格,grid,3206,,,,,
            """.replacingOccurrences(of: "3206,海安,village,,", with: "3206,海安,village,32,"))
        XCTAssertEqual(parsed.map(\.level), [.village, .grid, .grid])
        XCTAssertNil(parsed[0].profile)
        XCTAssertEqual(parsed[1].profile, GridProfile(households: 1380, residents: 4217, children: 305, elderlyAlone: 6,
                                                      womensGroups: "1号楼 巾帼志愿者小组, 3号楼 读书会"))
        XCTAssertEqual(parsed[2].profile, GridProfile(), "a grid with the columns empty: figures unknown")
        XCTAssertEqual(rows("code,name,level,parent_code\n320601,第一网格,grid,3206\n")[0].profile, nil,
                       "without profile columns a grid has no profile")
    }

    func testProfileProblemsAreAllListed() {
        let found = problems("""
            code,name,level,parent_code,households,children
            3206,海安,village,32,12,
            320601,第一网格,grid,3206,-1,x
            320602,第二网格,village,3206,3
            """)
        XCTAssertEqual(found, [
            UnitCSV.Problem(line: 2, message: "only a grid has a profile (households, residents, children, elderly_alone, womens_groups)"),
            UnitCSV.Problem(line: 3, message: "households `-1` must be a whole number from 0 to 10000000"),
            UnitCSV.Problem(line: 3, message: "children `x` must be a whole number from 0 to 10000000"),
            UnitCSV.Problem(line: 4, message: "expected 6 fields (code,name,level,parent_code,households,children), found 5"),
        ])
        XCTAssertEqual(problems("code,name,level,parent_code,households,households\n").count, 1, "a column twice")
        XCTAssertEqual(problems("code,name,level,parent_code,floors\n").count, 1, "an unknown column")
    }

    func testAGridSitsUnderAVillageOnly() {
        XCTAssertEqual(problems("code,name,level,parent_code\n3206,海安,township,32\n320601,第一网格,grid,3206\n"), [
            UnitCSV.Problem(line: 3, message: "parent `3206` (line 2) is a township; a grid unit's parent must be a village"),
        ])
        XCTAssertEqual(UnitLevel.village.child, .grid)
        XCTAssertNil(UnitLevel.grid.child)
    }
}
