import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// The lawful path of a case, one POST per step: each answers the case's new status and the written
/// notice the step issued, if any (受理告知书, 不予受理告知书, 答复意见书).
extension HuiyinApp {
    static func addCaseWorkRoutes(to router: inout Router<Route>) {
        step(&router, "accept", .accept, OptionalReasonBody.self)
        step(&router, "decline", .decline, ReasonBody.self)
        step(&router, "transfer", .transfer, TransferBody.self)
        step(&router, "transfer/accept", .acceptTransfer, OptionalReasonBody.self)
        step(&router, "transfer/object", .objectTransfer, ReasonBody.self)
        step(&router, "reply", .reply, ReplyBody.self)
        step(&router, "close", .close, OptionalReasonBody.self)
        step(&router, "review/request", .requestReview, ReasonBody.self)
        step(&router, "review/decision", .decideReview, DecisionBody.self)
        step(&router, "rereview/request", .requestRereview, ReasonBody.self)
        step(&router, "rereview/decision", .decideRereview, DecisionBody.self)

        router.add("POST", "/api/v1/cases/{id}/referrals", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(ReferralBody.self, from: request)
            let id = try app.store.refer(caseID: try caseID(request), kind: body.kind, to: body.referredTo, note: body.note,
                                         mediationBodyID: body.mediationBodyID, by: user)
            return try json(201, CreatedView(id: id))
        })
        router.add("POST", "/api/v1/cases/{id}/referrals/{referral}/outcome", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(ReferralOutcomeBody.self, from: request)
            try app.store.recordReferralOutcome(caseID: try caseID(request), referralID: try caseID(request, "referral"),
                                                outcome: body.outcome, aidDecision: body.aidDecision, by: user)
            return Response(status: 204)
        })
        router.add("GET", "/api/v1/legal-aid/figures", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let (from, to) = try figuresPeriod(request, today: app.store.today)
            let rows = try app.store.legalAidFigures(from: from, to: to, for: user)
            return try json(200, LegalAidFiguresBody(from: from.description, to: to.description, units: rows.map(LegalAidFiguresView.init)))
        })
        router.add("POST", "/api/v1/cases/{id}/follow-ups", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(FollowUpBody.self, from: request)
            try app.store.followUp(caseID: try caseID(request), method: body.method, satisfaction: body.satisfaction, note: body.note,
                                   reopen: body.reopen, by: user)
            return Response(status: 204)
        })
        router.add("POST", "/api/v1/cases/{id}/handler", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(HandlerBody.self, from: request)
            try app.store.assignHandler(caseID: try caseID(request), handlerID: body.handlerID, by: user)
            return Response(status: 204)
        })
        router.add("POST", "/api/v1/cases/{id}/seal", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(ReasonBody.self, from: request)
            try app.store.seal(caseID: try caseID(request), reason: body.reason, by: user)
            return Response(status: 204)
        })
        // The domestic-violence danger checklist, answered; the grade comes back at once.
        router.add("POST", "/api/v1/cases/{id}/risk-assessments", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(RiskAnswersBody.self, from: request)
            let assessment: RiskAssessment
            do {
                assessment = try app.store.assessRisk(caseID: try caseID(request), answers: body.answers, by: user)
            } catch let failure as ValidationFailure {
                throw APIError.validation(failure.fields)
            }
            return try json(201, RiskAssessmentView(assessment, withReports: true))
        })
        router.add("GET", "/api/v1/risk-checklist", Route(access: .staff) { _, _, context in
            _ = try context.staff()
            return try json(200, RiskChecklistView(RiskChecklist.federation))
        })
        // The grade of a set of answers, saving nothing: the call screen shows it as the operator answers.
        router.add("POST", "/api/v1/risk-checklist/grade", Route(access: .staff) { _, request, context in
            _ = try context.staff()
            let body = try decode(RiskAnswersBody.self, from: request)
            switch RiskChecklist.federation.assess(body.answers) {
            case .failure(let failure): throw APIError.validation(failure.fields)
            case .success(let assessment):
                return try json(200, RiskAssessmentView(assessment, withReports: false))
            }
        })
        // A letter's scan (PDF or JPEG) as the raw body, kept with the case.
        router.add("POST", "/api/v1/cases/{id}/attachments", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let type = (request.header("content-type") ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            var contactID: Int64?
            if let raw = request.query["contact_id"] {
                guard let id = Int64(raw), id > 0 else { throw APIError.validation([FieldError("contact_id", "must be a contact id")]) }
                contactID = id
            }
            guard ["application/pdf", "image/jpeg"].contains(type) else {
                throw APIError.validation([FieldError("Content-Type", "must be application/pdf or image/jpeg")])
            }
            guard !request.body.isEmpty else { throw APIError.validation([FieldError("file", "is empty")]) }
            let id = try app.store.attach(caseID: try caseID(request), contactID: contactID, contentType: type, bytes: request.body, by: user)
            return try json(201, AttachmentView(id: id, size: request.body.count))
        })
        router.add("POST", "/api/v1/cases/{id}/mandatory-reports", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(MandatoryReportBody.self, from: request)
            try app.store.requireMandatoryReport(caseID: try caseID(request), reason: body.reason, note: body.note, by: user)
            return Response(status: 204)
        })
        // A required report made: for the police (mandatory and police reports) when, which station and
        // the receipt number; for a direct report (直报) to whom.
        router.add("POST", "/api/v1/cases/{id}/tasks/{task}/complete", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(TaskReportBody.self, from: request)
            try app.store.completeTask(caseID: try caseID(request), taskID: try caseID(request, "task"), detail: body.detail, by: user)
            return Response(status: 204)
        })
    }

    private static func step<Body: StepBody>(_ router: inout Router<Route>, _ path: String, _ action: CaseAction, _: Body.Type) {
        router.add("POST", "/api/v1/cases/{id}/" + path, Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try decode(Body.self, from: request)
            let id = try caseID(request)
            let document = try app.store.perform(action, caseID: id, by: user, body.input)
            return try json(200, StepResultView(caseID: id, event: action.event.rawValue, document: document.map(DocumentView.init)))
        })
    }
}

