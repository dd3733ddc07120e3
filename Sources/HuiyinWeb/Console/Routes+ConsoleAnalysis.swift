import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// The supervisor's analysis page (研判分析), a warning's page, and the printable monthly report (月报).
extension HuiyinApp {
    static func addConsoleAnalysisRoutes(to router: inout Router<Route>) {
        router.add("GET", "/analysis", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let analysis = try app.analysis(request, for: user)
            let weekLabels = analysis.weekEndings.map { "\($0.month)/\($0.day)" }
            let link = { (unit: Int64, series: WarningSeries) in "/analysis?unit_id=\(unit)&series=\(series.code)&weeks=\(analysis.weekEndings.count)" }
            var caseFilter = "/cases?unit_id=\(analysis.unit.id)"
            if case .category(let category) = analysis.series { caseFilter += "&category=\(category.rawValue)" }
            let page = AnalysisPageView(
                unit_name: analysis.unit.name, unit_id: analysis.unit.id, weeks: analysis.weekEndings.count,
                parent_link: analysis.parentID.map { link($0, analysis.series) },
                series_label: analysis.series.label,
                series_options: WarningSeries.all.map { OptionView(value: $0.code, label: $0.label, selected: $0 == analysis.series) },
                week_options: [8, 12, 26, 52].map { OptionView(value: String($0), label: "近\($0)周", selected: $0 == analysis.weekEndings.count) },
                heat_chart: analysis.children.isEmpty ? nil : SVGCharts.heat(
                    id: "heat-chart", title: "下级单位每周\(analysis.series.label)件数", weeks: weekLabels,
                    rows: analysis.children.map { ($0.unit.name, $0.counts, $0.flagged) }),
                children: analysis.children.map { ChildLinkView(name: $0.unit.name, href: link($0.unit.id, analysis.series),
                                                                total: $0.counts.reduce(0, +), flagged: $0.flagged.contains(true)) },
                trend_chart: SVGCharts.band(id: "trend-chart", title: "\(analysis.unit.name)每周\(analysis.series.label)件数与预期",
                                            labels: weekLabels, counts: analysis.counts, expected: analysis.expected,
                                            thresholds: analysis.thresholds),
                rising: analysis.rising.map { item in
                    RisingRowView(label: item.series.label, href: link(analysis.unit.id, item.series), observed: item.result.observed,
                                  expected: String(format: "%.1f", item.result.expected),
                                  ratio: item.result.expected > 0 ? String(format: "%.1f 倍", Double(item.result.observed) / item.result.expected) : "新出现",
                                  flagged: item.result.exceeds)
                },
                warnings: analysis.warnings.map(WarningRowView.init),
                repeat_cases: try analysis.repeatCases.map { try app.rowContext($0) },
                collective_cases: try analysis.collectiveCases.map { try app.rowContext($0) },
                has_repeat_cases: !analysis.repeatCases.isEmpty, has_collective_cases: !analysis.collectiveCases.isEmpty,
                cases_link: caseFilter,
                report_link: "/reports/monthly?unit_id=\(analysis.unit.id)",
                method: "预警方法：历史界限法（最近7天的件数与此前\(app.store.rules.warnings.baselineWeeks)周逐周件数比较，按负二项分布计算显著性，"
                    + "显著性水平 \(app.store.rules.warnings.alpha)，且最近7天至少 \(app.store.rules.warnings.minimumCount) 件；同一单位同一类别 \(app.store.rules.warnings.refractoryDays) 天内只预警一次）。")
            return Console.page(200, title: "研判分析", template: "analysis", page, session: context.session,
                                unitName: try app.store.unitName(user.unitID), path: "/analysis", script: true)
        })
        router.add("GET", "/warnings/{id}", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let (warning, cases, leads) = try app.warningInScope(request, of: user)
            let start = warning.weekEnding.adding(days: -6)
            let page = WarningPageView(
                warning: WarningRowView(warning), period: "\(start.chineseText)至\(warning.weekEnding.chineseText)",
                baseline: warning.baseline.map(String.init).joined(separator: "、"),
                p_value: String(format: "%.2g", warning.pValue),
                cases: try cases.map { try app.rowContext($0) }, has_cases: !cases.isEmpty,
                leads: leads.map { LeadRowView(id: $0.id, kind: $0.masked ? "保密线索" : $0.kind.label, grid: $0.gridName,
                                               status: $0.status.label, reported_at: ConsoleLabels.time($0.reportedAt, in: app.store.timeZone)) },
                analysis_link: "/analysis?unit_id=\(warning.unit.id)&series=\(warning.series.code)")
            return Console.page(200, title: "预警", template: "warning", page, session: context.session,
                                unitName: try app.store.unitName(user.unitID), path: "/analysis")
        })
        router.add("GET", "/reports/monthly", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let report = try app.monthlyReport(request, for: user, known: ["unit_id", "month"])
            return Console.page(200, title: "\(report.unit.name)\(MonthlyReportPage.monthText(report.month))妇联信访工作月报",
                                template: "monthly_report", MonthlyReportPage(report, today: app.store.today),
                                session: context.session, unitName: try app.store.unitName(user.unitID), path: "/reports/monthly",
                                script: true)
        })
    }
}

