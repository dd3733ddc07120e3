#!/usr/bin/env bash
# The balancer test: two instances behind nginx (ops/balancer.sh) on the private cluster's database
# huiyin_lb; intake at 16 connections through nginx, one instance SIGKILLed. The client retries a 502/503
# or a dropped connection with the same Idempotency-Key; every contact acknowledged must be stored once.
# Usage: ops/balancer-test.sh [path/to/huiyin]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
HUIYIN=${1:-$ROOT/.build/debug/huiyin}
export LB_DIR=$ROOT/.data/lb-test
PG=$ROOT/ops/pg.sh

say() { echo "balancer-test: $*"; }
fail() { echo "balancer-test: FAIL: $*" >&2; exit 1; }
ops/setup.sh curl nginx >&2
[[ -x $HUIYIN ]] || swift build --product huiyin

pg_started=0
# shellcheck disable=SC2317,SC2329  # invoked by trap
cleanup() {
  local rc=$?
  ops/balancer.sh stop || true
  ((pg_started)) && "$PG" stop
  ((rc == 0)) && rm -rf "$LB_DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ops/balancer.sh stop 2>/dev/null || true
rm -rf "$LB_DIR"
mkdir -p "$LB_DIR"
if ! "$PG" status >/dev/null; then pg_started=1; "$PG" start; fi
"$PG" recreatedb huiyin_lb >/dev/null
eval "$(HUIYIN_DB_NAME=huiyin_lb "$PG" env)"
export HUIYIN_SWEEP_INTERVAL=0 HUIYIN_LOG_LEVEL=warning HUIYIN_SQL_DIR=$ROOT/sql
started=$SECONDS
"$HUIYIN" migrate >/dev/null
printf 'code,name,level,parent_code\nlb,均衡测试妇联,province,\n' >"$LB_DIR/units.csv"
"$HUIYIN" unit import "$LB_DIR/units.csv" >/dev/null
token=$("$HUIYIN" user add --username lb.op --name 测试话务员 --unit lb --role operator | sed -n 's/^API token (shown once): //p')
port=$(ops/balancer.sh start "$HUIYIN")
victim=$(ops/balancer.sh pids | awk '$1 == "a" {print $2}')
say "nginx :$port in front of two instances; SIGKILL of instance a (pid $victim) under load"

python3 ops/ha/intake_load.py --ports "$port" --token "$token" --connections 16 --kill-after 3 \
  --kill "kill -KILL $victim" --after 4 --max 30 --retryable 502,503,504 --marker "lb-$RANDOM" >"$LB_DIR/load.json"
summary=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r.pop("acknowledged"); print(json.dumps(r, ensure_ascii=False))' "$LB_DIR/load.json")
say "load: $summary"
python3 -c 'import json,sys; [print(f"{k}\t{v}") for k, v in json.load(open(sys.argv[1]))["acknowledged"].items()]' "$LB_DIR/load.json" >"$LB_DIR/acknowledged.tsv"
chmod a+r "$LB_DIR/acknowledged.tsv"
read -r acked found <<<"$("$PG" psql -d huiyin_lb -X -q -At -F ' ' <<SQL
CREATE TEMP TABLE acked (key text, contact_id bigint);
\\copy acked FROM '$LB_DIR/acknowledged.tsv'
SELECT count(*),
       count(*) FILTER (WHERE (SELECT count(*) FROM contacts c WHERE c.summary LIKE '%' || a.key) = 1
                              AND EXISTS (SELECT 1 FROM contacts c WHERE c.id = a.contact_id AND c.summary LIKE '%' || a.key))
FROM acked a;
SQL
)"
other=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["counts"]["other"])' "$LB_DIR/load.json")
seconds=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds_to_first_201"])' "$LB_DIR/load.json")
say "instance killed: first 201 after it in ${seconds} s; acknowledged contacts stored exactly once: $found of $acked; answers other than 201/502/503/504: $other"
[[ $seconds != None ]] || fail "no 201 after the kill"
((acked > 0 && found == acked)) || fail "acknowledged contacts missing or doubled"
((other == 0)) || fail "unexpected answers"
# The active check took the dead instance out of nginx's upstream (its /readyz stopped answering).
for _ in $(seq 10); do grep -q "ready: b (was: a b)" "$LB_DIR/health.log" && break; sleep 1; done
grep -q "ready: b (was: a b)" "$LB_DIR/health.log" || fail "the /readyz checker did not take instance a out: $(cat "$LB_DIR/health.log")"
grep -q "^server 127.0.0.1:$(cat "$LB_DIR/a.port") down;" "$LB_DIR/upstream.conf" || fail "instance a not marked down in the upstream"
say "/readyz checker: $(grep "ready: b (was: a b)" "$LB_DIR/health.log" | head -n1); a marked down in nginx's upstream"
# The survivor's metrics pass Prometheus' own linter and show the pool and the database server.
b_port=$(cat "$LB_DIR/b.port")
curl -s "http://127.0.0.1:$b_port/metrics" >"$LB_DIR/metrics.txt"
lint=$(ops/promtool.sh check metrics <"$LB_DIR/metrics.txt" 2>&1) || fail "promtool check metrics: $lint"
say "promtool check metrics: clean ($(grep -c '^# TYPE' "$LB_DIR/metrics.txt") families)"
grep -q '^huiyin_db_server_info{' "$LB_DIR/metrics.txt" || fail "no huiyin_db_server_info"
grep -q '^process_resident_memory_bytes ' "$LB_DIR/metrics.txt" || fail "no process metrics"
say "passed in $((SECONDS - started)) s"
