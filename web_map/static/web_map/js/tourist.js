// The tourist view (phone first): the tourism office's places from the places API (notes
// PLACES.md) filtered by kind, "open now" and price, search with a "no results" line read out
// politely, "near me" with the visitor's position drawn and distances, the nearest free Wi-Fi,
// ward outlines and a notice when the basemap fails. The details panel (a bottom sheet on
// phones) is its own module, loaded on the first tap so the first screen stays light.
// User text is set with textContent only.

import { getJSON, withParams } from "./api.js";
import { basemap } from "./basemap.js";
import { distanceMetres, formatDistance } from "./distance.js";
import { byLabel } from "./labels.js";
import { gettext, interpolate, localized, ngettext, pageLocale } from "./l10n.js";
import { LoadingIndicator } from "./map_loading.js";
import { notifier } from "./notices.js";
import { WardLayer } from "./wards.js";
import { KIND_COLORS } from "./place_style.js";

const config = JSON.parse(document.getElementById("tourist-config").textContent);
const PRICED_KINDS = new Set(["accommodation", "food"]);
const WIFI_COLOR = "#1a9850";

const notify = notifier();
const map = L.map("tr-map", { center: config.center, zoom: config.zoom });
basemap(map, config.tiles, notify, gettext("Không tải được bản đồ nền; các địa điểm vẫn hiển thị."));
const loading = new LoadingIndicator(map);
const wards = new WardLayer(map, { interactive: false });
const places = L.layerGroup().addTo(map);
const state = { visitor: null, features: [], kinds: new Map(), request: null };
const status = document.getElementById("tr-status");
const results = document.getElementById("tr-results");

const displayName = (p) => localized(p, "name");

function say(text) {
  status.textContent = text || "";
}

/** Metres from the visitor to a feature, when the visitor's position is known. */
function distanceTo(feature) {
  if (feature.properties.distance_m != null) return feature.properties.distance_m;
  if (!state.visitor) return null;
  const [lng, lat] = feature.geometry.coordinates;
  return distanceMetres(state.visitor, { lat, lng });
}

// --- Details (lazy) ---------------------------------------------------------------------------

let details = null;
function openDetails(feature, { wifi = false } = {}) {
  details ||= import("./place_details.js");
  const opener = document.activeElement;
  return details
    .then(({ showPlace }) =>
      showPlace(feature, {
        panel: document.getElementById("tr-details"),
        config,
        wifi,
        distance: distanceTo(feature),
        opener,
      }),
    )
    .catch((error) => console.error("details", error));
}

// --- Places -----------------------------------------------------------------------------------

function placeMarker(feature, { wifi = false } = {}) {
  const [lon, lat] = feature.geometry.coordinates;
  const p = feature.properties;
  const color = wifi ? WIFI_COLOR : KIND_COLORS[p.kind] || "#2b8cbe";
  const m = L.circleMarker([lat, lon], {
    radius: 8,
    color: "#fff",
    weight: 2,
    fillColor: color,
    fillOpacity: 0.9,
    className: wifi ? "tr-wifi-marker" : "tr-place-marker",
  });
  m.on("click", () => openDetails(feature, { wifi }));
  // A text node, never a string: Leaflet puts string content in with innerHTML.
  m.bindTooltip(() => document.createTextNode(displayName(p) || p.ssid || ""));
  return m;
}

/** The filters as the places API takes them (kind=, open_now=1, price_min=, price_max=). */
function filterParams() {
  const params = {};
  const kind = document.getElementById("tr-kind").value;
  if (kind) params.kind = kind;
  if (document.getElementById("tr-open").checked) params.open_now = "1";
  if (PRICED_KINDS.has(kind)) {
    for (const [id, key] of [
      ["tr-price-min", "price_min"],
      ["tr-price-max", "price_max"],
    ]) {
      const value = document.getElementById(id).value.trim();
      if (/^\d+$/.test(value)) params[key] = value;
    }
  }
  return params;
}

