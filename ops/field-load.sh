#!/usr/bin/env bash
# The grid workers' offline phone page under a lossy link: 200 phones (200 grid workers made with
# `huiyin user add`, each on a demo grid) each replay 50 reports saved offline (visits and leads, some
# leads mandatory-report matters), in order, one at a time, all phones at once, through a proxy on
# 127.0.0.1 that loses 20 % of the requests: half before the server sees them, half after it answered.
# A phone retries a report with its Idempotency-Key (backoff with jitter, 50 ms to 1 s) until a 2xx.
# Then the database must hold each report exactly once, in each phone's order, with the lead tasks of
# the mandatory-report leads; the server's request log must show the requests whose answers were lost.
# A real `huiyin serve` on a throwaway, seeded database huiyin_fieldload of the private cluster; the
# phones and the proxy are ops/field_load.py (Python standard library only).
# Usage: ops/field-load.sh [path/to/huiyin]   (default: a release build, made here)
# Env: KEEP_DB=1 keeps huiyin_fieldload; FIELD_LOAD_SEED fixes the random choices.
# The last line is `field-load: N passed, M failed`; the exit status is non-zero on any failure.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
PG=$ROOT/ops/pg.sh
DB=huiyin_fieldload
OUT=$ROOT/.data/field-load       # build, seed and server logs
PYTHON=/usr/bin/python3          # Debian's, not whatever a PATH shim offers: the helper needs only its standard library

say() { echo "field-load: $*"; }
die() { echo "field-load: $*" >&2; echo "field-load: 0 passed, 1 failed"; exit 1; }

mkdir -p "$OUT"
t0=$SECONDS
[[ -x $PYTHON ]] || PYTHON=$(command -v python3) || die "python3 not found"

if [[ ${1:-} == */* && -x ${1:-} ]]; then
  huiyin=$1
else
  ops/setup.sh
  say "swift build -c release --product huiyin (log: $OUT/build.log)"
  swift build -c release --product huiyin >"$OUT/build.log" 2>&1 ||
    { grep -E 'error:' "$OUT/build.log" | sort -u | head -20 >&2; die "release build failed (log: $OUT/build.log)"; }
  huiyin=$(swift build -c release --show-bin-path)/huiyin
fi
t_built=$SECONDS

started=0 serve_pid=
# shellcheck disable=SC2317,SC2329  # invoked by trap
cleanup() {
  local rc=$?
  if [[ -n $serve_pid ]]; then
    kill "$serve_pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  [[ ${KEEP_DB:-0} == 1 ]] || "$PG" psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  if ((started)); then "$PG" stop >/dev/null || true; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ! "$PG" status >/dev/null; then started=1; "$PG" start >/dev/null; fi

say "fresh database $DB, migrated and seeded (log: $OUT/seed.log)"
"$PG" recreatedb "$DB"
eval "$(HUIYIN_DB_NAME=$DB "$PG" env)"
"$huiyin" migrate >"$OUT/seed.log" 2>&1 || { tail -n 30 "$OUT/seed.log" >&2; die "huiyin migrate failed"; }
"$huiyin" seed --history-days 0 >>"$OUT/seed.log" 2>&1 || { tail -n 30 "$OUT/seed.log" >&2; die "huiyin seed failed"; }

# Only the current month takes visits, none after today, one a day per household: on the 28th of this
# month (Shanghai) each of the demo's few hundred households has 28 days, enough for 6,000 visits on any
# day of the real calendar. So the server's clock is the 28th, 10:00 in Shanghai (02:00 UTC).
today=$(TZ=Asia/Shanghai date +%Y-%m-28)
export HUIYIN_CLOCK_FILE=$OUT/clock
echo "${today}T02:00:00Z" >"$HUIYIN_CLOCK_FILE"

port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
say "huiyin serve on $url, clock $today 10:00 Asia/Shanghai (log: $OUT/serve.log)"
# Info level: the request log is how the server's side of the dropped answers is counted.
HUIYIN_HOST=127.0.0.1 HUIYIN_PORT=$port HUIYIN_SWEEP_INTERVAL=0 HUIYIN_LOG_LEVEL=info "$huiyin" serve >"$OUT/serve.log" 2>&1 &
serve_pid=$!
ready=0
for _ in $(seq 60); do   # 30 s
  kill -0 "$serve_pid" 2>/dev/null || { serve_pid=; tail -n 30 "$OUT/serve.log" >&2; die "huiyin serve exited before it was ready"; }
  if "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$url/readyz" 2>/dev/null; then
    ready=1; break
  fi
  sleep 0.5
done
((ready)) || { tail -n 30 "$OUT/serve.log" >&2; die "huiyin serve did not answer 200 on /readyz within 30 s"; }

set +e
"$PYTHON" "$ROOT/ops/field_load.py" --huiyin "$huiyin" --pg "$PG" --db "$DB" --port "$port" --today "$today" \
  --server-log "$OUT/serve.log" ${FIELD_LOAD_SEED:+--seed "$FIELD_LOAD_SEED"}
rc=$?
set -e
# A 5xx logs its error: none may happen under this load.
if grep -q 'request failed' "$OUT/serve.log"; then
  grep 'request failed' "$OUT/serve.log" | head -5 >&2
  say "the server logged failed requests (log: $OUT/serve.log)"
  rc=1
fi
say "took $((SECONDS - t0)) s ($((SECONDS - t_built)) s after the build)"
if ((rc == 0)); then echo "field-load: 1 passed, 0 failed"; else echo "field-load: 0 passed, 1 failed"; fi
exit "$rc"