/// The body of one step on a case's lawful path, as the store takes it. (`SendableMetatype`: a route's
/// handler names the body type from any thread.)
protocol StepBody: RequestBody, SendableMetatype {
    var input: StepInput { get }
}

extension ReasonBody: StepBody {
    var input: StepInput { StepInput(reason: reason) }
}

/// A step whose reason may be left out (accepting, closing).
struct OptionalReasonBody: StepBody {
    let reason: String?
    var input: StepInput { StepInput(reason: reason) }

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        reason = fields.text("reason", errors: &errors)
    }
}

/// A transfer to a unit below, with an optional reason.
struct TransferBody: StepBody {
    let unitID: Int64
    let reason: String?
    var input: StepInput { StepInput(reason: reason, targetUnitID: unitID) }

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        reason = fields.text("reason", errors: &errors)
        guard let unitID = fields.int("unit_id", required: true) else { return nil }
        self.unitID = unitID
    }
}

/// The reply (答复意见): its text, with an optional reason.
struct ReplyBody: StepBody {
    let text: String
    let reason: String?
    var input: StepInput { StepInput(reason: reason, text: text) }

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        let text = fields.text("text", required: true, errors: &errors)
        reason = fields.text("reason", errors: &errors)
        guard let text else { return nil }
        self.text = text
    }
}

/// A review or re-review decision: upheld or changed, and its text.
struct DecisionBody: StepBody {
    let decision: String
    let text: String
    var input: StepInput { StepInput(text: text, decision: decision) }

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        let decision = fields.text("decision", required: true, errors: &errors)
        let text = fields.text("text", required: true, errors: &errors)
        guard let decision, let text else { return nil }
        (self.decision, self.text) = (decision, text)
    }
}