/** Kinds named in the page's language (kind_name_* of the API), in its dictionary order. */
function rememberKinds(features) {
  const select = document.getElementById("tr-kind");
  let added = false;
  for (const { properties: p } of features) {
    if (!p.kind || state.kinds.has(p.kind)) continue;
    state.kinds.set(p.kind, localized(p, "kind_name") || p.kind);
    added = true;
  }
  if (!added) return;
  const chosen = select.value;
  const options = byLabel([...state.kinds].map(([code, label]) => ({ code, label })));
  select.replaceChildren(select.options[0]);
  for (const { code, label } of options) {
    const option = document.createElement("option");
    option.value = code;
    option.textContent = label;
    select.append(option);
  }
  select.value = chosen;
}

async function loadPlaces() {
  state.request?.abort();
  const request = new AbortController();
  state.request = request;
  loading.start("places");
  try {
    const url = withParams(config.urls.places, { ...filterParams(), limit: 200 });
    const body = await getJSON(url, { signal: request.signal });
    state.features = body.features || [];
    places.clearLayers();
    for (const feature of state.features) places.addLayer(placeMarker(feature));
    rememberKinds(state.features);
    notify("places", null);
    document.body.dataset.placesCount = String(state.features.length);
  } catch (error) {
    if (request.signal.aborted) return;
    console.warn("places", error);
    notify("places", gettext("Không tải được các địa điểm; hãy thử lại sau."));
  } finally {
    loading.done("places");
  }
}

function setupFilters() {
  const kind = document.getElementById("tr-kind");
  const price = document.getElementById("tr-price");
  let timer;
  const reload = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      loadPlaces();
      rerunSearch();
    }, 400);
  };
  kind.addEventListener("change", () => {
    price.hidden = !PRICED_KINDS.has(kind.value);
    loadPlaces();
    rerunSearch();
  });
  document.getElementById("tr-open").addEventListener("change", () => {
    loadPlaces();
    rerunSearch();
  });
  for (const id of ["tr-price-min", "tr-price-max"])
    document.getElementById(id).addEventListener("input", reload);
}

// --- Free Wi-Fi (the layer registry's Wi-Fi sites, as before) --------------------------------

async function setupWifi() {
  const box = document.getElementById("tr-layers");
  const layers = (await getJSON(config.urls.layers)).filter((l) => l.kind === "wifi");
  for (const layer of layers) {
    const url = withParams(config.urls.wifiNearest, {
      lon: config.center[1],
      lat: config.center[0],
      limit: 50,
    });
    const group = L.layerGroup();
    for (const feature of (await getJSON(url)).features) group.addLayer(placeMarker(feature, { wifi: true }));
    const label = document.createElement("label");
    label.className = "tr-check";
    const input = document.createElement("input");
    input.type = "checkbox";
    input.dataset.layer = layer.key;
    input.checked = layer.visible_by_default;
    if (input.checked) group.addTo(map);
    input.addEventListener("change", () => (input.checked ? group.addTo(map) : group.remove()));
    label.append(input, document.createTextNode(` ${localized(layer, "name")}`));
    box.append(label);
  }
}

// --- Results: search, near me, nearest Wi-Fi --------------------------------------------------

function showResults(features, { wifi = false } = {}) {
  results.replaceChildren();
  if (!features.length) {
    say(gettext("Không có kết quả"));
    return;
  }
  say(interpolate(ngettext("%(n)s kết quả", "%(n)s kết quả", features.length), { n: features.length }, true));
  for (const feature of features) {
    const p = feature.properties;
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    const name = document.createElement("span");
    name.className = "tr-result__name";
    name.textContent = displayName(p) || p.ssid || "";
    const meta = document.createElement("span");
    meta.className = "tr-result__meta";
    const distance = formatDistance(distanceTo(feature), pageLocale());
    meta.textContent = [localized(p, "kind_name"), distance].filter(Boolean).join(" · ");
    button.append(name, meta);
    button.addEventListener("click", () => {
      const [lon, lat] = feature.geometry.coordinates;
      map.setView([lat, lon], Math.max(map.getZoom(), 16));
      openDetails(feature, { wifi });
    });
    item.append(button);
    results.append(item);
  }
}

let search = null;
async function runSearch(q) {
  search?.abort();
  if (!q) {
    results.replaceChildren();
    say("");
    return;
  }
  const request = new AbortController();
  search = request;
  try {
    const url = withParams(config.urls.places, { ...filterParams(), q, limit: 20 });
    const body = await getJSON(url, { signal: request.signal });
    if (!request.signal.aborted) showResults(body.features || []);
  } catch (error) {
    if (request.signal.aborted) return;
    console.warn("search", error);
    results.replaceChildren();
    say(gettext("Không tìm được; hãy thử lại."));
  }
}

