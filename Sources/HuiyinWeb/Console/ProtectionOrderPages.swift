import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// The protection-order section shared by the case page and the household page: the orders with their
/// expiry, and the forms to record one, an extension or a violation (the same store methods as the API).
enum ProtectionOrderTemplates {
    static let all: [(String, String)] = [("protection_orders", section)]

    static let section = """
        <div class="card" id="protection-orders"><h2>人身安全保护令</h2>
        {{#orders}}<div class="protection-order" data-order-id="{{id}}">
        {{#masked}}<p><span class="tag sealed">密封</span> 到期日：{{expires_on}}</p>{{/masked}}
        {{^masked}}<p><strong>{{court}} {{order_no}}</strong> <span class="tag {{left_class}}">{{status}}{{#left}} · {{left}}{{/left}}</span>
        {{#counselling}}<span class="tag high counselling">责令被申请人接受心理辅导</span>{{/counselling}}</p>
        <p>受保护人：{{person}} · 作出：{{issued_on}} · 生效：{{effective_from}} · 到期：<strong class="expires-on">{{expires_on}}</strong></p>
        <p>保护措施：{{measures}}</p>
        {{#has_extensions}}<ul class="extensions">{{#extensions}}<li>{{.}}</li>{{/extensions}}</ul>{{/has_extensions}}
        {{#has_violations}}<ul class="violations">{{#violations}}<li>{{.}}</li>{{/violations}}</ul>{{/has_violations}}
        <details><summary class="button secondary">登记延长</summary>
        <form method="post" action="/protection-orders/{{id}}/extensions" class="row"><input type="hidden" name="_csrf" value="{{csrf}}">
        <div><label for="ext-expires-{{id}}">延长后到期日</label><input type="date" id="ext-expires-{{id}}" name="expires_on" min="{{expires_on}}" required></div>
        <div><label for="ext-ruled-{{id}}">法院裁定日期</label><input type="date" id="ext-ruled-{{id}}" name="ruled_on" max="{{today}}"></div>
        <div><label for="ext-note-{{id}}">说明（可不填）</label><input type="text" id="ext-note-{{id}}" name="note"></div>
        <div><button type="submit">登记延长</button></div></form></details>
        <details><summary class="button secondary">登记违反保护令</summary>
        <form method="post" action="/protection-orders/{{id}}/violations" class="row"><input type="hidden" name="_csrf" value="{{csrf}}">
        <div><label for="vio-day-{{id}}">发生日期</label><input type="date" id="vio-day-{{id}}" name="occurred_on" max="{{today}}" required></div>
        <div><label for="vio-what-{{id}}">违反情况（登记后风险升为高，并生成报警事项）</label><textarea id="vio-what-{{id}}" name="what" required></textarea></div>
        <div><button type="submit">登记违反</button></div></form></details>{{/masked}}
        </div>{{/orders}}
        {{^orders}}<p class="hint">尚未登记人身安全保护令。</p>{{/orders}}
        {{#can_record}}<details id="record-order"><summary class="button secondary">登记保护令</summary>
        <form method="post" action="{{record_action}}"><input type="hidden" name="_csrf" value="{{csrf}}">
        <div class="row">
         <div><label for="order-court">作出法院</label><input type="text" id="order-court" name="court" required></div>
         <div><label for="order-no">文书编号</label><input type="text" id="order-no" name="order_no" required></div>
         <div><label for="order-person">受保护人</label><select id="order-person" name="protected">{{#persons}}<option value="{{value}}">{{label}}</option>{{/persons}}</select></div>
        </div>
        <div class="row">
         <div><label for="order-issued">作出日期</label><input type="date" id="order-issued" name="issued_on" max="{{today}}" required></div>
         <div><label for="order-effective">生效日期</label><input type="date" id="order-effective" name="effective_from" required></div>
         <div><label for="order-expires">到期日期（有效期一般不超过六个月）</label><input type="date" id="order-expires" name="expires_on" required></div>
        </div>
        <fieldset><legend>保护措施</legend>
        {{#measure_options}}<label><input type="checkbox" name="measure_{{value}}" value="yes"> {{label}}</label>{{/measure_options}}
        <label for="order-other">其他措施内容（勾选“其他措施”时填写）</label><input type="text" id="order-other" name="other_measure">
        </fieldset>
        <label><input type="checkbox" id="order-counselling" name="counselling_ordered" value="yes"> 责令被申请人接受心理辅导或矫治</label>
        <p><button type="submit" id="record-order-submit">登记保护令</button></p>
        </form></details>{{/can_record}}
        </div>
        """