struct OptionView: ConsoleView {
    let value: String
    let label: String
    let selected: Bool
}

struct ChildLinkView: ConsoleView {
    let name: String, href: String
    let total: Int
    let flagged: Bool
}

struct RisingRowView: ConsoleView {
    let label: String, href: String
    let observed: Int
    let expected: String, ratio: String
    let flagged: Bool
}

struct WarningRowView: ConsoleView {
    let id: Int64
    let unit: String
    let series: String
    let week: String
    let observed: Int
    let expected: String

    init(_ warning: EarlyWarning) {
        id = warning.id
        unit = warning.unit.name
        series = warning.series.label
        week = "截至" + warning.weekEnding.chineseText + "的一周"
        observed = warning.observed
        expected = String(format: "%.1f", warning.expected)
    }
}

struct LeadRowView: ConsoleView {
    let id: Int64
    let kind: String, grid: String, status: String, reported_at: String
}

struct AnalysisPageView: ConsoleView {
    let unit_name: String
    let unit_id: Int64
    let weeks: Int
    let parent_link: String?
    let series_label: String
    let series_options: [OptionView]
    let week_options: [OptionView]
    let heat_chart: String?
    let children: [ChildLinkView]
    let trend_chart: String
    let rising: [RisingRowView]
    let warnings: [WarningRowView]
    let repeat_cases: [CaseRowView]
    let collective_cases: [CaseRowView]
    /// Stored, not computed: the templates read a view's stored properties only.
    let has_repeat_cases: Bool
    let has_collective_cases: Bool
    let cases_link: String
    let report_link: String
    let method: String
}

struct WarningPageView: ConsoleView {
    let warning: WarningRowView
    let period: String
    let baseline: String
    let p_value: String
    let cases: [CaseRowView]
    let has_cases: Bool
    let leads: [LeadRowView]
    let analysis_link: String
}

/// The monthly report laid out as federations send it up: numbered sections of labelled figures.
struct MonthlyReportPage: ConsoleView {
    struct Line: ConsoleView { let label: String; let count: String }
    struct Section: ConsoleView { let title: String; let lines: [Line] }
    struct Child: ConsoleView {
        let name: String, href: String
        let contacts: Int, new_cases: Int, closed: Int, rate: String, collective: Int, repeats: Int, high_risk: Int
        let leads: Int, incidents: Int, incident_rate: String
    }
    struct Notable: ConsoleView { let case_id: Int64; let tracking_no: String; let category: String; let unit: String; let received_on: String; let status: String; let reasons: String }
    struct Warning: ConsoleView { let id: Int64; let unit: String; let series: String; let week: String; let observed: Int; let expected: String }

    let title: String
    let unit_id: Int64
    let month: String
    let period: String
    let status: String
    let generated_at: String
    let sections: [Section]
    let children: [Child]
    let warnings: [Warning]
    let notable: [Notable]
    let csv: String
    let month_options: [OptionView]

    static func monthText(_ month: String) -> String {
        let parts = month.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let m = Int(parts[1]) else { return month }
        return "\(year)年\(m)月"
    }

