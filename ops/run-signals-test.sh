#!/usr/bin/env bash
# Test of ops/run.sh as people stop it: started in the background by a non-interactive shell (so it
# inherits SIGINT ignored), then sent SIGTERM, then (a second run) SIGINT. Each time the server and
# the PostgreSQL cluster that run.sh started must be gone within 60 s. Runs on a cluster of its own
# (HUIYIN_STATE_DIR), so the test suite's cluster is untouched. Prints "run-signals: N passed, N failed".
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
STATE=$ROOT/.data/run-signals
mkdir -p "$STATE"
export HUIYIN_STATE_DIR=$STATE
passed=0 failed=0

# Running, not merely a zombie nobody has reaped yet (a daemon's parent may be slow to reap it).
alive() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null) && [[ -n $st && $st != Z* ]]; }
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for _ in $(seq 200); do p=$((20000 + (RANDOM * 32768 + RANDOM) % 12768)); port_taken "$p" || { echo "$p"; return; }; done
  return 1
}
# Does GET /readyz on port $1 answer 200? Bash alone: a fresh machine need not have curl.
ready() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
    IFS= read -r -t 5 line <&3
    [[ $line == "HTTP/1.1 200"* ]]
  ) 2>/dev/null
}

# $1: signal name. Starts run.sh, waits for /readyz, signals run.sh alone, checks what is left.
one_run() {
  local sig=$1 port log run_pid serve_pid='' pg_pid='' ok=1
  port=$(free_port)
  log=$STATE/run-$sig.log
  HUIYIN_PORT=$port HUIYIN_SWEEP_INTERVAL=0 bash ops/run.sh >"$log" 2>&1 &
  run_pid=$!
  for _ in $(seq 600); do
    ready "$port" && break
    alive "$run_pid" || break
    sleep 1
  done
  if ! ready "$port"; then
    echo "run-signals: FAIL ($sig): ops/run.sh did not start serving; its log:" >&2
    tail -n 30 "$log" >&2
    kill -KILL "$run_pid" 2>/dev/null
    failed=$((failed + 1)); return
  fi
  serve_pid=$(pgrep -P "$run_pid" -f 'huiyin serve' | head -n1)
  [[ -f $STATE/pg/postmaster.pid ]] && pg_pid=$(head -n1 "$STATE/pg/postmaster.pid")
  echo "run-signals: run.sh $run_pid, server ${serve_pid:-none}, cluster ${pg_pid:-none}; sending SIG$sig"
  kill "-$sig" "$run_pid"
  for _ in $(seq 60); do alive "$run_pid" || break; sleep 1; done
  if alive "$run_pid"; then echo "run-signals: FAIL ($sig): ops/run.sh still running 60 s after SIG$sig" >&2; ok=0; fi
  if [[ -z $serve_pid ]]; then echo "run-signals: FAIL ($sig): no serve process found under run.sh" >&2; ok=0
  elif alive "$serve_pid"; then echo "run-signals: FAIL ($sig): the server outlived run.sh" >&2; ok=0; fi
  if [[ -z $pg_pid ]]; then echo "run-signals: FAIL ($sig): no cluster found" >&2; ok=0
  elif alive "$pg_pid"; then echo "run-signals: FAIL ($sig): the cluster run.sh started is still running" >&2; ok=0; fi
  if ready "$port"; then
    echo "run-signals: FAIL ($sig): port $port still answers" >&2; ok=0
  fi
  # Whatever failed, leave nothing running.
  for p in "$run_pid" $serve_pid; do alive "$p" && kill -KILL "$p" 2>/dev/null; done
  ops/pg.sh stop >/dev/null 2>&1
  if ((ok)); then echo "run-signals: ok: SIG$sig stopped run.sh, its server and its cluster"; passed=$((passed + 1))
  else failed=$((failed + 1)); tail -n 20 "$log" >&2; fi
}

one_run TERM
one_run INT
echo "run-signals: $passed passed, $failed failed"
((failed == 0))
