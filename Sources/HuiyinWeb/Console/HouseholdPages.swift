import HuiyinCore

/// The key-household register's console pages (重点户): the register of her grids and the household
/// page, with what each is rendered with. Pages speak Simplified Chinese.
enum HouseholdPageTemplates {
    static let all: [(String, String)] = [("households", register), ("household", household)]

    static let register = """
        <section class="card"><h1>重点户</h1>
        {{#has_grids}}<h2>我的网格</h2>
        <div class="table-scroll"><table id="grids"><tr><th>网格</th><th>所属村（社区）</th><th>户数</th><th>居民</th><th>儿童</th><th>独居老人</th><th>妇女小组（按楼栋）</th><th>重点户</th><th>复核到期</th></tr>
        {{#grids}}<tr data-grid-id="{{id}}"><td><a href="/households?grid_id={{id}}">{{name}}</a></td><td>{{village}}</td><td>{{households}}</td><td>{{residents}}</td><td>{{children}}</td><td>{{elderly_alone}}</td><td>{{womens_groups}}</td><td class="count">{{register_count}}</td><td>{{#review_due}}<span class="tag late">{{review_due}} 户</span>{{/review_due}}</td></tr>{{/grids}}
        </table></div>{{/has_grids}}
        {{^has_grids}}<p class="hint">您的单位下没有网格。</p>{{/has_grids}}
        </section>
        {{#has_grids}}<section class="card">
        <form method="get" action="/households" class="row filters" id="household-filters">
         <div><label for="filter-grid">网格</label><select id="filter-grid" name="grid_id"><option value="">全部网格</option>{{#grid_options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/grid_options}}</select></div>
         <div><label for="filter-category">四必访类别</label><select id="filter-category" name="category"><option value="">全部</option>{{#categories}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/categories}}</select></div>
         <div><label for="filter-colour">分类颜色</label><select id="filter-colour" name="colour"><option value="">全部</option>{{#colours}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/colours}}</select></div>
         <div><label><input type="checkbox" id="filter-review-due" name="review_due" value="true"{{#review_due}} checked{{/review_due}}> 仅复核到期</label></div>
         <div><button type="submit" id="search">查询</button> <a class="button secondary export" id="export" href="{{export}}">导出表格（CSV）</a></div>
        </form>
        <p class="hint">共 <strong id="household-count">{{count}}</strong> 户。列表中地址、姓名和电话已部分隐藏；涉及家庭暴力或未成年人事项的重点户已密封，只显示所属网格。</p>
        <div class="table-scroll"><table id="households"><tr><th>网格</th><th>户主</th><th>地址</th><th>联系电话</th><th>四必访类别</th><th>分类</th><th>下次复核</th></tr>
        {{#rows}}<tr data-household-id="{{id}}"{{#sealed}} class="masked"{{/sealed}}><td>{{grid}}</td>
        {{#sealed}}<td><a href="/households/{{id}}">密封户</a></td><td colspan="5"><span class="tag sealed">密封</span></td>{{/sealed}}
        {{^sealed}}<td><a href="/households/{{id}}">{{head}}</a></td><td>{{address}}</td><td>{{phone}}</td><td>{{#categories}}<span class="tag">{{.}}</span> {{/categories}}</td>
        <td>{{#classification}}<span class="tag colour-{{colour_code}}">{{classification}}</span>{{/classification}}{{#flagged}} <span class="tag late flagged">多次争吵</span>{{/flagged}}</td>
        <td>{{review_on}}{{#review_due}} <span class="tag late review-due">复核到期</span>{{/review_due}}</td>{{/sealed}}</tr>{{/rows}}
        </table></div>
        {{^rows}}<p class="hint">没有符合条件的重点户。</p>{{/rows}}
        <p class="row pager">{{#first}}<a class="button secondary" id="first-page" href="{{first}}">第一页</a>{{/first}}
        {{#next}}<a class="button secondary" id="next-page" href="{{next}}">下一页</a>{{/next}}</p>
        </section>
        <details class="card" id="add-household"{{#kept}} open{{/kept}}><summary>新增重点户</summary>
        <form method="post" action="/households" autocomplete="off"><input type="hidden" name="_csrf" value="{{csrf}}">
        <div class="row">
         <div><label for="new-grid">网格</label><select id="new-grid" name="grid_id">{{#new_grid_options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/new_grid_options}}</select></div>
         <div><label for="new-head">户主姓名</label><input type="text" id="new-head" name="head_name" value="{{kept_head_name}}" required></div>
         <div><label for="new-phone">联系电话（可不填）</label><input type="tel" id="new-phone" name="phone" value="{{kept_phone}}"></div>
        </div>
        <label for="new-address">地址</label><input type="text" id="new-address" name="address" value="{{kept_address}}" required>
        <fieldset><legend>列为重点户的原因（四必访，至少选一项）</legend>
        {{#new_categories}}<label><input type="checkbox" name="category_{{value}}" value="yes"{{#selected}} checked{{/selected}}> {{label}}</label>{{/new_categories}}</fieldset>
        <fieldset><legend>涉及事项（勾选后该户密封，仅本网格网格员和上级督办可查看）</legend>
        <label><input type="checkbox" name="matter_domestic_violence" value="yes"> 家庭暴力</label>
        <label><input type="checkbox" name="matter_minor" value="yes"> 未成年人事项</label></fieldset>
        <fieldset><legend>家庭成员（可不填；有未满18周岁的成员时该户密封）</legend>
        {{#member_rows}}<div class="row">
         <div><label for="member-{{n}}-name">成员{{n}} 姓名</label><input type="text" id="member-{{n}}-name" name="member_{{n}}_name"></div>
         <div><label for="member-{{n}}-relation">与户主关系</label><select id="member-{{n}}-relation" name="member_{{n}}_relation">{{#relations}}<option value="{{value}}">{{label}}</option>{{/relations}}</select></div>
         <div><label for="member-{{n}}-age">年龄（周岁）</label><input type="number" id="member-{{n}}-age" name="member_{{n}}_age" min="0" max="150" inputmode="numeric"></div>
         <div><label><input type="checkbox" name="member_{{n}}_minor" value="yes"> 未满18周岁</label></div>
        </div>{{/member_rows}}</fieldset>
        <label for="new-notes">备注（可不填）</label><textarea id="new-notes" name="notes">{{kept_notes}}</textarea>
        <p><button type="submit" id="add-household-submit">登记重点户</button></p>
        </form></details>{{/has_grids}}
        """

