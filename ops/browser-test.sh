#!/usr/bin/env bash
# Browser tests of the console: headless Chromium, driven by selenium from Tests/Browser/console_test.py,
# against a real `huiyin serve` on a fresh, seeded database huiyin_browser of the private cluster.
# Usage: ops/browser-test.sh [--setup-only] [unittest arguments, e.g. -k sealed]
#   --setup-only   install Chromium, chromedriver and selenium (the .data/venv), check them, stop
# The last line is `browser: N passed, M failed`; the exit status is non-zero if any test failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
PG=$ROOT/ops/pg.sh
DB=huiyin_browser
VENV=$ROOT/.data/venv            # git-ignored (.data/), reused between runs
OUT=$ROOT/.data/browser          # server log, injected clock, result of the last run
SHOTS=$ROOT/.data/screenshots
CLOCK=$OUT/clock
SELENIUM='selenium>=4.11,<5'     # tested with 4.51; the tests name the driver, so Selenium Manager never runs
# axe-core for the accessibility pass, as the wheel that bundles a current one (4.12.1) ships it: only
# its axe.min.js is used (--no-deps: not Playwright), injected through selenium.
AXE='axe-playwright-python==0.1.8'

say() { echo "browser: $*"; }
die() { echo "browser: $*" >&2; exit 1; }

installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]; }

# chromium + chromium-driver from Debian (same version, so the driver always matches the browser),
# a Chinese font (without one, every screenshot shows boxes; WenQuanYi Micro Hei is 1.6 MB, Noto CJK
# 56 MB), and Debian's python3 with venv for selenium. A package index that is merely old still
# installs most of the time, so `apt-get update` (slow, noisy in CI) runs only when the install fails.
install_debs() {
  local p missing=() sudo=()
  for p in chromium chromium-driver fonts-wqy-microhei python3 python3-venv; do installed "$p" || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
    sudo=(sudo)
  fi
  local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y)
  say "installing ${missing[*]} (log: $OUT/apt.log)"
  if ! "${apt[@]}" install --no-install-recommends "${missing[@]}" </dev/null >"$OUT/apt.log" 2>&1; then
    say "apt-get install failed with the current package index; apt-get update and retry"
    if ! { "${apt[@]}" update && "${apt[@]}" install --no-install-recommends "${missing[@]}"; } \
         </dev/null >>"$OUT/apt.log" 2>&1; then
      tail -n 30 "$OUT/apt.log" >&2
      die "could not install ${missing[*]} (log: $OUT/apt.log)"
    fi
  fi
}

# selenium in a venv of Debian's python3 (not whatever python3 a PATH shim offers, which CI may lack),
# reused while it still imports; a venv whose interpreter went away is made afresh.
install_selenium() {
  local has_axe='import importlib.util, os; s = importlib.util.find_spec("axe_playwright_python"); assert os.path.exists(os.path.join(s.submodule_search_locations[0], "axe.min.js"))'
  if [[ -x $VENV/bin/python ]] && "$VENV/bin/python" -c 'import selenium' 2>/dev/null \
     && "$VENV/bin/python" -c "$has_axe" 2>/dev/null; then return 0; fi
  say "creating $VENV with $SELENIUM and $AXE's axe-core (log: $OUT/pip.log)"
  rm -rf "$VENV"
  /usr/bin/python3 -m venv "$VENV"
  if ! { "$VENV/bin/pip" install -q --disable-pip-version-check --no-input "$SELENIUM" &&
         "$VENV/bin/pip" install -q --disable-pip-version-check --no-input --no-deps "$AXE"; } </dev/null >"$OUT/pip.log" 2>&1; then
    tail -n 30 "$OUT/pip.log" >&2
    rm -rf "$VENV"   # a half-made venv would pass the import check next time if selenium half-installed
    die "pip could not install $SELENIUM and $AXE (log: $OUT/pip.log)"
  fi
}

setup() {
  local t0=$SECONDS chromium driver selenium
  mkdir -p "$OUT"
  install_debs
  install_selenium
  chromium=$(chromium --version 2>/dev/null) || die "chromium --version failed"
  driver=$(chromedriver --version 2>/dev/null) || die "chromedriver --version failed"
  selenium=$("$VENV/bin/python" -c 'import selenium; print(selenium.__version__)')
  say "$chromium; ${driver%% (*}; selenium $selenium (setup took $((SECONDS - t0)) s)"
}

