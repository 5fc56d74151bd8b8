#!/usr/bin/env bash
# The compose stack's smoke test (deploy/compose.yaml, docs/deploy.md section B), run by CI as root.
#
# It follows the documented steps on this machine: an environment file from deploy/env.example
# with new secrets, `build`, `up -d`, the first administrator, then checks over HTTPS through the
# Caddy proxy (its internal CA, CCHC_TLS=internal, for the host name cchc.test): /healthz,
# /readyz with every check ok, the citizens' catalog in Vietnamese, a static file, HSTS, the
# redirect of plain HTTP, and a job sent through the queue that the worker container runs. The
# containers' logs are printed on failure; the stack and its volumes are always removed at the end.
#
# Docker is installed (Debian's docker.io and docker-compose) and started when missing. Base
# images Docker Hub cannot give are built from Debian packages (deploy/offline/build-images.sh).
# When no Docker daemon can run at all, the compose file is only validated (`config`), loudly.
#
#   CCHC_SMOKE_HTTP_PORT / CCHC_SMOKE_HTTPS_PORT   host ports of the proxy (18080, 18443)
#   CCHC_SMOKE_TIMEOUT                             seconds to wait for the stack (300)
set -euo pipefail
cd "$(dirname "$0")/.."

started="$(date +%s)"
PROJECT=cchc-smoke
DOMAIN=cchc.test
HTTP_PORT="${CCHC_SMOKE_HTTP_PORT:-18080}"
HTTPS_PORT="${CCHC_SMOKE_HTTPS_PORT:-18443}"
TIMEOUT="${CCHC_SMOKE_TIMEOUT:-300}"

