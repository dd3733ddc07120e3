#!/usr/bin/env bash
# The restore drill (CI runs it): a PostgreSQL of its own with WAL archiving (ops/backup.sh settings),
# `huiyin serve` on it; contacts are posted, a base backup taken, more contacts posted and acknowledged,
# the moment T noted, more contacts posted after T; then ops/backup.sh restores the backup to T into a new
# cluster, and exactly the contacts acknowledged before T must be there — none of those after.
# Usage: ops/restore-drill.sh [path/to/huiyin]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
DRILL=$ROOT/.data/restore-drill
HUIYIN=${1:-$ROOT/.build/debug/huiyin}
export BACKUP_DIR=$DRILL/backups
BIN=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/pg_ctl' -printf '%h\n' | sort -V | tail -n1)

say() { echo "restore-drill: $*"; }
fail() { echo "restore-drill: FAIL: $*" >&2; exit 1; }
as_pg() { if ((EUID == 0)); then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

ops/setup.sh curl >&2
[[ -x $HUIYIN ]] || swift build --product huiyin

serve_pid=
# shellcheck disable=SC2317,SC2329  # invoked by trap
cleanup() {
  local rc=$?
  [[ -n $serve_pid ]] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  for d in "$DRILL/source" "$DRILL/restored"; do
    [[ -f $d/postmaster.pid ]] && as_pg "$BIN/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1
  done
  ((rc == 0)) && rm -rf "$DRILL"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for d in "$DRILL/source" "$DRILL/restored"; do
  [[ -f $d/postmaster.pid ]] && as_pg "$BIN/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1 || true
done
rm -rf "$DRILL"
mkdir -p "$DRILL"
((EUID == 0)) && chown postgres: "$DRILL"
# The postgres user must reach the folder (CI clones into a mode-700 temporary folder; see ops/pg.sh).
if ((EUID == 0)); then
  d=''; IFS=/ read -ra parts <<<"${DRILL#/}"
  for part in "${parts[@]}"; do d+=/$part; as_pg test -x "$d" || chmod o+x "$d"; done
fi
started=$SECONDS

# A source cluster archiving its WAL.
source_port=$(free_port)
as_pg "$BIN/initdb" -D "$DRILL/source" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null 2>&1 \
  || as_pg "$BIN/initdb" -D "$DRILL/source" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
ops/backup.sh archive-settings | as_pg tee -a "$DRILL/source/postgresql.auto.conf" >/dev/null
as_pg "$BIN/pg_ctl" -D "$DRILL/source" -o "-p $source_port -k /tmp -c listen_addresses=127.0.0.1" -l "$DRILL/source.log" -w start >/dev/null
psql_on() { local port=$1; shift; as_pg "$BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres "$@"; }
psql_on "$source_port" -d postgres -c 'CREATE DATABASE huiyin'

export HUIYIN_DB_HOST=127.0.0.1 HUIYIN_DB_PORT=$source_port HUIYIN_DB_NAME=huiyin HUIYIN_DB_USER=postgres
export HUIYIN_SQL_DIR=$ROOT/sql HUIYIN_SWEEP_INTERVAL=0 HUIYIN_LOG_LEVEL=warning
"$HUIYIN" migrate >/dev/null
printf 'code,name,level,parent_code\ndrill,恢复演练妇联,province,\n' >"$DRILL/units.csv"
"$HUIYIN" unit import "$DRILL/units.csv" >/dev/null
token=$("$HUIYIN" user add --username drill.op --name 演练话务员 --unit drill --role operator | sed -n 's/^API token (shown once): //p')
port=$(free_port)
HUIYIN_PORT=$port "$HUIYIN" serve >"$DRILL/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

# post NAME COUNT: COUNT contacts whose summaries say NAME; prints the acknowledged contact ids.
post() {
  local i body answer
  for i in $(seq "$2"); do
    body="{\"channel\":\"call\",\"category\":\"marriage_family\",\"summary\":\"drill $1 $i\",\"call\":{\"sub_line\":\"legal\"}}"
    answer=$(curl -s -w '\n%{http_code}' -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -H "Idempotency-Key: drill-$1-$i" --data "$body" "http://127.0.0.1:$port/api/v1/contacts")
    [[ ${answer##*$'\n'} == 201 ]] || fail "intake answered ${answer##*$'\n'}"
    sed -n 's/.*"contact_id":\([0-9]*\).*/\1/p' <<<"${answer%$'\n'*}"
  done
}

before_backup=$(post early 10)
export PGHOST=127.0.0.1 PGPORT=$source_port PGUSER=postgres   # the server ops/backup.sh backs up
ops/backup.sh base
before_t=$(post before 15)
sleep 1.1
target=$(psql_on "$source_port" -d huiyin -At -c "SELECT now()")
sleep 1.1
after_t=$(post after 15)
# Close the current WAL segment so the archive holds everything written (a live server does this every
# archive_timeout seconds).
psql_on "$source_port" -d huiyin -At -c 'SELECT pg_switch_wal()' >/dev/null
for _ in $(seq 100); do
  [[ $(psql_on "$source_port" -d huiyin -At -c "SELECT last_archived_wal >= pg_walfile_name(pg_current_wal_lsn() - 1) FROM pg_stat_archiver") == t ]] && break
  sleep 0.1
done
ops/backup.sh list

# Restore to T into a new cluster and look.
ops/backup.sh restore "$target" "$DRILL/restored"
restored_port=$(free_port)
as_pg "$BIN/pg_ctl" -D "$DRILL/restored" -o "-p $restored_port -k /tmp -c listen_addresses=127.0.0.1" -l "$DRILL/restored.log" -w -t 120 start >/dev/null
for _ in $(seq 200); do
  [[ $(psql_on "$restored_port" -d huiyin -At -c 'SELECT pg_is_in_recovery()' 2>/dev/null) == f ]] && break
  sleep 0.2
done
[[ $(psql_on "$restored_port" -d huiyin -At -c 'SELECT pg_is_in_recovery()') == f ]] || fail "the restored cluster did not finish recovery"

ids() { tr '\n' ',' <<<"$1" | sed 's/,$//'; }
expected=$(ids "$before_backup"$'\n'"$before_t")
present=$(psql_on "$restored_port" -d huiyin -At -c "SELECT string_agg(id::text, ',' ORDER BY id) FROM contacts WHERE summary LIKE 'drill %'")
want=$(tr ',' '\n' <<<"$expected" | sort -n | paste -sd,)
say "target $target; acknowledged before it: $(wc -w <<<"${expected//,/ }"), after it: $(wc -l <<<"$after_t"); restored: $(wc -w <<<"${present//,/ }")"
[[ $present == "$want" ]] || fail "restored contacts ($present) differ from those acknowledged before the target ($want)"
say "passed in $((SECONDS - started)) s: exactly the contacts acknowledged before the target are in the restored cluster"
