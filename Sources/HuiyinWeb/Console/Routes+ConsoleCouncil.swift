import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// The village women's council's pages: its agenda (open leads, oldest first, with the days left before
/// the township hears of them), a lead's page (an audited read), and the sitting form, which goes through
/// the same store functions as the API.
extension HuiyinApp {
    /// Participant rows the sitting form offers.
    static let sittingFormRows = 5

    static func addConsoleCouncilRoutes(to router: inout Router<Route>) {
        router.add("GET", "/council", Route(access: .console) { app, request, context in
            try app.councilPage(context, flash: request.query["done"] != nil ? ("议事记录已保存。", false) : nil, form: [:])
        })
        router.add("POST", "/council/sittings", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let form = try app.consoleForm(request, context)
            do {
                let sitting = try Self.sittingDraft(form).validate(today: app.store.today).get()
                guard try app.store.recordSitting(villageID: user.unitID, sitting, by: user) != nil else { throw APIError.notFound }
                return Console.redirect(to: "/council?done=1")
            } catch {
                var message = ConsoleLabels.problem(error, retryAfter: 5)
                if let failure = error as? ValidationFailure {
                    message = "请检查：" + failure.fields.map { Self.sittingFieldLabel($0.field) }.joined(separator: "；") + "。"
                } else if let conflict = error as? InvalidTransition, conflict.code == "lead_already_decided" {
                    message = "所选线索已在其他议事中研判过，请刷新后重试。"
                }
                return try app.councilPage(context, flash: (message, true), form: form, status: 422)
            }
        })
        router.add("GET", "/leads/{id}", Route(access: .console) { app, request, context in
            let user = try context.staff()
            guard let record = try app.store.readLead(id: try caseID(request), by: user, view: "console") else {
                return Console.page(404, title: "未找到", template: "message", MessageView(
                    heading: "未找到该线索", text: "线索不存在，或不在您的查看范围内。", link: "/council", link_text: "返回议事"
                ), session: context.session)
            }
            let item = record.item
            return Console.page(200, title: "线索", template: "lead", LeadPageView(
                id: item.id, masked: item.masked, sealed: item.sealed, kind: item.masked ? "密封线索" : item.kind.label,
                grid: item.gridName, village: item.villageName, source: item.source.label, urgency: item.urgency.label,
                status: item.status.label, risk: item.riskGrade?.label ?? "未评估", summary: item.summary ?? "",
                reported: ConsoleLabels.time(item.reportedAt, in: app.store.timeZone),
                due: item.deliberationDueOn.map(\.chineseText) ?? "",
                people: record.people.map { LeadPersonRow(name: $0.name, phone: $0.phone ?? "", minor: $0.isMinor ? "未成年人" : "") },
                reports: record.mandatoryReports.map(\.label),
                tasks: record.tasks.map { LeadTaskRow(kind: ConsoleLabels.tasks[$0.kind] ?? "必办事项", state: $0.state == "open" ? "待办" : "已完成") },
                case_id: record.caseID
            ), session: context.session, unitName: try app.store.unitName(user.unitID), path: "/council")
        })
    }

    /// The agenda of her scope; for the staff of a village, with the sitting form.
    func councilPage(_ context: RequestContext, flash: (String, Bool)?, form: [String: String], status: Int = 200) throws -> Response {
        let user = try context.staff()
        var filter = LeadFilter(status: .open, limit: 200)
        filter.oldestFirst = true
        let leads = try store.leads(filter, for: user)
        let today = store.today
        let atVillage = try !user.role.worksInGrids && store.leadUnitIsInScope(user.unitID, level: "village", of: user)
        // The bodies of the village's county: the one a dispatch may name.
        let bodies = atVillage ? try store.mediationBodyChoices(near: user.unitID) : []
        let rows = leads.map { item in
            let left = item.deliberationDueOn.map { $0.dayNumber - today.dayNumber }
            return AgendaRow(
                id: item.id, masked: item.masked, kind: item.masked ? "密封线索" : item.kind.label, grid: item.gridName,
                village: item.villageName, urgency: item.urgency.label, people: item.people.joined(separator: "、"),
                reported: LocalDate(item.reportedAt, in: store.timeZone).chineseText,
                days_left: left.map { $0 < 0 ? "已超期 \(-$0) 天" : "剩余 \($0) 天" } ?? "",
                late: (left ?? 1) < 0, decision: form["decision_\(item.id)"] ?? "",
                mediator_name: form["mediator_name_\(item.id)"] ?? "", referred_to: form["referred_to_\(item.id)"] ?? "",
                reason: form["reason_\(item.id)"] ?? "", note: form["note_\(item.id)"] ?? "",
                decisions: LeadDecisionKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: form["decision_\(item.id)"] == $0.rawValue) },
                mediators: MediatorKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: form["mediator_kind_\(item.id)"] == $0.rawValue) },
                referrals: LeadReferralKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: form["referral_kind_\(item.id)"] == $0.rawValue) },
                grades: RiskGrade.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: form["risk_grade_\(item.id)"] == $0.rawValue) },
                bodies: bodies.map { SelectOption(value: String($0.id), label: MediationChoiceView($0).label,
                                                  selected: form["mediation_body_\(item.id)"] == String($0.id)) })
        }
        let participants = (0..<Self.sittingFormRows).map { index in
            ParticipantRow(index: index, name: form["participant_name_\(index)"] ?? "",
                           roles: SittingRole.allCases.map { SelectOption(value: $0.rawValue, label: $0.label,
                                                                    selected: (form["participant_role_\(index)"] ?? "council_member") == $0.rawValue) })
        }
        return Console.page(status, title: "妇女议事", template: "council", CouncilView(
            rows: rows, form: atVillage && !rows.isEmpty, csrf: context.session?.csrfToken ?? "",
            today: today.description, held_on: form["held_on"] ?? today.description, participants: participants
        ), session: context.session, unitName: try store.unitName(user.unitID), path: "/council", flash: flash)
    }

    /// The sitting form as a draft: the leads with a decision chosen, the participant rows filled in.
    static func sittingDraft(_ form: [String: String]) -> SittingDraft {
        func value(_ name: String) -> String? { form[name].flatMap { $0.isEmpty ? nil : $0 } }
        var draft = SittingDraft(heldOn: value("held_on"))
        for index in 0..<sittingFormRows {
            guard let name = value("participant_name_\(index)") else { continue }
            draft.participants.append(SittingParticipantDraft(name: name, role: value("participant_role_\(index)")))
        }
        let leadIDs = form.keys.compactMap { key -> Int64? in
            guard key.hasPrefix("decision_"), value(key) != nil else { return nil }
            return Int64(key.dropFirst("decision_".count))
        }.sorted()
        for id in leadIDs {
            let kind = value("decision_\(id)")
            let decision = kind.flatMap(LeadDecisionKind.init(rawValue:))
            draft.decisions.append(LeadDecisionDraft(
                leadID: id, decision: kind,
                mediatorKind: decision == .mediateHere ? value("mediator_kind_\(id)") : nil,
                mediatorName: decision == .mediateHere ? value("mediator_name_\(id)") : nil,
                referralKind: decision == .refer ? value("referral_kind_\(id)") : nil,
                referredTo: decision == .refer ? value("referred_to_\(id)") : nil,
                mediationBodyID: decision == .dispatch ? value("mediation_body_\(id)").flatMap { Int64($0) } : nil,
                reason: decision == .close ? value("reason_\(id)") : nil, note: value("note_\(id)"), riskGrade: value("risk_grade_\(id)")))
        }
        return draft
    }

    /// A refused field of the sitting form, in Chinese.
    static func sittingFieldLabel(_ field: String) -> String {
        let leaf = field.split(separator: ".").last.map(String.init) ?? field
        let labels = ["held_on": "议事日期（不能晚于今天）", "participants": "参会人员（至少一人）", "decisions": "研判结果（至少选择一条线索）",
                      "name": "参会人员姓名", "role": "参会人员身份", "lead_id": "线索", "decision": "研判结果",
                      "mediator_kind": "调解人员类别", "mediator_name": "调解人员姓名", "referral_kind": "转介去向",
                      "referred_to": "转介对象", "reason": "结束理由", "note": "备注", "target_unit_id": "派单单位",
                      "risk_grade": "风险研判（中、高风险方可派单）"]
        return labels[leaf] ?? "输入项"
    }
}

