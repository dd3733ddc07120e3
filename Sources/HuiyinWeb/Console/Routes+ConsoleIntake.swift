import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// The call screen, the reception window and the roster. Calls, visits and letters are recorded by
/// the page's script through the same `POST /api/v1/contacts` as any client (session cookie + CSRF
/// token), so they pass the same validation, scope checks and idempotency.
extension HuiyinApp {
    static func addConsoleIntakeRoutes(to router: inout Router<Route>) {
        router.add("GET", "/call", Route(access: .console) { app, _, context in
            let user = try context.staff()
            return Console.page(200, title: "来电登记", template: "call", try app.callPage(user), session: context.session,
                                unitName: try app.store.unitName(user.unitID), path: "/call", script: true)
        })
        router.add("GET", "/reception", Route(access: .console) { app, request, context in
            try app.receptionPage(request, context, issued: request.query["issued"].flatMap { Int($0) })
        })
        router.add("POST", "/reception/tickets", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let form = try app.consoleForm(request, context)
            if form["do"] == "call" {
                _ = try app.store.callNextTicket(by: user)
                return Console.redirect(to: "/reception")
            }
            return Console.redirect(to: "/reception?issued=\(try app.store.issueTicket(by: user))")
        })
        router.add("GET", "/roster", Route(access: .console) { app, _, context in
            try app.rosterPage(context, flash: nil)
        })
        router.add("POST", "/roster", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let form = try app.consoleForm(request, context)
            do {
                guard let day = form["day"].flatMap(LocalDate.init(iso:)), let userID = form["user_id"].flatMap({ Int64($0) }) else {
                    throw APIError.validation([FieldError("day", "is required")])
                }
                try app.store.addShift(userID: userID, day: day, period: form["period"] ?? "", window: form["window"] ?? "", by: user)
                return Console.redirect(to: "/roster")
            } catch {
                return try app.rosterPage(context, flash: (ConsoleLabels.problem(error, retryAfter: 5), true))
            }
        })
        router.add("POST", "/roster/{id}/remove", Route(access: .console) { app, request, context in
            let user = try context.staff()
            _ = try app.consoleForm(request, context)
            try app.store.removeShift(id: try caseID(request), by: user)
            return Console.redirect(to: "/roster")
        })
    }

    func callPage(_ user: StaffUser) throws -> CallPageView {
        CallPageView(
            units: try unitOptions(user), categories: categoryOptions(),
            sub_lines: try store.subLines().map { line in
                let referral = line.referral.flatMap { ConsoleLabels.referrals[$0] }
                return SubLineOption(value: line.code, label: line.name, unit_id: line.unitID.map { String($0) } ?? "",
                                     hint: referral.map { "建议转介：" + $0 } ?? line.unitName.map { "默认承办单位：" + $0 })
            },
            questions: riskQuestions, victim_relations: victimRelationOptions(), today: store.today.description)
    }

    var riskQuestions: [RiskQuestionOption] { RiskChecklist.federation.questions.map { RiskQuestionOption(id: $0.id, text: $0.text) } }

    func receptionPage(_ request: Request, _ context: RequestContext, issued: Int?) throws -> Response {
        let user = try context.staff()
        let unitName = try store.unitName(user.unitID)
        let shifts = try store.roster(unitID: user.unitID, from: store.today, through: store.today)
        let tickets = try store.tickets(by: user)
        let page = ReceptionView(
            units: try unitOptions(user), categories: categoryOptions(), questions: riskQuestions,
            victim_relations: victimRelationOptions(), today: store.today.description,
            shifts: shifts.map { ShiftView(period: ConsoleLabels.periods[$0.period] ?? $0.period, window: $0.window, name: $0.userName) },
            has_shifts: !shifts.isEmpty, waiting: tickets.filter { $0.calledAt == nil }.count,
            called: tickets.filter { $0.calledAt != nil }.map(\.number).max(), issued: issued,
            csrf: context.session?.csrfToken ?? "", window: shifts.first?.window ?? unitName + "信访接待窗口",
            scan_limit: "\(configuration.bodyLimit / (1 << 20)) MB")
        return Console.page(200, title: "接访窗口", template: "reception", page, session: context.session, unitName: unitName,
                            path: "/reception", script: true)
    }

    func rosterPage(_ context: RequestContext, flash: (String, Bool)?) throws -> Response {
        let user = try context.staff()
        let unitName = try store.unitName(user.unitID)
        let shifts = try store.roster(unitID: user.unitID, from: store.today, through: store.today.adding(days: 13))
        let csrf = context.session?.csrfToken ?? ""
        return Console.page(flash == nil ? 200 : 422, title: "接访排班", template: "roster", RosterView(
            csrf: csrf, today: store.today.description, window: unitName + "信访接待窗口",
            staff: try store.staff(ofUnit: user.unitID).map { StaffOption(id: $0.id, name: $0.displayName, role: Console.roleLabel($0.role)) },
            shifts: shifts.map { RosterShiftView(id: $0.id, day: $0.day.chineseText, period: ConsoleLabels.periods[$0.period] ?? $0.period,
                                                 window: $0.window, name: $0.userName, csrf: csrf) }
        ), session: context.session, unitName: unitName, path: "/roster", flash: flash)
    }

    /// A console form's fields, after its CSRF token is checked against the session.
    func consoleForm(_ request: Request, _ context: RequestContext) throws -> [String: String] {
        guard let session = context.session, let form = request.formFields(), let echoed = form["_csrf"],
              Secrets.constantTimeEqual(Data(echoed.utf8), Data(session.csrfToken.utf8)) else { throw APIError.csrfFailed }
        try Self.refuseNUL(form)
        return form
    }

    /// A form field with a NUL character (%00) is refused, naming the fields: PostgreSQL's text cannot
    /// hold it, and what is stored must be what was sent (the JSON API refuses it the same way).
    static func nulFields(_ form: [String: String]) -> [String] {
        form.filter { $0.value.utf8.contains(0) }.keys.sorted()
    }

    static func refuseNUL(_ form: [String: String]) throws {
        let fields = nulFields(form)
        guard fields.isEmpty else {
            throw APIError.validation(fields.map { FieldError($0, "must not contain a NUL character (%00)") })
        }
    }
}
