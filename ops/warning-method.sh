#!/usr/bin/env bash
# The early-warning method on synthetic data (release build, no database): how often the historical-
# limits test alarms on steady Poisson counts (false alarms, per series-day and per series-year) and how
# soon it catches a rise (share detected within 28 days, delay p50/p90), under the rule set in force
# (HUIYIN_RULES, else the defaults). Ends with the comparison the issue asks for.
# Env: SERIES (series per line, default 2000), SEED.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"

swift build -c release --product huiyin >/dev/null
BIN=$(swift build -c release --show-bin-path)/huiyin
args=(--series "${SERIES:-2000}")
[[ -n ${SEED:-} ]] && args+=(--seed "$SEED")
out=$("$BIN" warnings calibrate "${args[@]}")
echo "$out"
# Verdicts: steady false alarms under the nominal alpha at every level; a doubling from 5 a day or
# more caught within a week in most series.
alpha=$(sed -n 's/.*alpha \([0-9.e-]*\),.*/\1/p' <<<"$out" | head -n 1)
worst=$(awk '/steady/ { for (i = 1; i <= NF; i++) if ($i == "per" && $(i+1) == "day") print $(i-1) }' <<<"$out" | sort -g | tail -n 1)
awk -v a="$alpha" -v w="$worst" 'BEGIN { printf "warning-method: worst false-alarm rate %s per series-day against alpha %s: %s\n", w, a, (w <= a ? "within" : "ABOVE") }'
