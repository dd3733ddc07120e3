import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// Case list and case page: the timeline, each clock with its countdown in working days, the
/// actions she may take, the notices, and for a sealed case the seal and the break-glass form.
/// Every action calls the same store method as the API.
extension HuiyinApp {
    static func addConsoleCaseRoutes(to router: inout Router<Route>) {
        router.add("GET", "/cases", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let (filter, query) = try app.consoleCaseFilter(request, user: user)
            let items = try app.store.cases(filter, for: user)
            // Keyset paging like the API's before_id: the next page starts below the last row shown.
            let pageQuery = query.filter { $0.0 != "before_id" }
            let encoded = pageQuery.map { $0.0 + "=" + ($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") }
            let base = encoded.joined(separator: "&")
            var page = CasesPageView(
                q: filter.text ?? "", count: try app.store.countCases(filter, for: user),
                export: "/api/v1/cases/export.csv" + (base.isEmpty ? "" : "?" + base),
                statuses: CaseStatus.allCases.map { ChoiceOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == filter.status) },
                categories: app.categoryOptions(selected: filter.category),
                channels: Channel.allCases.map { ChoiceOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == filter.channel) },
                units: try app.unitOptions(user, selected: filter.unitID),
                received_from: filter.receivedFrom?.description ?? "", received_to: filter.receivedTo?.description ?? "",
                overdue: filter.overdue, collective: filter.collective, sealed_yes: filter.sealed == true, sealed_no: filter.sealed == false,
                rows: try items.map { try app.rowContext($0, dueOn: $0.nextDueOn) })
            if items.count == filter.limit, let last = items.last {
                page.next = "/cases?" + (base.isEmpty ? "" : base + "&") + "before_id=\(last.id)"
            }
            if filter.beforeID != nil { page.first = "/cases" + (base.isEmpty ? "" : "?" + base) }
            return Console.page(200, title: "案件查询", template: "cases", page,
                                session: context.session, unitName: try app.store.unitName(user.unitID), path: "/cases")
        })
        router.add("GET", "/cases/{id}", Route(access: .console) { app, request, context in
            let done = request.query["done"].flatMap { CaseAction(rawValue: $0).flatMap { ConsoleLabels.actions[$0] } ?? ConsoleLabels.events[$0] }
            return try app.casePage(try caseID(request), context, breakGlass: nil, flash: done.map { ("已完成：" + $0, false) })
        })
        router.add("POST", "/cases/{id}/break-glass", Route(access: .console) { app, request, context in
            let form = try app.consoleForm(request, context)
            let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !reason.isEmpty else { return try app.casePage(try caseID(request), context, breakGlass: nil, flash: ("请写明紧急查看的理由。", true)) }
            do { return try app.casePage(try caseID(request), context, breakGlass: reason, flash: nil) } catch let error as Forbidden {
                return try app.casePage(try caseID(request), context, breakGlass: nil, flash: (ConsoleLabels.problem(error, retryAfter: 5), true))
            }
        })
        router.add("POST", "/cases/{id}/actions", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let id = try caseID(request)
            let form = try app.consoleForm(request, context)
            do {
                let done = try app.performConsoleAction(form, caseID: id, user: user)
                return Console.redirect(to: "/cases/\(id)?done=\(done)")
            } catch {
                return try app.casePage(id, context, breakGlass: nil, flash: (ConsoleLabels.problem(error, retryAfter: 5), true))
            }
        })
        router.add("POST", "/cases/{id}/tasks/{task}", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let id = try caseID(request)
            let form = try app.consoleForm(request, context)
            let detail = ["reported_at", "station", "receipt_no", "reported_to"].compactMap { name in
                form[name].flatMap { $0.isEmpty ? nil : (name, $0) }
            }
            let taskID = try caseID(request, "task")
            do {
                try app.store.completeTask(caseID: id, taskID: taskID, detail: detail, by: user)
                return Console.redirect(to: "/cases/\(id)?done=task_completed")
            } catch {
                // Everything she typed stays in the form, and a refused time says which form is expected.
                var message = ConsoleLabels.problem(error, retryAfter: 5)
                if let failure = error as? ValidationFailure, failure.fields.contains(where: { $0.field == "reported_at" }), form["reported_at"].map({ !$0.isEmpty }) ?? false {
                    message += "报案时间请按“\(ReportedTime.example)”的格式填写（\(ConsoleLabels.zoneName(app.store.timeZone))）。"
                }
                return try app.casePage(id, context, breakGlass: nil, flash: (message, true), kept: (taskID, form))
            }
        })
        // What came of a referral, from the case page (the same store method as the API).
        router.add("POST", "/cases/{id}/referrals/{referral}/outcome", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let id = try caseID(request)
            let form = try app.consoleForm(request, context)
            let outcome = (form["outcome"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            do {
                guard !outcome.isEmpty else { throw APIError.validation([FieldError("outcome", "is required")]) }
                let decision = form["aid_decision"].flatMap { $0.isEmpty ? nil : $0 }
                let aidDecision = decision.flatMap(LegalAidDecision.init(rawValue:))
                if decision != nil, aidDecision == nil { throw APIError.validation([FieldError("aid_decision", "is not a known decision")]) }
                try app.store.recordReferralOutcome(caseID: id, referralID: try caseID(request, "referral"), outcome: outcome,
                                                    aidDecision: aidDecision, by: user)
                return Console.redirect(to: "/cases/\(id)?done=referral_outcome")
            } catch {
                return try app.casePage(id, context, breakGlass: nil, flash: (ConsoleLabels.problem(error, retryAfter: 5), true))
            }
        })
        router.add("POST", "/cases/{id}/progress", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let form = try app.consoleForm(request, context)
            let note = (form["note"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if !note.isEmpty { try app.store.reportProgress(caseID: try caseID(request), note: note, by: user) }
            return Console.redirect(to: "/leader")
        })
        // A letter's scan, for those who may open its case (the read is audited).
        router.add("GET", "/attachments/{id}", Route(access: .console) { app, request, context in
            let user = try context.staff()
            guard let file = try app.store.attachment(id: try caseID(request), by: user) else { throw APIError.notFound }
            return Response(status: 200, headers: [("Content-Type", file.contentType), ("Cache-Control", "no-store"),
                                                   ("Content-Disposition", "inline; filename=\"scan-\(file.id).\(file.contentType == "application/pdf" ? "pdf" : "jpg")\"")],
                            body: file.bytes)
        })
    }

    /// The list's filters from the search form: empty fields mean "any"; a value that is not one of the
    /// choices is left out (the form offers only valid ones). Returns the filter and the query kept for links.
    func consoleCaseFilter(_ request: Request, user: StaffUser) throws -> (CaseFilter, [(String, String)]) {
        var filter = CaseFilter()
        filter.limit = 50
        var kept: [(String, String)] = []
        func value(_ name: String) -> String? {
            guard let raw = request.query[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        if let text = value("q"), text.count <= 100 { filter.text = text; kept.append(("q", text)) }
        if let status = value("status").flatMap(CaseStatus.init(rawValue:)) { filter.status = status.rawValue; kept.append(("status", status.rawValue)) }
        if let category = value("category").flatMap(CaseCategory.init(rawValue:)) { filter.category = category.rawValue; kept.append(("category", category.rawValue)) }
        if let channel = value("channel").flatMap(Channel.init(rawValue:)) { filter.channel = channel.rawValue; kept.append(("channel", channel.rawValue)) }
        if let unit = value("unit_id").flatMap({ Int64($0) }), try !store.unitIsOutsideScope(unit, of: user) {
            filter.unitID = unit
            kept.append(("unit_id", String(unit)))
        }
        if let day = value("received_from").flatMap(LocalDate.init(iso:)) { filter.receivedFrom = day; kept.append(("received_from", day.description)) }
        if let day = value("received_to").flatMap(LocalDate.init(iso:)) { filter.receivedTo = day; kept.append(("received_to", day.description)) }
        if value("overdue") == "true" { filter.overdue = true; kept.append(("overdue", "true")) }
        if value("collective") == "true" { filter.collective = true; kept.append(("collective", "true")) }
        if let sealed = value("sealed"), ["true", "false"].contains(sealed) { filter.sealed = sealed == "true"; kept.append(("sealed", sealed)) }
        if let before = value("before_id").flatMap({ Int64($0) }), before > 0 { filter.beforeID = before; kept.append(("before_id", String(before))) }
        return (filter, kept)
    }

    /// Runs a case-page form through the store; returns the name of what was done.
    func performConsoleAction(_ form: [String: String], caseID id: Int64, user: StaffUser) throws -> String {
        let text = (form["text"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let note: String? = text.isEmpty ? nil : text
        switch form["action"] ?? "" {
        case "refer":
            guard let kind = form["kind"].flatMap(ReferralKind.init(rawValue:)), let to = form["referred_to"], !to.isEmpty else {
                throw APIError.validation([FieldError("referred_to", "is required")])
            }
            var bodyID: Int64?
            if let raw = form["mediation_body_id"], !raw.isEmpty {
                guard let id = Int64(raw) else { throw APIError.validation([FieldError("mediation_body_id", "must be a mediation body")]) }
                bodyID = id
            }
            _ = try store.refer(caseID: id, kind: kind, to: to, note: note, mediationBodyID: bodyID, by: user)
            return "refer"
        case "follow_up":
            guard let satisfaction = form["satisfaction"].flatMap(Satisfaction.init(rawValue:)),
                  let method = form["method"], ["call", "visit"].contains(method) else {
                throw APIError.validation([FieldError("satisfaction", "is required")])
            }
            try store.followUp(caseID: id, method: method, satisfaction: satisfaction, note: note, reopen: form["reopen"] == "yes", by: user)
            return "follow_up"
        case "extend":
            guard let kind = form["clock"].flatMap(ClockKind.init(rawValue:)), let limit = form["limit"].flatMap(DeadlineLimit.init),
                  let approver = form["approver"], !approver.isEmpty, let note else {
                throw APIError.validation([FieldError("limit", "is required"), FieldError("approver", "is required")])
            }
            try store.extend(caseID: id, clock: kind, by: limit, approver: approver, reason: note, user: user)
            return "extended"
        case "assign_leader":
            guard let leader = form["leader_id"].flatMap({ Int64($0) }), let note else {
                throw APIError.validation([FieldError("leader_id", "is required"), FieldError("reason", "is required")])
            }
            try store.assignLeader(caseID: id, leaderID: leader, reason: note, by: user)
            return "leader_assigned"
        case "take":
            try store.assignHandler(caseID: id, handlerID: user.id, by: user)
            return "handler_assigned"
        case "assign_handler":
            guard let handler = form["handler_id"].flatMap({ Int64($0) }) else { throw APIError.validation([FieldError("handler_id", "is required")]) }
            try store.assignHandler(caseID: id, handlerID: handler, by: user)
            return "handler_assigned"
        case "mandatory_report":
            guard let reason = form["report_reason"].flatMap(MandatoryReportReason.init(rawValue:)) else {
                throw APIError.validation([FieldError("report_reason", "is required")])
            }
            try store.requireMandatoryReport(caseID: id, reason: reason, note: note, by: user)
            return "mandatory_report_required"
        case "seal":
            guard let note else { throw APIError.validation([FieldError("reason", "is required")]) }
            try store.seal(caseID: id, reason: note, by: user)
            return "sealed"
        case let raw:
            guard let action = CaseAction(rawValue: raw), action != .followUp, action != .refer, action != .reopen else { throw APIError.notFound }
            if [.decline, .objectTransfer, .requestReview, .requestRereview].contains(action), note == nil {
                throw APIError.validation([FieldError("reason", "is required")])
            }
            if [.reply, .decideReview, .decideRereview].contains(action), note == nil {
                throw APIError.validation([FieldError("text", "is required")])
            }
            try store.perform(action, caseID: id, by: user, StepInput(
                reason: action == .reply ? nil : note, targetUnitID: form["unit_id"].flatMap { Int64($0) },
                text: note, decision: form["decision"]))
            return action.rawValue
        }
    }

    /// `kept`: a refused report form's task and fields, shown again as she typed them.
    func casePage(_ id: Int64, _ context: RequestContext, breakGlass: String?, flash: (String, Bool)?,
                  kept: (taskID: Int64, form: [String: String])? = nil) throws -> Response {
        let user = try context.staff()
        let unitName = try store.unitName(user.unitID)
        guard let record = try store.readCase(id: id, by: user, view: "case", breakGlassReason: breakGlass) else {
            return Console.page(404, title: "未找到", template: "message", MessageView(
                heading: "未找到该案件", text: "案件不存在，或不在您的查看范围内。", link: "/cases", link_text: "返回案件查询"
            ), session: context.session, unitName: unitName)
        }
        let item = record.item
        let csrf = context.session?.csrfToken ?? ""
        let zone = store.timeZone
        var page = CasePageView(
            id: item.id, tracking_no: item.trackingNo, sealed: item.sealed, masked: item.masked,
            can_break: item.masked && user.role == .supervisor, broke_seal: record.brokeSeal, csrf: csrf,
            category: ConsoleLabels.category(item.category), status: ConsoleLabels.status(item.status), unit: item.unitName,
            channel: ConsoleLabels.channel(item.channel), received_on: item.receivedOn.chineseText,
            repeat: item.contactCount > 1, contact_count: item.contactCount, summary: item.summary ?? "")
        page.collective = ConsoleLabels.collective(item.visitors)
        if let grade = item.riskGrade {
            page.risk = "危险评估：" + (ConsoleLabels.grades[grade] ?? grade)
            page.risk_class = grade == "high" ? "high" : grade == "medium" ? "soon" : ""
        }
        if let person = record.petitioner {
            page.petitioner = ConsolePetitionerView(name: person.name ?? "（未留姓名）", phone: person.phone ?? "", id_number: person.idNumber ?? "",
                                             address: person.address ?? "", is_minor: person.isMinor)
        }
        if let victim = record.victim {
            // nil, not empty strings: a section over "" would still render.
            page.victim = ConsoleVictimView(relation: victim.relation.label, is_minor: victim.isMinor, age: victim.age.map { String($0) },
                                     birth_date: victim.birthDate?.chineseText)
        }
        // Grounds staff learn of later (a pregnancy, a victim's capacity): the roles that may record a report.
        if [.operator_, .reception, .handler, .supervisor, .leader].contains(user.role) {
            page.can_require_report = true
            page.report_reasons = MandatoryReportReason.allCases.map { ChoiceOption(value: $0.rawValue, label: $0.label) }
        }
        page.clocks = try record.clocks.filter { $0.state != "cancelled" }.map { clock in
            var row = ClockRowView(kind: ConsoleLabels.clock(clock.kind), started_on: clock.startedOn.chineseText,
                                   due_on: clock.dueOn.chineseText, state: ConsoleLabels.clockStates[clock.state] ?? clock.state)
            if clock.state == "running" {
                let (text, style) = ConsoleLabels.countdown(try store.workingDaysLeft(until: clock.dueOn))
                row.countdown = text
                row.countdown_class = style
            }
            return row
        }
        let tasks = record.tasks.map { task in
            let reason = MandatoryReportReason(rawValue: task.reason)?.label
                ?? (task.reason.hasPrefix("protection_order_violation_") ? CaseEventKind.reasonLabel(task.reason) : nil)
            let open = task.state == "open"
            var row = TaskRowView(
                id: task.id, case_id: item.id, csrf: csrf, open: open,
                label: (ConsoleLabels.tasks[task.kind] ?? task.kind) + (reason.map { "（\($0)）" } ?? ""),
                state: open ? "待办" : "已完成", reportable: task.kind != "follow_up", police: task.kind != "direct_report",
                zone_label: ConsoleLabels.zoneName(zone), time_example: ReportedTime.example)
            // Open: when it is due. Done: what was reported (a follow-up visit keeps its day).
            if open || task.kind == "follow_up" { row.due = ConsoleLabels.deadline(task.dueAt, in: zone) }
            else if case let detail = ConsoleLabels.reportDetail(task.detailJSON, in: zone), !detail.isEmpty { row.reported = detail }
            if open, let kept, kept.taskID == task.id {
                row.kept_station = kept.form["station"] ?? ""
                row.kept_receipt_no = kept.form["receipt_no"] ?? ""
                row.kept_reported_to = kept.form["reported_to"] ?? ""
                // A datetime-local input shows only its own form; a time it cannot show stays as typed for other browsers.
                let typed = kept.form["reported_at"] ?? ""
                row.kept_reported_at = ReportedTime.parse(typed, in: zone).map { ReportedTime.localInputValue($0, in: zone) } ?? typed
            }
            return row
        }
        page.tasks = tasks
        page.has_tasks = !tasks.isEmpty
        // Referrals: to whom, and what came of it — or the form to record it (an open one blocks closing).
        let referrals = record.referrals.map { referral in
            var row = ReferralRowView(id: referral.id, case_id: item.id, csrf: csrf,
                                      kind: ConsoleLabels.referralKinds[referral.kind] ?? "转介", to: referral.referredTo,
                                      at: ConsoleLabels.time(referral.referredAt, in: zone), note: referral.note)
            if let outcome = referral.outcome {
                row.outcome = outcome
                row.outcome_at = referral.outcomeAt.map { ConsoleLabels.time($0, in: zone) } ?? ""
            }
            if let due = referral.decisionDueOn {
                let left = due.dayNumber - store.today.dayNumber
                row.decision_due = due.description
                row.decision_left = left >= 0 ? "剩余\(left)天" : "已逾期\(-left)天"
                row.decision_late = left < 0
                row.aid_decision = referral.aidDecision?.label
            }
            return row
        }
        page.referrals = referrals
        page.has_referrals = !referrals.isEmpty
        if !item.masked {
            var persons = [ChoiceOption(value: ProtectedPerson.petitioner.rawValue, label: ProtectedPerson.petitioner.label)]
            if let victim = record.victim, victim.relation != .petitioner {
                persons.append(ChoiceOption(value: ProtectedPerson.victim.rawValue, label: ProtectedPerson.victim.label + "（\(victim.relation.label)）"))
            }
            page.orders_section = try protectionOrdersSection(caseID: item.id, user: user, csrf: csrf,
                                                              canRecord: [.operator_, .reception, .handler, .supervisor, .leader].contains(user.role),
                                                              persons: persons)
        }
        var timeline = record.contacts.map { contact in
            (contact.recordedAt, "\(ConsoleLabels.channel(contact.channel))" + (ConsoleLabels.collective(contact.details?.visitors).map { "（\($0)）" } ?? "") + (contact.summary.map { "：" + $0 } ?? ""))
        }
        timeline += record.events.filter { !["registered", "contact_added"].contains($0.kind) }.map { event in
            (event.at, (ConsoleLabels.events[event.kind] ?? "办理") + (ConsoleLabels.eventReason(event.reason).map { "：" + $0 } ?? ""))
        }
        page.timeline = timeline.sorted { $0.0 < $1.0 }.map { TimelineEntry(at: ConsoleLabels.time($0.0, in: zone), text: $0.1) }
        let documents = record.documents.map { DocumentLink(title: $0.title, number: $0.number, url: "/cases/\(item.id)/documents/\($0.id)") }
        page.documents = documents
        page.has_documents = !documents.isEmpty
        let attachments = item.masked ? [] : try store.attachmentList(caseID: item.id).map { file in
            AttachmentLink(id: file.id, label: (file.contentType == "application/pdf" ? "PDF" : "JPEG") + " · \(file.size / 1024) KB · "
                + ConsoleLabels.time(file.uploadedAt, in: zone))
        }
        page.attachments = attachments
        page.has_attachments = !attachments.isEmpty
        let actions = try consoleActions(record, user: user, csrf: csrf)
        page.actions = actions
        page.has_actions = !actions.isEmpty
        return Console.page(200, title: item.trackingNo, template: "case", page, session: context.session, unitName: unitName,
                            path: "/cases", flash: flash)
    }

    /// The forms of the actions her role may take on the case as it stands.
    func consoleActions(_ record: CaseRecord, user: StaffUser, csrf: String) throws -> [ActionFormView] {
        guard let status = CaseStatus(rawValue: record.item.status) else { return [] }
        let id = record.item.id
        func form(_ action: String, _ label: String, text: String, required: Bool = false,
                  extra: (inout ActionFormView) -> Void = { _ in }) -> ActionFormView {
            var form = ActionFormView(case_id: id, csrf: csrf, action: action, label: label, text_label: text, text_required: required)
            extra(&form)
            return form
        }
        var forms: [ActionFormView] = []
        // Who handles it can be settled without opening it: that is how a sealed case gets its circle.
        if status.isOpen, record.item.handlerID == nil, user.role == .handler, user.unitID == record.item.unitID {
            forms.append(form("take", "由我承办", text: "备注（可不填）"))
        }
        if status.isOpen, [.supervisor, .leader].contains(user.role) {
            let handlers = try store.staff(ofUnit: record.item.unitID).filter { $0.role == .handler }
            if !handlers.isEmpty {
                forms.append(form("assign_handler", "指定承办人", text: "备注（可不填）") {
                    $0.needs_handler = true
                    $0.handlers = handlers.map { PersonOption(id: $0.id, name: $0.displayName) }
                })
            }
        }
        guard !record.item.masked else { return forms }
        for action in CaseWorkflow.actions(from: status) where action.roles.contains(user.role) && action != .reopen {
            if [.acceptTransfer, .objectTransfer].contains(action), user.unitID != record.item.unitID { continue }
            // A review request only while its period runs (the store refuses it otherwise): no 复核 before a 复查 decision.
            if let window: ClockKind = action == .requestReview ? .reviewRequest : action == .requestRereview ? .rereviewRequest : nil,
               !record.clocks.contains(where: { $0.kind == window.rawValue && $0.state == "running" }) { continue }
            // Review decisions belong to the level above the unit whose decision is reviewed (Art. 35, 36).
            if [.decideReview, .decideRereview].contains(action), try store.reviewDecidingUnit(caseID: id, for: user) != user.unitID {
                continue
            }
            let label = ConsoleLabels.actions[action] ?? action.rawValue
            switch action {
            case .transfer:
                // Only down from the case's own unit.
                let below = try store.units(under: record.item.unitID).filter { $0.id != record.item.unitID }
                    .map { UnitOption(id: $0.id, name: $0.name, indent: String(repeating: "　", count: $0.depth - 1)) }
                if !below.isEmpty {
                    forms.append(form("transfer", label, text: "转办说明") { $0.needs_unit = true; $0.units = below })
                }
            case .reply: forms.append(form("reply", label, text: "答复意见（将写入答复意见书）", required: true))
            case .decline, .objectTransfer, .requestReview, .requestRereview: forms.append(form(action.rawValue, label, text: "理由", required: true))
            case .decideReview, .decideRereview:
                forms.append(form(action.rawValue, label, text: "意见说明", required: true) { $0.needs_decision = true })
            case .followUp:
                forms.append(form("follow_up", label, text: "回访情况") { $0.needs_satisfaction = true; $0.can_reopen = status == .closed })
            case .refer:
                let bodies = try store.mediationBodyChoices(near: record.item.unitID).map(MediationChoiceView.init)
                forms.append(form("refer", label, text: "转介说明") { $0.needs_referral = true; $0.mediation_bodies = bodies; $0.has_mediation_bodies = !bodies.isEmpty })
            default: forms.append(form(action.rawValue, label, text: "说明（可不填）"))
            }
        }
        let extendable = record.clocks.filter { $0.state == "running" }.compactMap { ClockKind(rawValue: $0.kind) }
            .filter { store.rules[$0].maximumExtension != nil }
        if !extendable.isEmpty, [.handler, .supervisor, .leader].contains(user.role) {
            forms.append(form("extend", "延长办理期限", text: "延期理由（将告知信访人）", required: true) {
                $0.needs_extension = true
                $0.clocks = extendable.map { ChoiceOption(value: $0.rawValue, label: $0.label) }
            })
        }
        if status.isOpen, [.supervisor, .leader].contains(user.role) {
            let leaders = try store.leaders(forUnit: record.item.unitID)
            if !leaders.isEmpty {
                forms.append(form("assign_leader", "领导包案", text: "包案理由", required: true) {
                    $0.needs_leader = true
                    $0.leaders = leaders.map { PersonOption(id: $0.id, name: $0.displayName) }
                })
            }
        }
        if !record.item.sealed, [.handler, .supervisor, .leader].contains(user.role) {
            forms.append(form("seal", "密封案件", text: "密封理由", required: true))
        }
        return forms
    }
}
