// The grid worker's phone page: this month's visits, the visit form, a quick lead report, her reports.
// Offline first: a saved report goes into an IndexedDB outbox with its Idempotency-Key, made at saving
// and never changed, and is sent in saving order when the server can be reached; a retry of the same
// key is answered with the first answer, so a report is stored once however often it is sent.
// A saved report is kept encrypted to her key pair (ECDH P-256 → HKDF → AES-GCM): the page stores the
// public half only and holds the private half, from /api/v1/me, in memory while she is signed in, so
// a lost phone holds no report it can read. Nothing sealed is kept in the clear, a sent report leaves
// the phone, and signing out or the end of the session (12 h after signing in) wipes everything.
"use strict";
(() => {
  const WORDS = JSON.parse(document.getElementById("field-words").textContent);
  const $ = (id) => document.getElementById(id);
  const labelOf = (list, value) => (list.find((c) => c.value === value) || {}).label || "";
  const kindOf = (value) => WORDS.kinds.find((k) => k.value === value);

  // --- storage ------------------------------------------------------------------------------------
  // "outbox": reports waiting, keyed by saving order; "meta": her profile, the due list, her recent
  // reports (never a sealed one), the last sync and the recently sent.
  const DB_NAME = "huiyin-field";
  let dbPromise = null;
  function db() {
    // Once signing out has wiped the page, nothing may open (and so re-create) the database again.
    if (state.leaving) return Promise.reject(new Error("signed out"));
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const open = indexedDB.open(DB_NAME, 1);
        open.onupgradeneeded = () => {
          open.result.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
          open.result.createObjectStore("meta");
        };
        open.onsuccess = () => {
          open.result.onversionchange = () => { open.result.close(); dbPromise = null; };
          resolve(open.result);
        };
        open.onerror = () => reject(open.error);
      });
    }
    return dbPromise;
  }
  const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const finished = (t) => new Promise((resolve, reject) => { t.oncomplete = () => resolve(); t.onerror = t.onabort = () => reject(t.error); });
  // A report must survive a crash the moment the page says "saved": strict durability.
  const writing = async (stores) => (await db()).transaction(stores, "readwrite", { durability: "strict" });

  async function getMeta(key) { return request((await db()).transaction("meta").objectStore("meta").get(key)); }
  async function setMeta(key, value) {
    const t = await writing(["meta"]);
    t.objectStore("meta").put(value, key);
    return finished(t);
  }
  async function waiting() { return request((await db()).transaction("outbox").objectStore("outbox").getAll()); }

  // --- encryption at rest ---------------------------------------------------------------------------------
  const ECDH = { name: "ECDH", namedCurve: "P-256" };
  async function aesKey(privateKey, publicKey, usage) {
    const bits = await crypto.subtle.deriveBits({ name: "ECDH", public: publicKey }, privateKey, 256);
    const material = await crypto.subtle.importKey("raw", bits, "HKDF", false, ["deriveKey"]);
    return crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode("huiyin-field-outbox") },
                                   material, { name: "AES-GCM", length: 256 }, false, [usage]);
  }
  /// The body encrypted to her public key with a key pair made for this report alone.
  async function seal(body) {
    const jwk = await getMeta("publicKey");
    if (!jwk) throw new Error("no public key");
    const publicKey = await crypto.subtle.importKey("jwk", jwk, ECDH, false, []);
    const ephemeral = await crypto.subtle.generateKey(ECDH, true, ["deriveBits"]);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await aesKey(ephemeral.privateKey, publicKey, "encrypt"),
                                             new TextEncoder().encode(JSON.stringify(body)));
    return { epk: await crypto.subtle.exportKey("raw", ephemeral.publicKey), iv, data };
  }
  /// Readable only with her private key, which only her signed-in session hands over.
  async function unseal(sealed) {
    if (!state.privateKey) throw new Error("no private key");
    const epk = await crypto.subtle.importKey("raw", sealed.epk, ECDH, false, []);
    const clear = await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, await aesKey(state.privateKey, epk, "decrypt"), sealed.data);
    return JSON.parse(new TextDecoder().decode(clear));
  }

  /// Adds reports in order in one transaction, each body encrypted first (an IndexedDB transaction
  /// cannot wait for the encryption); a visit that raised a lead waits for the lead's id.
  async function save(items) {
    for (const item of items) { item.sealed = await seal(item.body); delete item.body; }
    const t = await writing(["outbox"]);
    const store = t.objectStore("outbox");
    let previous = null;
    for (const item of items) {
      if (item.dependsOnPrevious) { delete item.dependsOnPrevious; item.dependsOn = previous; }
      const added = store.add(item);
      if (items.length > 1) previous = await request(added);
    }
    return finished(t);
  }

  /// Everything the page stored: the database, the cached files, the service worker.
  async function wipe() {
    if (dbPromise) { try { (await dbPromise).close(); } catch (e) { /* never opened */ } }
    dbPromise = null;
    await new Promise((resolve) => {
      const del = indexedDB.deleteDatabase(DB_NAME);
      del.onsuccess = del.onerror = del.onblocked = () => resolve();
    });
    if (window.caches) {
      for (const key of await caches.keys()) if (key.startsWith("huiyin-field-")) await caches.delete(key);
    }
    if (navigator.serviceWorker) {
      for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
    }
    state.me = null;
    state.csrf = "";
    state.privateKey = null;
  }

  // --- the server -------------------------------------------------------------------------------------
  const state = { me: null, csrf: "", reachable: null, signIn: false, failures: 0, retryTimer: null, tab: "due", household: null };

  async function call(method, path, { body, key, timeout = 15000 } = {}) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeout);
    const headers = { "Accept": "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (key) headers["Idempotency-Key"] = key;
    if (method !== "GET") headers["X-CSRF-Token"] = state.csrf;
    try {
      const response = await fetch(path, { method, headers, credentials: "same-origin", cache: "no-store", signal: controller.signal,
                                           body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      let data = null;
      try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
      state.reachable = true;
      return { status: response.status, data };
    } catch (error) {
      state.reachable = false;    // no connection, the server down, or a request cut off mid-way
      return { status: 0, data: null };
    } finally {
      clearTimeout(timer);
    }
  }

  /// Who is signed in, asked afresh: null when offline or signed out. A different person than the
  /// one whose data the page holds means a shared phone: what the page holds is wiped first.
  async function refreshMe() {
    const answer = await call("GET", "/api/v1/me");
    if (answer.status === 401) { state.signIn = true; return null; }
    if (answer.status !== 200 || !answer.data) return null;
    const me = answer.data;
    const stored = await getMeta("me");
    if (stored && stored.id !== me.id) { await wipe(); registerWorker(); }
    state.signIn = false;
    state.csrf = me.csrf_token || "";
    if (me.field_key) {
      const { kty, crv, x, y } = me.field_key;
      state.privateKey = await crypto.subtle.importKey("jwk", me.field_key, ECDH, false, ["deriveBits"]);
      await setMeta("publicKey", { kty, crv, x, y });
    }
    state.me = { id: me.id, display_name: me.display_name, role: me.role, unit_name: me.unit_name,
                 grids: me.grids, expiresAt: me.session_expires_at ? Date.parse(me.session_expires_at) : null };
    await setMeta("me", state.me);
    return state.me;
  }

  // --- sending ---------------------------------------------------------------------------------------
  /// One pass over the outbox in saving order, in one tab at a time (Web Locks; a flag without them).
  let passRunning = false;
  function sync() {
    if (navigator.locks) return navigator.locks.request("huiyin-field-sync", { ifAvailable: true }, (lock) => (lock ? syncPass() : null));
    if (passRunning) return Promise.resolve();
    passRunning = true;
    return syncPass().finally(() => { passRunning = false; });
  }

  async function syncPass() {
    clearTimeout(state.retryTimer);
    const me = await refreshMe();
    let stopped = !me;
    if (me) {
      for (const first of await waiting()) {
        // Re-read: sending an earlier report may have changed this one (a lead's id given to its visit).
        const item = await request((await db()).transaction("outbox").objectStore("outbox").get(first.seq));
        if (!item || item.attention) continue;
        if (item.dependsOn) {
          const lead = await request((await db()).transaction("outbox").objectStore("outbox").get(item.dependsOn));
          if (lead) { await markAttention(item, "所附线索未被接受，请先处理该线索"); continue; }
        }
        const outcome = await send(item);
        if (outcome === "stop") { stopped = true; break; }
      }
    }
    if (stopped) {
      if (!state.signIn) scheduleRetry();
    } else {
      state.failures = 0;
      await setMeta("lastSync", Date.now());
      await refreshLists();
    }
    await render();
  }

  /// Sends one report; "stop" when the rest must wait (no connection, signed out, the server busy).
  async function send(item) {
    let body;
    try {
      body = await unseal(item.sealed);
    } catch (error) {
      if (!state.privateKey) return "stop";    // not signed in yet: wait
      await markAttention(item, "本机无法读取这条记录，请重新填写");
      return "kept";
    }
    if (item.leadID) body.lead_id = item.leadID;
    let answer = await call("POST", item.path, { body, key: item.key });
    if (answer.status === 403 && answer.data && answer.data.error && answer.data.error.code === "csrf_failed") {
      if (!(await refreshMe())) return "stop";
      answer = await call("POST", item.path, { body, key: item.key });
    }
    const status = answer.status;
    if ((status >= 200 && status < 300) || status === 409) { await settle(item, status, answer.data); return "sent"; }
    if (status === 401) { state.signIn = true; return "stop"; }
    if (status === 0 || status === 408 || status === 429 || status >= 500) return "stop";
    await markAttention(item, refusal(answer.data));
    return "kept";
  }

  /// A stored report leaves the phone; the visit that waited for this lead gets its id, in the same transaction.
  async function settle(item, status, data) {
    const t = await writing(["outbox", "meta"]);
    const outbox = t.objectStore("outbox");
    outbox.delete(item.seq);
    if (item.type === "lead" && data && data.id) {
      for (const other of await request(outbox.getAll())) {
        if (other.dependsOn === item.seq) {
          other.leadID = data.id;
          delete other.dependsOn;
          outbox.put(other);
        }
      }
    }
    const meta = t.objectStore("meta");
    const sent = (await request(meta.get("sent"))) || [];
    sent.unshift({ title: item.title, at: Date.now(), already: status === 409,
                   mandatory: item.type === "lead" && data && Array.isArray(data.mandatory_reports) && data.mandatory_reports.length > 0 });
    meta.put(sent.slice(0, 20), "sent");
    return finished(t);
  }

  async function markAttention(item, text) {
    item.attention = text;
    const t = await writing(["outbox"]);
    t.objectStore("outbox").put(item);
    return finished(t);
  }

  function refusal(data) {
    const fields = (data && data.error && data.error.fields) || [];
    const names = [...new Set(fields.map((f) => WORDS.fieldLabels[f.field.split(/[.[]/)[0]] || "内容"))];
    return names.length ? "服务器未接受：" + names.join("、") + "有误" : "服务器未接受此记录";
  }

  /// Exponential backoff with jitter: phones coming back into signal together do not all call at once.
  function scheduleRetry() {
    state.failures = Math.min(state.failures + 1, 6);
    const delay = Math.min(30000, 1000 * 2 ** state.failures) * (0.5 + Math.random() / 2);
    clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(sync, delay);
  }

  /// The due list and her recent reports, kept with the least the page needs offline.
  async function refreshLists() {
    if (!state.me || !["grid_worker", "information_officer"].includes(state.me.role)) return;
    const due = await call("GET", "/api/v1/visits/due");
    if (due.status === 200 && due.data) {
      await setMeta("due", { month: due.data.month, households: due.data.households.map((h) => h.sealed
        ? { household_id: h.household_id, grid_id: h.grid_id, grid_name: h.grid_name, due_on: h.due_on, sealed: true }
        : { household_id: h.household_id, grid_id: h.grid_id, grid_name: h.grid_name, due_on: h.due_on, sealed: false,
            head_name: h.head_name, address: h.address, categories: h.categories, colour: h.colour }) });
    }
    const mine = await call("GET", "/api/v1/leads?mine=true&limit=20");
    if (mine.status === 200 && mine.data) {
      state.mineLive = mine.data.leads;
      // Offline only what is not sealed, and not what was said.
      await setMeta("mine", mine.data.leads.filter((l) => !l.sealed)
        .map((l) => ({ id: l.id, kind: l.kind, status: l.status, reported_at: l.reported_at, grid_name: l.grid_name })));
    }
  }

  // --- expiry and signing out -------------------------------------------------------------------------
  /// The session ends 12 h after signing in: then the page forgets everything, sent or not.
  async function expireIfDue() {
    const me = state.me || (await getMeta("me"));
    if (me && me.expiresAt && Date.now() >= me.expiresAt) {
      await wipe();
      state.signIn = true;
      notice("登录已超过12小时，本机保存的数据已全部清除，请重新登录。", true);
      return true;
    }
    return false;
  }

  async function signOut() {
    let left = (await waiting()).length;
    if (left) { await sync(); left = (await waiting()).length; }
    if (left && !window.confirm(`还有 ${left} 条记录没有发送，退出后将从本机删除。确定退出吗？`)) return;
    const csrf = state.csrf;
    state.leaving = true;
    await wipe();
    if (!csrf) { window.location.assign("/login?next=/field"); return; }
    const form = document.createElement("form");
    form.method = "post";
    form.action = "/logout";
    const token = document.createElement("input");
    token.type = "hidden";
    token.name = "_csrf";
    token.value = csrf;
    form.appendChild(token);
    document.body.appendChild(form);
    form.submit();
  }

  // --- screens ------------------------------------------------------------------------------------------
  function notice(text, error = false) {
    const box = $("notice");
    box.textContent = text;
    box.classList.toggle("error", error);
    box.hidden = !text;
  }

  const two = (n) => String(n).padStart(2, "0");
  const clock = (ms) => { const d = new Date(ms); return `${d.getMonth() + 1}月${d.getDate()}日 ${two(d.getHours())}:${two(d.getMinutes())}`; };
  const dayText = (iso) => { const [, m, d] = iso.split("-").map(Number); return `${m}月${d}日`; };
  const localToday = () => { const d = new Date(); return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`; };

  function li(className, ...parts) {
    const item = document.createElement("li");
    if (className) item.className = className;
    for (const part of parts) if (part) item.appendChild(part);
    return item;
  }
  function span(text, className) {
    const s = document.createElement("span");
    s.textContent = text;
    if (className) s.className = className;
    return s;
  }

  async function render() {
    const me = state.me || (await getMeta("me"));
    const items = me ? await waiting() : [];
    const lastSync = await getMeta("lastSync");
    $("who").textContent = me ? me.display_name : "";
    $("sign-out").hidden = !me;
    $("net").textContent = state.reachable === false ? "离线：记录保存在本机，联网后自动发送" : state.reachable ? "在线" : "正在连接…";
    $("net").className = "net " + (state.reachable === false ? "offline" : "online");
    $("last-sync").textContent = lastSync ? "上次同步 " + clock(lastSync) : "尚未同步";
    $("waiting").textContent = `待发送 ${items.length} 条`;
    $("sync-now").hidden = items.length === 0;
    const outbox = $("outbox");
    outbox.replaceChildren(...items.map((item) => {
      const row = li(item.attention ? "attention" : "", span(item.title), span(item.attention || "等待发送", item.attention ? "error" : "hint"));
      row.dataset.key = item.key;
      if (item.attention) {
        const discard = document.createElement("button");
        discard.type = "button";
        discard.className = "small secondary";
        discard.textContent = "删除";
        discard.addEventListener("click", async () => {
          if (!window.confirm("删除后这条记录不会再发送。确定删除吗？")) return;
          const t = await writing(["outbox"]);
          t.objectStore("outbox").delete(item.seq);
          await finished(t);
          render();
        });
        row.appendChild(discard);
      }
      return row;
    }));
    if (me && me.expiresAt && items.length && me.expiresAt - Date.now() < 2 * 3600 * 1000) {
      notice(`登录将在 ${Math.max(1, Math.round((me.expiresAt - Date.now()) / 60000))} 分钟后到期，到期后本机未发送的记录也会被清除，请尽快联网发送。`, true);
    }
    const isGrid = me && ["grid_worker", "information_officer"].includes(me.role);
    // Signed out, or never signed in on this phone and no server to ask.
    $("sign-in").hidden = !(state.signIn || (!me && state.reachable === false));
    $("sign-in-text").textContent = items.length
      ? `本机有 ${items.length} 条记录等待发送，重新登录后会自动发送。`
      : "登录后即可查看本月走访任务、登记走访和报告线索。";
    $("not-grid").hidden = !me || isGrid;
    $("tabs").hidden = !isGrid;
    for (const tab of ["due", "lead", "mine"]) {
      $("tab-" + tab).hidden = !isGrid || state.tab !== tab;
      document.querySelector(`[data-tab="${tab}"]`).setAttribute("aria-current", state.tab === tab ? "page" : "false");
    }
    $("visit").hidden = !isGrid || state.tab !== "visit";
    if (!isGrid) return;
    await renderDue(items);
    renderGrids(me);
    await renderMine();
  }

  async function renderDue(items) {
    const due = (await getMeta("due")) || { month: "", households: [] };
    const pending = new Set(items.filter((i) => i.type === "visit").map((i) => i.householdID));
    $("due-month").textContent = due.month ? `（${Number(due.month.slice(5))}月）` : "";
    const open = due.households.filter((h) => !pending.has(h.household_id));
    $("due-hint").textContent = due.households.length
      ? `还有 ${open.length} 户待走访，${due.households[0] ? dayText(due.households[0].due_on) : ""}前完成`
      : "本月重点户都已走访，或尚未取得走访任务。";
    $("due-list").replaceChildren(...due.households.map((h) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "household-button";
      button.dataset.household = h.household_id;
      const head = h.sealed ? "保密户" : `${h.head_name}户`;
      button.appendChild(span(head, "name"));
      button.appendChild(span(h.sealed ? `${h.grid_name} · 信息已保密，本月需走访` : `${h.grid_name} · ${h.address}`, "hint"));
      if (!h.sealed) {
        const tags = document.createElement("span");
        tags.className = "tags";
        for (const c of h.categories || []) tags.appendChild(span(labelOf(WORDS.categories, c), "tag"));
        if (h.colour) tags.appendChild(span(labelOf(WORDS.colours, h.colour), "tag colour-" + h.colour));
        button.appendChild(tags);
      }
      if (pending.has(h.household_id)) { button.disabled = true; button.appendChild(span("已登记，待发送", "tag waiting")); }
      button.addEventListener("click", () => openVisit(h));
      return li("", button);
    }));
  }

  function renderGrids(me) {
    const select = $("lead-grid");
    const current = select.value;
    select.replaceChildren(...me.grids.map((g) => {
      const option = document.createElement("option");
      option.value = g.id;
      option.textContent = `${g.village_name} ${g.name}`;
      return option;
    }));
    if (current) select.value = current;
  }

  async function renderMine() {
    const live = state.reachable ? state.mineLive : null;
    const mine = live || (await getMeta("mine")) || [];
    $("mine-hint").textContent = live ? "" : "离线时只显示非保密线索。";
    $("mine-list").replaceChildren(...mine.map((l) => li("", span(l.sealed ? "保密线索" : labelOf(WORDS.kinds, l.kind), "name"),
      span(`${l.grid_name} · ${clock(Date.parse(l.reported_at))}`, "hint"), span(labelOf(WORDS.statuses, l.status), "tag status-" + l.status))));
    if (!mine.length) $("mine-list").replaceChildren(li("", span("还没有报告过线索。", "hint")));
    const sent = (await getMeta("sent")) || [];
    $("sent-list").replaceChildren(...sent.map((s) => li("", span(s.title, "name"),
      span(`${clock(s.at)} ${s.already ? "服务器已有此记录" : "已送达"}${s.mandatory ? "，已生成强制报告任务" : ""}`, "hint"))));
  }

  // --- forms ----------------------------------------------------------------------------------------
  function choices(fieldset, name, list, checked) {
    for (const choice of list) {
      const label = document.createElement("label");
      label.className = "choice";
      const input = document.createElement("input");
      input.type = "radio";
      input.name = name;
      input.value = choice.value;
      input.checked = choice.value === checked;
      label.appendChild(input);
      label.appendChild(span(choice.label));
      fieldset.appendChild(label);
    }
  }
  const picked = (root, name) => { const input = root.querySelector(`input[name="${name}"]:checked`); return input ? input.value : null; };

  /// The lead fields (kind, who, what, how urgent), in the quick form and under a visit.
  function leadFields(container) {
    const prefix = container.dataset.prefix;
    container.appendChild($("lead-fields").content.cloneNode(true));
    const field = (name) => container.querySelector(`[data-field="${name}"]`);
    for (const element of container.querySelectorAll("[data-field]")) {
      if (!element.matches("fieldset, div")) element.id = `${prefix}-${element.dataset.field}`;
    }
    for (const label of container.querySelectorAll("label[data-for]")) label.htmlFor = `${prefix}-${label.dataset.for}`;
    choices(field("kind"), `${prefix}-kind`, WORDS.kinds, null);
    choices(field("urgency"), `${prefix}-urgency`, WORDS.urgencies, "normal");
    const update = () => {
      const kind = kindOf(picked(container, `${prefix}-kind`));
      const reasons = kind ? (field("minor").checked ? kind.mandatoryMinor : kind.mandatoryAdult) : [];
      const box = field("mandatory");
      box.hidden = reasons.length === 0;
      box.replaceChildren();
      if (reasons.length) {
        const heading = document.createElement("strong");
        heading.textContent = "这是强制报告事项";
        box.appendChild(heading);
        box.appendChild(span("：" + reasons.join("；") + "。"));
        const next = document.createElement("p");
        next.textContent = "保存后，系统会立即为这条线索生成向公安机关报告的任务，并直报市妇联，由村（社区）妇联主席和上级妇联跟进办理；"
          + "情况紧急或有人身危险时，请立即拨打110报警。";
        box.appendChild(next);
      }
    };
    container.addEventListener("change", update);
    return {
      setKind(value) { const input = container.querySelector(`input[name="${prefix}-kind"][value="${value}"]`); if (input) input.checked = true; update(); },
      reset() { for (const el of container.querySelectorAll("input[type=text], input[type=number], textarea")) el.value = "";
                field("minor").checked = false; for (const r of container.querySelectorAll(`input[name="${prefix}-kind"]`)) r.checked = false;
                container.querySelector(`input[name="${prefix}-urgency"][value="normal"]`).checked = true; update(); },
      /// The lead's body, or the Chinese words of what is missing.
      read(gridID, source, householdID) {
        const kind = picked(container, `${prefix}-kind`);
        const victim = field("victim").value.trim(), summary = field("summary").value.trim(), respondent = field("respondent").value.trim();
        const ageText = field("age").value.trim();
        const missing = [];
        if (!kind) missing.push("线索类别");
        if (!victim) missing.push("当事人姓名");
        if (!summary) missing.push("发生了什么");
        const age = ageText === "" ? null : Number(ageText);
        if (age !== null && !(Number.isInteger(age) && age >= 0 && age <= 120)) missing.push("年龄（0至120的整数）");
        if (missing.length) return { missing };
        const person = { role: "victim", name: victim, is_minor: field("minor").checked || (age !== null && age < 18) };
        if (age !== null) person.age = age;
        const people = [person];
        if (respondent) people.push({ role: "respondent", name: respondent });
        const body = { grid_id: Number(gridID), kind, source, summary, urgency: picked(container, `${prefix}-urgency`) || "normal", people };
        if (householdID) body.household_id = householdID;
        return { body, kind };
      },
    };
  }

  /// What the outbox shows of a lead, in the clear: a sealed kind is not named.
  const leadTitle = (kind, gridName) => `线索 · ${kindOf(kind).sealed ? "保密" : labelOf(WORDS.kinds, kind)} · ${gridName}`;

  const newKey = () => (crypto.randomUUID ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join(""));

  let visitLead, quickLead;
  function setUpForms() {
    choices($("visit-mode"), "visit-mode", WORDS.modes, "in_person");
    const topics = $("visit-topics");
    for (const topic of WORDS.topics) {
      const fieldset = document.createElement("fieldset");
      fieldset.className = "choices topic";
      fieldset.dataset.topic = topic.value;
      const legend = document.createElement("legend");
      legend.textContent = topic.label;
      fieldset.appendChild(legend);
      choices(fieldset, "topic-" + topic.value, [{ value: "none", label: "已谈，无问题" }, { value: "found", label: "发现问题" },
                                                  { value: "skipped", label: "未谈" }], null);
      topics.appendChild(fieldset);
    }
    visitLead = leadFields(document.querySelector('#visit-lead .lead-fields'));
    quickLead = leadFields(document.querySelector('#lead-form .lead-fields'));
    topics.addEventListener("change", () => {
      const found = WORDS.topics.filter((t) => picked(topics, "topic-" + t.value) === "found");
      const wasHidden = $("visit-lead").hidden;
      $("visit-lead").hidden = found.length === 0;
      if (found.length && wasHidden) visitLead.setKind(WORDS.topicKinds[found[0].value]);
    });
    $("visit-form").addEventListener("submit", (event) => { event.preventDefault(); saveVisit(); });
    $("visit-cancel").addEventListener("click", () => { state.tab = "due"; render(); });
    $("lead-form").addEventListener("submit", (event) => { event.preventDefault(); saveLead(); });
    for (const button of document.querySelectorAll("[data-tab]")) {
      button.addEventListener("click", () => { state.tab = button.dataset.tab; notice(""); render(); });
    }
    $("sync-now").addEventListener("click", () => { state.failures = 0; sync(); });
    $("sign-out").addEventListener("click", signOut);
  }

  function openVisit(household) {
    state.household = household;
    state.tab = "visit";
    $("visit-household").textContent = household.sealed ? `${household.grid_name} · 保密户` : `${household.head_name}户 · ${household.address}`;
    $("visit-form").reset();
    const today = localToday();
    $("visit-date").value = today;
    $("visit-date").max = today;
    $("visit-date").min = today.slice(0, 8) + "01";
    $("visit-lead").hidden = true;
    visitLead.reset();
    $("visit-error").hidden = true;
    notice("");
    render().then(() => window.scrollTo(0, 0));
  }

  function showError(id, text) { $(id).textContent = text; $(id).hidden = !text; }

  /// Saves, or says why it could not (the key pair comes with the first sign-in online).
  async function saved(items, errorBox) {
    try {
      await save(items);
      return true;
    } catch (error) {
      showError(errorBox, "未能保存：请先在有信号时登录一次，再填写。");
      return false;
    }
  }

  async function saveVisit() {
    const h = state.household;
    const form = $("visit-form");
    const missing = [];
    const visitedOn = $("visit-date").value;
    if (!visitedOn) missing.push("走访日期");
    const topics = {};
    for (const topic of WORDS.topics) {
      const answer = picked(form, "topic-" + topic.value);
      if (!answer) missing.push(topic.label);
      topics[topic.value] = { asked: answer !== "skipped", found: answer === "found" };
    }
    let lead = null;
    if (!$("visit-lead").hidden) {
      lead = visitLead.read(h.grid_id, "visit", h.household_id);
      if (lead.missing) missing.push(...lead.missing);
    }
    if (missing.length) { showError("visit-error", "请填写：" + missing.join("、")); return; }
    const body = { visited_on: visitedOn, mode: picked(form, "visit-mode") || "in_person", topics };
    const notes = $("visit-notes").value.trim();
    if (notes) body.notes = notes;
    const me = state.me || (await getMeta("me"));
    const when = dayText(visitedOn);
    const visit = { key: newKey(), user: me.id, type: "visit", householdID: h.household_id, path: `/api/v1/households/${h.household_id}/visits`,
                    body, savedAt: Date.now(), title: `走访 · ${h.grid_name} · ${when}` };
    const items = [];
    if (lead) {
      items.push({ key: newKey(), user: me.id, type: "lead", path: "/api/v1/leads", body: lead.body, savedAt: Date.now(),
                   title: leadTitle(lead.kind, h.grid_name) });
      visit.dependsOnPrevious = true;
    }
    items.push(visit);
    if (!(await saved(items, "visit-error"))) return;
    state.tab = "due";
    notice(lead ? "走访和线索已保存在本机，正在发送。" : "走访已保存在本机，正在发送。");
    await render();
    window.scrollTo(0, 0);  // the status: what waits to be sent
    sync();
  }

  async function saveLead() {
    const gridID = $("lead-grid").value;
    const lead = quickLead.read(gridID, "grid_report", null);
    if (!gridID) (lead.missing = lead.missing || []).push("所在网格");
    if (lead.missing) { showError("lead-error", "请填写：" + lead.missing.join("、")); return; }
    showError("lead-error", "");
    const me = state.me || (await getMeta("me"));
    const grid = me.grids.find((g) => String(g.id) === String(gridID));
    if (!(await saved([{ key: newKey(), user: me.id, type: "lead", path: "/api/v1/leads", body: lead.body, savedAt: Date.now(),
                         title: leadTitle(lead.kind, grid ? grid.name : "") }], "lead-error"))) return;
    quickLead.reset();
    notice("线索已保存在本机，正在发送。");
    await render();
    window.scrollTo(0, 0);
    sync();
  }

  // --- start ------------------------------------------------------------------------------------------
  function registerWorker() {
    if (navigator.serviceWorker) navigator.serviceWorker.register("/field/sw.js", { scope: "/field" }).catch(() => { /* the page still works online */ });
  }

  async function start() {
    setUpForms();
    if (!(await expireIfDue())) state.me = await getMeta("me");
    await render();
    registerWorker();
    await sync();
    window.addEventListener("online", () => { state.failures = 0; sync(); });
    document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") sync(); });
    setInterval(async () => { if (!(await expireIfDue())) render(); }, 60000);
  }
  start();
})();
