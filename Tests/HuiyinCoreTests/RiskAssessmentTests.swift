import XCTest
@testable import HuiyinCore

final class RiskAssessmentTests: XCTestCase {
    let checklist = RiskChecklist.federation

    /// Every question answered: the given ids yes, all others no.
    func answers(yes: [String]) -> [String: Bool] {
        Dictionary(uniqueKeysWithValues: checklist.questions.map { ($0.id, yes.contains($0.id)) })
    }

    func assess(yes: [String]) throws -> RiskAssessment {
        try checklist.assess(answers(yes: yes)).get()
    }

    func testTheChecklistIsWellFormed() {
        let ids = checklist.questions.map(\.id)
        XCTAssertEqual(Set(ids).count, ids.count, "ids are unique")
        XCTAssertTrue((12...14).contains(ids.count))
        for question in checklist.questions {
            XCTAssertTrue(question.id.allSatisfy { $0.isLowercase || $0 == "_" }, question.id)
            XCTAssertTrue(question.text.hasSuffix("？"), question.text)
            XCTAssertTrue((1...2).contains(question.points), question.id)
        }
        let decisive = Set(checklist.questions.filter(\.makesHigh).map(\.id))
        XCTAssertTrue(decisive.isSuperset(of: ["threat_to_kill", "weapon", "strangulation"]))
    }

    func testScoreBoundariesThreeFourFiveSix() throws {
        // Only one-point questions that do not decide alone, so the score alone sets the grade.
        let ones = ["escalating", "violence_in_pregnancy", "substance_abuse", "stalking_after_separation",
                    "abuser_suicide_threat", "children_involved"]
        XCTAssertTrue(ones.allSatisfy { id in checklist.questions.contains { $0.id == id && $0.points == 1 && !$0.makesHigh } })
        let expected: [(Int, RiskGrade)] = [(0, .low), (3, .low), (4, .medium), (5, .medium), (6, .high)]
        for (score, grade) in expected {
            let result = try assess(yes: Array(ones.prefix(score)))
            XCTAssertEqual(result.score, score)
            XCTAssertEqual(result.grade, grade, "score \(score)")
            XCTAssertEqual(result.decisive, [])
        }
    }

    func testASingleDecisiveAnswerMakesHighWithALowScore() throws {
        for id in ["threat_to_kill", "weapon", "strangulation"] {
            let result = try assess(yes: [id])
            XCTAssertLessThanOrEqual(result.score, 3)
            XCTAssertEqual(result.grade, .high, id)
            XCTAssertEqual(result.decisive, [id])
            XCTAssertEqual(result.yes, [id])
        }
    }

    func testYesAnswersAreListedInChecklistOrder() throws {
        let result = try assess(yes: ["afraid_to_go_home", "weapon", "escalating"])
        XCTAssertEqual(result.yes, ["weapon", "escalating", "afraid_to_go_home"])
        XCTAssertEqual(result.decisive, ["weapon"])
        XCTAssertEqual(result.score, 4)
    }

    func testMissingAndUnknownAnswersAreReportedTogether() {
        var given = answers(yes: [])
        given["weapon"] = nil
        given["afraid_to_go_home"] = nil
        given["gun"] = true
        given["threat_to_kil"] = false
        guard case .failure(let failure) = checklist.assess(given) else { return XCTFail("incomplete answers accepted") }
        XCTAssertEqual(failure.fields, [
            FieldError("answers.weapon", "must be answered (true or false)"),
            FieldError("answers.afraid_to_go_home", "must be answered (true or false)"),
            FieldError("answers.gun", "is not a question of the checklist"),
            FieldError("answers.threat_to_kil", "is not a question of the checklist"),
        ])
    }

    func testNoAnswersAtAllMeansEveryQuestionIsMissing() {
        guard case .failure(let failure) = checklist.assess([:]) else { return XCTFail("empty answers accepted") }
        XCTAssertEqual(failure.fields.map(\.field), checklist.questions.map { "answers.\($0.id)" })
    }

    func testAVictimWithoutFullCapacityRequiresAMandatoryReport() throws {
        let question = try XCTUnwrap(checklist.questions.first { $0.id == "victim_without_full_capacity" })
        XCTAssertEqual(question.mandatoryReport, .violenceWithoutFullCapacity)
        XCTAssertEqual(try assess(yes: ["victim_without_full_capacity"]).mandatoryReports, [.violenceWithoutFullCapacity])
        XCTAssertEqual(try assess(yes: ["escalating", "weapon"]).mandatoryReports, [])
        XCTAssertEqual(checklist.questions.compactMap(\.mandatoryReport), [.violenceWithoutFullCapacity],
                       "only the capacity question triggers a report")
    }

    func testGradesAreOrderedAndLabelled() {
        XCTAssertLessThan(RiskGrade.low, .medium)
        XCTAssertLessThan(RiskGrade.medium, .high)
        XCTAssertEqual(RiskGrade.allCases.sorted(), [.low, .medium, .high])
        XCTAssertEqual(RiskGrade.allCases.map(\.label), ["低风险", "中风险", "高风险"])
    }
}