# A free TCP port on 127.0.0.1, chosen by the kernel (bind to port 0). Python is the venv's: it
# exists once setup ran (a PATH python3 may be a shim that CI lacks).
free_port() {
  "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Does GET $1 answer 200 within 2 s? (Python, as curl is not guaranteed on a fresh machine.)
http_ok() {
  "$VENV/bin/python" -c 'import sys, urllib.request; sys.exit(0 if urllib.request.urlopen(sys.argv[1], timeout=2).status == 200 else 1)' \
    "$1" 2>/dev/null
}

serve_pid=
start_server() {
  local port url
  port=$(free_port)
  url=http://127.0.0.1:$port
  # The injected clock starts at the real time; the tests move it forward and back.
  date -u +%Y-%m-%dT%H:%M:%SZ >"$CLOCK"
  say "huiyin serve on $url (log: $OUT/serve.log)"
  HUIYIN_HOST=127.0.0.1 HUIYIN_PORT=$port HUIYIN_SWEEP_INTERVAL=0 HUIYIN_CLOCK_FILE=$CLOCK \
    "$huiyin" serve >"$OUT/serve.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 60); do   # 30 s
    if ! kill -0 "$serve_pid" 2>/dev/null; then
      serve_pid=
      tail -n 30 "$OUT/serve.log" >&2
      die "huiyin serve exited before it was ready (log: $OUT/serve.log)"
    fi
    if http_ok "$url/readyz"; then HUIYIN_URL=$url; return 0; fi
    sleep 0.5
  done
  tail -n 30 "$OUT/serve.log" >&2
  die "huiyin serve did not answer 200 on /readyz within 30 s (log: $OUT/serve.log)"
}

# SIGTERM lets in-flight requests finish (10 s at most); a server that hangs gets SIGKILL after 15 s.
# shellcheck disable=SC2317,SC2329  # invoked by the trap's cleanup
stop_server() {
  [[ -n $serve_pid ]] || return 0
  kill "$serve_pid" 2>/dev/null || true
  for _ in $(seq 30); do
    kill -0 "$serve_pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -9 "$serve_pid" 2>/dev/null || true
  wait "$serve_pid" 2>/dev/null || true
  serve_pid=
}

if [[ ${1:-} == --setup-only ]]; then setup; exit 0; fi
setup
ops/setup.sh   # the build's own system packages (a no-op when ops/test.sh ran it already)

# On the way out, also on failure: stop the server, then the cluster if this run started it, and
# print the tests' summary last (so it is the final line whatever the cleanup said).
started=0
rm -f "$OUT/result"
# shellcheck disable=SC2317,SC2329  # invoked by trap
cleanup() {
  local rc=$?
  stop_server
  if ((started)); then "$PG" stop >/dev/null || true; fi
  if [[ -s $OUT/result ]]; then cat "$OUT/result"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ! "$PG" status >/dev/null; then started=1; "$PG" start; fi

say "fresh database $DB"
"$PG" recreatedb "$DB"
eval "$(HUIYIN_DB_NAME=$DB "$PG" env)"   # HUIYIN_DB_* (and PG*) for huiyin, sweep and the tests

say "swift build --product huiyin"
swift build --product huiyin
huiyin=$(swift build --show-bin-path)/huiyin

say "migrate and seed (log: $OUT/seed.log; demo console password huiyin-demo-2026)"
"$huiyin" migrate >"$OUT/seed.log" 2>&1 || { tail -n 30 "$OUT/seed.log" >&2; die "huiyin migrate failed"; }
# The seed prints API tokens: into the log, not the CI output.
# All of it today (--history-days 0): the tests move the injected clock themselves and count from it.
"$huiyin" seed --history-days 0 >>"$OUT/seed.log" 2>&1 || { tail -n 30 "$OUT/seed.log" >&2; die "huiyin seed failed"; }

start_server

rm -rf "$SHOTS"   # screenshots of this run only
mkdir -p "$SHOTS"
say "Tests/Browser/console_test.py $*"
set +e
HUIYIN_URL=$HUIYIN_URL HUIYIN_BIN=$huiyin HUIYIN_CLOCK_FILE=$CLOCK SCREENSHOTS=$SHOTS \
  PSQL="$(printf '%q ' "$PG" psql -d "$DB")" BROWSER_RESULT=$OUT/result \
  "$VENV/bin/python" Tests/Browser/console_test.py "$@"
rc=$?
set -e
# A runner that died before counting (an import error, say) still ends with the summary line.
if [[ ! -s $OUT/result ]]; then
  echo "browser: the test runner exited with status $rc before reporting" >&2
  echo "browser: 0 passed, 1 failed" >"$OUT/result"
  ((rc)) || rc=1
fi
say "screenshots in $SHOTS, server log in $OUT/serve.log"
exit "$rc"
