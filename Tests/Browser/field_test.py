"""Browser tests of the grid worker's phone page (/field): offline first, exactly once, wiped on sign-out.

Loaded by console_test.py (same runner, same helpers). These tests start their own `huiyin serve` on the
seeded database, behind a small HTTP proxy of their own on 127.0.0.1, so that a test can stop and restart
the server, and cut a connection after the server has answered but before the page hears back. The
browser keeps its profile in a folder of the test's, so closing and reopening Chromium keeps IndexedDB
and the service worker as a phone's browser would.
"""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import console_test as support
from console_test import BIN, CLOCK_FILE, PASSWORD, PHONE_SIZE, WAIT, By, Options, Service, WebDriverWait, sql, url_path

from selenium import webdriver

# Beside the harness's own server log (.data/browser).
OUT_DIR = os.path.dirname(os.environ.get("BROWSER_RESULT") or os.path.join(support.ROOT, ".data", "browser", "result"))
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FaultyProxy:
    """Forwards every request to the server on `upstream_port`. `drop_after(path)` makes the next POST to
    that path reach the server, and then closes the page's connection without passing the answer on.
    With the server stopped, the page's connection is closed unanswered, as a dead network would."""

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.lock = threading.Lock()
        self.drop_after_path = None
        self.posts = []  # (path, status the server gave or None, dropped)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                try:
                    upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=30)
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    response = upstream.getresponse()
                    data = response.read()
                    upstream.close()
                except OSError:
                    if self.command == "POST":
                        with proxy.lock:
                            proxy.posts.append((self.path, None, True))
                    self.close_connection = True
                    return
                with proxy.lock:
                    drop = self.command == "POST" and proxy.drop_after_path == self.path
                    if drop:
                        proxy.drop_after_path = None
                    if self.command == "POST":
                        proxy.posts.append((self.path, response.status, drop))
                if drop:  # the server committed; the page never hears it
                    self.close_connection = True
                    try:
                        self.connection.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    return
                self.send_response_only(response.status, response.reason)
                for name, value in response.getheaders():
                    if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_HEAD = forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def drop_after(self, path):
        with self.lock:
            self.drop_after_path = path

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class FieldServer:
    """A `huiyin serve` of the test's own, on the seeded database, that can be stopped and started."""

    def __init__(self):
        self.port = free_port()
        self.process = None
        self.log = open(os.path.join(OUT_DIR, "field-serve.log"), "ab")

    def start(self):
        env = os.environ.copy()
        env.update(HUIYIN_HOST="127.0.0.1", HUIYIN_PORT=str(self.port), HUIYIN_SWEEP_INTERVAL="0", HUIYIN_CLOCK_FILE=CLOCK_FILE)
        self.process = subprocess.Popen([BIN, "serve"], env=env, stdout=self.log, stderr=self.log)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"huiyin serve exited ({self.process.returncode}); see field-serve.log")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/readyz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError("huiyin serve did not become ready within 30 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


IDB_CONTENTS = """
const done = arguments[arguments.length - 1];
(async () => {
  const names = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [];
  const caches_ = window.caches ? await caches.keys() : [];
  const workers = navigator.serviceWorker ? (await navigator.serviceWorker.getRegistrations()).length : 0;
  let outbox = [], meta = [];
  if (names.includes("huiyin-field")) {
    const db = await new Promise((ok, no) => { const r = indexedDB.open("huiyin-field"); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
    if (db.objectStoreNames.contains("outbox")) {
      const get = (store, op) => new Promise((ok) => { const r = db.transaction(store).objectStore(store)[op](); r.onsuccess = () => ok(r.result); });
      outbox = await get("outbox", "getAll");
      meta = await get("meta", "getAllKeys");
    }
    db.close();
  }
  // What a report leaves on the phone, as text (its encrypted bytes counted, not shown).
  outbox = outbox.map((r) => ({ seq: r.seq, title: r.title, fields: Object.keys(r).sort(), text: JSON.stringify(r),
                                bytes: r.sealed && r.sealed.data ? r.sealed.data.byteLength : 0 }));
  return { names, caches: caches_, workers, outbox, meta };
})().then(done, (e) => done({ error: String(e) }));
"""


class FieldTest(support.BrowserCase):
    """The grid worker's phone page, at 390 px, against a server of its own behind a faulty proxy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = FieldServer()
        cls.server.start()
        cls.proxy = FaultyProxy(cls.server.port)
        cls.url = f"http://127.0.0.1:{cls.proxy.port}"

    @classmethod
    def tearDownClass(cls):
        cls.proxy.stop()
        cls.server.stop()
        cls.server.log.close()

    def setUp(self):
        if self.server.process is None:
            self.server.start()
        self.profile = tempfile.mkdtemp(prefix="huiyin-field-profile-")
        self.addCleanup(shutil.rmtree, self.profile, True)
        self.driver = self.phone()
        self.addCleanup(lambda: self.driver.quit())

    def phone(self):
        """Chromium at phone size, in Shanghai's time, keeping its profile (IndexedDB, service worker) in self.profile."""
        options = Options()
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN", f"--user-data-dir={self.profile}",
                    f"--window-size={PHONE_SIZE[0]},{PHONE_SIZE[1]}"):
            options.add_argument(arg)
        options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
        driver = webdriver.Chrome(options=options, service=Service(executable_path="/usr/bin/chromedriver"))
        driver.set_page_load_timeout(30)
        driver.set_script_timeout(20)
        driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Asia/Shanghai"})
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": PHONE_SIZE[0], "height": PHONE_SIZE[1], "deviceScaleFactor": 2, "mobile": True})
        return driver

    def reopen_browser(self):
        """Quit Chromium and start it again on the same profile: a restart of the phone's browser."""
        self.driver.quit()
        self.driver = self.phone()

    def open(self, path):
        self.driver.get(self.url + path)

    def sign_in_to_field(self, username):
        self.open("/login?next=/field")
        self.type_into("#username", username)
        self.type_into("#password", PASSWORD)
        self.element("button[type=submit]").click()
        self.wait(lambda d: url_path(d) == "/field", "the field page after signing in")
        self.wait_field_ready()

    def wait_field_ready(self):
        self.wait(lambda d: d.find_element(By.ID, "tabs").is_displayed(), "the field page's tabs")

    def wait_worker(self):
        """The service worker controls the page (reloading once if it was installed after the page loaded)."""
        if not self.driver.execute_script("return !!navigator.serviceWorker.controller"):
            self.wait(lambda d: d.execute_async_script(
                "const done = arguments[0]; navigator.serviceWorker.ready.then(() => done(true), () => done(false));"),
                "the service worker to be ready")
            self.driver.refresh()
            self.wait_field_ready()
        self.wait(lambda d: d.execute_script("return !!navigator.serviceWorker.controller"), "the service worker to control the page")

    def tab(self, name):
        """Scrolls up to the tabs (as she would; the sticky header covers them mid-form) and opens one."""
        self.driver.execute_script("window.scrollTo(0, 0)")
        self.element(f"[data-tab={name}]").click()

    def waiting_count(self):
        return int(self.visible_text_of("#waiting").replace("待发送", "").replace("条", "").strip())

    def wait_waiting(self, count, what):
        self.wait(lambda d: self.waiting_count() == count, f"{count} reports waiting ({what})", timeout=40)

    def stored(self):
        return self.driver.execute_async_script(IDB_CONTENTS)

    def grid_worker(self, households=3):
        """A demo grid worker with at least `households` unsealed households still due this month."""
        rows = sql("""
            SELECT u.username, count(*) FROM users u JOIN staff_grids sg ON sg.user_id = u.id
            JOIN households h ON h.grid_id = sg.grid_id
            WHERE u.role = 'grid_worker' AND NOT h.sealed
              AND NOT EXISTS (SELECT 1 FROM visit_household_months m WHERE m.household_id = h.id
                              AND m.month = date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date)
              AND NOT EXISTS (SELECT 1 FROM household_visits hv WHERE hv.visited_by = u.id
                              AND hv.recorded_at > now() - interval '1 day')
            GROUP BY u.username HAVING count(*) >= :'n' ORDER BY u.username DESC LIMIT 1
            """, n=households)
        self.assertTrue(rows, f"no demo grid worker with {households} unsealed households due")
        return rows[0][0]

    def record_visit(self, index, found_violence=False):
        """Opens the index-th open household of the due list and records a visit; returns its household id."""
        buttons = self.wait(lambda d: [b for b in d.find_elements(By.CSS_SELECTOR, "#due-list .household-button")
                                       if b.is_enabled() and "保密户" not in b.text] or False, "open households in the due list")
        self.assertGreater(len(buttons), index, "too few open households in the due list")
        button = buttons[index]
        household = int(button.get_attribute("data-household"))
        button.click()
        self.wait(lambda d: d.find_element(By.ID, "visit-form").is_displayed(), "the visit form")
        for fieldset in self.elements("#visit-topics fieldset"):
            answer = "found" if found_violence and fieldset.get_attribute("data-topic") == "domestic_violence" else "none"
            fieldset.find_element(By.CSS_SELECTOR, f"input[value={answer}] + span").click()
        self.type_into("#visit-notes", f"走访记录 {index + 1}：家庭和睦，已宣传反家暴法。")
        return household

    # --- the tests ---

    def test_visits_and_a_lead_recorded_offline_survive_a_browser_restart_and_are_stored_once_in_order(self):
        username = self.grid_worker(3)
        user_id = sql("SELECT id FROM users WHERE username = :'u'", u=username)[0][0]
        last_visit, last_lead = sql("SELECT (SELECT coalesce(max(id), 0) FROM household_visits), (SELECT coalesce(max(id), 0) FROM leads)")[0]
        self.sign_in_to_field(username)
        self.wait_worker()
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#due-list .household-button"), "the due list")
        self.support_checks("70-field-due")
        self.assertIn("在线", self.visible_text_of("#net"))

        # Online: stored at once.
        first = self.record_visit(0)
        self.shot("71-field-visit-form")
        self.element("#visit-save").click()
        self.wait_waiting(0, "the first visit sent")
        self.wait(lambda d: "已送达" in d.find_element(By.ID, "sent-list").get_attribute("textContent"), "the sent list")
        self.assertEqual(sql("SELECT count(*) FROM household_visits WHERE household_id = :'h' AND visited_by = :'u' AND id > :'v'",
                             h=first, u=user_id, v=last_visit), [["1"]])

        # The server stops: two visits and a lead wait on the phone.
        self.server.stop()
        posts_before = len(self.proxy.posts)
        second = self.record_visit(0)
        self.element("#visit-save").click()
        self.wait_waiting(1, "the second visit saved offline")
        third = self.record_visit(0)
        self.element("#visit-save").click()
        self.wait_waiting(2, "the third visit saved offline")
        self.assertNotEqual(second, third)
        self.tab("lead")
        self.element("input[name=lead-kind][value=domestic_violence] + span").click()
        self.type_into("#lead-victim", "小芳")
        self.element("#lead-minor").click()
        notice = self.visible_text_of("[data-prefix=lead] [data-field=mandatory]", "the mandatory-report notice")
        self.assertIn("强制报告", notice)
        self.assertIn("110", notice)
        self.type_into("#lead-summary", "邻居反映孩子夜里常哭喊，身上有淤青，疑似遭受家庭暴力。")
        self.shot("72-field-lead-mandatory")
        self.element("#lead-save").click()
        self.wait_waiting(3, "the lead saved offline")
        self.wait(lambda d: "离线" in d.find_element(By.ID, "net").text, "the page to say it is offline")
        self.shot("73-field-offline-waiting")
        self.assertEqual(len(self.elements("#outbox li")), 3)
        # On the phone, each waits encrypted: no name, no summary, not even the sealed lead's kind in the clear.
        waiting = self.stored()["outbox"]
        self.assertEqual(len(waiting), 3)
        for record in waiting:
            self.assertNotIn("body", record["fields"])
            self.assertGreater(record["bytes"], 0)
            for secret in ("小芳", "淤青", "走访记录", "domestic_violence", "家庭暴力"):
                self.assertNotIn(secret, record["text"] + record["title"], f"{secret!r} in the clear on the phone")

        # Closed and reopened, with the server still down: the page opens from the cache, all three still there.
        self.reopen_browser()
        self.open("/field")
        self.wait_waiting(3, "after the browser restarted offline")
        titles = [li.text for li in self.elements("#outbox li")]
        self.assertTrue(titles[0].startswith("走访") and titles[1].startswith("走访") and titles[2].startswith("线索"), titles)

        # The server returns. The browser's restart ended the session cookie, so she signs in again; then they go.
        self.server.start()
        self.element("#sync-now").click()
        self.wait(lambda d: d.find_element(By.ID, "sign-in").is_displayed() or self.waiting_count() == 0,
                  "the sign-in prompt (or the reports sent, if the session cookie outlived the restart)", timeout=40)
        if self.element("#sign-in").is_displayed():
            self.assertIn("3 条记录等待发送", self.visible_text_of("#sign-in-text"))
            self.shot("74-field-sign-in-again")
            self.sign_in_to_field(username)
        self.wait_waiting(0, "everything sent once the server is back")

        visits = sql("""SELECT household_id, id FROM household_visits WHERE visited_by = :'u' AND id > :'v'
                        ORDER BY id""", u=user_id, v=last_visit)
        self.assertEqual([int(v[0]) for v in visits], [first, second, third], "each visit stored once, in the order saved")
        leads = sql("""SELECT id, kind, reported_at FROM leads WHERE reported_by = :'u' AND id > :'l'""", u=user_id, l=last_lead)
        self.assertEqual(len(leads), 1, f"the lead stored once: {leads}")
        # The server's clock is the test's fixed clock, so the order the server answered them in is the proxy's log.
        answered = [path for path, status, dropped in self.proxy.posts[posts_before:] if status == 201 and not dropped]
        self.assertEqual(answered, [f"/api/v1/households/{second}/visits", f"/api/v1/households/{third}/visits", "/api/v1/leads"],
                         "sent in the order saved, each once")
        tasks = sql("SELECT kind FROM lead_tasks WHERE lead_id = :'l' ORDER BY kind", l=leads[0][0])
        self.assertTrue(tasks, "the mandatory-report lead has its report tasks")
        self.tab("mine")
        self.wait(lambda d: "已生成强制报告任务" in d.find_element(By.ID, "sent-list").text, "the sent list noting the report tasks")
        self.shot("75-field-my-reports")
        self.assertEqual(self.stored()["outbox"], [], "a sent report leaves the phone")

    def test_a_send_cut_off_after_the_server_committed_is_retried_and_stored_once(self):
        username = self.grid_worker(1)
        user_id = sql("SELECT id FROM users WHERE username = :'u'", u=username)[0][0]
        self.sign_in_to_field(username)
        self.tab("lead")
        self.element("input[name=lead-kind][value=family_dispute] + span").click()
        summary = f"夫妻因赡养老人多次争吵 {time.time_ns()}"
        self.type_into("#lead-victim", "王某某")
        self.type_into("#lead-summary", summary)
        self.proxy.drop_after("/api/v1/leads")
        self.element("#lead-save").click()
        self.wait_waiting(0, "the lead sent on the retry", )
        posts = [p for p in self.proxy.posts if p[0] == "/api/v1/leads"]
        self.assertTrue(any(p[2] and p[1] == 201 for p in posts), f"the first send reached the server and was cut off: {posts}")
        self.assertEqual(sql("SELECT count(*) FROM leads WHERE reported_by = :'u' AND summary = :'s'", u=user_id, s=summary), [["1"]],
                         "stored once although sent twice")

    def test_signing_out_leaves_nothing_on_the_phone(self):
        username = self.grid_worker(1)
        self.sign_in_to_field(username)
        self.wait_worker()
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#due-list .household-button"), "the due list")
        # Installable on the home screen: Chromium finds nothing missing in the manifest, icon or worker.
        errors = self.driver.execute_cdp_cmd("Page.getInstallabilityErrors", {}).get("installabilityErrors", [])
        self.assertEqual(errors, [], "installability")
        before = self.stored()
        self.assertIn("huiyin-field", before["names"])
        self.assertTrue(before["caches"] and before["workers"], f"the page cached itself: {before}")
        self.assertIn("due", before["meta"])
        # Nothing sealed in what the page keeps: sealed households keep only that a visit is due.
        due = self.driver.execute_async_script("""
            const done = arguments[0];
            const r = indexedDB.open("huiyin-field");
            r.onsuccess = () => { const g = r.result.transaction("meta").objectStore("meta").get("due"); g.onsuccess = () => done(g.result); };""")
        for household in due["households"]:
            if household["sealed"]:
                self.assertEqual(set(household), {"household_id", "grid_id", "grid_name", "due_on", "sealed"})
        self.element("#sign-out").click()
        self.wait(lambda d: url_path(d) == "/login", "the login page after signing out")
        after = self.stored()
        self.assertNotIn("huiyin-field", after["names"], f"IndexedDB after signing out: {after}")
        self.assertEqual(after["caches"], [], "caches after signing out")
        self.assertEqual(after["workers"], 0, "service workers after signing out")
        self.open("/api/v1/me")
        self.assertIn("unauthorized", self.driver.page_source, "the session ended on the server too")

    def test_twelve_hours_after_signing_in_the_page_forgets_everything(self):
        username = self.grid_worker(1)
        self.sign_in_to_field(username)
        self.wait_worker()
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#due-list .household-button"), "the due list")
        before = self.stored()["meta"]
        self.assertTrue({"me", "due", "publicKey"} <= set(before), f"what the page kept before: {before}")
        # The session's end as the page stored it, moved into the past (as 12 hours later would find it).
        self.driver.execute_async_script("""
            const done = arguments[0];
            const r = indexedDB.open("huiyin-field");
            r.onsuccess = () => { const s = r.result.transaction("meta", "readwrite").objectStore("meta");
              const g = s.get("me"); g.onsuccess = () => { const me = g.result; me.expiresAt = Date.now() - 1000; s.put(me, "me").onsuccess = () => done(true); }; };""")
        self.server.stop()  # offline too: the wipe does not wait for the server
        self.driver.refresh()
        self.wait(lambda d: "超过12小时" in d.find_element(By.ID, "notice").text, "the page to say it wiped itself")
        after = self.stored()
        self.assertEqual(after["outbox"], [])
        self.assertNotIn("due", after["meta"])
        self.assertNotIn("me", after["meta"])
        self.assertNotIn("publicKey", after["meta"])
        self.server.start()

    def test_every_field_screen_passes_axe(self):
        username = self.grid_worker(1)
        self.sign_in_to_field(username)
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#due-list .household-button"), "the due list")
        problems = []
        check = support.AccessibilityTest.assert_accessible  # the console's own pass, on this page
        check(self, "/field 本月走访", problems)
        self.record_visit(0, found_violence=True)
        self.wait(lambda d: d.find_element(By.ID, "visit-lead").is_displayed(), "the lead raised from the visit")
        check(self, "/field 登记走访（发现问题）", problems)
        self.tab("lead")
        self.element("input[name=lead-kind][value=minor_sexual_assault] + span").click()
        self.visible_text_of("[data-prefix=lead] [data-field=mandatory]", "the mandatory-report notice")
        check(self, "/field 报告线索", problems)
        self.tab("mine")
        self.wait(lambda d: d.find_element(By.ID, "tab-mine").is_displayed(), "my reports")
        check(self, "/field 我的报告", problems)
        self.assertFalse(problems, "\n" + "\n".join(problems))

    def support_checks(self, name):
        """Chinese only, fits the phone, screenshot."""
        self.assert_fits_phone("/field")
        words = support.ENGLISH_WORD.findall(self.driver.execute_script(support.READABLE_TEXT))
        self.assertEqual([w for w in words if w not in support.ALLOWED_WORDS], [], "English words on the field page")
        self.shot(name)
