#!/usr/bin/env bash
# Case list benchmark: 1,000,000 cases (generated in SQL, through the tables' triggers and constraints)
# over the demo unit tree, then a province supervisor's and a township handler's filtered page and count
# over HTTP against a release build. Prints the median and 95th percentile of each and compares them
# with the goals (province ≤ 50 ms, township ≤ 5 ms).
# Env: CASES (default 1000000), RUNS (requests per measurement, default 50), KEEP_DB=1 (keep huiyin_bench_cases).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
PG=$ROOT/ops/pg.sh
LOGS=$ROOT/.data/bench-cases
CASES=${CASES:-1000000}
RUNS=${RUNS:-50}
DB=huiyin_bench_cases

die() { echo "bench: $*" >&2; exit 1; }

ops/setup.sh curl
mkdir -p "$LOGS"

started=0 db_ready=0 server_pid=''
# shellcheck disable=SC2317,SC2329  # invoked by trap
cleanup() {
  local rc=$?
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; fi
  if ((db_ready)) && [[ ${KEEP_DB:-0} != 1 ]]; then
    "$PG" psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  if ((started)); then "$PG" stop >/dev/null || true; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ! "$PG" status >/dev/null; then started=1; "$PG" start >/dev/null; fi

"$PG" recreatedb "$DB"
db_ready=1
eval "$(HUIYIN_DB_NAME=$DB "$PG" env)"
export HUIYIN_LOG_LEVEL=warning
q() { "$PG" psql -qtA -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; }

echo "bench: release build"
swift build -c release --product huiyin --scratch-path .build/bench >"$LOGS/build.log" 2>&1 ||
  { grep -E 'error:' "$LOGS/build.log" | sort -u | head -20 >&2; die "release build failed (log: $LOGS/build.log)"; }
huiyin=$(swift build -c release --scratch-path .build/bench --show-bin-path)/huiyin
"$huiyin" migrate >"$LOGS/migrate.log" 2>&1 || { cat "$LOGS/migrate.log" >&2; die "migrate failed"; }
"$huiyin" seed --cases 0 >"$LOGS/seed.log" 2>&1 || { cat "$LOGS/seed.log" >&2; die "seed failed"; }
token() { "$huiyin" user add --username "$1" --name 压测 --unit "$2" --role "$3" | sed -n 's/^API token (shown once): //p'; }
province_token=$(token bench.province hb supervisor)
township_token=$(token bench.township hb-yc-yl-02 handler)
[[ -n $province_token && -n $township_token ]] || die "no API tokens from 'huiyin user add'"

echo "bench: generating $CASES cases"
start=$(date +%s)
# Cases spread over every unit of the tree (status, category, channel and unit drawn independently by
# hash), dated over two years; a third of the registered ones past their acceptance day. Each gets its first contact and its acceptance clock, as intake writes them.
q "
SET synchronous_commit = off;
CREATE TEMP TABLE bench_units AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM units;
INSERT INTO cases (tracking_no, query_code_hash, query_code_salt, category, summary, status, unit_id, channel,
                   received_on, contact_count, created_at, updated_at)
SELECT 'BENCH' || lpad(i::text, 9, '0'), '\\x00', '\\x00',
       (ARRAY['marriage_family','domestic_violence','sexual_assault','minors_rights','labor_social_security',
              'property_rights','personal_rights','other'])[1 + (hashint8(i) & 2147483647) % 8],
       '压测案件 ' || i, (ARRAY['registered','accepted','transferred','replied','closed','closed'])[1 + (hashint8(i + 1) & 2147483647) % 6],
       u.id, (ARRAY['call','call','letter','visit','online'])[1 + (hashint8(i + 2) & 2147483647) % 5],
       current_date - (730 - (i::bigint * 730 / $CASES))::int, 1,
       now() - make_interval(days => (730 - (i::bigint * 730 / $CASES))::int),
       now() - make_interval(days => (730 - (i::bigint * 730 / $CASES))::int)
FROM generate_series(1, $CASES) i
JOIN bench_units u ON u.k = (hashint8(i + 3) & 2147483647) % (SELECT count(*) FROM bench_units);
INSERT INTO contacts (case_id, channel, summary, received_on, recorded_at, sub_line, letter_sender, letter_on_behalf,
                      visit_window, visitors)
SELECT id, channel, summary, received_on, created_at,
       CASE channel WHEN 'call' THEN 'main' END, CASE channel WHEN 'letter' THEN '来信人' END,
       CASE channel WHEN 'letter' THEN false END, CASE channel WHEN 'visit' THEN '接待窗口' END,
       CASE channel WHEN 'visit' THEN 1 + id % 8 END
FROM cases WHERE tracking_no LIKE 'BENCH%';
INSERT INTO clocks (case_id, kind, rule_limit, started_on, due_on, due_at, state, unit_id, channel, created_at)
SELECT id, 'acceptance', '15d', received_on, received_on + CASE WHEN id % 3 = 0 THEN 15 ELSE 800 END,
       (received_on + CASE WHEN id % 3 = 0 THEN 15 ELSE 800 END + 1)::timestamptz,
       'running', unit_id, channel, created_at
FROM cases WHERE status = 'registered' AND tracking_no LIKE 'BENCH%';
" >/dev/null
q "VACUUM ANALYZE" >/dev/null
echo "bench: $(q "SELECT count(*) FROM cases") cases, $(q "SELECT count(*) FROM cases WHERE sealed") sealed, $(q "SELECT count(*) FROM units") units, loaded in $(( $(date +%s) - start )) s"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$huiyin" serve --port "$port" --sweep-interval 0 >"$LOGS/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 150); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || die "server exited; log: $LOGS/serve.log"
  sleep 0.2
done

# One keep-alive connection per measurement; median and p95 of RUNS requests after 5 warm-ups.
python3 - "$port" "$RUNS" "$province_token" "$township_token" <<'PY'
import http.client, json, statistics, sys, time
port, runs, province, township = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
filters = "status=accepted&category=marriage_family"
cases = [
    ("province supervisor", province, "page ", f"/api/v1/cases?{filters}&limit=50", 50),
    ("province supervisor", province, "count", f"/api/v1/cases/count?{filters}", 50),
    ("province supervisor", province, "page (overdue, date range)", "/api/v1/cases?overdue=true&received_from=2025-06-01&limit=50", 50),
    ("province supervisor", province, "count (overdue, date range)", "/api/v1/cases/count?overdue=true&received_from=2025-06-01", 50),
    ("township handler   ", township, "page ", f"/api/v1/cases?{filters}&limit=50", 5),
    ("township handler   ", township, "count", f"/api/v1/cases/count?{filters}", 5),
]
failed = 0
for who, token, what, path, goal in cases:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    times, body = [], None
    for i in range(runs + 5):
        started = time.perf_counter()
        conn.request("GET", path, headers={"Authorization": "Bearer " + token})
        response = conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            sys.exit(f"bench: {path} answered {response.status}: {body[:200]!r}")
        if i >= 5:
            times.append(elapsed)
    data = json.loads(body)
    size = f"count {data['count']}" if "count" in data else f"{len(data['cases'])} rows"
    median, p95 = statistics.median(times), sorted(times)[int(len(times) * 0.95) - 1]
    verdict = "meets" if p95 <= goal else "MISSES"
    failed += p95 > goal
    print(f"bench: {who} {what:<30} median {median:6.2f} ms  p95 {p95:6.2f} ms  goal ≤ {goal} ms: {verdict} ({size})")
print(f"bench: {len(cases) - failed} of {len(cases)} measurements meet their goal (p95)")
PY
