/// The templates of the console's screens and the public pages (swift-mustache; `{{x}}` escapes HTML).
enum ConsolePageTemplates {
    static let all: [(String, String)] = [
        ("call", call), ("reception", reception), ("roster", roster), ("cases", cases), ("case", casePage), ("inbox", inbox),
        ("dashboard", dashboard), ("leader", leader), ("petition", petition), ("petition_done", petitionDone), ("track", track),
        ("visits", ConsoleVisitTemplates.visits),
    ]

    /// Fields shared by the call, visit and letter forms.
    static let personFields = """
        <div class="row">
         <div><label for="name">姓名</label><input type="text" id="name" name="name" autocomplete="off"></div>
         <div><label for="id-number">身份证号（可不填）</label><input type="text" id="id-number" name="id_number" autocomplete="off"></div>
        </div>
        """

    /// The person the matter is about (当事人), when not the caller herself; `prefix` keeps ids unique on a
    /// page with two forms. Any of age, birth date or the box saying under 18 makes her a minor.
    static func victimFields(_ prefix: String) -> String {
        """
        <fieldset class="victim" data-role="victim"><legend>当事人（所反映事情涉及的人）</legend>
        <div class="row">
         <div><label for="\(prefix)victim-relation">当事人与信访人的关系</label><select id="\(prefix)victim-relation" name="victim_relation">{{#victim_relations}}<option value="{{value}}">{{label}}</option>{{/victim_relations}}</select></div>
         <div><label for="\(prefix)victim-age">当事人年龄（周岁）</label><input type="number" id="\(prefix)victim-age" name="victim_age" min="0" max="120" inputmode="numeric"></div>
         <div><label for="\(prefix)victim-birth">当事人出生日期</label><input type="date" id="\(prefix)victim-birth" name="victim_birth_date" max="{{today}}"></div>
         <div><label for="\(prefix)victim-minor"><input type="checkbox" id="\(prefix)victim-minor" name="victim_minor" value="yes"> 当事人未满18周岁</label></div>
        </div>
        </fieldset>
        """
    }

    /// One group for one choice: a new case, or a case of the person the number belongs to (her
    /// cases appear in #callers as the number is typed), so a screen reader hears them together.
    static func attachChoice(_ person: String) -> String {
        """
        <fieldset class="attach"><legend>登记为新案件，或追加到\(person)的原案件</legend>
        <div id="callers" class="callers" aria-live="polite"></div>
        <label><input type="radio" name="attach" value="" id="new-case" checked> 登记为新案件</label>
        </fieldset>
        """
    }

    static let caseFields = """
        <div class="row">
         <div><label for="unit">承办单位</label><select id="unit" name="unit_id">{{#units}}<option value="{{id}}">{{indent}}{{name}}</option>{{/units}}</select></div>
         <div><label for="category">类别</label><select id="category" name="category">{{#categories}}<option value="{{value}}">{{label}}</option>{{/categories}}</select></div>
        </div>
        <label for="summary">诉求摘要</label><textarea id="summary" name="summary" required></textarea>
        <fieldset id="dv-checklist" hidden><legend>家庭暴力危险评估（勾选“是”的项目）</legend>
        {{#questions}}<label><input type="checkbox" name="risk" value="{{id}}"> <span>{{text}}</span></label>{{/questions}}
        <p>评估结果：<span id="risk-grade" class="grade"></span> <span class="hint">低风险 ≤ 3 分，中风险 4–5 分，高风险 ≥ 6 分；部分情形直接判定为高风险</span></p>
        </fieldset>
        <p class="row"><button type="submit" id="submit" data-role="submit">提交（Ctrl+Enter）</button>
        <button type="button" class="secondary" id="clear-draft" data-role="clear">清空草稿</button></p>
        <p id="status" data-role="status" role="status" aria-live="polite"></p>
        """

    static let receipt = """
        <aside class="card receipt" id="receipt" hidden aria-live="polite">
        <h2>已登记</h2>
        <p>跟踪编号：<span class="tracking-no"></span></p>
        <p>查询码：<span class="query-code"></span></p>
        <p class="hint">请将跟踪编号和查询码告知信访人，用于在网上查询办理进度。查询码只显示这一次。</p>
        <p><a class="case-link button secondary" href="#">查看案件</a></p>
        </aside>
        """

