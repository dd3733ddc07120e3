#!/usr/bin/env bash
# Run the app: system packages, private PostgreSQL with database huiyin, build, migrate, seed, serve.
# HUIYIN_BUILD=debug|release picks the build; HUIYIN_PORT the HTTP port (default 8080, or a free
# port when 8080 is taken). Ctrl-C, SIGINT or SIGTERM stop the server and the cluster this script started.
set -euo pipefail

# A script started in the background by a non-interactive shell inherits SIGINT ignored, and bash
# cannot trap a signal ignored on entry: start again with the default action restored.
if [[ -z ${HUIYIN_RUN_SIGNALS_RESET:-} ]]; then
  export HUIYIN_RUN_SIGNALS_RESET=1
  exec env --default-signal=INT,TERM,HUP "$BASH" "${BASH_SOURCE[0]}" "$@"
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
PG=$ROOT/ops/pg.sh
BUILD=${HUIYIN_BUILD:-debug}

ops/setup.sh

# Stop what this script started on the way out: the server first, then the cluster (only if this
# script started it; a developer's running cluster stays up).
started=0
serve_pid=
# shellcheck disable=SC2317,SC2329  # invoked by trap
cleanup() {
  local rc=$?
  trap - INT TERM HUP
  if [[ -n $serve_pid ]] && kill -0 "$serve_pid" 2>/dev/null; then
    kill -TERM "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
    echo "run: server stopped"
  fi
  if ((started)); then "$PG" stop || true; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
if ! "$PG" status >/dev/null; then started=1; "$PG" start; fi

"$PG" createdb huiyin
eval "$(HUIYIN_DB_NAME=huiyin "$PG" env)"   # all config reaches huiyin as HUIYIN_* variables

# 8080 unless it is taken (say, by a second checkout's server): then a free port. Bash alone (no
# python or curl on a fresh machine): a port someone answers on is taken.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [[ -n ${HUIYIN_PORT:-} ]]; then
  HTTP_PORT=$HUIYIN_PORT
elif ! port_taken 8080; then
  HTTP_PORT=8080
else
  HTTP_PORT=
  for _ in $(seq 200); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 12768))   # below the ephemeral range, as ops/pg.sh picks
    port_taken "$p" || { HTTP_PORT=$p; break; }
  done
  [[ -n $HTTP_PORT ]] || { echo "run: no free port found; set HUIYIN_PORT" >&2; exit 1; }
  echo "run: port 8080 is taken; serving on $HTTP_PORT instead"
fi

echo "run: swift build -c $BUILD --product huiyin"
swift build -c "$BUILD" --product huiyin
huiyin=$(swift build -c "$BUILD" --show-bin-path)/huiyin

"$huiyin" migrate
"$huiyin" seed --if-empty
echo "run: console http://127.0.0.1:$HTTP_PORT/login (demo accounts above, password huiyin-demo-2026), public pages /petition and /track,"
echo "run: API http://127.0.0.1:$HTTP_PORT/api/v1 (described at /api/openapi.json; demo tokens printed by seed above); Ctrl-C stops"
# In the background and waited for: bash runs a trap only between commands, so a foreground serve
# would keep SIGTERM from reaching the trap until the server ended by itself.
"$huiyin" serve --port "$HTTP_PORT" &
serve_pid=$!
wait "$serve_pid"
