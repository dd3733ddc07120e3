import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// The console's dispatch pages (the township's dispatches to sign, one dispatch's mediation) and the
/// village's follow-ups due. Every form posts to the same store calls as the API.
extension HuiyinApp {
    static func addConsoleDispatchRoutes(to router: inout Router<Route>) {
        router.add("GET", "/dispatches", Route(access: .console) { app, _, context in
            try app.dispatchesPage(context, flash: nil)
        })
        router.add("GET", "/dispatches/{id}", Route(access: .console) { app, request, context in
            try app.dispatchPage(try caseID(request), context, flash: nil)
        })
        for step in ["sign", "object", "notes", "outcome"] {
            router.add("POST", "/dispatches/{id}/\(step)", Route(access: .console) { app, request, context in
                let user = try context.staff()
                let id = try caseID(request)
                let form = try app.consoleForm(request, context)
                do {
                    let found: Bool
                    switch step {
                    case "sign": found = try app.store.signDispatch(id: id, by: user)
                    case "object": found = try app.store.objectToDispatch(id: id, reason: form["reason"], by: user)
                    case "notes": found = try app.store.addDispatchNote(id: id, note: form["note"], by: user)
                    default:
                        let draft = MediationOutcomeDraft(result: form["result"], nextStep: form["next_step"],
                                                          referredTo: form["referred_to"], note: form["note"])
                        found = try app.store.recordDispatchOutcome(id: id, try draft.validate().get(), by: user)
                    }
                    guard found else { throw APIError.notFound }
                    return Console.redirect(to: step == "sign" || step == "object" ? "/dispatches?done=\(step)" : "/dispatches/\(id)?done=\(step)")
                } catch let error as APIError where error.status == 404 {
                    throw error
                } catch {
                    let flash = (ConsoleLabels.problem(error, retryAfter: 5), true)
                    return step == "sign" || step == "object" ? try app.dispatchesPage(context, flash: flash)
                        : try app.dispatchPage(id, context, flash: flash)
                }
            })
        }
        router.add("GET", "/follow-ups", Route(access: .console) { app, _, context in
            try app.followUpsPage(context, flash: nil)
        })
        router.add("POST", "/leads/{id}/follow-ups", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let form = try app.consoleForm(request, context)
            do {
                let draft = FollowUpDraft(madeOn: form["made_on"], method: form["method"], result: form["result"], notes: form["notes"])
                guard try app.store.recordFollowUp(leadID: try caseID(request), try draft.validate(today: app.store.today).get(),
                                                   by: user) != nil else { throw APIError.notFound }
                return Console.redirect(to: "/follow-ups?done=1")
            } catch let error as APIError where error.status == 404 {
                throw error
            } catch {
                return try app.followUpsPage(context, flash: (ConsoleLabels.problem(error, retryAfter: 5), true))
            }
        })
    }

    func dispatchesPage(_ context: RequestContext, flash: (text: String, error: Bool)?) throws -> Response {
        let user = try context.staff()
        let csrf = context.session?.csrfToken ?? ""
        let toSign = try store.dispatches(.toSign, for: user).map { DispatchRowView($0, csrf: csrf) }
        let all = try store.dispatches(.mine, for: user).map { DispatchRowView($0, csrf: csrf) }
        return Console.page(flash == nil ? 200 : 422, title: "派单签收", template: "dispatches",
                            DispatchesView(to_sign: toSign, all: all), session: context.session,
                            unitName: try store.unitName(user.unitID), path: "/dispatches", flash: flash)
    }

    func dispatchPage(_ id: Int64, _ context: RequestContext, flash: (text: String, error: Bool)?) throws -> Response {
        let user = try context.staff()
        guard let page = try store.dispatchPage(id: id, for: user) else { throw APIError.notFound }
        let d = page.dispatch
        let mine = d.toUnitID == user.unitID && !user.role.worksInGrids
        let view = DispatchPageConsoleView(
            row: DispatchRowView(d, csrf: context.session?.csrfToken ?? ""),
            notes: page.notes.map { NoteRowView(note: $0.note, at: LocalDate($0.recordedAt, in: store.timeZone).chineseText) },
            outcome: page.outcome.map {
                OutcomeRowView(result: $0.outcome.result.label, next_step: $0.outcome.nextStep, referred_to: $0.outcome.referredTo,
                               note: $0.outcome.note, at: LocalDate($0.recordedAt, in: store.timeZone).chineseText)
            },
            can_record: mine && d.state == .signed, csrf: context.session?.csrfToken ?? "")
        return Console.page(flash == nil ? 200 : 422, title: "派单详情", template: "dispatch", view, session: context.session,
                            unitName: try store.unitName(user.unitID), path: "/dispatches", flash: flash)
    }

    func followUpsPage(_ context: RequestContext, flash: (text: String, error: Bool)?) throws -> Response {
        let user = try context.staff()
        let csrf = context.session?.csrfToken ?? ""
        let today = store.today
        let rows = try store.followUpsDue(for: user).map { due in
            FollowUpRowView(lead_id: due.leadID, kind: DispatchRowView.kindLabel(due.leadKind),
                            summary: due.summary ?? (due.sealed ? "（涉密线索，内容不显示）" : ""),
                            risk: due.riskGrade?.label ?? "未评估", number: "第\(due.number)次回访",
                            due_on: due.dueOn.chineseText, overdue: due.overdue, today: today.description, csrf: csrf)
        }
        return Console.page(flash == nil ? 200 : 422, title: "跟踪回访", template: "follow_ups", FollowUpsView(rows: rows),
                            session: context.session, unitName: try store.unitName(user.unitID), path: "/follow-ups", flash: flash)
    }
}

