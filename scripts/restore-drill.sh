#!/usr/bin/env bash
# The restore drill (.ci/run): a database with the demo data is backed up with deploy/backup.sh,
# restored with deploy/restore.sh into a new database, and the restored copy must pass
# `cchc verify-history` and `cchc rebuild-stats --verify` and hold the same number of rows in
# every table as the original.
set -euo pipefail
cd "$(dirname "$0")/.."
PG="${PG_URL_BASE:-postgres://postgres@127.0.0.1:5432}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CCHC_VAR_DIR="$work/var"
.venv/bin/python - "$PG/postgres" <<'PY'
import sys
import psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as connection:
    for name in ("cchc_drill", "cchc_drill_restored"):
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
PY
echo "-- demo data into cchc_drill"
DATABASE_URL="$PG/cchc_drill" .venv/bin/cchc migrate --noinput -v0
DATABASE_URL="$PG/cchc_drill" .venv/bin/cchc load-demo > /dev/null
mkdir -p "$CCHC_VAR_DIR/media/drill" && echo "a scanned file" > "$CCHC_VAR_DIR/media/drill/ho-so.pdf"
echo "-- backup"
dump="$(DATABASE_URL="$PG/cchc_drill" deploy/backup.sh "$work/backups")"
echo "-- restore into cchc_drill_restored"
deploy/restore.sh "$dump" "$PG/cchc_drill_restored" "$work/restored"
cmp "$CCHC_VAR_DIR/media/drill/ho-so.pdf" "$work/restored/media/drill/ho-so.pdf"
echo "-- checks on the restored copy"
DATABASE_URL="$PG/cchc_drill_restored" .venv/bin/cchc verify-history
DATABASE_URL="$PG/cchc_drill_restored" .venv/bin/cchc rebuild-stats --verify
.venv/bin/python - "$PG/cchc_drill" "$PG/cchc_drill_restored" <<'PY'
import sys
import psycopg

def counts(url):
    with psycopg.connect(url) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}

original, restored = counts(sys.argv[1]), counts(sys.argv[2])
differing = {t: (original.get(t), restored.get(t)) for t in original.keys() | restored.keys()
             if original.get(t) != restored.get(t)}
if differing:
    sys.exit(f"row counts differ after the restore: {differing}")
print(f"row counts match in {len(original)} tables ({sum(original.values())} rows)")
PY
echo "restore drill: OK"