    init(_ report: MonthlyReport, today: LocalDate) {
        let f = report.figures
        title = "\(report.unit.name)\(Self.monthText(report.month))妇联信访工作月报"
        unit_id = report.unit.id
        month = report.month
        period = "统计期间：\(LocalDate(iso: report.from)?.chineseText ?? report.from)至\(LocalDate(iso: report.through)?.chineseText ?? report.through)"
        status = report.final ? "本月已结束，月报已定稿，不再变动。" : "本月尚未结束，数字截至今日，月末后定稿。"
        generated_at = "生成时间：" + ConsoleLabels.time(report.generatedAt, in: TimeZone(identifier: "Asia/Shanghai")!)
        func lines(_ measure: FigureMeasure, order: [String]? = nil) -> [Line] {
            let breakdown = f.breakdown(measure)
            let keys = order ?? breakdown.keys.sorted()
            return keys.map { Line(label: FigureLabels.dimension(measure, $0), count: String(breakdown[$0] ?? 0)) }
        }
        let eventOrder = ["registered", "accepted", "declined", "transferred", "transfer_accepted", "replied", "closed", "reopened",
                          "review_requested", "rereview_requested", "leader_assigned", "reminder_sent", "notice_issued"]
        let visitRate = report.visitsDue == 0 ? "—" : FigureLabels.percent(Double(report.visitsDone) / Double(report.visitsDue))
        sections = [
            Section(title: "一、来信来访总体情况", lines: [Line(label: "来信来访合计", count: String(f.total(.contactsByChannel)))]
                + lines(.contactsByChannel, order: Channel.allCases.map(\.rawValue))
                + [Line(label: "其中：集体访（5人及以上）", count: String(f.total(.collectiveVisits))),
                   Line(label: "其中：重复信访", count: String(f.total(.repeatContacts))),
                   Line(label: "其中：涉未成年人", count: String(f.total(.contactsMinor)))]),
            Section(title: "二、反映问题类别（来信来访件次）", lines: lines(.contactsByCategory, order: CaseCategory.allCases.map(\.rawValue))),
            Section(title: "三、新登记信访件（按类别）", lines: lines(.casesByCategory, order: CaseCategory.allCases.map(\.rawValue))),
            Section(title: "四、办理情况", lines: lines(.caseEvents, order: eventOrder)
                + [Line(label: "按期办结", count: String(f[.clocksStopped, "met"])),
                   Line(label: "超期办结", count: String(f[.clocksStopped, "breached"])),
                   Line(label: "按期办结率", count: FigureLabels.percent(f.onTimeRate))]),
            Section(title: "五、风险评估与强制报告", lines: lines(.riskAssessed, order: ["low", "medium", "high"])
                + [Line(label: "高风险家庭暴力案件", count: String(f.total(.highRiskDomesticViolence))),
                   Line(label: "强制报告事项（信访件）", count: String(f[.caseEvents, "mandatory_report_required"])),
                   Line(label: "强制报告事项（网格线索）", count: String(f.total(.leadsMandatory)))]),
            Section(title: "六、基层排查化解（家家访 月月谈 · 访议调治）", lines: [
                Line(label: "应走访重点户", count: String(report.visitsDue)), Line(label: "已走访重点户", count: String(report.visitsDone)),
                Line(label: "走访完成率", count: visitRate)]
                + lines(.visits, order: ["in_person", "phone"])
                + [Line(label: "走访发现问题", count: String(f.total(.visitsWithFindings)))]
                + lines(.leadsByKind, order: LeadKind.allCases.map(\.rawValue)).map { Line(label: "网格线索 · " + $0.label, count: $0.count) }
                + lines(.leadDecisions, order: LeadDecisionKind.allCases.map(\.rawValue)).map { Line(label: "议事研判 · " + $0.label, count: $0.count) }
                + [Line(label: "派单", count: String(f.total(.dispatches)))]),
            Section(title: "七、家暴警情回访", lines: [
                Line(label: "收到公安机关推送的家暴警情", count: String(f.total(.policeIncidents))),
                Line(label: "按时回访", count: String(f[.incidentFollowUps, "on_time"])),
                Line(label: "逾期回访", count: String(f[.incidentFollowUps, "late"])),
                Line(label: "按时回访率（目标100%）", count: FigureLabels.percent(f.incidentOnTimeRate))]),
        ]
        children = report.children.map { c in
            let stopped = c.clocksMet + c.clocksLate, followed = c.incidentsOnTime + c.incidentsLate
            return Child(name: c.unit.name, href: "/reports/monthly?unit_id=\(c.unit.id)&month=\(report.month)", contacts: c.contacts,
                         new_cases: c.newCases, closed: c.closed,
                         rate: stopped == 0 ? "—" : FigureLabels.percent(Double(c.clocksMet) / Double(stopped)),
                         collective: c.collectiveVisits, repeats: c.repeatContacts, high_risk: c.highRiskDomesticViolence,
                         leads: c.leads, incidents: c.incidents,
                         incident_rate: followed == 0 ? "—" : FigureLabels.percent(Double(c.incidentsOnTime) / Double(followed)))
        }
        warnings = report.warnings.map { w in
            Warning(id: w.id, unit: w.unit.name, series: WarningSeries(code: w.series)?.label ?? "",
                    week: "截至" + (LocalDate(iso: w.weekEnding)?.chineseText ?? w.weekEnding) + "的一周",
                    observed: w.observed, expected: String(format: "%.1f", w.expected))
        }
        notable = report.notable.map { n in
            Notable(case_id: n.caseID, tracking_no: n.trackingNo, category: CaseJSON.label(category: n.category), unit: n.unitName,
                    received_on: LocalDate(iso: n.receivedOn)?.chineseText ?? n.receivedOn, status: ConsoleLabels.status(n.status),
                    reasons: n.reasons.map { FigureLabels.notableReasons[$0] ?? "" }.joined(separator: "、"))
        }
        csv = "/api/v1/reports/monthly.csv?unit_id=\(report.unit.id)&month=\(report.month)"
        month_options = (0..<12).map { back -> OptionView in
            let total = today.year * 12 + today.month - 1 - back
            let value = String(format: "%04d-%02d", total / 12, total % 12 + 1)
            return OptionView(value: value, label: Self.monthText(value), selected: value == report.month)
        }
    }
}

