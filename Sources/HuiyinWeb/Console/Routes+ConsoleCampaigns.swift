import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// The screening campaigns' pages (专项排查): the list, and one campaign's progress per unit with the
/// units that have not reported; a participating unit files its report there, through the same store
/// call as the API.
extension HuiyinApp {
    static func addConsoleCampaignRoutes(to router: inout Router<Route>) {
        router.add("GET", "/campaigns", Route(access: .console) { app, _, context in
            try app.campaignsPage(context, flash: nil, form: [:])
        })
        router.add("POST", "/campaigns", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let form = try app.consoleForm(request, context)
            do {
                guard [.supervisor, .leader].contains(user.role) else {
                    throw APIError(status: 403, code: "forbidden", message: "A campaign is opened by a supervisor or leader of the unit.",
                                   consoleText: "专项排查由本单位的督办员或领导发起。")
                }
                // Each offered unit and item is its own checkbox (`unit_12`, `item_found`); the units are
                // the ones directly below hers, the same list the form shows.
                let below = try app.campaignUnitChoices(user)
                let draft = CampaignDraft(
                    topic: form["topic"], startsOn: Self.filled(form["starts_on"]), endsOn: Self.filled(form["ends_on"]),
                    unitIDs: below.filter { form["unit_\($0.id)"] == "yes" }.map(\.id),
                    reportItems: CampaignReportItem.allCases.filter { form["item_\($0.rawValue)"] == "yes" }.map(\.rawValue))
                let campaign = try draft.validate(today: app.store.today).get()
                let (id, _) = try app.store.openCampaign(campaign, by: user, idempotency: nil)
                return Console.redirect(to: "/campaigns/\(id)?done=opened")
            } catch {
                return try app.campaignsPage(context, flash: (Self.campaignProblem(error), true), form: form)
            }
        })
        router.add("GET", "/campaigns/{id}", Route(access: .console) { app, request, context in
            let done = ["opened": "专项排查已发起，已通知各参与单位。", "report": "本单位报送已保存。",
                        "major_risk": "重大风险已上报，已通知发起单位。"][request.query["done"] ?? ""]
            return try app.campaignPage(try caseID(request), context, flash: done.map { ($0, false) })
        })
        router.add("POST", "/campaigns/{id}/major-risks", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let id = try caseID(request)
            let form = try app.consoleForm(request, context)
            do {
                // `matter` is "lead:12", "case:5" or empty: one select names either.
                let matter = (form["matter"] ?? "").split(separator: ":", maxSplits: 1).map(String.init)
                var leadID: Int64?, caseID: Int64?
                if matter.count == 2, let number = Int64(matter[1]) {
                    if matter[0] == "lead" { leadID = number } else if matter[0] == "case" { caseID = number }
                }
                var problems: [FieldError] = []
                if !(form["matter"] ?? "").isEmpty, leadID == nil, caseID == nil {
                    problems.append(FieldError("matter", "is not a lead or case of this campaign"))
                }
                let checked = MajorRiskDraft(summary: form["risk_summary"], leadID: leadID, caseID: caseID).validate()
                if case .failure(let failure) = checked { problems = failure.fields + problems }
                guard problems.isEmpty, case .success(let risk) = checked else { throw ValidationFailure(problems) }
                guard try app.store.reportMajorRisk(campaignID: id, risk, by: user, idempotency: nil) != nil else {
                    throw APIError.notFound
                }
                return Console.redirect(to: "/campaigns/\(id)?done=major_risk")
            } catch let error as APIError where error.status == 404 {
                throw error
            } catch {
                return try app.campaignPage(id, context, flash: (Self.campaignProblem(error), true), riskForm: form)
            }
        })
        router.add("POST", "/campaigns/{id}/report", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let id = try caseID(request)
            let form = try app.consoleForm(request, context)
            do {
                func count(_ name: String) throws -> Int64? {
                    guard let raw = form[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
                    guard let value = Int64(raw) else { throw ValidationFailure([FieldError(name, "must be a whole number")]) }
                    return value
                }
                let notes = form["notes"].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
                let draft = CampaignReportDraft(found: try count("found"), settled: try count("settled"),
                                                majorRisks: try count("major_risks"), notes: notes)
                guard try app.store.fileCampaignReport(campaignID: id, unitID: user.unitID, draft, by: user) != nil else {
                    throw APIError.notFound
                }
                return Console.redirect(to: "/campaigns/\(id)?done=report")
            } catch let error as APIError where error.status == 404 {
                throw error
            } catch {
                return try app.campaignPage(id, context, flash: (ConsoleLabels.problem(error, retryAfter: 5), true))
            }
        })
    }

    /// An empty form field as absent, so a blank date reads "required" rather than "not a date".
    static func filled(_ value: String?) -> String? {
        value.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
    }

    /// The units directly below hers: those a campaign she opens may name from the console.
    func campaignUnitChoices(_ user: StaffUser) throws -> [ScopedUnit] {
        try store.unitsInScope(of: user).filter { $0.depth == 1 }
    }

    /// The list, with the opening form for a supervisor or leader whose unit has units below it; `form`
    /// refills it after a refusal.
    func campaignsPage(_ context: RequestContext, flash: (text: String, error: Bool)?, form: [String: String]) throws -> Response {
        let user = try context.staff()
        let today = store.today
        let rows = try store.campaigns(for: user).map { c in
            CampaignRowView(id: c.id, topic: c.topic, unit: c.unitName, period: "\(c.startsOn.chineseText)至\(c.endsOn.chineseText)",
                            phase: CampaignPhase(startsOn: c.startsOn, endsOn: c.endsOn, today: today).label,
                            units: c.units, reported: c.reported, not_reported: c.units - c.reported, major_risks: c.majorRisks)
        }
        let below = [.supervisor, .leader].contains(user.role) ? try campaignUnitChoices(user) : []
        // A fresh form asks for every item; a refilled one keeps what she ticked.
        let fresh = form.isEmpty
        let view = CampaignsPageView(
            campaigns: rows, can_open: !below.isEmpty, csrf: context.session?.csrfToken ?? "", today: today.description,
            topic: form["topic"] ?? "", starts_on: form["starts_on"] ?? today.description, ends_on: form["ends_on"] ?? "",
            unit_options: below.map { CampaignCheckView(value: String($0.id), label: $0.name, checked: form["unit_\($0.id)"] == "yes") },
            item_options: CampaignReportItem.allCases.map {
                CampaignCheckView(value: $0.rawValue, label: $0.label, checked: fresh || form["item_\($0.rawValue)"] == "yes")
            })
        return Console.page(flash?.error == true ? 422 : 200, title: "专项排查", template: "campaigns", view, session: context.session,
                            unitName: try store.unitName(user.unitID), path: "/campaigns", flash: flash)
    }

    /// A refusal said in Chinese, each problem with its field: the validation's words mapped one by one.
    static func campaignProblem(_ error: Error) -> String {
        let fields = (error as? ValidationFailure)?.fields ?? (error as? APIError)?.fields ?? []
        guard !fields.isEmpty else { return ConsoleLabels.problem(error, retryAfter: 5) }
        let reasons: [(String, String)] = [
            ("is required", "未填写"), ("must be a date", "日期格式不正确"), ("is before starts_on", "早于开始日期"),
            ("makes the period longer", "排查期间不能超过\(CampaignDraft.longestDays)天"), ("is already past", "已经过去"),
            ("name at least one unit", "请至少勾选一个下级单位"), ("is not a unit below yours", "不是本单位的下级单位"),
            ("lies under another unit", "已包含在另一所选单位之下"), ("name at least one item", "请至少勾选一项"),
            ("is named twice", "重复"), ("is longer than", "内容过长"), ("no such", "不存在或不在您的查看范围内"),
            ("name a lead or a case", "线索和案件只能选一项"), ("is not a lead or case", "不是本次排查关联的线索或案件"),
            ("is not the unit taking part", "不是您所在的参与单位"),
        ]
        let said = fields.map { f -> String in
            // The risk form names its fields apart from the intake's `summary` / `case_id` labels.
            let field = ["summary": "risk_summary", "lead_id": "matter", "case_id": "matter"][f.field] ?? f.field
            let reason = reasons.first { f.message.hasPrefix($0.0) }?.1 ?? "填写有误"
            return ConsoleLabels.fieldLabel(field) + "：" + reason
        }
        return "请检查：" + said.joined(separator: "；") + "。"
    }

    func campaignPage(_ id: Int64, _ context: RequestContext, flash: (text: String, error: Bool)?,
                      riskForm: [String: String] = [:]) throws -> Response {
        let user = try context.staff()
        guard let progress = try store.campaignProgress(id: id, for: user) else { throw APIError.notFound }
        let c = progress.campaign
        let today = store.today
        let phase = CampaignPhase(startsOn: c.startsOn, endsOn: c.endsOn, today: today)
        func declared(_ value: Int?) -> String { value.map(String.init) ?? "—" }
        let units = progress.units.map { u in
            let late = u.report == nil && (u.overdueAt != nil || phase == .ended)
            return CampaignUnitRowView(
                id: u.unitID, name: u.unitName, found: u.found, settled: u.settled, leads: u.leadsFound, cases: u.casesFound,
                declared_found: declared(u.report?.found), declared_settled: declared(u.report?.settled),
                declared_risks: declared(u.report?.majorRisks), risks: u.majorRisks, reported: u.report != nil, late: late,
                status: u.report != nil ? "已报送" : late ? "逾期未报送" : "未报送",
                filed_on: u.revisedAt.map { LocalDate($0, in: store.timeZone).chineseText } ?? "")
        }
        let mine = progress.units.first { $0.unitID == user.unitID }
        let canFile = mine != nil && [.handler, .supervisor, .leader].contains(user.role) && phase != .upcoming
            && (phase == .running || mine?.report == nil)
        let matters = progress.matters.map { m in
            CampaignMatterRowView(
                kind: m.kind == "lead" ? "线索" : "案件", id: m.id, href: m.kind == "lead" ? "/leads/\(m.id)" : "/cases/\(m.id)",
                unit: m.unitName, status: m.kind == "lead" ? LeadStatus(rawValue: m.status)?.label ?? "—" : CaseStatus(rawValue: m.status)?.label ?? "—",
                settled: m.settled, masked: m.masked, summary: m.summary.map { String($0.prefix(60)) } ?? "")
        }
        let risks = progress.risks.map { r in
            CampaignRiskRowView(unit: r.unitName, at: LocalDate(r.reportedAt, in: store.timeZone).chineseText, masked: r.masked,
                                summary: r.summary ?? "")
        }
        // 重大风险上报: staff at or below a participating unit (not the operators, reception or admins), once
        // it has started; she may name one of the linked matters in her scope.
        let riskUnit = [.operator_, .reception, .admin].contains(user.role) || phase == .upcoming
            ? nil : try store.campaignUnit(campaignID: id, of: user)
        let chosen = riskForm["matter"] ?? ""
        let matterChoices = progress.matters.map { m in
            let value = "\(m.kind):\(m.id)"
            return CampaignCheckView(value: value, label: (m.kind == "lead" ? "线索 " : "案件 ") + "\(m.id)"
                                         + (m.masked ? "（密封）" : m.summary.map { "：" + String($0.prefix(30)) } ?? ""),
                                     checked: value == chosen)
        }
        let view = CampaignPageView(
            id: c.id, topic: c.topic, owner: c.unitName, period: "\(c.startsOn.chineseText)至\(c.endsOn.chineseText)", phase: phase.label,
            items: c.reportItems.map(\.label).joined(separator: "、"),
            total_units: progress.units.count, total_reported: progress.units.filter { $0.report != nil }.count,
            total_found: progress.units.map(\.found).reduce(0, +), total_settled: progress.units.map(\.settled).reduce(0, +),
            total_declared_found: progress.units.compactMap { $0.report?.found }.reduce(0, +),
            total_declared_settled: progress.units.compactMap { $0.report?.settled }.reduce(0, +),
            total_risks: progress.units.map(\.majorRisks).reduce(0, +),
            units: units, not_reported: units.filter { !$0.reported }, matters: matters, risks: risks,
            can_file: canFile, csrf: context.session?.csrfToken ?? "",
            ask_found: c.reportItems.contains(.found), ask_settled: c.reportItems.contains(.settled),
            ask_risks: c.reportItems.contains(.majorRisks), ask_notes: c.reportItems.contains(.notes),
            my_found: mine?.report?.found.map(String.init) ?? "", my_settled: mine?.report?.settled.map(String.init) ?? "",
            my_risks: mine?.report?.majorRisks.map(String.init) ?? "", my_notes: mine?.report?.notes ?? "",
            my_counted_found: mine?.found ?? 0, my_counted_settled: mine?.settled ?? 0,
            can_report_risk: riskUnit != nil, risk_summary: riskForm["risk_summary"] ?? "", matter_options: matterChoices)
        return Console.page(flash?.error == true ? 422 : 200, title: "专项排查进度", template: "campaign", view, session: context.session,
                            unitName: try store.unitName(user.unitID), path: "/campaigns", flash: flash)
    }
}

