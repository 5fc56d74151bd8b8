#!/bin/sh
# The official image's start, in short: as root, own the data directory and become postgres; on an
# empty data directory, initdb with POSTGRES_USER as superuser (password POSTGRES_PASSWORD, required
# from other hosts) and create POSTGRES_DB; then run the command (postgres).
set -eu
if [ "$(id -u)" = 0 ]; then
	mkdir -p "$PGDATA" /var/run/postgresql
	chown -R postgres:postgres "$PGDATA" /var/run/postgresql
	chmod 700 "$PGDATA"
	exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ "${1:-}" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
	: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set (the official image's contract)}"
	user="${POSTGRES_USER:-postgres}"
	database="${POSTGRES_DB:-$user}"
	password_file="$(mktemp)"
	printf '%s\n' "$POSTGRES_PASSWORD" >"$password_file"
	initdb --username="$user" --pwfile="$password_file" --encoding=UTF8 --locale=C.UTF-8 \
		--auth-local=trust --auth-host=scram-sha-256
	rm -f "$password_file"
	echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
	echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
	if [ "$database" != postgres ]; then
		pg_ctl --wait --options="-c listen_addresses=''" start
		escaped="$(printf '%s' "$database" | sed 's/"/""/g')"
		psql --no-psqlrc --set=ON_ERROR_STOP=1 --username="$user" --dbname=postgres \
			--command="CREATE DATABASE \"$escaped\""
		pg_ctl --wait --mode=fast stop
	fi
fi
exec "$@"