    static let call = """
        <div class="two">
        <form class="card" id="call-form" data-intake data-draft="call" data-channel="call" autocomplete="off">
        <h1>来电登记</h1>
        <noscript><p class="error">此页面需要启用浏览器脚本。</p></noscript>
        <div class="row">
         <div><label for="phone">来电号码</label><input type="tel" id="phone" name="phone" inputmode="tel" autofocus></div>
         <div><label for="sub-line">热线分线</label><select id="sub-line" name="sub_line">{{#sub_lines}}<option value="{{value}}" data-unit="{{unit_id}}" data-hint="{{hint}}">{{label}}</option>{{/sub_lines}}</select>
         <span class="hint" id="sub-line-hint" aria-live="polite"></span></div>
        </div>
        \(attachChoice("来电人"))
        \(personFields)
        \(victimFields(""))
        \(caseFields)
        </form>
        <div>\(receipt)
        <div class="card hint"><h2>操作提示</h2><p>输入号码即自动查找来电人及其历史案件；选择原案件即追加为重复来电。类别选“家庭暴力”时显示危险评估。按 Ctrl+Enter 提交；网络中断时草稿保存在本机，不会丢失。</p></div>
        </div>
        </div>
        """

    static let reception = """
        <div class="grid">
        <section class="card"><h1>今日值班</h1>
        {{#has_shifts}}<table><tr><th>时段</th><th>窗口</th><th>接访干部</th></tr>
        {{#shifts}}<tr><td>{{period}}</td><td>{{window}}</td><td>{{name}}</td></tr>{{/shifts}}</table>{{/has_shifts}}
        {{^shifts}}<p class="hint">今日尚未排班。<a href="/roster">去排班</a></p>{{/shifts}}
        </section>
        <section class="card"><h1>排队叫号</h1>
        <p>等候 <strong id="waiting">{{waiting}}</strong> 人{{#called}}，当前叫号 <span class="ticket" id="current-ticket">{{called}}</span> 号{{/called}}</p>
        <form method="post" action="/reception/tickets" class="row"><input type="hidden" name="_csrf" value="{{csrf}}">
        <button type="submit" name="do" value="issue" id="issue-ticket">取号</button>
        <button type="submit" name="do" value="call" class="secondary" id="call-next">叫下一号</button></form>
        {{#issued}}<p>新号码：<span class="ticket">{{issued}}</span></p>{{/issued}}
        </section>
        </div>
        <div class="two">
        <form class="card" id="visit-form" data-intake data-draft="visit" data-channel="visit" autocomplete="off">
        <h1>来访登记</h1>
        <div class="row">
         <div><label for="phone">联系电话</label><input type="tel" id="phone" name="phone" inputmode="tel" autofocus></div>
         <div><label for="window">接待窗口</label><input type="text" id="window" name="window" value="{{window}}" required></div>
         <div><label for="visitors">来访人数</label><input type="number" id="visitors" name="visitors" min="1" value="1"><span class="hint">5人及以上为集体访</span></div>
        </div>
        \(attachChoice("来访人"))
        \(personFields)
        \(victimFields(""))
        \(caseFields)
        </form>
        <div>\(receipt)</div>
        </div>
        <form class="card" id="letter-form" data-intake data-draft="letter" data-channel="letter" data-receipt="#letter-receipt" autocomplete="off">
        <h1>来信登记</h1>
        <div class="row">
         <div><label for="received-on">收信日期</label><input type="date" id="received-on" name="received_on" value="{{today}}" max="{{today}}" required></div>
         <div><label for="sender">寄信人</label><input type="text" id="sender" name="sender" required></div>
         <div><label><input type="checkbox" name="on_behalf" value="yes"> 代他人来信</label></div>
        </div>
        <div class="row">
         <div><label for="letter-phone">联系电话</label><input type="tel" id="letter-phone" name="phone"></div>
         <div><label for="scan">信件扫描件（PDF 或 JPEG，不超过 {{scan_limit}}）</label><input type="file" id="scan" name="scan" accept="application/pdf,image/jpeg"></div>
        </div>
        <div class="row">
         <div><label for="letter-name">信访人姓名</label><input type="text" id="letter-name" name="name"></div>
        </div>
        \(victimFields("letter-"))
        <fieldset class="attach"><legend>登记方式</legend>
        <label><input type="radio" name="attach" value="" id="letter-new-case" checked> 登记为新案件</label>
        </fieldset>
        <div class="row">
         <div><label for="letter-unit">承办单位</label><select id="letter-unit" name="unit_id">{{#units}}<option value="{{id}}">{{indent}}{{name}}</option>{{/units}}</select></div>
         <div><label for="letter-category">类别</label><select id="letter-category" name="category">{{#categories}}<option value="{{value}}">{{label}}</option>{{/categories}}</select></div>
        </div>
        <label for="letter-summary">来信内容摘要</label><textarea id="letter-summary" name="summary" required></textarea>
        <p class="row"><button type="submit" id="letter-submit" data-role="submit">提交（Ctrl+Enter）</button>
        <button type="button" class="secondary" id="letter-clear" data-role="clear">清空草稿</button></p>
        <p id="letter-status" data-role="status" role="status" aria-live="polite"></p>
        </form>
        <aside class="card receipt" id="letter-receipt" hidden aria-live="polite">
        <h2>来信已登记</h2>
        <p>跟踪编号：<span class="tracking-no"></span></p>
        <p>查询码：<span class="query-code"></span></p>
        <p class="hint">查询码只显示这一次。系统出具的告知书只写明跟踪编号、不载明查询码；如需来信人在网上查询，请另行书面告知查询码。</p>
        <p><a class="case-link button secondary" href="#">查看案件</a></p>
        </aside>
        """