struct SelectOption: ConsoleView {
    let value: String
    let label: String
    let selected: Bool
}

struct AgendaRow: ConsoleView {
    let id: Int64
    let masked: Bool
    let kind: String
    let grid: String
    let village: String
    let urgency: String
    let people: String
    let reported: String
    let days_left: String
    let late: Bool
    let decision: String
    let mediator_name: String
    let referred_to: String
    let reason: String
    let note: String
    let decisions: [SelectOption]
    let mediators: [SelectOption]
    let referrals: [SelectOption]
    let grades: [SelectOption]
    /// The registry's mediation bodies a dispatch may name.
    let bodies: [SelectOption]
}

struct ParticipantRow: ConsoleView {
    let index: Int
    let name: String
    let roles: [SelectOption]
}

struct CouncilView: ConsoleView {
    let rows: [AgendaRow]
    let form: Bool
    let csrf: String
    let today: String
    let held_on: String
    let participants: [ParticipantRow]
}

struct LeadPersonRow: ConsoleView {
    let name: String
    let phone: String
    let minor: String
}

struct LeadTaskRow: ConsoleView {
    let kind: String
    let state: String
}

struct LeadPageView: ConsoleView {
    let id: Int64
    let masked: Bool
    let sealed: Bool
    let kind: String
    let grid: String
    let village: String
    let source: String
    let urgency: String
    let status: String
    let risk: String
    let summary: String
    let reported: String
    let due: String
    let people: [LeadPersonRow]
    let reports: [String]
    let tasks: [LeadTaskRow]
    let case_id: Int64?
}

