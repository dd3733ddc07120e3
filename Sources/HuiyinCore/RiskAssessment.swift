/// The danger grade of a domestic-violence case; it decides the handling (high: no mediation,
/// report to the police and the federation above, more follow-up visits).
public enum RiskGrade: String, Sendable, CaseIterable, Comparable {
    case low, medium, high

    public var label: String {
        switch self {
        case .low: return "低风险"
        case .medium: return "中风险"
        case .high: return "高风险"
        }
    }

    public static func < (lhs: RiskGrade, rhs: RiskGrade) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One yes/no question of the danger checklist.
public struct RiskQuestion: Sendable, Equatable {
    /// Stable key of the answer (snake_case English); stored answers refer to it, so never rename one.
    public let id: String
    /// As the operator reads it out; about the victim in the third person, since the caller may be someone else.
    public let text: String
    public let points: Int
    /// A yes makes the grade high regardless of the score: these signs predict lethal violence on their own.
    public let makesHigh: Bool
    /// A yes requires a mandatory report.
    public let mandatoryReport: MandatoryReportReason?

    public init(id: String, text: String, points: Int, makesHigh: Bool = false, mandatoryReport: MandatoryReportReason? = nil) {
        self.id = id
        self.text = text
        self.points = points
        self.makesHigh = makesHigh
        self.mandatoryReport = mandatoryReport
    }
}

/// The outcome of one filled-in checklist.
public struct RiskAssessment: Sendable, Equatable {
    public let score: Int
    public let grade: RiskGrade
    /// Ids answered yes, in checklist order.
    public let yes: [String]
    /// The yes answers that forced the grade high (empty when the score alone decided it).
    public let decisive: [String]
    /// Reports the yes answers require, in checklist order, each once.
    public let mandatoryReports: [MandatoryReportReason]
}

/// The federation's danger checklist (危险评估), kept as data so a province can ship its own.
public struct RiskChecklist: Sendable {
    public let questions: [RiskQuestion]

    /// Question ids must be unique: answers are keyed by them.
    public init(questions: [RiskQuestion]) {
        precondition(Set(questions.map(\.id)).count == questions.count, "duplicate question id in a risk checklist")
        self.questions = questions
    }

    /// The question a minor victim answers yes by the facts on record.
    public static let victimWithoutFullCapacity = "victim_without_full_capacity"

    /// Score thresholds of the 2018 procedure: low ≤ 3, medium 4–5, high ≥ 6.
    static let mediumFrom = 4
    static let highFrom = 6

    /// The default checklist, after the 2018 《妇联组织受理家庭暴力投诉工作规程》 danger assessment.
    public static let federation = RiskChecklist(questions: [
        RiskQuestion(id: "threat_to_kill", text: "施暴人是否曾扬言要杀死受害人或其家人？", points: 2, makesHigh: true),
        RiskQuestion(id: "weapon", text: "施暴人是否曾使用或威胁使用刀具、棍棒等凶器？", points: 2, makesHigh: true),
        RiskQuestion(id: "strangulation", text: "施暴人是否曾掐受害人脖子、捂住口鼻或以其他方式使其窒息？", points: 2, makesHigh: true),
        RiskQuestion(id: "escalating", text: "近期暴力是否越来越严重或越来越频繁？", points: 1),
        RiskQuestion(id: "violence_in_pregnancy", text: "受害人在怀孕期间是否遭受过暴力？", points: 1),
        RiskQuestion(id: "substance_abuse", text: "施暴人是否酗酒、吸毒或滥用药物？", points: 1),
        RiskQuestion(id: "stalking_after_separation", text: "分居或离婚后，施暴人是否跟踪、骚扰、纠缠受害人？", points: 1),
        RiskQuestion(id: "abuser_suicide_threat", text: "施暴人是否曾以自杀相威胁？", points: 1),
        RiskQuestion(id: "injury_needing_treatment", text: "受害人是否曾因暴力受伤而需要就医？", points: 2),
        RiskQuestion(id: "children_involved", text: "家中子女是否也遭受暴力或目睹暴力？", points: 1),
        RiskQuestion(id: "isolation", text: "施暴人是否限制受害人的人身自由、与亲友的联系或经济来源？", points: 1),
        RiskQuestion(id: "victim_without_full_capacity",
                     text: "受害人是否为未成年人、残疾人或其他无民事行为能力、限制民事行为能力的人？",
                     points: 1, mandatoryReport: .violenceWithoutFullCapacity),
        RiskQuestion(id: "afraid_to_go_home", text: "受害人是否害怕回家或认为自己处境危险？", points: 1),
    ])

    /// Grades a filled-in checklist. Every question must be answered: an unanswered one would
    /// silently count as "no" and could hide a high risk. Problems are reported all at once,
    /// missing answers in checklist order, then unknown ids sorted.
    /// `victimIsMinor`: the case records the victim as a child, so she lacks full civil capacity whatever
    /// was ticked — that answer counts as yes (and requires its mandatory report).
    public func assess(_ answers: [String: Bool], victimIsMinor: Bool = false) -> Result<RiskAssessment, ValidationFailure> {
        let known = Set(questions.map(\.id))
        var errors = questions.filter { answers[$0.id] == nil }
            .map { FieldError("answers.\($0.id)", "must be answered (true or false)") }
        errors += answers.keys.filter { !known.contains($0) }.sorted()
            .map { FieldError("answers.\($0)", "is not a question of the checklist") }
        guard errors.isEmpty else { return .failure(ValidationFailure(errors)) }

        let yes = questions.filter { answers[$0.id] == true || (victimIsMinor && $0.id == Self.victimWithoutFullCapacity) }
        let score = yes.reduce(0) { $0 + $1.points }
        let decisive = yes.filter(\.makesHigh).map(\.id)
        let grade: RiskGrade = !decisive.isEmpty || score >= Self.highFrom ? .high
            : score >= Self.mediumFrom ? .medium : .low
        var reports: [MandatoryReportReason] = []
        for reason in yes.compactMap(\.mandatoryReport) where !reports.contains(reason) {
            reports.append(reason)
        }
        return .success(RiskAssessment(score: score, grade: grade, yes: yes.map(\.id), decisive: decisive, mandatoryReports: reports))
    }
}
