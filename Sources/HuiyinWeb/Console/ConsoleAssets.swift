/// The console's stylesheet and script, served by Huiyin itself (the office network may have no
/// internet): system CJK fonts, large targets, usable at 1366×768 and on a phone for public pages.
enum ConsoleAssets {
    static let css = """
        :root { --red: #8c1c2c; --ink: #1f2328; --muted: #59636e; --line: #d8dde3; --warn: #b35900; --bad: #b00020; --ok: #1a7f37; }
        * { box-sizing: border-box; }
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
               margin: 0; color: var(--ink); background: #f4f5f7; font-size: 16px; line-height: 1.6; }
        header { background: var(--red); color: #fff; padding: 8px 20px; display: flex; flex-wrap: wrap; align-items: center; gap: 8px 18px; }
        header .brand { font-weight: 700; font-size: 18px; }
        header nav { display: flex; flex-wrap: wrap; gap: 4px; }
        header nav a { color: #fff; text-decoration: none; padding: 8px 12px; border-radius: 6px; }
        header nav a.current, header nav a:hover { background: rgba(255,255,255,.18); }
        header .who { margin-left: auto; font-size: 14px; }
        header form { margin: 0; }
        header button { background: transparent; color: #fff; border: 1px solid rgba(255,255,255,.6); font-size: 14px; padding: 6px 12px; min-height: 36px; }
        main { max-width: 1320px; margin: 16px auto; padding: 0 16px; }
        main.narrow { max-width: 720px; }
        .card { background: #fff; border-radius: 8px; padding: 16px 20px; box-shadow: 0 1px 3px rgba(0,0,0,.08); margin-bottom: 16px; }
        .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; }
        .two { display: grid; grid-template-columns: 3fr 2fr; gap: 16px; }
        @media (max-width: 900px) { .two { grid-template-columns: 1fr; } }
        h1 { font-size: 22px; margin: 4px 0 12px; } h2 { font-size: 18px; margin: 4px 0 10px; }
        label { display: block; margin: 10px 0 4px; font-weight: 600; }
        input[type=text], input[type=password], input[type=tel], input[type=date], input[type=number], input[type=search], select, textarea {
            width: 100%; font: inherit; font-size: 17px; padding: 9px 10px; border: 1px solid #b7bfc8; border-radius: 6px; background: #fff; }
        textarea { min-height: 110px; resize: vertical; }
        input:focus, select:focus, textarea:focus, button:focus, a:focus { outline: 3px solid #f0b429; outline-offset: 1px; }
        button, .button { font: inherit; font-size: 17px; padding: 9px 20px; min-height: 44px; border-radius: 6px; border: 1px solid var(--red);
                          background: var(--red); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
        button.secondary, .button.secondary { background: #fff; color: var(--red); }
        .row { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; } .row > * { flex: 1 1 160px; }
        .hint { color: var(--muted); font-size: 14px; }
        .error { color: var(--bad); font-weight: 600; } .ok { color: var(--ok); font-weight: 600; }
        .flash { padding: 10px 14px; border-radius: 6px; margin-bottom: 12px; background: #e8f5ec; color: var(--ok); }
        .flash.error { background: #fde8ea; color: var(--bad); }
        table { width: 100%; border-collapse: collapse; font-size: 15px; }
        th, td { text-align: left; padding: 8px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { color: var(--muted); font-weight: 600; background: #fafbfc; }
        tr.masked td { color: var(--muted); }
        .tag { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 13px; background: #eef1f4; color: var(--ink); white-space: nowrap; }
        .tag.sealed { background: #3d3d3d; color: #fff; } .tag.late { background: #fde8ea; color: var(--bad); }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        table.nowrap td, table.nowrap th { white-space: nowrap; }
        table.nowrap td.summary span { display: inline-block; max-width: 22em; overflow: hidden; text-overflow: ellipsis; vertical-align: bottom; }
        .table-scroll { overflow-x: auto; } .tag.collective { background: #e3f2fd; color: #0d47a1; }
        /* #8a4500 reads 6.5:1 on its background; --warn there is 4.4:1, under WCAG AA */
        .tag.soon { background: #fff3e0; color: #8a4500; } .tag.high { background: var(--bad); color: #fff; }
        .tag.colour-red { background: #c62828; color: #fff; } .tag.colour-orange { background: #a84300; color: #fff; } .tag.colour-pink { background: #f8bbd0; color: #6a1b3a; }
        .timeline { list-style: none; padding: 0; margin: 0; } .timeline li { padding: 8px 0 8px 14px; border-left: 3px solid var(--line); margin-left: 6px; }
        .timeline time { color: var(--muted); font-size: 14px; margin-right: 8px; }
        .receipt { font-size: 20px; } .receipt .tracking-no, .receipt .query-code { font-family: monospace; font-size: 24px; font-weight: 700; letter-spacing: 1px; }
        .callers .case { display: flex; gap: 8px; align-items: baseline; padding: 4px 0; } .callers .caller { border-top: 1px solid var(--line); padding: 6px 0; }
        fieldset { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; margin: 12px 0; }
        fieldset label { font-weight: 400; display: flex; gap: 8px; align-items: flex-start; margin: 6px 0; }
        .grade { font-size: 20px; font-weight: 700; } .grade.high { color: var(--bad); } .grade.medium { color: var(--warn); } .grade.low { color: var(--ok); }
        .login { max-width: 440px; margin: 40px auto; } .center { text-align: center; } .lines { white-space: pre-line; }
        details.action { margin: 0 0 8px; } details.action summary { list-style: none; width: 100%; text-align: left; }
        details.action[open] summary { background: var(--red); color: #fff; }
        .ticket { font-size: 44px; font-weight: 700; color: var(--red); }
        svg text { font-family: inherit; font-size: 12px; fill: var(--ink); }
        .public main { max-width: 640px; } .public header { justify-content: center; }
        .report h2 { font-size: 1.05rem; margin-top: 1.2em; }
        .report table.figures { width: auto; min-width: 60%; }
        .report table.figures th { text-align: left; font-weight: normal; }
        .report td.count, table.figures td.count { text-align: right; font-variant-numeric: tabular-nums; }
        @page { size: A4; margin: 15mm; }
        @media print { header, .no-print { display: none !important; } body { background: #fff; } .card { box-shadow: none; }
          .report, .report table { font-size: 10.5pt; } .report h2 { break-after: avoid; } .report tr { break-inside: avoid; }
          a { color: #000; text-decoration: none; } }
        """