    static let household = """
        <div class="two">
        <section>
        <div class="card">
        <h1>{{grid}} · 重点户 {{#sealed}}<span class="tag sealed" id="seal">密封</span>{{/sealed}} {{#classification}}<span class="tag colour-{{colour_code}}">{{classification}}</span>{{/classification}} {{#review_due}}<span class="tag late" id="review-due">复核到期</span>{{/review_due}}</h1>
        {{#masked}}<p class="hint" id="masked">此户涉及家庭暴力或未成年人事项，已密封；您不在查看范围内，只显示所属网格。</p>{{/masked}}
        {{^masked}}<p><strong>户主：</strong><span id="head-name">{{head}}</span>{{#phone}} · {{phone}}{{/phone}}</p>
        <p><strong>地址：</strong><span id="address">{{address}}</span></p>
        <p><strong>四必访类别：</strong>{{#categories}}<span class="tag">{{.}}</span> {{/categories}}</p>
        {{#current}}<p id="current-classification"><strong>当前分类：</strong><span class="tag colour-{{colour_code}}">{{classification}}</span> {{reason}}（{{set_by}} 于 {{set_at}} 设定；下次复核：{{review_on}}{{#review_due}} <span class="tag late">复核到期</span>{{/review_due}}）</p>{{/current}}
                {{#has_matters}}<p><strong>涉及事项：</strong>{{#matters}}<span class="tag high">{{.}}</span> {{/matters}}</p>{{/has_matters}}
        {{#notes}}<p class="lines"><strong>备注：</strong>{{notes}}</p>{{/notes}}
        <p class="hint">登记于 {{created_at}}</p>{{/masked}}
        </div>
        {{^masked}}<div class="card"><h2>家庭成员</h2>
        {{#has_members}}<table id="members"><tr><th>姓名</th><th>与户主关系</th><th>年龄</th><th>出生日期</th><th>未成年人</th></tr>
        {{#members}}<tr><td>{{name}}</td><td>{{relation}}</td><td>{{age}}</td><td>{{birth_date}}</td><td>{{#is_minor}}<span class="tag high">未成年人</span>{{/is_minor}}</td></tr>{{/members}}</table>{{/has_members}}
        {{^has_members}}<p class="hint">未登记家庭成员。</p>{{/has_members}}
        </div>
        <div class="card"><h2>分类记录（ABC · 红橙粉）</h2>
        {{#has_history}}<table id="classifications"><tr><th>分类</th><th>理由</th><th>设定人</th><th>设定时间</th><th>下次复核</th></tr>
        {{#history}}<tr><td><span class="tag colour-{{colour_code}}">{{classification}}</span></td><td>{{reason}}</td><td>{{set_by}}</td><td>{{set_at}}</td><td>{{review_on}}</td></tr>{{/history}}</table>{{/has_history}}
        {{^has_history}}<p class="hint">尚未分类。</p>{{/has_history}}
        </div>
        {{#orders_section}}{{> protection_orders}}{{/orders_section}}{{/masked}}
        </section>
        <section>
        {{^masked}}<form method="post" action="/households/{{id}}/classification" class="card" id="classify"><input type="hidden" name="_csrf" value="{{csrf}}">
        <h2>设定分类</h2>
        <div class="row">
         <div><label for="grade">等级</label><select id="grade" name="grade">{{#grades}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/grades}}</select></div>
         <div><label for="colour">颜色</label><select id="colour" name="colour">{{#colours}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/colours}}</select></div>
         <div><label for="review-on">下次复核日期</label><input type="date" id="review-on" name="review_on" min="{{tomorrow}}" value="{{kept_review_on}}" required></div>
        </div>
        <label for="classification-reason">理由</label><textarea id="classification-reason" name="reason" required>{{kept_reason}}</textarea>
        <p><button type="submit" id="classify-submit">保存分类</button></p>
        </form>{{/masked}}
        <p><a href="/households?grid_id={{grid_id}}">返回本网格重点户</a></p>
        </section>
        </div>
        """
}

