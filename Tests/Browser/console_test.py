"""Browser tests of the Huiyin console and the public petition pages: headless Chromium, selenium 4.

ops/browser-test.sh runs this against a freshly seeded database and a running `huiyin serve`, with:
  HUIYIN_URL          the server, e.g. http://127.0.0.1:41234
  HUIYIN_BIN          the huiyin binary (the tests run `huiyin sweep`)
  HUIYIN_CLOCK_FILE   the injected clock of that server and of `huiyin sweep` (an ISO-8601 UTC time)
  HUIYIN_DB_*         the database, for `huiyin sweep`
  PSQL                a psql command line for the same database (the tests append their arguments)
  SCREENSHOTS         folder for NN-name.png (and fail-*.png/.html of a failed test)
  BROWSER_RESULT      file for the closing `browser: N passed, M failed` line (else standard output)
Arguments are unittest's, e.g. `-k sealed`.

Every wait is explicit (WebDriverWait, 10 s) and every test asserts on what the page shows, by the
page contract the console templates promise (ids and classes named in each test).
"""

import base64
import json
import os
import random
import re
import shlex
import subprocess
import sys
import unittest
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone

# Selenium Manager must never download a driver (CI reaches only Debian's mirror and PyPI), nor
# report usage; with an explicit driver path it is not started anyway.
os.environ.setdefault("SE_OFFLINE", "true")
os.environ.setdefault("SE_AVOID_STATS", "true")

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import (  # noqa: E402
    NoAlertPresentException, NoSuchElementException, StaleElementReferenceException, TimeoutException, WebDriverException)
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
URL = os.environ.get("HUIYIN_URL", "http://127.0.0.1:8080").rstrip("/")
BIN = os.environ.get("HUIYIN_BIN", "")
CLOCK_FILE = os.environ.get("HUIYIN_CLOCK_FILE", "")
SCREENSHOTS = os.environ.get("SCREENSHOTS") or os.path.join(ROOT, ".data", "screenshots")
PSQL = shlex.split(os.environ.get("PSQL") or shlex.quote(os.path.join(ROOT, "ops", "pg.sh")) + " psql -d huiyin_browser")

PASSWORD = "huiyin-demo-2026"  # every demo account's console password (demo data only)
WAIT = 10  # seconds, for every explicit wait
PHONE_SIZE = (390, 844)

TRACKING_NO = re.compile(r"HY\d{8}-\d+")
QUERY_CODE = re.compile(r"[2-9A-HJKMNP-Z]{4}-?[2-9A-HJKMNP-Z]{4}")  # ABCD-EFGH, without look-alikes
ENGLISH_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]{4,}(?![A-Za-z])")
# Labels printed on the keys and file formats: a cadre reads them off her keyboard or her scanner, she does not guess.
ALLOWED_WORDS = {"PDF", "JPEG", "CSV", "Excel", "Ctrl", "Enter"}
ANSWER = "#track-status, #status, .error, [role=alert]"  # where /track may answer in place


# --- outside the browser: SQL, the injected clock, the sweep ---------------------------------------

