#!/usr/bin/env bash
# Failover under load: a fresh pg_auto_failover formation (ops/ha.sh), `huiyin serve` given both nodes as
# its host list, intake POSTs at 16 connections, then the primary's whole node (keeper and postgres) is
# SIGKILLed. The standby is promoted by pg_auto_failover; Huiyin must answer only 201 or 503 meanwhile,
# resume by itself, and every contact whose 201 the client saw must be on the new primary exactly once.
# Prints the time from the kill to the first 201 on the new primary, and the counts.
# Usage: ops/ha-test.sh [path/to/huiyin]   (default .build/debug/huiyin; built if missing)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
export HA_DIR=$ROOT/.data/ha-test
HUIYIN=${1:-$ROOT/.build/debug/huiyin}
GOAL_SECONDS=15   # printed as met or missed (a figure, not a timed test)
LIMIT_SECONDS=60  # beyond this Huiyin did not resume: a failure
LOG=$HA_DIR/serve.log

say() { echo "ha-test: $*"; }
fail() { echo "ha-test: FAIL: $*" >&2; exit 1; }

ops/setup.sh curl postgresql-15-auto-failover pg-auto-failover-cli >&2
[[ -x $HUIYIN ]] || swift build --product huiyin

serve_pid=
# shellcheck disable=SC2317,SC2329  # invoked by trap
cleanup() {
  local rc=$?
  [[ -n $serve_pid ]] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  ops/ha.sh stop || true
  ((rc == 0)) && rm -rf "$HA_DIR"   # kept for a look when the test failed
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ops/ha.sh stop 2>/dev/null || true
rm -rf "$HA_DIR"
mkdir -p "$HA_DIR"
started=$SECONDS
ops/ha.sh start
say "formation up in $((SECONDS - started)) s"
eval "$(ops/ha.sh env)"
export HUIYIN_SQL_DIR=$ROOT/sql HUIYIN_SWEEP_INTERVAL=0 HUIYIN_LOG_LEVEL=warning

"$HUIYIN" migrate >/dev/null
printf 'code,name,level,parent_code\nha,故障切换测试妇联,province,\n' >"$HA_DIR/units.csv"
"$HUIYIN" unit import "$HA_DIR/units.csv" >/dev/null
token=$("$HUIYIN" user add --username ha.op --name 测试话务员 --unit ha --role operator | sed -n 's/^API token (shown once): //p')
[[ -n $token ]] || fail "no token"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
HUIYIN_PORT=$port HUIYIN_WORKERS=64 HUIYIN_DB_POOL=16 "$HUIYIN" serve >"$LOG" 2>&1 &
serve_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
before=$(curl -s "http://127.0.0.1:$port/readyz")
say "readyz before: $before"
old_primary=$(ops/ha.sh primary)
[[ $before == *"\"port\":$old_primary"* ]] || fail "/readyz does not name the primary :$old_primary"
[[ -n $(ops/ha.sh psql node1 -At -c 'SHOW synchronous_standby_names') ]] || fail "replication is not synchronous"
metrics_before=$(curl -s "http://127.0.0.1:$port/metrics" | grep -E '^huiyin_db_(server_info|synchronous_standbys|standbys|replication_lag_bytes)[{ ]')
say "metrics before: $(tr '\n' ' ' <<<"$metrics_before")"
grep -q '^huiyin_db_synchronous_standbys 1$' <<<"$metrics_before" || fail "/metrics does not show the synchronous standby"

python3 ops/ha/intake_load.py --ports "$port" --token "$token" --connections 16 --kill-after 4 \
  --kill "$ROOT/ops/ha.sh kill-primary" --after 5 --max 90 --marker "failover-$RANDOM" >"$HA_DIR/load.json"
summary=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r.pop("acknowledged"); print(json.dumps(r, ensure_ascii=False))' "$HA_DIR/load.json")
say "load: $summary"

new_primary=$(ops/ha.sh primary) || fail "no primary after the kill"
[[ $new_primary != "$old_primary" ]] || fail "the primary did not change"
for _ in $(seq 100); do
  after=$(curl -s "http://127.0.0.1:$port/readyz")
  [[ $after == *"\"port\":$new_primary"* ]] && break
  sleep 0.3
done
say "readyz after: $after"
[[ $after == *"\"port\":$new_primary"* ]] || fail "/readyz does not name the new primary :$new_primary"

metrics_after=$(curl -s "http://127.0.0.1:$port/metrics" | grep -E '^huiyin_db_(server_info|synchronous_standbys|pool_breakages_total)[{ ]')
say "metrics after: $(tr '\n' ' ' <<<"$metrics_after")"
grep -q "^huiyin_db_server_info{.*port=\"$new_primary\",role=\"primary\"} 1$" <<<"$metrics_after" || fail "/metrics does not show the new primary"
grep -qE '^huiyin_db_pool_breakages_total [1-9]' <<<"$metrics_after" || fail "/metrics shows no pool breakage"

# Every acknowledged contact on the new primary exactly once.
python3 -c 'import json,sys; [print(f"{k}\t{v}") for k, v in json.load(open(sys.argv[1]))["acknowledged"].items()]' "$HA_DIR/load.json" \
  >"$HA_DIR/acknowledged.tsv"
node=$(ops/ha.sh status | awk -v p="$new_primary" '$3 == p {print $1}')
chmod a+r "$HA_DIR/acknowledged.tsv"
check=$(ops/ha.sh psql "$node" -At -F ' ' <<SQL
CREATE TEMP TABLE acked (key text, contact_id bigint);
\\copy acked FROM '$HA_DIR/acknowledged.tsv'
SELECT count(*),
       count(*) FILTER (WHERE (SELECT count(*) FROM contacts c WHERE c.summary LIKE '%' || a.key) = 1
                              AND EXISTS (SELECT 1 FROM contacts c WHERE c.id = a.contact_id AND c.summary LIKE '%' || a.key))
FROM acked a;
SQL
)
read -r acked found <<<"$check"
seconds=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds_to_first_201"])' "$HA_DIR/load.json")
others=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["counts"]; print(r["other"], r["dropped"], r["201"])' "$HA_DIR/load.json")
read -r other dropped ok <<<"$others"
say "failover: kill -> first 201 on the new primary: ${seconds} s (goal <= ${GOAL_SECONDS} s); 201s: $ok; acknowledged contacts on the new primary exactly once: $found of $acked; answers other than 201/503: $other; dropped connections: $dropped"
[[ $seconds != None ]] || fail "no 201 after the kill"
((acked > 0 && found == acked)) || fail "acknowledged contacts missing or doubled ($found of $acked)"
((other == 0 && dropped == 0)) || fail "answers other than 201 and 503 ($other), or dropped connections ($dropped)"
python3 -c "import sys; sys.exit(0 if float('$seconds') <= $LIMIT_SECONDS else 1)" || fail "no 201 within $LIMIT_SECONDS s"
say "kill -> first 201 goal <= $GOAL_SECONDS s: $(python3 -c "print('MET' if float('$seconds') <= $GOAL_SECONDS else 'MISSED')")"
say "passed in $((SECONDS - started)) s"
