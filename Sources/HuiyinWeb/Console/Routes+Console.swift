import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// The console's sign-in, sign-out, home page and printable notices. Pages speak Simplified Chinese.
enum Console {
    static let sessionCookie = "huiyin_session"
    /// Double-submit token for the login form (no session exists yet to hold one).
    static let loginCSRFCookie = "huiyin_login_csrf"
    /// The pages a sign-in may return to (`/login?next=`): a fixed list, so it can never redirect elsewhere.
    static let returnPages: Set<String> = ["/field"]

    static func redirect(to location: String, headers: [(name: String, value: String)] = []) -> Response {
        Response(status: 303, headers: [("Location", location)] + headers)
    }

    /// A console page in the layout: the header with her navigation, or the public header.
    static func page(_ status: Int, title: String, template: String, _ context: some ConsoleView, session: StaffSession? = nil,
                     unitName: String = "", path: String = "", script: Bool = false, isPublic: Bool = false,
                     flash: (text: String, error: Bool)? = nil, headers: [(name: String, value: String)] = []) -> Response {
        var layout = LayoutView(title: title, body: ConsoleTemplates.render(template, context), script: script,
                                public: isPublic, narrow: isPublic)
        if script { layout.field_labels = ConsoleLabels.fieldLabelsJSON }
        if let flash {
            layout.flash = flash.text
            layout.flash_error = flash.error
        }
        if let session {
            layout.user = LayoutUser(display_name: session.user.displayName, role_label: roleLabel(session.user.role),
                                     unit_name: unitName,
                                     nav: navigation(for: session.user.role).map { NavLink(href: $0.href, label: $0.label, current: $0.href == path) })
            layout.csrf = session.csrfToken
        }
        return Response(status: status,
                        headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                                  ("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin"),
                                  ("X-Content-Type-Options", "nosniff"),
                                  // Only our own script and styles run: a summary that smuggles markup stays text.
                                  ("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                      + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")] + headers,
                        body: Array(ConsoleTemplates.render("layout", layout).utf8))
    }

    /// The screens of each role, in the order she uses them: the petition office's, then the grassroots network's.
    static func navigation(for role: StaffRole) -> [(href: String, label: String)] {
        officeNavigation(for: role) + grassrootsNavigation(for: role)
    }

    /// The grassroots network's screens: the grid roles and the staff of villages and the units above them.
    static func grassrootsNavigation(for role: StaffRole) -> [(href: String, label: String)] {
        let households = ("/households", "重点户"), visits = ("/visits", "走访进度"), followUps = ("/follow-ups", "跟踪回访")
        // The women's council's agenda: the village's staff record sittings there, those above follow it.
        let council = ("/council", "妇女议事"), dispatches = ("/dispatches", "派单签收")
        // 专项排查: opened by supervisors and leaders, reported on by the units' staff.
        let campaigns = ("/campaigns", "专项排查")
        // The mediation bodies of her area, with what was referred and dispatched to each.
        let bodies = ("/mediation-bodies", "调解组织")
        // The police's domestic-violence incidents, each to be followed up by phone in time.
        let incidents = ("/incidents", "家暴警情")
        switch role {
        case .gridWorker, .informationOfficer: return [("/field", "手机填报"), households, visits, followUps]
        case .handler, .supervisor: return [households, visits, council, dispatches, followUps, incidents, campaigns, bodies]
        case .leader: return [households, visits, campaigns]
        case .operator_, .reception, .admin: return []
        }
    }

    static func officeNavigation(for role: StaffRole) -> [(href: String, label: String)] {
        let cases = ("/cases", "案件查询"), home = ("/", "首页"), analysis = ("/analysis", "研判分析"), report = ("/reports/monthly", "月报")
        switch role {
        case .operator_: return [home, ("/call", "来电登记"), cases]
        case .reception: return [home, ("/reception", "接访窗口"), ("/roster", "排班"), cases]
        case .handler: return [home, ("/inbox", "待办案件"), cases]
        case .supervisor: return [home, ("/dashboard", "督办"), analysis, report, cases, ("/reception", "接访窗口"), ("/roster", "排班")]
        case .leader: return [home, ("/leader", "包案清单"), ("/dashboard", "督办"), analysis, report, cases]
        case .admin: return [home, cases, ("/roster", "排班")]
        case .gridWorker, .informationOfficer: return [home]
        }
    }

    static func roleLabel(_ role: StaffRole) -> String {
        switch role {
        case .operator_: return "话务员"
        case .reception: return "接访干部"
        case .handler: return "承办人"
        case .supervisor: return "督办员"
        case .leader: return "包案领导"
        case .admin: return "系统管理员"
        case .gridWorker: return "巾帼网格员"
        case .informationOfficer: return "妇情信息员"
        }
    }

    static func cookie(_ name: String, _ value: String, secure: Bool, maxAge: Int? = nil) -> (name: String, value: String) {
        var text = "\(name)=\(value); Path=/; HttpOnly; SameSite=Strict"
        if secure { text += "; Secure" }
        if let maxAge { text += "; Max-Age=\(maxAge)" }
        return ("Set-Cookie", text)
    }
}

