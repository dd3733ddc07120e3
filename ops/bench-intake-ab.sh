#!/usr/bin/env bash
# The intake cost of a change, measured finer than a shared machine's drift: this checkout's Huiyin
# ("after"), BEFORE_DIR's ("before", a checkout of BEFORE_REV) and the C reference (shared/reference,
# POOL=16), each with its own database on this checkout's cluster and all three serving at once, are
# loaded in turn by wrk (keyless 591-byte intakes, CONNS connections, DURATION s), ROUNDS rounds, the
# order rotated each round. A round's three runs lie within a minute of each other, so each round's
# Huiyin/C before and after are compared with each other; the median and range of the differences are
# printed against the target both ways it can be read (Huiyin/C down at most 5 points; Huiyin's own rate
# down at most 5 %). Release builds.
# Env: ROUNDS (default 6), DURATION (default 10), CONNS (default 64), WORKERS (default 256),
#      BEFORE_REV (default 1440475, before the daily figures), BEFORE_DIR (default ../bench-before;
#      added as a worktree and removed afterwards unless it existed), REF (the C reference's folder).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
PG=$ROOT/ops/pg.sh
BENCH_DIR=$ROOT/ops/bench
LOGS=$ROOT/.data/bench-ab
ROUNDS=${ROUNDS:-6} DURATION=${DURATION:-10} CONNS=${CONNS:-64} WORKERS=${WORKERS:-256}
BEFORE_REV=${BEFORE_REV:-1440475}
BEFORE_DIR=${BEFORE_DIR:-$ROOT/../bench-before}
REF=${REF:-$(cd "$ROOT/.." && pwd -P)/shared/reference}
[[ -f $REF/mhd_pg.c ]] || REF=$(cd "$ROOT/../.." && pwd -P)/shared/reference
export BENCH_DIR

die() { echo "bench-intake-ab: $*" >&2; exit 1; }
[[ -f $REF/mhd_pg.c ]] || die "C reference not found (set REF)"

