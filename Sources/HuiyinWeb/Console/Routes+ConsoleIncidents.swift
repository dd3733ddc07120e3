import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// The console's police domestic-violence incidents (家暴警情): her unit's worklist, masked as the API
/// list masks it, those not yet followed up first; one incident read (audited as the API's read) with
/// its follow-ups and the phone follow-up's form, which posts to the same store call as the API.
extension HuiyinApp {
    static func addConsoleIncidentRoutes(to router: inout Router<Route>) {
        router.add("GET", "/incidents", Route(access: .console) { app, request, context in
            try app.incidentsPage(all: request.query["show"] == "all", context)
        })
        router.add("GET", "/incidents/{id}", Route(access: .console) { app, request, context in
            try app.incidentPage(try caseID(request), context, done: request.query["done"] == "1", form: [:], flash: nil)
        })
        router.add("POST", "/incidents/{id}/follow-ups", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let id = try caseID(request)
            let form = try app.consoleForm(request, context)
            do {
                let followUp = try Self.consoleIncidentFollowUp(form).validate().get()
                guard try app.store.recordIncidentFollowUp(incidentID: id, followUp, by: user) != nil else { throw APIError.notFound }
                return Console.redirect(to: "/incidents/\(id)?done=1")
            } catch let error as APIError where error.status == 404 {
                throw error
            } catch {
                return try app.incidentPage(id, context, done: false, form: form, flash: (ConsoleLabels.problem(error, retryAfter: 5), true))
            }
        })
    }

    /// The form as the API's draft: `reached` yes/no; the checklist counts only when `assess` is ticked
    /// (or any question is), unticked questions answering no; a grid only for a lead.
    static func consoleIncidentFollowUp(_ form: [String: String]) -> IncidentFollowUpDraft {
        let reached: Bool? = ["yes": true, "no": false][form["reached"] ?? ""]
        let questions = RiskChecklist.federation.questions
        let asked = form["assess"] == "yes" || questions.contains { form["risk_\($0.id)"] == "yes" }
        let answers = asked ? Dictionary(uniqueKeysWithValues: questions.map { ($0.id, form["risk_\($0.id)"] == "yes") }) : nil
        let open = form["open"].flatMap { $0.isEmpty ? nil : $0 }
        // A grid the select left empty is no grid; a value that is not a number stays a bad grid (0), never silently none.
        let gridID = open == "lead" ? form["grid_id"].flatMap { $0.isEmpty ? nil : (Int64($0) ?? 0) } : nil
        return IncidentFollowUpDraft(reached: reached, said: form["said"], needs: form["needs"], riskAnswers: answers, open: open,
                                     gridID: gridID)
    }

    func incidentsPage(all: Bool, _ context: RequestContext) throws -> Response {
        let user = try context.staff()
        let today = store.today
        let rows = try store.incidentWorklist(for: user, openOnly: !all, limit: 200).map { IncidentRowView($0, today: today, zone: store.timeZone) }
        return Console.page(200, title: "家暴警情", template: "incidents", IncidentsView(rows: rows, all: all),
                            session: context.session, unitName: try store.unitName(user.unitID), path: "/incidents")
    }

    func incidentPage(_ id: Int64, _ context: RequestContext, done: Bool, form: [String: String],
                      flash: (text: String, error: Bool)?) throws -> Response {
        let user = try context.staff()
        // The API's read: whole or masked as she may open it, and recorded as a read.
        guard let record = try store.readIncident(id: id, by: user, view: "console") else { throw APIError.notFound }
        let zone = store.timeZone
        let item = record.item
        var view = IncidentPageView(incident: IncidentRowView(item, today: store.today, zone: zone))
        view.handling = record.handling
        view.respondent = item.respondentName
        view.warning_letter = item.warningLetter ? "已出具家庭暴力告诫书" : "未出具告诫书"
        view.follow_ups = record.followUps.map { f in
            IncidentFollowUpRowView(at: ConsoleLabels.time(f.recordedAt, in: zone), reached: f.reached ? "已联系上" : "未联系上",
                                    said: f.said, needs: f.needs, risk: f.riskGrade?.label, case_id: f.caseID, lead_id: f.leadID,
                                    on_time: f.onTime)
        }
        if done, let last = record.followUps.last {
            view.notice = IncidentNoticeView(case_id: last.caseID, lead_id: last.leadID)
        }
        // The form for those who may open it (she owes the call, or supervises from above); the rest see it masked.
        if !item.masked {
            view.can_record = true
            view.csrf = context.session?.csrfToken ?? ""
            view.questions = riskQuestions.map { IncidentQuestionView(id: $0.id, text: $0.text, checked: form["risk_\($0.id)"] == "yes") }
            view.assess = form["assess"] == "yes"
            view.reached_yes = form["reached"] == "yes"
            view.reached_no = form["reached"] == "no"
            view.said = form["said"] ?? ""
            view.needs = form["needs"] ?? ""
            view.open_options = [("", "仅登记回访"), ("case", "为当事人立案（家庭暴力信访案件）"), ("lead", "转网格跟进（生成线索）")].map {
                ChoiceOption(value: $0.0, label: $0.1, selected: (form["open"] ?? "") == $0.0)
            }
            view.grids = try store.grids(under: item.unitID).map {
                ChoiceOption(value: String($0.id), label: $0.name, selected: form["grid_id"] == String($0.id))
            }
        }
        return Console.page(flash == nil ? 200 : 422, title: "家暴警情详情", template: "incident", view, session: context.session,
                            unitName: try store.unitName(user.unitID), path: "/incidents", flash: flash)
    }
}

