#!/usr/bin/env bash
# Deadline sweep benchmark: 1,000,000 open cases with running acceptance clocks, 10,000 of them
# long overdue. Times the first sweep (which sends the 10,000 reminders and escalates the 10,000
# notices) and an immediate second sweep that finds nothing to do. Release build.
# Targets: first <= 5 s, no-op <= 50 ms. Env: CASES (default 1000000), OVERDUE (default 10000).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
PG=$ROOT/ops/pg.sh
CASES=${CASES:-1000000}
OVERDUE=${OVERDUE:-10000}
DB=huiyin_sweepbench

ops/setup.sh
started=0
# shellcheck disable=SC2317,SC2329  # invoked by trap
cleanup() {
  local rc=$?
  [[ ${KEEP_DB:-0} == 1 ]] || "$PG" psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  if ((started)); then "$PG" stop >/dev/null || true; fi
  exit "$rc"
}
trap cleanup EXIT
if ! "$PG" status >/dev/null; then started=1; "$PG" start >/dev/null; fi
"$PG" recreatedb "$DB" >/dev/null
eval "$(HUIYIN_DB_NAME=$DB "$PG" env)"
export HUIYIN_LOG_LEVEL=warning
q() { "$PG" psql -qtA -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; }

swift build -c release --product huiyin >/dev/null
huiyin=$(swift build -c release --show-bin-path)/huiyin
"$huiyin" migrate

# Dates in the server's zone (Asia/Shanghai), as the sweep counts them.
today=$(TZ=Asia/Shanghai date +%F)
t0=$SECONDS
q "INSERT INTO units (level, code, name) VALUES ('province', 'p', '某省妇联');
   INSERT INTO units (parent_id, level, code, name) SELECT id, 'city', 'p-c', '某市妇联' FROM units WHERE code = 'p';"
q "INSERT INTO cases (tracking_no, query_code_hash, query_code_salt, category, summary, status, unit_id, channel,
                      received_on, created_at, updated_at)
   SELECT 'HYBENCH-' || g, '\\x00', '\\x00', 'domestic_violence', '压测案件 ' || g, 'registered',
          (SELECT id FROM units WHERE code = 'p-c'), 'call', DATE '$today' - 10, now(), now()
   FROM generate_series(1, $CASES) g"
# 10,000 clocks long overdue; the rest due 30 to 90 days from now (beyond the due-soon horizon).
q "INSERT INTO clocks (case_id, kind, rule_limit, started_on, due_on, due_at, state, unit_id, channel, created_at)
   SELECT c.id, 'acceptance', '15d', DATE '$today' - 40,
          CASE WHEN c.id % ($CASES / $OVERDUE) = 0 THEN DATE '$today' - 25 ELSE DATE '$today' + 30 + (c.id % 60)::int END,
          now(), 'running', c.unit_id, 'call', now()
   FROM cases c"
q "VACUUM ANALYZE" ; q "CHECKPOINT"
echo "bench-sweep: $(date -u +%FT%TZ)  $(git rev-parse --short HEAD)  $(nproc) cpus  PostgreSQL $(q 'SHOW server_version' | cut -d' ' -f1)"
echo "loaded $(q 'SELECT count(*) FROM cases') open cases, $(q "SELECT count(*) FROM clocks WHERE state = 'running' AND due_on < DATE '$today'") overdue (in $((SECONDS - t0)) s)"

# Two sweeps in one process, as the sweeper in `huiyin serve` runs them.
mapfile -t sweeps < <("$huiyin" sweep --times "${SWEEPS:-2}")
printf 'first sweep    %s\n' "${sweeps[0]#sweep: }"
printf 'second sweep   %s\n' "${sweeps[1]#sweep: }"
for extra in "${sweeps[@]:2}"; do printf 'later sweep    %s\n' "${extra#sweep: }"; done
echo "steps written: $(q 'SELECT count(*) FROM clock_steps'), events: $(q "SELECT count(*) FROM case_events WHERE actor = 'system'"), notifications: $(q 'SELECT count(*) FROM notifications')"
echo "targets: first sweep <= 5000 ms, no-op sweep <= 50 ms"
