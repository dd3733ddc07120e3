import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// The staff's side of the mediation network: what each body was sent (referrals of cases to a mediator
/// and lead dispatches that name it) and what came of it, per month for one body and per body for the
/// registry under her unit. Counts only, within her scope.
extension HuiyinApp {
    static func addMediationBodyRoutes(to router: inout Router<Route>) {
        router.add("GET", "/api/v1/mediation-bodies/{id}/figures", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let (from, to) = try figuresPeriod(request, today: app.store.today)
            guard let months = try app.store.mediationBodyMonths(id: try caseID(request), from: from, to: to, for: user) else {
                throw APIError.notFound
            }
            var total = MediationBodyCounts()
            for m in months { total.add(m.counts) }
            return try json(200, MediationBodyFiguresBody(bodyID: try caseID(request), from: from.description, to: to.description,
                                                          total: MediationCountsView(total),
                                                          months: months.map { MediationMonthView(month: $0.month, counts: $0.counts) }))
        })
        router.add("GET", "/api/v1/mediation-bodies/registry", Route(access: .staff) { app, request, context in
            let user = try context.staff()
            let (from, to) = try figuresPeriod(request, today: app.store.today)
            let rows = try app.store.mediationBodyFigures(under: nil, from: from, to: to, for: user)
            return try json(200, MediationRegistryBody(from: from.description, to: to.description, items: rows.map(MediationRegistryItem.init)))
        })

        router.add("GET", "/mediation-bodies", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let today = app.store.today
            // This year so far unless a month is chosen: the registry's figures are read over long periods.
            var from = LocalDate(year: today.year, month: 1, day: 1)!, to = today
            if let text = request.query["from"], let day = LocalDate(iso: text) { from = day }
            if let text = request.query["to"], let day = LocalDate(iso: text), day >= from { to = day }
            let rows = try app.store.mediationBodyFigures(under: nil, from: from, to: to, for: user)
            let view = MediationRegistryConsoleView(from: from.description, to: to.description, bodies: rows.map(MediationRegistryRowView.init))
            return Console.page(200, title: "调解组织名录", template: "mediation_bodies", view, session: context.session,
                                unitName: try app.store.unitName(user.unitID), path: "/mediation-bodies")
        })
    }
}

extension MediationBodyCounts {
    mutating func add(_ other: MediationBodyCounts) {
        referrals += other.referrals
        referralOutcomes += other.referralOutcomes
        referralsOpen += other.referralsOpen
        dispatches += other.dispatches
        settled += other.settled
        notSettled += other.notSettled
        referredOn += other.referredOn
        objected += other.objected
        dispatchesOpen += other.dispatchesOpen
    }
}

struct MediationCountsView: ResponseBody {
    let referrals: Int, referralOutcomes: Int, referralsOpen: Int
    let dispatches: Int, settled: Int, notSettled: Int, referredOn: Int, objected: Int, dispatchesOpen: Int

    init(_ c: MediationBodyCounts) {
        (referrals, referralOutcomes, referralsOpen) = (c.referrals, c.referralOutcomes, c.referralsOpen)
        (dispatches, settled, notSettled, referredOn, objected, dispatchesOpen) =
            (c.dispatches, c.settled, c.notSettled, c.referredOn, c.objected, c.dispatchesOpen)
    }

    enum CodingKeys: String, CodingKey {
        case referrals, referralOutcomes = "referral_outcomes", referralsOpen = "referrals_open"
        case dispatches, settled, notSettled = "not_settled", referredOn = "referred_on", objected, dispatchesOpen = "dispatches_open"
    }
}

struct MediationMonthView: ResponseBody {
    let month: String
    let counts: MediationCountsView

    init(month: String, counts: MediationBodyCounts) {
        self.month = month
        self.counts = MediationCountsView(counts)
    }
}

struct MediationBodyFiguresBody: ResponseBody {
    let bodyID: Int64
    let from: String
    let to: String
    let total: MediationCountsView
    let months: [MediationMonthView]

    enum CodingKeys: String, CodingKey { case bodyID = "body_id", from, to, total, months }
}

struct MediationRegistryItem: ResponseBody {
    let id: Int64
    let code: String
    let name: String
    let kind: String
    let unitName: String
    let counts: MediationCountsView

    init(_ f: MediationBodyFigures) {
        (id, code, name, kind, unitName, counts) = (f.id, f.code, f.name, f.kind.rawValue, f.unitName, MediationCountsView(f.counts))
    }

    enum CodingKeys: String, CodingKey { case id, code, name, kind, unitName = "unit_name", counts }
}

struct MediationRegistryBody: ResponseBody {
    let from: String
    let to: String
    let items: [MediationRegistryItem]
}

struct MediationRegistryRowView: ConsoleView {
    let id: Int64, name: String, kind: String, unit: String
    let referrals: Int, referral_outcomes: Int, referrals_open: Int
    let dispatches: Int, settled: Int, not_settled: Int, referred_on: Int, dispatches_open: Int

    init(_ f: MediationBodyFigures) {
        (id, name, kind, unit) = (f.id, f.name, f.kind.label, f.unitName)
        let c = f.counts
        (referrals, referral_outcomes, referrals_open) = (c.referrals, c.referralOutcomes, c.referralsOpen)
        (dispatches, settled, not_settled, referred_on, dispatches_open) = (c.dispatches, c.settled, c.notSettled, c.referredOn, c.dispatchesOpen)
    }
}

struct MediationRegistryConsoleView: ConsoleView {
    let from: String, to: String
    let bodies: [MediationRegistryRowView]
}

/// One option of a form's body picker.
struct MediationChoiceView: ConsoleView {
    let id: Int64
    let label: String

    init(_ choice: MediationBodyChoice) {
        id = choice.id
        label = "\(choice.name)（\(choice.unitName)）"
    }
}

enum MediationBodyTemplates {
    static let all: [(String, String)] = [("mediation_bodies", registry)]

    static let registry = """
        <section class="card"><h1>调解组织名录</h1>
        <form method="get" action="/mediation-bodies" class="row">
        <div><label for="mb-from">起始日期</label><input type="date" id="mb-from" name="from" value="{{from}}"></div>
        <div><label for="mb-to">截止日期</label><input type="date" id="mb-to" name="to" value="{{to}}"></div>
        <div><button type="submit">查看</button></div></form>
        <p class="hint">{{from}} 至 {{to}}：本单位及下级案件转介、线索派单至各调解组织的件数及结果。</p>
        <table id="mediation-bodies"><tr><th>调解组织</th><th>类别</th><th>所属单位</th><th>转介</th><th>已反馈结果</th><th>待反馈</th><th>派单</th><th>已化解</th><th>未化解</th><th>已移交</th><th>在办</th></tr>
        {{#bodies}}<tr data-body="{{id}}"><td>{{name}}</td><td>{{kind}}</td><td>{{unit}}</td><td>{{referrals}}</td><td>{{referral_outcomes}}</td><td>{{referrals_open}}</td><td>{{dispatches}}</td><td>{{settled}}</td><td>{{not_settled}}</td><td>{{referred_on}}</td><td>{{dispatches_open}}</td></tr>{{/bodies}}
        </table>{{^bodies}}<p>本单位辖区内暂无登记的调解组织。</p>{{/bodies}}
        </section>
        """
}
