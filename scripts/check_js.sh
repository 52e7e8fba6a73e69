#!/usr/bin/env bash
# The front end's checks: Biome (lint and format, biome.json) over our own modules, the tests
# and the service worker, then the modules' unit tests with Node's test runner (tests/js/).
# Biome comes from the lock file: run scripts/build_frontend.sh (its `npm ci`, the vendor copy) first.
# The service worker is a Django template (web_map/pwa.py fills in the app shell's list), so it
# is checked as rendered with an empty list, from var/js-lint/ (git-ignored, removed after).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BIOME="node_modules/.bin/biome"
if [ ! -x "$BIOME" ]; then
  echo "check_js: $BIOME is missing; run scripts/build_frontend.sh (npm ci) first" >&2
  exit 2
fi

# location.js (tested for its GPS check) imports the EXIF reader that build_frontend.sh vendors.
if [ ! -f web_map/static/web_map/vendor/exifr/exifr.lite.esm.js ]; then
  echo "check_js: the vendored EXIF reader is missing; run scripts/build_frontend.sh first" >&2
  exit 2
fi

RENDERED="var/js-lint"
SW_TEMPLATE="web_map/templates/web_map/sw.js"
mkdir -p "$RENDERED"
trap 'rm -rf "$RENDERED"' EXIT
grep -q '{{ shell_json|safe }}' "$SW_TEMPLATE" || {
  echo "check_js: $SW_TEMPLATE no longer holds {{ shell_json|safe }}; update this script" >&2
  exit 2
}
sed 's/{{ shell_json|safe }}/{}/' "$SW_TEMPLATE" >"$RENDERED/sw.js"

echo "==> biome check (lint, format; var/js-lint/sw.js is $SW_TEMPLATE, same line numbers)"
"$BIOME" check --error-on-warnings web_map/static/web_map/js tests/js "$RENDERED"

echo "==> node --test tests/js/"
node --test tests/js/