struct DispatchRowView: ConsoleView {
    let id: Int64
    let kind: String
    let risk: String
    let summary: String
    let from_unit: String
    let to_unit: String
    let state: String
    let awaiting: Bool
    let due_on: String
    let days_left: String?
    let late: Bool
    let note: String?
    let objection: String?
    let csrf: String

    init(_ d: DispatchRecord, csrf: String) {
        id = d.id
        kind = Self.kindLabel(d.leadKind)
        risk = d.riskGrade?.label ?? "未评估"
        summary = d.summary ?? (d.sealed ? "（涉密线索，内容不显示）" : "")
        from_unit = d.fromUnitName
        to_unit = d.toUnitName
        state = d.state.label
        awaiting = d.state == .awaitingSign
        due_on = d.signDueOn.chineseText
        days_left = d.daysLeft.map { $0 >= 0 ? "剩余\($0)个工作日" : "已超期\(-$0)个工作日" }
        late = (d.daysLeft ?? 0) < 0
        note = d.note
        objection = d.objectionReason
        self.csrf = csrf
    }

    static func kindLabel(_ kind: String) -> String {
        [
            "family_dispute": "婚姻家庭纠纷", "domestic_violence": "家庭暴力", "minor_sexual_assault": "疑似性侵未成年人",
            "minor_in_danger": "未成年人处境危险", "other": "其他",
        ][kind] ?? "其他"
    }
}

struct DispatchesView: ConsoleView {
    let to_sign: [DispatchRowView]
    let all: [DispatchRowView]
}

struct NoteRowView: ConsoleView {
    let note: String
    let at: String
}

struct OutcomeRowView: ConsoleView {
    let result: String
    let next_step: String?
    let referred_to: String?
    let note: String?
    let at: String
}

struct DispatchPageConsoleView: ConsoleView {
    let row: DispatchRowView
    let notes: [NoteRowView]
    let outcome: OutcomeRowView?
    let can_record: Bool
    let csrf: String
    var id: Int64 { row.id }
}

struct FollowUpRowView: ConsoleView {
    let lead_id: Int64
    let kind: String
    let summary: String
    let risk: String
    let number: String
    let due_on: String
    let overdue: Bool
    let today: String
    let csrf: String
}

struct FollowUpsView: ConsoleView {
    let rows: [FollowUpRowView]
}

/// Beside the petition figures on the supervisors' page: dispatches per receiving unit this month.
struct DispatchFiguresRowView: ConsoleView {
    let unit: String
    let dispatched: Int, signed_on_time: Int, signed_late: Int, objected: Int, settled: Int, not_settled: Int, referred: Int, open: Int

    init(_ f: DispatchFigures) {
        unit = f.unitName
        dispatched = f.dispatched
        signed_on_time = f.signedOnTime
        signed_late = f.signedLate
        objected = f.objected
        settled = f.settled
        not_settled = f.notSettled
        referred = f.referred
        open = f.open
    }
}

struct LegalAidFiguresRowView: ConsoleView {
    let unit: String
    let referred: Int, on_time: Int, late: Int, open: Int, overdue: Int, granted: Int, refused: Int, withdrawn: Int

    init(_ f: LegalAidFigures) {
        unit = f.unitName
        (referred, on_time, late, open, overdue) = (f.referred, f.decidedOnTime, f.decidedLate, f.open, f.overdue)
        (granted, refused, withdrawn) = (f.granted, f.refused, f.withdrawn)
    }
}

enum DispatchTemplates {
    static let all: [(String, String)] = [("dispatches", dispatches), ("dispatch", dispatch), ("follow_ups", followUps)]

