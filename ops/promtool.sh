#!/usr/bin/env bash
# Runs `promtool` (from Debian's prometheus package, unpacked into .data/tools without installing or
# starting the Prometheus server). Usage: ops/promtool.sh check metrics < exposition.txt
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
TOOLS=$ROOT/.data/tools
PROMTOOL=$TOOLS/usr/bin/promtool

if [[ ! -x $PROMTOOL ]]; then
  mkdir -p "$TOOLS"
  (
    cd "$TOOLS"
    rm -f prometheus_*.deb
    if ! apt-get download prometheus >/dev/null 2>&1; then
      sudo=(); ((EUID == 0)) || sudo=(sudo)
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null >/dev/null
      apt-get download prometheus >/dev/null
    fi
    dpkg-deb -x prometheus_*.deb "$TOOLS"
    rm -f "$TOOLS/usr/bin/prometheus"   # only promtool is wanted
    rm -f prometheus_*.deb
  )
fi
exec "$PROMTOOL" "$@"
