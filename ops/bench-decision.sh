#!/usr/bin/env bash
# Decision-support benchmark (release build, own database huiyin_decisionbench on the private cluster):
#  1. generates, set-based (ops/bench/decision-gen.sql, decision-window.sql), a 5-level tree of 50,000
#     units and CONTACTS contacts over 3 years ending yesterday (Asia/Shanghai) with their cases and
#     case events (repeat petitions, sealed categories, collective visits, minors, transfers);
#  2. `huiyin figures rebuild` over the 3 years;
#  3. over HTTP with an API token, p50/p99 of RUNS sequential requests: the province's monthly report
#     (target <= 1 s), a township's (<= 50 ms), the analysis of a county (<= 200 ms; JSON, and the
#     console page through a login session); a closed month's report is kept once made, so each
#     report is timed both read as kept and generated (the kept one deleted before each request).
#     Routes not in openapi.json yet are timed as their SQL on daily_figures instead (said so);
#  4. `huiyin warnings pass --week-ending <yesterday>` over every unit and series (<= 60 s);
#  5. the intake cost of keeping the figures: ops/bench-intake-ab.sh, a build of BEFORE_REV (no figures)
#     and this one loaded in alternating rounds beside the C reference (Huiyin/C of each, the difference).
# Env: CONTACTS (default 10000000), RUNS (default 50), KEEP_DB=1 (keep the database; a kept one with the
#      same CONTACTS is reused, generating is slow), INTAKE=0 (skip step 5), INTAKE=only (step 5 alone),
#      FIGURES_FROM (first day to rebuild; default the whole history); for step 5 BEFORE_REV (default
#      1440475), BEFORE_DIR, REF, ROUNDS, DURATION as ops/bench-intake-ab.sh takes them.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
PG=$ROOT/ops/pg.sh
DB=huiyin_decisionbench
CONTACTS=${CONTACTS:-10000000}
RUNS=${RUNS:-50}
INTAKE=${INTAKE:-1}
BEFORE_REV=${BEFORE_REV:-1440475}
BEFORE_DIR=${BEFORE_DIR:-$ROOT/../bench-before}
LOGS=$ROOT/.data/bench-decision
TZ_LOCAL=Asia/Shanghai
PASSWORD=bench-decision-password

die() { echo "bench-decision: $*" >&2; exit 1; }

ops/setup.sh curl >/dev/null
mkdir -p "$LOGS"
started=0 server_pid='' db_used=0
# shellcheck disable=SC2317,SC2329  # invoked by trap
cleanup() {
  local rc=$?
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; fi
  # Only a database this run made or used is dropped (INTAKE=only never touches it).
  if ((db_used)) && [[ ${KEEP_DB:-0} != 1 ]]; then
    "$PG" psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  if ((started)); then "$PG" stop >/dev/null || true; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ! "$PG" status >/dev/null; then started=1; "$PG" start >/dev/null; fi
q() { "$PG" psql -qtA -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t ? "MET" : "MISSED") }'; }   # verdict VALUE TARGET

# --- 5. Intake cost of the figures (defined here, run last; INTAKE=only runs it alone) ---------------
# ops/bench-intake-ab.sh: BEFORE_REV's build and this one side by side with the C reference, in rounds.
intake_cost() {
  echo "intake cost: load before $(cut -d' ' -f1-3 /proc/loadavg)"
  BEFORE_REV=$BEFORE_REV BEFORE_DIR=$BEFORE_DIR ops/bench-intake-ab.sh 2>&1 | sed 's/^/  /'
  return "${PIPESTATUS[0]}"
}
if [[ $INTAKE == only ]]; then intake_cost; exit 0; fi