    static let roster = """
        <section class="card"><h1>接访排班</h1>
        <form method="post" action="/roster" class="row"><input type="hidden" name="_csrf" value="{{csrf}}">
         <div><label for="day">日期</label><input type="date" id="day" name="day" value="{{today}}" min="{{today}}" required></div>
         <div><label for="period">时段</label><select id="period" name="period"><option value="morning">上午</option><option value="afternoon">下午</option><option value="full_day">全天</option></select></div>
         <div><label for="cadre">接访干部</label><select id="cadre" name="user_id">{{#staff}}<option value="{{id}}">{{name}}（{{role}}）</option>{{/staff}}</select></div>
         <div><label for="window">窗口</label><input type="text" id="window" name="window" value="{{window}}" required></div>
         <div><button type="submit">加入排班</button></div>
        </form>
        <p class="hint">全员接访：本单位每一位干部都可以排班，不限于信访办。</p>
        </section>
        <section class="card"><h2>未来两周</h2>
        <table><tr><th>日期</th><th>时段</th><th>窗口</th><th>接访干部</th><th>操作</th></tr>
        {{#shifts}}<tr><td>{{day}}</td><td>{{period}}</td><td>{{window}}</td><td>{{name}}</td>
        <td><form method="post" action="/roster/{{id}}/remove"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="secondary">取消</button></form></td></tr>{{/shifts}}
        </table>{{^shifts}}<p class="hint">尚无排班。</p>{{/shifts}}
        </section>
        """

    static let caseRows = """
        {{#rows}}<tr data-tracking-no="{{tracking_no}}"{{#masked}} class="masked"{{/masked}}>
        <td><a href="/cases/{{id}}">{{tracking_no}}</a>{{#collective}} <span class="tag collective">{{collective}}</span>{{/collective}}</td><td>{{category}}</td><td>{{status}}</td><td>{{unit}}</td>
        <td>{{#masked}}<span class="tag sealed">密封</span>{{/masked}}{{^masked}}{{name}} {{phone}}{{/masked}}</td>
        <td class="summary">{{#masked}}—{{/masked}}{{^masked}}<span title="{{summary}}">{{summary}}</span>{{/masked}}</td>
        <td>{{#due}}<span class="tag {{due_class}}">{{due}}</span>{{/due}}</td></tr>{{/rows}}
        """

    static let cases = """
        <section class="card"><h1>案件查询</h1>
        <form method="get" action="/cases" class="row filters" id="case-filters">
         <div><label for="q">跟踪编号、电话、姓名或摘要关键词</label><input type="search" id="q" name="q" value="{{q}}"></div>
         <div><label for="status">状态</label><select id="status" name="status"><option value="">全部</option>{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statuses}}</select></div>
         <div><label for="filter-category">类别</label><select id="filter-category" name="category"><option value="">全部</option>{{#categories}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/categories}}</select></div>
         <div><label for="filter-channel">渠道</label><select id="filter-channel" name="channel"><option value="">全部</option>{{#channels}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/channels}}</select></div>
         <div><label for="filter-unit">承办单位（含下级）</label><select id="filter-unit" name="unit_id"><option value="">全部</option>{{#units}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{indent}}{{name}}</option>{{/units}}</select></div>
         <div><label for="received-from">收到日期自</label><input type="date" id="received-from" name="received_from" value="{{received_from}}"></div>
         <div><label for="received-to">至</label><input type="date" id="received-to" name="received_to" value="{{received_to}}"></div>
         <div><label for="filter-sealed">密封</label><select id="filter-sealed" name="sealed"><option value="">全部</option><option value="true"{{#sealed_yes}} selected{{/sealed_yes}}>仅密封案件</option><option value="false"{{#sealed_no}} selected{{/sealed_no}}>仅未密封案件</option></select></div>
         <div><label><input type="checkbox" id="filter-overdue" name="overdue" value="true"{{#overdue}} checked{{/overdue}}> 仅已超期</label>
         <label><input type="checkbox" id="filter-collective" name="collective" value="true"{{#collective}} checked{{/collective}}> 仅集体访</label></div>
         <div><button type="submit" id="search">查询</button> <a class="button secondary export" href="{{export}}">导出表格（CSV）</a></div>
        </form>
        <p class="hint">共 <strong id="case-count">{{count}}</strong> 件（本单位及下级单位）。密封案件仅承办人、包案领导和上级督办可查看内容。</p>
        <div class="table-scroll"><table id="cases" class="nowrap"><tr><th>跟踪编号</th><th>类别</th><th>状态</th><th>承办单位</th><th>信访人</th><th>诉求摘要</th><th>期限</th></tr>
        \(caseRows)
        </table></div>
        {{^rows}}<p class="hint">没有符合条件的案件。</p>{{/rows}}
        <p class="row pager">{{#first}}<a class="button secondary" id="first-page" href="{{first}}">第一页</a>{{/first}}
        {{#next}}<a class="button secondary" id="next-page" href="{{next}}">下一页</a>{{/next}}</p>
        </section>
        """

