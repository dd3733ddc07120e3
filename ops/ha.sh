#!/usr/bin/env bash
# A local replicated PostgreSQL formation run by pg_auto_failover (Debian's postgresql-15-auto-failover):
# a monitor, a primary and a standby, each its own data folder under $HA_DIR (default .data/ha) and its own
# free port on 127.0.0.1, with synchronous replication (a commit returns once the standby has it).
# Usage: ops/ha.sh start|stop|status|env|primary|kill-primary|psql NODE [args]|psql-primary [args]
#   start         create what is missing, run the three, wait until a primary and a synchronous standby are up
#   stop          stop the three (only the processes this script started, by their process groups)
#   env           HUIYIN_DB_* lines for `eval`: both nodes as libpq's host list
#   primary       the port of the current primary
#   kill-primary  SIGKILL everything of the primary's node at once (its keeper and its postgres): a lost machine
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
HA_DIR=${HA_DIR:-$ROOT/.data/ha}
NODES=(node1 node2)
DB=huiyin
# Seconds without the monitor and standby after which a primary stops taking writes (default 20).
PARTITION_TIMEOUT=${HA_PARTITION_TIMEOUT:-3}

die() { echo "ha.sh: $*" >&2; exit 1; }
say() { echo "ha.sh: $*"; }

install_packages() {
  "$ROOT/ops/setup.sh" postgresql-15-auto-failover pg-auto-failover-cli
}

BIN=/usr/lib/postgresql/15/bin
as_pg() {
  local env=(env "XDG_CONFIG_HOME=$HA_DIR/xdg/config" "XDG_DATA_HOME=$HA_DIR/xdg/data"
             "XDG_RUNTIME_DIR=$HA_DIR/xdg/run" "PATH=$BIN:$PATH" "PG_CONFIG=$BIN/pg_config")
  if ((EUID == 0)); then (cd / && runuser -u postgres -- "${env[@]}" "$@"); else "${env[@]}" "$@"; fi
}

