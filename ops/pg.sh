#!/usr/bin/env bash
# A private PostgreSQL cluster for this checkout: data in $ROOT/.data/pg, its own free TCP port on
# 127.0.0.1, a random superuser password. Two checkouts never share a cluster or a port.
# HUIYIN_STATE_DIR puts the cluster's folder elsewhere (a test of ops/run.sh runs its own cluster).
# Usage: ops/pg.sh start|stop|restart|status|env|psql [args]|createdb NAME|recreatedb NAME
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
STATE=${HUIYIN_STATE_DIR:-$ROOT/.data}
DATA=$STATE/pg
PORT_FILE=$STATE/pg.port
PASS_FILE=$STATE/pg.pass
LOG=$STATE/pg.log

die() { echo "pg.sh: $*" >&2; exit 1; }
say() { echo "pg.sh: $*"; }

# Server binaries: those of the version the cluster was made with, else the newest installed.
pg_bin() {
  local v=
  [[ -f $DATA/PG_VERSION ]] && v=$(<"$DATA/PG_VERSION")
  if [[ -z $v || ! -x /usr/lib/postgresql/$v/bin/pg_ctl ]]; then
    v=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/pg_ctl' 2>/dev/null |
        awk -F/ '{print $5}' | sort -n | tail -n1)
  fi
  if [[ -n $v ]]; then echo "/usr/lib/postgresql/$v/bin"
  elif command -v pg_ctl >/dev/null; then dirname "$(command -v pg_ctl)"   # non-Debian layout
  else die "PostgreSQL server binaries not found; run ops/setup.sh"; fi
}
BIN=$(pg_bin)

