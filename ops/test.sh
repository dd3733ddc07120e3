#!/usr/bin/env bash
# The test command: system packages, a private PostgreSQL with a fresh huiyin_test database, then
# swift build + swift test, then the console's browser tests (ops/browser-test.sh: headless Chromium).
# Extra arguments go to `swift test` (e.g. --filter X) and skip the browser tests.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
PG=$ROOT/ops/pg.sh

ops/setup.sh

# Stop the cluster on the way out only if this run started it (a developer's running one stays up).
started=0
# shellcheck disable=SC2317,SC2329  # invoked by trap
cleanup() { local rc=$?; if ((started)); then "$PG" stop || true; fi; exit "$rc"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ! "$PG" status >/dev/null; then started=1; "$PG" start; fi

echo "test: fresh database huiyin_test"
"$PG" recreatedb huiyin_test
eval "$(HUIYIN_DB_NAME=huiyin_test "$PG" env)"
export HUIYIN_PG_CTL=$PG   # tests restart PostgreSQL through this

echo "test: swift build --build-tests"
swift build --build-tests
echo "test: swift test $*"
# XCTest only (the suites are XCTest), so the closing line counts the tests that really ran.
set +e
swift test --skip-build --disable-swift-testing "$@" 2>&1 | tee "$ROOT/.data/test.log"
rc=${PIPESTATUS[0]}
set -e
summary=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with [0-9]+ failures?" "$ROOT/.data/test.log" | tail -n 1 || true)
passed=0 failed=0
if [[ $summary =~ Executed\ ([0-9]+)\ tests?,\ with\ ([0-9]+)\ failure ]]; then
  passed=$((BASH_REMATCH[1] - BASH_REMATCH[2])) failed=${BASH_REMATCH[2]}
  echo "test: swift: $passed passed, $failed failed"
elif ((rc != 0)); then
  failed=1   # the test binary crashed or did not build: count it, so the total cannot read as green
fi

# Script suites print "NAME: N passed, N failed"; add theirs to the total. $1: label, $2: command.
run_suite() {
  local label=$1 log=$ROOT/.data/$1.log line src
  shift
  echo "test: $label ($*)"
  set +e
  "$@" 2>&1 | tee "$log"
  src=${PIPESTATUS[0]}
  set -e
  line=$(grep -E "^$label: [0-9]+ passed, [0-9]+ failed" "$log" | tail -n 1 || true)
  if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    passed=$((passed + BASH_REMATCH[1])) failed=$((failed + BASH_REMATCH[2]))
  elif ((src != 0)); then
    failed=$((failed + 1))
  fi
  ((src == 0)) || rc=$src
}

# Only when the tests above were run whole (not for --filter runs): the operations drills, each a
# script that prints its figures and fails loudly (failover of a pg_auto_failover formation under
# intake load, a point-in-time restore, two instances behind nginx); schemathesis against the served
# API contract (no 5xx, nothing the contract does not describe); the field page's load check (200 phones
# replaying their outboxes through a proxy that drops 20 %: each report stored once); ops/run.sh stopped by signals; then
# the console in a real Chromium.
if (($# == 0)); then
  for drill in ha-test restore-drill balancer-test schemathesis field-load; do
    echo "test: ops drill ops/$drill.sh"
    set +e
    "ops/$drill.sh" "$ROOT/.build/debug/huiyin" 2>&1 | tee "$ROOT/.data/$drill.log"
    drc=${PIPESTATUS[0]}
    set -e
    if ((drc == 0)); then passed=$((passed + 1)); else failed=$((failed + 1)); rc=$drc; fi
  done
  run_suite run-signals ops/run-signals-test.sh
  run_suite browser ops/browser-test.sh
fi
echo "test: $passed passed, $failed failed"
exit "$rc"
