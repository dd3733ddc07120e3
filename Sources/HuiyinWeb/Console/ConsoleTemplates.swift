import Mustache

/// The console's templates (swift-mustache), compiled into the binary so a deployment is one file.
/// `{{x}}` escapes HTML; the layout takes the page's own HTML in `{{{body}}}`.
enum ConsoleTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("layout", layout), ("login", login), ("home", home), ("document", document), ("message", message), ("signout", signout)]
            + ConsolePageTemplates.all + DispatchTemplates.all + MediationBodyTemplates.all + ConsoleCouncilTemplates.all
            + HouseholdPageTemplates.all + ProtectionOrderTemplates.all + CampaignTemplates.all + IncidentPageTemplates.all
            + ConsoleAnalysisTemplates.all {
            // The templates are constants of this file: a parse error is a programming error found by the tests.
            try! library.register(text, named: name)
        }
        return library
    }()

    static func render(_ name: String, _ context: some ConsoleView) -> String {
        library.render(context, withTemplate: name) ?? ""
    }

    static let layout = """
        <!DOCTYPE html>
        <html lang="zh-CN"{{#public}} class="public"{{/public}}>
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        {{#csrf}}<meta name="csrf" content="{{csrf}}">{{/csrf}}
        <title>{{title}} · 回音</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/static/console.css">
        {{#script}}<script type="application/json" id="field-labels">{{{field_labels}}}</script>
        <script src="/static/console.js" defer></script>{{/script}}
        </head>
        <body{{#public}} class="public"{{/public}}>
        <header>
        <span class="brand">{{#public}}妇联网上信访 · 12338{{/public}}{{^public}}回音 · 信访与12338热线{{/public}}</span>
        {{#user}}<nav>{{#nav}}<a href="{{href}}"{{#current}} class="current" aria-current="page"{{/current}}>{{label}}</a>{{/nav}}</nav>
        <span class="who">{{display_name}}（{{role_label}}，{{unit_name}}）</span>
        <form method="post" action="/logout" class="no-print"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" id="logout">退出登录</button></form>{{/user}}
        </header>
        <main{{#narrow}} class="narrow"{{/narrow}}>
        {{#flash}}<p class="flash{{#flash_error}} error{{/flash_error}}" role="status">{{flash}}</p>{{/flash}}
        {{{body}}}
        </main>
        </body>
        </html>
        """

    static let login = """
        <div class="card login">
        <h1>登录</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/login">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        {{#next}}<input type="hidden" name="next" value="{{next}}">{{/next}}
        <label for="username">用户名</label>
        <input type="text" id="username" name="username" value="{{username}}" autocomplete="username" autofocus required>
        <label for="password">密码</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required>
        <p><button type="submit">登录</button></p>
        </form>
        </div>
        """

    static let home = """
        <div class="card">
        <h1>{{greeting}}，{{display_name}}</h1>
        <p>您的岗位：{{role_label}}；所在单位：{{unit_name}}。</p>
        <ul>
        {{#tasks}}<li>{{.}}</li>{{/tasks}}
        </ul>
        <p class="row">{{#links}}<a class="button" href="{{href}}">{{label}}</a>{{/links}}</p>
        </div>
        <div class="card"><h2>提醒与通知</h2>
        {{#has_notifications}}<p id="notification-summary">未读：{{#notification_summary}}<span class="tag">{{kind}} {{count}} 条</span> {{/notification_summary}}</p>
        <form method="post" action="/notifications/read"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="secondary" id="read-all">全部标为已读</button></form>
        <table id="notifications"><tr><th>最近时间</th><th>事项</th><th>对象</th><th>条数</th><th><span class="visually-hidden">操作</span></th></tr>
        {{#notifications}}<tr{{#tracking_no}} data-tracking-no="{{tracking_no}}"{{/tracking_no}}><td>{{at}}</td><td>{{kind}}</td><td>{{#href}}<a href="{{href}}">{{subject}}</a>{{/href}}{{^href}}{{subject}}{{/href}}</td><td class="count">{{count}}</td>
        <td><form method="post" action="/notifications/read"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="kind" value="{{kind_code}}"><input type="hidden" name="{{subject_field}}" value="{{subject_id}}">
        <button type="submit" class="secondary" aria-label="{{subject}} {{kind}} 标为已读">已读</button></form></td></tr>{{/notifications}}
        </table>{{/has_notifications}}{{^has_notifications}}<p class="hint">没有未读的提醒。</p>{{/has_notifications}}
        </div>
        """

    static let document = """
        <article class="card">
        <h1 class="center">{{title}}</h1>
        <p class="center">{{number}}</p>
        {{#paragraphs}}<p class="lines">{{.}}</p>{{/paragraphs}}
        <p class="no-print"><button type="button" data-print>打印</button></p>
        </article>
        """

    static let signout = """
        <div class="card"><h1>退出登录</h1><p>确定要退出登录吗？</p>
        <form method="post" action="/logout"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" id="confirm-logout">退出登录</button></form>
        <p><a href="/">返回首页</a></p></div>
        """

    static let message = """
        <div class="card"><h1>{{heading}}</h1><p>{{text}}</p><p><a href="{{link}}">{{link_text}}</a></p></div>
        """
}