    static let casePage = """
        <div class="two">
        <section>
        <div class="card">
        <h1>{{tracking_no}} {{#sealed}}<span class="tag sealed" id="seal">密封案件</span>{{/sealed}} {{#risk}}<span class="tag {{risk_class}}">{{risk}}</span>{{/risk}}</h1>
        <p>{{category}} · {{status}} · {{unit}} · {{channel}} · 收到于 {{received_on}}{{#repeat}} · 第 {{contact_count}} 次来信来访{{/repeat}}{{#collective}} · <span class="tag collective" id="collective">{{collective}}</span>{{/collective}}</p>
        {{#masked}}<p class="hint">此案件已密封，您不在查看范围内：只显示办理进度。</p>
        {{#can_break}}<form method="post" action="/cases/{{id}}/break-glass" class="card" id="break-glass"><input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="reason">紧急查看理由（将记录并提交上级督办复核）</label><textarea id="reason" name="reason" required></textarea>
        <button type="submit">紧急查看</button></form>{{/can_break}}{{/masked}}
        {{#broke_seal}}<p class="flash error">您已紧急查看此密封案件，本次查看已记录并提交复核。</p>{{/broke_seal}}
        {{^masked}}<p><strong>诉求：</strong>{{summary}}</p>
        {{#petitioner}}<p><strong>信访人：</strong>{{name}} {{phone}} {{id_number}} {{address}}{{#is_minor}}（未成年人）{{/is_minor}}</p>{{/petitioner}}
        {{#victim}}<p id="victim"><strong>当事人：</strong>{{relation}}{{#age}} · {{age}}周岁{{/age}}{{#birth_date}} · 出生于{{birth_date}}{{/birth_date}}{{#is_minor}} · <span class="tag high">未成年人</span>{{/is_minor}}</p>{{/victim}}{{/masked}}
        </div>
        <div class="card"><h2>办理时限</h2><table id="clocks"><tr><th>期限</th><th>起算</th><th>到期日</th><th>剩余</th><th>状态</th></tr>
        {{#clocks}}<tr><td>{{kind}}</td><td>{{started_on}}</td><td>{{due_on}}</td><td>{{#countdown}}<span class="tag {{countdown_class}}">{{countdown}}</span>{{/countdown}}</td><td>{{state}}</td></tr>{{/clocks}}</table></div>
        {{#has_tasks}}<div class="card"><h2>必办事项</h2><ul id="tasks">{{#tasks}}<li data-task-id="{{id}}">{{label}}：{{state}}{{#due}}（{{due}}）{{/due}}{{#reported}}（{{reported}}）{{/reported}}
        {{#open}}{{#reportable}}<form method="post" action="/cases/{{case_id}}/tasks/{{id}}" class="row"><input type="hidden" name="_csrf" value="{{csrf}}">
        {{#police}}<div><label for="reported-at-{{id}}">报案时间（{{zone_label}}）</label><input type="datetime-local" id="reported-at-{{id}}" name="reported_at" value="{{kept_reported_at}}" required aria-describedby="reported-at-hint-{{id}}">
        <span class="hint" id="reported-at-hint-{{id}}">如 {{time_example}}</span></div>
        <div><label for="station-{{id}}">派出所</label><input type="text" id="station-{{id}}" name="station" value="{{kept_station}}" required></div>
        <div><label for="receipt-no-{{id}}">回执编号</label><input type="text" id="receipt-no-{{id}}" name="receipt_no" value="{{kept_receipt_no}}" required></div>{{/police}}
        {{^police}}<div><label for="reported-to-{{id}}">报送对象</label><input type="text" id="reported-to-{{id}}" name="reported_to" value="{{kept_reported_to}}" required></div>{{/police}}
        <div><button type="submit">登记已报告</button></div></form>{{/reportable}}{{/open}}</li>{{/tasks}}</ul></div>{{/has_tasks}}
        {{#has_referrals}}<div class="card"><h2>转介</h2><ul id="referrals">{{#referrals}}<li data-referral="{{id}}">{{kind}}：<strong class="referred-to">{{to}}</strong>（{{at}} 转介{{#note}}；{{note}}{{/note}}）
        {{#decision_due}}<p class="legal-aid-due">援助决定期限：{{decision_due}}{{^outcome}} <span class="tag{{#decision_late}} late{{/decision_late}}">{{decision_left}}</span>{{/outcome}}</p>{{/decision_due}}
        {{#outcome}}<p class="outcome">结果：{{#aid_decision}}<strong>{{aid_decision}}</strong>，{{/aid_decision}}{{outcome}}（{{outcome_at}} 登记）</p>{{/outcome}}
        {{^outcome}}<form method="post" action="/cases/{{case_id}}/referrals/{{id}}/outcome" class="row"><input type="hidden" name="_csrf" value="{{csrf}}">
        {{#decision_due}}<div><label for="aid-decision-{{id}}">援助决定</label><select id="aid-decision-{{id}}" name="aid_decision" required>
        <option value="granted">给予法律援助</option><option value="refused">不予法律援助</option><option value="withdrawn">申请人撤回</option></select></div>{{/decision_due}}
        <div><label for="outcome-{{id}}">转介结果（对方未反馈也请如实登记；结果登记前案件不能办结）</label><textarea id="outcome-{{id}}" name="outcome" required></textarea></div>
        <div><button type="submit">登记转介结果</button></div></form>{{/outcome}}</li>{{/referrals}}</ul></div>{{/has_referrals}}
        {{#orders_section}}{{> protection_orders}}{{/orders_section}}
        {{#can_require_report}}<details class="card" id="require-report"><summary>补报强制报告</summary>
        <form method="post" action="/cases/{{id}}/actions"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="action" value="mandatory_report">
        <label for="report-reason">强制报告情形</label><select id="report-reason" name="report_reason">{{#report_reasons}}<option value="{{value}}">{{label}}</option>{{/report_reasons}}</select>
        <label for="report-note">情况说明（可不填）</label><textarea id="report-note" name="text"></textarea>
        <button type="submit">确认需强制报告</button></form></details>{{/can_require_report}}
        <div class="card"><h2>办理经过</h2><ol class="timeline" id="timeline">{{#timeline}}<li><time>{{at}}</time>{{text}}</li>{{/timeline}}</ol></div>
        </section>
        <aside>
        {{#has_actions}}<div class="card"><h2>办理操作</h2>
        {{#actions}}<details class="action"><summary class="button secondary">{{label}}</summary>
        <form method="post" action="/cases/{{case_id}}/actions" class="card"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="action" value="{{action}}">
        {{#needs_unit}}<label for="act-{{action}}-unit">转至单位</label><select id="act-{{action}}-unit" name="unit_id">{{#units}}<option value="{{id}}">{{indent}}{{name}}</option>{{/units}}</select>{{/needs_unit}}
        {{#needs_decision}}<label for="act-{{action}}-decision">复查（复核）意见</label><select id="act-{{action}}-decision" name="decision"><option value="upheld">维持</option><option value="changed">变更</option></select>{{/needs_decision}}
        {{#needs_satisfaction}}<label for="act-{{action}}-method">回访方式</label><select id="act-{{action}}-method" name="method"><option value="call">电话回访</option><option value="visit">上门回访</option></select>
        <label for="act-{{action}}-satisfaction">满意度</label><select id="act-{{action}}-satisfaction" name="satisfaction"><option value="satisfied">满意</option><option value="basically_satisfied">基本满意</option><option value="unsatisfied">不满意</option></select>
        {{#can_reopen}}<label><input type="checkbox" name="reopen" value="yes"> 不满意，重新办理</label>{{/can_reopen}}{{/needs_satisfaction}}
        {{#needs_referral}}<label for="act-{{action}}-kind">转介对象</label><select id="act-{{action}}-kind" name="kind"><option value="lawyer">律师</option><option value="psychologist">心理咨询师</option><option value="mediator">调解员</option><option value="police">公安机关</option><option value="legal_aid">法律援助（绿色通道）</option></select>
        <label for="act-{{action}}-referred-to">机构或人员</label><input type="text" id="act-{{action}}-referred-to" name="referred_to" required>
        {{#has_mediation_bodies}}<label for="act-{{action}}-body">调解组织（转介调解员时选填）</label><select id="act-{{action}}-body" name="mediation_body_id"><option value="">不指定</option>{{#mediation_bodies}}<option value="{{id}}">{{label}}</option>{{/mediation_bodies}}</select>{{/has_mediation_bodies}}{{/needs_referral}}
        {{#needs_extension}}<label for="act-{{action}}-clock">延长的期限</label><select id="act-{{action}}-clock" name="clock">{{#clocks}}<option value="{{value}}">{{label}}</option>{{/clocks}}</select>
        <label for="act-{{action}}-limit">延长时间（如 30d 表示30日）</label><input type="text" id="act-{{action}}-limit" name="limit" value="30d" required>
        <label for="act-{{action}}-approver">批准人</label><input type="text" id="act-{{action}}-approver" name="approver" required>{{/needs_extension}}
        {{#needs_handler}}<label for="act-{{action}}-handler">承办人</label><select id="act-{{action}}-handler" name="handler_id">{{#handlers}}<option value="{{id}}">{{name}}</option>{{/handlers}}</select>{{/needs_handler}}
        {{#needs_leader}}<label for="act-{{action}}-leader">包案领导</label><select id="act-{{action}}-leader" name="leader_id">{{#leaders}}<option value="{{id}}">{{name}}</option>{{/leaders}}</select>{{/needs_leader}}
        <label for="act-{{action}}-text">{{text_label}}</label><textarea id="act-{{action}}-text" name="text"{{#text_required}} required{{/text_required}}></textarea>
        <button type="submit">确认{{label}}</button></form></details>{{/actions}}</div>{{/has_actions}}
        {{#has_documents}}<div class="card"><h2>文书</h2><ul>{{#documents}}<li><a href="{{url}}">{{title}} {{number}}</a></li>{{/documents}}</ul></div>{{/has_documents}}
        {{#has_attachments}}<div class="card"><h2>来信扫描件</h2><ul>{{#attachments}}<li><a href="/attachments/{{id}}">{{label}}</a></li>{{/attachments}}</ul></div>{{/has_attachments}}
        </aside>
        </div>
        """