    static let expiring = """
        <h2>保护令即将到期</h2>
        <table id="expiring-orders"><tr><th>到期日</th><th>剩余</th><th>单位</th><th>所属</th><th>法院及文书编号</th></tr>
        {{#expiring_orders}}<tr><td>{{expires_on}}</td><td><span class="tag {{left_class}}">{{left}}</span></td><td>{{unit}}</td>
        <td><a href="{{href}}">{{subject}}</a></td><td>{{#masked}}<span class="tag sealed">密封</span>{{/masked}}{{^masked}}{{court}} {{order_no}}{{/masked}}</td></tr>{{/expiring_orders}}
        </table>{{^expiring_orders}}<p>近{{expiring_days}}日内没有到期的保护令。</p>{{/expiring_orders}}
        """
}

struct ProtectionOrdersSectionView {
    var orders: [ProtectionOrderRowView] = []
    var can_record = false
    var record_action = ""
    var csrf = ""
    var today = ""
    var persons: [ChoiceOption] = []
    var measure_options = ProtectionMeasure.allCases.map { ChoiceOption(value: $0.rawValue, label: $0.label) }
}

struct ProtectionOrderRowView {
    let id: Int64
    let csrf: String
    let today: String
    let masked: Bool
    let expires_on: String
    var court = ""
    var order_no = ""
    var status = ""
    var left: String?
    var left_class = ""
    var counselling = false
    var person = ""
    var issued_on = ""
    var effective_from = ""
    var measures = ""
    var extensions: [String] = []
    var has_extensions = false
    var violations: [String] = []
    var has_violations = false
}

struct ExpiringOrderRowView {
    let expires_on: String
    let left: String
    let left_class: String
    let unit: String
    let href: String
    let subject: String
    let masked: Bool
    let court: String
    let order_no: String
}