struct CampaignRowView: ConsoleView {
    let id: Int64
    let topic: String
    let unit: String
    let period: String
    let phase: String
    let units: Int
    let reported: Int
    let not_reported: Int
    let major_risks: Int
}

struct CampaignsPageView: ConsoleView {
    let campaigns: [CampaignRowView]
    let can_open: Bool
    let csrf: String
    let today: String
    let topic: String
    let starts_on: String
    let ends_on: String
    let unit_options: [CampaignCheckView]
    let item_options: [CampaignCheckView]
}

/// A checkbox or option of the campaign forms.
struct CampaignCheckView: ConsoleView {
    let value: String
    let label: String
    let checked: Bool
}

struct CampaignUnitRowView: ConsoleView {
    let id: Int64
    let name: String
    let found: Int
    let settled: Int
    let leads: Int
    let cases: Int
    let declared_found: String
    let declared_settled: String
    let declared_risks: String
    let risks: Int
    let reported: Bool
    let late: Bool
    let status: String
    let filed_on: String
}

struct CampaignMatterRowView: ConsoleView {
    let kind: String
    let id: Int64
    let href: String
    let unit: String
    let status: String
    let settled: Bool
    let masked: Bool
    let summary: String
}

struct CampaignRiskRowView: ConsoleView {
    let unit: String
    let at: String
    let masked: Bool
    let summary: String
}

