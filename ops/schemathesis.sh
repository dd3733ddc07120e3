#!/usr/bin/env bash
# Schemathesis (property-based API testing, from PyPI) against the contract as the server serves it
# (/api/openapi.json): a real `huiyin serve` on a throwaway, seeded database huiyin_schemathesis of the
# private cluster, an operator's API token, and every documented operation fuzzed with valid and
# invalid input. It fails on any 5xx, any status, content type or body the contract does not describe.
# Usage: ops/schemathesis.sh [path/to/huiyin] [extra schemathesis run arguments]
# The last line is `schemathesis: N passed, M failed`; the exit status is non-zero on any failure.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
PG=$ROOT/ops/pg.sh
DB=huiyin_schemathesis           # dropped and made afresh each run: the fuzzer fills it with junk
VENV=$ROOT/.data/schemathesis-venv
OUT=$ROOT/.data/schemathesis     # server log, seed log, the run's reports
SCHEMATHESIS='schemathesis==4.32.5'
# Examples per operation: enough to send each operation bad bodies, types and parameters, small
# enough that the step stays within about 3 minutes on 2 cores.
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-50}

say() { echo "schemathesis: $*"; }
die() { echo "schemathesis: $*" >&2; echo "schemathesis: 0 passed, 1 failed"; exit 1; }

mkdir -p "$OUT"
t0=$SECONDS

# schemathesis in a venv of its own, reused while it holds the pinned version.
if ! [[ -x $VENV/bin/schemathesis ]] || [[ "$("$VENV/bin/schemathesis" --version 2>/dev/null)" != *"${SCHEMATHESIS#*==}" ]]; then
  # Debian's python3 with venv (not whatever python3 a PATH shim offers); apt-get update only if
  # the install fails with the package index as it is, as ops/browser-test.sh does.
  if ! /usr/bin/python3 -c 'import ensurepip' 2>/dev/null; then
    sudo=(); ((EUID == 0)) || sudo=(sudo)
    apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y)
    say "installing python3 python3-venv (log: $OUT/apt.log)"
    if ! "${apt[@]}" install --no-install-recommends python3 python3-venv </dev/null >"$OUT/apt.log" 2>&1; then
      { "${apt[@]}" update && "${apt[@]}" install --no-install-recommends python3 python3-venv; } </dev/null >>"$OUT/apt.log" 2>&1 \
        || die "could not install python3-venv (log: $OUT/apt.log)"
    fi
  fi
  say "creating $VENV with $SCHEMATHESIS (log: $OUT/pip.log)"
  rm -rf "$VENV"
  /usr/bin/python3 -m venv "$VENV"
  if ! "$VENV/bin/pip" install -q --disable-pip-version-check --no-input "$SCHEMATHESIS" </dev/null >"$OUT/pip.log" 2>&1; then
    tail -n 30 "$OUT/pip.log" >&2
    rm -rf "$VENV"
    die "pip could not install $SCHEMATHESIS (log: $OUT/pip.log)"
  fi
fi

if [[ ${1:-} == */* && -x ${1:-} ]]; then
  huiyin=$1
  shift
else
  ops/setup.sh
  say "swift build --product huiyin"
  swift build --product huiyin
  huiyin=$(swift build --show-bin-path)/huiyin
fi

started=0 serve_pid=
# shellcheck disable=SC2317,SC2329  # invoked by trap
cleanup() {
  local rc=$?
  if [[ -n $serve_pid ]]; then
    kill "$serve_pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  if ((started)); then "$PG" stop >/dev/null || true; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ! "$PG" status >/dev/null; then started=1; "$PG" start; fi

say "fresh database $DB"
"$PG" recreatedb "$DB"
eval "$(HUIYIN_DB_NAME=$DB "$PG" env)"
"$huiyin" migrate >"$OUT/seed.log" 2>&1 || { tail -n 30 "$OUT/seed.log" >&2; die "huiyin migrate failed"; }
# Demo data, so that lists, caller lookups and supervision figures answer with real rows.
"$huiyin" seed --history-days 0 >>"$OUT/seed.log" 2>&1 || { tail -n 30 "$OUT/seed.log" >&2; die "huiyin seed failed"; }
# The token stays out of the CI output (it is in the seed log only).
token=$("$huiyin" user add --username fuzz.op --name 接口测试 --unit hb-yc --role operator 2>>"$OUT/seed.log" |
        sed -n 's/^API token (shown once): //p')
[[ -n $token ]] || die "huiyin user add printed no token (log: $OUT/seed.log)"

port=$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
say "huiyin serve on $url (log: $OUT/serve.log)"
HUIYIN_HOST=127.0.0.1 HUIYIN_PORT=$port HUIYIN_SWEEP_INTERVAL=0 "$huiyin" serve >"$OUT/serve.log" 2>&1 &
serve_pid=$!
ready=0
for _ in $(seq 60); do   # 30 s
  kill -0 "$serve_pid" 2>/dev/null || { serve_pid=; tail -n 30 "$OUT/serve.log" >&2; die "huiyin serve exited before it was ready"; }
  if "$VENV/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$url/readyz" 2>/dev/null; then
    ready=1; break
  fi
  sleep 0.5
done
((ready)) || { tail -n 30 "$OUT/serve.log" >&2; die "huiyin serve did not answer 200 on /readyz within 30 s"; }

# One run of schemathesis, its output also kept in $OUT/run.log.
run_schemathesis() {
  # From $OUT, so that schemathesis's own cache (.schemathesis/) lands in the git-ignored .data/.
  (cd "$OUT" && "$VENV/bin/schemathesis" run "$url/api/openapi.json" --url "$url" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "$MAX_EXAMPLES" --workers 2 --generation-database none --no-color \
    --header "Authorization: Bearer $token" --output-sanitize true \
    --report junit --report-dir "$OUT/report" "$@") 2>&1 | tee "$OUT/run.log"
  return "${PIPESTATUS[0]}"
}

say "schemathesis run $url/api/openapi.json (--max-examples $MAX_EXAMPLES $*)"
set +e
run_schemathesis "$@"
rc=$?
# The tool itself can stop on an internal error (seen: Hypothesis's "AST constructor recursion depth
# mismatch" while caching a lambda's source). Such a run says nothing about the server, so it runs once
# more; a run that found a failing check never does.
if ((rc != 0)) && grep -q 'Runtime Error' "$OUT/run.log" && ! grep -q '^=* *FAILURES' "$OUT/run.log"; then
  say "schemathesis stopped on an error of its own, not a failed check: running once more"
  run_schemathesis "$@"
  rc=$?
fi
set -e
say "took $((SECONDS - t0)) s"
if ((rc == 0)); then echo "schemathesis: 1 passed, 0 failed"; else echo "schemathesis: 0 passed, 1 failed"; fi
exit "$rc"
