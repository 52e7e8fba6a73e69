#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the platform needs, only those missing.
# Idempotent: a second run checks with dpkg and returns in well under a second.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

pg_major() {
  # The PostgreSQL major version apt would install (or has installed).
  local v
  v=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1 || true)
  if [ -z "$v" ]; then
    v=$(apt-cache depends postgresql 2>/dev/null | sed -n 's/.*Depends: postgresql-\([0-9]\+\)$/\1/p' | head -1)
  fi
  echo "$v"
}

missing=()
need() { dpkg -s "$1" >/dev/null 2>&1 || missing+=("$1"); }

need postgresql
need postgresql-contrib
need gdal-bin
need libgeos-c1v5
need binutils
need chromium
need fonts-dejavu-core
need fonts-noto-cjk  # Chinese (zh-hans) text in server-drawn images and the offline map
need nodejs
need npm
need wrk
need ffmpeg  # ffprobe checks uploaded clips, ffmpeg transcodes them (the task worker)
need gettext  # msgfmt: setup compiles the translation catalogs (locale/)
need python3-venv
need redis-server  # HT_CACHE=redis: the caches several app servers share (scripts/redis.sh)
need haproxy  # the load balancer of the multi-server drill (benchmarks/drill.py)
# nodejs/npm may already come from elsewhere (nvm, NodeSource, the image): skip them if npm works.
if command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
# python3-venv is only needed when this python lacks venv/ensurepip (a pyenv python ships them).
if python3 -c 'import venv, ensurepip' 2>/dev/null; then missing=("${missing[@]/python3-venv}"); fi
pkgs=()
for p in "${missing[@]}"; do [ -n "$p" ] && pkgs+=("$p"); done
missing=("${pkgs[@]}")
if [ ${#missing[@]} -gt 0 ] || [ -z "$(pg_major)" ] || ! dpkg -s "postgresql-$(pg_major)-postgis-3" >/dev/null 2>&1; then
  echo "==> apt: installing ${missing[*]:-} postgis"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" postgresql >/dev/null
  v=$(pg_major)
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "postgresql-$v-postgis-3" >/dev/null
fi
# pg_partman: monthly partitions, evaluated on the report table (docs/scale.md).
if ! dpkg -s "postgresql-$(pg_major)-partman" >/dev/null 2>&1; then
  echo "==> apt: installing postgresql-$(pg_major)-partman"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "postgresql-$(pg_major)-partman" >/dev/null
fi
echo "==> system packages present (PostgreSQL $(pg_major) with PostGIS, GDAL, Chromium, ffmpeg)"