    static let dispatches = """
        <section class="card"><h1>待签收派单</h1>
        <table id="to-sign"><tr><th>线索</th><th>风险</th><th>派出单位</th><th>签收期限</th><th>办理</th></tr>
        {{#to_sign}}<tr data-dispatch="{{id}}"><td><a href="/dispatches/{{id}}">{{kind}}</a><p class="hint">{{summary}}</p>{{#note}}<p class="hint">派单说明：{{note}}</p>{{/note}}</td>
        <td>{{risk}}</td><td>{{from_unit}}</td><td>{{due_on}} <span class="tag{{#late}} late{{/late}}">{{days_left}}</span></td>
        <td><form method="post" action="/dispatches/{{id}}/sign"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">签收</button></form>
        <form method="post" action="/dispatches/{{id}}/object" class="row"><input type="hidden" name="_csrf" value="{{csrf}}">
        <div><input type="text" name="reason" required aria-label="退回理由" placeholder="退回理由"></div><div><button type="submit" class="secondary">提出异议并退回</button></div></form></td></tr>{{/to_sign}}
        </table>{{^to_sign}}<p>没有待签收的派单。</p>{{/to_sign}}
        </section>
        <section class="card"><h2>全部派单</h2>
        <table id="dispatches"><tr><th>线索</th><th>风险</th><th>派出单位</th><th>接收单位</th><th>状态</th></tr>
        {{#all}}<tr><td><a href="/dispatches/{{id}}">{{kind}}</a></td><td>{{risk}}</td><td>{{from_unit}}</td><td>{{to_unit}}</td><td>{{state}}{{#objection}}（退回理由：{{objection}}）{{/objection}}</td></tr>{{/all}}
        </table>{{^all}}<p>暂无派单。</p>{{/all}}
        </section>
        """

    static let dispatch = """
        {{#row}}<section class="card"><h1>派单 · {{kind}}</h1>
        <p>{{summary}}</p>
        <p>风险等级：{{risk}}；派出单位：{{from_unit}}；接收单位：{{to_unit}}；状态：<span id="state">{{state}}</span></p>
        {{#awaiting}}<p>签收期限：{{due_on}} <span class="tag{{#late}} late{{/late}}">{{days_left}}</span></p>{{/awaiting}}
        {{#note}}<p class="hint">派单说明：{{note}}</p>{{/note}}
        {{#objection}}<p class="hint">退回理由：{{objection}}</p>{{/objection}}
        </section>{{/row}}
        <section class="card"><h2>调处进展</h2>
        <ul id="notes">{{#notes}}<li>{{at}}：{{note}}</li>{{/notes}}</ul>{{^notes}}<p>尚无进展记录。</p>{{/notes}}
        {{#can_record}}<form method="post" action="/dispatches/{{id}}/notes" class="row"><input type="hidden" name="_csrf" value="{{csrf}}">
        <div><input type="text" name="note" required aria-label="进展情况" placeholder="进展情况"></div><div><button type="submit">记录进展</button></div></form>{{/can_record}}
        </section>
        <section class="card"><h2>调处结果</h2>
        {{#outcome}}<p id="outcome">{{result}}（{{at}}）{{#next_step}}；下一步：{{next_step}}{{/next_step}}{{#referred_to}}；移交：{{referred_to}}{{/referred_to}}{{#note}}；{{note}}{{/note}}</p>{{/outcome}}
        {{#can_record}}<form method="post" action="/dispatches/{{id}}/outcome"><input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="result">结果</label><select id="result" name="result"><option value="settled">已化解</option><option value="not_settled">未化解</option><option value="referred">已移交</option></select>
        <label for="next-step">下一步措施（未化解时填写）</label><input type="text" id="next-step" name="next_step">
        <label for="referred-to">移交对象（移交时填写）</label><input type="text" id="referred-to" name="referred_to">
        <label for="outcome-note">说明</label><input type="text" id="outcome-note" name="note">
        <p><button type="submit">登记结果</button></p></form>{{/can_record}}
        {{^outcome}}{{^can_record}}<p>尚未登记结果。</p>{{/can_record}}{{/outcome}}
        </section>
        """

    static let followUps = """
        <section class="card"><h1>跟踪回访</h1>
        <p class="hint">已化解的纠纷在化解后1个月、3个月、6个月各回访一次；发现复发的，线索重新交妇女议事会研判，风险等级提高一级。</p>
        <table id="follow-ups"><tr><th>线索</th><th>风险</th><th>回访</th><th>应回访日期</th><th>登记回访</th></tr>
        {{#rows}}<tr data-lead="{{lead_id}}"><td>{{kind}}<p class="hint">{{summary}}</p></td><td>{{risk}}</td><td>{{number}}</td>
        <td>{{due_on}}{{#overdue}} <span class="tag late">已超期</span>{{/overdue}}</td>
        <td><form method="post" action="/leads/{{lead_id}}/follow-ups"><input type="hidden" name="_csrf" value="{{csrf}}">
        <div class="row"><div><label>回访日期<input type="date" name="made_on" max="{{today}}" value="{{today}}" required></label></div>
        <div><label>回访方式<select name="method"><option value="visit">入户回访</option><option value="phone">电话回访</option></select></label></div>
        <div><label>结果<select name="result"><option value="calm">平稳</option><option value="recurred">复发</option></select></label></div></div>
        <label>情况记录<input type="text" name="notes"></label>
        <button type="submit">登记回访</button></form></td></tr>{{/rows}}
        </table>{{^rows}}<p>没有待回访的纠纷。</p>{{/rows}}
        </section>
        """
}