def sql(query, **params):
    """Rows of a query (lists of strings). Parameters become psql variables: write :'name' in the
    query (psql quotes them; they are only interpolated in a script read from standard input)."""
    args = PSQL + ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-F", "\x1f", "-R", "\x1e"]
    for name, value in params.items():
        args += ["-v", f"{name}={value}"]
    done = subprocess.run(args, input=query, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise AssertionError(f"psql failed ({done.returncode}): {done.stderr.strip()}\nquery: {query}")
    out = done.stdout[:-1] if done.stdout.endswith("\n") else done.stdout
    return [row.split("\x1f") for row in out.split("\x1e")] if out else []


def iso(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def set_clock(text):
    """Write the injected clock atomically: the server reads the file on every "now", and a
    half-written time would read as the real clock."""
    if not CLOCK_FILE:
        raise AssertionError("HUIYIN_CLOCK_FILE is not set: the server's clock cannot be moved")
    tmp = CLOCK_FILE + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    os.replace(tmp, CLOCK_FILE)


def real_clock():
    set_clock(iso(datetime.now(timezone.utc)))


def huiyin(*args):
    """Runs the huiyin binary on the test's database and clock; answers what it printed."""
    if not BIN:
        raise AssertionError("HUIYIN_BIN is not set: cannot run huiyin")
    done = subprocess.run([BIN, *args], env=os.environ.copy(), capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise AssertionError(f"huiyin {args[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return done.stdout


def run_sweep():
    if not BIN:
        raise AssertionError("HUIYIN_BIN is not set: cannot run `huiyin sweep`")
    done = subprocess.run([BIN, "sweep"], env=os.environ.copy(), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise AssertionError(f"huiyin sweep failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


# --- the browser ------------------------------------------------------------------------------------

def new_driver():
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,768", "--lang=zh-CN"):
        options.add_argument(arg)
    # --lang alone does not always reach Accept-Language in headless mode.
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path="/usr/bin/chromedriver"))
    driver.set_page_load_timeout(30)
    return driver


def url_path(driver):
    return urllib.parse.urlparse(driver.current_url).path


# Does web storage hold a value containing arguments[0]? (Where a draft would be saved.)
STORAGE_HOLDS = """
var needle = arguments[0];
function holds(store) {
  try {
    for (var i = 0; i < store.length; i++) {
      var v = store.getItem(store.key(i));
      if (v && v.indexOf(needle) >= 0) return true;
    }
  } catch (e) {}
  return false;
}
return holds(window.localStorage) || holds(window.sessionStorage);
"""

# All the text a reader meets on the page: the title, the rendered text, and what sits in
# attributes (placeholders, tooltips, labels for screen readers, button values, every option).
READABLE_TEXT = """
var parts = [document.title, document.body ? document.body.innerText : ''];
document.querySelectorAll('[placeholder], [title], [aria-label], img[alt]').forEach(function (e) {
  ['placeholder', 'title', 'aria-label', 'alt'].forEach(function (a) {
    if (e.hasAttribute(a)) parts.push(e.getAttribute(a));
  });
});
document.querySelectorAll('input[type=submit], input[type=button]').forEach(function (e) { parts.push(e.value); });
document.querySelectorAll('option').forEach(function (o) { parts.push(o.text); });
return parts.join('\\n');
"""


class BrowserCase(unittest.TestCase):
    """A fresh headless Chromium per test, and the helpers the tests share."""
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        os.makedirs(SCREENSHOTS, exist_ok=True)

    def setUp(self):
        self.driver = new_driver()
        self.addCleanup(self.driver.quit)  # cleanups run after tearDown, which may still need the page

    def failed(self):
        """Has this test failed so far? (From Python 3.11 a failure reaches the result at once.)"""
        result = getattr(getattr(self, "_outcome", None), "result", None)
        return result is not None and any(test is self for test, _ in result.failures + result.errors)

    def tearDown(self):
        # A failed test leaves its last page behind, as a picture and as HTML.
        if self.failed():
            base = os.path.join(SCREENSHOTS, "fail-" + self._testMethodName)
            try:
                self.driver.save_screenshot(base + ".png")
                with open(base + ".html", "w", encoding="utf-8") as f:
                    f.write(f"<!-- {self.driver.current_url} -->\n" + self.driver.page_source)
            except Exception as e:  # the browser may be what failed
                print(f"(no failure screenshot: {e})", file=sys.stderr)

    # --- helpers ---

    def open(self, path):
        self.driver.get(URL + path)

    def text(self):
        return self.driver.execute_script("return document.body ? document.body.innerText : '';") or ""

    def wait(self, condition, what, timeout=WAIT):
        """condition(driver) until truthy (a missing or replaced element counts as not yet); a timeout fails the test
        saying what was awaited, where, and what the page showed instead."""
        try:
            return WebDriverWait(self.driver, timeout,
                                 ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(condition)
        except TimeoutException:
            pass  # fail outside the handler: the timeout's own traceback says nothing more
        self.fail(f"waited {timeout} s for {what}; {self.driver.current_url} shows: {self.text()[:600]!r}")

    def assert_not_on_page(self, secrets, where):
        """None of secrets anywhere in the page's HTML (a comment or hidden field counts)."""
        source = self.driver.page_source
        for secret in secrets:
            at = source.find(secret)
            if at >= 0:
                self.fail(f"{where} leaks {secret!r}: …{source[max(0, at - 120):at + len(secret) + 40]}…")

    def element(self, css, what=None):
        return self.wait(lambda d: d.find_element(By.CSS_SELECTOR, css), what or css)

    def visible_text_of(self, css, what=None):
        """The stripped text of the first visible element matching css, once it has any."""
        def ready(d):
            for e in d.find_elements(By.CSS_SELECTOR, css):
                if e.is_displayed() and e.text.strip():
                    return e.text.strip()
            return False
        return self.wait(ready, what or f"text in {css}")

    def elements(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def assert_none(self, css, message):
        count = len(self.elements(css))
        if count:
            self.fail(f"{message} ({count} × {css})")

    def value(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css).get_attribute("value") or ""

    def shot(self, name):
        path = os.path.join(SCREENSHOTS, name + ".png")
        self.assertTrue(self.driver.save_screenshot(path), f"could not save {path}")

    def type_into(self, css, text):
        field = self.element(css)
        field.clear()
        field.send_keys(text)
        return field

    def choose(self, css, value):
        select = Select(self.element(css))
        values = [o.get_attribute("value") for o in select.options]
        self.assertIn(value, values, f"{css} has no option {value!r}")
        select.select_by_value(value)

    def login(self, username, screenshot=None):
        """Sign in through /login with a clean cookie jar, and wait for a console page."""
        self.driver.delete_all_cookies()
        self.open("/login")
        self.type_into("#username", username)
        self.type_into("#password", PASSWORD)
        if screenshot:
            self.shot(screenshot)
        self.element("button[type=submit]").click()
        self.wait(lambda d: url_path(d) != "/login" and d.find_elements(By.CSS_SELECTOR, "button#logout"),
                  f"{username} to be signed in (a console page with button#logout)")

    def logout(self):
        self.element("button#logout").click()
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#username"), "the login page after button#logout")

    def post_incident(self):
        """A police incident (家暴警情) at 龙泉镇's 双泉村, posted by the township's handler hd.mao through the
        API with her session (she must be signed in); answers its id and number."""
        number = f"JQ{random.randint(10**9, 10**10 - 1)}"
        answer = self.driver.execute_async_script("""
            var done = arguments[arguments.length - 1];
            fetch('/api/v1/police-incidents', {method: 'POST', credentials: 'same-origin',
                headers: {'Content-Type': 'application/json',
                          'X-CSRF-Token': document.querySelector('meta[name=csrf]').content},
                body: JSON.stringify(arguments[0])})
              .then(function (r) { return r.text().then(function (t) { done([r.status, t]); }); })
              .catch(function (e) { done([0, String(e)]); });
            """, {"incident_no": number, "occurred_at": "2025-12-01 21:40", "station": "龙泉派出所",
                  "address": "湖北省宜昌市夷陵区龙泉镇双泉村3组12号", "victim_name": "向春梅", "victim_phone": "13907171234",
                  "respondent_name": "周大兵", "handling": "口头警告，出具告诫书", "warning_letter": True})
        self.assertIn(answer[0], (200, 201), f"POST /api/v1/police-incidents answered {answer}")
        return json.loads(answer[1])["incident"]["id"], number

    def english_words(self, user):
        text = (self.driver.execute_script(READABLE_TEXT) or "").replace(user, "")
        text = QUERY_CODE.sub("", TRACKING_NO.sub("", text))   # a tracking number or query code is not a word
        return sorted({w for w in ENGLISH_WORD.findall(text) if w not in ALLOWED_WORDS})

    def at_phone_size(self):
        width, height = PHONE_SIZE
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True})

    def assert_fits_phone(self, page):
        """At phone width the page lays out for the phone (a viewport meta tag) and needs no
        sideways scrolling."""
        inner, scroll = self.driver.execute_script(
            "return [window.innerWidth, document.documentElement.scrollWidth];")
        self.assertLessEqual(inner, PHONE_SIZE[0], f"{page}: laid out {inner} px wide on a {PHONE_SIZE[0]} px phone"
                             " (no <meta name=viewport content='width=device-width'>?)")
        self.assertLessEqual(scroll, inner + 1, f"{page}: {scroll} px of content on a {inner} px screen scrolls sideways")



class ConsoleTest(BrowserCase):
    # --- the tests ---

    def test_operator_logs_a_returning_callers_call_which_reaches_handler_inbox_then_supervisor_overdue_list(self):
        rows = sql("""
            SELECT p.phone, c.id FROM petitioners p
              JOIN cases c ON c.petitioner_id = p.id JOIN units u ON u.id = c.unit_id
             WHERE u.code = 'hb-yc-xl' AND p.phone IS NOT NULL AND NOT c.sealed
             ORDER BY c.id LIMIT 1""")
        self.assertTrue(rows, "the demo seed has no unsealed 西陵区 case of a caller with a phone number")
        phone, earlier_case = rows[0]
        summary = f"来电反映丈夫长期不给家用，询问离婚时共同财产如何分割（浏览器测试 {random.randint(1000, 9999)}）"

        # The city hotline operator takes the call.
        self.login("op.wang", screenshot="01-login")
        self.open("/call")
        phone_field = self.element("#phone", "the call screen (#phone)")
        self.assertTrue(self.element("#new-case").is_selected(), "#new-case is not checked by default")
        for key in phone:  # as an operator types it, one key at a time
            phone_field.send_keys(key)
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#callers .case"),
                  f"the caller's earlier cases (#callers .case) for {phone}")
        self.assertTrue(self.elements(f'#callers .caller input[name="attach"][value="{earlier_case}"]'),
                        f"#callers offers no input[name=attach] for her earlier case {earlier_case}")
        self.assertTrue(self.element("#new-case").is_selected(), "looking the caller up unchecked #new-case")

        # The county itself: of the options naming 西陵区 (its townships may too), the shortest.
        xiling = self.wait(lambda d: [o for o in Select(d.find_element(By.CSS_SELECTOR, "#unit")).options
                                      if "西陵区" in o.text], "a #unit option naming 西陵区")
        Select(self.element("#unit")).select_by_value(min(xiling, key=lambda o: len(o.text.strip())).get_attribute("value"))
        self.choose("#category", "marriage_family")
        self.element("#summary").send_keys(summary)
        self.shot("02-call-screen")
        # The page times itself: from the Ctrl+Enter keydown to the number field empty and focused again.
        self.driver.execute_script("""
            window.__readyIn = null;
            document.addEventListener("keydown", function timer(e) {
              if (!(e.key === "Enter" && e.ctrlKey)) return;  // the Control key's own keydown comes first
              document.removeEventListener("keydown", timer, true);
              const start = performance.now();
              const poll = () => { const a = document.activeElement;
                if (a && a.id === "phone" && a.value === "" && !document.getElementById("receipt").hidden) window.__readyIn = performance.now() - start;
                else setTimeout(poll, 5); };
              poll();
            }, true);""")
        ActionChains(self.driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()

        receipt = self.visible_text_of("#receipt .tracking-no", "#receipt .tracking-no after Ctrl+Enter in #summary")
        ready_ms = self.wait(lambda d: d.execute_script("return window.__readyIn;"), "the page's own ready timing")
        print(f"call screen ready for the next call {ready_ms:.0f} ms after Ctrl+Enter", file=sys.stderr)
        self.assertLess(ready_ms, 1000, "the call screen must be ready for the next call within a second")
        found = TRACKING_NO.search(receipt)
        self.assertTrue(found, f"#receipt .tracking-no shows {receipt!r}, not a tracking number HY…")
        tracking_no = found.group(0)
        self.assertTrue(self.visible_text_of("#receipt .query-code"), "#receipt has no .query-code")
        self.shot("03-call-logged")
        # Ready for the next call: the form is empty, the cursor in #phone, the last caller gone.
        self.wait(lambda d: d.execute_script(
            "var e = document.activeElement; return !!e && e.id === 'phone' && e.value === '';"),
            "#phone to be empty and focused again for the next call")
        self.assertEqual(self.value("#summary"), "", "#summary still holds the last call's summary")
        self.assert_none("#callers .case", "#callers still lists the last caller's cases")

        rows = sql("""
            SELECT c.id, u.code, c.category, c.summary, coalesce(p.phone, '')
              FROM cases c JOIN units u ON u.id = c.unit_id LEFT JOIN petitioners p ON p.id = c.petitioner_id
             WHERE c.tracking_no = :'tn'""", tn=tracking_no)
        self.assertTrue(rows, f"the receipt's {tracking_no} is not in the database")
        case_id, unit_code, category, stored_summary, stored_phone = rows[0]
        self.assertEqual((unit_code, category, stored_summary, stored_phone),
                         ("hb-yc-xl", "marriage_family", summary, phone), "the case stored is not the call logged")

        # 西陵区's handler finds it in her inbox and opens it.
        self.logout()
        self.open("/call")
        self.assert_none("button#logout", "after button#logout, /call still shows a signed-in page")
        self.login("hd.yang")
        self.open("/inbox")
        self.element("table#inbox", "hd.yang's inbox (table#inbox)")
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, f'table#inbox tr[data-tracking-no="{tracking_no}"]'),
                  f"the new case {tracking_no} in hd.yang's inbox")
        self.shot("04-handler-inbox")
        self.open(f"/cases/{case_id}")
        self.wait(lambda d: summary in self.text(), f"the case page /cases/{case_id} to show the summary")
        self.assertIn(tracking_no, self.text(), "the case page does not show its tracking number")
        self.shot("09-case-page")
        self.logout()

        # Twenty days on (later still if a long holiday pushed the acceptance due day), a sweep, and
        # 西陵区's supervisor sees the case overdue.
        rows = sql("""
            SELECT to_char(greatest(:'now'::timestamptz + interval '20 days', min(due_at) + interval '1 day')
                           AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), count(*)
              FROM clocks WHERE case_id = :'id' AND state = 'running'""",
                   now=iso(datetime.now(timezone.utc)), id=case_id)
        later, running = rows[0]
        self.assertGreater(int(running), 0, f"intake started no running clock for {tracking_no}")
        self.addCleanup(real_clock)
        set_clock(later)
        run_sweep()
        level = sql("SELECT max(supervision_level) FROM clocks WHERE case_id = :'id'", id=case_id)[0][0]
        self.assertGreaterEqual(int(level or 0), 2, f"`huiyin sweep` at {later} sent no reminder for {tracking_no}"
                                " (does sweep read HUIYIN_CLOCK_FILE?)")
        # The handler's home page carries the reminder (催办) for it; she marks it read.
        self.login("hd.yang")
        row = self.wait(lambda d: next((r for r in d.find_elements(By.CSS_SELECTOR, "#notifications tr")
                                        if tracking_no in r.text and "催办" in r.text), None),
                        f"a 催办 for {tracking_no} on hd.yang's home page")
        row.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait(lambda d: not any(tracking_no in r.text and "催办" in r.text
                                    for r in d.find_elements(By.CSS_SELECTOR, "#notifications tr")),
                  "the 催办 gone once read")
        self.logout()
        self.login("sup.tan")
        self.open("/dashboard")
        self.element("table#overdue", "sup.tan's dashboard (table#overdue)")
        overdue = sql("""
            SELECT count(*) FROM clocks k JOIN units u ON u.id = k.unit_id
             WHERE k.state = 'running' AND k.due_at < :'later'::timestamptz
               AND (SELECT id FROM units WHERE code = 'hb-yc-xl') = ANY (u.path)""", later=later)[0][0]
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, f'table#overdue tr[data-tracking-no="{tracking_no}"]'),
                  f"{tracking_no} in #overdue at {later} ({overdue} running clocks are overdue in 西陵区 then; "
                  "it is the newest of them)")
        for chart in ("svg#on-time-chart", "svg#trend-chart"):
            svg = self.element(chart, f"{chart} on the dashboard")
            self.assertTrue(svg.find_elements(By.CSS_SELECTOR, "*"), f"{chart} draws nothing")
        self.shot("05-supervisor-dashboard")

    def test_draft_survives_reload(self):
        phone = "139" + "".join(random.choice("0123456789") for _ in range(8))
        summary = "来电咨询抚养费如何计算，电话中断（草稿测试）"
        self.login("op.wang")
        self.open("/call")
        self.element("#phone").send_keys(phone)
        self.element("#victim-minor").click()   # a checkbox comes back too (restored by its saved state)
        self.element("#summary").send_keys(summary)
        # Give a debounced save its moment: wait (up to 3 s, not an assertion) until web storage holds
        # the draft. A draft kept elsewhere is judged by the reload alone.
        try:
            WebDriverWait(self.driver, 3).until(lambda d: d.execute_script(STORAGE_HOLDS, summary))
        except TimeoutException:
            pass
        self.driver.refresh()
        self.wait(lambda d: re.sub(r"\D", "", self.value("#phone")) == phone and self.value("#summary") == summary,
                  f"the draft (#phone {phone}, #summary) back after a reload")
        self.assertTrue(self.element("#victim-minor").is_selected(), "#victim-minor ticked again after a reload")

        self.element("#clear-draft").click()
        try:  # a confirmation dialog, if the page asks
            self.driver.switch_to.alert.accept()
        except NoAlertPresentException:
            pass
        self.wait(lambda d: self.value("#phone") == "" and self.value("#summary") == "",
                  "#phone and #summary empty after #clear-draft")
        self.driver.refresh()
        self.element("#phone")
        self.assertEqual((self.value("#phone"), self.value("#summary")), ("", ""),
                         "the cleared draft came back after a reload")
        self.assertFalse(self.element("#victim-minor").is_selected(), "#victim-minor ticked after the draft was cleared")

    def test_public_petition_and_tracking(self):
        phone = "139" + "".join(random.choice("0123456789") for _ in range(8))
        summary = "本人婚后长期遭受冷暴力，想咨询如何保障自己和孩子的权益（网上来信测试）"
        self.at_phone_size()

        self.driver.delete_all_cookies()  # no login: the public page
        self.open("/petition")
        self.type_into("#name", "林晓燕")
        self.type_into("#phone", phone)
        self.choose("#category", "other")
        self.type_into("#summary", summary)
        self.assert_fits_phone("/petition")
        self.element("#submit").click()
        shown = self.visible_text_of(".tracking-no", "the tracking number (.tracking-no) after #submit")
        found = TRACKING_NO.search(shown)
        self.assertTrue(found, f".tracking-no shows {shown!r}, not a tracking number HY…")
        tracking_no = found.group(0)
        shown = self.visible_text_of(".query-code", "the query code (.query-code) after #submit")
        found = QUERY_CODE.search(shown)
        code = found.group(0) if found else shown
        self.assert_fits_phone("the petition's result page")
        self.shot("06-public-petition")

        rows = sql("""
            SELECT c.category, c.summary, coalesce(p.phone, '') FROM cases c
              LEFT JOIN petitioners p ON p.id = c.petitioner_id WHERE c.tracking_no = :'tn'""", tn=tracking_no)
        self.assertEqual(rows, [["other", summary, phone]], f"{tracking_no} is not stored as petitioned")

        # A wrong code shows nothing of the case (one of the five failures the throttle allows).
        self.open("/track")
        self.type_into("#tracking-no", tracking_no)
        self.type_into("#code", "2222-2222")
        self.driver.execute_script("window.huiyinBeforeSubmit = true;")  # gone once a new page loads
        self.element("#submit").click()

        def answered(d):
            try:
                if d.execute_script("return !window.huiyinBeforeSubmit && document.readyState === 'complete';"):
                    return True
                return any(e.is_displayed() and e.text.strip() for e in d.find_elements(By.CSS_SELECTOR, ANSWER))
            except WebDriverException:  # mid-navigation
                return False
        self.wait(answered, "an answer to a wrong query code (a new page, or text in #track-status or #status)")
        self.assertNotIn("已登记", self.text(), "/track shows the status for a wrong query code")

        self.open("/track")
        self.type_into("#tracking-no", tracking_no)
        self.type_into("#code", code)
        self.element("#submit").click()
        self.wait(lambda d: "已登记" in (d.find_element(By.CSS_SELECTOR, "#track-status").text or ""),
                  "#track-status to show 已登记")
        self.assert_fits_phone("/track")
        self.shot("07-public-track")

    def test_sealed_case_is_masked_for_another_units_cadre(self):
        rows = sql("""
            SELECT c.id, c.tracking_no, c.summary, coalesce(p.phone, '')
              FROM cases c JOIN units u ON u.id = c.unit_id LEFT JOIN petitioners p ON p.id = c.petitioner_id
             WHERE c.sealed AND u.code = 'hb-yc-xl' ORDER BY c.id LIMIT 1""")
        self.assertTrue(rows, "the demo seed has no sealed case in 西陵区")
        case_id, tracking_no, summary, phone = rows[0]
        secrets = [summary] + ([phone, f"{phone[:3]}****{phone[-4:]}"] if phone else [])

        # The city operator is above 西陵区 but outside the case's circle: a masked row, a sealed page.
        self.login("op.wang")
        self.open("/cases?q=" + urllib.parse.quote(tracking_no))
        self.element("table#cases", "the case list (table#cases)")
        row = self.wait(lambda d: d.find_element(By.CSS_SELECTOR, f'table#cases tr.masked[data-tracking-no="{tracking_no}"]'),
                        f"a masked row (tr.masked) for the sealed case {tracking_no}")
        self.assertIn("密封", row.text, f"the masked row does not say 密封: {row.text!r}")
        self.assert_not_on_page(secrets, "op.wang's case list")
        links = [a.get_attribute("href") for a in row.find_elements(By.CSS_SELECTOR, "a[href]")]
        self.assertIn(f"/cases/{case_id}", [urllib.parse.urlparse(h).path for h in links],
                      f"the masked row does not link to /cases/{case_id}: {links}")
        row.find_element(By.CSS_SELECTOR, f'a[href$="/cases/{case_id}"]').click()
        seal = self.element("#seal", "the seal (#seal) on the sealed case's page")
        self.assertTrue(seal.is_displayed(), "#seal is on the page but hidden")
        self.assert_not_on_page(secrets, "the sealed case's page for op.wang")
        self.shot("08-sealed-masked")

        # 当阳市's handler sits in a neighbouring county: the case does not exist for her. Her own
        # county's case first, so an empty answer means scope, not a broken search.
        own = sql("""
            SELECT c.tracking_no FROM cases c JOIN units u ON u.id = c.unit_id
             WHERE u.code = 'hb-yc-dy' AND NOT c.sealed ORDER BY c.id LIMIT 1""")
        self.assertTrue(own, "the demo seed has no unsealed case in 当阳市")
        self.login("hd.du")
        self.open("/cases?q=" + urllib.parse.quote(own[0][0]))
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, f'table#cases tr[data-tracking-no="{own[0][0]}"]'),
                  f"hd.du's search to find her own county's case {own[0][0]}")
        self.open("/cases?q=" + urllib.parse.quote(tracking_no))
        self.element("button#logout", "hd.du's case list")
        self.assert_none(f'tr[data-tracking-no="{tracking_no}"]', f"hd.du (当阳市) sees 西陵区's case {tracking_no}")
        self.assert_not_on_page(secrets, "hd.du's search")

    def test_reception_window_queue_collective_visit_and_scanned_letter(self):
        self.login("rec.ma")  # reception cadre of 当阳市
        self.open("/reception")
        self.element("#issue-ticket").click()
        number = self.visible_text_of(".ticket", "the new queue number")
        self.assertTrue(number.isdigit(), f"queue number {number!r}")
        # A collective visit: six women about unpaid wages.
        summary = "六名女工集体来访反映被拖欠工资（浏览器测试 %d）" % random.randint(1000, 9999)
        self.element("#phone").send_keys("139" + "".join(random.choice("0123456789") for _ in range(8)))
        visitors = self.element("#visitors")
        visitors.clear()
        visitors.send_keys("6")
        self.choose("#category", "labor_social_security")
        self.element("#summary").send_keys(summary)
        self.element("#visit-form #submit").click()
        visit_no = self.visible_text_of("#receipt .tracking-no", "the visit's tracking number")
        rows = sql("SELECT k.visitors FROM contacts k JOIN cases c ON c.id = k.case_id WHERE c.tracking_no = :'no'", no=visit_no)
        self.assertEqual(rows, [["6"]], "the visit is stored with its head count")
        self.shot("10-reception-window")
        # A letter received three days ago, with its scan.
        scan = os.path.join(SCREENSHOTS, "letter-scan.pdf")
        with open(scan, "wb") as f:
            f.write(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
        received = (datetime.now(timezone.utc) + timedelta(hours=8) - timedelta(days=3)).strftime("%Y-%m-%d")
        self.driver.execute_script("document.getElementById('received-on').value = arguments[0];", received)
        self.element("#sender").send_keys("李小雨")
        self.element("#letter-summary").send_keys("女儿代母亲来信，反映父亲长期不支付抚养费")
        self.element("#scan").send_keys(scan)
        self.element("#letter-submit").click()
        letter_no = self.visible_text_of("#letter-receipt .tracking-no", "the letter's tracking number")
        status = self.visible_text_of("#letter-status", "the letter form's status line")
        self.assertIn("扫描件已保存", status)
        rows = sql("""SELECT c.received_on::text, count(a.id) FROM cases c LEFT JOIN attachments a ON a.case_id = c.id
                      WHERE c.tracking_no = :'no' GROUP BY c.received_on""", no=letter_no)
        self.assertEqual(rows, [[received, "1"]], "the letter counts from its received date and keeps its scan")

    def test_handler_accepts_on_the_case_page_and_prints_the_notice(self):
        rows = sql("""SELECT c.id, c.tracking_no FROM cases c JOIN units u ON u.id = c.unit_id
                      WHERE u.code = 'hb-yc-xl' AND c.status = 'registered' AND NOT c.sealed ORDER BY c.id DESC LIMIT 1""")
        self.assertTrue(rows, "a registered, unsealed case in 西陵区")
        case_id, tracking_no = rows[0]
        self.login("hd.yang")
        self.open(f"/cases/{case_id}")
        self.wait(lambda d: tracking_no in self.text(), f"the case page of {tracking_no}")
        accept = self.wait(lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "details.action summary")
                                           if e.text.strip() == "受理"), None), "the 受理 action")
        accept.click()
        form = accept.find_element(By.XPATH, "./following-sibling::form")
        form.find_element(By.NAME, "text").send_keys("属于妇联信访受理范围")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait(lambda d: "已完成：受理" in self.text(), "the confirmation of 受理")
        self.assertIn("已受理", self.text())
        self.shot("11-case-accepted")
        link = self.wait(lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "a") if "受理告知书" in e.text), None),
                         "a link to the 受理告知书")
        link.click()
        number = sql("SELECT number FROM documents WHERE case_id = :'id' AND kind = 'acceptance_notice'", id=case_id)[0][0]
        self.wait(lambda d: number in self.text() and tracking_no in self.text(), f"the printable notice {number}")
        self.shot("12-acceptance-notice")

    def test_domestic_violence_checklist_is_graded_as_the_operator_answers(self):
        self.login("op.wang")
        self.open("/call")
        self.element("#phone").send_keys("139" + "".join(random.choice("0123456789") for _ in range(8)))
        checklist = self.element("#dv-checklist")
        self.assertFalse(checklist.is_displayed(), "the checklist shows only for domestic violence")
        self.choose("#category", "domestic_violence")
        self.wait(lambda d: checklist.is_displayed(), "#dv-checklist after choosing 家庭暴力")
        self.wait(lambda d: "低风险" in self.element("#risk-grade").text, "低风险 with nothing ticked")
        self.element('input[name="risk"][value="strangulation"]').click()
        self.wait(lambda d: "高风险" in self.element("#risk-grade").text, "高风险 once strangulation is ticked")
        summary = "来电反映丈夫多次掐脖子威胁（浏览器测试 %d）" % random.randint(1000, 9999)
        self.element("#summary").send_keys(summary)
        self.shot("13-call-dv-checklist")
        ActionChains(self.driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
        tracking_no = self.visible_text_of("#receipt .tracking-no", "the receipt")
        self.assertIn("危险评估：高风险", self.visible_text_of("#status", "the status line"))
        rows = sql("""SELECT c.risk_grade, c.sealed, string_agg(t.kind, ',' ORDER BY t.kind)
                      FROM cases c LEFT JOIN case_tasks t ON t.case_id = c.id WHERE c.tracking_no = :'no'
                      GROUP BY c.risk_grade, c.sealed""", no=tracking_no)
        self.assertEqual(rows[0][:2], ["high", "t"], "graded high and sealed")
        self.assertTrue({"police_report", "direct_report", "follow_up"} <= set(rows[0][2].split(",")), rows[0][2])

    def test_a_refused_field_on_the_call_screen_is_named_in_chinese_from_the_servers_table(self):
        self.login("op.wang")
        self.open("/call")
        self.element("#phone").send_keys("139" + "".join(random.choice("0123456789") for _ in range(8)))
        self.element("#summary").send_keys("来电反映邻居家孩子常被打骂（浏览器测试 %d）" % random.randint(1000, 9999))
        self.type_into("#victim-age", "130")  # out of range: Ctrl+Enter sends it past the input's own check, the API refuses it
        ActionChains(self.driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
        # The answer, not the "正在提交……" shown while the request is under way.
        status = self.wait(lambda d: (lambda text: text if text and "正在提交" not in text else False)(
            d.find_element(By.CSS_SELECTOR, "#status").text.strip()), "the status line after a refused age")
        # The label comes from the page's JSON block (the server's table), not from a copy in the script.
        labels = json.loads(self.element("#field-labels").get_attribute("textContent"))
        self.assertEqual(labels.get("victim.age"), "当事人年龄")
        self.assertIn("请检查：" + labels["victim.age"], status)
        self.assertTrue(self.element("#receipt").get_attribute("hidden") is not None, "nothing was recorded")

    def test_a_sealed_case_opens_to_the_handler_who_takes_it(self):
        summary = "来电反映遭受家庭暴力，请求帮助（浏览器测试 %d）" % random.randint(1000, 9999)
        case_id, tracking_no = self.log_call("domestic_violence", summary, unit="西陵区")
        # The county's handler finds it in her inbox, sealed; she takes it, and it opens to her.
        self.login("hd.yang")
        self.open("/inbox")
        self.element(f'#inbox tr.masked[data-tracking-no="{tracking_no}"]')
        self.open(f"/cases/{case_id}")
        self.element("#seal")
        self.assert_not_on_page([summary], "the sealed case page before she takes it")
        take = self.wait(lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "details.action summary")
                                         if e.text.strip() == "由我承办"), None), "the 由我承办 action")
        take.click()
        take.find_element(By.XPATH, "./following-sibling::form").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait(lambda d: summary in self.text(), "the summary, once the case is hers")
        self.shot("14-sealed-case-taken")

    def log_call(self, category, summary, unit=None):
        """op.wang (city hotline) logs a new caller's call on the call screen, for `unit` (a name) or her own;
        signs out; returns the case's id and tracking number."""
        self.login("op.wang")
        self.open("/call")
        self.element("#phone").send_keys("139" + "".join(random.choice("0123456789") for _ in range(8)))
        if unit:
            option = min((o for o in Select(self.element("#unit")).options if unit in o.text), key=lambda o: len(o.text.strip()))
            Select(self.element("#unit")).select_by_value(option.get_attribute("value"))
        self.choose("#category", category)
        self.element("#summary").send_keys(summary)
        ActionChains(self.driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
        tracking_no = self.visible_text_of("#receipt .tracking-no", "the receipt")
        case_id = sql("SELECT id FROM cases WHERE tracking_no = :'no'", no=tracking_no)[0][0]
        self.logout()
        return case_id, tracking_no

    def act(self, label, fill=None):
        """Open the case page's action `label`, fill its form (name → value or select value) and confirm."""
        summary = self.wait(lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "details.action summary")
                                            if e.text.strip() == label), None), f"the {label} action")
        summary.click()
        form = summary.find_element(By.XPATH, "./following-sibling::form")
        for name, value in (fill or {}).items():
            field = form.find_element(By.NAME, name)
            if field.tag_name == "select":
                Select(field).select_by_visible_text(value) if not value.isdigit() else Select(field).select_by_value(value)
            else:
                field.send_keys(value)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    def test_a_city_case_transferred_down_is_signed_for_by_the_county(self):
        summary = "来电反映村里拖欠妇女土地补偿款（浏览器测试 %d）" % random.randint(1000, 9999)
        case_id, tracking_no = self.log_call("property_rights", summary)
        # The city's handler takes it and sends it down to 西陵区 (交办).
        self.login("hd.wu")
        self.open(f"/cases/{case_id}")
        self.act("由我承办")
        self.wait(lambda d: "已完成" in self.text(), "the case taken")
        xiling = sql("SELECT id FROM units WHERE code = 'hb-yc-xl'")[0][0]
        self.act("转办（交办）", {"unit_id": xiling, "text": "属地办理"})
        self.wait(lambda d: "已完成：转办（交办）" in self.text(), "the transfer confirmed")
        self.assertIn("已转办待签收", self.text())
        self.logout()
        # 西陵区's handler finds it first in her inbox and signs for it.
        self.login("hd.yang")
        self.open("/inbox")
        first = self.element("#inbox tr[data-tracking-no]")
        self.assertEqual(first.get_attribute("data-tracking-no"), tracking_no, "a transfer to sign for comes first")
        self.assertIn("签收转办", first.text)
        self.open(f"/cases/{case_id}")
        self.act("签收转办")
        self.wait(lambda d: "已完成：签收转办" in self.text(), "the transfer signed for")
        self.assertEqual(sql("SELECT status FROM cases WHERE id = :'id'", id=case_id), [["registered"]])
        self.shot("15-transfer-signed")

    def test_a_leader_takes_ownership_and_reports_progress_on_her_list(self):
        rows = sql("""SELECT c.id, c.tracking_no FROM cases c JOIN units u ON u.id = c.unit_id
                      WHERE u.code = 'hb-yc-xl' AND c.status = 'accepted' AND NOT c.sealed AND c.leader_id IS NULL
                      ORDER BY c.id LIMIT 1""")
        self.assertTrue(rows, "an accepted, unsealed 西陵区 case without a leader")
        case_id, tracking_no = rows[0]
        self.login("sup.tan")
        self.open(f"/cases/{case_id}")
        self.act("领导包案", {"leader_id": "徐玉兰", "text": "重复信访，矛盾突出"})
        self.wait(lambda d: "已完成：领导包案" in self.text(), "the leader assigned")
        self.logout()
        self.login("leader.xu")
        self.open("/leader")
        row = self.element(f'#responsibilities tr[data-tracking-no="{tracking_no}"]')
        self.assertIn("领导包案", row.text, "her 3-month clock is on the list")
        note = "已约谈双方，下周组织调解（浏览器测试 %d）" % random.randint(1000, 9999)
        row.find_element(By.NAME, "note").send_keys(note)
        row.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait(lambda d: note in self.element(f'#responsibilities tr[data-tracking-no="{tracking_no}"]').text,
                  "the progress report on her list")
        self.shot("16-leader-list")

    def accepted_xiling_case(self):
        """A fresh accepted, unsealed 西陵区 case with nothing pending, taken to 已受理 by hd.yang on the
        case page (its own, so other tests' picks are never disturbed)."""
        summary = "来电反映离婚后前夫拒不支付抚养费（浏览器测试 %d）" % random.randint(1000, 9999)
        case_id, tracking_no = self.log_call("marriage_family", summary, unit="西陵区")
        self.login("hd.yang")
        self.open(f"/cases/{case_id}")
        self.act("受理", {"text": "属于妇联信访受理范围"})
        self.wait(lambda d: "已完成：受理" in self.text(), "the case accepted")
        return case_id, tracking_no

    def test_review_and_rereview_are_decided_a_level_up_each_and_their_opinions_are_on_the_case_page(self):
        case_id, tracking_no = self.accepted_xiling_case()
        self.act("书面答复", {"text": "经调解，男方同意按月支付抚养费。"})
        self.wait(lambda d: "已完成：书面答复" in self.text(), "the reply")
        self.act("登记复查申请", {"text": "对答复意见不服"})
        self.wait(lambda d: "已完成：登记复查申请" in self.text(), "the review request")
        self.logout()
        # 复查 by the city (the level above 西陵区); the province is not offered the decision.
        self.login("sup.sun")
        self.open(f"/cases/{case_id}")
        self.element("#timeline")
        self.assertNotIn("作出复查决定", [e.text.strip() for e in self.elements("details.action summary")],
                         "the province is two levels up: not hers to decide the 复查")
        self.login("sup.chen")
        self.open(f"/cases/{case_id}")
        self.act("作出复查决定", {"decision": "维持", "text": "原答复事实清楚，处理适当"})
        self.wait(lambda d: "已完成：作出复查决定" in self.text(), "the review decided")
        review_no = sql("SELECT number FROM documents WHERE case_id = :'id' AND kind = 'review_opinion'", id=case_id)[0][0]
        self.assertTrue(review_no.startswith("宜昌市"), f"numbered by the city: {review_no}")
        self.wait(lambda d: f"复查意见书 {review_no}" in self.text(), f"the 复查意见书 {review_no} among the case's documents")
        self.logout()
        self.login("hd.yang")
        self.open(f"/cases/{case_id}")
        self.act("登记复核申请", {"text": "对复查意见不服"})
        self.wait(lambda d: "已完成：登记复核申请" in self.text(), "the re-review request")
        # 复核 one level higher still: the city that decided the 复查 may not, the province does.
        self.login("sup.chen")
        self.open(f"/cases/{case_id}")
        self.element("#timeline")
        self.assertNotIn("作出复核决定", [e.text.strip() for e in self.elements("details.action summary")],
                         "the city decided the 复查: the 复核 is the province's")
        self.login("sup.sun")
        self.open(f"/cases/{case_id}")
        self.act("作出复核决定", {"decision": "维持", "text": "复查意见正确，予以维持"})
        self.wait(lambda d: "已完成：作出复核决定" in self.text(), "the re-review decided")
        rereview_no = sql("SELECT number FROM documents WHERE case_id = :'id' AND kind = 'rereview_opinion'", id=case_id)[0][0]
        self.shot("17-review-chain-documents")
        link = self.wait(lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "a") if "复核意见书" in e.text), None),
                         "a link to the 复核意见书")
        link.click()
        self.wait(lambda d: rereview_no in self.text() and "本复核意见为最终意见" in self.text(),
                  f"the printable 复核意见书 {rereview_no}")
        self.shot("18-rereview-opinion")

    def test_a_referral_outcome_is_recorded_on_the_case_page_before_the_case_closes(self):
        case_id, _ = self.accepted_xiling_case()
        centre = "西陵区法律援助中心（浏览器测试 %d）" % random.randint(1000, 9999)
        self.act("转介", {"kind": "律师", "referred_to": centre, "text": "代写起诉状"})
        self.wait(lambda d: "已完成：转介" in self.text(), "the referral")
        item = self.element("#referrals li", "the referral on the case page (#referrals li)")
        self.assertIn("律师", item.text)
        self.assertEqual(item.find_element(By.CSS_SELECTOR, ".referred-to").text, centre, "whom it was referred to")
        self.act("书面答复", {"text": "已为你联系法律援助。"})
        self.wait(lambda d: "已完成：书面答复" in self.text(), "the reply")
        self.act("办结")
        self.wait(lambda d: "尚有转介未登记结果" in self.text(), "closing refused while the referral is open")
        self.assertEqual(sql("SELECT status FROM cases WHERE id = :'id'", id=case_id), [["replied"]])
        referral = sql("SELECT id FROM referrals WHERE case_id = :'id'", id=case_id)[0][0]
        box = self.element(f"#outcome-{referral}", "the outcome box")
        label = self.element(f'label[for="outcome-{referral}"]', "the outcome box's label")
        self.assertIn("转介结果", label.text)
        box.send_keys("已代写起诉状，法院已立案")
        self.shot("19-referral-outcome-form")
        box.find_element(By.XPATH, "./ancestor::form").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait(lambda d: "结果：已代写起诉状，法院已立案" in self.text(), "the outcome on the page")
        self.act("办结")
        self.wait(lambda d: "已完成：办结" in self.text(), "the case closed once the outcome is recorded")

    def test_the_dashboard_says_what_its_on_time_rate_counts(self):
        self.login("sup.chen")
        self.open("/dashboard")
        explained = self.element("#rate-explained", "the explanation of 按期率 (#rate-explained)")
        self.assertTrue(explained.is_displayed())
        self.assertIn("仍在计时但已过到期日的期限计为超期", explained.text)
        # The city's own row (合计) against a count from the database by the same rule, at the server's clock.
        now = open(CLOCK_FILE, encoding="utf-8").read().strip() if CLOCK_FILE else iso(datetime.now(timezone.utc))
        met, late, running_late = (int(n) for n in sql("""
            SELECT count(*) FILTER (WHERE k.state = 'met'), count(*) FILTER (WHERE k.state = 'breached'),
                   count(*) FILTER (WHERE k.state = 'running' AND k.due_on < (:'now'::timestamptz AT TIME ZONE 'Asia/Shanghai')::date)
              FROM clocks k JOIN units u ON u.id = k.unit_id
             WHERE u.path @> ARRAY[(SELECT id FROM units WHERE code = 'hb-yc')]""", now=now)[0])
        counted = met + late + running_late
        expected = "—" if counted == 0 else f"{int(met * 100 / counted + 0.5)}%"
        total = next(r for r in self.elements("table#units tr") if "合计" in r.text)
        self.assertEqual(total.find_elements(By.CSS_SELECTOR, "td")[-1].text.strip(), expected,
                         f"met {met}, late {late}, running past due {running_late}")
        self.shot("20-dashboard-rate")
    def type_local_time(self, field, moment):
        """Type a time into a datetime-local input as a person would, part by part in the order the browser's
        locale shows them (month/day/year and AM/PM in en-US, year/month/day in zh-CN), and check it took it."""
        parts, twelve = self.driver.execute_script("""
            const f = new Intl.DateTimeFormat(undefined, {year: "numeric", month: "2-digit", day: "2-digit",
                                                          hour: "2-digit", minute: "2-digit"});
            return [f.formatToParts(new Date()).map(p => p.type).filter(t => t !== "literal"),
                    ["h11", "h12"].includes(f.resolvedOptions().hourCycle)];""")
        keys = {"year": [moment.strftime("%Y"), Keys.ARROW_RIGHT],  # a year may run to six digits: move on by hand
                "month": [moment.strftime("%m")], "day": [moment.strftime("%d")],
                "hour": [moment.strftime("%I" if twelve else "%H")], "minute": [moment.strftime("%M")],
                "dayPeriod": ["AM" if moment.hour < 12 else "PM"]}
        self.driver.execute_script("arguments[0].focus();", field)
        field.send_keys(*[k for part in parts for k in keys.get(part, [])])
        self.assertEqual(field.get_attribute("value"), moment.strftime("%Y-%m-%dT%H:%M"),
                         f"the datetime-local input did not take the time typed in the order {parts}")

    def report_to_police(self, task_label, moment):
        """Record the open required report whose line names task_label: the typed time, station and receipt."""
        item = self.wait(lambda d: next((li for li in d.find_elements(By.CSS_SELECTOR, "#tasks li")
                                         if task_label in li.text and li.find_elements(By.CSS_SELECTOR, "form")), None),
                         f"the open {task_label} with its form")
        task_id = item.get_attribute("data-task-id")
        time_field = item.find_element(By.CSS_SELECTOR, 'input[name="reported_at"]')
        self.assertEqual(time_field.get_attribute("type"), "datetime-local")
        label = self.driver.find_element(By.CSS_SELECTOR, f'label[for="{time_field.get_attribute("id")}"]').text
        self.assertIn("报案时间", label)
        receipt = "XL%d" % random.randint(100000, 999999)
        item.find_element(By.NAME, "station").send_keys("西陵派出所")
        item.find_element(By.NAME, "receipt_no").send_keys(receipt)
        self.type_local_time(time_field, moment)
        item.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        shown = moment.strftime("%Y-%m-%d %H:%M")
        self.wait(lambda d: any(f"已完成（报案时间 {shown}" in li.text for li in d.find_elements(By.CSS_SELECTOR, f'#tasks li[data-task-id="{task_id}"]')),
                  f"{task_label} done, showing the time reported ({shown})")
        return task_id, receipt

    def test_a_minor_victim_call_reaches_its_mandatory_report(self):
        """A mother calls about her 13-year-old daughter: the case is sealed, a 强制报告 is due at once,
        and the handler who takes it records the report with the time she types."""
        summary = "母亲来电反映13岁女儿遭邻居性侵（浏览器测试 %d）" % random.randint(1000, 9999)
        self.login("op.wang")
        self.open("/call")
        self.element("#phone").send_keys("139" + "".join(random.choice("0123456789") for _ in range(8)))
        self.element("#name").send_keys("李梅")
        option = min((o for o in Select(self.element("#unit")).options if "西陵区" in o.text), key=lambda o: len(o.text.strip()))
        Select(self.element("#unit")).select_by_value(option.get_attribute("value"))
        self.choose("#victim-relation", "child")
        self.element("#victim-age").send_keys("13")
        self.choose("#category", "sexual_assault")
        self.element("#summary").send_keys(summary)
        self.shot("17-call-minor-victim")
        ActionChains(self.driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
        tracking_no = self.visible_text_of("#receipt .tracking-no", "the receipt")
        rows = sql("""SELECT c.id, c.sealed, c.victim_relation, c.victim_age, c.victim_is_minor, p.is_minor,
                             (SELECT string_agg(reason, ',') FROM case_tasks t WHERE t.case_id = c.id AND t.kind = 'mandatory_report')
                      FROM cases c JOIN petitioners p ON p.id = c.petitioner_id WHERE c.tracking_no = :'no'""", no=tracking_no)
        case_id = rows[0][0]
        self.assertEqual(rows[0][1:], ["t", "child", "13", "t", "f", "minor_sexual_assault"],
                         "sealed, the daughter recorded as the victim, a mandatory report due (the mother is no minor)")
        self.logout()

        self.login("hd.yang")
        self.open(f"/cases/{case_id}")
        self.act("由我承办")
        self.wait(lambda d: summary in self.text(), "the case open to her once taken")
        self.assertIn("当事人：子女 · 13周岁", self.element("#victim").text)
        reported = datetime.now(timezone(timedelta(hours=8))).replace(second=0, microsecond=0) - timedelta(minutes=20)
        self.report_to_police("强制报告", reported)
        self.assertEqual(sql("""SELECT state, detail->>'reported_at' FROM case_tasks
                                WHERE case_id = :'id' AND kind = 'mandatory_report'""", id=case_id),
                         [["done", reported.strftime("%Y-%m-%dT%H:%M:00+08:00")]])
        self.shot("18-mandatory-report-done")

    def test_a_high_risk_domestic_violence_case_closes_with_a_typed_police_time(self):
        summary = "来电反映丈夫多次掐脖子并扬言杀人（浏览器测试 %d）" % random.randint(1000, 9999)
        self.login("op.wang")
        self.open("/call")
        self.element("#phone").send_keys("139" + "".join(random.choice("0123456789") for _ in range(8)))
        option = min((o for o in Select(self.element("#unit")).options if "西陵区" in o.text), key=lambda o: len(o.text.strip()))
        Select(self.element("#unit")).select_by_value(option.get_attribute("value"))
        self.choose("#category", "domestic_violence")
        self.element('input[name="risk"][value="strangulation"]').click()
        self.wait(lambda d: "高风险" in self.element("#risk-grade").text, "高风险 once strangulation is ticked")
        self.element("#summary").send_keys(summary)
        ActionChains(self.driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
        tracking_no = self.visible_text_of("#receipt .tracking-no", "the receipt")
        self.assertIn("危险评估：高风险", self.visible_text_of("#status", "the status line"))
        case_id = sql("SELECT id FROM cases WHERE tracking_no = :'no'", no=tracking_no)[0][0]
        self.logout()

        self.login("hd.yang")
        self.open(f"/cases/{case_id}")
        self.act("由我承办")
        self.wait(lambda d: summary in self.text(), "the case open to her once taken")
        self.act("受理")
        self.wait(lambda d: "已完成：受理" in self.text(), "the case accepted")
        # Closing with the police report still open is refused, in Chinese.
        self.act("书面答复", {"text": "已协助申请人身安全保护令，并联系公安机关出警。"})
        self.wait(lambda d: "已完成：书面答复" in self.text(), "the reply")
        self.act("办结")
        self.wait(lambda d: "尚有必办事项" in self.text(), "closing refused while the reports are open")
        # Refused time? The page keeps what she typed: a station without a time.
        item = self.wait(lambda d: next((li for li in d.find_elements(By.CSS_SELECTOR, "#tasks li")
                                         if "报警" in li.text and li.find_elements(By.CSS_SELECTOR, "form")), None), "the 报警 form")
        item.find_element(By.NAME, "station").send_keys("西陵派出所")
        item.find_element(By.NAME, "receipt_no").send_keys("XL1")
        self.driver.execute_script("arguments[0].removeAttribute('required');", item.find_element(By.NAME, "reported_at"))
        item.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait(lambda d: "请检查填写内容（报案时间）" in self.text(), "the missing time named")
        item = self.wait(lambda d: next((li for li in d.find_elements(By.CSS_SELECTOR, "#tasks li")
                                         if "报警" in li.text and li.find_elements(By.CSS_SELECTOR, "form")), None), "the 报警 form again")
        self.assertEqual(item.find_element(By.NAME, "station").get_attribute("value"), "西陵派出所", "the station she typed is kept")
        self.assertEqual(item.find_element(By.NAME, "receipt_no").get_attribute("value"), "XL1", "the receipt number she typed is kept")
        item.find_element(By.NAME, "station").clear()
        item.find_element(By.NAME, "receipt_no").clear()
        reported = datetime.now(timezone(timedelta(hours=8))).replace(second=0, microsecond=0) - timedelta(minutes=45)
        self.report_to_police("报警", reported)
        direct = self.wait(lambda d: next((li for li in d.find_elements(By.CSS_SELECTOR, "#tasks li")
                                           if "直报" in li.text and li.find_elements(By.CSS_SELECTOR, "form")), None), "the 直报 form")
        direct.find_element(By.NAME, "reported_to").send_keys("宜昌市妇联权益部")
        direct.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait(lambda d: "报送 宜昌市妇联权益部" in self.text(), "the direct report done")
        self.act("办结")
        self.wait(lambda d: "已完成：办结" in self.text(), "the case closed")
        self.assertEqual(sql("SELECT status FROM cases WHERE id = :'id'", id=case_id), [["closed"]])
        self.shot("19-high-risk-closed")

    def test_pages_speak_chinese(self):
        pages = [("/login", None), ("/call", "op.wang"), ("/inbox", "hd.yang"), ("/dashboard", "sup.tan"),
                 ("/households", "grid.xl0101a"), ("/incidents", "hd.mao"), ("/incidents?show=all", "sup.huang"),
                 ("/petition", None), ("/track", None)]
        problems = []
        for path, user in pages:
            if user:
                self.login(user)
            else:
                self.driver.delete_all_cookies()
            self.open(path)
            self.element("#logout" if user else "body", f"{path} as {user or 'the public'}")
            lang = self.driver.execute_script("return document.documentElement.getAttribute('lang');")
            if lang != "zh-CN":
                problems.append(f"{path}: <html lang={lang!r}>, not zh-CN")
            text = self.driver.execute_script(READABLE_TEXT) or ""
            if user:
                text = text.replace(user, "")  # a username (op.wang) may stand beside the name
            text = QUERY_CODE.sub("", TRACKING_NO.sub("", text))
            words = sorted({w for w in ENGLISH_WORD.findall(text) if w not in ALLOWED_WORDS})
            if words:
                problems.append(f"{path}: English on the page: {', '.join(words)}")
        self.assertFalse(problems, "\n" + "\n".join(problems))

    def test_case_list_pages_filters_and_keeps_each_row_on_one_line(self):
        self.login("sup.chen")  # city supervisor
        self.open("/cases")
        rows = self.elements("#cases tr[data-tracking-no]")
        self.assertEqual(len(rows), 50, "a page of 50 cases")
        self.assertTrue(any(r.find_elements(By.CSS_SELECTOR, "td:last-child .tag") for r in rows), "the 期限 column shows no due day")
        heights = {r.size["height"] for r in rows}
        self.assertLessEqual(max(heights) - min(heights), 2, f"rows of different heights (a cell wraps): {sorted(heights)}")
        first_ids = {r.get_attribute("data-tracking-no") for r in rows}
        self.element("#next-page", "the next page link").click()
        self.wait(lambda d: "before_id=" in d.current_url, "the second page")
        second = {r.get_attribute("data-tracking-no") for r in self.elements("#cases tr[data-tracking-no]")}
        self.assertTrue(second and not (second & first_ids), "the second page repeats the first")
        self.element("#first-page", "the first page link")
        self.open("/cases")
        self.choose("#filter-channel", "visit")
        self.choose("#status", "registered")
        self.element("#search").click()
        self.wait(lambda d: "channel=visit" in d.current_url, "the filtered list")
        count = int(self.visible_text_of("#case-count"))
        expected = sql("""SELECT count(*) FROM cases c JOIN units u ON u.id = c.unit_id
                          WHERE u.path @> ARRAY[(SELECT id FROM units WHERE code = 'hb-yc')] AND c.channel = 'visit'
                            AND c.status = 'registered'""")[0][0]
        self.assertEqual(count, int(expected), "the count of the filtered list")
        self.shot("20-case-list-filtered")

    def test_the_village_chairs_register_fits_1280_px_and_shows_no_name_in_full(self):
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        self.login("chair.xl0101")  # the chair of 东山社区 (a village), a handler there
        self.open("/households")
        rows = self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#households tr[data-household-id]"), "the register's rows")
        village = "hb-yc-xl-01-01"
        grids = sql("SELECT count(*) FROM units g JOIN units v ON v.id = g.parent_id WHERE v.code = :'v'", v=village)[0][0]
        self.assertEqual(len(self.elements("#grids tr[data-grid-id]")), int(grids), "her village's grids, each with its profile")
        total = sql("""SELECT count(*) FROM households h JOIN units g ON g.id = h.grid_id JOIN units v ON v.id = g.parent_id
                       WHERE v.code = :'v'""", v=village)[0][0]
        self.assertEqual(int(self.visible_text_of("#household-count")), int(total))
        self.assertEqual(len(rows), min(50, int(total)))
        # No sideways scrolling at 1280 px: neither the page nor a table inside it.
        inner, scroll = self.driver.execute_script("return [window.innerWidth, document.documentElement.scrollWidth];")
        self.assertEqual(inner, 1280)
        self.assertLessEqual(scroll, inner + 1, f"{scroll} px of content on a {inner} px screen scrolls sideways")
        wide = self.driver.execute_script("""
            return Array.from(document.querySelectorAll('.table-scroll')).filter(function (e) {
              return e.scrollWidth > e.clientWidth + 1; }).map(function (e) { return e.firstElementChild.id; });""")
        self.assertEqual(wide, [], "a table scrolls sideways at 1280 px")
        # Lists mask: no head of household's name in full, no phone number; a sealed row says only 密封.
        people = sql("""SELECT h.head_name, coalesce(h.phone, '') FROM households h JOIN units g ON g.id = h.grid_id
                        JOIN units v ON v.id = g.parent_id WHERE v.code = :'v'""", v=village)
        self.assert_not_on_page([name for name, _ in people] + [phone for _, phone in people if phone], "the register")
        sealed = self.elements("#households tr.masked")
        self.assertTrue(all(r.text.split()[-1] == "密封" for r in sealed), "a sealed row shows its grid and 密封 only")
        self.shot("40-households-register-1280")
        # The household page: the audited read, with its classification form.
        plain = next(r for r in rows if "masked" not in (r.get_attribute("class") or ""))
        plain.find_element(By.CSS_SELECTOR, "a").click()
        self.element("#classify", "the classification form on an unsealed household's page")
        self.assertTrue(self.visible_text_of("#head-name"))
        self.shot("41-household-page")

    def test_notifications_are_grouped_and_all_marked_read(self):
        case_id, tracking_no = sql("""SELECT c.id, c.tracking_no FROM cases c JOIN units u ON u.id = c.unit_id
                                      WHERE u.code = 'hb-yc-dy' ORDER BY c.id LIMIT 1""")[0]
        sql("""INSERT INTO notifications (unit_id, audience, case_id, kind, created_at)
               SELECT (SELECT id FROM units WHERE code = 'hb-yc-dy'), 'supervisors', :'id', 'reminder', now()
               FROM generate_series(1, 7)""", id=case_id)
        self.login("sup.fu")  # 当阳市 supervisor
        self.open("/")
        row = self.element(f'#notifications tr[data-tracking-no="{tracking_no}"]', "the grouped notification")
        self.assertEqual(row.find_element(By.CSS_SELECTOR, "td.count").text.strip(), "7", "seven reminders, one row")
        self.assertEqual(len(self.elements(f'#notifications tr[data-tracking-no="{tracking_no}"]')), 1)
        self.shot("21-notifications-grouped")
        row.find_element(By.CSS_SELECTOR, "a").click()
        self.wait(lambda d: url_path(d) == f"/cases/{case_id}", "the notification's case")
        self.open("/")
        self.element("#read-all").click()
        self.wait(lambda d: "没有未读的提醒" in self.text(), "no unread notifications after 全部标为已读")

    def test_collective_visit_shows_its_head_count_on_the_case_page(self):
        self.login("rec.ma")
        self.open("/reception")
        self.element("#phone").send_keys("139" + "".join(random.choice("0123456789") for _ in range(8)))
        self.wait(lambda d: "来访人" in self.element("#callers").text and "来电" not in self.element("#callers").text,
                  "the visit form speaks of a visitor (来访人), not a caller")
        visitors = self.element("#visitors")
        visitors.clear()
        visitors.send_keys("9")
        self.choose("#category", "labor_social_security")
        self.element("#summary").send_keys("九名女工集体来访反映被拖欠工资（浏览器测试 %d）" % random.randint(1000, 9999))
        self.element("#visit-form #submit").click()
        self.visible_text_of("#receipt .tracking-no", "the visit's tracking number")
        self.element("#receipt .case-link").click()
        self.assertIn("集体访 9人", self.visible_text_of("#collective", "the head count on the case page"))

    def test_choosing_a_returning_caller_fills_her_name_and_a_regional_line_picks_its_county(self):
        phone, name = sql("""SELECT p.phone, p.name FROM petitioners p JOIN cases c ON c.petitioner_id = p.id
                             JOIN units u ON u.id = c.unit_id
                             WHERE u.path @> ARRAY[(SELECT id FROM units WHERE code = 'hb-yc')] AND NOT c.sealed
                               AND p.phone IS NOT NULL AND p.name IS NOT NULL ORDER BY c.id LIMIT 1""")[0]
        self.login("op.wang")
        self.open("/call")
        self.element("#phone").send_keys(phone)
        pick = self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, '#callers input[name="petitioner_id"]'), "the caller found")[0]
        pick.click()
        self.wait(lambda d: self.value("#name") == name, f"her name {name} filled in")
        self.choose("#sub-line", "xiling")
        xiling = sql("SELECT id FROM units WHERE code = 'hb-yc-xl'")[0][0]
        self.wait(lambda d: self.value("#unit") == xiling, "the regional line's county chosen as the unit")
        self.assertIn("西陵区", self.visible_text_of("#sub-line-hint"))
        self.choose("#sub-line", "legal")
        self.assertIn("律师", self.visible_text_of("#sub-line-hint"), "a professional line suggests its referral")
        self.shot("22-call-screen-returning-caller")

    def test_timeline_logout_by_address_and_unknown_pages_are_chinese(self):
        # The sweep's events carry codes as their reasons (a proposal for repeat petitions, a high-risk report overdue).
        case_id = sql("""SELECT c.id FROM cases c JOIN units u ON u.id = c.unit_id
                         WHERE u.code = 'hb-yc-xl' AND NOT c.sealed ORDER BY c.id LIMIT 1""")[0][0]
        sql("""INSERT INTO case_events (case_id, at, actor, kind, reason)
               VALUES (:'id', now(), 'system', 'leadership_proposed', 'repeat_petition'),
                      (:'id', now(), 'system', 'task_overdue', 'high_risk')""", id=case_id)
        self.login("sup.chen")
        self.open(f"/cases/{case_id}")
        timeline = self.visible_text_of("#timeline", "the case's timeline")
        self.assertIn("建议领导包案：同一事项多次来信来访", timeline)
        self.assertIn("必办事项超期：高风险家庭暴力案件", timeline)
        self.assertIsNone(re.search(r"[a-z]+_[a-z_]+", timeline), f"a code in the timeline: {timeline}")
        self.logout()
        self.login("hd.yang")
        self.open("/no-such-page")
        self.assertIn("未找到该页面", self.text())
        self.open("/logout")
        self.element("#confirm-logout", "the sign-out button").click()
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#username"), "the login page after signing out")

    def test_the_village_chairs_month_visits_a_sitting_dispatches_a_lead_and_the_township_signs_for_it(self):
        # 青龙村 (hb-yc-yl-02-01) of 龙泉镇: its chair, a grid worker of its first grid, the township's handler.
        chair, worker, township = "chair.yl0201", "grid.yl0201a", "hd.mao"
        village = "hb-yc-yl-02-01"
        real_clock()  # an earlier test may have left the clock elsewhere
        self.addCleanup(real_clock)

        # 1. The chair's visit progress: her grids' households, each visited this month or not.
        self.login(chair, screenshot="60-chair-login")
        self.open("/visits")
        rows = self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#visit-households tr:not(:first-child)"),
                         "her households on /visits (#visit-households)")
        households = int(sql("""SELECT count(*) FROM households h JOIN units g ON g.id = h.grid_id JOIN units v ON v.id = g.parent_id
                                WHERE v.code = :'v'""", v=village)[0][0])
        visited = int(sql("""SELECT count(DISTINCT hv.household_id) FROM household_visits hv JOIN units g ON g.id = hv.grid_id
                               JOIN units v ON v.id = g.parent_id
                              WHERE v.code = :'v' AND hv.month = date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date""",
                          v=village)[0][0])
        self.assertEqual(len(rows), households, "one row per key household of her village")
        statuses = [r.find_elements(By.CSS_SELECTOR, "td")[-1].text.strip() for r in rows]
        self.assertTrue(all(s in ("已访", "待访", "逾期未访") for s in statuses), f"a household's state is not 已访/待访: {statuses}")
        self.assertEqual(statuses.count("已访"), visited, "the households shown visited are those with a visit this month")
        total = self.element("#visit-units tr[data-unit-id]", "her village's figures").find_elements(By.CSS_SELECTOR, "td")
        self.assertEqual((int(total[1].text), int(total[2].text)), (households, visited), "应访 and 已访 of her village")
        self.shot("61-chair-visits")
        self.logout()

        # 2. A grid worker of her village reports a lead (the lead API, signed in: her session and its CSRF token).
        summary = f"夫妻因孩子上学费用争吵，妻子要求村里调解（浏览器测试 {random.randint(1000, 9999)}）"
        self.login(worker)
        grid_id = int(sql("SELECT unit_id FROM users WHERE username = :'u'", u=worker)[0][0])
        answer = self.driver.execute_async_script("""
            var done = arguments[arguments.length - 1];
            fetch('/api/v1/leads', {method: 'POST', credentials: 'same-origin',
                headers: {'Content-Type': 'application/json',
                          'X-CSRF-Token': document.querySelector('meta[name=csrf]').content},
                body: JSON.stringify(arguments[0])})
              .then(function (r) { return r.text().then(function (t) { done([r.status, t]); }); })
              .catch(function (e) { done([0, String(e)]); });
            """, {"grid_id": grid_id, "kind": "family_dispute", "source": "grid_report", "summary": summary, "urgency": "normal",
                  "people": [{"role": "victim", "name": "覃小梅", "relation": "self", "age": 35},
                             {"role": "respondent", "name": "周大兵", "relation": "spouse", "age": 37}]})
        self.assertEqual(answer[0], 201, f"POST /api/v1/leads answered {answer}")
        lead_id = json.loads(answer[1])["id"]
        self.logout()

        # 3. The chair's council: the lead on her agenda; a sitting grades it 中风险 and dispatches it (上报派单).
        self.login(chair)
        self.open("/council")
        row = self.element(f'#agenda tr[data-lead="{lead_id}"]', f"lead {lead_id} on her agenda")
        self.assertIn("剩余", row.text, "the agenda says how many days are left to deliberate")
        decision = Select(self.element(f"#decision-{lead_id}"))
        self.assertIn("上报派单", [o.text for o in decision.options])
        decision.select_by_value("dispatch")
        grade = Select(self.element(f"#risk-grade-{lead_id}"))
        grade.select_by_value("medium")
        self.assertEqual(grade.first_selected_option.text.strip(), "中风险")
        self.assertTrue(self.value("#held-on"), "the sitting's date is filled in (today)")
        self.type_into("#participant-name-0", "覃秀兰")
        self.choose("#participant-role-0", "council_chair")
        self.shot("62-chair-sitting")
        self.element("#record-sitting").click()
        self.wait(lambda d: "议事记录已保存" in self.text(), "the sitting saved (议事记录已保存)")
        self.assert_none(f'#agenda tr[data-lead="{lead_id}"]', "the dispatched lead is still on her agenda")
        self.shot("63-chair-agenda-after")
        dispatch_id, state, to_unit = sql("""SELECT d.id, d.state, u.code FROM lead_dispatches d JOIN units u ON u.id = d.to_unit_id
                                             WHERE d.lead_id = :'id'""", id=lead_id)[0]
        self.assertEqual((state, to_unit), ("awaiting_sign", "hb-yc-yl-02"), "dispatched to 龙泉镇, awaiting its signature")
        self.logout()

        # 4. The township signs for it on 派单签收, seeing the working days left.
        self.login(township)
        self.open("/dispatches")
        row = self.element(f'#to-sign tr[data-dispatch="{dispatch_id}"]', f"dispatch {dispatch_id} to sign at 龙泉镇")
        self.assertIn(summary, row.text)
        self.assertIn("中风险", row.text)
        self.assertRegex(row.find_element(By.CSS_SELECTOR, ".tag").text, r"剩余\d+个工作日")
        self.shot("64-township-to-sign")
        row.find_element(By.XPATH, ".//button[normalize-space()='签收']").click()
        self.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, f'#to-sign tr[data-dispatch="{dispatch_id}"]'),
                  "the dispatch gone from 待签收 once signed")
        self.assertEqual(sql("SELECT state FROM lead_dispatches WHERE id = :'id'", id=dispatch_id)[0][0], "signed")
        self.shot("65-township-signed")
        self.logout()

        # 5. The chair sees it dispatched and signed.
        self.login(chair)
        self.open("/dispatches")
        mine = self.wait(lambda d: next((r for r in d.find_elements(By.CSS_SELECTOR, "#dispatches tr")
                                         if r.find_elements(By.CSS_SELECTOR, f'a[href="/dispatches/{dispatch_id}"]')), None),
                         f"dispatch {dispatch_id} among her village's dispatches")
        self.assertIn("已签收调处中", mine.text)
        self.assertIn("龙泉镇", mine.text)
        self.open(f"/leads/{lead_id}")
        self.assertIn("已派单", self.visible_text_of("#lead", "the lead's page"))
        self.shot("66-chair-lead-dispatched")

    def test_the_grassroots_pages_speak_chinese_and_fit_1280_px(self):
        # The village chair of the demo's working village (every page has rows), at 1280 px.
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        user = "chair.yl0202"
        self.login(user)
        problems = []
        for path in ("/visits", "/council", "/dispatches", "/follow-ups", "/households", "/mediation-bodies", "/incidents"):
            self.open(path)
            self.element("#logout", f"{path} as {user}")
            text = (self.driver.execute_script(READABLE_TEXT) or "").replace(user, "")
            words = sorted({w for w in ENGLISH_WORD.findall(text) if w not in ALLOWED_WORDS})
            if words:
                problems.append(f"{path}: English on the page: {', '.join(words)}")
            inner, scroll = self.driver.execute_script("return [window.innerWidth, document.documentElement.scrollWidth];")
            if scroll > inner + 1:
                problems.append(f"{path}: {scroll} px of content on a {inner} px screen scrolls sideways")
        self.assertFalse(problems, "\n" + "\n".join(problems))

    def record_a_rise(self, township_code):
        """Nine weeks of calls about family disputes at a township, through the API: two a week, then
        twelve in the week ending yesterday; then the figures counted and the day's warning pass run
        (`huiyin figures rebuild`, `huiyin warnings pass`), as the sweep would."""
        user = f"t.rise{random.randint(10**5, 10**6 - 1)}"
        made = huiyin("user", "add", "--username", user, "--name", "测试承办人", "--unit", township_code, "--role", "handler")
        token = re.search(r"API token \(shown once\): (\S+)", made).group(1)
        today = datetime.now(timezone(timedelta(hours=8))).date()
        yesterday = today - timedelta(days=1)
        days = [yesterday - timedelta(days=7 * week + j) for week in range(8, 0, -1) for j in (1, 4)]
        days += [yesterday - timedelta(days=j % 7) for j in range(12)]
        try:
            for n, day in enumerate(days):
                set_clock(f"{day.isoformat()}T0{2 + n % 6}:00:00Z")
                request = urllib.request.Request(URL + "/api/v1/contacts", method="POST", headers={
                    "Authorization": f"Bearer {token}", "Content-Type": "application/json"}, data=json.dumps({
                        "channel": "call", "category": "marriage_family", "summary": f"夫妻争吵，要求调解（{n}）",
                        "call": {"sub_line": "legal"}, "petitioner": {"name": "测试", "phone": f"139{random.randint(10**7, 10**8 - 1)}"}}).encode())
                with urllib.request.urlopen(request, timeout=30) as answer:
                    self.assertEqual(answer.status, 201)
        finally:
            real_clock()
        huiyin("figures", "rebuild", "--from", (yesterday - timedelta(days=70)).isoformat(), "--through", yesterday.isoformat())
        huiyin("warnings", "pass", "--week-ending", yesterday.isoformat())

    def test_the_analysis_page_shows_a_rise_and_the_monthly_report_prints_on_a4(self):
        self.record_a_rise("hb-yc-yl-02")
        rows = sql("SELECT w.id, u.parent_id, w.series, u.name FROM early_warnings w JOIN units u ON u.id = w.unit_id "
                   "WHERE u.code = 'hb-yc-yl-02' ORDER BY w.id DESC LIMIT 1")
        self.assertTrue(rows, "the rise was caught by the warning pass")
        warning, county, series, township = rows[0]
        self.assertEqual(series, "category:marriage_family")
        self.login("sup.chen")
        self.open(f"/analysis?unit_id={county}&series={urllib.parse.quote(series)}")
        heat = self.element("#heat-chart", "the unit x week heat table")
        self.element("#trend-chart", "the trend with its expected band")
        cells = self.driver.execute_script("return arguments[0].textContent;", heat)
        self.assertIn(township, cells)
        self.assertIn("▲", cells, "the township's week of the rise is flagged")
        self.assertEqual(self.english_words("sup.chen"), [])
        self.shot("90-analysis-county")
        # Its warning, with the cases behind it.
        self.element(f"#warnings a[href='/warnings/{warning}']").click()
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#warning-figures"), "the warning's page")
        self.assertIn("件", self.visible_text_of("#warning-figures"))
        self.element("#warning-cases", "the cases behind the warning")
        self.shot("91-warning")

        # The month's report, printed: A4, no navigation, black on white.
        self.open("/reports/monthly")
        self.element("#monthly-report", "the monthly report")
        for heading in ("一、来信来访总体情况", "四、办理情况", "七、家暴警情回访", "八、下级单位情况", "十、典型案件"):
            self.assertIn(heading, self.text())
        self.assertEqual(self.english_words("sup.chen"), [])
        pdf = self.driver.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True})
        data = base64.b64decode(pdf["data"])
        self.assertTrue(data.startswith(b"%PDF"), "Chromium printed the report")
        with open(os.path.join(SCREENSHOTS, "92-monthly-report.pdf"), "wb") as out:
            out.write(data)
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        try:
            self.assertFalse(self.element("header").is_displayed(), "no navigation on paper")
            self.assertFalse(self.element("#monthly-report form").is_displayed(), "no month picker on paper")
            self.shot("93-monthly-report-print")
        finally:
            self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    def test_the_campaign_page_lists_the_township_not_reported_in_chinese(self):
        # 夷陵区's supervisor: the demo's screening campaign (专项排查), 龙泉镇 reported, 小溪塔街道 not yet.
        user = "sup.huang"
        self.login(user)
        self.open("/campaigns")
        link = self.element("#campaigns a[href^='/campaigns/']", "the demo's campaign in the list")
        self.assertIn("婚姻家庭纠纷专项排查", link.text)
        link.click()
        self.wait(lambda d: d.current_url.rstrip("/").split("/")[-1].isdigit(), "the campaign page")
        missing = [li.text for li in self.elements("#not-reported li")]
        self.assertEqual(len(missing), 1, f"one township not reported: {missing}")
        self.assertIn("小溪塔街道", missing[0])
        rows = {r.get_attribute("data-unit-id"): r.text for r in self.elements("#campaign-units tr[data-unit-id]")}
        self.assertEqual(len(rows), 2, rows)
        self.assertTrue(any("已报送" in text for text in rows.values()), rows)
        problems = []
        page = "/" + self.driver.current_url.split("/", 3)[3]
        for path in ("/campaigns", page):
            self.open(path)
            text = (self.driver.execute_script(READABLE_TEXT) or "").replace(user, "")
            words = sorted({w for w in ENGLISH_WORD.findall(text) if w not in ALLOWED_WORDS})
            if words:
                problems.append(f"{path}: English on the page: {', '.join(words)}")
        self.assertFalse(problems, "\n" + "\n".join(problems))
        self.shot("80-campaign-progress")

        # She opens a new campaign through the form on the list: first with no township ticked (refused in
        # Chinese, nothing stored), then for 小溪塔街道 with two report items.
        before = int(sql("SELECT count(*) FROM campaigns")[0][0])
        self.open("/campaigns")
        self.element("#open-campaign", "the form to open a campaign")
        self.type_into("#campaign-topic", "矛盾纠纷风险隐患专项排查")
        # Date inputs take their value by script: typing into them depends on the browser's locale.
        self.driver.execute_script("""
            const start = document.querySelector('#campaign-starts').value;
            const end = new Date(start + 'T00:00:00Z'); end.setUTCDate(end.getUTCDate() + 20);
            document.querySelector('#campaign-ends').value = end.toISOString().slice(0, 10);""")
        for box in self.elements("#campaign-units-choice input[type=checkbox]"):
            self.assertFalse(box.is_selected(), "no township ticked on a fresh form")
        self.element("#open-campaign-submit").click()
        flash = self.visible_text_of(".flash", "the refusal")
        self.assertIn("参与单位：请至少勾选一个下级单位", flash)
        self.assertEqual(int(sql("SELECT count(*) FROM campaigns")[0][0]), before, "nothing stored")
        self.assertEqual(self.value("#campaign-topic"), "矛盾纠纷风险隐患专项排查", "what she typed is kept")
        township = [label for label in self.elements("#campaign-units-choice label") if "小溪塔街道" in label.text]
        self.assertEqual(len(township), 1, "小溪塔街道 among the townships below her")
        township[0].find_element(By.CSS_SELECTOR, "input").click()
        for item in self.elements("#campaign-items-choice input[type=checkbox]"):
            if item.get_attribute("name") not in ("item_found", "item_settled") and item.is_selected():
                item.click()
        self.shot("81-campaign-open-form")
        self.element("#open-campaign-submit").click()
        self.wait(lambda d: "done=opened" in d.current_url, "the new campaign's page")
        self.assertIn("专项排查已发起", self.visible_text_of(".flash", "the confirmation"))
        self.assertIn("矛盾纠纷风险隐患专项排查", self.visible_text_of("h1", "the topic"))
        missing = [li.text for li in self.elements("#not-reported li")]
        self.assertEqual(len(missing), 1, f"only the township ticked: {missing}")
        self.assertIn("小溪塔街道", missing[0])
        self.assertIn("排查发现数、化解数", self.text())
        self.assertEqual(int(sql("SELECT count(*) FROM campaigns")[0][0]), before + 1)

    def test_a_police_incident_is_followed_up_from_its_page_and_opens_a_lead(self):
        # 龙泉镇's handler enters an incident the police pushed; it lands at 双泉村, whose chair owes the call.
        self.login("hd.mao")
        incident_id, number = self.post_incident()
        self.open("/incidents")
        row = self.element(f'#incidents tr[data-incident="{incident_id}"]', "the incident on the township's list")
        self.assertIn("未回访", row.text)
        self.assertIn("向**", row.text, "the list masks the name")
        self.assertNotIn("向春梅", self.text())
        self.open(f"/incidents/{incident_id}")
        self.assertNotIn("向春梅", self.text(), "the township's handler does not owe the call: masked")
        self.assert_none("#incident-follow-up", "no follow-up form for a masked reader")
        self.logout()

        chair = "chair.yl0202"
        self.login(chair)
        nav = self.element('nav a[href="/incidents"]', "家暴警情 in the chair's navigation")
        self.assertEqual(nav.text.strip(), "家暴警情")
        nav.click()
        row = self.element(f'#incidents tr[data-incident="{incident_id}"]', "the incident on her list")
        self.assertRegex(row.text, r"\d{4}年\d{1,2}月\d{1,2}日", "the follow-up due day")
        problems = [f"/incidents: English on the page: {', '.join(w)}" for w in [self.english_words(chair)] if w]
        row.find_element(By.CSS_SELECTOR, f'a[href="/incidents/{incident_id}"]').click()
        self.wait(lambda d: url_path(d) == f"/incidents/{incident_id}", "the incident's page")
        self.assertIn("向春梅", self.visible_text_of("#incident", "the incident, whole"))
        words = self.english_words(chair)
        if words:
            problems.append(f"/incidents/{incident_id}: English on the page: {', '.join(words)}")
        self.assertFalse(problems, "\n" + "\n".join(problems))
        reads = sql("SELECT count(*) FROM police_incident_reads r JOIN users u ON u.id = r.user_id "
                    "WHERE r.incident_id = :'id' AND u.username = :'u' AND NOT r.masked", id=incident_id, u=chair)
        self.assertGreaterEqual(int(reads[0][0]), 1, "her opening it is a recorded read")

        # A bad form: nothing chosen for 是否联系上, the problem named in Chinese, nothing stored.
        self.element("#incident-follow-up button[type=submit]").click()
        self.assertIn("是否联系上当事人", self.visible_text_of(".flash.error", "the refusal naming the field"))
        self.assertEqual(sql("SELECT count(*) FROM police_incident_follow_ups WHERE incident_id = :'id'", id=incident_id), [["0"]])

        # The good form: reached, what she said, the danger checklist, a lead for the grid.
        self.element('input[name=reached][value=yes]').click()
        self.type_into("#said", "他喝酒后又动手了，孩子也被吓到")
        self.type_into("#needs", "希望网格员常来看看")
        self.element('input[name=assess]').click()
        self.element('input[name=risk_weapon]').click()
        self.choose("#open", "lead")
        grid = Select(self.element("#grid"))
        self.assertGreater(len(grid.options), 1, "the grids under 双泉村 to choose from")
        grid.select_by_index(1)
        self.shot("90-incident-follow-up")
        self.element("#incident-follow-up button[type=submit]").click()
        notice = self.wait(lambda d: next(iter(d.find_elements(By.CSS_SELECTOR, "#notice")), None), "the notice after recording")
        self.assertIn("已登记回访", notice.text)
        lead = notice.find_element(By.CSS_SELECTOR, "a[href^='/leads/']")
        lead_id = lead.get_attribute("href").rstrip("/").split("/")[-1]
        self.assertEqual(sql("SELECT count(*) FROM police_incident_follow_ups WHERE incident_id = :'id' AND reached", id=incident_id),
                         [["1"]])
        self.assertEqual(sql("SELECT source_incident_id FROM leads WHERE id = :'id'", id=lead_id), [[str(incident_id)]])
        self.assertIn("高风险", self.visible_text_of("#incident-follow-ups"))
        self.shot("91-incident-followed-up")
        self.open("/incidents")
        self.assert_none(f'#incidents tr[data-incident="{incident_id}"]', "followed up: off the 未回访 list")
        self.element('a[href="/incidents?show=all"]').click()
        self.element(f'#incidents tr[data-incident="{incident_id}"]', "the incident under 全部")


