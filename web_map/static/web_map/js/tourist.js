// The tourist view: registry layers (points of interest, free Wi-Fi) as toggles, search that
// ignores diacritics (server-side), "near me" and "nearest Wi-Fi" by the browser's position,
// and a details panel (photo, hours, prices, OCOP stars) with a link to report a problem at
// that place. User text is set with textContent only; URLs pass safeUrl before src/href.

import { getJSON, withParams } from "./api.js";
import { byLabel, humanizeCode } from "./labels.js";
import { formatNumber, gettext, interpolate, localized, pageLocale } from "./l10n.js";
import { safeUrl } from "./notices.js";

const config = JSON.parse(document.getElementById("tourist-config").textContent);

const map = L.map("tr-map").setView(config.center, config.zoom);
L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: 19 }).addTo(map);
const groups = new Map();

// The page is in one language (the server's, from the language cookie): a switch reloads it,
// so names are picked once here. Places keep their Vietnamese name when untranslated.
function displayName(p) {
  return localized(p, "name");
}

/** "350 m", "1.200 m" in the page's number format. */
function metres(distance) {
  return interpolate(gettext("%(m)s m"), { m: formatNumber(Math.round(distance), pageLocale()) }, true);
}

function photo(p, name) {
  const src = safeUrl(p.photo_url);
  if (!src) return null;
  const figure = document.createElement("figure");
  figure.className = "tr-photo";
  const img = document.createElement("img");
  img.src = src;
  img.alt = interpolate(gettext("Ảnh %(name)s"), { name }, true);
  img.loading = "lazy";
  img.decoding = "async";
  img.addEventListener("error", () => figure.remove()); // a missing file leaves no broken icon
  figure.append(img);
  return figure;
}

function stars(count) {
  const n = Number(count);
  if (!Number.isInteger(n) || n < 1 || n > 5) return null;
  const span = document.createElement("span");
  span.className = "tr-stars";
  span.textContent = "★".repeat(n) + "☆".repeat(5 - n);
  const text = interpolate(gettext("%(n)s/5 sao"), { n }, true);
  span.setAttribute("aria-label", text);
  span.title = text;
  return span;
}

function row(dl, label, value) {
  if (!value) return;
  const dt = document.createElement("dt");
  dt.textContent = label;
  const dd = document.createElement("dd");
  if (value instanceof Node) dd.append(value);
  else dd.textContent = value;
  dl.append(dt, dd);
}

function showDetails(feature) {
  const p = feature.properties;
  const [lon, lat] = feature.geometry.coordinates;
  const panel = document.getElementById("tr-details");
  panel.replaceChildren();
  const title = document.createElement("h2");
  title.textContent = displayName(p);
  const dl = document.createElement("dl");
  row(dl, gettext("Mô tả"), localized(p, "description"));
  row(dl, gettext("Loại"), localized(p, "category_name"));
  row(dl, gettext("Địa chỉ"), p.address);
  row(dl, gettext("Giờ mở cửa"), p.opening_hours || p.hours);
  row(dl, gettext("Giá"), p.price_range);
  row(dl, gettext("OCOP"), stars(p.ocop_stars));
  row(dl, gettext("Điện thoại"), p.phone);
  row(dl, gettext("Tên Wi-Fi"), p.ssid);
  row(dl, gettext("Ghi chú"), localized(p, "notes"));
  if (p.website && /^https?:\/\//.test(p.website) && safeUrl(p.website)) {
    const a = document.createElement("a");
    a.href = safeUrl(p.website);
    a.rel = "noopener noreferrer";
    a.textContent = p.website;
    row(dl, gettext("Trang web"), a);
  }
  if (p.distance_m != null) row(dl, gettext("Cách"), metres(p.distance_m));
  const report = document.createElement("a");
  report.href = withParams(config.urls.reportMap, { lat: lat.toFixed(6), lon: lon.toFixed(6) });
  report.textContent = gettext("Báo sự cố tại đây");
  report.className = "tr-report";
  const figure = photo(p, displayName(p));
  panel.append(...[title, figure, dl, report].filter(Boolean));
  panel.hidden = false;
}

const markers = []; // [{marker, category}] of the points-of-interest layers, for the filter
const categoryLabels = new Map(); // category code -> its name in the page's language

