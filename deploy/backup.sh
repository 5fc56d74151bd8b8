#!/usr/bin/env bash
# A backup of CCHC: the PostgreSQL database (pg_dump, custom format) and the uploaded files.
#
#   DATABASE_URL=postgres://… CCHC_VAR_DIR=/srv/cchc/var deploy/backup.sh [DEST_DIR]
#
# Writes cchc-STAMP.dump, cchc-STAMP-media.tar.gz and cchc-STAMP.sha256 in DEST_DIR (default
# $CCHC_BACKUP_DIR or /var/backups/cchc), removes backups older than $CCHC_BACKUP_KEEP_DAYS
# (default 14) and prints the dump's path. Run it daily from a systemd timer or cron, and copy
# DEST_DIR to another site (docs/backups.md).
# With CCHC_MEDIA_STORAGE=s3 the uploaded files are in the bucket, not under $CCHC_VAR_DIR/media:
# only the database is dumped here, and the bucket is kept by its own versioning and replication
# (docs/backups.md, "Files in a bucket").
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
dest="${1:-${CCHC_BACKUP_DIR:-/var/backups/cchc}}"
stamp="$(date +%Y%m%d-%H%M%S)"
mkdir -p "$dest"
umask 077  # personal data: readable by the backup's owner only
pg_dump --format=custom --no-owner --no-privileges --file "$dest/cchc-$stamp.dump" "$DATABASE_URL"
media="${CCHC_VAR_DIR:-/srv/cchc/var}/media"
if [ "${CCHC_MEDIA_STORAGE:-local}" = "s3" ]; then
  echo "CCHC_MEDIA_STORAGE=s3: the uploaded files are in the bucket (its versioning and replication keep them)" >&2
elif [ -d "$media" ]; then
  tar -C "$(dirname "$media")" -czf "$dest/cchc-$stamp-media.tar.gz" "$(basename "$media")"
fi
(cd "$dest" && sha256sum "cchc-$stamp".dump cchc-"$stamp"-media.tar.gz 2>/dev/null > "cchc-$stamp.sha256" || sha256sum "cchc-$stamp.dump" > "cchc-$stamp.sha256")
find "$dest" -maxdepth 1 -name 'cchc-*' -mtime +"${CCHC_BACKUP_KEEP_DAYS:-14}" -delete
echo "$dest/cchc-$stamp.dump"
