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
# The contact-encryption keys likewise (SECURITY.md, "Encryption at rest"): losing them
# loses the stored contacts, so var/ is where a local backup must look too.
if [ -z "${HT_FIELD_KEYS:-}" ]; then
  FIELD_KEY_FILE="var/field_keys"
  if [ ! -s "$FIELD_KEY_FILE" ]; then
    mkdir -p var
    (umask 077; "$PY" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' > "$FIELD_KEY_FILE")
    echo "==> generated a contact-encryption key in $FIELD_KEY_FILE"
  fi
  # The development key stays second, so contacts written by `make demo` still open.
  HT_FIELD_KEYS="$(cat "$FIELD_KEY_FILE"),$("$PY" -c 'from config.settings.encryption import DEV_FIELD_KEY; print(DEV_FIELD_KEY)')"
  export HT_FIELD_KEYS
fi
if [ -z "${HT_PHONE_HASH_KEY:-}" ]; then
  HASH_KEY_FILE="var/phone_hash_key"
  if [ ! -s "$HASH_KEY_FILE" ]; then
    mkdir -p var
    (umask 077; "$PY" -c 'import secrets; print(secrets.token_urlsafe(32))' > "$HASH_KEY_FILE")
    echo "==> generated a phone-hash key in $HASH_KEY_FILE"
  fi
  HT_PHONE_HASH_KEY="$(cat "$HASH_KEY_FILE")"
  export HT_PHONE_HASH_KEY
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