    /// Progressive help for the call screen and the reception window: caller lookup as you type,
    /// the danger checklist graded as you answer, drafts kept in the browser until they are recorded,
    /// Ctrl+Enter to submit, scans uploaded after the letter is recorded.
    static let js = #"""
        "use strict";
        const csrf = () => document.querySelector('meta[name="csrf"]')?.content || "";
        async function api(method, path, body, headers = {}) {
          const init = { method, credentials: "same-origin", headers: Object.assign({ "X-CSRF-Token": csrf() }, headers) };
          if (body !== undefined) {
            if (body instanceof Blob) { init.body = body; } else { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
          }
          const response = await fetch(path, init);
          const text = await response.text();
          let data = {}; try { data = text ? JSON.parse(text) : {}; } catch (e) { data = {}; }
          return { ok: response.ok, status: response.status, data };
        }
        // The Chinese names of the fields an answer may refuse: the server's one table (ConsoleLabels.fieldLabels),
        // which the page carries as a JSON data block.
        const FIELD_NAMES = JSON.parse(document.getElementById("field-labels")?.textContent || "{}");
        function explain(result) {
          if (result.status === 0) return "网络中断，草稿已保存，请稍后重试。";
          const error = result.data.error || {};
          if (error.fields) return "请检查：" + error.fields.map(f => FIELD_NAMES[f.field] || "输入项").join("、");
          if (result.status === 401) return "登录已过期，请重新登录（草稿已保存）。";
          if (result.status === 403) return "您没有权限进行此操作。";
          if (result.status === 409) return "案件当前状态不允许此操作。";
          if (result.status === 413) return "文件太大。";
          if (result.status === 429) return "尝试次数过多，请稍后再试。";
          if (result.status >= 500) return "系统繁忙，草稿已保存，请稍后重试。";
          return "操作未成功。";
        }
        function uuid() { return ([1e7]+-1e3+-4e3+-8e3+-1e11).replace(/[018]/g, c => (c ^ crypto.getRandomValues(new Uint8Array(1))[0] & 15 >> c / 4).toString(16)); }

        // Drafts: every field of a form with data-draft is kept in this tab's sessionStorage until it is
        // recorded (it survives a reload or a dropped connection, not the closing of the tab: a shared
        // office PC keeps no caller's details), with the Idempotency-Key of its submission, so a retry
        // after a dropped connection records it once. Signing out clears them.
        function draftKeeper(form) {
          const key = "huiyin-draft:" + form.dataset.draft;
          const fields = () => Array.from(form.querySelectorAll("input, select, textarea")).filter(e => e.name && e.type !== "file" && e.name !== "_csrf");
          const save = () => {
            const data = { idempotencyKey: form.dataset.idempotencyKey, values: {} };
            for (const e of fields()) {
              if (e.type === "radio") { if (e.checked) data.values[e.name] = e.value; }
              else if (e.type === "checkbox") { data.values[e.name + ":" + e.value] = e.checked; }
              else data.values[e.name] = e.value;
            }
            sessionStorage.setItem(key, JSON.stringify(data));
          };
          const restore = () => {
            const data = JSON.parse(sessionStorage.getItem(key) || "null");
            form.dataset.idempotencyKey = (data && data.idempotencyKey) || uuid();
            if (!data) return false;
            for (const e of fields()) {
              if (e.type === "radio") { if (data.values[e.name] === e.value) e.checked = true; }
              else if (e.type === "checkbox") { e.checked = Boolean(data.values[e.name + ":" + e.value]); }
              else if (data.values[e.name] !== undefined) e.value = data.values[e.name];
            }
            return true;
          };
          const clear = () => { sessionStorage.removeItem(key); form.reset(); form.dataset.idempotencyKey = uuid(); };
          form.addEventListener("input", save); form.addEventListener("change", save);
          return { save, restore, clear };
        }

        function intakeBody(form) {
          const v = name => (form.elements[name] && form.elements[name].value || "").trim();
          const body = { channel: form.dataset.channel, summary: v("summary") };
          const attach = form.querySelector('input[name="attach"]:checked');
          if (attach && attach.value) { body.case_id = Number(attach.value); }
          else {
            body.category = v("category");
            if (v("unit_id")) body.unit_id = Number(v("unit_id"));
          }
          const person = {};
          if (v("phone")) person.phone = v("phone");
          if (v("name")) person.name = v("name");
          if (v("id_number")) person.id_number = v("id_number");
          if (v("address")) person.address = v("address");
          const petitioner = form.querySelector('input[name="petitioner_id"]:checked');
          if (petitioner && petitioner.value) body.petitioner_id = Number(petitioner.value);
          else if (Object.keys(person).length) body.petitioner = person;
          // The person the matter is about: sent when anything differs from "the caller herself, age unknown".
          const victim = victimOf(form);
          if (victim && !body.case_id) body.victim = victim;
          if (body.channel === "call") body.call = { sub_line: v("sub_line") || "main" };
          if (body.channel === "visit") body.visit = { window: v("window"), visitors: Number(v("visitors") || 1) };
          if (body.channel === "letter") body.letter = { received_on: v("received_on"), sender: v("sender"), on_behalf: form.elements["on_behalf"].checked };
          return body;
        }

        function victimOf(form) {
          const v = name => (form.elements[name] && form.elements[name].value || "").trim();
          const minor = form.elements["victim_minor"] && form.elements["victim_minor"].checked;
          const relation = v("victim_relation") || "self";
          if (relation === "self" && !v("victim_age") && !v("victim_birth_date") && !minor) return null;
          const victim = { relation };
          if (v("victim_age")) victim.age = Number(v("victim_age"));
          if (v("victim_birth_date")) victim.birth_date = v("victim_birth_date");
          if (minor) victim.is_minor = true;
          return victim;
        }
        // Under 18 by the box, the age or the birth date (as the server counts it, on today's date).
        function victimIsMinor(victim) {
          if (!victim) return false;
          if (victim.is_minor || (victim.age !== undefined && victim.age < 18)) return true;
          if (!victim.birth_date) return false;
          const [y, m, d] = victim.birth_date.split("-").map(Number), now = new Date();
          const age = now.getFullYear() - y - ((now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d)) ? 1 : 0);
          return age < 18;
        }