extension HuiyinApp {
    /// A notification group's subject as the home page lists it: the form field naming it, its id,
    /// its words, its page, and the case's tracking number when it is a case.
    func notificationSubject(_ subject: NotificationSubject) throws
        -> (field: String, id: Int64, label: String, href: String?, trackingNo: String?) {
        switch subject {
        case .case(let id, let trackingNo): return ("case_id", id, trackingNo, "/cases/\(id)", trackingNo)
        case .lead(let id): return ("lead_id", id, "线索 \(id) 号", "/leads/\(id)", nil)
        case .household(let id): return ("household_id", id, "重点户 \(id) 号", "/households/\(id)", nil)
        case .unit(let id): return ("unit_id", id, try store.unitName(id), nil, nil)
        }
    }

    func secureCookies(_ request: Request) -> Bool {
        configuration.secureCookies || request.header("x-forwarded-proto")?.lowercased() == "https"
    }

    static func addConsoleRoutes(to router: inout Router<Route>) {
        router.add("GET", "/static/console.css", Route(access: .anyone) { _, _, _ in
            Response(status: 200, headers: [("Content-Type", "text/css; charset=utf-8"), ("Cache-Control", "public, max-age=300")],
                     body: Array(ConsoleAssets.css.utf8))
        })
        router.add("GET", "/static/console.js", Route(access: .anyone) { _, _, _ in
            Response(status: 200, headers: [("Content-Type", "text/javascript; charset=utf-8"), ("Cache-Control", "public, max-age=300")],
                     body: Array(ConsoleAssets.js.utf8))
        })
        router.add("GET", "/login", Route(access: .anyone) { app, request, _ in
            let next = request.query["next"].flatMap { Console.returnPages.contains($0) ? $0 : nil }
            if try app.consoleSession(request) != nil { return Console.redirect(to: next ?? "/") }
            return app.loginPage(request, status: 200, error: nil, username: "", next: next)
        })
        router.add("POST", "/login", Route(access: .anyone) { app, request, _ in
            guard let form = request.formFields(), let expected = request.cookies[Console.loginCSRFCookie], !expected.isEmpty,
                  let echoed = form["_csrf"], Secrets.constantTimeEqual(Data(echoed.utf8), Data(expected.utf8)) else {
                return app.loginPage(request, status: 403, error: "页面已过期，请重新登录。", username: "")
            }
            guard Self.nulFields(form).isEmpty else {
                return app.loginPage(request, status: 422, error: "用户名或密码含有无法识别的字符。", username: "")
            }
            let username = (form["username"] ?? "").trimmingCharacters(in: .whitespaces)
            let next = form["next"].flatMap { Console.returnPages.contains($0) ? $0 : nil }
            switch try app.store.login(username: username, password: form["password"] ?? "", clientAddress: request.remoteAddress,
                                       policy: app.configuration.loginPolicy) {
            case .success(let token, _):
                return Console.redirect(to: next ?? "/", headers: [
                    Console.cookie(Console.sessionCookie, token, secure: app.secureCookies(request)),
                    Console.cookie(Console.loginCSRFCookie, "", secure: app.secureCookies(request), maxAge: 0),
                ])
            case .refused:
                return app.loginPage(request, status: 401, error: "用户名或密码不正确。", username: username, next: next)
            case .throttled(let seconds):
                var response = app.loginPage(request, status: 429,
                                             error: "登录失败次数过多，请 \((seconds + 59) / 60) 分钟后再试。", username: username)
                response.headers.append(("Retry-After", String(seconds)))
                return response
            }
        })
        // A typed or bookmarked /logout: the sign-out button (signing out itself is a POST with the form's token).
        router.add("GET", "/logout", Route(access: .anyone) { app, request, _ in
            guard let session = try app.consoleSession(request) else { return Console.redirect(to: "/login") }
            return Console.page(200, title: "退出登录", template: "signout", SignoutView(csrf: session.csrfToken), session: session,
                                unitName: try app.store.unitName(session.user.unitID))
        })
        router.add("POST", "/logout", Route(access: .console) { app, request, context in
            guard let session = context.session, let token = request.cookies[Console.sessionCookie],
                  let echoed = request.formFields()?["_csrf"],
                  Secrets.constantTimeEqual(Data(echoed.utf8), Data(session.csrfToken.utf8)) else { throw APIError.csrfFailed }
            try app.store.logout(token: token)
            return Console.redirect(to: "/login", headers: [Console.cookie(Console.sessionCookie, "", secure: app.secureCookies(request), maxAge: 0)])
        })
        router.add("GET", "/", Route(access: .console) { app, _, context in
            let user = try context.staff()
            let unitName = try app.store.unitName(user.unitID)
            let csrf = context.session?.csrfToken ?? ""
            // One row per kind and case, with how many: a hundred reminders about one case are one line.
            let unread = try app.store.unreadNotificationGroups(for: user, limit: 50)
            let notes = try unread.groups.map { group in
                var (field, id, label, href, trackingNo) = try app.notificationSubject(group.subject)
                // A warning is told to its unit and the one above: the unit's analysis shows them all.
                if group.kind == "early_warning", case .unit(let unit) = group.subject { href = "/analysis?unit_id=\(unit)" }
                return NotificationRow(subject_field: field, subject_id: id, subject: label, href: href, tracking_no: trackingNo, csrf: csrf,
                                       kind_code: group.kind, count: group.count, kind: ConsoleLabels.notifications[group.kind] ?? "提醒",
                                       at: ConsoleLabels.time(group.latestAt, in: app.store.timeZone))
            }
            let summary = unread.byKind.map { NotificationCount(kind: ConsoleLabels.notifications[$0.kind] ?? "提醒", count: $0.count) }
            return Console.page(200, title: "首页", template: "home", HomeView(
                greeting: "您好", display_name: user.displayName, role_label: Console.roleLabel(user.role),
                unit_name: unitName, tasks: try app.homeTasks(user), notifications: notes, has_notifications: !notes.isEmpty,
                notification_summary: summary, csrf: csrf,
                links: Console.navigation(for: user.role).dropFirst().map { NavLink(href: $0.href, label: $0.label) }
            ), session: context.session, unitName: unitName, path: "/")
        })
        // Marks her notifications of one kind about one case read, or all of them, and goes back home.
        router.add("POST", "/notifications/read", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let form = try app.consoleForm(request, context)
            let kind = form["kind"].flatMap { $0.isEmpty ? nil : $0 }
            let id = { (field: String) in form[field].flatMap { Int64($0) } }
            let subject: NotificationSubject? = id("case_id").map { .case(id: $0, trackingNo: "") } ?? id("lead_id").map { .lead($0) }
                ?? id("household_id").map { .household($0) } ?? id("unit_id").map { .unit($0) }
            // Both or neither: a group, or everything.
            if (subject == nil) != (kind == nil) { throw APIError.validation([FieldError("case_id", "is required with kind")]) }
            try app.store.markNotificationsRead(kind.flatMap { kind in subject.map { (kind, $0) } }, by: user)
            return Console.redirect(to: "/")
        })
        // Marks one of her notifications read and goes back to the home page.
        router.add("POST", "/notifications/{id}/read", Route(access: .console) { app, request, context in
            let user = try context.staff()
            _ = try app.consoleForm(request, context)
            _ = try app.store.markNotificationRead(try caseID(request), by: user)
            return Console.redirect(to: "/")
        })
        // A written notice as issued, for printing. Reading it is a read of the case (audited).
        router.add("GET", "/cases/{case}/documents/{id}", Route(access: .console) { app, request, context in
            let user = try context.staff()
            guard let caseID = request.pathParameters["case"].flatMap({ Int64($0) }), caseID > 0,
                  let documentID = request.pathParameters["id"].flatMap({ Int64($0) }),
                  let record = try app.store.readCase(id: caseID, by: user, view: "document"),
                  let document = record.documents.first(where: { $0.id == documentID }) else {
                return Console.page(404, title: "未找到", template: "message", MessageView(
                    heading: "未找到该文书", text: "文书不存在，或不在您的查看范围内。", link: "/", link_text: "返回首页"
                ), session: context.session)
            }
            return Console.page(200, title: document.title, template: "document", ConsoleDocumentView(
                title: document.title, number: document.number, paragraphs: document.body.components(separatedBy: "\n\n")
            ), session: context.session, unitName: try app.store.unitName(user.unitID), script: true)
        })
    }

    func loginPage(_ request: Request, status: Int, error: String?, username: String, next: String? = nil) -> Response {
        let token = Secrets.newToken()
        return Console.page(status, title: "登录", template: "login", LoginView(csrf: token, username: username, error: error, next: next),
                            headers: [Console.cookie(Console.loginCSRFCookie, token, secure: secureCookies(request))])
    }

    /// What the home page points her to first, by role.
    func homeTasks(_ user: StaffUser) throws -> [String] {
        var mine = CaseFilter()
        mine.mine = true
        let open = try store.countCases(CaseFilter(), for: user)
        switch user.role {
        case .operator_, .reception: return ["本单位及下级单位案件 \(open) 件", "来电登记、来访登记请使用登记页面"]
        case .handler: return ["我承办的案件 \(try store.countCases(mine, for: user)) 件", "本单位及下级单位案件 \(open) 件"]
        case .leader: return ["我包案的案件 \(try store.countCases(mine, for: user)) 件"]
        case .supervisor: return ["辖区案件 \(open) 件", "请关注即将到期和已超期的案件"]
        case .admin: return ["辖区案件 \(open) 件"]
        case .gridWorker, .informationOfficer: return []
        }
    }
}