# The history ends with yesterday (local time); a kept database says which yesterday it was made for.
marker="contacts=$CONTACTS"
db_used=1
exists=$("$PG" psql -qtA -d postgres -c "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$DB'")
if [[ ${KEEP_DB:-0} == 1 && $exists == "$marker "* ]]; then
  reuse=1 last_day=${exists##* last_day=}
else
  reuse=0 last_day=$(TZ=$TZ_LOCAL date -d yesterday +%F)
  "$PG" recreatedb "$DB" >/dev/null
fi
first_day=$(date -d "$last_day - 1094 days" +%F)
eval "$(HUIYIN_DB_NAME=$DB "$PG" env)"
export HUIYIN_LOG_LEVEL=warning

swift build -c release --product huiyin >"$LOGS/build.log" 2>&1 ||
  { grep -E 'error:' "$LOGS/build.log" | sort -u | head -20 >&2; die "release build failed (log: $LOGS/build.log)"; }
huiyin=$(swift build -c release --show-bin-path)/huiyin
"$huiyin" migrate >"$LOGS/migrate.log" 2>&1 || { cat "$LOGS/migrate.log" >&2; die "migrate failed"; }

echo "bench-decision: $(date -u +%FT%TZ)  $(git rev-parse --short HEAD)$([[ -z $(git status --porcelain -- Sources sql) ]] || echo +dirty)" \
     " $(nproc) cpus  PostgreSQL $(q 'SHOW server_version' | cut -d' ' -f1)  load $(cut -d' ' -f1-3 /proc/loadavg)"

# --- 1. History -----------------------------------------------------------------------------------
cases=$(( (CONTACTS + 1) * 4 / 5 ))   # every eighth case has 3 contacts: 1.25 contacts per case
if ((reuse)); then
  echo "history: reused $DB ($marker, $first_day … $last_day)"
else
  t0=$(date +%s.%N)
  # The tree, level by level (the trigger fills each path from the parent's).
  q "INSERT INTO units (id, parent_id, level, code, name) VALUES (1, NULL, 'province', 'p', '某省妇联');
     INSERT INTO units (id, parent_id, level, code, name)
     SELECT 1 + c, 1, 'city', 'c' || c, '市' || lpad(c::text, 2, '0') || '妇联' FROM generate_series(1, 14) c;
     INSERT INTO units (id, parent_id, level, code, name)
     SELECT 100 + k, 2 + (k - 1) % 14, 'county', 'k' || k, '县' || lpad(k::text, 3, '0') || '妇联' FROM generate_series(1, 120) k;
     INSERT INTO units (id, parent_id, level, code, name)
     SELECT 1000 + t, 101 + (t - 1) % 120, 'township', 't' || t, '乡' || lpad(t::text, 4, '0') || '妇联' FROM generate_series(1, 1500) t;
     INSERT INTO units (id, parent_id, level, code, name)
     SELECT 10000 + v, 1001 + (v - 1) % 1500, 'village', 'v' || v, '村' || lpad(v::text, 5, '0') || '妇联' FROM generate_series(1, 48365) v;
     SELECT setval('units_id_seq', 100000);
     ANALYZE units;" >/dev/null
  "$PG" psql -q -v ON_ERROR_STOP=1 -d "$DB" -f ops/bench/decision-gen.sql >/dev/null
  # 30-day windows, each table written in time order by its own session (the three side by side).
  at() { echo "$(date -d "$first_day + $1 days" +%F) 00:00 $TZ_LOCAL"; }   # local midnight, day N of the history
  fill() {   # fill TABLE: every window of one table
    local w a b log=$LOGS/generate-$1.log
    : >"$log"
    for ((w = 0; w * 30 < 1095; w++)); do
      a=$(at $((w * 30))) b=$(at $(((w + 1) * 30 > 1095 ? 1095 : (w + 1) * 30)))
      "$PG" psql -q -v ON_ERROR_STOP=1 -d "$DB" -v a="$a" -v b="$b" -v s="$(at 0)" -v e="$(at 1095)" -v n="$cases" \
        -v cases="$([[ $1 == cases ]] && echo 1 || echo 0)" -v contacts="$([[ $1 == contacts ]] && echo 1 || echo 0)" \
        -v events="$([[ $1 == events ]] && echo 1 || echo 0)" -f ops/bench/decision-window.sql >>"$log" 2>&1 || return 1
      printf '%s: window %2d (%s) written, %s s\n' "$1" "$w" "${a%% *}" "$(secs "$t0" "$(date +%s.%N)")" >>"$log"
    done
  }
  pids=()
  for table in cases contacts events; do fill "$table" & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid" || { tail -5 "$LOGS"/generate-*.log >&2; die "generation failed"; }; done
  t1=$(date +%s.%N)
  "$PG" psql -q -v ON_ERROR_STOP=1 -d "$DB" -f ops/bench/decision-finish.sql >"$LOGS/generate-indexes.log" 2>&1 ||
    { tail -20 "$LOGS/generate-indexes.log" >&2; die "index build failed"; }
  t2=$(date +%s.%N)
  q "SELECT setval('cases_id_seq', $cases); SELECT setval('case_serial', $cases);" >/dev/null
  # Bulk-loaded tables as autovacuum would leave them: statistics, visibility map.
  q "VACUUM (ANALYZE) units, cases, contacts, case_events" >/dev/null
  t3=$(date +%s.%N)
  q "COMMENT ON DATABASE $DB IS '$marker last_day=$last_day'" >/dev/null
  echo "generate: $(secs "$t0" "$t3") s for 50,000 units, $cases cases, $CONTACTS contacts over $first_day … $last_day" \
       "(rows $(secs "$t0" "$t1") s, indexes $(secs "$t1" "$t2") s, vacuum analyze $(secs "$t2" "$t3") s; $(q "SELECT pg_size_pretty(pg_database_size('$DB'))"))"
fi
echo "history: $(q "SELECT string_agg(level || ' ' || n, ', ' ORDER BY min) FROM (SELECT level, count(*) n, min(id) FROM units GROUP BY level) s")"
echo "history: $(q "SELECT count(*) FROM contacts") contacts ($(q "SELECT round(100.0 * count(*) FILTER (WHERE channel = 'visit' AND visitors >= 5) / count(*), 2) FROM contacts") % collective visits)," \
     "$(q "SELECT count(*) FROM cases") cases ($(q "SELECT round(100.0 * count(*) FILTER (WHERE contact_count > 1) / count(*), 1) || ' % repeat, ' || round(100.0 * count(*) FILTER (WHERE category = 'domestic_violence') / count(*), 1) || ' % domestic violence, ' || round(100.0 * count(*) FILTER (WHERE sealed) / count(*), 1) || ' % sealed, ' || round(100.0 * count(*) FILTER (WHERE victim_is_minor) / count(*), 1) || ' % minor, ' || count(*) FILTER (WHERE transfer_from_unit_id IS NOT NULL) || ' transferred' FROM cases")),"
echo "history: $(q "SELECT count(*) FROM case_events") case events; load $(cut -d' ' -f1-3 /proc/loadavg)"

# --- 2. Figures -----------------------------------------------------------------------------------
# FIGURES_FROM rebuilds only from that day (a partial run on a busy machine; the 3-year time is then
# extrapolated from the days done and said so). The warning pass needs its 9 weeks, the report its month.
figures_from=${FIGURES_FROM:-$first_day}
days=$(( ($(date -d "$last_day" +%s) - $(date -d "$figures_from" +%s)) / 86400 + 1 ))
# One day's recount takes longer than the application's default statement timeout (5 s) at this size,
# so the rebuild runs with REBUILD_TIMEOUT_MS; the day's cost with and without JIT is printed apart.
t0=$(date +%s.%N)
HUIYIN_STATEMENT_TIMEOUT_MS=${REBUILD_TIMEOUT_MS:-600000} \
  "$huiyin" figures rebuild --from "$figures_from" --through "$last_day" >"$LOGS/figures.log" 2>&1 ||
  { tail -20 "$LOGS/figures.log" >&2; die "figures rebuild failed"; }
t1=$(date +%s.%N)
day_ms() {   # day_ms JIT: server time of one recount of last_day (rolled back)
  { echo "SET jit = $1;"; echo 'BEGIN;'; printf '%s\n' '\timing on'
    echo "SELECT refresh_daily_figures('$last_day', '$last_day 00:00 $TZ_LOCAL', '$last_day 00:00 $TZ_LOCAL'::timestamptz + interval '1 day');"
    echo 'ROLLBACK;'; } | "$PG" psql -qtA -d "$DB" 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | head -n1
}
echo "one day's recount (refresh_daily_figures, $last_day): $(day_ms on) ms with JIT (as configured), $(day_ms off) ms with jit = off;" \
     "application statement timeout $(( ${HUIYIN_STATEMENT_TIMEOUT_MS:-5000} )) ms"
q "VACUUM (ANALYZE) daily_figures" >/dev/null
echo "figures rebuild: $(secs "$t0" "$t1") s for $days days, $(awk -v t="$(secs "$t0" "$t1")" -v d="$days" 'BEGIN { printf "%.2f", t / d }') s/day" \
     "$( ((days < 1095)) && awk -v t="$(secs "$t0" "$t1")" -v d="$days" 'BEGIN { printf "(3 years extrapolated: %.0f s) ", t / d * 1095 }')" \
     " $(sed -n 's/^figures: //p' "$LOGS/figures.log")  ($(q "SELECT pg_size_pretty(pg_total_relation_size('daily_figures'))"))  load $(cut -d' ' -f1-3 /proc/loadavg)"

# --- 3. Reports and analysis ----------------------------------------------------------------------
# A province leader with an API token (and a console password for the page).
user=bench$(date +%s)   # a new one per run: a kept database keeps the earlier ones
token=$("$huiyin" user add --username "$user" --name 压测 --unit p --role leader | sed -n 's/^API token (shown once): //p')
[[ -n $token ]] || die "no API token from 'huiyin user add'"
echo "$PASSWORD" | "$huiyin" user password "$user" >/dev/null

month=$(date -d "$last_day" +%Y-%m)
[[ $(date -d "$last_day + 1 day" +%d) == 01 ]] || month=$(date -d "$(date -d "$last_day" +%Y-%m-01) - 1 day" +%Y-%m)   # the last full month
# The busiest township and county of the month (most contacts in their subtree).
busiest() { q "SELECT f.unit_id FROM daily_figures f JOIN units u ON u.id = f.unit_id AND u.level = '$1'
               WHERE f.measure = 'contacts_by_channel' AND f.day BETWEEN '$month-01' AND '$last_day'
               GROUP BY f.unit_id ORDER BY sum(f.count) DESC LIMIT 1"; }
township=$(busiest township) county=$(busiest county)
category=domestic_violence
has_route() { python3 -c 'import json, sys; sys.exit(0 if sys.argv[2] in json.load(open(sys.argv[1]))["paths"] else 1)' \
              Sources/HuiyinWeb/openapi.json "$1"; }

# pct FILE: "p50 p99" in ms of the seconds listed one a line.
pct() { sort -g "$1" | awk '{ v[NR] = $1 * 1000 } END { i50 = int(NR * 0.5 + 0.5); i99 = int(NR * 0.99 + 0.5); if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1; printf "%.1f %.1f\n", v[i50], v[i99] }'; }
# timed LABEL TARGET_MS FILE: the printed line.
timed() {
  local p50 p99
  read -r p50 p99 < <(pct "$3")
  printf '%-44s p50 %8.1f ms  p99 %8.1f ms  (%d runs, target <= %s ms: %s)\n' "$1" "$p50" "$p99" "$(wc -l <"$3")" "$2" "$(verdict "$p99" "$2")"
}
# http LABEL TARGET_MS URL [curl args]: RUNS sequential GETs on one connection (one warm-up first).
http() {
  local label=$1 target=$2 url=$3 out=$LOGS/http-${1//[^a-z0-9]/_}
  shift 3
  local code first
  read -r code first < <(curl -sS -o "$out.body" -w '%{http_code} %{time_total}\n' "$@" "$url")
  [[ $code == 200 ]] || die "$label: HTTP $code: $(head -c 300 "$out.body")"
  local urls=()
  for ((i = 0; i < RUNS; i++)); do urls+=(-o /dev/null "$url"); done
  curl -sS -w '%{time_total}\n' "$@" "${urls[@]}" >"$out.times"
  timed "$label ($(wc -c <"$out.body") B)" "$target" "$out.times"
  awk -v t="$first" 'BEGIN { printf "    first request (cold caches): %.1f ms\n", t * 1000 }'
}
# generated LABEL TARGET_MS UNIT: RUNS generations of the unit's report of the month, the kept one
# deleted before each (outside the timing), as an open month's report is made on every request.
generated() {
  local out=$LOGS/generated-${1//[^a-z0-9]/_}
  : >"$out.times"
  for ((i = 0; i < RUNS; i++)); do
    q "DELETE FROM monthly_reports WHERE unit_id = $3 AND month = '$month-01'" >/dev/null
    curl -fsS -o /dev/null -w '%{time_total}\n' "${auth[@]}" "$base/api/v1/reports/monthly?unit_id=$3&month=$month" >>"$out.times"
  done
  timed "$1" "$2" "$out.times"
}
# sqltime LABEL TARGET_MS SQL: the statement RUNS times in one psql session, server-side \timing.
sqltime() {
  local out=$LOGS/sql-${1//[^a-z0-9]/_}
  { printf '%s\n' '\timing on'; for ((i = 0; i <= RUNS; i++)); do echo "$3;"; done; } |
    "$PG" psql -qtA -v ON_ERROR_STOP=1 -d "$DB" 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n +2 |
    awk '{ print $1 / 1000 }' >"$out.times"
  timed "$1 [SQL stand-in]" "$2" "$out.times"
}
# The stand-in queries: what the report reads (the unit's own sums and its children's) and the analysis
# (a category's daily series over the 3 years, the unit's and its children's).
report_sql() {
  local from to; from=$2-01; to=$(date -d "$2-01 + 1 month - 1 day" +%F)
  echo "SELECT measure, dimension, sum(count) FROM daily_figures WHERE unit_id = $1 AND day BETWEEN '$from' AND '$to' GROUP BY 1, 2
        UNION ALL SELECT u.id || ':' || f.measure, f.dimension, sum(f.count) FROM units u
        JOIN daily_figures f ON f.unit_id = u.id AND f.day BETWEEN '$from' AND '$to' WHERE u.parent_id = $1 GROUP BY 1, 2"
}
analysis_sql() {
  echo "SELECT f.unit_id, date_trunc('week', f.day), sum(f.count) FROM daily_figures f
        WHERE f.unit_id IN (SELECT $1 UNION ALL SELECT id FROM units WHERE parent_id = $1)
          AND f.measure = 'contacts_by_category' AND f.dimension = '$2' AND f.day BETWEEN '$first_day' AND '$last_day' GROUP BY 1, 2"
}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$huiyin" serve --port "$port" --log-level warning >"$LOGS/huiyin.log" 2>&1 &
server_pid=$!
for _ in $(seq 150); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || die "server exited; log: $LOGS/huiyin.log"
  sleep 0.2
done
base=http://127.0.0.1:$port
auth=(-H "Authorization: Bearer $token")
echo "reads: month $month, township $township, county $county, category $category; load $(cut -d' ' -f1-3 /proc/loadavg)"
if has_route /api/v1/reports/monthly; then
  # A kept database keeps the reports an earlier run made: the first request below generates them again.
  q "DELETE FROM monthly_reports WHERE month = '$month-01' AND unit_id IN (1, $township)" >/dev/null
  http "monthly report, province, kept (JSON)" 1000 "$base/api/v1/reports/monthly?unit_id=1&month=$month" "${auth[@]}"
  http "monthly report, township, kept (JSON)" 50 "$base/api/v1/reports/monthly?unit_id=$township&month=$month" "${auth[@]}"
  generated "monthly report, province, generated" 1000 1
  generated "monthly report, township, generated" 50 "$township"
else
  sqltime "monthly report, province" 1000 "$(report_sql 1 "$month")"
  sqltime "monthly report, township" 50 "$(report_sql "$township" "$month")"
fi
if has_route /api/v1/analysis; then
  http "analysis, county (JSON)" 200 "$base/api/v1/analysis?unit_id=$county&series=category:$category" "${auth[@]}"
  # The console page: log in as the same user (the login form's CSRF value is its cookie's).
  jar=$LOGS/cookies.txt
  rm -f "$jar"
  curl -fsS -o /dev/null -c "$jar" "$base/login"
  csrf=$(awk '$6 ~ /csrf/ { print $7 }' "$jar" | tail -n1)
  curl -sS -o /dev/null -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "username=$user" \
    --data-urlencode "password=$PASSWORD" "$base/login"
  if grep -q huiyin_session "$jar"; then
    http "analysis page, county (HTML)" 200 "$base/analysis?unit_id=$county&series=category:$category" -b "$jar"
  else
    echo "analysis page, county (HTML): not timed, the console login failed"
  fi
else
  sqltime "analysis, county" 200 "$(analysis_sql "$county" "$category")"
fi
kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=''

# --- 4. Early warnings ----------------------------------------------------------------------------
t0=$(date +%s.%N)
"$huiyin" warnings pass --week-ending "$last_day" >"$LOGS/warnings.log" 2>&1 || { tail -20 "$LOGS/warnings.log" >&2; die "warning pass failed"; }
t1=$(date +%s.%N)
echo "warning pass: $(secs "$t0" "$t1") s (target <= 60 s: $(verdict "$(secs "$t0" "$t1")" 60))  $(sed -n 's/^warnings: //p' "$LOGS/warnings.log")  load $(cut -d' ' -f1-3 /proc/loadavg)"


# --- 5. Intake cost of the figures ----------------------------------------------------------------
if [[ $INTAKE == 1 ]]; then intake_cost; fi