        function setupIntake(form) {
          const drafts = draftKeeper(form);
          const status = form.querySelector("[data-role=status]");
          const receipt = document.querySelector(form.dataset.receipt || "#receipt");
          const say = (text, bad) => { status.textContent = text; status.className = bad ? "error" : "ok"; };
          if (drafts.restore()) say("已恢复未提交的草稿。", false);
          const checklist = form.querySelector("#dv-checklist");
          const grade = form.querySelector("#risk-grade");
          const category = form.elements["category"];
          const showChecklist = () => { if (checklist) checklist.hidden = !(category && category.value === "domestic_violence"); };
          const answers = () => {
            const result = {};
            for (const box of form.querySelectorAll('input[name="risk"]')) result[box.value] = box.checked;
            return result;
          };
          const regrade = async () => {
            if (!checklist || checklist.hidden) return;
            const r = await api("POST", "/api/v1/risk-checklist/grade", { answers: answers() });
            if (r.ok) { grade.textContent = r.data.grade_label + "（" + r.data.score + " 分）"; grade.className = "grade " + r.data.grade; }
          };
          if (category) category.addEventListener("change", () => { showChecklist(); regrade(); });
          // A child victim lacks full civil capacity: the checklist's question says so by itself.
          const victimBox = form.querySelector('[data-role=victim]');
          const capacity = form.querySelector('input[name="risk"][value="victim_without_full_capacity"]');
          if (victimBox && capacity) victimBox.addEventListener("change", () => {
            if (victimIsMinor(victimOf(form)) && !capacity.checked) { capacity.checked = true; regrade(); drafts.save(); }
          });
          // A regional sub-line's county takes the new case by default; a professional line suggests its referral.
          const subLine = form.elements["sub_line"], lineHint = form.querySelector("#sub-line-hint");
          const showLine = (choose) => {
            const option = subLine && subLine.selectedOptions[0];
            if (!option) return;
            if (lineHint) lineHint.textContent = option.dataset.hint || "";
            const unit = form.elements["unit_id"];
            if (choose && unit && option.dataset.unit && Array.from(unit.options).some(o => o.value === option.dataset.unit)) unit.value = option.dataset.unit;
          };
          if (subLine) { subLine.addEventListener("change", () => { showLine(true); drafts.save(); }); showLine(false); }
          if (checklist) checklist.addEventListener("change", regrade);
          showChecklist(); regrade();

          const fillCaller = person => {
            const name = form.elements["name"], id = form.elements["id_number"];
            if (name && person.name && !person.name.includes("*")) name.value = person.name;
            if (id) { id.value = ""; id.placeholder = person.id_number ? "已登记：" + person.id_number : ""; }
            drafts.save();
          };
          // Caller lookup as the number is typed.
          const phone = form.elements["phone"];
          const callers = form.querySelector("#callers");
          let timer = null, asked = "";
          const lookup = async () => {
            const digits = phone.value.replace(/[^0-9]/g, "");
            if (!callers || digits.length < 7 || digits === asked) return;
            asked = digits;
            const r = await api("GET", "/api/v1/petitioners?phone=" + encodeURIComponent(phone.value));
            if (!r.ok) { callers.textContent = r.status === 422 ? "" : explain(r); return; }
            callers.replaceChildren();
            // The words follow the channel: a visitor is 来访人, never 来电人.
            const word = { call: "来电", visit: "来访", letter: "来信" }[form.dataset.channel] || "来电";
            if (!r.data.petitioners.length) { callers.textContent = "未找到此号码的记录：将登记为新" + word + "人。"; return; }
            for (const person of r.data.petitioners) {
              const block = document.createElement("div"); block.className = "caller";
              const who = document.createElement("label");
              const pick = document.createElement("input"); pick.type = "radio"; pick.name = "petitioner_id"; pick.value = person.id;
              // Choosing her fills in what is on record (a masked name stays out of the form).
              pick.addEventListener("change", () => fillCaller(person));
              who.append(pick, " " + word + "人：" + (person.name || "（未留姓名）") + (person.is_minor ? "（未成年人）" : ""));
              block.append(who);
              for (const c of person.cases) {
                const line = document.createElement("label"); line.className = "case"; line.dataset.caseId = c.id;
                const radio = document.createElement("input"); radio.type = "radio"; radio.name = "attach"; radio.value = c.id;
                radio.addEventListener("change", () => { pick.checked = true; fillCaller(person); drafts.save(); });
                line.append(radio, " " + c.tracking_no + " · " + c.category_label + " · " + c.status_label + " · " + c.unit.name + " · " +
                            (c.masked ? "（密封案件）" : (c.summary || "").slice(0, 40)));
                block.append(line);
              }
              callers.append(block);
            }
          };
          if (phone) phone.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(lookup, 250); });
          if (phone && phone.value) lookup();

          const submit = async () => {
            const button = form.querySelector("[data-role=submit]");
            button.disabled = true; say("正在提交……", false);
            try {
              const body = intakeBody(form);
              const r = await api("POST", "/api/v1/contacts", body, { "Idempotency-Key": form.dataset.idempotencyKey });
              if (!r.ok) { say(explain(r), true); return; }
              let extra = "";
              if (checklist && !checklist.hidden && !body.case_id) {
                const graded = await api("POST", "/api/v1/cases/" + r.data.case_id + "/risk-assessments", { answers: answers() });
                extra = graded.ok ? "；危险评估：" + graded.data.grade_label : "；危险评估未保存，请在案件页补做";
              }
              const file = form.elements["scan"] && form.elements["scan"].files[0];
              if (file) {
                const uploaded = await api("POST", "/api/v1/cases/" + r.data.case_id + "/attachments?contact_id=" + r.data.contact_id, file,
                                           { "Content-Type": file.type || "application/octet-stream" });
                extra += uploaded.ok ? "；扫描件已保存" : "；扫描件未保存（" + explain(uploaded) + "）";
              }
              receipt.hidden = false;
              receipt.querySelector(".tracking-no").textContent = r.data.tracking_no;
              receipt.querySelector(".query-code").textContent = r.data.query_code || "（沿用原查询码）";
              receipt.querySelector(".case-link").href = "/cases/" + r.data.case_id;
              drafts.clear(); asked = "";
              if (callers) callers.replaceChildren();
              showChecklist(); if (grade) grade.textContent = "";
              const next = { call: "可以接听下一个来电。", visit: "可以接待下一位来访人。", letter: "可以登记下一封来信。" }[body.channel] || "";
              say((r.data.repeat ? "已追加到原案件" : "已登记新案件") + extra + "。" + next, false);
              const first = form.querySelector("[autofocus]") || form.elements[0];
              first.focus();
            } catch (e) { say("网络中断，草稿已保存，请稍后重试。", true); }
            finally { button.disabled = false; }
          };
          form.addEventListener("submit", e => { e.preventDefault(); submit(); });
          form.addEventListener("keydown", e => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); submit(); } });
          const clear = form.querySelector("[data-role=clear]");
          if (clear) clear.addEventListener("click", () => { drafts.clear(); if (callers) callers.replaceChildren(); showChecklist(); say("草稿已清空。", false); });
        }

        document.querySelectorAll("form[data-intake]").forEach(setupIntake);
        document.querySelectorAll("[data-print]").forEach(b => b.addEventListener("click", () => window.print()));
        document.getElementById("logout")?.closest("form").addEventListener("submit", () => {
          for (const key of Object.keys(sessionStorage)) if (key.startsWith("huiyin-draft:")) sessionStorage.removeItem(key);
        });
        """#
}
