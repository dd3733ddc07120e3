#!/usr/bin/python3
"""The grid workers' offline phone page under a lossy link (driven by ops/field-load.sh).

200 phones, each a grid worker of a demo grid made with `huiyin user add`, hold 50 reports saved offline
(visits to households of her grid and leads, some of them mandatory-report matters), each with the
Idempotency-Key made when the form was saved. All phones replay their queues at once, in order, one report
at a time, through a proxy on 127.0.0.1 that loses 20 % of the requests: half before the server sees them,
half after it answered (committed, but the phone sees a reset). A phone retries a report with the same key
(exponential backoff with full jitter) until it gets a 2xx. Then the database must hold every report exactly
once, in each phone's order, with the lead tasks of the mandatory-report leads. Standard library only.
"""
import argparse
import asyncio
import collections
import json
import random
import re
import socket
import struct
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

PHONES = 200
REPORTS = 50          # per phone
VISITS = 30           # per phone; the rest are leads
DROP = 0.20           # of the requests the proxy sees; half before forwarding, half after the answer
BACKOFF_BASE, BACKOFF_CAP = 0.05, 1.0
ATTEMPT_TIMEOUT = 30.0
TOPICS = ("womens_childrens_rights", "marriage_family_disputes", "domestic_violence", "minor_sexual_assault")
VISIT_ROUTE = "/api/v1/households/{id}/visits"
LEAD_ROUTE = "/api/v1/leads"
# The leads a phone reports, in turn; `tasks` is the mandatory-report tasks the lead must get
# (domestic violence against a minor, suspected sexual assault of a minor: Lead.mandatoryReports).
LEAD_KINDS = (
    {"kind": "domestic_violence", "minor": True, "tasks": 1},
    {"kind": "family_dispute", "minor": False, "tasks": 0},
    {"kind": "domestic_violence", "minor": False, "tasks": 0},
    {"kind": "minor_sexual_assault", "minor": True, "tasks": 1},
    {"kind": "other", "minor": False, "tasks": 0},
)


def say(text):
    print(f"field-load: {text}", flush=True)


class Failed(Exception):
    pass


