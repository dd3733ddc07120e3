#!/usr/bin/env bash
# Run the app: system packages, private PostgreSQL with database huiyin, build, migrate, seed, serve.
# HUIYIN_BUILD=debug|release picks the build; HUIYIN_PORT the HTTP port (default 8080).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
PG=$ROOT/ops/pg.sh
BUILD=${HUIYIN_BUILD:-debug}
HTTP_PORT=${HUIYIN_PORT:-8080}

ops/setup.sh

# Stop the cluster on the way out (Ctrl-C included) only if this script started it.
started=0
# shellcheck disable=SC2317,SC2329  # invoked by trap
cleanup() { local rc=$?; if ((started)); then "$PG" stop || true; fi; exit "$rc"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ! "$PG" status >/dev/null; then started=1; "$PG" start; fi

"$PG" createdb huiyin
eval "$(HUIYIN_DB_NAME=huiyin "$PG" env)"   # all config reaches huiyin as HUIYIN_* variables

echo "run: swift build -c $BUILD --product huiyin"
swift build -c "$BUILD" --product huiyin
huiyin=$(swift build -c "$BUILD" --show-bin-path)/huiyin

"$huiyin" migrate
"$huiyin" seed --if-empty
echo "run: console http://127.0.0.1:$HTTP_PORT/login (demo accounts above, password huiyin-demo-2026), public pages /petition and /track,"
echo "run: API http://127.0.0.1:$HTTP_PORT/api/v1 (described at /api/openapi.json; demo tokens printed by seed above); Ctrl-C stops"
# Not exec: the EXIT trap must still run to stop the cluster when serve ends.
"$huiyin" serve --port "$HTTP_PORT"
