#!/usr/bin/env bash
# Intake benchmark: Huiyin (release build) against the C reference server (shared/reference/mhd_pg.c)
# on the same private PostgreSQL cluster, same wrk load; then caller lookup over 1,000,000 petitioners.
# Prints one line per wrk run, a durability check (rows written vs 201s seen) and the comparison.
# Huiyin runs twice per connection count: keyless bodies, and keyed ones (an Idempotency-Key of its own on
# every request, as the console sends). With HA=1 it also runs both against a pg_auto_failover formation
# with synchronous replication (ops/ha.sh, data in .data/bench-ha), beside the single-node figures.
# Env: DURATION (s per run, default 20), WORKERS (Huiyin worker threads, default 256; HUIYIN_DB_POOL connections),
#      REF_ONLY=1 (reference server only, no Swift build), KEEP_DBS=1 (keep huiyin_bench/huiyin_refdb), HA=1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
PG=$ROOT/ops/pg.sh
REF=${REF:-$ROOT/../shared/reference}   # CI keeps shared/ beside the repo
BENCH_DIR=$ROOT/ops/bench
LOGS=$ROOT/.data/bench               # server and wrk logs of the last run
DURATION=${DURATION:-20}
WORKERS=${WORKERS:-256}
REF_ONLY=${REF_ONLY:-0}
LOOKUP_ROWS=1000000
export BENCH_DIR

die() { echo "bench: $*" >&2; exit 1; }

ops/setup.sh wrk curl
mkdir -p "$LOGS"