say() { echo "== compose smoke [$(($(date +%s) - started)) s]: $* =="; }
fail() {
  echo "FAIL compose smoke: $*" >&2
  exit 1
}
random() { python3 -c 'import secrets; print(secrets.token_urlsafe(40))'; }
apt_install() {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# 1. Docker and compose.
docker_ready() { docker info >/dev/null 2>&1; }
if ! command -v dockerd >/dev/null 2>&1; then
  say "installing Docker (Debian's docker.io)"
  apt_install docker.io
fi
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  say "installing docker-compose (Debian's package)"
  apt_install docker-compose
fi
if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
else
  COMPOSE=(docker-compose)
fi
if ! docker_ready; then
  say "starting dockerd (log /var/log/cchc-dockerd.log)"
  nohup dockerd >/var/log/cchc-dockerd.log 2>&1 &
  for _ in $(seq 60); do
    docker_ready && break
    sleep 1
  done
fi

work="$(mktemp -d)"
env_file="$work/smoke.env"

if ! docker_ready; then
  # The issue's fallback for a machine that cannot run containers: the stack is only validated.
  cat >"$env_file" <<EOF
POSTGRES_PASSWORD=validate-only
CCHC_DOMAIN=$DOMAIN
CCHC_ENV_FILE=$(pwd)/deploy/env.example
EOF
  echo "#################################################################################" >&2
  echo "WARNING: no Docker daemon can run on this machine (tail of /var/log/cchc-dockerd.log" >&2
  echo "below): the compose stack is NOT started; 'config' only validates deploy/compose.yaml." >&2
  echo "#################################################################################" >&2
  tail -n 20 /var/log/cchc-dockerd.log >&2 || true
  "${COMPOSE[@]}" --env-file "$env_file" -p "$PROJECT" -f deploy/compose.yaml config >/dev/null
  rm -rf "$work"
  say "deploy/compose.yaml is valid (NOT run: no Docker daemon)"
  exit 0
fi

# 2. Base images: from Docker, else from Debian packages under the same names.
say "base images"
bash deploy/offline/build-images.sh
postgres_image=postgres:16-bookworm
if ! docker image inspect "$postgres_image" >/dev/null 2>&1; then
  postgres_image=postgres:15-bookworm
fi

# 3. The environment file, as docs/deploy.md B.3 says: env.example with new secrets and this
# test's host name, certificate authority, ports and PostgreSQL image.
cp deploy/env.example "$env_file"
set_var() {  # NAME VALUE: replaces the line NAME=…, or adds it
  if grep -q "^$1=" "$env_file"; then
    sed -i "s|^$1=.*|$1=$2|" "$env_file"
  else
    echo "$1=$2" >>"$env_file"
  fi
}
set_var DJANGO_SECRET_KEY "$(random)"
set_var CCHC_HISTORY_KEY "$(random)"
set_var POSTGRES_PASSWORD "$(random)"
set_var DJANGO_ALLOWED_HOSTS "$DOMAIN"
set_var CCHC_PUBLIC_URL "https://$DOMAIN:$HTTPS_PORT"
set_var GUNICORN_WORKERS 2
set_var CCHC_DOMAIN "$DOMAIN"
set_var CCHC_TLS internal
set_var CCHC_HTTP_PORT "$HTTP_PORT"
set_var CCHC_HTTPS_PORT "$HTTPS_PORT"
set_var CCHC_POSTGRES_IMAGE "$postgres_image"
set_var CCHC_ENV_FILE "$env_file"
C=("${COMPOSE[@]}" --env-file "$env_file" -p "$PROJECT" -f deploy/compose.yaml)

cleanup() {
  local status=$?
  if [ "$status" -ne 0 ]; then
    echo "---- containers ----" >&2
    "${C[@]}" ps >&2 || true
    echo "---- logs ----" >&2
    "${C[@]}" logs --no-color --tail=200 >&2 || true
  fi
  say "tearing down (down -v)"
  "${C[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
  rm -rf "$work"
  if [ "$status" -eq 0 ]; then
    say "passed in $(($(date +%s) - started)) s"
  else
    echo "FAIL compose smoke after $(($(date +%s) - started)) s" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
"${C[@]}" down -v --remove-orphans >/dev/null 2>&1 || true # a run killed before its teardown

say "build"
"${C[@]}" build
say "up -d"
timeout "$TIMEOUT" "${C[@]}" up -d || fail "up -d did not finish within ${TIMEOUT} s"

say "waiting for web to be healthy"
web="$("${C[@]}" ps -q web)"
deadline=$(($(date +%s) + TIMEOUT))
until [ "$(docker inspect -f '{{.State.Health.Status}}' "$web")" = healthy ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "web is not healthy after ${TIMEOUT} s"
  sleep 2
done

# 4. Over HTTPS, through the proxy.
body="$work/body"
headers="$work/headers"
https() {  # PATH -> the status code; the body and headers in $body and $headers
  curl -sk --max-time 20 --resolve "$DOMAIN:$HTTPS_PORT:127.0.0.1" -D "$headers" -o "$body" \
    -w '%{http_code}' "https://$DOMAIN:$HTTPS_PORT$1" || echo 000
}
say "waiting for the proxy's certificate"
until [ "$(https /healthz)" = 200 ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "https://$DOMAIN:$HTTPS_PORT/healthz never answered 200"
  sleep 2
done
say "checks over HTTPS"
issuer="$(curl -sk -v --max-time 20 --resolve "$DOMAIN:$HTTPS_PORT:127.0.0.1" \
  "https://$DOMAIN:$HTTPS_PORT/healthz" 2>&1 >/dev/null | grep -i 'issuer:' || true)"
echo "$issuer" | grep -q "Caddy Local Authority" || fail "TLS certificate not from Caddy's CA: $issuer"
echo "ok  TLS certificate of $DOMAIN issued by Caddy's internal CA"

status="$(https /readyz)"
[ "$status" = 200 ] || fail "/readyz answered $status: $(cat "$body")"
python3 - "$body" <<'PY' || fail "/readyz: $(cat "$body")"
import json
import sys

answer = json.load(open(sys.argv[1]))
expected = {"database", "cache", "migrations", "queue"}
assert answer["status"] == "ok", answer
assert expected <= set(answer["checks"]), answer
assert all(check["status"] == "ok" for check in answer["checks"].values()), answer
PY
echo "ok  /readyz 200: database, cache, migrations and queue ok"

status="$(https /thu-tuc/)"
[ "$status" = 200 ] || fail "/thu-tuc/ answered $status"
grep -q "Thủ tục hành chính" "$body" || fail "/thu-tuc/ has no Vietnamese title"
echo "ok  /thu-tuc/ 200 in Vietnamese"
grep -qi '^strict-transport-security: max-age=[1-9]' "$headers" || fail "no HSTS header on /thu-tuc/"
echo "ok  HSTS: $(grep -i '^strict-transport-security' "$headers" | tr -d '\r')"
asset="$(grep -o '/static/[^"]*\.css' "$body" | head -n1)"
[ -n "$asset" ] || fail "/thu-tuc/ links no stylesheet"
status="$(https "$asset")"
[ "$status" = 200 ] || fail "$asset answered $status"
echo "ok  $asset 200"

redirect="$(curl -s --max-time 20 --resolve "$DOMAIN:$HTTP_PORT:127.0.0.1" -o /dev/null \
  -w '%{http_code} %{redirect_url}' "http://$DOMAIN:$HTTP_PORT/thu-tuc/" || true)"
case "$redirect" in
  30[178]" https://$DOMAIN"*) echo "ok  http:// redirects: $redirect" ;;
  *) fail "plain HTTP does not redirect to HTTPS: $redirect" ;;
esac

# 5. The first administrator, as docs/deploy.md B.5 says.
say "first administrator"
admin_password="$(random)"
"${C[@]}" exec -T -e DJANGO_SUPERUSER_USERNAME=quantri -e DJANGO_SUPERUSER_EMAIL=quantri@example.gov.vn \
  -e DJANGO_SUPERUSER_PASSWORD="$admin_password" web cchc createsuperuser --noinput
"${C[@]}" exec -T -e PASSWORD="$admin_password" web cchc shell --no-imports -c "
import os
from django.contrib.auth import get_user_model
user = get_user_model().objects.get(username='quantri')
assert user.is_superuser and user.check_password(os.environ['PASSWORD'])
print('ok  administrator quantri created')
"

# 6. A job through the queue, run by the worker container (not by web).
say "a job through the queue"
worker_host="$("${C[@]}" exec -T worker python -c 'import socket; print(socket.gethostname())' | tr -d '\r')"
"${C[@]}" exec -T web cchc shell --no-imports -c "
from cchc.jobs.queue import send
send('history-checkpoint')
"
until "${C[@]}" exec -T -e WORKER="$worker_host" web cchc shell --no-imports -c "
import os, sys
from cchc.jobs.models import JobRun
run = JobRun.objects.filter(key='history-checkpoint', status='done').first()
sys.exit(0 if run and run.worker == os.environ['WORKER'] else 1)
" 2>/dev/null; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "the worker did not run history-checkpoint"
  sleep 2
done
echo "ok  history-checkpoint sent through the queue, done by the worker ($worker_host)"