# --- accessibility: axe-core over every screen ------------------------------------------------------

def axe_source():
    """axe-core's axe.min.js, from the wheel ops/browser-test.sh installs (found, not imported: the
    package's Python wants Playwright)."""
    import importlib.util
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        raise AssertionError("axe-core is missing: ops/browser-test.sh installs it into .data/venv")
    with open(os.path.join(spec.submodule_search_locations[0], "axe.min.js"), encoding="utf-8") as f:
        return f.read()


# Runs axe on the whole document; answers the violations of the given impacts, each with its nodes.
AXE_RUN = """
var impacts = arguments[0], done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(function (r) {
  done(r.violations.filter(function (v) { return impacts.indexOf(v.impact) >= 0; }).map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 8).map(function (n) { return n.target.join(' '); })};
  }));
}).catch(function (e) { done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]); });
"""


class AccessibilityTest(BrowserCase):
    """axe-core in headless Chromium over every screen of the five staff roles and the public pages;
    any critical or serious violation fails, naming the page, the rule and the elements."""

    AXE = None

    def assert_accessible(self, where, problems):
        if AccessibilityTest.AXE is None:
            AccessibilityTest.AXE = axe_source()
        # What a person opens is checked too: folded action forms, parts shown by an earlier choice.
        self.driver.execute_script("""
            document.querySelectorAll('details').forEach(function (d) { d.open = true; });
            document.querySelectorAll('fieldset[hidden]').forEach(function (f) { f.hidden = false; });
            """)
        self.driver.execute_script(AccessibilityTest.AXE)
        self.driver.set_script_timeout(60)
        for v in self.driver.execute_async_script(AXE_RUN, ["critical", "serious"]):
            problems.append(f"{where}: {v['impact']} {v['id']} ({v['help']}): {', '.join(v['nodes'])}")
        # Radio buttons are heard as one choice only inside a named group (a fieldset with a legend).
        ungrouped = self.driver.execute_script("""
            return Array.from(document.querySelectorAll('input[type=radio]')).filter(function (r) {
              var group = r.closest('fieldset');
              return !group || !group.querySelector('legend') || !group.querySelector('legend').textContent.trim();
            }).map(function (r) { return r.name + '=' + r.value; });
            """)
        if ungrouped:
            problems.append(f"{where}: radio buttons outside a fieldset with a legend: {', '.join(ungrouped)}")

    def case_in_scope(self, username, handler_only=False):
        """A case the user may open whole: in her unit's subtree and not sealed to her (or her own)."""
        rows = sql("""
            SELECT c.id FROM cases c JOIN units cu ON cu.id = c.unit_id JOIN users u ON u.username = :'user'
            WHERE cu.path @> ARRAY[u.unit_id] AND c.status NOT IN ('closed', 'declined')
              AND (NOT c.sealed OR c.handler_id = u.id) AND (NOT :'mine'::boolean OR c.handler_id = u.id)
            ORDER BY c.id DESC LIMIT 1
            """, user=username, mine="true" if handler_only else "false")
        return rows[0][0] if rows else None

    def test_every_screen_passes_axe(self):
        problems = []
        # A police incident at 双泉村, so its page (with the follow-up form) is checked as its chair sees it.
        self.login("hd.mao")
        incident_id, _ = self.post_incident()
        self.driver.delete_all_cookies()
        for path in ("/login", "/petition", "/track", "/mediation-map"):
            self.open(path)
            self.element("body")
            self.assert_accessible(f"{path} (public)", problems)
        # Each role's screens, and a case page with the actions her role may take.
        screens = {
            "op.wang": ["/", "/call", "/cases"],
            "rec.zhao": ["/", "/reception", "/roster"],
            "hd.wu": ["/", "/inbox", "/council", "/dispatches", "/follow-ups"],
            "sup.chen": ["/", "/dashboard", "/cases", "/analysis", "/reports/monthly"],
            "leader.li": ["/", "/leader"],
            "grid.xl0101a": ["/", "/households"],
            "chair.yl0202": ["/", "/visits", "/council", "/dispatches", "/follow-ups", "/households", "/incidents",
                             f"/incidents/{incident_id}"],
            "hd.mao": ["/dispatches", "/campaigns", "/incidents?show=all", f"/incidents/{incident_id}"] + [f"/campaigns/{row[0]}" for row in sql("SELECT id FROM campaigns ORDER BY id LIMIT 1")],
        }
        for user, paths in screens.items():
            self.login(user)
            case = self.case_in_scope(user, handler_only=user.startswith("hd."))
            if case:
                paths = paths + [f"/cases/{case}"]
            if user.startswith("grid."):  # a household of her grid, opened whole, with its forms
                household = sql("SELECT h.id FROM households h JOIN users u ON u.username = :'user' "
                                "WHERE h.grid_id = u.unit_id ORDER BY h.id LIMIT 1", user=user)
                paths = paths + [f"/households/{household[0][0]}"]
            for path in paths:
                self.open(path)
                self.element("#logout", f"{path} as {user}")
                if path == "/call":
                    # A returning caller's number: her earlier cases appear, to attach the call to.
                    phone = sql("SELECT phone FROM petitioners p JOIN cases c ON c.petitioner_id = p.id "
                                "WHERE NOT c.sealed AND phone IS NOT NULL ORDER BY c.id LIMIT 1")[0][0]
                    self.type_into("#phone", phone)
                    self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#callers input[type=radio]"),
                              "the returning caller's cases to attach to")
                self.assert_accessible(f"{path} as {user}", problems)
        self.assertFalse(problems, "\n" + "\n".join(problems))


