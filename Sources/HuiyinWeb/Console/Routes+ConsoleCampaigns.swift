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
            let user = try context.staff()
            let today = app.store.today
            let rows = try app.store.campaigns(for: user).map { c in
                CampaignRowView(id: c.id, topic: c.topic, unit: c.unitName, period: "\(c.startsOn.chineseText)至\(c.endsOn.chineseText)",
                                phase: CampaignPhase(startsOn: c.startsOn, endsOn: c.endsOn, today: today).label,
                                units: c.units, reported: c.reported, not_reported: c.units - c.reported, major_risks: c.majorRisks)
            }
            return Console.page(200, title: "专项排查", template: "campaigns", CampaignsPageView(campaigns: rows), session: context.session,
                                unitName: try app.store.unitName(user.unitID), path: "/campaigns")
        })
        router.add("GET", "/campaigns/{id}", Route(access: .console) { app, request, context in
            try app.campaignPage(try caseID(request), context, flash: nil)
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

    func campaignPage(_ id: Int64, _ context: RequestContext, flash: (text: String, error: Bool)?) throws -> Response {
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
            my_counted_found: mine?.found ?? 0, my_counted_settled: mine?.settled ?? 0)
        return Console.page(flash == nil ? 200 : 422, title: "专项排查进度", template: "campaign", view, session: context.session,
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
        </section>
        """
}