extension HuiyinApp {
    static func addConsoleProtectionOrderRoutes(to router: inout Router<Route>) {
        router.add("POST", "/cases/{id}/protection-orders", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let id = try caseID(request)
            let form = try app.consoleForm(request, context)
            do {
                let order = try app.consoleOrder(form, onHousehold: false).get()
                guard try app.store.recordProtectionOrder(order, caseID: id, by: user) != nil else { throw APIError.notFound }
                return Console.redirect(to: "/cases/\(id)?done=protection_order_recorded")
            } catch {
                return try app.casePage(id, context, breakGlass: nil, flash: (ConsoleLabels.problem(error, retryAfter: 5), true))
            }
        })
        router.add("POST", "/households/{id}/protection-orders", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let id = try caseID(request)
            let form = try app.consoleForm(request, context)
            do {
                let order = try app.consoleOrder(form, onHousehold: true).get()
                guard try app.store.recordProtectionOrder(order, householdID: id, by: user) != nil else { throw APIError.notFound }
                return Console.redirect(to: "/households/\(id)?done=protection_order_recorded")
            } catch {
                return try app.householdPage(id, context, flash: (ConsoleLabels.problem(error, retryAfter: 5), true))
            }
        })
        router.add("POST", "/protection-orders/{id}/extensions", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let id = try caseID(request)
            let form = try app.consoleForm(request, context)
            guard let order = try app.store.protectionOrder(id: id, for: user) else { throw APIError.notFound }
            do {
                let ext = try ProtectionOrderExtension.validate(ruledOn: form["ruled_on"], expiresOn: form["expires_on"], note: form["note"],
                                                                today: app.store.today).get()
                guard try app.store.extendProtectionOrder(id: id, ext, by: user).found else { throw APIError.notFound }
                return Console.redirect(to: app.orderPage(order) + "?done=protection_order_extended")
            } catch {
                return try app.orderPage(order, context, flash: (ConsoleLabels.problem(error, retryAfter: 5), true))
            }
        })
        router.add("POST", "/protection-orders/{id}/violations", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let id = try caseID(request)
            let form = try app.consoleForm(request, context)
            guard let order = try app.store.protectionOrder(id: id, for: user) else { throw APIError.notFound }
            do {
                let violation = try ProtectionOrderViolation.validate(occurredOn: form["occurred_on"], what: form["what"],
                                                                      today: app.store.today).get()
                guard try app.store.reportProtectionOrderViolation(orderID: id, violation, by: user) != nil else { throw APIError.notFound }
                return Console.redirect(to: app.orderPage(order) + "?done=protection_order_violated")
            } catch {
                return try app.orderPage(order, context, flash: (ConsoleLabels.problem(error, retryAfter: 5), true))
            }
        })
    }

    /// The page an order is shown on: its case's, else its household's.
    func orderPage(_ order: ProtectionOrderRecord) -> String {
        order.caseID.map { "/cases/\($0)" } ?? "/households/\(order.householdID ?? 0)"
    }

    func orderPage(_ order: ProtectionOrderRecord, _ context: RequestContext, flash: (String, Bool)) throws -> Response {
        if let caseID = order.caseID { return try casePage(caseID, context, breakGlass: nil, flash: flash) }
        return try householdPage(order.householdID ?? 0, context, flash: flash)
    }

    /// The record form as an order draft: `protected` is `petitioner`, `victim` or a member's id; each
    /// measure is its own checkbox (`measure_no_violence` …).
    func consoleOrder(_ form: [String: String], onHousehold: Bool) -> Result<ProtectionOrder, ValidationFailure> {
        let protected = form["protected"] ?? ""
        let member = Int64(protected)
        let measures = ProtectionMeasure.allCases.filter { form["measure_\($0.rawValue)"] == "yes" }.map(\.rawValue)
        let draft = ProtectionOrderDraft(court: form["court"], orderNo: form["order_no"],
                                         protectedPerson: member != nil ? ProtectedPerson.householdMember.rawValue : (protected.isEmpty ? nil : protected),
                                         householdMemberID: member, issuedOn: form["issued_on"], effectiveFrom: form["effective_from"],
                                         expiresOn: form["expires_on"], measures: measures,
                                         otherMeasure: form["other_measure"].flatMap { $0.isEmpty ? nil : $0 },
                                         counsellingOrdered: form["counselling_ordered"] == "yes")
        return draft.validate(today: store.today, onHousehold: onHousehold)
    }

    /// The section for a case (`caseID`) or household; `persons` are the choices of whom it protects.
    func protectionOrdersSection(caseID: Int64? = nil, householdID: Int64? = nil, user: StaffUser, csrf: String, canRecord: Bool,
                                 persons: [ChoiceOption]) throws -> ProtectionOrdersSectionView? {
        // The page has made the audited read of the case or household: the section adds no second one.
        let orders = try caseID.map { try store.protectionOrders(caseID: $0, for: user, audited: false) }
            ?? store.protectionOrders(householdID: householdID!, for: user, audited: false)
        guard let orders else { return nil }
        let today = store.today
        var section = ProtectionOrdersSectionView()
        section.csrf = csrf
        section.today = today.description
        section.can_record = canRecord && !persons.isEmpty
        section.record_action = caseID.map { "/cases/\($0)/protection-orders" } ?? "/households/\(householdID!)/protection-orders"
        section.persons = persons
        let zone = store.timeZone
        section.orders = orders.map { o in
            var row = ProtectionOrderRowView(id: o.id, csrf: csrf, today: today.description, masked: o.masked, expires_on: o.expiresOn.description)
            let (status, left, style) = Self.orderStanding(o, today: today, warnDays: protectionOrderWarnDays)
            row.status = status
            row.left = left
            row.left_class = style
            guard !o.masked else { return row }
            row.court = o.court ?? ""
            row.order_no = o.orderNo ?? ""
            row.counselling = o.counsellingOrdered ?? false
            row.person = (o.protectedPerson?.label ?? "") + (o.protectedName.map { "（\($0)）" } ?? "")
            row.issued_on = o.issuedOn?.description ?? ""
            row.effective_from = o.effectiveFrom?.description ?? ""
            row.measures = o.measures.map { $0 == .other ? "其他：" + (o.otherMeasure ?? "") : $0.label }.joined(separator: "；")
            row.extensions = o.extensions.map { "\($0.ruledOn) 裁定延长：\($0.previousExpiresOn) → \($0.expiresOn)" + ($0.note.map { "（\($0)）" } ?? "") }
            row.has_extensions = !row.extensions.isEmpty
            row.violations = o.violations.map { "\($0.occurredOn) 违反：\($0.what)（\(ConsoleLabels.time($0.reportedAt, in: zone)) 登记，已生成报警事项）" }
            row.has_violations = !row.violations.isEmpty
            return row
        }
        return section
    }

    /// In force / not yet / expired, with the days left and the tag's style (soon within the warning lead).
    static func orderStanding(_ o: ProtectionOrderRecord, today: LocalDate, warnDays: Int) -> (String, String?, String) {
        let left = o.expiresOn.dayNumber - today.dayNumber
        if left < 0 { return ("已到期", "已过期\(-left)天", "late") }
        let status = (o.effectiveFrom.map { $0 > today } ?? false) ? "尚未生效" : "有效"
        let text = left == 0 ? "今日到期" : "剩余\(left)天"
        return (status, text, left <= warnDays ? "soon" : "")
    }

    func expiringOrderRows(for user: StaffUser) throws -> [ExpiringOrderRowView] {
        let today = store.today
        return try store.expiringProtectionOrders(within: protectionOrderWarnDays, for: user).map { o in
            let (_, left, style) = Self.orderStanding(o, today: today, warnDays: protectionOrderWarnDays)
            return ExpiringOrderRowView(expires_on: o.expiresOn.description, left: left ?? "", left_class: style, unit: o.unitName,
                                        href: orderPage(o), subject: o.caseID.map { "案件 \($0) 号" } ?? "重点户 \(o.householdID ?? 0) 号",
                                        masked: o.masked, court: o.court ?? "", order_no: o.orderNo ?? "")
        }
    }
}