enum ConsoleAnalysisTemplates {
    static let all: [(String, String)] = [("analysis", analysis), ("warning", warning), ("monthly_report", monthlyReport)]

    /// A table of cases as the case list shows them, from the list `name` of the page's context.
    static func caseTable(id: String, _ name: String) -> String {
        "<div class=\"table-scroll\"><table id=\"\(id)\" class=\"nowrap\"><tr><th>跟踪编号</th><th>类别</th><th>状态</th><th>承办单位</th><th>信访人</th><th>诉求摘要</th><th>期限</th></tr>"
            + ConsolePageTemplates.caseRows.replacingOccurrences(of: "{{#rows}}", with: "{{#\(name)}}")
                .replacingOccurrences(of: "{{/rows}}", with: "{{/\(name)}}")
            + "</table></div>"
    }

    static let analysis = """
        <section class="card"><h1>研判分析 · {{unit_name}}</h1>
        {{#parent_link}}<p class="no-print"><a href="{{parent_link}}">返回上一级</a></p>{{/parent_link}}
        <form method="get" action="/analysis" class="row no-print" id="analysis-form">
        <input type="hidden" name="unit_id" value="{{unit_id}}">
        <div><label for="series">类别</label><select id="series" name="series">{{#series_options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/series_options}}</select></div>
        <div><label for="weeks">时间范围</label><select id="weeks" name="weeks">{{#week_options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/week_options}}</select></div>
        <div><button type="submit">查看</button> <button type="button" class="secondary" data-print>打印</button>
        <a class="button secondary" href="{{report_link}}">月报</a></div>
        </form>
        <p class="hint">{{method}}</p>
        </section>
        <section class="card"><h2>{{unit_name}}：每周{{series_label}}件数与预期</h2>{{{trend_chart}}}
        <p><a href="{{cases_link}}">查看相关案件</a></p></section>
        {{#heat_chart}}<section class="card"><h2>下级单位 × 周：{{series_label}}</h2>{{{heat_chart}}}
        <p class="hint">每格为该周件数，底色越深件数越多；带粗框和“▲”的为异常升高的周。点击单位名称查看下一级。</p>
        <ul id="child-units">{{#children}}<li><a href="{{href}}">{{name}}</a>：{{total}} 件{{#flagged}} <span class="tag late">有异常升高</span>{{/flagged}}</li>{{/children}}</ul>
        </section>{{/heat_chart}}
        <section class="card"><h2>本周上升最快的类别</h2>
        <table id="rising"><tr><th>类别</th><th>最近7天</th><th>预期</th><th>倍数</th><th>是否异常</th></tr>
        {{#rising}}<tr><td><a href="{{href}}">{{label}}</a></td><td>{{observed}}</td><td>{{expected}}</td><td>{{ratio}}</td><td>{{#flagged}}<span class="tag late">异常升高</span>{{/flagged}}{{^flagged}}未达预警线{{/flagged}}</td></tr>{{/rising}}
        </table>{{^rising}}<p>最近7天没有高于预期的类别。</p>{{/rising}}
        </section>
        <section class="card"><h2>预警</h2>
        <table id="warnings"><tr><th>单位</th><th>类别</th><th>时间</th><th>件数</th><th>预期</th></tr>
        {{#warnings}}<tr><td>{{unit}}</td><td><a href="/warnings/{{id}}">{{series}}</a></td><td>{{week}}</td><td>{{observed}}</td><td>{{expected}}</td></tr>{{/warnings}}
        </table>{{^warnings}}<p>此期间没有预警。</p>{{/warnings}}
        </section>
        <section class="card"><h2>重复信访</h2>
        {{#has_repeat_cases}}\(caseTable(id: "repeat-cases", "repeat_cases")){{/has_repeat_cases}}
        {{^repeat_cases}}<p>此期间没有重复信访。</p>{{/repeat_cases}}
        </section>
        <section class="card"><h2>集体访</h2>
        {{#has_collective_cases}}\(caseTable(id: "collective-cases", "collective_cases")){{/has_collective_cases}}
        {{^collective_cases}}<p>此期间没有集体访。</p>{{/collective_cases}}
        </section>
        """

