#!/usr/bin/env bash
# Monthly visit benchmark on a province-sized register: 1,000,000 key households in 50,000 grids (1 province,
# 10 cities, 100 counties, 1,000 townships, 10,000 villages), three months of visits, all generated set-based
# in SQL together with the per-grid counters the server keeps. The server's clock (HUIYIN_CLOCK_FILE) is the
# 21st of this month, 10:00 in Shanghai, with 100,000 households (two per grid) not visited this month.
# Prints: the sweep's first pass (the overdue notices) and a no-op pass; the completion figures for the
# province and for one township (GET /api/v1/visits/progress, wrk -c1, median latency); recording a visit at
# 16 connections (POST /api/v1/households/{id}/visits, wrk). Each figure beside its target. Release build.
# Env: DURATION (s per wrk run, default 10), KEEP_DB=1 (keep huiyin_visitbench).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
PG=$ROOT/ops/pg.sh
DB=huiyin_visitbench
DURATION=${DURATION:-10}
LOGS=$ROOT/.data/bench-visits
export BENCH_DIR=$ROOT/ops/bench

die() { echo "bench-visits: $*" >&2; exit 1; }

ops/setup.sh wrk curl
mkdir -p "$LOGS"
started=0 server_pid=''
# shellcheck disable=SC2317,SC2329  # invoked by trap
cleanup() {
  local rc=$?
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; fi
  [[ ${KEEP_DB:-0} == 1 ]] || "$PG" psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  if ((started)); then "$PG" stop >/dev/null || true; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ! "$PG" status >/dev/null; then started=1; "$PG" start >/dev/null; fi
"$PG" recreatedb "$DB" >/dev/null
eval "$(HUIYIN_DB_NAME=$DB "$PG" env)"
export HUIYIN_LOG_LEVEL=warning
q() { "$PG" psql -qtA -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; }

swift build -c release --product huiyin >"$LOGS/build.log" 2>&1 ||
  { grep -E 'error:' "$LOGS/build.log" | sort -u | head -20 >&2; die "release build failed (log: $LOGS/build.log)"; }
huiyin=$(swift build -c release --show-bin-path)/huiyin
"$huiyin" migrate >"$LOGS/migrate.log" 2>&1 || { cat "$LOGS/migrate.log" >&2; die "migrate failed"; }

# The month under test and its 21st, 10:00 in Shanghai (02:00 UTC), as the server's clock.
month=$(TZ=Asia/Shanghai date +%Y-%m-01)
day21=${month%01}21
export HUIYIN_CLOCK_FILE=$LOGS/clock
echo "${day21}T02:00:00Z" >"$HUIYIN_CLOCK_FILE"

t0=$SECONDS
# Bulk load as the owner with triggers off (replica role): the tree's paths, the households' and the
# visits' derived rows are written here exactly as the triggers and the server would have written them.
q "SET session_replication_role = replica;
   INSERT INTO units (id, parent_id, level, code, name, path) VALUES (1, NULL, 'province', 'p', '某省妇联', ARRAY[1]::bigint[]);
   INSERT INTO units (id, parent_id, level, code, name, path)
   SELECT 1 + c, 1, 'city', 'c' || c, '某市妇联' || c, ARRAY[1, 1 + c]::bigint[] FROM generate_series(1, 10) c;
   INSERT INTO units (id, parent_id, level, code, name, path)
   SELECT 100 + k, 1 + (k - 1) / 10 + 1, 'county', 'k' || k, '某县妇联' || k, ARRAY[1, 1 + (k - 1) / 10 + 1, 100 + k]::bigint[]
   FROM generate_series(1, 100) k;
   INSERT INTO units (id, parent_id, level, code, name, path)
   SELECT 1000 + t, 100 + (t - 1) / 10 + 1, 'township', 't' || t, '某镇妇联' || t, u.path || (1000 + t)::bigint
   FROM generate_series(1, 1000) t JOIN units u ON u.id = 100 + (t - 1) / 10 + 1;
   INSERT INTO units (id, parent_id, level, code, name, path)
   SELECT 10000 + v, 1000 + (v - 1) / 10 + 1, 'village', 'v' || v, '某村妇联' || v, u.path || (10000 + v)::bigint
   FROM generate_series(1, 10000) v JOIN units u ON u.id = 1000 + (v - 1) / 10 + 1;
   INSERT INTO units (id, parent_id, level, code, name, path)
   SELECT 100000 + g, 10000 + (g - 1) / 5 + 1, 'grid', 'g' || g, '第' || g || '网格', u.path || (100000 + g)::bigint
   FROM generate_series(1, 50000) g JOIN units u ON u.id = 10000 + (g - 1) / 5 + 1;
   SELECT setval('units_id_seq', 200000);" >/dev/null
"$huiyin" user add --username loader --name 导入 --unit p --role admin >/dev/null
loader=$(q "SELECT id FROM users WHERE username = 'loader'")
# Household i sits in grid 1 + (i - 1) % 50000, so consecutive ids fall in different grids; on the register
# four months before this one.
q "SET session_replication_role = replica;
   INSERT INTO households (id, grid_id, address, head_name, phone, categories, created_by, created_at)
   SELECT i, 100000 + 1 + (i - 1) % 50000, '某镇某村' || i || '号', '户主' || i, '138' || lpad(i::text, 8, '0'),
          ARRAY['family_in_hardship'], $loader, DATE '$month' - interval '4 months'
   FROM generate_series(1, 1000000) i;
   SELECT setval('households_id_seq', 1000000);
   ANALYZE units; ANALYZE households;" >/dev/null
# Three months of visits: the two months before this one complete, this one all but 100,000 households
# (ids 1-50,000 and 500,001-550,000: two in every grid), each on a day from the 1st to the 20th.
for back in 2 1 0; do
  m="(DATE '$month' - interval '$back months')::date"
  skip=$([[ $back == 0 ]] && echo "AND NOT ((i - 1) / 50000) % 10 = 0" || echo "")
  q "SET session_replication_role = replica; SET enable_nestloop = off;
     INSERT INTO household_visits (household_id, grid_id, visited_on, month, mode, rights_asked, rights_found,
         disputes_asked, disputes_found, violence_asked, violence_found, minor_assault_asked, minor_assault_found,
         notes, visited_by, recorded_at)
     SELECT i, 100000 + 1 + (i - 1) % 50000, $m + (i % 20), $m, CASE WHEN i % 4 = 0 THEN 'phone' ELSE 'in_person' END,
            true, false, true, i % 50 = 0, true, false, true, false, '入户走访', $loader, now()
     FROM generate_series(1, 1000000) i WHERE true $skip;
     INSERT INTO visit_household_months (household_id, month, first_visit_id)
     SELECT household_id, month, id FROM household_visits WHERE month = $m;
     ANALYZE household_visits; ANALYZE visit_household_months;
     INSERT INTO visit_months (month, starts_at, ends_at, opened_at)
     VALUES ($m, $m::timestamp AT TIME ZONE 'Asia/Shanghai', ($m + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai', now());
     INSERT INTO visit_grid_months (grid_id, month, path, due, done, warned, overdue_told)
     SELECT h.grid_id, $m, gu.path, count(*), count(m.household_id), true, $back > 0
     FROM households h JOIN units gu ON gu.id = h.grid_id
     LEFT JOIN visit_household_months m ON m.household_id = h.id AND m.month = $m
     GROUP BY h.grid_id, gu.path;"
done
q "VACUUM ANALYZE" ; q "CHECKPOINT"
echo "bench-visits: $(date -u +%FT%TZ)  $(git rev-parse --short HEAD)$([[ -z $(git status --porcelain -- Sources sql) ]] || echo +dirty)" \
     " $(nproc) cpus  PostgreSQL $(q 'SHOW server_version' | cut -d' ' -f1)  clock ${day21} 10:00 Asia/Shanghai"
echo "loaded $(q 'SELECT count(*) FROM households') households in $(q "SELECT count(*) FROM units WHERE level = 'grid'") grids," \
     "$(q 'SELECT count(*) FROM household_visits') visits over 3 months," \
     "$(q "SELECT sum(due - done) FROM visit_grid_months WHERE month = DATE '$month'") unvisited this month (in $((SECONDS - t0)) s)"

# --- The sweep on the 21st: two passes in one process, as the sweeper in `huiyin serve` runs them.
mapfile -t sweeps < <("$huiyin" sweep --times 2)
ms() { sed -n 's/.* in \([0-9.]*\) ms$/\1/p' <<<"$1"; }
printf 'sweep first pass   %8.1f ms   (target <= 2000 ms)   %s\n' "$(ms "${sweeps[0]}")" "${sweeps[0]#sweep: }"
printf 'sweep no-op pass   %8.1f ms   (target <= 10 ms)     %s\n' "$(ms "${sweeps[1]}")" "${sweeps[1]#sweep: }"
echo "notifications: $(q "SELECT count(*) FROM notifications WHERE kind = 'visits_overdue'") overdue notices" \
     "($(q "SELECT count(*) FROM visit_steps WHERE step = 'overdue_village'") villages, $(q "SELECT count(*) FROM visit_steps WHERE step = 'overdue_township'") townships)"

# --- The server, for the figures and the recording.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$huiyin" serve --port "$port" --workers 64 --db-pool 16 --sweep-interval 0 --log-level warning >"$LOGS/huiyin.log" 2>&1 &
server_pid=$!
for _ in $(seq 150); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.2; done
token_of() { sed -n 's/^API token (shown once): //p'; }
province_token=$("$huiyin" user add --username prov --name 省妇联 --unit p --role supervisor | token_of)
township_token=$("$huiyin" user add --username town --name 镇妇联 --unit t500 --role supervisor | token_of)
worker_token=$("$huiyin" user add --username worker --name 网格员 --unit g1 --role grid_worker | token_of)
[[ -n $province_token && -n $township_token && -n $worker_token ]] || die "no API token from 'huiyin user add'"
# The recording user is assigned every grid, so any household is hers.
q "INSERT INTO staff_grids (user_id, grid_id) SELECT u.id, g.id FROM users u, units g
   WHERE u.username = 'worker' AND g.level = 'grid' ON CONFLICT DO NOTHING"

# latency LABEL TOKEN PATH TARGET_MS: median latency of one GET repeated on one connection.
latency() {
  local out=$LOGS/wrk-$1.txt rps p50 p90 p99 ok bad
  BENCH_TOKEN=$2 BENCH_PATH=$3 wrk -t1 -c1 -d3s --latency -s "$BENCH_DIR/get.lua" "http://127.0.0.1:$port" >"$out" 2>&1 ||
    { cat "$out" >&2; die "wrk failed"; }
  read -r _ rps p50 p90 p99 _ ok bad _ < <(grep '^BENCH ' "$out") || die "no BENCH line in $out"
  ((bad == 0)) || { grep '^SAMPLE' "$out" >&2; die "$1: $bad bad answers"; }
  printf '%-18s %8.2f ms   (target <= %s ms)   p90 %.2f ms, p99 %.2f ms, %.0f req/s, %d answers\n' "$1" "$p50" "$4" "$p90" "$p99" "$rps" "$ok"
}
this_month=${month%-01}
curl -fsS -H "Authorization: Bearer $province_token" "http://127.0.0.1:$port/api/v1/visits/progress?month=$this_month" >"$LOGS/province.json"
echo "province figure: $(python3 -c "import json,sys; u=json.load(open(sys.argv[1]))['unit']; print(f\"{u['done']:,} of {u['due']:,} visited\")" "$LOGS/province.json")"
latency "figures province" "$province_token" "/api/v1/visits/progress?month=$this_month" 50
latency "figures township" "$township_token" "/api/v1/visits/progress?month=$this_month" 5

# --- Recording visits at 16 connections, each a household of its own, dated the 21st.
before=$(q 'SELECT count(*) FROM household_visits')
out=$LOGS/wrk-record.txt
BENCH_TOKEN=$worker_token BENCH_DAY=$day21 BENCH_THREADS=2 \
  wrk -t2 -c16 -d"${DURATION}s" --timeout 5s --latency -s "$BENCH_DIR/visit.lua" "http://127.0.0.1:$port" >"$out" 2>&1 ||
  { cat "$out" >&2; die "wrk failed"; }
read -r _ rps p50 p90 p99 _ ok bad sock < <(grep '^BENCH ' "$out") || die "no BENCH line in $out"
sleep 1
after=$(q 'SELECT count(*) FROM household_visits')
printf 'record visit c16   %8.0f /s   (target >= 2000 /s)   p50 %.2f ms, p99 %.2f ms, %d x 201, %d bad, %d socket errors, %d rows written\n' \
  "$rps" "$p50" "$p99" "$ok" "$bad" "$sock" "$((after - before))"
((bad == 0)) || grep '^SAMPLE' "$out" >&2
counted=$(q "SELECT sum(done) FROM visit_grid_months WHERE month = DATE '$month'")
visited=$(q "SELECT count(*) FROM visit_household_months WHERE month = DATE '$month'")
echo "counters: done $counted = households visited this month $visited $([[ $counted == "$visited" ]] && echo '(consistent)' || echo '(MISMATCH)')"
