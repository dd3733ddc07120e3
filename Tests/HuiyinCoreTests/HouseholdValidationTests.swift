import XCTest
@testable import HuiyinCore

final class HouseholdValidationTests: XCTestCase {
    let today = LocalDate(iso: "2026-11-29")!

    func testAGoodDraftValidatesAndAMinorMemberIsAMinorsMatter() throws {
        let draft = HouseholdDraft(gridID: 7, address: " 海安市城东镇1号楼302 ", headName: "王芳", phone: "138 0717 1234",
                                   members: [HouseholdMemberDraft(name: "王芳", relation: "self", age: 41),
                                             HouseholdMemberDraft(name: "李小明", relation: "child", birthDate: "2015-03-01")],
                                   categories: ["empty_nest_or_left_behind", "family_in_hardship", "family_in_hardship"])
        let household = try draft.validate(today: today).get()
        XCTAssertEqual(household.address, "海安市城东镇1号楼302")
        XCTAssertEqual(household.phone, "13807171234")
        XCTAssertEqual(household.categories, [.emptyNestOrLeftBehind, .familyInHardship], "a category named twice counts once")
        XCTAssertEqual(household.members.map(\.isMinor), [false, true], "a birth date 11 years back is a minor")
        XCTAssertEqual(household.sealedMatters, [.minor])
        XCTAssertEqual(household.matters, [])
    }

    func testEveryBadFieldIsListed() {
        let draft = HouseholdDraft(address: "", headName: nil, phone: "12",
                                   members: [HouseholdMemberDraft(name: "", relation: "cousin", birthDate: "2030-01-01", age: 200),
                                             HouseholdMemberDraft(name: "小红", relation: "child", age: 9, isMinor: false)],
                                   categories: ["rich"], matters: ["theft"])
        guard case .failure(let failure) = draft.validate(today: today) else { return XCTFail("accepted") }
        XCTAssertEqual(Set(failure.fields.map(\.field)), [
            "grid_id", "address", "head_name", "phone", "categories[0]", "matters[0]",
            "members[0].name", "members[0].relation", "members[0].birth_date", "members[0].age", "members[1].is_minor",
        ])
        guard case .failure(let none) = HouseholdDraft(gridID: 1, address: "a", headName: "b").validate(today: today) else {
            return XCTFail("a household with no reason accepted")
        }
        XCTAssertEqual(none.fields.map(\.field), ["categories"])
    }

    func testClassification() throws {
        let set = try HouseholdClassificationDraft(grade: "B", colour: "orange", reason: "丈夫失业，两个孩子上学",
                                                   reviewOn: "2027-02-28").validate(today: today).get()
        XCTAssertEqual(set, HouseholdClassification(grade: .b, colour: .orange, reason: "丈夫失业，两个孩子上学",
                                                    reviewOn: LocalDate(iso: "2027-02-28")!))
        XCTAssertEqual(HouseholdColour.allCases.map(\.label), ["红", "橙", "粉"])
        guard case .failure(let failure) = HouseholdClassificationDraft(grade: "D", colour: "blue", reason: " ",
                                                                        reviewOn: "2026-11-29").validate(today: today) else {
            return XCTFail("accepted")
        }
        XCTAssertEqual(failure.fields.map(\.field), ["grade", "colour", "reason", "review_on"])
    }

    func testTheGridRolesAreRoles() {
        XCTAssertEqual(StaffRole(rawValue: "grid_worker"), .gridWorker)
        XCTAssertEqual(StaffRole(rawValue: "information_officer"), .informationOfficer)
        XCTAssertTrue(StaffRole.gridWorker.worksInGrids)
        XCTAssertFalse(StaffRole.supervisor.worksInGrids)
    }
}