    static let inbox = """
        <section class="card"><h1>待办案件</h1>
        <p class="hint">本单位转来的案件和我承办的案件，按到期先后排列。</p>
        <table id="inbox"><tr><th>跟踪编号</th><th>类别</th><th>状态</th><th>下一步</th><th>最近期限</th><th>信访人</th></tr>
        {{#rows}}<tr data-tracking-no="{{tracking_no}}"{{#masked}} class="masked"{{/masked}}><td><a href="/cases/{{id}}">{{tracking_no}}</a></td><td>{{category}}</td><td>{{status}}</td>
        <td>{{next}}{{#reports}} <span class="tag high">{{reports}}</span>{{/reports}}</td><td>{{#due}}<span class="tag {{due_class}}">{{due}}</span>{{/due}}</td>
        <td>{{#masked}}<span class="tag sealed">密封</span>{{/masked}}{{^masked}}{{name}}{{/masked}}</td></tr>{{/rows}}
        </table>{{^rows}}<p>暂无待办案件。</p>{{/rows}}
        </section>
        """

    static let dashboard = """
        {{#calendar_warning}}<p class="flash error">{{calendar_warning}}</p>{{/calendar_warning}}
        <section class="card"><h1>督办 · {{unit_name}}</h1>
        {{#parent}}<p><a href="/dashboard?unit_id={{parent}}">返回上一级</a></p>{{/parent}}
        <p>近30日：催办 {{reminders}} 次，通报 {{notices}} 次。<a class="button secondary export" href="{{export}}">导出超期清单（CSV）</a>
        <a class="button secondary" href="{{export_cases}}">导出案件清单（CSV）</a></p>
        <p id="collective-visits">集体访（5人及以上来访）：<a href="{{collective_link}}">{{collective_count}} 件</a></p>
        <table id="units"><tr><th>单位</th><th>在办</th><th>即将到期</th><th>已超期</th><th>按期率</th></tr>
        {{#units}}<tr><td>{{#drill}}<a href="/dashboard?unit_id={{id}}">{{name}}</a>{{/drill}}{{^drill}}{{name}}{{/drill}}</td><td>{{open}}</td><td>{{due_soon}}</td><td>{{overdue}}</td><td>{{rate}}</td></tr>{{/units}}
        </table>
        <p class="hint" id="rate-explained">按期率 = 按期完成的期限 ÷（已完成的期限 + 仍在计时但已过到期日的期限）。仍在计时但已过到期日的期限计为超期；尚未到期、暂停计时或已取消的期限不计入。没有可计入的期限时显示“—”。</p>
        <h2>本月派单（中高风险纠纷）</h2>
        <table id="dispatch-figures"><tr><th>接收单位</th><th>派单</th><th>按期签收</th><th>逾期签收</th><th>退回</th><th>已化解</th><th>未化解</th><th>已移交</th><th>在办</th></tr>
        {{#dispatch_figures}}<tr><td>{{unit}}</td><td>{{dispatched}}</td><td>{{signed_on_time}}</td><td>{{signed_late}}</td><td>{{objected}}</td><td>{{settled}}</td><td>{{not_settled}}</td><td>{{referred}}</td><td>{{open}}</td></tr>{{/dispatch_figures}}
        </table>{{^dispatch_figures}}<p>本月暂无派单。</p>{{/dispatch_figures}}
        <h2>本月法律援助绿色通道</h2>
        <table id="legal-aid-figures"><tr><th>单位</th><th>转介</th><th>按期决定</th><th>逾期决定</th><th>待决定</th><th>其中已逾期</th><th>获得援助（人）</th><th>不予援助</th><th>撤回</th></tr>
        {{#legal_aid_figures}}<tr><td>{{unit}}</td><td>{{referred}}</td><td>{{on_time}}</td><td>{{late}}</td><td>{{open}}</td><td>{{overdue}}</td><td>{{granted}}</td><td>{{refused}}</td><td>{{withdrawn}}</td></tr>{{/legal_aid_figures}}
        </table>{{^legal_aid_figures}}<p>本月暂无法律援助转介。</p>{{/legal_aid_figures}}
        \(ProtectionOrderTemplates.expiring)
        <h2>本月家暴警情回访</h2>
        <p id="incident-goal">目标：公安机关推送的家暴警情 100% 按期电话回访（{{incident_limit}}内）。本级及下级合计 {{incident_total}} 起，按期回访率 {{incident_share}}。</p>
        <table id="incident-figures"><tr><th>单位</th><th>警情</th><th>按期回访</th><th>逾期回访</th><th>未回访（未到期）</th><th>未回访（已逾期）</th><th>按期率</th></tr>
        {{#incident_figures}}<tr{{#short}} class="late"{{/short}}><td>{{unit}}</td><td>{{incidents}}</td><td>{{on_time}}</td><td>{{late}}</td><td>{{open_not_due}}</td><td>{{open_overdue}}</td><td>{{share}}</td></tr>{{/incident_figures}}
        </table>{{^incident_figures}}<p>本月暂无家暴警情。</p>{{/incident_figures}}
        <p class="hint">按期率 = 按期回访的警情 ÷（已回访的警情 + 已过回访期限仍未回访的警情）；未到期的不计入。低于 100% 的单位标红。</p>
        </section>
        <div class="grid">
        <section class="card"><h2>各单位按期办结率</h2>{{{on_time_chart}}}</section>
        <section class="card"><h2>近30日超期件数走势</h2>{{{trend_chart}}}</section>
        </div>
        <section class="card"><h2>已超期</h2>
        <table id="overdue"><tr><th>跟踪编号</th><th>期限</th><th>单位</th><th>到期日</th><th>超期</th><th>督办</th></tr>
        {{#overdue}}<tr data-tracking-no="{{tracking_no}}"><td><a href="/cases/{{case_id}}">{{tracking_no}}</a></td><td>{{kind}}</td><td>{{unit}}</td><td>{{due_on}}</td><td><span class="tag late">{{days}} 天</span></td><td>{{ladder}}</td></tr>{{/overdue}}
        </table>{{^overdue}}<p>没有超期的期限。</p>{{/overdue}}
        </section>
        <section class="card"><h2>即将到期 <a class="button secondary export" href="{{export_soon}}">导出（CSV）</a></h2>
        <table id="due-soon"><tr><th>跟踪编号</th><th>期限</th><th>单位</th><th>到期日</th></tr>
        {{#due_soon}}<tr data-tracking-no="{{tracking_no}}"><td><a href="/cases/{{case_id}}">{{tracking_no}}</a></td><td>{{kind}}</td><td>{{unit}}</td><td>{{due_on}}</td></tr>{{/due_soon}}
        </table>{{^due_soon}}<p>近期没有即将到期的期限。</p>{{/due_soon}}
        </section>
        <section class="card"><h2>建议领导包案</h2>
        <table id="proposals"><tr><th>跟踪编号</th><th>类别</th><th>单位</th><th>来信来访次数</th></tr>
        {{#proposals}}<tr><td><a href="/cases/{{id}}">{{tracking_no}}</a></td><td>{{category}}</td><td>{{unit}}</td><td>{{contacts}}</td></tr>{{/proposals}}
        </table>{{^proposals}}<p>暂无。</p>{{/proposals}}
        </section>
        """