struct GridRowView {
    let id: Int64
    let name: String
    let village: String
    let households: String
    let residents: String
    let children: String
    let elderly_alone: String
    let womens_groups: String
    let register_count: Int
    let review_due: Int?
}

struct HouseholdRowView {
    let id: Int64
    let grid: String
    let sealed: Bool
    var head = ""
    var address = ""
    var phone = ""
    var categories: [String] = []
    var classification: String?
    var colour_code = ""
    var review_on = ""
    var review_due = false
    /// Flagged for repeated quarrels (跟踪治理): shown so the chair looks at it first.
    var flagged = false
}

struct MemberRowInput {
    let n: Int
    let relations: [ChoiceOption]
}

struct HouseholdsPageView: ConsoleView {
    let csrf: String
    let has_grids: Bool
    let grids: [GridRowView]
    let grid_options: [ChoiceOption]
    let new_grid_options: [ChoiceOption]
    let categories: [ChoiceOption]
    let new_categories: [ChoiceOption]
    let colours: [ChoiceOption]
    let review_due: Bool
    let export: String
    let count: Int
    let rows: [HouseholdRowView]
    let member_rows: [MemberRowInput]
    var next: String?
    var first: String?
    /// A refused add form, shown again as she typed it.
    var kept = false
    var kept_head_name = ""
    var kept_phone = ""
    var kept_address = ""
    var kept_notes = ""
}

struct HouseholdMemberRowView {
    let name: String
    let relation: String
    let age: String
    let birth_date: String
    let is_minor: Bool
}

struct ClassificationRowView {
    let classification: String
    let colour_code: String
    let reason: String
    let set_by: String
    let set_at: String
    let review_on: String
}

struct HouseholdPageView: ConsoleView {
    let id: Int64
    let csrf: String
    let grid: String
    let grid_id: Int64
    let sealed: Bool
    let masked: Bool
    var head = ""
    var phone: String?
    var address = ""
    var categories: [String] = []
    var matters: [String] = []
    var has_matters = false
    var notes: String?
    var created_at = ""
    var classification: String?
    var colour_code = ""
    var review_due = false
    var members: [HouseholdMemberRowView] = []
    var has_members = false
    var history: [ClassificationRowView] = []
    /// The latest classification (the household's current one).
    var current: ClassificationRowView?
    var has_history = false
    var orders_section: ProtectionOrdersSectionView?
    var grades: [ChoiceOption] = []
    var colours: [ChoiceOption] = []
    var tomorrow = ""
    var kept_reason = ""
    var kept_review_on = ""
}

/// Chinese words for the register's codes and fields.
enum HouseholdLabels {
    static func classification(_ grade: HouseholdGrade, _ colour: HouseholdColour) -> String {
        "\(grade.rawValue)类 · \(colour.label)色"
    }

    static func matter(_ matter: HouseholdMatter) -> String {
        switch matter {
        case .domesticViolence: return "家庭暴力"
        case .minor: return "未成年人事项"
        }
    }

    /// A member's relation to the head of the household.
    static func relation(_ relation: VictimRelation) -> String {
        relation == .petitioner ? "户主本人" : relation.label
    }

    static let fields = [
        "grid_id": "网格", "address": "地址", "head_name": "户主姓名", "phone": "联系电话", "categories": "四必访类别",
        "notes": "备注", "members": "家庭成员", "grade": "等级", "colour": "颜色", "reason": "理由", "review_on": "下次复核日期",
    ]

    /// "members[1].age" → "成员2年龄".
    static func field(_ name: String) -> String {
        if name.hasPrefix("members["), let close = name.firstIndex(of: "]"),
           let index = Int(name[name.index(name.startIndex, offsetBy: 8)..<close]) {
            let rest = name[name.index(after: close)...].drop { $0 == "." }
            let part = ["name": "姓名", "relation": "关系", "age": "年龄", "birth_date": "出生日期", "is_minor": "未成年人"][String(rest)] ?? ""
            return "成员\(index + 1)" + part
        }
        if name.hasPrefix("categories[") { return "四必访类别" }
        if name.hasPrefix("matters[") { return "涉及事项" }
        return fields[name] ?? ConsoleLabels.fieldLabel(name)
    }

    /// A refused form, said in Chinese with every field it names.
    static func problem(_ error: Error) -> String {
        let fields = (error as? ValidationFailure)?.fields ?? (error as? APIError)?.fields ?? []
        if (error as? APIError)?.status == 404 { return "该网格或重点户不存在，或不在您的查看范围内。" }
        guard !fields.isEmpty else { return ConsoleLabels.problem(error, retryAfter: 5) }
        var names: [String] = []
        for name in fields.map({ field($0.field) }) where !names.contains(name) { names.append(name) }
        return "请检查填写内容（" + names.joined(separator: "、") + "）"
    }
}