ops/setup.sh wrk curl >/dev/null
mkdir -p "$LOGS"
started=0 before_added=0 dbs=0
declare -A PID
# shellcheck disable=SC2317,SC2329  # invoked by trap
cleanup() {
  local rc=$? pid
  for pid in "${PID[@]}"; do if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi; done
  if ((dbs)); then
    for db in huiyin_ab_before huiyin_ab_after huiyin_ab_ref; do
      "$PG" psql -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    done
  fi
  if ((started)); then "$PG" stop >/dev/null || true; fi
  if ((before_added)); then git worktree remove --force "$BEFORE_DIR" >/dev/null 2>&1 || true; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ! "$PG" status >/dev/null; then started=1; "$PG" start >/dev/null; fi
eval "$("$PG" env)"
export HUIYIN_LOG_LEVEL=warning
q() { "$PG" psql -qtA -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_http() {
  for _ in $(seq 150); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || die "$3 exited; log: $LOGS/$3.log"
    sleep 0.2
  done
  die "$3 did not answer $1 in 30 s; log: $LOGS/$3.log"
}

# --- Builds and databases -------------------------------------------------------------------------
if [[ ! -d $BEFORE_DIR ]]; then
  git worktree add --detach "$BEFORE_DIR" "$BEFORE_REV" >/dev/null 2>&1 || die "cannot add worktree $BEFORE_DIR"
  before_added=1
fi
declare -A DIR=([before]=$BEFORE_DIR [after]=$ROOT) BIN TOKEN URL
for side in before after; do
  (cd "${DIR[$side]}" && swift build -c release --product huiyin >"$LOGS/build-$side.log" 2>&1) ||
    { grep -E 'error:' "$LOGS/build-$side.log" | sort -u | head -20 >&2; die "release build of $side failed"; }
  BIN[$side]=$(cd "${DIR[$side]}" && swift build -c release --show-bin-path)/huiyin
done
mkdir -p .build
# shellcheck disable=SC2046  # pkg-config flags are meant to split
cc -O2 -o .build/mhd_pg "$REF/mhd_pg.c" $(pkg-config --cflags --libs libmicrohttpd libpq) -lpthread
dbs=1
for side in before after; do
  "$PG" recreatedb "huiyin_ab_$side" >/dev/null
  HUIYIN_DB_NAME=huiyin_ab_$side "${BIN[$side]}" migrate >"$LOGS/migrate-$side.log" 2>&1 ||
    { cat "$LOGS/migrate-$side.log" >&2; die "migrate ($side) failed"; }
  q "huiyin_ab_$side" "INSERT INTO units (level, code, name) VALUES ('city', 'bench', '宜昌市妇联')"
  TOKEN[$side]=$(HUIYIN_DB_NAME=huiyin_ab_$side "${BIN[$side]}" user add --username bench --name 压测 --unit bench --role operator |
                 sed -n 's/^API token (shown once): //p')
  [[ -n ${TOKEN[$side]} ]] || die "no API token ($side)"
done
"$PG" recreatedb huiyin_ab_ref >/dev/null
"$PG" psql -q -v ON_ERROR_STOP=1 -d huiyin_ab_ref -f "$REF/schema.sql" >/dev/null

# --- Three servers at once ------------------------------------------------------------------------
for side in before after; do
  port=$(free_port)
  HUIYIN_DB_NAME=huiyin_ab_$side "${BIN[$side]}" serve --port "$port" --workers "$WORKERS" --log-level warning \
    >"$LOGS/$side.log" 2>&1 &
  PID[$side]=$!
  URL[$side]=http://127.0.0.1:$port/api/v1/contacts
  wait_http "http://127.0.0.1:$port/healthz" "${PID[$side]}" "$side"
done
port=$(free_port)
PGCONN="host=127.0.0.1 port=$PGPORT dbname=huiyin_ab_ref user=$PGUSER password=$PGPASSWORD" POOL=16 \
  .build/mhd_pg "$port" pool >"$LOGS/ref.log" 2>&1 &
PID[ref]=$!
URL[ref]=http://127.0.0.1:$port/intake
wait_http "http://127.0.0.1:$port/" "${PID[ref]}" ref

echo "bench-intake-ab: $(date -u +%FT%TZ)  before $(git -C "$BEFORE_DIR" rev-parse --short HEAD), after $(git rev-parse --short HEAD)$([[ -z $(git status --porcelain -- Sources sql) ]] || echo +dirty)" \
     " $(nproc) cpus  PostgreSQL $(q postgres 'SHOW server_version' | cut -d' ' -f1); $ROUNDS rounds of wrk -c$CONNS -d${DURATION}s, order rotated"

# run SIDE: req/s of one wrk run against SIDE.
run() {
  local out=$LOGS/wrk-$1.txt body=$ROOT/ops/bench/contact600.json token=${TOKEN[$1]:-}
  [[ $1 == ref ]] && body=$REF/body600.json
  q postgres 'CHECKPOINT' >/dev/null; sleep 1
  BENCH_KEYED=0 BENCH_BODY=$body BENCH_TOKEN=$token \
    wrk -t2 -c"$CONNS" -d"${DURATION}s" --timeout 5s --latency -s "$BENCH_DIR/post.lua" "${URL[$1]}" >"$out" 2>&1 ||
    { cat "$out" >&2; die "wrk failed ($1)"; }
  local rps bad
  read -r _ rps _ _ _ _ _ bad _ < <(grep '^BENCH ' "$out") || die "no BENCH line ($1)"
  [[ $bad == 0 ]] || die "$1 answered $bad requests with other than 201: $(grep '^SAMPLE ' "$out" | head -1)"
  echo "$rps"
}

sides=(before after ref)
: >"$LOGS/rounds.txt"
for ((r = 1; r <= ROUNDS; r++)); do
  declare -A RPS=()
  for ((i = 0; i < 3; i++)); do
    side=${sides[$(((r - 1 + i) % 3))]}
    RPS[$side]=$(run "$side")
  done
  awk -v r="$r" -v b="${RPS[before]}" -v a="${RPS[after]}" -v c="${RPS[ref]}" 'BEGIN {
    printf "round %d: before %6.0f req/s, after %6.0f, C reference %6.0f; Huiyin/C %4.1f %% before, %4.1f %% after: %+5.1f points (after/before %+5.1f %%)\n",
           r, b, a, c, 100 * b / c, 100 * a / c, 100 * (a - b) / c, 100 * (a / b - 1) }'
  echo "${RPS[before]} ${RPS[after]} ${RPS[ref]}" >>"$LOGS/rounds.txt"
done
# Median and range of the per-round differences.
awk '{ d[NR] = 100 * ($2 - $1) / $3; g[NR] = 100 * ($2 / $1 - 1) }
     function median(v, n,   i, j, t, w) { for (i = 1; i <= n; i++) w[i] = v[i]
       for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (w[j] < w[i]) { t = w[i]; w[i] = w[j]; w[j] = t }
       lo = w[1]; hi = w[n]; return n % 2 ? w[(n + 1) / 2] : (w[n / 2] + w[n / 2 + 1]) / 2 }
     END { m = median(d, NR); dl = lo; dh = hi; mg = median(g, NR)
       printf "intake cost: Huiyin/C after - before, median %+.1f points (rounds %+.1f … %+.1f; target >= -5: %s)\n",
              m, dl, dh, (m >= -5 ? "MET" : "MISSED")
       printf "intake cost: after/before, median %+.1f %% (rounds %+.1f … %+.1f; read as 5 %% of Huiyin'"'"'s own rate, >= -5: %s)\n",
              mg, lo, hi, (mg >= -5 ? "MET" : "MISSED") }' "$LOGS/rounds.txt"