    static let leader = """
        <section class="card"><h1>包案责任清单 <a class="button secondary export" href="/api/v1/cases/export.csv?mine=true">导出（CSV）</a></h1>
        <table id="responsibilities"><tr><th>跟踪编号</th><th>类别</th><th>状态</th><th>单位</th><th>期限</th><th>进展报告</th></tr>
        {{#rows}}<tr data-tracking-no="{{tracking_no}}"><td><a href="/cases/{{id}}">{{tracking_no}}</a></td><td>{{category}}</td><td>{{status}}</td><td>{{unit}}</td>
        <td>{{#clocks}}<span class="tag {{class}}">{{kind}} {{due_on}}</span> {{/clocks}}</td>
        <td>{{#progress}}<p class="hint">最近进展（{{progress_at}}）：{{progress}}</p>{{/progress}}
        <form method="post" action="/cases/{{id}}/progress" class="row"><input type="hidden" name="_csrf" value="{{csrf}}">
        <div><input type="text" name="note" required aria-label="进展情况"></div><div><button type="submit">报告进展</button></div></form></td></tr>{{/rows}}
        </table>{{^rows}}<p>您目前没有包案的案件。</p>{{/rows}}
        </section>
        """

    static let petition = """
        <section class="card"><h1>网上信访</h1>
        <p>请如实填写。我们会在15日内告知您是否受理，并可凭跟踪编号和查询码随时在网上查询办理进度，不必再跑一趟。</p>
        <p class="hint">如遇正在发生的暴力或紧急危险，请立即拨打110报警。</p>
        {{#has_errors}}<div class="flash error"><p>请检查以下内容：</p><ul>{{#errors}}<li>{{.}}</li>{{/errors}}</ul></div>{{/has_errors}}
        <form method="post" action="/petition">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="name">您的姓名</label><input type="text" id="name" name="name" value="{{name}}" required autocomplete="name">
        <label for="phone">手机号码</label><input type="tel" id="phone" name="phone" value="{{phone}}" required inputmode="tel" autocomplete="tel">
        <label for="victim-relation">反映的是谁的事情</label><select id="victim-relation" name="victim_relation">{{#victim_relations}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/victim_relations}}</select>
        <label for="victim-age">当事人年龄（周岁，可不填）</label><input type="number" id="victim-age" name="victim_age" value="{{victim_age}}" min="0" max="120" inputmode="numeric">
        <label for="victim-minor"><input type="checkbox" id="victim-minor" name="victim_minor" value="yes"{{#victim_minor}} checked{{/victim_minor}}> 当事人未满18周岁</label>
        <label for="category">反映的问题属于</label><select id="category" name="category">{{#categories}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/categories}}</select>
        <label for="summary">请写明您遇到的问题和诉求</label><textarea id="summary" name="summary" required>{{summary}}</textarea>
        <p><button type="submit" id="submit">提交</button></p>
        </form>
        <p><a href="/track">查询已提交的信访事项</a></p>
        </section>
        """

