#!/usr/bin/env bash
# Two `huiyin serve` instances behind nginx (Debian's), all on free ports of 127.0.0.1, state in .data/lb.
# The database comes from the HUIYIN_DB_* environment (a formation's host list from `ops/ha.sh env`, or the
# private cluster's `ops/pg.sh env`).
# Usage: ops/balancer.sh start [path/to/huiyin] | stop | port | pids
#   start  starts instance a and b, nginx in front, and the /readyz checker; prints the balancer's port
#   stop   stops what start started (by the PIDs it wrote)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
LB=${LB_DIR:-$ROOT/.data/lb}

die() { echo "balancer.sh: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
alive() { [[ -f $LB/$1.pid ]] && kill -0 "$(cat "$LB/$1.pid")" 2>/dev/null; }

start() {
  local huiyin=${1:-$ROOT/.build/debug/huiyin}
  [[ -x $huiyin ]] || die "no $huiyin (swift build --product huiyin)"
  command -v nginx >/dev/null || "$ROOT/ops/setup.sh" nginx >&2
  mkdir -p "$LB/tmp"
  local name
  for name in a b; do
    alive "$name" && continue
    free_port >"$LB/$name.port"
    HUIYIN_PORT=$(cat "$LB/$name.port") HUIYIN_SQL_DIR=${HUIYIN_SQL_DIR:-$ROOT/sql} \
      "$huiyin" serve >>"$LB/$name.log" 2>&1 &
    echo $! >"$LB/$name.pid"
  done
  [[ -f $LB/nginx.port ]] || free_port >"$LB/nginx.port"
  write_upstream "a b"
  # Two health checks. Active: a checker (below) asks each instance's /readyz every second and takes
  # an instance that does not answer 200 out of nginx's upstream (open-source nginx has no active
  # checks of its own), so an instance that is alive but cut off from the database stops getting
  # requests. Passive, between two of its rounds: an instance that refuses connections or answers
  # 502/503/504 is left out for 5 s. A request nginx could not hand over at all goes to the other
  # instance; one already sent (a POST) is never resent by nginx — the client retries with its
  # Idempotency-Key, which lands once.
  cat >"$LB/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $LB/nginx.pid;
error_log $LB/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $LB/tmp/body;
  proxy_temp_path $LB/tmp/proxy;
  fastcgi_temp_path $LB/tmp/fastcgi;
  uwsgi_temp_path $LB/tmp/uwsgi;
  scgi_temp_path $LB/tmp/scgi;
  client_max_body_size 4m;
  upstream huiyin {
    include $LB/upstream.conf;
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$(cat "$LB/nginx.port");
    location / {
      proxy_pass http://huiyin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_next_upstream error timeout http_502 http_503 http_504;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
    }
  }
}
EOF
  if ! alive nginx-master; then
    nginx -e "$LB/nginx-error.log" -c "$LB/nginx.conf" -p "$LB" >>"$LB/nginx.log" 2>&1 &
    echo $! >"$LB/nginx-master.pid"
  fi
  if ! alive health; then
    health_loop >>"$LB/health.log" 2>&1 &
    echo $! >"$LB/health.pid"
  fi
  local port; port=$(cat "$LB/nginx.port")
  for _ in $(seq 100); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(cat "$LB/a.port")/readyz") == 200 &&
       $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(cat "$LB/b.port")/readyz") == 200 &&
       $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz") == 200 ]] && { echo "$port"; return 0; }
    sleep 0.2
  done
  die "instances or nginx not ready (see $LB/*.log)"
}

# The upstream servers: those named in $1 ("a b", "b", …) take requests, the others are marked down.
# With none ready, both stay in, under the passive checks alone (nginx then answers from whichever lives).
write_upstream() {
  local name ready=$1
  [[ -n $ready ]] || ready="a b"
  for name in a b; do
    if [[ " $ready " == *" $name "* ]]; then
      echo "server 127.0.0.1:$(cat "$LB/$name.port") max_fails=1 fail_timeout=5s;"
    else
      echo "server 127.0.0.1:$(cat "$LB/$name.port") down;"
    fi
  done >"$LB/upstream.conf.tmp"
  mv "$LB/upstream.conf.tmp" "$LB/upstream.conf"
}

# The active check: every second, GET /readyz of each instance (1 s at most); when the set of ready
# instances changes, rewrite the upstream and have nginx reload it (SIGHUP: new workers, no dropped
# connections). Each change is logged with the time.
health_loop() {
  local last="a b" now name code
  while :; do
    now=
    for name in a b; do
      code=$(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$(cat "$LB/$name.port")/readyz" 2>/dev/null || true)
      [[ $code == 200 ]] && now+="${now:+ }$name"
    done
    if [[ $now != "$last" ]]; then
      write_upstream "$now"
      [[ -f $LB/nginx.pid ]] && kill -HUP "$(cat "$LB/nginx.pid")" 2>/dev/null
      echo "$(date -u +%H:%M:%S.%N | cut -c1-12) ready: ${now:-none} (was: ${last:-none})"
      last=$now
    fi
    sleep 1
  done
}

stop() {
  local name
  for name in health nginx-master a b; do
    alive "$name" || { rm -f "$LB/$name.pid"; continue; }
    local pid; pid=$(cat "$LB/$name.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$LB/$name.pid"
  done
}

case ${1:-} in
  start) shift; start "$@" ;;
  stop) stop ;;
  port) cat "$LB/nginx.port" ;;
  pids) for n in a b; do echo "$n $(cat "$LB/$n.pid")"; done ;;
  *) die "usage: ops/balancer.sh start [huiyin] | stop | port | pids" ;;
esac
