import Foundation
import HuiyinCore
import HuiyinStore
import TestSupport
import XCTest

/// `huiyin unit import`: a CSV of the tree goes in whole or not at all, parents before children,
/// levels one below their parent, known units renamed but never moved.
final class UnitImportTests: XCTestCase {
    func testATreeImportsWholeOrNotAtAll() throws {
        let t = try TestApp()
        let p = "imp" + UUID().uuidString.prefix(6).lowercased()
        let csv = """
            code,name,level,parent_code
            \(p)-v,"青龙村妇联",village,\(p)-tw
            \(p)-c,测试二市妇联,city,t
            \(p)-cy,测试二县妇联,county,\(p)-c
            \(p)-tw,测试二镇妇联,township,\(p)-cy
            """
        let rows = try UnitCSV.parse(csv).get()
        XCTAssertEqual(try t.store.importUnits(rows), UnitImportReport(created: 4, renamed: 0, unchanged: 0))
        let path = try t.store.pool.withConnection { db in
            try db.query("SELECT array_length(path, 1) AS depth FROM units WHERE code = \(p + "-v")").first!.decode("depth", as: Int.self)
        }
        XCTAssertEqual(path, 5, "province → city → county → township → village")
        // Again with a rename: only the name changes.
        let renamed = try UnitCSV.parse(csv.replacingOccurrences(of: "测试二县妇联", with: "测试二区妇联")).get()
        XCTAssertEqual(try t.store.importUnits(renamed), UnitImportReport(created: 0, renamed: 1, unchanged: 3))
        // A file that would move a known unit, or hang a unit under the wrong level, changes nothing.
        let before = try t.count("SELECT count(*) AS n FROM units")
        let moving = try UnitCSV.parse("""
            code,name,level,parent_code
            \(p)-new,新镇妇联,township,\(p)-cy
            \(p)-tw,测试二镇妇联,township,t-c-a
            """).get()
        XCTAssertThrowsError(try t.store.importUnits(moving))
        let misplaced = try UnitCSV.parse("code,name,level,parent_code\n\(p)-x,某村妇联,village,t-c\n").get()
        XCTAssertThrowsError(try t.store.importUnits(misplaced), "a village directly under a city")
        XCTAssertEqual(try t.count("SELECT count(*) AS n FROM units"), before, "nothing imported from a bad file")
    }
}