struct CampaignPageView: ConsoleView {
    let id: Int64
    let topic: String
    let owner: String
    let period: String
    let phase: String
    let items: String
    let total_units: Int
    let total_reported: Int
    let total_found: Int
    let total_settled: Int
    let total_declared_found: Int
    let total_declared_settled: Int
    let total_risks: Int
    let units: [CampaignUnitRowView]
    let not_reported: [CampaignUnitRowView]
    let matters: [CampaignMatterRowView]
    let risks: [CampaignRiskRowView]
    let can_file: Bool
    let csrf: String
    let ask_found: Bool
    let ask_settled: Bool
    let ask_risks: Bool
    let ask_notes: Bool
    let my_found: String
    let my_settled: String
    let my_risks: String
    let my_notes: String
    let my_counted_found: Int
    let my_counted_settled: Int
    let can_report_risk: Bool
    let risk_summary: String
    let matter_options: [CampaignCheckView]
}

enum CampaignTemplates {
    static let all: [(String, String)] = [("campaigns", campaigns), ("campaign", campaign)]

    static let campaigns = """
        <section class="card"><h1>专项排查</h1>
        <table id="campaigns"><tr><th>主题</th><th>发起单位</th><th>排查期间</th><th>状态</th><th>参与单位</th><th>已报送</th><th>未报送</th><th>重大风险上报</th></tr>
        {{#campaigns}}<tr data-campaign-id="{{id}}"><td><a href="/campaigns/{{id}}">{{topic}}</a></td><td>{{unit}}</td><td>{{period}}</td><td>{{phase}}</td>
        <td>{{units}}</td><td>{{reported}}</td><td>{{#not_reported}}<span class="tag late">{{not_reported}}</span>{{/not_reported}}{{^not_reported}}0{{/not_reported}}</td><td>{{major_risks}}</td></tr>{{/campaigns}}
        </table>{{^campaigns}}<p class="hint">暂无专项排查。</p>{{/campaigns}}
        </section>
        {{#can_open}}<section class="card"><h2>发起专项排查</h2>
        <form method="post" action="/campaigns" id="open-campaign"><input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="campaign-topic">排查主题</label><input type="text" id="campaign-topic" name="topic" value="{{topic}}" maxlength="200" required>
        <div class="row">
        <div><label for="campaign-starts">开始日期</label><input type="date" id="campaign-starts" name="starts_on" value="{{starts_on}}" required></div>
        <div><label for="campaign-ends">结束日期</label><input type="date" id="campaign-ends" name="ends_on" value="{{ends_on}}" min="{{today}}" required></div>
        </div>
        <fieldset id="campaign-units-choice"><legend>参与单位（本单位的直属下级单位）</legend>
        {{#unit_options}}<label><input type="checkbox" name="unit_{{value}}" value="yes"{{#checked}} checked{{/checked}}> {{label}}</label>{{/unit_options}}
        </fieldset>
        <fieldset id="campaign-items-choice"><legend>各单位须报送</legend>
        {{#item_options}}<label><input type="checkbox" name="item_{{value}}" value="yes"{{#checked}} checked{{/checked}}> {{label}}</label>{{/item_options}}
        </fieldset>
        <p><button type="submit" id="open-campaign-submit">发起排查</button></p>
        </form></section>{{/can_open}}
        """

