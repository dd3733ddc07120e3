import XCTest
@testable import HuiyinCore

final class PhoneAndIdentityTests: XCTestCase {
    func testPhoneNumbersAreReducedToDigits() {
        XCTAssertEqual(PhoneNumber("138 0013 8000")?.digits, "13800138000")
        XCTAssertEqual(PhoneNumber("+86 138-0013-8000")?.digits, "13800138000")
        XCTAssertEqual(PhoneNumber("0086 13800138000")?.digits, "13800138000")
        XCTAssertEqual(PhoneNumber("8613800138000")?.digits, "13800138000")
        XCTAssertEqual(PhoneNumber("(0717) 6221 2338")?.digits, "071762212338")
        XCTAssertEqual(PhoneNumber("6221233")?.digits, "6221233")
    }

    func testImpossiblePhoneNumbersAreRefused() {
        for text in ["", "abc", "12345", "1380013800", "138001380001", "12800138000", "0717", "1380013800x"] {
            XCTAssertNil(PhoneNumber(text), text)
        }
    }

    func testPhoneMaskKeepsThreeAndFour() {
        XCTAssertEqual(PhoneNumber("13800138000")?.masked, "138****8000")
        XCTAssertEqual(PhoneNumber("071762212338")?.masked, "071*****2338")
    }

    func testResidentIDChecksum() {
        // 11010519491231002X is the standard's worked example.
        let id = ResidentIDNumber("11010519491231002x")
        XCTAssertEqual(id?.value, "11010519491231002X")
        XCTAssertEqual(id?.birthDate, LocalDate(year: 1949, month: 12, day: 31))
        XCTAssertNil(ResidentIDNumber("110105194912310021"), "wrong check character")
        XCTAssertNil(ResidentIDNumber("11010519491331002X"), "month 13")
        XCTAssertNil(ResidentIDNumber("11010519491231002"), "17 characters")
    }

    func testMinorityFollowsBirthday() {
        let id = ResidentIDNumber(Self.idNumber(birth: "20081124"))!
        XCTAssertTrue(id.isMinor(on: LocalDate(year: 2026, month: 11, day: 23)!))
        XCTAssertFalse(id.isMinor(on: LocalDate(year: 2026, month: 11, day: 24)!))
    }

    func testLocalDateArithmeticAndParsing() {
        let day = LocalDate(iso: "2024-02-28")!
        XCTAssertEqual(day.adding(days: 1).description, "2024-02-29")
        XCTAssertEqual(day.adding(days: 2).description, "2024-03-01")
        XCTAssertEqual(LocalDate(iso: "1970-01-01")?.dayNumber, 0)
        XCTAssertEqual(LocalDate(dayNumber: LocalDate(iso: "2026-12-31")!.dayNumber).description, "2026-12-31")
        XCTAssertNil(LocalDate(iso: "2025-02-29"))
        XCTAssertNil(LocalDate(iso: "2026-1-05"))
        XCTAssertNil(LocalDate(iso: "２０２６-01-05"))
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        // 2026-11-23 17:00 UTC is already the 24th in Shanghai.
        XCTAssertEqual(LocalDate(Date(timeIntervalSince1970: 1_795_453_200), in: shanghai).description, "2026-11-24")
    }

    func testTrackingNumbersAndQueryCodes() {
        XCTAssertEqual(TrackingNumber.prefix(for: LocalDate(year: 2026, month: 11, day: 3)!), "HY20261103-")
        XCTAssertTrue(TrackingNumber.isWellFormed("HY20261103-000042"))
        XCTAssertTrue(TrackingNumber.isWellFormed("HY20261103-1000042"))
        XCTAssertFalse(TrackingNumber.isWellFormed("HY20261103-42"))
        XCTAssertFalse(TrackingNumber.isWellFormed("HX20261103-000042"))
        XCTAssertFalse(TrackingNumber.isWellFormed("HY2026110a-000042"))

        var seen = Set<String>()
        for _ in 0..<200 {
            let code = QueryCode.generate()
            XCTAssertEqual(code.count, 9)
            XCTAssertEqual(QueryCode.normalize(code.lowercased()), code.replacingOccurrences(of: "-", with: ""))
            seen.insert(code)
        }
        XCTAssertGreaterThan(seen.count, 195, "codes must be random")
        XCTAssertNil(QueryCode.normalize("ABCD-EFG0"), "0 is not in the alphabet")
        XCTAssertNil(QueryCode.normalize("ABC"))
    }

    /// An ID number with a correct check character for the given birth date.
    static func idNumber(birth: String) -> String {
        let body = "420502" + birth + "123"
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }
}
