import Foundation
import HuiyinCore
import HuiyinStore
import MicroHTTP

/// The key-household register in the console: her grids with their profiles, the register filtered
/// and paged (masked as the API's list), the household page (the audited read) and the forms to add a
/// household and to classify one. Every form calls the same store method as the API.
extension HuiyinApp {
    /// How many member rows the add form offers (more can be added through the API).
    static let householdFormMembers = 4

    static func addConsoleHouseholdRoutes(to router: inout Router<Route>) {
        router.add("GET", "/households", Route(access: .console) { app, request, context in
            try app.householdsPage(request, context, flash: nil)
        })
        router.add("POST", "/households", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let form = try app.consoleForm(request, context)
            do {
                let household: Household
                switch Self.householdDraft(form).validate(today: app.store.today) {
                case .success(let valid): household = valid
                case .failure(let failure): throw failure
                }
                guard let id = try app.store.addHousehold(household, by: user) else { throw APIError.notFound }
                return Console.redirect(to: "/households/\(id)?done=added")
            } catch {
                return try app.householdsPage(request, context, flash: (HouseholdLabels.problem(error), true), kept: form)
            }
        })
        router.add("GET", "/households/{id}", Route(access: .console) { app, request, context in
            let done = ["added": "已登记重点户", "classified": "已保存分类", "protection_order_recorded": "已登记人身安全保护令",
                        "protection_order_extended": "已登记保护令延长", "protection_order_violated": "已登记违反保护令，已生成报警事项"][request.query["done"] ?? ""]
            return try app.householdPage(try caseID(request), context, flash: done.map { ($0, false) })
        })
        router.add("POST", "/households/{id}/classification", Route(access: .console) { app, request, context in
            let user = try context.staff()
            let id = try caseID(request)
            let form = try app.consoleForm(request, context)
            do {
                let draft = HouseholdClassificationDraft(grade: form["grade"], colour: form["colour"], reason: form["reason"],
                                                         reviewOn: form["review_on"].flatMap { $0.isEmpty ? nil : $0 })
                let classification: HouseholdClassification
                switch draft.validate(today: app.store.today) {
                case .success(let valid): classification = valid
                case .failure(let failure): throw failure
                }
                guard try app.store.classifyHousehold(id: id, classification, by: user) else { throw APIError.notFound }
                return Console.redirect(to: "/households/\(id)?done=classified")
            } catch {
                return try app.householdPage(id, context, flash: (HouseholdLabels.problem(error), true), kept: form)
            }
        })
    }

    /// The add form's fields as the API's draft: one checkbox per category and matter, numbered member rows
    /// (a row without a name is left out).
    static func householdDraft(_ form: [String: String]) -> HouseholdDraft {
        func text(_ name: String) -> String? { form[name].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
        var draft = HouseholdDraft(gridID: text("grid_id").flatMap { Int64($0) }, address: text("address"), headName: text("head_name"),
                                   phone: text("phone"), notes: text("notes"))
        draft.categories = HouseholdCategory.allCases.filter { form["category_\($0.rawValue)"] == "yes" }.map(\.rawValue)
        draft.matters = HouseholdMatter.allCases.filter { form["matter_\($0.rawValue)"] == "yes" }.map(\.rawValue)
        for n in 1...householdFormMembers {
            guard let name = text("member_\(n)_name") else { continue }
            draft.members.append(HouseholdMemberDraft(
                name: name, relation: text("member_\(n)_relation") ?? VictimRelation.other.rawValue,
                age: text("member_\(n)_age").flatMap { Int($0) }, isMinor: form["member_\(n)_minor"] == "yes" ? true : nil))
        }
        return draft
    }

    /// The register's filters from the page's query: empty or unknown values mean "any" (the form offers only
    /// valid ones); a grid outside her scope is left out. Returns the filter and the query kept for links.
    func consoleHouseholdFilter(_ request: Request, user: StaffUser) throws -> (HouseholdFilter, [(String, String)]) {
        var filter = HouseholdFilter(limit: 50)
        var kept: [(String, String)] = []
        func value(_ name: String) -> String? {
            guard let raw = request.query[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        if let grid = value("grid_id").flatMap({ Int64($0) }), grid > 0, try store.gridIsInHouseholdScope(grid, of: user) {
            filter.gridID = grid
            kept.append(("grid_id", String(grid)))
        }
        if let category = value("category").flatMap(HouseholdCategory.init(rawValue:)) {
            filter.category = category
            kept.append(("category", category.rawValue))
        }
        if let colour = value("colour").flatMap(HouseholdColour.init(rawValue:)) {
            filter.colour = colour
            kept.append(("colour", colour.rawValue))
        }
        if value("review_due") == "true" { filter.reviewDue = true; kept.append(("review_due", "true")) }
        if let before = value("before_id").flatMap({ Int64($0) }), before > 0 { filter.beforeID = before }
        return (filter, kept)
    }

    func householdsPage(_ request: Request, _ context: RequestContext, flash: (String, Bool)?,
                        kept: [String: String]? = nil) throws -> Response {
        let user = try context.staff()
        let today = store.today
        let (filter, query) = try consoleHouseholdFilter(request, user: user)
        let grids = try store.householdGrids(for: user)
        let items = grids.isEmpty ? [] : try store.households(filter, for: user)
        let base = query.map { $0.0 + "=" + ($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") }
            .joined(separator: "&")
        func figure(_ n: Int?) -> String { n.map { String($0) } ?? "—" }
        let keptGrid = kept?["grid_id"].flatMap { Int64($0) } ?? filter.gridID
        var page = HouseholdsPageView(
            csrf: context.session?.csrfToken ?? "", has_grids: !grids.isEmpty,
            grids: grids.map { grid in
                GridRowView(id: grid.id, name: grid.name, village: grid.villageName, households: figure(grid.profile?.households),
                            residents: figure(grid.profile?.residents), children: figure(grid.profile?.children),
                            elderly_alone: figure(grid.profile?.elderlyAlone), womens_groups: grid.profile?.womensGroups ?? "",
                            register_count: grid.households, review_due: grid.reviewDue > 0 ? grid.reviewDue : nil)
            },
            grid_options: grids.map { ChoiceOption(value: String($0.id), label: $0.villageName + " · " + $0.name, selected: $0.id == filter.gridID) },
            new_grid_options: grids.map { ChoiceOption(value: String($0.id), label: $0.villageName + " · " + $0.name, selected: $0.id == keptGrid) },
            categories: HouseholdCategory.allCases.map { ChoiceOption(value: $0.rawValue, label: $0.label, selected: $0 == filter.category) },
            new_categories: HouseholdCategory.allCases.map {
                ChoiceOption(value: $0.rawValue, label: $0.label, selected: kept?["category_\($0.rawValue)"] == "yes")
            },
            colours: HouseholdColour.allCases.map { ChoiceOption(value: $0.rawValue, label: $0.label + "色", selected: $0 == filter.colour) },
            review_due: filter.reviewDue,
            export: "/api/v1/households/export.csv" + (base.isEmpty ? "" : "?" + base),
            count: grids.isEmpty ? 0 : try store.countHouseholds(filter, for: user),
            rows: items.map { item in
                var row = HouseholdRowView(id: item.id, grid: item.gridName, sealed: item.sealed)
                guard !item.sealed else { return row }
                row.head = item.headName ?? ""
                row.address = item.address ?? ""
                row.phone = item.phone ?? ""
                row.categories = item.categories.map(\.label)
                if let grade = item.grade, let colour = item.colour {
                    row.classification = HouseholdLabels.classification(grade, colour)
                    row.colour_code = colour.rawValue
                }
                row.review_on = item.reviewOn?.description ?? ""
                row.review_due = item.reviewOn.map { $0 < today } ?? false
                row.flagged = item.flag != nil
                return row
            },
            member_rows: (1...Self.householdFormMembers).map { n in
                MemberRowInput(n: n, relations: VictimRelation.allCases.map {
                    ChoiceOption(value: $0.rawValue, label: HouseholdLabels.relation($0), selected: $0 == (n == 1 ? .spouse : .child))
                })
            })
        // Keyset paging like the case list: the next page starts below the last row shown.
        if items.count == filter.limit, let last = items.last {
            page.next = "/households?" + (base.isEmpty ? "" : base + "&") + "before_id=\(last.id)"
        }
        if filter.beforeID != nil { page.first = "/households" + (base.isEmpty ? "" : "?" + base) }
        if let kept {
            page.kept = true
            page.kept_head_name = kept["head_name"] ?? ""
            page.kept_phone = kept["phone"] ?? ""
            page.kept_address = kept["address"] ?? ""
            page.kept_notes = kept["notes"] ?? ""
        }
        return Console.page(200, title: "重点户", template: "households", page, session: context.session,
                            unitName: try store.unitName(user.unitID), path: "/households", flash: flash)
    }

    /// The household page: reading it is the audited read. A household sealed to her shows its grid only.
    func householdPage(_ id: Int64, _ context: RequestContext, flash: (String, Bool)?, kept: [String: String]? = nil) throws -> Response {
        let user = try context.staff()
        let unitName = try store.unitName(user.unitID)
        guard let record = try store.readHousehold(id: id, by: user, view: "household_page") else {
            return Console.page(404, title: "未找到", template: "message", MessageView(
                heading: "未找到该重点户", text: "重点户不存在，或不在您的查看范围内。", link: "/households", link_text: "返回重点户"
            ), session: context.session, unitName: unitName)
        }
        let zone = store.timeZone
        let today = store.today
        var page = HouseholdPageView(id: record.id, csrf: context.session?.csrfToken ?? "", grid: record.gridName, grid_id: record.gridID,
                                     sealed: record.sealed, masked: record.masked)
        if !record.masked {
            page.head = record.headName ?? ""
            page.phone = record.phone
            page.address = record.address ?? ""
            page.categories = record.categories.map(\.label)
            page.matters = record.matters.map(HouseholdLabels.matter)
            page.has_matters = !record.matters.isEmpty
            page.notes = record.notes
            page.created_at = ConsoleLabels.time(record.createdAt, in: zone)
            page.members = record.members.map { member in
                HouseholdMemberRowView(name: member.name, relation: HouseholdLabels.relation(member.relation),
                                       age: member.age.map { String($0) } ?? "", birth_date: member.birthDate?.chineseText ?? "",
                                       is_minor: member.isMinor)
            }
            page.has_members = !page.members.isEmpty
            page.history = try store.householdClassificationHistory(id: id, for: user).map { entry in
                ClassificationRowView(classification: HouseholdLabels.classification(entry.classification.grade, entry.classification.colour),
                                      colour_code: entry.classification.colour.rawValue, reason: entry.classification.reason,
                                      set_by: entry.setByName, set_at: ConsoleLabels.time(entry.setAt, in: zone),
                                      review_on: entry.classification.reviewOn.chineseText)
            }
            page.has_history = !page.history.isEmpty
            page.current = page.history.first
            let current = record.classification?.classification
            if let current {
                page.classification = HouseholdLabels.classification(current.grade, current.colour)
                page.colour_code = current.colour.rawValue
                page.review_due = current.reviewOn < today
            }
            let keptGrade = kept?["grade"] ?? current?.grade.rawValue
            let keptColour = kept?["colour"] ?? current?.colour.rawValue
            page.grades = HouseholdGrade.allCases.map { ChoiceOption(value: $0.rawValue, label: $0.rawValue + "类", selected: $0.rawValue == keptGrade) }
            page.colours = HouseholdColour.allCases.map { ChoiceOption(value: $0.rawValue, label: $0.label + "色", selected: $0.rawValue == keptColour) }
            page.tomorrow = today.adding(days: 1).description
            page.kept_reason = kept?["reason"] ?? ""
            page.kept_review_on = kept?["review_on"] ?? ""
            page.orders_section = try protectionOrdersSection(householdID: id, user: user, csrf: page.csrf, canRecord: true,
                                                              persons: try store.householdMemberIDs(householdID: id).map { ChoiceOption(value: String($0.id), label: $0.name) })
        }
        return Console.page(200, title: "重点户", template: "household", page, session: context.session,
                            unitName: unitName, path: "/households", flash: flash)
    }
}
