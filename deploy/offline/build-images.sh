#!/usr/bin/env bash
# The base images of deploy/compose.yaml, for machines without Docker Hub (CI and air-gapped
# agencies; README.md here). Each image the stack names is used if Docker has it, pulled if the
# registry answers, and otherwise built here from Debian bookworm packages under the same name
# and tag — except PostgreSQL: Debian bookworm has 15, so the stand-in is postgres:15-bookworm and
# the stack takes it with CCHC_POSTGRES_IMAGE=postgres:15-bookworm.
#
#   deploy/offline/build-images.sh            # as root, with Docker running
#   CCHC_DEBIAN_MIRROR=http://mirror.local/debian deploy/offline/build-images.sh
#
# The Debian base (debootstrap --variant=minbase bookworm, imported as cchc-offline/debian:bookworm)
# stays in Docker's image store: a second run builds nothing it already has.
set -euo pipefail
cd "$(dirname "$0")"

MIRROR="${CCHC_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SECURITY_MIRROR="${CCHC_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
BASE=cchc-offline/debian:bookworm
POSTGRES_IMAGE="${CCHC_POSTGRES_IMAGE:-postgres:16-bookworm}"

have() { docker image inspect "$1" >/dev/null 2>&1; }
pull() { timeout 120 docker pull -q "$1" >/dev/null 2>&1; }

base() {
  if have "$BASE"; then
    return
  fi
  echo "== $BASE: debootstrap --variant=minbase bookworm ($MIRROR) =="
  if ! command -v debootstrap >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  local root
  root="$(mktemp -d)"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$root" "$MIRROR" \
    >"$root.log" 2>&1 || {
    cat "$root.log" >&2
    rm -rf "$root" "$root.log"
    return 1
  }
  rm -f "$root.log"
  cat >"$root/etc/apt/sources.list" <<SOURCES
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $SECURITY_MIRROR bookworm-security main
SOURCES
  # The certificate authorities this machine adds to Debian's (a TLS-inspecting proxy's, an
  # agency's own): pip and apt in the images trust what the machine trusts.
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    chroot "$root" update-ca-certificates >/dev/null 2>&1
  fi
  # As Docker's Debian images: no service starts inside a build, no documentation, no caches.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod +x "$root/usr/sbin/policy-rc.d"
  cat >"$root/etc/dpkg/dpkg.cfg.d/cchc-slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
DPKG
  echo 'APT::Install-Recommends "false";' >"$root/etc/apt/apt.conf.d/99cchc-no-recommends"
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb "$root"/usr/share/doc/*/[!c]* \
    "$root"/usr/share/man/*
  tar -C "$root" -c . | docker import \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    - "$BASE" >/dev/null
  rm -rf "$root"
}

ensure() {  # IMAGE DIRECTORY [STAND-IN TAG]
  local image="$1" directory="$2" standin="${3:-$1}"
  if have "$image" || pull "$image"; then
    echo "$image: from Docker"
    return
  fi
  if have "$standin"; then
    echo "$image: the stand-in $standin, built before"
    return
  fi
  base
  echo "== $standin: built from Debian bookworm packages (deploy/offline/$directory) =="
  local log
  log="$(mktemp)"
  if ! docker build -t "$standin" "$directory" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

ensure python:3.11-slim-bookworm python
ensure redis:7-bookworm redis
ensure caddy:2 caddy
if [ "$POSTGRES_IMAGE" = postgres:15-bookworm ]; then
  ensure postgres:15-bookworm postgres
else
  ensure "$POSTGRES_IMAGE" postgres postgres:15-bookworm
  if ! have "$POSTGRES_IMAGE"; then
    echo "$POSTGRES_IMAGE cannot be had here: set CCHC_POSTGRES_IMAGE=postgres:15-bookworm (docs/deploy.md)"
  fi
fi