port_busy() {
  python3 -c 'import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null && return 1
  return 0
}
pick_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 12768))
    port_busy "$p" || { grep -qx "$p" "$HA_DIR"/*.port 2>/dev/null || { echo "$p"; return; }; }
  done
  die "no free TCP port found"
}
port_of() {
  [[ -f $HA_DIR/$1.port ]] || pick_port >"$HA_DIR/$1.port"
  cat "$HA_DIR/$1.port"
}

# The CI checkout may sit in a folder the postgres user cannot traverse (see ops/pg.sh).
fix_traverse() {
  ((EUID == 0)) || return 0
  local d='' part parts
  IFS=/ read -ra parts <<<"${HA_DIR#/}"
  for part in "${parts[@]}"; do
    d+=/$part
    as_pg test -x "$d" || chmod o+x "$d"
  done
}

psql_at() {  # psql_at PORT [args]: to the huiyin database of a node (the monitor: pg_auto_failover)
  local port=$1; shift
  as_pg "$BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres "$@"
}

is_running() { [[ -f $HA_DIR/$1.pgid ]] && kill -0 -- "-$(cat "$HA_DIR/$1.pgid")" 2>/dev/null; }

# Starts `pg_autoctl ... --run` for one member in its own session (process group), so it can be
# stopped, or killed whole like a lost machine, without touching anything else.
launch() {
  local name=$1; shift
  is_running "$name" && return 0
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$HA_DIR/$name.pgid" \
    "$ROOT/ops/ha.sh" __as_pg "$@" >>"$HA_DIR/$name.log" 2>&1 </dev/null &
  for _ in $(seq 50); do [[ -s $HA_DIR/$name.pgid ]] && return 0; sleep 0.1; done
  die "$name did not start (see $HA_DIR/$name.log)"
}

monitor_uri() { echo "postgres://autoctl_node@127.0.0.1:$(port_of monitor)/pg_auto_failover?sslmode=disable"; }

start() {
  command -v pg_autoctl >/dev/null && [[ -x $BIN/pg_ctl ]] || install_packages
  mkdir -p "$HA_DIR/xdg/config" "$HA_DIR/xdg/data" "$HA_DIR/xdg/run"
  ((EUID == 0)) && chown -R postgres: "$HA_DIR"
  chmod 700 "$HA_DIR/xdg/run"
  fix_traverse
  local m; m=$(port_of monitor)
  if [[ -f $HA_DIR/monitor/PG_VERSION ]]; then launch monitor pg_autoctl run --pgdata "$HA_DIR/monitor"
  else
    launch monitor pg_autoctl create monitor --pgdata "$HA_DIR/monitor" --pgport "$m" --hostname 127.0.0.1 \
      --auth trust --no-ssl --run
  fi
  wait_for "the monitor" 60 psql_at "$m" -d pg_auto_failover -c 'SELECT 1'
  # Detect a lost node in seconds, not the default 20 s: check every second, give up after one retry.
  psql_at "$m" -d pg_auto_failover -c "ALTER SYSTEM SET pgautofailover.health_check_period = 1000" \
    -c "ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000" \
    -c "ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1" \
    -c "ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500" \
    -c "ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 4000" \
    -c "ALTER SYSTEM SET pgautofailover.primary_demote_timeout = $((PARTITION_TIMEOUT * 1000 + 2000))" \
    -c "SELECT pg_reload_conf()" >/dev/null
  local node
  for node in "${NODES[@]}"; do
    local p; p=$(port_of "$node")
    if [[ ! -f $HA_DIR/$node.created ]]; then
      rm -rf "${HA_DIR:?}/$node"
      as_pg pg_autoctl create postgres --pgdata "$HA_DIR/$node" --pgport "$p" --hostname 127.0.0.1 \
        --listen 127.0.0.1 --name "$node" --dbname "$DB" --monitor "$(monitor_uri)" --auth trust --no-ssl \
        --replication-quorum true >>"$HA_DIR/$node.log" 2>&1 || die "creating $node failed (see $HA_DIR/$node.log)"
      # A primary cut off from the monitor and its standby demotes itself after this many seconds; the
      # monitor lets the promoted standby take writes only after that (primary_demote_timeout above).
      as_pg pg_autoctl config set --pgdata "$HA_DIR/$node" timeout.network_partition_timeout "$PARTITION_TIMEOUT" >/dev/null
      touch "$HA_DIR/$node.created"
    fi
    launch "$node" pg_autoctl run --pgdata "$HA_DIR/$node"
    # The second node clones the first: let the first become primary before it is created.
    [[ $node == node1 ]] && wait_for "node1 as primary" 120 has_state 'single|primary|wait_primary'
    true
  done
  wait_for "a primary and a synchronous standby" 180 formation_ready
  say "monitor :$m, primary :$(primary), standby :$(standby); synchronous_standby_names = $(sync_names)"
}

# wait_for WHAT SECONDS command...
wait_for() {
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { state >&2 || true; die "timed out waiting for $what"; }
    sleep 0.5
  done
}

# Reported states of the data nodes, one per line: "name state".
states() {
  psql_at "$(port_of monitor)" -d pg_auto_failover -At -F ' ' \
    -c "SELECT nodename, reportedstate FROM pgautofailover.node ORDER BY nodeid"
}
has_state() { states | grep -qwE "$1"; }
formation_ready() {
  local s; s=$(states)
  grep -qE ' primary$' <<<"$s" && grep -qE ' secondary$' <<<"$s" && [[ -n $(sync_names) ]]
}
role_of_port() { psql_at "$1" -d "$DB" -At -c 'SELECT pg_is_in_recovery()' 2>/dev/null; }
primary() {
  local node
  for node in "${NODES[@]}"; do [[ $(role_of_port "$(port_of "$node")") == f ]] && { port_of "$node"; return 0; }; done
  return 1
}
standby() {
  local node
  for node in "${NODES[@]}"; do [[ $(role_of_port "$(port_of "$node")") == t ]] && { port_of "$node"; return 0; }; done
  return 1
}
node_of_port() { local node; for node in "${NODES[@]}"; do [[ $(port_of "$node") == "$1" ]] && echo "$node"; done; return 0; }
sync_names() { psql_at "$(primary)" -d "$DB" -At -c 'SHOW synchronous_standby_names'; }
state() { psql_at "$(port_of monitor)" -d pg_auto_failover -c "SELECT nodename, nodeport, reportedstate, goalstate FROM pgautofailover.node ORDER BY nodeid"; }

stop() {
  local name
  for name in "${NODES[@]}" monitor; do
    [[ -f $HA_DIR/$name.pgid ]] || continue
    local pgid; pgid=$(cat "$HA_DIR/$name.pgid")
    if kill -0 -- "-$pgid" 2>/dev/null; then
      kill -TERM -- "-$pgid" 2>/dev/null || true   # pg_autoctl stops its postgres (fast shutdown) and exits
      for _ in $(seq 100); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL -- "-$pgid" 2>/dev/null || true
    fi
    rm -f "$HA_DIR/$name.pgid"
  done
}

kill_primary() {
  local port node; port=$(primary) || die "no primary"
  node=$(node_of_port "$port")
  kill -KILL -- "-$(cat "$HA_DIR/$node.pgid")"
  echo "$port"
}

case ${1:-} in
  __as_pg) shift; as_pg "$@" ;;
  start) start ;;
  stop) stop ;;
  status|state) state ;;
  primary) primary ;;
  standby) standby ;;
  kill-primary) kill_primary ;;
  env)
    echo "export HUIYIN_DB_HOST=127.0.0.1,127.0.0.1 HUIYIN_DB_PORT=$(port_of node1),$(port_of node2)"
    echo "export HUIYIN_DB_NAME=$DB HUIYIN_DB_USER=postgres"
    ;;
  psql) shift; node=$1; shift; psql_at "$(port_of "$node")" -d "$DB" "$@" ;;
  psql-primary) shift; psql_at "$(primary)" -d "$DB" "$@" ;;
  *) die "usage: ops/ha.sh start|stop|status|env|primary|standby|kill-primary|psql NODE [args]" ;;
esac
