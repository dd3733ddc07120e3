import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// The lawful path of a case, one POST per step: each answers the case's new status and the written
/// notice the step issued, if any (受理告知书, 不予受理告知书, 答复意见书).
extension HuiyinApp {
    static func addCaseWorkRoutes(to router: inout Router<Route>) {
        step(&router, "accept", .accept, text: ["reason"])
        step(&router, "decline", .decline, text: ["reason"], required: ["reason"])
        step(&router, "transfer", .transfer, text: ["reason"], integers: ["unit_id"], required: ["unit_id"])
        step(&router, "transfer/accept", .acceptTransfer, text: ["reason"])
        step(&router, "transfer/object", .objectTransfer, text: ["reason"], required: ["reason"])
        step(&router, "reply", .reply, text: ["text", "reason"], required: ["text"])
        step(&router, "close", .close, text: ["reason"])
        step(&router, "review/request", .requestReview, text: ["reason"], required: ["reason"])
        step(&router, "review/decision", .decideReview, text: ["decision", "text"], required: ["decision", "text"])
        step(&router, "rereview/request", .requestRereview, text: ["reason"], required: ["reason"])
        step(&router, "rereview/decision", .decideRereview, text: ["decision", "text"], required: ["decision", "text"])

        router.add("POST", "/api/v1/cases/{id}/referrals", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try WorkflowBody(request, text: ["kind", "referred_to", "note"], required: ["kind", "referred_to"])
            guard let kind = ReferralKind(rawValue: body.text["kind"]!!) else {
                throw APIError.validation([FieldError("kind", "must be one of " + ReferralKind.allCases.map(\.rawValue).joined(separator: ", "))])
            }
            let id = try app.store.refer(caseID: try caseID(request), kind: kind, to: body.text["referred_to"]!!,
                                         note: body.text["note"] ?? nil, by: user)
            return json(201, .object([("id", .int(id))]))
        })
        router.add("POST", "/api/v1/cases/{id}/referrals/{referral}/outcome", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try WorkflowBody(request, text: ["outcome"], required: ["outcome"])
            try app.store.recordReferralOutcome(caseID: try caseID(request), referralID: try caseID(request, "referral"),
                                                outcome: body.text["outcome"]!!, by: user)
            return Response(status: 204)
        })
        router.add("POST", "/api/v1/cases/{id}/follow-ups", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try WorkflowBody(request, text: ["method", "satisfaction", "note"], booleans: ["reopen"],
                                        required: ["method", "satisfaction"])
            var problems: [FieldError] = []
            let method = body.text["method"]!!
            if !["visit", "call"].contains(method) { problems.append(FieldError("method", "must be visit or call")) }
            let satisfaction = Satisfaction(rawValue: body.text["satisfaction"]!!)
            if satisfaction == nil {
                problems.append(FieldError("satisfaction", "must be one of " + Satisfaction.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            guard problems.isEmpty, let satisfaction else { throw APIError.validation(problems) }
            try app.store.followUp(caseID: try caseID(request), method: method, satisfaction: satisfaction, note: body.text["note"] ?? nil,
                                   reopen: (body.booleans["reopen"] ?? nil) ?? false, by: user)
            return Response(status: 204)
        })
        router.add("POST", "/api/v1/cases/{id}/handler", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try WorkflowBody(request, text: [], integers: ["handler_id"], required: ["handler_id"])
            try app.store.assignHandler(caseID: try caseID(request), handlerID: body.integers["handler_id"]!!, by: user)
            return Response(status: 204)
        })
        router.add("POST", "/api/v1/cases/{id}/seal", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try WorkflowBody(request, text: ["reason"], required: ["reason"])
            try app.store.seal(caseID: try caseID(request), reason: body.text["reason"]!!, by: user)
            return Response(status: 204)
        })
        // The domestic-violence danger checklist, answered; the grade comes back at once.
        router.add("POST", "/api/v1/cases/{id}/risk-assessments", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try WorkflowBody(request, text: [], maps: ["answers"], required: ["answers"])
            let assessment: RiskAssessment
            do {
                assessment = try app.store.assessRisk(caseID: try caseID(request), answers: body.maps["answers"]!, by: user)
            } catch let failure as ValidationFailure {
                throw APIError.validation(failure.fields)
            }
            return json(201, .object([
                ("score", .int(assessment.score)), ("grade", .string(assessment.grade.rawValue)),
                ("grade_label", .string(assessment.grade.label)), ("decisive", .array(assessment.decisive.map { .string($0) })),
                ("mandatory_reports", .array(assessment.mandatoryReports.map { .string($0.rawValue) })),
            ]))
        })
        router.add("GET", "/api/v1/risk-checklist", Route(access: .staff) { _, _, context in
            _ = try context.staff()
            return json(200, .object([
                ("thresholds", .object([("low", .string("≤ 3")), ("medium", .string("4–5")), ("high", .string("≥ 6"))])),
                ("questions", .array(RiskChecklist.federation.questions.map { question in
                    .object([("id", .string(question.id)), ("text", .string(question.text)), ("points", .int(question.points)),
                             ("makes_high", .bool(question.makesHigh)),
                             ("mandatory_report", .string(question.mandatoryReport?.rawValue))])
                })),
            ]))
        })
        // The grade of a set of answers, saving nothing: the call screen shows it as the operator answers.
        router.add("POST", "/api/v1/risk-checklist/grade", Route(access: .staff) { _, request, context in
            _ = try context.staff()
            let body = try WorkflowBody(request, text: [], maps: ["answers"], required: ["answers"])
            switch RiskChecklist.federation.assess(body.maps["answers"]!) {
            case .failure(let failure): throw APIError.validation(failure.fields)
            case .success(let assessment):
                return json(200, .object([
                    ("score", .int(assessment.score)), ("grade", .string(assessment.grade.rawValue)),
                    ("grade_label", .string(assessment.grade.label)), ("decisive", .array(assessment.decisive.map { .string($0) })),
                ]))
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
            return json(201, .object([("id", .int(id)), ("size", .int(request.body.count))]))
        })
        router.add("POST", "/api/v1/cases/{id}/mandatory-reports", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try WorkflowBody(request, text: ["reason", "note"], required: ["reason"])
            guard let reason = MandatoryReportReason(rawValue: body.text["reason"]!!) else {
                throw APIError.validation([FieldError("reason", "must be one of "
                                                      + MandatoryReportReason.allCases.map(\.rawValue).joined(separator: ", "))])
            }
            try app.store.requireMandatoryReport(caseID: try caseID(request), reason: reason, note: body.text["note"] ?? nil, by: user)
            return Response(status: 204)
        })
        // A required report made: for the police (mandatory and police reports) when, which station and
        // the receipt number; for a direct report (直报) to whom.
        router.add("POST", "/api/v1/cases/{id}/tasks/{task}/complete", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try WorkflowBody(request, text: ["reported_at", "station", "receipt_no", "reported_to", "note"])
            let detail = ["reported_at", "station", "receipt_no", "reported_to", "note"].compactMap { name in
                (body.text[name] ?? nil).map { (name, $0) }
            }
            try app.store.completeTask(caseID: try caseID(request), taskID: try caseID(request, "task"), detail: detail, by: user)
            return Response(status: 204)
        })
    }

    private static func step(_ router: inout Router<Route>, _ path: String, _ action: CaseAction, text: [String],
                             integers: [String] = [], required: Set<String> = []) {
        router.add("POST", "/api/v1/cases/{id}/" + path, Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let body = try WorkflowBody(request, text: text, integers: integers, required: required)
            let input = StepInput(reason: body.text["reason"] ?? nil, targetUnitID: body.integers["unit_id"] ?? nil,
                                  text: body.text["text"] ?? nil, decision: body.text["decision"] ?? nil)
            let id = try caseID(request)
            let document = try app.store.perform(action, caseID: id, by: user, input)
            return json(200, .object([
                ("case_id", .int(id)), ("event", .string(action.event.rawValue)), ("document", document.map(CaseJSON.render) ?? .null),
            ]))
        })
    }
}
