#!/usr/bin/env bash
# `make serve`: the production stack (gunicorn + whitenoise, config.settings.prod) on the
# local PostGIS, with nothing to set by hand. A real deployment sets these variables itself
# (docs/deploy.md) and runs gunicorn from systemd behind nginx.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY=.venv/bin/python

export DJANGO_SETTINGS_MODULE=config.settings.prod
# A secret generated on the first run and kept in var/ (git-ignored), readable by us only.
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  KEY_FILE="var/secret_key"
  if [ ! -s "$KEY_FILE" ]; then
    mkdir -p var
    (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$KEY_FILE")
    echo "==> generated a SECRET_KEY in $KEY_FILE"
  fi
  DJANGO_SECRET_KEY="$(cat "$KEY_FILE")"
  export DJANGO_SECRET_KEY
fi
export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-localhost,127.0.0.1}"
# No TLS proxy in front here: plain HTTP on loopback, no redirect to HTTPS. Browsers accept
# Secure cookies on http://localhost, so sign-in still works.
export HT_SECURE_SSL_REDIRECT="${HT_SECURE_SSL_REDIRECT:-0}"

"$PY" manage.py migrate --noinput
"$PY" manage.py load_demo --if-empty
"$PY" manage.py collectstatic --noinput -v 0
echo "==> Hiện Trường (production settings, gunicorn) on http://localhost:${PORT:-8000}/"
# The task worker (video transcoding, SMS) runs beside gunicorn and stops with it.
exec bash scripts/worker.sh .venv/bin/gunicorn -c gunicorn.conf.py