# Cleanup: servers by PID, bench databases unless KEEP_DBS=1, the cluster only if we started it.
started=0 db_ready=0 huiyin_pid='' ref_pid='' ha_pid='' ha_started=0
export HA_DIR=$ROOT/.data/bench-ha
stop_pid() { if [[ -n $1 ]] && kill -0 "$1" 2>/dev/null; then kill -TERM "$1"; wait "$1" 2>/dev/null || true; fi; }
# shellcheck disable=SC2317,SC2329  # invoked by trap
cleanup() {
  local rc=$?
  stop_pid "$huiyin_pid"; stop_pid "$ref_pid"; stop_pid "$ha_pid"
  if ((ha_started)); then ops/ha.sh stop || true; rm -rf "$HA_DIR"; fi
  if ((db_ready)) && [[ ${KEEP_DBS:-0} != 1 ]]; then
    "$PG" psql -q -d postgres -c 'DROP DATABASE IF EXISTS huiyin_bench WITH (FORCE)' \
      -c 'DROP DATABASE IF EXISTS huiyin_refdb WITH (FORCE)' >/dev/null 2>&1 || true
  fi
  if ((started)); then "$PG" stop >/dev/null || true; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ! "$PG" status >/dev/null; then started=1; "$PG" start >/dev/null; fi

"$PG" recreatedb huiyin_bench
"$PG" recreatedb huiyin_refdb
db_ready=1
eval "$(HUIYIN_DB_NAME=huiyin_bench "$PG" env)"
export HUIYIN_LOG_LEVEL=warning
q() { "$PG" psql -qtA -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }   # q DB SQL -> bare result

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_http URL PID NAME: until URL answers 2xx (the process must stay alive meanwhile).
wait_http() {
  for _ in $(seq 150); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || die "$3 exited; log: $LOGS/$3.log"
    sleep 0.2
  done
  die "$3 did not answer $1 in 30 s; log: $LOGS/$3.log"
}

# --- Build ----------------------------------------------------------------------------------------
mkdir -p .build
# shellcheck disable=SC2046  # pkg-config flags are meant to split
cc -O2 -o .build/mhd_pg "$REF/mhd_pg.c" $(pkg-config --cflags --libs libmicrohttpd libpq) -lpthread
"$PG" psql -q -v ON_ERROR_STOP=1 -d huiyin_refdb -f "$REF/schema.sql" >/dev/null
if [[ $REF_ONLY != 1 ]]; then
  swift build -c release --product huiyin >"$LOGS/build.log" 2>&1 ||
    { grep -E 'error:' "$LOGS/build.log" | sort -u | head -20 >&2; die "release build failed (log: $LOGS/build.log)"; }
  huiyin=$(swift build -c release --show-bin-path)/huiyin
  "$huiyin" migrate >"$LOGS/migrate.log" 2>&1 || { cat "$LOGS/migrate.log" >&2; die "migrate failed"; }
  q huiyin_bench "INSERT INTO units (level, code, name) VALUES ('city', 'bench', '宜昌市妇联')"
  token=$("$huiyin" user add --username bench --name 压测 --unit bench --role operator |
          sed -n 's/^API token (shown once): //p')
  [[ -n $token ]] || die "no API token from 'huiyin user add'"
fi

BODY=$BENCH_DIR/contact600.json
bytes=$(wc -c <"$BODY")
((bytes >= 550 && bytes <= 650)) || die "$BODY is $bytes bytes, want 550-650"

echo "bench-intake: $(date -u +%FT%TZ)  $(git rev-parse --short HEAD)$([[ -z $(git status --porcelain -- Sources sql) ]] || echo +dirty)" \
     " $(nproc) cpus  PostgreSQL $(q postgres 'SHOW server_version' | cut -d' ' -f1)" \
     " synchronous_commit=$(q postgres 'SHOW synchronous_commit')"
echo "wrk -t2 -d${DURATION}s; huiyin --workers $WORKERS, body $bytes B (POST /api/v1/contacts);" \
     "reference body $(wc -c <"$REF/body600.json") B (POST /intake); each request a random 13x phone"

# --- wrk runs -------------------------------------------------------------------------------------
# contacts_in DB: rows in contacts (DB "ha": the formation's primary).
contacts_in() {
  if [[ $1 == ha ]]; then ops/ha.sh psql-primary -qtA -c 'SELECT count(*) FROM contacts'
  else q "$1" 'SELECT count(*) FROM contacts'; fi
}
declare -A RPS P99
sock_note() { if (($1)); then echo " sock-err $1"; fi; }
# Each run starts from the same state: no checkpoint or vacuum owed by the previous run lands in it.
settle() { q postgres 'CHECKPOINT' >/dev/null; sleep 1; }
# CPU seconds (user + system, in clock ticks) the process PID has used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
TICKS=$(getconf CLK_TCK)
# bench LABEL CONNS URL DB SCRIPT: one wrk run, one printed line; DB's contacts rows are counted
# before and after. The server process's CPU per 201 (SERVER_PID) is printed too: it is steadier
# than req/s on a shared 2-core machine, where the database and wrk compete for the same cores. wrk stops with up to CONNS requests in flight, which the server may still
# commit without wrk seeing the 201: rows - 201s must lie in 0..CONNS.
bench() {
  local label=$1 c=$2 url=$3 db=$4 script=$5 out before after rps p50 p90 p99 ok bad sock cpu0 cpu1
  out=$LOGS/wrk-${label// /_}-c$c.txt
  settle
  before=$(contacts_in "$db")
  cpu0=$(cpu_ticks "$SERVER_PID")
  wrk -t2 -c"$c" -d"${DURATION}s" --timeout 5s --latency -s "$BENCH_DIR/$script" "$url" >"$out" 2>&1 ||
    { cat "$out" >&2; die "wrk failed"; }
  read -r _ rps p50 p90 p99 _ ok bad sock < <(grep '^BENCH ' "$out") || die "no BENCH line in $out"
  sleep 1   # let the server finish what was in flight
  cpu1=$(cpu_ticks "$SERVER_PID")
  after=$(contacts_in "$db")
  local rows=$((after - before)) verdict=OK
  ((rows >= ok && rows <= ok + c)) || verdict=MISMATCH
  printf '%-14s c%-3s %7.0f req/s  p50 %6.2f  p90 %6.2f  p99 %7.2f ms  cpu %5.3f ms/201  non-2xx %s%s  rows +%s vs 201s %s: %s\n' \
    "$label" "$c" "$rps" "$p50" "$p90" "$p99" "$(awk -v t=$((cpu1 - cpu0)) -v hz="$TICKS" -v n="$ok" 'BEGIN { print (n > 0 ? t / hz * 1000 / n : 0) }')" \
    "$bad" "$(sock_note "$sock")" "$rows" "$ok" "$verdict"
  grep '^SAMPLE ' "$out" | sed 's/^SAMPLE /    first failure: /' || true
  RPS[$label/$c]=$rps P99[$label/$c]=$p99
}

if [[ $REF_ONLY != 1 ]]; then
  port=$(free_port)
  "$huiyin" serve --port "$port" --workers "$WORKERS" --log-level warning >"$LOGS/huiyin.log" 2>&1 &
  huiyin_pid=$!
  SERVER_PID=$huiyin_pid
  wait_http "http://127.0.0.1:$port/healthz" "$huiyin_pid" huiyin
  for keyed in 0 1; do
    for c in 16 64; do
      BENCH_KEYED=$keyed BENCH_BODY=$BODY BENCH_TOKEN=$token bench "huiyin$( ((keyed)) && echo ' keyed')" "$c" \
        "http://127.0.0.1:$port/api/v1/contacts" huiyin_bench post.lua
    done
  done
  echo "group commit (single node): $(curl -fsS "http://127.0.0.1:$port/metrics" | grep -E '^huiyin_intake_(batches_total|batched_items_total|largest_batch) ' | tr '\n' ' ')"
fi

if [[ ${HA:-0} == 1 && $REF_ONLY != 1 ]]; then
  # The same runs on a formation whose primary waits for its standby at every commit.
  ops/ha.sh stop >/dev/null 2>&1 || true
  rm -rf "$HA_DIR"; mkdir -p "$HA_DIR"
  ha_started=1
  ops/ha.sh start >"$LOGS/ha.log" 2>&1 || { tail -20 "$LOGS/ha.log" >&2; die "formation did not start"; }
  echo "formation: $(tail -n1 "$LOGS/ha.log" | sed 's/^ha.sh: //')"
  ha_token=$(
    eval "$(ops/ha.sh env)"
    "$huiyin" migrate >>"$LOGS/migrate.log" 2>&1
    ops/ha.sh psql-primary -q -c "INSERT INTO units (level, code, name) VALUES ('city', 'bench', '宜昌市妇联')"
    "$huiyin" user add --username bench --name 压测 --unit bench --role operator | sed -n 's/^API token (shown once): //p'
  )
  [[ -n $ha_token ]] || die "no API token on the formation"
  ha_port=$(free_port)
  (eval "$(ops/ha.sh env)"; exec "$huiyin" serve --port "$ha_port" --workers "$WORKERS" --log-level warning) >"$LOGS/huiyin-ha.log" 2>&1 &
  ha_pid=$!
  SERVER_PID=$ha_pid
  wait_http "http://127.0.0.1:$ha_port/healthz" "$ha_pid" huiyin-ha
  for keyed in 0 1; do
    for c in 16 64; do
      BENCH_KEYED=$keyed BENCH_BODY=$BODY BENCH_TOKEN=$ha_token bench "sync$( ((keyed)) && echo ' keyed')" "$c" \
        "http://127.0.0.1:$ha_port/api/v1/contacts" ha post.lua
    done
  done
  echo "group commit (synchronous standby): $(curl -fsS "http://127.0.0.1:$ha_port/metrics" | grep -E '^huiyin_intake_(batches_total|batched_items_total|largest_batch) ' | tr '\n' ' ')"
  stop_pid "$ha_pid"; ha_pid=''
  ops/ha.sh stop >/dev/null; rm -rf "$HA_DIR"; ha_started=0
fi

for pool in 2 16; do
  rport=$(free_port)
  PGCONN="host=127.0.0.1 port=$PGPORT dbname=huiyin_refdb user=$PGUSER password=$PGPASSWORD" POOL=$pool \
    .build/mhd_pg "$rport" pool >"$LOGS/ref.log" 2>&1 &
  ref_pid=$!
  SERVER_PID=$ref_pid
  wait_http "http://127.0.0.1:$rport/" "$ref_pid" ref
  for c in 16 64; do
    BENCH_BODY=$REF/body600.json BENCH_TOKEN='' bench "ref POOL=$pool" "$c" "http://127.0.0.1:$rport/intake" huiyin_refdb post.lua
  done
  stop_pid "$ref_pid"; ref_pid=''
done

# --- Comparison -----------------------------------------------------------------------------------
best=$(awk -v a="${RPS[ref POOL=2/64]}" -v b="${RPS[ref POOL=16/64]}" 'BEGIN { print (a >= b ? "2 " a : "16 " b) }')
echo "reference best at c64: POOL=${best% *}, ${best#* } req/s"
if [[ $REF_ONLY == 1 ]]; then exit 0; fi
awk -v h="${RPS[huiyin/64]}" -v r="${best#* }" -v p="${P99[huiyin/64]}" 'BEGIN {
  printf "huiyin c64: %.0f req/s = %.0f%% of the reference\n", h, 100 * h / r
  printf "huiyin c64 p99 %.2f ms vs target <= 30 ms: %s\n", p, (p <= 30 ? "MET" : "MISSED") }'

# --- Caller lookup over 1,000,000 petitioners, each with a case in scope --------------------------
# Phones '13' + 9 digits of g*7919 mod 1e9: 7919 is prime to 10^9, so all distinct, all valid mobiles.
t0=$SECONDS
q huiyin_bench "INSERT INTO petitioners (name, phone, is_minor, created_at)
  SELECT '用户' || g, '13' || lpad((g::bigint * 7919 % 1000000000)::text, 9, '0'), false, now()
  FROM generate_series(1, $LOOKUP_ROWS) g"
# Each with one case in the operator's unit: a lookup shows only people with a case in her scope.
# (Triggers off for the bulk load only: these rows need no seal or report task.)
q huiyin_bench "SET session_replication_role = replica;
  INSERT INTO cases (tracking_no, query_code_hash, query_code_salt, category, summary, status, unit_id, petitioner_id,
                     channel, received_on, created_at, updated_at)
  SELECT 'HYBENCH-' || p.id, '\\x00', '\\x00', 'other', '压测', 'registered', u.id, p.id, 'call', current_date, now(), now()
  FROM petitioners p, units u WHERE u.code = 'bench' AND p.name LIKE '用户%'"
q huiyin_bench 'VACUUM (ANALYZE) petitioners, cases'
echo "lookup: $(q huiyin_bench 'SELECT count(*) FROM petitioners') petitioners, each with a case (loaded in $((SECONDS - t0)) s)"
probe=$(curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/petitioners?phone=13000007919")
[[ $probe == *'"phone"'* ]] || die "lookup of a loaded phone found nothing: $probe"
# c4: a few operators looking callers up at once (the latency they feel); c16: saturation.
for conns in 4 16; do
  out=$LOGS/wrk-lookup-c$conns.txt
  settle
  BENCH_TOKEN=$token BENCH_ROWS=$LOOKUP_ROWS wrk -t2 -c"$conns" -d"${DURATION}s" --timeout 5s --latency \
    -s "$BENCH_DIR/lookup.lua" "http://127.0.0.1:$port/" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed"; }
  read -r _ rps p50 _ p99 _ _ bad sock < <(grep '^BENCH ' "$out") || die "no BENCH line in $out"
  printf 'lookup         c%-3s %7.0f req/s  p50 %6.2f  p99 %7.2f ms  non-2xx %s%s  target p99 <= 5 ms: %s\n' \
    "$conns" "$rps" "$p50" "$p99" "$bad" "$(sock_note "$sock")" "$(awk -v p="$p99" 'BEGIN { print (p <= 5 ? "MET" : "MISSED") }')"
  grep '^SAMPLE ' "$out" | sed 's/^SAMPLE /    first failure: /' || true
done
