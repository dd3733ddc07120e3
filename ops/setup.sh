#!/usr/bin/env bash
# Install the system packages Huiyin needs (idempotent; apt-get only runs when something is missing).
# Usage: ops/setup.sh [extra-package ...]     e.g. ops/setup.sh wrk
set -euo pipefail

# libjs-leaflet: the public mediation map's map layer, served from /usr/share/javascript/leaflet at run time.
packages=(libmicrohttpd-dev libpq-dev postgresql pkg-config libjs-leaflet "$@")

installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]; }

missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done

if ((${#missing[@]})); then
  sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "setup: installing ${missing[*]}"
  # Debian's postgresql postinst creates (and may start) a "main" cluster on 5432. We run our own
  # cluster per checkout (ops/pg.sh), so switch that off for this install only, via a drop-in that
  # Debian's createcluster.conf includes; removed again afterwards so the system default is untouched.
  dropin=/etc/postgresql-common/createcluster.d/99-huiyin-no-main.conf
  if ! installed postgresql && [[ ! -e $dropin ]]; then
    "${sudo[@]}" mkdir -p "${dropin%/*}"
    echo "create_main_cluster = false" | "${sudo[@]}" tee "$dropin" >/dev/null
    trap '"${sudo[@]}" rm -f "$dropin"; "${sudo[@]}" rmdir --ignore-fail-on-non-empty "${dropin%/*}"' EXIT
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

# Debian keeps initdb/pg_ctl off PATH, under /usr/lib/postgresql/NN/bin; ops/pg.sh uses the newest.
pgver=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/pg_ctl' 2>/dev/null | awk -F/ '{print $5}' | sort -n | tail -n1)
[[ -n $pgver ]] || { echo "setup: no PostgreSQL server binaries under /usr/lib/postgresql" >&2; exit 1; }
command -v swift >/dev/null || echo "setup: warning: swift is not on PATH (install a Swift toolchain; apt has none for Debian 12)" >&2
exit 0