    static let campaign = """
        <section class="card"><h1>{{topic}}</h1>
        <p><a href="/campaigns">返回专项排查列表</a></p>
        <p>发起单位：{{owner}}；排查期间：{{period}}（{{phase}}）；各单位须报送：{{items}}。</p>
        <table id="campaign-totals"><tr><th>参与单位</th><th>已报送</th><th>排查发现（系统统计）</th><th>化解（系统统计）</th><th>填报发现</th><th>填报化解</th><th>重大风险上报</th></tr>
        <tr><td>{{total_units}}</td><td>{{total_reported}}</td><td>{{total_found}}</td><td>{{total_settled}}</td><td>{{total_declared_found}}</td><td>{{total_declared_settled}}</td><td>{{total_risks}}</td></tr>
        </table>
        </section>
        <section class="card"><h2>未报送单位</h2>
        <ul id="not-reported">{{#not_reported}}<li data-unit-id="{{id}}">{{name}}{{#late}} <span class="tag late">逾期</span>{{/late}}</li>{{/not_reported}}</ul>
        {{^not_reported}}<p class="hint">各单位均已报送。</p>{{/not_reported}}
        </section>
        <section class="card"><h2>各单位进度</h2>
        <table id="campaign-units"><tr><th>单位</th><th>发现（线索/案件）</th><th>化解</th><th>填报发现</th><th>填报化解</th><th>填报重大风险</th><th>重大风险上报</th><th>报送情况</th></tr>
        {{#units}}<tr data-unit-id="{{id}}"><td>{{name}}</td><td>{{found}}（{{leads}}/{{cases}}）</td><td>{{settled}}</td><td>{{declared_found}}</td><td>{{declared_settled}}</td><td>{{declared_risks}}</td><td>{{risks}}</td>
        <td>{{#late}}<span class="tag late">{{status}}</span>{{/late}}{{^late}}{{status}}{{/late}} {{filed_on}}</td></tr>{{/units}}
        </table>
        </section>
        {{#can_file}}<section class="card"><h2>本单位报送</h2>
        <p class="hint">系统统计本单位关联的线索和案件：发现 {{my_counted_found}} 件，化解 {{my_counted_settled}} 件。排查结束前可修改。</p>
        <form method="post" action="/campaigns/{{id}}/report"><input type="hidden" name="_csrf" value="{{csrf}}">
        <div class="row">
        {{#ask_found}}<div><label for="found">排查发现数</label><input type="number" id="found" name="found" min="0" value="{{my_found}}" inputmode="numeric" required></div>{{/ask_found}}
        {{#ask_settled}}<div><label for="settled">化解数</label><input type="number" id="settled" name="settled" min="0" value="{{my_settled}}" inputmode="numeric" required></div>{{/ask_settled}}
        {{#ask_risks}}<div><label for="major-risks">重大风险上报数</label><input type="number" id="major-risks" name="major_risks" min="0" value="{{my_risks}}" inputmode="numeric" required></div>{{/ask_risks}}
        </div>
        {{#ask_notes}}<label for="notes">工作情况说明</label><textarea id="notes" name="notes" required>{{my_notes}}</textarea>{{/ask_notes}}
        <p><button type="submit" id="file-report">报送</button></p>
        </form></section>{{/can_file}}
        <section class="card"><h2>关联的线索和案件</h2>
        <table id="campaign-matters"><tr><th>类别</th><th>编号</th><th>单位</th><th>状态</th><th>摘要</th></tr>
        {{#matters}}<tr{{#masked}} class="masked"{{/masked}}><td>{{kind}}</td><td><a href="{{href}}">{{id}}</a></td><td>{{unit}}</td><td>{{status}}{{#settled}} <span class="tag">已化解</span>{{/settled}}</td>
        <td>{{#masked}}<span class="tag sealed">密封</span>{{/masked}}{{^masked}}{{summary}}{{/masked}}</td></tr>{{/matters}}
        </table>{{^matters}}<p class="hint">暂无您可查看的关联线索或案件。</p>{{/matters}}
        </section>
        <section class="card"><h2>重大风险上报</h2>
        <table id="campaign-risks"><tr><th>上报单位</th><th>上报日期</th><th>情况</th></tr>
        {{#risks}}<tr><td>{{unit}}</td><td>{{at}}</td><td>{{#masked}}<span class="tag sealed">密封</span>{{/masked}}{{^masked}}{{summary}}{{/masked}}</td></tr>{{/risks}}
        </table>{{^risks}}<p class="hint">暂无重大风险上报。</p>{{/risks}}
        {{#can_report_risk}}<h3>上报重大风险</h3>
        <form method="post" action="/campaigns/{{id}}/major-risks" id="report-major-risk"><input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="risk-summary">风险情况（上报后通知发起单位的督办人员）</label><textarea id="risk-summary" name="risk_summary" maxlength="1000" required>{{risk_summary}}</textarea>
        <label for="risk-matter">关联的线索或案件（可不选）</label><select id="risk-matter" name="matter"><option value="">不关联</option>
        {{#matter_options}}<option value="{{value}}"{{#checked}} selected{{/checked}}>{{label}}</option>{{/matter_options}}</select>
        <p><button type="submit" id="report-major-risk-submit">上报</button></p>
        </form>{{/can_report_risk}}
        </section>
        """
}
