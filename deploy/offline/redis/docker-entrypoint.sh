#!/bin/sh
# As the official image: own /data, become redis, and (with no password) answer other containers:
# the official build turns protected mode off, Debian's keeps it on, so it is said here.
set -eu
if [ "${1:-}" = redis-server ]; then
	if [ "$(id -u)" = 0 ]; then
		chown -R redis:redis /data
		exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
	fi
	shift
	case "${1:-}" in
	-* | "") set -- redis-server --protected-mode no "$@" ;;
	*) config="$1" && shift && set -- redis-server "$config" --protected-mode no "$@" ;;
	esac
fi
exec "$@"
