import Mustache

/// The console's templates (swift-mustache), compiled into the binary so a deployment is one file.
/// `{{x}}` escapes HTML; the layout takes the page's own HTML in `{{{body}}}`.
enum ConsoleTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("layout", layout), ("login", login), ("home", home), ("document", document), ("message", message)] {
            // The templates are constants of this file: a parse error is a programming error found by the tests.
            try! library.register(text, named: name)
        }
        return library
    }()

    static func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }

    static let layout = """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · 回音</title>
        <style>
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
               margin: 0; color: #1f2328; background: #f6f7f9; font-size: 16px; line-height: 1.6; }
        header { background: #8c1c2c; color: #fff; padding: 10px 20px; display: flex; align-items: center; gap: 16px; }
        header a, header button { color: #fff; }
        header .who { margin-left: auto; }
        main { max-width: 960px; margin: 24px auto; padding: 0 16px; }
        .card { background: #fff; border-radius: 8px; padding: 20px 24px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
        label { display: block; margin: 12px 0 4px; font-weight: 600; }
        input[type=text], input[type=password] { width: 100%; box-sizing: border-box; font-size: 18px; padding: 10px; }
        button { font-size: 18px; padding: 10px 22px; min-height: 44px; cursor: pointer; }
        .error { color: #b00020; font-weight: 600; }
        @media print { header, .no-print { display: none; } body { background: #fff; } .card { box-shadow: none; } }
        </style>
        </head>
        <body>
        <header>
        <strong>回音 · 妇联信访与12338热线</strong>
        {{#user}}<span class="who">{{display_name}}（{{role_label}}，{{unit_name}}）</span>
        <form method="post" action="/logout" class="no-print"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit">退出登录</button></form>{{/user}}
        </header>
        <main>
        {{{body}}}
        </main>
        </body>
        </html>
        """

    static let login = """
        <div class="card" style="max-width:420px;margin:40px auto">
        <h1>登录</h1>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/login">
        <input type="hidden" name="_csrf" value="{{csrf}}">
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
        </div>
        """

    static let document = """
        <article class="card">
        <h1 style="text-align:center">{{title}}</h1>
        <p style="text-align:center">{{number}}</p>
        {{#paragraphs}}<p style="white-space:pre-line">{{.}}</p>{{/paragraphs}}
        <p class="no-print"><button type="button" onclick="window.print()">打印</button></p>
        </article>
        """

    static let message = """
        <div class="card"><h1>{{heading}}</h1><p>{{text}}</p><p><a href="{{link}}">{{link_text}}</a></p></div>
        """
}
