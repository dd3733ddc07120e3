#!/usr/bin/env bash
# Backups and point-in-time recovery with PostgreSQL's own tools: continuous WAL archiving
# (archive_command copies each finished WAL segment into $BACKUP_DIR/wal) and base backups
# (pg_basebackup into $BACKUP_DIR/base/<time>). A restore copies the newest base backup taken before the
# target into a new data folder and replays archived WAL up to the chosen moment (recovery_target_time).
#
# Usage (the source server from PGHOST/PGPORT/PGUSER, default 127.0.0.1:5432 postgres):
#   ops/backup.sh archive-settings        the settings to put in the server's postgresql.conf (restart after)
#   ops/backup.sh base                    take a base backup now
#   ops/backup.sh restore TIME DATADIR    rebuild a cluster in DATADIR (new, empty) as of TIME
#                                         (e.g. '2026-11-29 17:30:00+00'); then start it with pg_ctl on any port
#   ops/backup.sh list                    base backups and the archived WAL range
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
BACKUP_DIR=${BACKUP_DIR:-$ROOT/.data/backups}
BIN=${PG_BIN:-$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/pg_ctl' -printf '%h\n' 2>/dev/null | sort -V | tail -n1)}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}

die() { echo "backup.sh: $*" >&2; exit 1; }
say() { echo "backup.sh: $*"; }
# PostgreSQL's tools refuse to run as root and the files must belong to the server's user.
as_pg() { if ((EUID == 0)); then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

prepare_dirs() {
  mkdir -p "$BACKUP_DIR/base" "$BACKUP_DIR/wal"
  ((EUID == 0)) && chown postgres: "$BACKUP_DIR" "$BACKUP_DIR/base" "$BACKUP_DIR/wal"
  return 0
}

archive_settings() {
  prepare_dirs
  # `test ! -f` so a segment is never overwritten (a second server archiving into the same place fails loudly).
  cat <<EOF
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $BACKUP_DIR/wal/%f && cp %p $BACKUP_DIR/wal/%f.part && mv $BACKUP_DIR/wal/%f.part $BACKUP_DIR/wal/%f'
archive_timeout = 60
EOF
}

base() {
  prepare_dirs
  local name target
  name=$(date -u +%Y%m%dT%H%M%S%N)
  target=$BACKUP_DIR/base/$name
  as_pg "$BIN/pg_basebackup" -D "$target.part" -Fp -X stream -c fast --no-password
  date -u '+%Y-%m-%d %H:%M:%S.%N+00' >"$target.part.stopped"
  mv "$target.part" "$target"
  mv "$target.part.stopped" "$target.stopped"
  say "base backup $target"
}

# earlier A B: is time A before time B? (timestamps as PostgreSQL prints them, e.g. 2026-11-29 17:30:00.123+00)
earlier() {
  python3 -c '
import sys
from datetime import datetime
def parse(t):
    t = t.strip().replace(" ", "T", 1)
    if "." in t:
        head, rest = t.split(".", 1)
        digits = "".join(c for c in rest if c.isdigit())
        t = head + "." + digits[:6] + rest[len(digits):]
    if t[-3] in "+-" and t[-3:].lstrip("+-").isdigit(): t += ":00"
    return datetime.fromisoformat(t)
sys.exit(0 if parse(sys.argv[1]) < parse(sys.argv[2]) else 1)' "$1" "$2"
}

restore() {
  local when=$1 datadir=$2 chosen='' b
  [[ ! -e $datadir || -z $(ls -A "$datadir" 2>/dev/null) ]] || die "$datadir is not empty"
  # The newest base backup that finished before the target moment.
  for b in "$BACKUP_DIR"/base/*.stopped; do
    [[ -e $b ]] || continue
    local stopped; stopped=$(<"$b")
    if earlier "$stopped" "$when"; then chosen=${b%.stopped}; fi
  done
  [[ -n $chosen ]] || die "no base backup finished before $when"
  mkdir -p "$datadir"
  ((EUID == 0)) && chown postgres: "$datadir"
  chmod 700 "$datadir"
  as_pg cp -a "$chosen/." "$datadir/"
  as_pg rm -f "$datadir/postmaster.pid"
  as_pg touch "$datadir/recovery.signal"
  as_pg tee -a "$datadir/postgresql.auto.conf" >/dev/null <<EOF
# restore of $(basename "$chosen") to $when (ops/backup.sh)
restore_command = 'cp $BACKUP_DIR/wal/%f %p'
recovery_target_time = '$when'
recovery_target_action = 'promote'
archive_mode = off
EOF
  say "restored $(basename "$chosen") into $datadir; starting it replays WAL up to $when"
}

list() {
  ls -1 "$BACKUP_DIR/base" 2>/dev/null | grep -v '\.stopped$' || true
  local first last
  first=$(ls -1 "$BACKUP_DIR/wal" 2>/dev/null | head -n1) last=$(ls -1 "$BACKUP_DIR/wal" 2>/dev/null | tail -n1)
  echo "archived WAL: ${first:-none} .. ${last:-none}"
}

case ${1:-} in
  archive-settings) archive_settings ;;
  base) base ;;
  restore) (($# == 3)) || die "usage: ops/backup.sh restore TIME DATADIR"; restore "$2" "$3" ;;
  list) list ;;
  *) die "usage: ops/backup.sh archive-settings|base|restore TIME DATADIR|list" ;;
esac