# --- running and counting ---------------------------------------------------------------------------

class CountingResult(unittest.TextTestResult):
    """Counts tests, not assertions: a test with failed parts is one failed test."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed, self.failed = set(), set()

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed.add(test.id())

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.passed.add(test.id())

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.failed.add(test.id())

    def addError(self, test, err):  # also a failed setUpClass (test is then a placeholder)
        super().addError(test, err)
        self.failed.add(test.id())

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.failed.add(test.id())

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self.failed.add(test.id())


def main():
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2, resultclass=CountingResult)
    program = unittest.main(module=sys.modules[__name__], argv=sys.argv, testRunner=runner, exit=False)
    result = program.result
    passed = len(result.passed - result.failed)
    line = f"browser: {passed} passed, {len(result.failed)} failed"
    if os.environ.get("BROWSER_RESULT"):
        with open(os.environ["BROWSER_RESULT"], "w", encoding="utf-8") as f:
            f.write(line + "\n")
    else:
        print(line)
    if result.testsRun == 0:
        print("browser: no test ran", file=sys.stderr)
        return 1
    return 0 if not result.failed else 1


if __name__ == "__main__":
    # The field page's tests share this runner and its helpers (they import this file as `console_test`).
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from field_test import FieldTest  # noqa: E402,F401
    from mediation_map_test import MediationMapTest  # noqa: E402,F401
    sys.exit(main())