/// One incident in the list, masked as the store gave it; the due day marked once it has passed unmet.
struct IncidentRowView: ConsoleView {
    let id: Int64
    let incident_no: String
    let occurred_at: String
    let station: String
    let unit: String
    let masked: Bool
    let victim: String
    let phone: String
    let address: String
    let due_on: String
    let overdue: Bool
    let due_today: Bool
    let followed_up: String?

    init(_ item: IncidentListItem, today: LocalDate, zone: TimeZone) {
        id = item.id
        incident_no = item.incidentNo
        occurred_at = ConsoleLabels.time(item.occurredAt, in: zone)
        station = item.station
        unit = item.unitName
        masked = item.masked
        victim = item.victimName
        phone = item.victimPhone ?? ""
        address = item.address
        due_on = item.followUpDueOn.chineseText
        followed_up = item.followedUpAt.map { ConsoleLabels.time($0, in: zone) }
        overdue = item.followedUpAt == nil && item.followUpDueOn < today
        due_today = item.followedUpAt == nil && item.followUpDueOn == today
    }
}

struct IncidentsView: ConsoleView {
    let rows: [IncidentRowView]
    let all: Bool
}

struct IncidentFollowUpRowView: ConsoleView {
    let at: String
    let reached: String
    let said: String?
    let needs: String?
    let risk: String?
    let case_id: Int64?
    let lead_id: Int64?
    let on_time: Bool
}

struct IncidentNoticeView: ConsoleView {
    let case_id: Int64?
    let lead_id: Int64?
}

struct IncidentQuestionView: ConsoleView {
    let id: String
    let text: String
    let checked: Bool
}

struct IncidentPageView: ConsoleView {
    let incident: IncidentRowView
    var handling: String?
    var respondent: String?
    var warning_letter = ""
    var follow_ups: [IncidentFollowUpRowView] = []
    var notice: IncidentNoticeView?
    var can_record = false
    var csrf = ""
    var questions: [IncidentQuestionView] = []
    var assess = false
    var reached_yes = false
    var reached_no = false
    var said = ""
    var needs = ""
    var open_options: [ChoiceOption] = []
    var grids: [ChoiceOption] = []
    /// Stored, not computed: the templates read properties by reflection.
    let id: Int64

    init(incident: IncidentRowView) {
        self.incident = incident
        id = incident.id
    }
}

enum IncidentPageTemplates {
    static let all: [(String, String)] = [("incidents", incidents), ("incident", incident)]

    static let incidents = """
        <section class="card"><h1>家暴警情</h1>
        <p class="hint">公安机关推送的家暴警情，须在期限内电话回访当事人。警情涉密：清单中的姓名、电话、地址均已遮挡，打开单条警情即记录查阅。</p>
        <p id="incident-filter">筛选：<a href="/incidents"{{^all}} aria-current="page"{{/all}}>未回访</a> · <a href="/incidents?show=all"{{#all}} aria-current="page"{{/all}}>全部</a></p>
        <div class="table-scroll"><table id="incidents"><tr><th>警情编号</th><th>发生时间</th><th>派出所</th><th>所属单位</th><th>当事人</th><th>电话</th><th>地址</th><th>回访期限</th><th>回访</th></tr>
        {{#rows}}<tr data-incident="{{id}}"><td><a href="/incidents/{{id}}">{{incident_no}}</a> <span class="tag sealed">涉密</span></td><td>{{occurred_at}}</td><td>{{station}}</td><td>{{unit}}</td>
        <td>{{victim}}</td><td>{{phone}}</td><td>{{address}}</td>
        <td>{{due_on}}{{#overdue}} <span class="tag late">已逾期</span>{{/overdue}}{{#due_today}} <span class="tag soon">今日到期</span>{{/due_today}}</td>
        <td>{{#followed_up}}已回访（{{followed_up}}）{{/followed_up}}{{^followed_up}}未回访{{/followed_up}}</td></tr>{{/rows}}
        </table></div>{{^rows}}<p>{{#all}}暂无家暴警情。{{/all}}{{^all}}没有待回访的家暴警情。{{/all}}</p>{{/rows}}
        </section>
        """