    static let warning = """
        <section class="card"><h1>预警：{{warning.unit}} · {{warning.series}}</h1>
        <p id="warning-figures">{{period}}，{{warning.series}} {{warning.observed}} 件，按此前各周预期约 {{warning.expected}} 件（此前各周：{{baseline}}；显著性 {{p_value}}）。</p>
        <p class="no-print"><a href="{{analysis_link}}">查看趋势分析</a></p>
        </section>
        <section class="card"><h2>相关案件</h2>
        {{#has_cases}}\(caseTable(id: "warning-cases", "cases")){{/has_cases}}
        {{^cases}}<p>没有可查看的案件。</p>{{/cases}}
        </section>
        <section class="card"><h2>相关网格线索</h2>
        <table id="warning-leads"><tr><th>线索</th><th>网格</th><th>状态</th><th>报告时间</th></tr>
        {{#leads}}<tr><td><a href="/leads/{{id}}">{{kind}}</a></td><td>{{grid}}</td><td>{{status}}</td><td>{{reported_at}}</td></tr>{{/leads}}
        </table>{{^leads}}<p>没有相关线索。</p>{{/leads}}
        </section>
        """

    static let monthlyReport = """
        <article class="card report" id="monthly-report">
        <form method="get" action="/reports/monthly" class="row no-print">
        <input type="hidden" name="unit_id" value="{{unit_id}}">
        <div><label for="month">月份</label><select id="month" name="month">{{#month_options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/month_options}}</select></div>
        <div><button type="submit">查看</button> <button type="button" class="secondary" data-print>打印</button>
        <a class="button secondary" href="{{csv}}">下载表格（CSV）</a></div>
        </form>
        <h1 class="center">{{title}}</h1>
        <p class="center">{{period}}　{{generated_at}}</p>
        <p class="hint">{{status}}</p>
        {{#sections}}<h2>{{title}}</h2>
        <table class="figures">{{#lines}}<tr><th scope="row">{{label}}</th><td class="count">{{count}}</td></tr>{{/lines}}</table>{{/sections}}
        <h2>八、下级单位情况</h2>
        <table id="report-children"><tr><th>单位</th><th>来信来访</th><th>新登记</th><th>办结</th><th>按期率</th><th>集体访</th><th>重复信访</th><th>高风险家暴</th><th>网格线索</th><th>家暴警情</th><th>按时回访率</th></tr>
        {{#children}}<tr><td><a href="{{href}}">{{name}}</a></td><td>{{contacts}}</td><td>{{new_cases}}</td><td>{{closed}}</td><td>{{rate}}</td><td>{{collective}}</td><td>{{repeats}}</td><td>{{high_risk}}</td><td>{{leads}}</td><td>{{incidents}}</td><td>{{incident_rate}}</td></tr>{{/children}}
        </table>{{^children}}<p>无下级单位。</p>{{/children}}
        <h2>九、本月预警</h2>
        <table id="report-warnings"><tr><th>单位</th><th>类别</th><th>时间</th><th>件数</th><th>预期</th></tr>
        {{#warnings}}<tr><td>{{unit}}</td><td><a href="/warnings/{{id}}">{{series}}</a></td><td>{{week}}</td><td>{{observed}}</td><td>{{expected}}</td></tr>{{/warnings}}
        </table>{{^warnings}}<p>本月没有预警。</p>{{/warnings}}
        <h2>十、典型案件</h2>
        <table id="report-notable"><tr><th>跟踪编号</th><th>类别</th><th>单位</th><th>登记日期</th><th>状态</th><th>列入原因</th></tr>
        {{#notable}}<tr><td><a href="/cases/{{case_id}}">{{tracking_no}}</a></td><td>{{category}}</td><td>{{unit}}</td><td>{{received_on}}</td><td>{{status}}</td><td>{{reasons}}</td></tr>{{/notable}}
        </table>{{^notable}}<p>本月没有需列出的案件。</p>{{/notable}}
        <p class="hint">密封案件只计入数字，不列出；典型案件不显示诉求内容和当事人信息。</p>
        </article>
        """
}
