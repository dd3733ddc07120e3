#!/usr/bin/env bash
# The test command: system packages, a private PostgreSQL with a fresh huiyin_test database, then
# swift build + swift test. Extra arguments go to `swift test` (e.g. --filter X).
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
if [[ $summary =~ Executed\ ([0-9]+)\ tests?,\ with\ ([0-9]+)\ failure ]]; then
  echo "test: $((BASH_REMATCH[1] - BASH_REMATCH[2])) passed, ${BASH_REMATCH[2]} failed"
fi
exit "$rc"
