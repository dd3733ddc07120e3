import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// The month's visit progress (家家访 月月谈): figures for her unit and each unit below it; the village (and
/// the grid roles) see their households, visited or not; the township and above see the grids with visits
/// still owed.
extension HuiyinApp {
    static func addConsoleVisitRoutes(to router: inout Router<Route>) {
        router.add("GET", "/visits", Route(access: .console) { app, request, context in
            let user = try context.staff()
            var problems: [FieldError] = []
            let unitID: Int64? = user.role.worksInGrids ? nil : try app.unitInScope(request, of: user, &problems)
            let today = app.store.today
            let month = VisitMonth(today)
            guard let progress = try app.store.visitProgress(month: month, unitID: unitID, for: user) else { throw APIError.notFound }
            let late = today > progress.dueOn
            func row(_ figure: VisitFigure, total: Bool) -> VisitUnitRow {
                let outstanding = figure.due - figure.done
                return VisitUnitRow(
                    id: figure.unitID, name: figure.name + (total ? "（合计）" : ""),
                    drill: !total && !user.role.worksInGrids, due: figure.due, done: figure.done,
                    rate: figure.due == 0 ? "—" : "\(Int((Double(figure.done) * 100 / Double(figure.due)).rounded()))%",
                    outstanding: outstanding, late: late && outstanding > 0)
            }
            let level = progress.unit?.level ?? "grid"
            var households: [VisitHouseholdRow] = []
            var grids: [VisitGridRow] = []
            if ["village", "grid"].contains(level) {
                // A village: its grids; a grid: itself; a grid role without a unit: each of her grids.
                let gridIDs = level == "grid" ? progress.unit.map { [$0.unitID] } ?? progress.children.map(\.unitID)
                    : progress.children.map(\.unitID)
                households = try app.store.visitRegister(month: month, gridIDs: gridIDs, for: user).map { entry in
                    VisitHouseholdRow(grid: entry.gridName, sealed: entry.sealed, head: entry.headName ?? "", address: entry.address ?? "",
                                      visited_on: entry.visitedOn?.chineseText,
                                      status: entry.visitedOn != nil ? "已访" : late ? "逾期未访" : "待访", late: entry.visitedOn == nil && late)
                }
            } else if let unit = progress.unit {
                grids = try app.store.outstandingVisitGrids(month: month, underUnit: unit.unitID).map { grid in
                    VisitGridRow(grid: grid.gridName, village: grid.villageName, due: grid.due, done: grid.done,
                                 outstanding: grid.due - grid.done, late: late)
                }
            }
            let parent = unitID == nil || unitID == user.unitID ? nil : try app.store.parentUnit(of: unitID!)
            let page = VisitProgressPage(
                unit_name: progress.unit?.name ?? "我的网格", month: "\(month.year)年\(month.month)月", due_on: progress.dueOn.chineseText,
                late: late, parent: parent,
                units: (progress.unit.map { [row($0, total: !progress.children.isEmpty)] } ?? []) + progress.children.map { row($0, total: false) },
                show_households: ["village", "grid"].contains(level), households: households,
                show_grids: !["village", "grid"].contains(level), grids: grids)
            return Console.page(200, title: "走访进度", template: "visits", page, session: context.session,
                                unitName: try app.store.unitName(user.unitID), path: "/visits")
        })
    }
}

struct VisitUnitRow: ConsoleView {
    let id: Int64
    let name: String
    let drill: Bool
    let due: Int
    let done: Int
    let rate: String
    let outstanding: Int
    let late: Bool
}

struct VisitHouseholdRow: ConsoleView {
    let grid: String
    let sealed: Bool
    let head: String
    let address: String
    let visited_on: String?
    let status: String
    let late: Bool
}

struct VisitGridRow: ConsoleView {
    let grid: String
    let village: String
    let due: Int
    let done: Int
    let outstanding: Int
    let late: Bool
}

struct VisitProgressPage: ConsoleView {
    let unit_name: String
    let month: String
    let due_on: String
    let late: Bool
    let parent: Int64?
    let units: [VisitUnitRow]
    let show_households: Bool
    let households: [VisitHouseholdRow]
    let show_grids: Bool
    let grids: [VisitGridRow]
}

enum ConsoleVisitTemplates {
    static let visits = """
        <section class="card"><h1>家家访 月月谈 · {{unit_name}}</h1>
        {{#parent}}<p><a href="/visits?unit_id={{parent}}">返回上一级</a></p>{{/parent}}
        <p>{{month}}走访截止日：{{due_on}}{{#late}} <span class="tag late">已过截止日</span>{{/late}}。每户每月至少走访一次，必谈妇女儿童权益保障，婚姻家事纠纷、家庭暴力现象、性侵未成年人案件线索。</p>
        <table id="visit-units"><tr><th>单位</th><th>应访户数</th><th>已访户数</th><th>完成率</th><th>未访户数</th></tr>
        {{#units}}<tr data-unit-id="{{id}}"><td>{{#drill}}<a href="/visits?unit_id={{id}}">{{name}}</a>{{/drill}}{{^drill}}{{name}}{{/drill}}</td><td>{{due}}</td><td>{{done}}</td><td>{{rate}}</td>
        <td>{{#late}}<span class="tag late">{{outstanding}} 户逾期</span>{{/late}}{{^late}}{{outstanding}}{{/late}}</td></tr>{{/units}}
        </table>{{^units}}<p>暂无分配的网格。</p>{{/units}}
        </section>
        {{#show_households}}<section class="card"><h2>本月重点户走访情况</h2>
        <table id="visit-households"><tr><th>网格</th><th>户主</th><th>地址</th><th>本月走访</th><th>状态</th></tr>
        {{#households}}<tr{{#sealed}} class="masked"{{/sealed}}><td>{{grid}}</td><td>{{#sealed}}<span class="tag sealed">密封</span>{{/sealed}}{{^sealed}}{{head}}{{/sealed}}</td>
        <td>{{^sealed}}{{address}}{{/sealed}}</td><td>{{visited_on}}</td><td>{{#late}}<span class="tag late">{{status}}</span>{{/late}}{{^late}}{{status}}{{/late}}</td></tr>{{/households}}
        </table>{{^households}}<p>暂无重点户。</p>{{/households}}
        </section>{{/show_households}}
        {{#show_grids}}<section class="card"><h2>尚有未访重点户的网格</h2>
        <table id="visit-grids"><tr><th>网格</th><th>所在村（社区）</th><th>应访</th><th>已访</th><th>未访</th></tr>
        {{#grids}}<tr><td>{{grid}}</td><td>{{village}}</td><td>{{due}}</td><td>{{done}}</td><td>{{#late}}<span class="tag late">{{outstanding}} 户逾期</span>{{/late}}{{^late}}{{outstanding}}{{/late}}</td></tr>{{/grids}}
        </table>{{^grids}}<p>本月各网格均已走访完毕。</p>{{/grids}}
        </section>{{/show_grids}}
        """
}
