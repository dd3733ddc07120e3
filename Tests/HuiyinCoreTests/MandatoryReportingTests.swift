import XCTest
@testable import HuiyinCore

final class MandatoryReportingTests: XCTestCase {
    func testAMinorsSexualAssaultOrDomesticViolenceIsKnownAtIntake() {
        for category in CaseCategory.allCases {
            for minor in [false, true] {
                let expected: [MandatoryReportReason] = !minor ? [] : category == .sexualAssault ? [.minorSexualAssault]
                    : category == .domesticViolence ? [.violenceWithoutFullCapacity] : []
                XCTAssertEqual(MandatoryReporting.reasons(category: category, victimIsMinor: minor), expected,
                               "\(category.rawValue), minor: \(minor)")
            }
        }
    }

    func testReasonsHaveStableKeysLabelsAndLegalBasis() {
        XCTAssertEqual(MandatoryReportReason.allCases.map(\.rawValue),
                       ["minor_sexual_assault", "minor_pregnancy_under_14", "violence_without_full_capacity"])
        XCTAssertEqual(MandatoryReportReason.minorSexualAssault.label, "疑似未成年人遭受性侵害")
        XCTAssertEqual(MandatoryReportReason.minorSexualAssault.legalBasis, "《未成年人保护法》第十一条")
        XCTAssertTrue(MandatoryReportReason.minorPregnancyUnder14.legalBasis.contains("《未成年人保护法》第十一条"))
        XCTAssertEqual(MandatoryReportReason.violenceWithoutFullCapacity.legalBasis, "《反家庭暴力法》第十四条")
        XCTAssertEqual(Set(MandatoryReportReason.allCases.map(\.label)).count, 3)
    }
}
