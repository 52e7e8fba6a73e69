#!/usr/bin/env bash
# Refreshes the translation catalogs (locale/<lang>/LC_MESSAGES/{django,djangojs}.po) from the
# code: run it after adding or changing a user-facing string, translate the new entries in
# locale/en (and the other languages), then `make setup` compiles them. Vietnamese is the
# source language, so locale/vi only lists the strings. tests/i18n checks nothing is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.dev}"
IGNORE=(--ignore='.venv*' --ignore='node_modules*' --ignore='var*' --ignore='tests*'
        --ignore='benchmarks*' --ignore='web_map/static/web_map/vendor*' --ignore='docs*')
for lang in vi en zh_Hans; do
  .venv/bin/python manage.py makemessages -l "$lang" "${IGNORE[@]}" --no-obsolete --no-location
  .venv/bin/python manage.py makemessages -d djangojs -l "$lang" "${IGNORE[@]}" --no-obsolete --no-location
done
