// The basemap of the map pages, with the page's notice when its tiles fail: on a weak link or
// offline the map is grey, and the visitor must read why instead of guessing. `notify` is a
// notices.js notifier(); `message` is the page's own sentence (gettext, already translated)
// saying what still works without the basemap.

/** Adds the tile layer of `tiles` ({url, attribution}) to `map`; returns it (or null). */
export function basemap(map, tiles, notify, message) {
  if (!tiles?.url) return null;
  const layer = L.tileLayer(tiles.url, {
    attribution: tiles.attribution, // operator setting, may hold a link: trusted
    maxZoom: 19,
  });
  layer.on("tileerror", () => notify("tiles", message));
  layer.on("tileload", () => notify("tiles", null));
  layer.addTo(map);
  return layer;
}