def psql(args, sql):
    """Rows of one query on the test database, as lists of text (psql's unaligned output, tab-separated)."""
    out = subprocess.run([args.pg, "psql", "-qtA", "-v", "ON_ERROR_STOP=1", "-F", "\t", "-d", args.db, "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


# --- The phones and their queues --------------------------------------------------------------------------

def plan(args, rng):
    """Puts each phone on a grid (the grid with the most free visit days left) and deals each phone
    VISITS distinct (household, day) pairs of her grid not yet visited: a household has one visit a day."""
    today = args.today
    month_start = today[:8] + "01"
    days = [f"{today[:8]}{d:02d}" for d in range(1, int(today[8:]) + 1)]
    households = collections.defaultdict(list)
    codes = {}
    for hid, gid, code in psql(args, "SELECT h.id, h.grid_id, g.code FROM households h JOIN units g ON g.id = h.grid_id ORDER BY h.id"):
        households[int(gid)].append(int(hid))
        codes[int(gid)] = code
    taken = {(int(h), d) for h, d in psql(args, f"SELECT household_id, visited_on FROM household_visits WHERE visited_on >= DATE '{month_start}'")}
    free = {g: [(h, d) for d in days for h in hs if (h, d) not in taken] for g, hs in households.items()}
    left = {g: len(slots) for g, slots in free.items()}
    phones = []
    for i in range(PHONES):
        grid = max(sorted(left), key=lambda g: left[g])
        if left[grid] < VISITS:
            raise Failed(f"not enough free visit days: grid {grid} has {left[grid]} for phone {i + 1}")
        left[grid] -= VISITS
        phones.append({"n": i + 1, "grid": grid, "code": codes[grid], "username": f"fieldload.p{i + 1:03d}"})
    by_grid = collections.defaultdict(list)
    for p in phones:
        by_grid[p["grid"]].append(p)
    for grid, members in by_grid.items():
        slots = free[grid]
        rng.shuffle(slots)
        for k, p in enumerate(members):
            p["slots"] = slots[k * VISITS:(k + 1) * VISITS]
        for p in members:
            p["households"] = households[grid]
    return phones


def create_users(args, phones):
    """One `huiyin user add` per phone, four at a time; each prints her id and API token (shown once)."""
    def add(p):
        out = subprocess.run([args.huiyin, "user", "add", "--username", p["username"], "--name", f"网格员{p['n']:03d}",
                              "--unit", p["code"], "--role", "grid_worker"], capture_output=True, text=True)
        if out.returncode != 0:
            raise Failed(f"huiyin user add {p['username']} failed: {out.stderr.strip()[-300:]}")
        uid = re.search(r"\(id (\d+)\) created", out.stdout)
        token = re.search(r"^API token \(shown once\): (\S+)$", out.stdout, re.M)
        if not uid or not token:
            raise Failed(f"huiyin user add {p['username']} printed no id or token")
        p["user_id"], p["token"] = int(uid.group(1)), token.group(1)
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(add, phones))
    return time.monotonic() - t0


def make_queues(phones, rng):
    """Each phone's 50 reports in the order they were saved, each with its key and its exact bytes (a retry
    sends the same bytes: the server checks a replayed key against the request's digest). The key is also
    in the notes or summary, so the stored row can be traced back to its report."""
    for p in phones:
        kinds = ["visit"] * VISITS + ["lead"] * (REPORTS - VISITS)
        rng.shuffle(kinds)
        slots = iter(p["slots"])
        queue = []
        leads = 0
        for position, what in enumerate(kinds):
            key = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            if what == "visit":
                household, day = next(slots)
                path = f"/api/v1/households/{household}/visits"
                body = {"visited_on": day, "mode": rng.choice(["in_person", "phone"]),
                        "topics": {t: {"asked": True, "found": False} for t in TOPICS},
                        "notes": f"离线补报 field-load {key}"}
                tasks = 0
            else:
                spec = LEAD_KINDS[leads % len(LEAD_KINDS)]
                leads += 1
                victim = {"role": "victim", "name": f"李{'小' if spec['minor'] else ''}花{p['n']}", "is_minor": spec["minor"]}
                victim["age"] = rng.randint(6, 15) if spec["minor"] else rng.randint(25, 60)
                body = {"grid_id": p["grid"], "kind": spec["kind"], "source": "grid_report",
                        "summary": f"网格员上报 field-load {key}", "urgency": "urgent" if spec["tasks"] else "normal",
                        "people": [victim, {"role": "respondent", "name": f"王某{p['n']}"}]}
                if spec["kind"] == "family_dispute":
                    body["household_id"] = rng.choice(p["households"])
                path = "/api/v1/leads"
                tasks = spec["tasks"]
            queue.append({"position": position, "what": what, "key": key, "path": path, "tasks": tasks,
                          "body": json.dumps(body, ensure_ascii=False).encode()})
        p["queue"] = queue


# --- The lossy link ----------------------------------------------------------------------------------------

def reset(writer):
    """Closes with a TCP reset (SO_LINGER 0): the phone sees the connection torn down, no answer."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.transport.abort()


class Proxy:
    """HTTP/1.1 proxy, one request per connection: reads the phone's whole request, then either drops it
    (before: never forwarded), or forwards it and drops the server's answer (after: the server has done
    the work), or passes the answer on."""

    def __init__(self, upstream_port, seed):
        self.upstream_port = upstream_port
        self.rng = random.Random(seed)
        self.requests = self.before = self.after = self.passed = self.upstream_errors = 0
        self.after_status = collections.Counter()
        self.after_keys = collections.Counter()   # Idempotency-Key -> answers dropped after the server gave them
        self.after_request_ids = set()            # the X-Request-Id of each answer dropped after
        self.server = None

    async def start(self):
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0, backlog=1024)
        return self.server.sockets[0].getsockname()[1]

    async def handle(self, reader, writer):
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = re.search(rb"\r\ncontent-length:[ \t]*(\d+)", head, re.I)
            body = await reader.readexactly(int(length.group(1))) if length else b""
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        self.requests += 1
        fate = self.rng.random()
        if fate < DROP / 2:
            self.before += 1
            reset(writer)
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            up_writer.write(head + body)
            await up_writer.drain()
            answer = await up_reader.read()     # the phone asks Connection: close, so the server closes
            up_writer.close()
        except OSError:
            self.upstream_errors += 1
            reset(writer)
            return
        if fate < DROP:
            self.after += 1
            status = answer.split(b" ", 2)[1].decode() if answer.startswith(b"HTTP/") else "none"
            self.after_status[status] += 1
            key = re.search(rb"\r\nidempotency-key:[ \t]*(\S+)", head, re.I)
            self.after_keys[key.group(1).decode() if key else ""] += 1
            request_id = re.search(rb"\r\nx-request-id:[ \t]*(\S+)", answer, re.I)
            self.after_request_ids.add(request_id.group(1).decode() if request_id else "")
            reset(writer)
            return
        self.passed += 1
        try:
            writer.write(answer)
            await writer.drain()
        except ConnectionError:
            pass
        writer.close()


# --- The phones --------------------------------------------------------------------------------------------

class Lost(Exception):
    """No complete answer: the connection was reset or closed early."""


async def post(port, path, token, key, body):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
                      f"Idempotency-Key: {key}\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
                      f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body)
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    head, sep, rest = data.partition(b"\r\n\r\n")
    if not sep or not head.startswith(b"HTTP/"):
        raise Lost()
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    if "content-length" in headers and int(headers["content-length"]) != len(rest):
        raise Lost()
    return int(lines[0].split(" ", 2)[1]), headers, rest


class Tally:
    def __init__(self):
        self.sent = self.lost = self.timeouts = self.replayed = 0
        self.conflicts = []       # 409s: a key the server did not replay
        self.failures = []        # any other 4xx/5xx
        self.latencies = []       # per report: first attempt to its 2xx


async def run_phone(p, port, tally, seed):
    rng = random.Random(seed)
    for report in p["queue"]:
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            tally.sent += 1
            try:
                status, headers, body = await asyncio.wait_for(
                    post(port, report["path"], p["token"], report["key"], report["body"]), ATTEMPT_TIMEOUT)
            except (Lost, ConnectionError, asyncio.IncompleteReadError, OSError, asyncio.TimeoutError) as error:
                tally.lost += 1
                tally.timeouts += isinstance(error, asyncio.TimeoutError)
                report["lost"] = report.get("lost", 0) + 1
                # Full jitter: anywhere up to the doubled step, so 200 phones that lost the link at once spread out.
                await asyncio.sleep(rng.uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1))))
                continue
            break
        report["attempts"] = attempt
        report["status"] = status
        if 200 <= status < 300:
            report["id"] = json.loads(body)["id"]
            report["replayed"] = headers.get("idempotent-replayed") == "true"
            tally.replayed += report["replayed"]
            tally.latencies.append(time.monotonic() - started)
        elif status == 409:
            tally.conflicts.append((p["username"], report["position"], body.decode(errors="replace")[:200]))
        else:
            tally.failures.append((p["username"], report["position"], status, body.decode(errors="replace")[:300]))


async def replay(phones, upstream_port, seed):
    proxy = Proxy(upstream_port, seed)
    port = await proxy.start()
    tally = Tally()
    t0 = time.monotonic()
    await asyncio.gather(*(run_phone(p, port, tally, seed * 1000 + p["n"]) for p in phones))
    took = time.monotonic() - t0
    proxy.server.close()
    await proxy.server.wait_closed()
    return proxy, tally, took


# --- What the database holds -------------------------------------------------------------------------------

def verify(args, phones):
    ids = ",".join(str(p["user_id"]) for p in phones)
    key_re = re.compile(r"field-load ([0-9a-f-]{36})")
    stored = collections.defaultdict(list)   # key -> [(table, row id, user id)]
    stray = 0
    for rid, uid, notes in psql(args, f"SELECT id, visited_by, coalesce(notes, '') FROM household_visits WHERE visited_by IN ({ids})"):
        m = key_re.search(notes)
        if m:
            stored[m.group(1)].append(("visit", int(rid), int(uid)))
        else:
            stray += 1
    tasks = {}
    for rid, uid, summary, reasons, done in psql(args, f"""
            SELECT l.id, l.reported_by, l.summary, cardinality(l.mandatory_reports),
                   (SELECT count(*) FROM lead_tasks t WHERE t.lead_id = l.id AND t.kind = 'mandatory_report'
                      AND t.reason = ANY (l.mandatory_reports))
            FROM leads l WHERE l.reported_by IN ({ids})"""):
        m = key_re.search(summary)
        if m:
            stored[m.group(1)].append(("lead", int(rid), int(uid)))
            tasks[int(rid)] = (int(reasons), int(done))
        else:
            stray += 1
    keys = collections.defaultdict(list)     # key -> the row id its idempotency record answers with
    for scope, key, result in psql(args, f"""
            SELECT scope, key, coalesce(result::text, '') FROM idempotency_keys
            WHERE scope IN ({",".join(f"'user:{p['user_id']}'" for p in phones)})"""):
        row = json.loads(result) if result else {}
        keys[key].append((scope, row.get("visitID", row.get("id"))))

    once = duplicates = missing = wrong = out_of_order = visits = leads = 0
    tasks_expected = tasks_found = 0
    answer_mismatch = key_mismatch = 0
    for p in phones:
        last = {"visit": 0, "lead": 0}
        for report in p["queue"]:
            rows = stored.get(report["key"], [])
            if not rows:
                missing += 1
                continue
            duplicates += len(rows) - 1
            table, rid, uid = rows[0]
            if len(rows) > 1:
                continue
            if table != report["what"] or uid != p["user_id"]:
                wrong += 1
                continue
            once += 1
            visits += table == "visit"
            leads += table == "lead"
            # One report at a time per phone: each is committed before the next is sent, so ids rise in queue order.
            if rid < last[table]:
                out_of_order += 1
            last[table] = rid
            if report.get("id") != rid:
                answer_mismatch += 1
            if keys.get(report["key"]) != [(f"user:{p['user_id']}", rid)]:
                key_mismatch += 1
            if table == "lead":
                reasons, done = tasks[rid]
                tasks_expected += report["tasks"]
                tasks_found += min(done, report["tasks"]) if reasons == report["tasks"] else 0
    extra_keys = sum(len(v) for v in keys.values()) - REPORTS * len(phones)
    return {"once": once, "visits": visits, "leads": leads, "duplicates": duplicates, "missing": missing, "wrong": wrong,
            "stray": stray, "out_of_order": out_of_order, "tasks_expected": tasks_expected, "tasks_found": tasks_found,
            "answer_mismatch": answer_mismatch, "key_mismatch": key_mismatch, "extra_keys": extra_keys}


def server_answers(log_path):
    """The report requests the server answered, by its own request log (info level): per status, and
    the request ids."""
    answered = collections.Counter()
    request_ids = set()
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            route = re.search(r"\broute=(\S+)", line)
            if "method=POST" in line and route and route.group(1) in (VISIT_ROUTE, LEAD_ROUTE):
                status = re.search(r"\bstatus=(\d+)", line)
                answered[status.group(1) if status else "?"] += 1
                request_id = re.search(r"\brequest\.id=(\S+)", line)
                request_ids.add(request_id.group(1) if request_id else "")
    return answered, request_ids


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--huiyin", required=True, help="the huiyin binary (user add)")
    parser.add_argument("--pg", required=True, help="ops/pg.sh")
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True, help="huiyin serve's port on 127.0.0.1")
    parser.add_argument("--today", required=True, help="the server's day, YYYY-MM-DD")
    parser.add_argument("--server-log", required=True)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()

    rng = random.Random(args.seed)
    phones = plan(args, rng)
    took = create_users(args, phones)
    say(f"{PHONES} grid workers made with `huiyin user add` (4 at a time) in {took:.1f} s, "
        f"on {len({p['grid'] for p in phones})} grids; seed {args.seed}")
    make_queues(phones, rng)

    proxy, tally, took = asyncio.run(replay(phones, args.port, args.seed))
    total = PHONES * REPORTS
    dropped = proxy.before + proxy.after
    say(f"{PHONES} phones x {REPORTS} reports = {total} reports; requests sent {tally.sent}, "
        f"dropped before {proxy.before}, dropped after {proxy.after} ({100 * dropped / max(1, proxy.requests):.1f} %), "
        f"retries {tally.sent - total}, replayed answers {tally.replayed}, 409 {len(tally.conflicts)}, "
        f"other errors {len(tally.failures)}")

    result = verify(args, phones)
    say(f"stored exactly once: {result['once']} of {total} (visits {result['visits']}, leads {result['leads']}), "
        f"duplicates {result['duplicates']}, missing {result['missing']}, out of order {result['out_of_order']}; "
        f"lead tasks {result['tasks_found']} of {result['tasks_expected']} expected")
    answered, logged_ids = server_answers(args.server_log)
    unlogged = len(proxy.after_request_ids - logged_ids)
    # A report comes back replayed exactly when the proxy swallowed an answer the server gave for its key.
    replayed_keys = {r["key"] for p in phones for r in p["queue"] if r.get("replayed")}
    swallowed_keys = {k for k, n in proxy.after_keys.items() if n}
    say(f"server log: {sum(answered.values())} report requests answered ({', '.join(f'{n} x {s}' for s, n in sorted(answered.items()))}) "
        f"= passed on {proxy.passed} + dropped after {proxy.after} (their answers: "
        f"{', '.join(f'{n} x {s}' for s, n in sorted(proxy.after_status.items())) or 'none'}, "
        f"{len(proxy.after_request_ids) - unlogged} of {len(proxy.after_request_ids)} request ids in the log); "
        f"reports answered Idempotent-Replayed {len(replayed_keys)}, reports with an answer dropped after {len(swallowed_keys)}")
    lat = tally.latencies
    attempts = collections.Counter(r.get("attempts", 0) for p in phones for r in p["queue"])
    say(f"took {took:.1f} s, {total / took:.0f} reports/s; per report p50 {1000 * percentile(lat, 0.5):.0f} ms, "
        f"p99 {1000 * percentile(lat, 0.99):.0f} ms, max {1000 * max(lat, default=0):.0f} ms; "
        f"attempts per report {', '.join(f'{k}: {v}' for k, v in sorted(attempts.items()))}")

    problems = []
    for user, position, status, body in tally.failures[:10]:
        problems.append(f"{user} report {position + 1}: {status} {body}")
    for user, position, body in tally.conflicts[:10]:
        problems.append(f"{user} report {position + 1}: 409 {body}")
    if tally.failures or tally.conflicts:
        problems.append(f"{len(tally.failures)} error answers, {len(tally.conflicts)} 409s")
    if result["once"] != total or result["duplicates"] or result["missing"] or result["wrong"] or result["stray"]:
        problems.append(f"not every report stored exactly once: {result}")
    if result["out_of_order"]:
        problems.append(f"{result['out_of_order']} reports stored out of their phone's order")
    if result["answer_mismatch"] or result["key_mismatch"] or result["extra_keys"]:
        problems.append(f"answers or idempotency records do not match the rows: {result['answer_mismatch']} answers, "
                        f"{result['key_mismatch']} keys, {result['extra_keys']} extra keys")
    if result["tasks_found"] != result["tasks_expected"] or result["tasks_expected"] == 0:
        problems.append("lead tasks missing for mandatory-report leads")
    if proxy.before == 0 or proxy.after == 0 or abs(dropped / proxy.requests - DROP) > 0.03:
        problems.append(f"the link did not lose about {DROP:.0%} of the requests")
    # Every answer the proxy swallowed reached the server: its log shows them, and each such report came back replayed.
    if sum(answered.values()) != proxy.passed + proxy.after or unlogged or len(proxy.after_request_ids) != proxy.after:
        problems.append("the server log does not show every forwarded request and every answer dropped after")
    if replayed_keys != swallowed_keys:
        problems.append(f"{len(replayed_keys ^ swallowed_keys)} reports replayed without a dropped answer, or the reverse")
    if proxy.upstream_errors or tally.timeouts:
        problems.append(f"{proxy.upstream_errors} proxy connections to the server failed, {tally.timeouts} attempts timed out")
    for problem in problems:
        print(f"field-load: FAILED: {problem}", file=sys.stderr, flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failed as error:
        print(f"field-load: FAILED: {error}", file=sys.stderr, flush=True)
        sys.exit(1)
