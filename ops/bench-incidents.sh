#!/usr/bin/env bash
# Police domestic-violence incident import benchmark: 100,000 incidents from a generated police export
# (CSV), addresses spread over a generated unit tree (1 city, 10 districts, 100 townships, 1,000
# villages), 1 % of addresses naming no unit of the city and 0.5 % of rows malformed. Imports with
# `huiyin incidents import --unit CITY FILE` (release build) and prints the wall time against the target
# (<= 30 s) with every row placed or reported; then imports the same file again (nothing may be added).
# Env: ROWS (default 100000), KEEP_DB=1 (keep huiyin_incidentbench).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
PG=$ROOT/ops/pg.sh
DB=huiyin_incidentbench
ROWS=${ROWS:-100000}
LOGS=$ROOT/.data/bench-incidents

die() { echo "bench-incidents: $*" >&2; exit 1; }

mkdir -p "$LOGS"
started=0
# shellcheck disable=SC2317,SC2329  # invoked by trap
cleanup() {
  local rc=$?
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

# The tree, written as the owner with triggers off (paths as the trigger would write them). Names are
# fixed-width so that no unit's place name lies inside another's.
q "SET session_replication_role = replica;
   INSERT INTO units (id, parent_id, level, code, name, path) VALUES (1, NULL, 'province', 'p', '某省妇联', ARRAY[1]::bigint[]);
   INSERT INTO units (id, parent_id, level, code, name, path) VALUES (2, 1, 'city', 'c', '某市妇联', ARRAY[1, 2]::bigint[]);
   INSERT INTO units (id, parent_id, level, code, name, path)
   SELECT 10 + k, 2, 'county', 'k' || k, '城' || lpad(k::text, 2, '0') || '区妇联', ARRAY[1, 2, 10 + k]::bigint[] FROM generate_series(1, 10) k;
   INSERT INTO units (id, parent_id, level, code, name, path)
   SELECT 100 + t, 10 + (t - 1) / 10 + 1, 'township', 't' || t, '乡' || lpad(t::text, 3, '0') || '镇妇联',
          ARRAY[1, 2, 10 + (t - 1) / 10 + 1, 100 + t]::bigint[] FROM generate_series(1, 100) t;
   INSERT INTO units (id, parent_id, level, code, name, path)
   SELECT 1000 + v, 100 + (v - 1) / 10 + 1, 'village', 'v' || v, '村' || lpad(v::text, 4, '0') || '村妇联',
          u.path || (1000 + v)::bigint FROM generate_series(1, 1000) v JOIN units u ON u.id = 100 + (v - 1) / 10 + 1;
   SELECT setval('units_id_seq', 10000);
   ANALYZE units;" >/dev/null

# The police export: incident i lives in village 1 + i % 1000 (its township and district named before it),
# happened in the last 28 days; every 100th address names another city, every 200th row has a bad phone.
csv=$LOGS/incidents.csv
python3 - "$csv" "$ROWS" <<'PY'
import sys, datetime
path, rows = sys.argv[1], int(sys.argv[2])
now = datetime.datetime.now() - datetime.timedelta(hours=1)
with open(path, "w", encoding="utf-8", newline="") as f:
    f.write("警情编号,接警时间,派出所,地址,当事人,对方,电话,处置情况,是否出具告诫书\r\n")
    for i in range(1, rows + 1):
        v = 1 + i % 1000
        t = (v - 1) // 10 + 1
        k = (t - 1) // 10 + 1
        when = (now - datetime.timedelta(minutes=(i * 37) % (28 * 24 * 60))).strftime("%Y-%m-%d %H:%M")
        address = f"某市城{k:02d}区乡{t:03d}镇村{v:04d}村{i % 9 + 1}组{i % 97 + 1}号" if i % 100 else f"外省某县某镇{i}号"
        phone = f"138{i:08d}" if i % 200 != 7 else "12345"
        letter = "是" if i % 3 == 0 else "否"
        f.write(f"J{i:012d},{when},乡{t:03d}派出所,{address},当事人{i},对方{i},{phone},\"口头警告，调解\",{letter}\r\n")
PY
q "CHECKPOINT" >/dev/null
echo "bench-incidents: $(date -u +%FT%TZ)  $(git rev-parse --short HEAD)$([[ -z $(git status --porcelain -- Sources sql) ]] || echo +dirty)" \
     " $(nproc) cpus  PostgreSQL $(q 'SHOW server_version' | cut -d' ' -f1)  $(q "SELECT count(*) FROM units") units  $ROWS rows ($(du -h "$csv" | cut -f1))"

# run LABEL: one import of the file, timed from process start to exit.
run() {
  local t0 t1 out=$LOGS/$1.log
  t0=$(date +%s.%N)
  "$huiyin" incidents import --unit c "$csv" >"$out" 2>&1 || true
  t1=$(date +%s.%N)
  grep -q '^incidents: ' "$out" || { tail -20 "$out" >&2; die "$1: the import did not finish"; }
  echo "$t0 $t1"
}
read -r t0 t1 < <(run first)
summary=$(grep '^incidents: ' "$LOGS/first.log")
imported=$(sed -n 's/^incidents: \([0-9]*\) imported.*/\1/p' <<<"$summary")
reported=$(grep -c '^.*: line [0-9]*' "$LOGS/first.log" || true)
reported_rows=$(sed -n 's/.*, \([0-9]*\) rows not imported.*/\1/p' <<<"$summary")
stored=$(q "SELECT count(*) FROM police_incidents")
dues=$(q "SELECT count(*) FROM grassroots_dues WHERE kind = 'incident_follow_up'")
printf 'import %d incidents  %.1f s  (target <= 30 s)  placed %d, reported %d (%d problems listed)\n' \
  "$ROWS" "$(echo "$t1 - $t0" | bc)" "$imported" "$reported_rows" "$reported"
echo "first import: ${summary#incidents: }"
echo "stored $stored incidents, $dues follow-up dues; placed + reported = $((imported + reported_rows)) of $ROWS" \
     "$([[ $((imported + reported_rows)) == "$ROWS" && $stored == "$imported" && $dues == "$imported" ]] && echo '(every row accounted for)' || echo '(MISMATCH)')"
echo "by level: $(q "SELECT string_agg(level || ' ' || n, ', ' ORDER BY level) FROM (SELECT u.level, count(*) AS n FROM police_incidents i JOIN units u ON u.id = i.unit_id GROUP BY u.level) s")"
read -r t0 t1 < <(run again)
printf 're-import same file  %.1f s  %s\n' "$(echo "$t1 - $t0" | bc)" "$(grep '^incidents: ' "$LOGS/again.log" | sed 's/^incidents: //')"
echo "after re-import: $(q "SELECT count(*) FROM police_incidents") incidents, $(q "SELECT count(*) FROM grassroots_dues WHERE kind = 'incident_follow_up'") dues"
