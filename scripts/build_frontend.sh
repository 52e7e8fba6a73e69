#!/usr/bin/env bash
# Front-end packages for the web map, from the committed package-lock.json, copied into
# web_map/static/web_map/vendor/ so Django serves them (no CDN: the map must work offline).
# Idempotent: `npm ci` runs only when node_modules is missing or older than the lock file;
# the copy is a few small files and always runs, so the vendor folder never goes stale.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

STAMP="node_modules/.ht-npm-ci.stamp"
VENDOR="web_map/static/web_map/vendor"

if [ ! -f "$STAMP" ] || [ package-lock.json -nt "$STAMP" ]; then
  echo "==> npm ci (package-lock.json)"
  npm ci --no-audit --no-fund
  touch "$STAMP"
fi

LEAFLET="node_modules/leaflet/dist"
CLUSTER="node_modules/leaflet.markercluster/dist"

# Build next to the target and swap, so a running server never sees a half-copied folder.
tmp="$(mktemp -d "web_map/static/web_map/.vendor.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/leaflet/images" "$tmp/markercluster"
# The .map files are referenced by the minified files' sourceMappingURL comments; shipping
# them keeps browser consoles quiet and ManifestStaticFilesStorage's post-processing happy.
cp "$LEAFLET/leaflet.js" "$LEAFLET/leaflet.js.map" "$LEAFLET/leaflet.css" "$tmp/leaflet/"
cp "$LEAFLET"/images/*.png "$tmp/leaflet/images/"
cp "$CLUSTER/leaflet.markercluster.js" "$CLUSTER/leaflet.markercluster.js.map" \
  "$CLUSTER/MarkerCluster.css" "$CLUSTER/MarkerCluster.Default.css" "$tmp/markercluster/"
# Heatmap (planner view) and vector tiles (reports as MVT when many are in view).
mkdir -p "$tmp/leaflet-heat" "$tmp/vectorgrid"
cp node_modules/leaflet.heat/dist/leaflet-heat.js "$tmp/leaflet-heat/"
cp node_modules/leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js "$tmp/vectorgrid/"
# OpenLayers for the Django admin's map widget (Django would load it from a CDN otherwise).
mkdir -p "$tmp/ol"
cp node_modules/ol/dist/ol.js node_modules/ol/dist/ol.js.map node_modules/ol/ol.css "$tmp/ol/"
# EXIF reader (orientation, GPS) for photos chosen in the report form: the ES module build.
mkdir -p "$tmp/exifr"
cp node_modules/exifr/dist/lite.esm.mjs "$tmp/exifr/exifr.lite.esm.js"
chmod -R a+rX "$tmp"

rm -rf "$VENDOR"
mv "$tmp" "$VENDOR"
trap - EXIT
echo "==> front-end vendor files in $VENDOR"
