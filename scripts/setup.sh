#!/usr/bin/env bash
# Everything `make demo` and `make test` need, installed only when missing:
# system packages, the virtualenv, front-end packages, and (unless DATABASE_URL is set) the
# project's own PostGIS cluster. A second run takes a few seconds.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/install_system.sh

# --- Python -------------------------------------------------------------------------------
PYTHON="${PYTHON:-python3}"
stamp=".venv/.installed-$(cat pyproject.toml scripts/setup.sh | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  echo "==> virtualenv (.venv) from pyproject.toml"
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e '.[dev,s3]'  # s3: the optional photo storage, tested too
  rm -f .venv/.installed-*; touch "$stamp"
fi

# --- Front end (npm, from the committed lock file) ---------------------------------------
bash scripts/build_frontend.sh

# --- Translations (locale/*/LC_MESSAGES/*.po -> .mo; up-to-date files are skipped) ---------
DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.dev}" \
  .venv/bin/python manage.py compilemessages --ignore='.venv*' --ignore='node_modules*' >/dev/null

# --- Database -----------------------------------------------------------------------------
if [ -z "${DATABASE_URL:-}" ]; then
  bash scripts/pg.sh start
fi
# --- Shared caches (HT_CACHE=redis): the project's own Redis unless HT_REDIS_URL names one ---
if [ "${HT_CACHE:-file}" = redis ] && [ -z "${HT_REDIS_URL:-}" ]; then
  bash scripts/redis.sh start
fi
echo "==> setup done"