enum ConsoleCouncilTemplates {
    static let all: [(String, String)] = [("council", council), ("lead", lead)]

    static let council = """
        <section class="card"><h1>妇女议事会 · 待研判线索</h1>
        <p class="hint">按上报先后排列；超过研判期限未研判的线索将上报乡镇（街道）妇联。</p>
        <form method="post" action="/council/sittings" id="sitting-form">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <table id="agenda"><tr><th>线索</th><th>网格</th><th>紧急程度</th><th>当事人</th><th>上报日期</th><th>研判期限</th>{{#form}}<th>研判结果</th>{{/form}}</tr>
        {{#rows}}<tr data-lead="{{id}}"{{#masked}} class="masked"{{/masked}}><td><a href="/leads/{{id}}">{{kind}}</a>{{#masked}} <span class="tag sealed">密封</span>{{/masked}}</td>
        <td>{{village}} {{grid}}</td><td>{{urgency}}</td><td>{{people}}</td><td>{{reported}}</td>
        <td><span class="tag{{#late}} high{{/late}}">{{days_left}}</span></td>
        {{#form}}<td><label class="visually-hidden" for="decision-{{id}}">研判结果</label>
        <select id="decision-{{id}}" name="decision_{{id}}"><option value="">本次不研判</option>{{#decisions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/decisions}}</select>
        <div><label for="risk-grade-{{id}}">风险研判（中、高风险方可派单）</label><select id="risk-grade-{{id}}" name="risk_grade_{{id}}"><option value="">不评定</option>{{#grades}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/grades}}</select></div>
        <div class="row"><div><label for="mediator-kind-{{id}}">调解人员类别</label><select id="mediator-kind-{{id}}" name="mediator_kind_{{id}}">{{#mediators}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/mediators}}</select></div>
        <div><label for="mediator-name-{{id}}">调解人员姓名</label><input type="text" id="mediator-name-{{id}}" name="mediator_name_{{id}}" value="{{mediator_name}}"></div></div>
        <div class="row"><div><label for="referral-kind-{{id}}">转介去向</label><select id="referral-kind-{{id}}" name="referral_kind_{{id}}">{{#referrals}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/referrals}}</select></div>
        <div><label for="referred-to-{{id}}">转介对象</label><input type="text" id="referred-to-{{id}}" name="referred_to_{{id}}" value="{{referred_to}}"></div></div>
        <div><label for="mediation-body-{{id}}">承接调解组织（上报派单时选填）</label><select id="mediation-body-{{id}}" name="mediation_body_{{id}}"><option value="">不指定</option>{{#bodies}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/bodies}}</select></div>
        <div><label for="reason-{{id}}">结束理由</label><input type="text" id="reason-{{id}}" name="reason_{{id}}" value="{{reason}}"></div>
        <div><label for="note-{{id}}">备注</label><input type="text" id="note-{{id}}" name="note_{{id}}" value="{{note}}"></div></td>{{/form}}</tr>{{/rows}}
        </table>{{^rows}}<p>暂无待研判的线索。</p>{{/rows}}
        {{#form}}<h2>议事记录</h2>
        <div><label for="held-on">议事日期</label><input type="date" id="held-on" name="held_on" value="{{held_on}}" max="{{today}}" required></div>
        <fieldset><legend>参会人员</legend>
        {{#participants}}<div class="row"><div><label for="participant-name-{{index}}">姓名</label><input type="text" id="participant-name-{{index}}" name="participant_name_{{index}}" value="{{name}}"></div>
        <div><label for="participant-role-{{index}}">身份</label><select id="participant-role-{{index}}" name="participant_role_{{index}}">{{#roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/roles}}</select></div></div>{{/participants}}
        </fieldset>
        <p><button type="submit" id="record-sitting">保存议事记录</button></p>{{/form}}
        </form>
        </section>
        """

