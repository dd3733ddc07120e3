import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// The handler's inbox, the supervisor's dashboard (督办) and the leader's responsibility list.
extension HuiyinApp {
    static func addConsoleSupervisionRoutes(to router: inout Router<Route>) {
        router.add("GET", "/inbox", Route(access: .console) { app, _, context in
            let user = try context.staff()
            let rows = try app.store.inbox(for: user).map { entry in
                var row = try app.rowContext(entry.item, dueOn: entry.nextDue)
                row.next = Self.nextStep(entry.item.status, clock: entry.nextClock)
                if entry.openReports > 0 { row.reports = "\(entry.openReports) 项必办报告" }
                return row
            }
            return Console.page(200, title: "待办案件", template: "inbox", InboxView(rows: rows), session: context.session,
                                unitName: try app.store.unitName(user.unitID), path: "/inbox")
        })
        router.add("GET", "/dashboard", Route(access: .console) { app, request, context in
            let user = try context.staff()
            var problems: [FieldError] = []
            let unitID = try app.unitInScope(request, of: user, &problems)
            let figures = try app.store.unitFigures(underUnit: unitID)
            let overdue = try app.store.clocks(.overdue, underUnit: unitID, channel: nil, kind: nil, limit: 200)
            let soon = try app.store.clocks(.dueSoon, underUnit: unitID, channel: nil, kind: nil, limit: 100)
            let trend = try app.store.overdueTrend(underUnit: unitID)
            let activity = try app.store.supervisionActivity(for: user, underUnit: unitID)
            let today = app.store.today
            let children = figures.filter { $0.unitID != unitID }
            let this = figures.first { $0.unitID == unitID }
            // Drill-down goes back up, but never above her own unit.
            let parent = unitID == user.unitID ? nil : try app.store.parentUnit(of: unitID)
            let rate: (UnitFigures) -> String = { $0.onTimeRate.map { "\(Int(($0 * 100).rounded()))%" } ?? "—" }
            var collective = CaseFilter()
            collective.collective = true
            collective.unitID = unitID
            var page = DashboardView(
                unit_name: this?.unitName ?? "",
                reminders: activity.reminders, notices: activity.notices,
                export: "/api/v1/supervision/clocks.csv?status=overdue&unit_id=\(unitID)",
                export_cases: "/api/v1/cases/export.csv?unit_id=\(unitID)",
                export_soon: "/api/v1/supervision/clocks.csv?status=due_soon&unit_id=\(unitID)",
                units: figures.map { f in DashboardUnitRow(id: f.unitID, name: f.unitName + (f.unitID == unitID ? "（合计）" : ""),
                                                           drill: f.unitID != unitID, open: f.openCases, due_soon: f.dueSoon,
                                                           overdue: f.overdue, rate: rate(f)) },
                on_time_chart: SVGCharts.bars(id: "on-time-chart", title: "各单位按期办结率",
                                              (children.isEmpty ? figures : children).map { ($0.unitName, $0.onTimeRate) }),
                trend_chart: SVGCharts.line(id: "trend-chart", title: "近30日每日超期件数",
                                            trend.map { ("\($0.day.month)月\($0.day.day)日", $0.overdue) }),
                overdue: overdue.map { item in
                    OverdueRow(tracking_no: item.trackingNo, case_id: item.caseID, kind: ConsoleLabels.clock(item.kind), unit: item.unitName,
                               due_on: item.dueOn.chineseText, days: max(0, today.dayNumber - item.dueOn.dayNumber),
                               ladder: item.supervisionLevel >= 3 ? "已通报" : item.supervisionLevel >= 2 ? "已催办" : "待催办")
                },
                due_soon: soon.map { DueSoonRow(tracking_no: $0.trackingNo, case_id: $0.caseID, kind: ConsoleLabels.clock($0.kind),
                                                unit: $0.unitName, due_on: $0.dueOn.chineseText) },
                proposals: activity.proposals.map { ProposalRow(id: $0.id, tracking_no: $0.trackingNo, category: ConsoleLabels.category($0.category),
                                                                unit: $0.unitName, contacts: $0.contactCount) },
                collective_count: try app.store.countCases(collective, for: user),
                collective_link: "/cases?collective=true&unit_id=\(unitID)",
                parent: parent,
                calendar_warning: try app.store.calendarWarning() == nil ? nil
                    : "节假日安排尚未全部导入：未导入年份的期限暂仅按周末计算，请系统管理员及时导入国务院办公厅节假日安排通知。")
            let monthStart = LocalDate(year: today.year, month: today.month, day: 1)!
            page.dispatch_figures = try app.store.dispatchFigures(from: monthStart, to: today, for: user).map(DispatchFiguresRowView.init)
            page.legal_aid_figures = try app.store.legalAidFigures(from: monthStart, to: today, for: user).map(LegalAidFiguresRowView.init)
            page.expiring_orders = try app.expiringOrderRows(for: user)
            page.expiring_days = app.protectionOrderWarnDays
            let incidents = try app.store.incidentFigures(month: monthStart, for: user)
            page.incident_figures = incidents.units.map(IncidentFiguresRowView.init)
            page.incident_total = incidents.total.incidents
            page.incident_share = IncidentFiguresRowView.percent(incidents.total.shareOnTime)
            page.incident_limit = app.store.rules.grassroots.incidentFollowUpWithin.label
            return Console.page(200, title: "督办", template: "dashboard", page, session: context.session,
                                unitName: try app.store.unitName(user.unitID), path: "/dashboard")
        })
        router.add("GET", "/leader", Route(access: .console) { app, _, context in
            let user = try context.staff()
            let today = app.store.today
            let csrf = context.session?.csrfToken ?? ""
            let cases = try app.store.leaderCases(leaderID: user.id, for: user)
            let progress = try app.store.latestProgress(caseIDs: cases.filter { !$0.0.masked }.map(\.0.id))
            let rows = try cases.map { item, clocks in
                var row = try app.rowContext(item)
                row.csrf = csrf
                if let last = progress[item.id] {
                    row.progress = last.note
                    row.progress_at = ConsoleLabels.time(last.at, in: app.store.timeZone)
                }
                row.clocks = clocks.map { LeaderClockView(kind: ConsoleLabels.clock($0.kind), due_on: $0.dueOn.chineseText,
                                                          class: $0.dueOn < today ? "late" : "") }
                return row
            }
            return Console.page(200, title: "包案责任清单", template: "leader", LeaderView(rows: rows), session: context.session,
                                unitName: try app.store.unitName(user.unitID), path: "/leader")
        })
    }

