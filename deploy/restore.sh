#!/usr/bin/env bash
# Restore a CCHC backup made by deploy/backup.sh into an EMPTY database (and the files).
#
#   deploy/restore.sh DUMP TARGET_DATABASE_URL [MEDIA_PARENT_DIR]
#
# Checks the dump (and its media archive, when there is one) against the .sha256 written with it,
# restores the database with pg_restore (stopping at the first error), and unpacks the media
# archive into MEDIA_PARENT_DIR (e.g. /srv/cchc/var). Then run `cchc verify-history` and
# `cchc rebuild-stats --verify` against the restored database (docs/backups.md).
set -euo pipefail
dump="${1:?the .dump file}"
target="${2:?the target database URL}"
media_parent="${3:-}"
stamp="$(basename "$dump" .dump)"
dir="$(cd "$(dirname "$dump")" && pwd)"
if [ -f "$dir/$stamp.sha256" ]; then
  (cd "$dir" && sha256sum --check --quiet "$stamp.sha256")
else
  echo "warning: no $stamp.sha256 next to the dump; not checked" >&2
fi
pg_restore --no-owner --no-privileges --exit-on-error --dbname "$target" "$dump"
archive="$dir/$stamp-media.tar.gz"
if [ -n "$media_parent" ] && [ -f "$archive" ]; then
  mkdir -p "$media_parent"
  tar -C "$media_parent" -xzf "$archive"
fi
echo "restored $dump into the target database"