function rerunSearch() {
  const q = document.getElementById("tr-search").value.trim();
  if (q) runSearch(q);
}

// --- The visitor's position -------------------------------------------------------------------

let visitorLayers = null;

/** The visitor's dot and the circle of its accuracy; the map moves to show them. */
function drawVisitor(position) {
  const at = [position.lat, position.lng];
  const radius = Math.max(5, Number(position.accuracy) || 0);
  if (!visitorLayers) {
    visitorLayers = {
      accuracy: L.circle(at, {
        radius,
        interactive: false,
        className: "tr-me-accuracy",
        color: "#1a73e8",
        weight: 1,
        fillColor: "#1a73e8",
        fillOpacity: 0.12,
      }).addTo(map),
      dot: L.circleMarker(at, {
        radius: 7,
        interactive: false,
        className: "tr-me",
        color: "#fff",
        weight: 3,
        fillColor: "#1a73e8",
        fillOpacity: 1,
      }).addTo(map),
    };
  } else {
    visitorLayers.accuracy.setLatLng(at).setRadius(radius);
    visitorLayers.dot.setLatLng(at);
  }
  visitorLayers.dot.bringToFront();
  map.fitBounds(visitorLayers.accuracy.getBounds(), { maxZoom: 16, animate: false });
  document.body.dataset.visitorShown = "true";
}

function position() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) reject(new Error("no geolocation"));
    else
      navigator.geolocation.getCurrentPosition(
        (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy }),
        reject,
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 },
      );
  });
}

async function locate() {
  try {
    state.visitor = await position();
  } catch {
    results.replaceChildren();
    say(gettext("Không lấy được vị trí của bạn."));
    return null;
  }
  drawVisitor(state.visitor);
  return state.visitor;
}

/** "Gần tôi": the ten places on the map nearest the visitor, with their distances. */
async function nearMe() {
  if (!(await locate())) return;
  const nearest = state.features
    .map((feature) => ({ feature, d: distanceTo(feature) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, 10)
    .map((x) => x.feature);
  showResults(nearest);
}

async function nearestWifi() {
  const at = await locate();
  if (!at) return;
  try {
    const url = withParams(config.urls.wifiNearest, { lon: at.lng, lat: at.lat, limit: 3 });
    showResults((await getJSON(url)).features, { wifi: true });
  } catch (error) {
    console.warn("wifi", error);
    say(gettext("Không tìm được; hãy thử lại."));
  }
}

// --- Start ------------------------------------------------------------------------------------

let searchTimer;
document.getElementById("tr-search").addEventListener("input", (event) => {
  clearTimeout(searchTimer);
  const q = event.target.value.trim();
  searchTimer = setTimeout(() => runSearch(q), 300);
});
document.getElementById("tr-near").addEventListener("click", nearMe);
document.getElementById("tr-wifi").addEventListener("click", nearestWifi);
setupFilters();

const wardsShown = wards
  .load(config.urls.wards, { loading, ...config.wardLayer })
  .then(() => {
    notify("wards", null);
    document.body.dataset.wardsLoaded = "true";
  })
  .catch((error) => {
    console.warn("wards", error);
    notify("wards", gettext("Không tải được ranh giới phường/xã."));
  });
const wifiShown = setupWifi().catch((error) => console.warn("wifi", error));
// ?layers=wards (any list without "places") leaves the places out: the page the tourist
// benchmark compares the first screen with (benchmarks/bench_tourist.py).
const layersWanted = new URLSearchParams(window.location.search).get("layers");
const showPlaces = layersWanted === null || layersWanted.split(",").includes("places");
Promise.allSettled([wardsShown, wifiShown, showPlaces ? loadPlaces() : null]).then(() => {
  document.body.dataset.layersLoadedMs = String(Math.round(performance.now()));
  document.body.dataset.layersLoaded = "true";
});

// A handle for debugging in the console and for the browser tests.
window.hienTruongTourist = { map, wards, places, state };