    static let lead = """
        <section class="card"><h1>线索 · {{kind}}</h1>
        {{#masked}}<p class="flash error">此线索涉及家庭暴力或未成年人，已密封，仅所在网格的网格员和上级督办员可查看详情。</p>{{/masked}}
        <dl id="lead">
        <dt>所在网格</dt><dd>{{village}} {{grid}}</dd>
        <dt>来源</dt><dd>{{source}}</dd><dt>紧急程度</dt><dd>{{urgency}}</dd><dt>状态</dt><dd>{{status}}</dd>
        <dt>风险等级</dt><dd>{{risk}}</dd><dt>上报时间</dt><dd>{{reported}}</dd>
        {{#due}}<dt>研判期限</dt><dd>{{due}}</dd>{{/due}}
        {{^masked}}<dt>情况摘要</dt><dd>{{summary}}</dd>{{/masked}}
        {{#case_id}}<dt>信访件</dt><dd><a href="/cases/{{case_id}}">查看信访件</a></dd>{{/case_id}}
        </dl>
        {{^masked}}<h2>当事人</h2><table id="lead-people"><tr><th>姓名</th><th>电话</th><th>备注</th></tr>
        {{#people}}<tr><td>{{name}}</td><td>{{phone}}</td><td>{{minor}}</td></tr>{{/people}}</table>{{/masked}}
        {{#reports}}<p class="tag high">强制报告：{{.}}</p>{{/reports}}
        {{#tasks}}<p>{{kind}}：{{state}}</p>{{/tasks}}
        <p><a href="/council">返回议事</a></p>
        </section>
        """
}