# PostgreSQL refuses to run as root: as root, run server tools as the postgres system user
# (from / so an unreadable working directory does not bother them).
as_pg() {
  if ((EUID == 0)); then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# CI clones into a mode-700 mktemp folder the postgres user cannot traverse: open exactly the
# ancestors that block it (top-down, so each check sees its parents already fixed).
fix_traverse() {
  ((EUID == 0)) || return 0
  local d='' part parts
  IFS=/ read -ra parts <<<"${STATE#/}"
  for part in "${parts[@]}"; do
    d+=/$part
    if ! as_pg test -x "$d"; then
      chmod o+x "$d"
      say "added o+x to $d so the postgres user can reach $DATA"
    fi
  done
}

# Is TCP port $1 on 127.0.0.1 in use? Ask the kernel (bind) when python3 exists, else ss, else probe.
# SO_REUSEADDR as postgres uses it, so our own TIME_WAIT leftovers after a restart don't count.
port_busy() {
  if command -v python3 >/dev/null; then
    if python3 -c 'import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null
    then return 1; else return 0; fi
  elif command -v ss >/dev/null; then
    [[ -n $(ss -Hltn "sport = :$1") ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# A random free port in 20000-32767: below Linux's ephemeral range (32768+), so outgoing
# connections are unlikely to grab it while the cluster is stopped.
pick_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 12768))
    port_busy "$p" || { echo "$p"; return; }
  done
  die "no free TCP port found"
}

running() { [[ -f $DATA/PG_VERSION ]] && as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

init_cluster() {
  local loc=C pass tmp
  grep -qiE '^c\.utf-?8$' <<<"$(locale -a 2>/dev/null || true)" && loc=C.UTF-8
  pass=$(od -An -tx1 -N18 /dev/urandom | tr -d ' \n')
  # initdb reads the password from a file the postgres user can read; keep it only for the call.
  tmp=$(mktemp)
  printf '%s\n' "$pass" >"$tmp"
  rm -rf "$DATA.init"
  mkdir -m 700 "$DATA.init"
  if ((EUID == 0)); then chown postgres: "$tmp" "$DATA.init"; fi
  say "initdb $DATA (locale $loc)"
  if ! as_pg "$BIN/initdb" -D "$DATA.init" -U postgres --auth=scram-sha-256 --pwfile="$tmp" \
         --encoding=UTF8 --locale="$loc" >"$STATE/initdb.log" 2>&1; then
    rm -f "$tmp"; cat "$STATE/initdb.log" >&2; die "initdb failed"
  fi
  rm -f "$tmp"
  echo "include_if_exists = 'huiyin.conf'" >>"$DATA.init/postgresql.conf"
  (umask 077 && printf '%s\n' "$pass" >"$PASS_FILE")
  chmod 600 "$PASS_FILE"
  mv "$DATA.init" "$DATA"   # only a complete cluster ever appears at $DATA
}

# Our settings live in their own file, rewritten on every start (port may change).
write_conf() {
  cat >"$DATA/huiyin.conf" <<CONF
# Written by ops/pg.sh on every start: edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $1
unix_socket_directories = ''   # TCP only; no socket path-length limits, nothing outside .data
timezone = 'UTC'
log_timezone = 'UTC'
CONF
  if ((EUID == 0)); then chown postgres: "$DATA/huiyin.conf"; fi
}

do_start() {
  if running; then return 0; fi
  mkdir -p "$STATE"
  chmod 755 "$STATE"
  fix_traverse
  [[ -f $DATA/PG_VERSION ]] || init_cluster
  [[ -f $PASS_FILE ]] || die "$PASS_FILE is missing; remove $STATE to start afresh"
  local port=
  [[ -f $PORT_FILE ]] && port=$(<"$PORT_FILE")
  if [[ ! $port =~ ^[0-9]+$ ]] || port_busy "$port"; then
    [[ -n $port ]] && say "port $port is taken by something else; choosing another"
    port=$(pick_port)
    echo "$port" >"$PORT_FILE"
  fi
  write_conf "$port"
  touch "$LOG"
  if ((EUID == 0)); then chown postgres: "$LOG"; fi
  # 9>&-: the server must not inherit our lock descriptor (it would hold the lock forever).
  if ! as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 -s start 9>&-; then
    tail -n 20 "$LOG" >&2; die "PostgreSQL did not start (log: $LOG)"
  fi
  for _ in $(seq 60); do
    "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1 && { say "PostgreSQL running on 127.0.0.1:$port (log: $LOG)"; return 0; }
    sleep 1
  done
  die "PostgreSQL is not accepting connections on 127.0.0.1:$port (log: $LOG)"
}

do_stop() {
  if running; then
    as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 -s stop
    say "PostgreSQL stopped"
  fi
}

load_env() {
  [[ -f $PORT_FILE && -f $PASS_FILE ]] || die "cluster not initialised; run: ops/pg.sh start"
  PORT=$(<"$PORT_FILE")
  PASS=$(<"$PASS_FILE")
}

run_psql() {
  load_env
  PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres PGPASSWORD=$PASS "$BIN/psql" -X "$@"
}

# Serialise start/stop between concurrent callers in this checkout (e.g. two test runs).
lock() { mkdir -p "$STATE"; exec 9>"$STATE/pg.lock"; flock 9; }

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case $cmd in
  start)   lock; do_start ;;
  stop)    lock; do_stop ;;
  restart) lock; do_stop; do_start ;;
  status)
    if running; then say "running on 127.0.0.1:$(<"$PORT_FILE")"; else say "not running"; exit 3; fi ;;
  env)
    load_env
    for v in HUIYIN_DB_HOST=127.0.0.1 "HUIYIN_DB_PORT=$PORT" HUIYIN_DB_USER=postgres \
             "HUIYIN_DB_PASSWORD=$PASS" "HUIYIN_DB_NAME=${HUIYIN_DB_NAME:-huiyin}" \
             PGHOST=127.0.0.1 "PGPORT=$PORT" PGUSER=postgres "PGPASSWORD=$PASS"; do
      printf 'export %s=%q\n' "${v%%=*}" "${v#*=}"
    done ;;
  psql) run_psql "$@" ;;
  createdb|recreatedb)
    [[ $# -eq 1 && -n $1 ]] || die "usage: $0 $cmd NAME"
    # psql variables (:'db') quote the name; \gexec runs the generated statements.
    {
      echo "SET client_min_messages = warning;"   # no "does not exist, skipping" notice
      [[ $cmd == recreatedb ]] && echo "SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db') \\gexec"
      echo "SELECT format('CREATE DATABASE %I', :'db') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \\gexec"
    } | run_psql -q -v ON_ERROR_STOP=1 -v db="$1" -d postgres >/dev/null ;;
  *) echo "usage: $0 start|stop|restart|status|env|psql [args]|createdb NAME|recreatedb NAME" >&2; exit 2 ;;
esac