function marker(feature, color) {
  const [lon, lat] = feature.geometry.coordinates;
  const m = L.circleMarker([lat, lon], { radius: 7, color, fillColor: color, fillOpacity: 0.8 });
  const { category } = feature.properties;
  if (category !== undefined) {
    markers.push({ marker: m, category });
    const name = localized(feature.properties, "category_name");
    if (category && (name || !categoryLabels.has(category))) {
      categoryLabels.set(category, name || humanizeCode(category));
    }
  }
  m.on("click", () => showDetails(feature));
  // A text node, never a string: Leaflet puts string content in with innerHTML.
  m.bindTooltip(() => document.createTextNode(displayName(feature.properties) || ""));
  return m;
}

async function loadLayer(layer) {
  const group = L.layerGroup();
  const url =
    layer.kind === "wifi"
      ? withParams(config.urls.wifiNearest, { lon: config.center[1], lat: config.center[0], limit: 50 })
      : withParams(config.urls.pois, { layer: layer.poi_layer, limit: 200 });
  const body = await getJSON(url);
  for (const feature of body.features) group.addLayer(marker(feature, layer.color));
  return group;
}

async function setupLayers() {
  const box = document.getElementById("tr-layers");
  const layers = (await getJSON(config.urls.layers)).filter((l) => l.kind === "pois" || l.kind === "wifi");
  for (const layer of layers) {
    const group = await loadLayer(layer);
    groups.set(layer.key, group);
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "checkbox";
    input.dataset.layer = layer.key;
    input.checked = layer.visible_by_default;
    if (input.checked) group.addTo(map);
    input.addEventListener("change", () => (input.checked ? group.addTo(map) : group.remove()));
    const name = document.createElement("span");
    name.textContent = localized(layer, "name");
    label.append(input, name);
    box.append(label);
  }
  setupCategoryFilter();
  document.body.dataset.layersLoaded = "true";
}

/** Category filter: hides the points of other categories (their layer stays toggled). */
function setupCategoryFilter() {
  const select = document.getElementById("tr-category");
  // Named in the page's language (the category's name from the server, else its code made
  // readable), in the order of that language's dictionary.
  const options = byLabel([...categoryLabels].map(([code, label]) => ({ code, label })));
  for (const { code, label } of options) {
    const option = document.createElement("option");
    option.value = code;
    option.textContent = label;
    select.append(option);
  }
  select.addEventListener("change", () => {
    for (const { marker: m, category } of markers) {
      const show = !select.value || category === select.value;
      m.setStyle({ opacity: show ? 1 : 0, fillOpacity: show ? 0.8 : 0 });
      if (m.getElement()) m.getElement().style.display = show ? "" : "none";
    }
  });
}

function showResults(features) {
  const list = document.getElementById("tr-results");
  list.replaceChildren();
  for (const feature of features) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    const p = feature.properties;
    button.textContent =
      p.distance_m != null ? `${displayName(p)} (${metres(p.distance_m)})` : displayName(p);
    button.addEventListener("click", () => {
      const [lon, lat] = feature.geometry.coordinates;
      map.setView([lat, lon], 16);
      showDetails(feature);
    });
    item.append(button);
    list.append(item);
  }
}

function position() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) reject(new Error("no geolocation"));
    else navigator.geolocation.getCurrentPosition((p) => resolve(p.coords), reject, { timeout: 10000 });
  });
}

async function nearMe(wifi) {
  document.getElementById("tr-results").replaceChildren();
  try {
    const { longitude: lon, latitude: lat } = await position();
    const url = wifi
      ? withParams(config.urls.wifiNearest, { lon, lat, limit: 3 })
      : withParams(config.urls.pois, { near: `${lon},${lat}`, limit: 10 });
    showResults((await getJSON(url)).features);
  } catch {
    const list = document.getElementById("tr-results");
    list.textContent = gettext("Không lấy được vị trí của bạn.");
  }
}

let searchTimer;
document.getElementById("tr-search").addEventListener("input", (event) => {
  clearTimeout(searchTimer);
  const q = event.target.value.trim();
  searchTimer = setTimeout(async () => {
    if (!q) return showResults([]);
    showResults((await getJSON(withParams(config.urls.pois, { q, limit: 10 }))).features);
  }, 250);
});
document.getElementById("tr-near").addEventListener("click", () => nearMe(false));
document.getElementById("tr-wifi").addEventListener("click", () => nearMe(true));

setupLayers().catch((error) => console.error("layers", error));