struct ReferralBody: RequestBody {
    let kind: ReferralKind
    let referredTo: String
    let note: String?
    /// The registry's mediation body, for a referral to a mediator.
    let mediationBodyID: Int64?

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        let kind = fields.text("kind", required: true, errors: &errors)
        let referredTo = fields.text("referred_to", required: true, errors: &errors)
        note = fields.text("note", errors: &errors)
        mediationBodyID = fields.int("mediation_body_id")
        let known = kind.flatMap(ReferralKind.init(rawValue:))
        if kind != nil, known == nil {
            errors.append(FieldError("kind", "must be one of " + ReferralKind.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        if mediationBodyID != nil, let known, known != .mediator {
            errors.append(FieldError("mediation_body_id", "only a referral to a mediator names a mediation body"))
        }
        guard let known, let referredTo else { return nil }
        (self.kind, self.referredTo) = (known, referredTo)
    }
}

struct ReferralOutcomeBody: RequestBody {
    let outcome: String
    /// A legal-aid referral's decision (the store requires it there and refuses it elsewhere).
    let aidDecision: LegalAidDecision?

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        let outcome = fields.text("outcome", required: true, errors: &errors)
        let decision = fields.text("aid_decision", errors: &errors)
        aidDecision = decision.flatMap(LegalAidDecision.init(rawValue:))
        if decision != nil, aidDecision == nil {
            errors.append(FieldError("aid_decision", "must be one of " + LegalAidDecision.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        guard let outcome, decision == nil || aidDecision != nil else { return nil }
        self.outcome = outcome
    }
}

/// A follow-up visit or call (回访): how, how satisfied, and whether the case reopens.
struct FollowUpBody: RequestBody {
    let method: String
    let satisfaction: Satisfaction
    let note: String?
    let reopen: Bool

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        let method = fields.text("method", required: true, errors: &errors)
        let satisfaction = fields.text("satisfaction", required: true, errors: &errors)
        note = fields.text("note", errors: &errors)
        reopen = fields.bool("reopen") ?? false
        let knownMethod = method.flatMap { ["visit", "call"].contains($0) ? $0 : nil }
        if method != nil, knownMethod == nil { errors.append(FieldError("method", "must be visit or call")) }
        let known = satisfaction.flatMap(Satisfaction.init(rawValue:))
        if satisfaction != nil, known == nil {
            errors.append(FieldError("satisfaction", "must be one of " + Satisfaction.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        guard let knownMethod, let known else { return nil }
        (self.method, self.satisfaction) = (knownMethod, known)
    }
}

struct HandlerBody: RequestBody {
    let handlerID: Int64

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        guard let handlerID = fields.int("handler_id", required: true) else { return nil }
        self.handlerID = handlerID
    }
}

/// The danger checklist's answers, by question id.
struct RiskAnswersBody: RequestBody {
    let answers: [String: Bool]

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        guard let answers = fields.booleans("answers", required: true) else { return nil }
        self.answers = answers
    }
}

struct MandatoryReportBody: RequestBody {
    let reason: MandatoryReportReason
    let note: String?

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        let reason = fields.text("reason", required: true, errors: &errors)
        note = fields.text("note", errors: &errors)
        guard let reason else { return nil }
        guard let known = MandatoryReportReason(rawValue: reason) else {
            errors.append(FieldError("reason", "must be one of " + MandatoryReportReason.allCases.map(\.rawValue).joined(separator: ", ")))
            return nil
        }
        self.reason = known
    }
}

/// A required report made: when, which station and the receipt number, or to whom; each optional.
struct TaskReportBody: RequestBody {
    /// The fields given, by name, in a fixed order.
    let detail: [(String, String)]

    init?(reading fields: inout FieldReader, errors: inout [FieldError]) {
        detail = ["reported_at", "station", "receipt_no", "reported_to", "note"].compactMap { name in
            fields.text(name, errors: &errors).map { (name, $0) }
        }
    }
}

/// What a step answers: the case, the event it recorded and the notice it issued (null if none).
struct StepResultView: ResponseBody {
    let caseID: Int64
    let event: String
    let document: DocumentView?

    enum CodingKeys: String, CodingKey { case caseID = "case_id", event, document }
}

/// Something just created, by its id.
struct CreatedView: ResponseBody {
    let id: Int64
}

struct AttachmentView: ResponseBody {
    let id: Int64
    let size: Int
}

/// A graded checklist; a saved assessment also names the reports it requires (`mandatory_reports`).
struct RiskAssessmentView: ResponseBody {
    let assessment: RiskAssessment
    let withReports: Bool

    init(_ assessment: RiskAssessment, withReports: Bool) {
        self.assessment = assessment
        self.withReports = withReports
    }

    enum CodingKeys: String, CodingKey {
        case score, grade, gradeLabel = "grade_label", decisive, mandatoryReports = "mandatory_reports"
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(assessment.score, forKey: .score)
        try c.encode(assessment.grade.rawValue, forKey: .grade)
        try c.encode(assessment.grade.label, forKey: .gradeLabel)
        try c.encode(assessment.decisive, forKey: .decisive)
        if withReports { try c.encode(assessment.mandatoryReports.map(\.rawValue), forKey: .mandatoryReports) }
    }
}

/// The danger checklist as the call screen shows it.
struct RiskChecklistView: ResponseBody {
    struct Thresholds: Encodable {
        let low = "≤ 3"
        let medium = "4–5"
        let high = "≥ 6"
    }

    struct Question: Encodable {
        let id: String
        let text: String
        let points: Int
        let makesHigh: Bool
        let mandatoryReport: String?

        enum CodingKeys: String, CodingKey { case id, text, points, makesHigh = "makes_high", mandatoryReport = "mandatory_report" }
    }

    let thresholds = Thresholds()
    let questions: [Question]

    init(_ checklist: RiskChecklist) {
        questions = checklist.questions.map {
            Question(id: $0.id, text: $0.text, points: $0.points, makesHigh: $0.makesHigh, mandatoryReport: $0.mandatoryReport?.rawValue)
        }
    }
}

struct LegalAidFiguresView: ResponseBody {
    let unit: UnitRef
    let referred: Int
    let decidedOnTime: Int
    let decidedLate: Int
    let open: Int
    let overdue: Int
    let granted: Int
    let refused: Int
    let withdrawn: Int

    init(_ f: LegalAidFigures) {
        unit = UnitRef(id: f.unitID, name: f.unitName)
        (referred, decidedOnTime, decidedLate, open, overdue) = (f.referred, f.decidedOnTime, f.decidedLate, f.open, f.overdue)
        (granted, refused, withdrawn) = (f.granted, f.refused, f.withdrawn)
    }

    enum CodingKeys: String, CodingKey {
        case unit, referred, open, overdue, granted, refused, withdrawn
        case decidedOnTime = "decided_on_time", decidedLate = "decided_late"
    }
}

struct LegalAidFiguresBody: ResponseBody {
    let from: String
    let to: String
    let units: [LegalAidFiguresView]
}