    static let incident = """
        {{#notice}}<p class="flash" role="status" id="notice">已登记回访。{{#case_id}}已立案：<a href="/cases/{{case_id}}">案件 {{case_id}} 号</a>。{{/case_id}}{{#lead_id}}已转网格跟进：<a href="/leads/{{lead_id}}">线索 {{lead_id}} 号</a>。{{/lead_id}}</p>{{/notice}}
        {{#incident}}<section class="card"><h1>家暴警情 · {{incident_no}} <span class="tag sealed">涉密</span></h1>
        {{#masked}}<p class="hint">您只能查看遮挡后的内容：回访由警情所在单位的承办人、督办员、包案领导或上级督办员负责。</p>{{/masked}}
        <dl id="incident">
        <dt>发生时间</dt><dd>{{occurred_at}}</dd><dt>派出所</dt><dd>{{station}}</dd><dt>所属单位</dt><dd>{{unit}}</dd>
        <dt>当事人</dt><dd>{{victim}}</dd><dt>电话</dt><dd>{{phone}}</dd><dt>地址</dt><dd>{{address}}</dd>
        {{/incident}}<dt>施暴人</dt><dd>{{respondent}}</dd><dt>告诫书</dt><dd>{{warning_letter}}</dd>
        {{#handling}}<dt>处警情况</dt><dd>{{handling}}</dd>{{/handling}}{{#incident}}
        <dt>回访期限</dt><dd>{{due_on}}{{#overdue}} <span class="tag late">已逾期</span>{{/overdue}}{{#due_today}} <span class="tag soon">今日到期</span>{{/due_today}}{{#followed_up}}（已于 {{followed_up}} 回访）{{/followed_up}}</dd>
        </dl></section>{{/incident}}
        <section class="card"><h2>回访记录</h2>
        <table id="incident-follow-ups"><tr><th>时间</th><th>联系情况</th><th>回访情况</th><th>需求</th><th>危险评估</th><th>后续处理</th><th>是否按期</th></tr>
        {{#follow_ups}}<tr><td>{{at}}</td><td>{{reached}}</td><td>{{said}}</td><td>{{needs}}</td><td>{{#risk}}{{risk}}{{/risk}}{{^risk}}未评估{{/risk}}</td>
        <td>{{#case_id}}<a href="/cases/{{case_id}}">案件 {{case_id}} 号</a>{{/case_id}}{{#lead_id}}<a href="/leads/{{lead_id}}">线索 {{lead_id}} 号</a>{{/lead_id}}</td>
        <td>{{#on_time}}按期{{/on_time}}{{^on_time}}否{{/on_time}}</td></tr>{{/follow_ups}}
        </table>{{^follow_ups}}<p>尚无回访记录。</p>{{/follow_ups}}
        </section>
        {{#can_record}}<section class="card"><h2>登记电话回访</h2>
        <form method="post" action="/incidents/{{id}}/follow-ups" id="incident-follow-up"><input type="hidden" name="_csrf" value="{{csrf}}">
        <fieldset><legend>是否联系上当事人</legend>
        <label><input type="radio" name="reached" value="yes"{{#reached_yes}} checked{{/reached_yes}}> <span>已联系上</span></label>
        <label><input type="radio" name="reached" value="no"{{#reached_no}} checked{{/reached_no}}> <span>未联系上（未接听、停机等）</span></label>
        </fieldset>
        <label for="said">回访情况（当事人所述，联系上时必填）</label><textarea id="said" name="said">{{said}}</textarea>
        <label for="needs">当事人需求</label><textarea id="needs" name="needs">{{needs}}</textarea>
        <fieldset id="dv-checklist"><legend>家庭暴力危险评估（勾选“是”的项目）</legend>
        <label><input type="checkbox" name="assess" value="yes"{{#assess}} checked{{/assess}}> <span>本次回访进行了危险评估（未勾选的项目按“否”计）</span></label>
        {{#questions}}<label><input type="checkbox" name="risk_{{id}}" value="yes"{{#checked}} checked{{/checked}}> <span>{{text}}</span></label>{{/questions}}
        <p class="hint">低风险 ≤ 3 分，中风险 4–5 分，高风险 ≥ 6 分；部分情形直接判定为高风险</p>
        </fieldset>
        <div class="row">
        <div><label for="open">后续处理</label><select id="open" name="open">{{#open_options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/open_options}}</select></div>
        <div><label for="grid">转网格跟进时的网格</label><select id="grid" name="grid_id"><option value="">（请选择网格）</option>{{#grids}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/grids}}</select></div>
        </div>
        <p><button type="submit">登记回访</button></p></form>
        </section>{{/can_record}}
        """
}