    /// What the handler must do next, by status.
    static func nextStep(_ status: String, clock: String?) -> String {
        switch CaseStatus(rawValue: status) {
        case .registered, .reopened: return "决定是否受理，并书面告知"
        case .transferred: return "签收转办，或在期限内提出异议"
        case .accepted: return "调查处理，书面答复"
        case .replied: return "办结归档"
        case .reviewing: return "等待复查决定"
        case .rereviewing: return "等待复核决定"
        default: return clock.map(ConsoleLabels.clock) ?? ""
        }
    }
}

/// One unit's row of the month's police-incident follow-ups; a share below the 100 % goal is marked.
struct IncidentFiguresRowView: ConsoleView {
    let unit: String
    let incidents: Int, on_time: Int, late: Int, open_not_due: Int, open_overdue: Int
    let share: String
    let short: Bool

    init(_ f: IncidentFigure) {
        unit = f.unitName
        incidents = f.incidents
        on_time = f.onTime
        late = f.late
        open_not_due = f.openNotDue
        open_overdue = f.openOverdue
        share = Self.percent(f.shareOnTime)
        short = (f.shareOnTime ?? 1) < 1
    }

    static func percent(_ share: Double?) -> String {
        share.map { String(format: "%.1f%%", $0 * 100) } ?? "—"
    }
}