    static let petitionDone = """
        <section class="card receipt"><h1>提交成功</h1>
        <p>跟踪编号：<span class="tracking-no">{{tracking_no}}</span></p>
        <p>查询码：<span class="query-code">{{query_code}}</span></p>
        <p>请记下跟踪编号和查询码（查询码只显示这一次），凭它们在<a href="/track">进度查询</a>页面查看办理情况。</p>
        </section>
        """

    static let track = """
        <section class="card"><h1>进度查询</h1>
        {{#error}}<p class="flash error">{{error}}</p>{{/error}}
        <form method="post" action="/track">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <label for="tracking-no">跟踪编号</label><input type="text" id="tracking-no" name="tracking_no" value="{{tracking_no}}" required autocomplete="off">
        <label for="code">查询码</label><input type="text" id="code" name="code" required autocomplete="off">
        <p><button type="submit" id="submit">查询</button></p>
        </form>
        </section>
        {{#result}}<section class="card"><h2>办理情况</h2>
        <p>当前状态：<strong id="track-status">{{status}}</strong></p>
        <p>类别：{{category}}；收到日期：{{received_on}}；最近更新：{{updated}}</p>
        {{#review}}<p class="flash">{{review}}</p>{{/review}}
        {{#documents}}<article class="card"><h3>{{title}}</h3><p class="hint">{{number}} · {{issued_on}}</p>{{#paragraphs}}<p>{{.}}</p>{{/paragraphs}}</article>{{/documents}}
        </section>{{/result}}
        """
}
