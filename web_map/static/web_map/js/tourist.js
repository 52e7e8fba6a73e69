// The tourist view: registry layers (points of interest, free Wi-Fi) as toggles, search that
// ignores diacritics (server-side), "near me" and "nearest Wi-Fi" by the browser's position,
// and a details panel (photo, hours, prices, OCOP stars) with a link to report a problem at
// that place. User text is set with textContent only; URLs pass safeUrl before src/href.

import { getJSON, withParams } from "./api.js";
import { safeUrl } from "./notices.js";

const config = JSON.parse(document.getElementById("tourist-config").textContent);
let lang = localStorage.getItem("ht-lang") || "vi";
const TEXT = {
  vi: {
    hours: "Giờ mở cửa",
    address: "Địa chỉ",
    price: "Giá",
    phone: "Điện thoại",
    website: "Trang web",
    ssid: "Tên Wi-Fi",
    distance: "Cách",
    report: "Báo sự cố tại đây",
    noPosition: "Không lấy được vị trí của bạn.",
    ocop: "OCOP",
    stars: (n) => `${n}/5 sao`,
    photoOf: (name) => `Ảnh ${name}`,
  },
  en: {
    hours: "Opening hours",
    address: "Address",
    price: "Prices",
    phone: "Phone",
    website: "Website",
    ssid: "Wi-Fi name",
    distance: "Distance",
    report: "Report a problem here",
    noPosition: "Your position is not available.",
    ocop: "OCOP",
    stars: (n) => `${n} of 5 stars`,
    photoOf: (name) => `Photo of ${name}`,
  },
};

const map = L.map("tr-map").setView(config.center, config.zoom);
L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution, maxZoom: 19 }).addTo(map);
const groups = new Map();

function displayName(p) {
  return (lang === "en" && p.name_en) || p.name;
}

function photo(p, name) {
  const src = safeUrl(p.photo_url);
  if (!src) return null;
  const figure = document.createElement("figure");
  figure.className = "tr-photo";
  const img = document.createElement("img");
  img.src = src;
  img.alt = TEXT[lang].photoOf(name);
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
  span.setAttribute("aria-label", TEXT[lang].stars(n));
  span.title = TEXT[lang].stars(n);
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
  const words = TEXT[lang];
  row(dl, words.address, p.address);
  row(dl, words.hours, p.opening_hours || p.hours);
  row(dl, words.price, p.price_range);
  row(dl, words.ocop, stars(p.ocop_stars));
  row(dl, words.phone, p.phone);
  row(dl, words.ssid, p.ssid);
  if (p.website && /^https?:\/\//.test(p.website) && safeUrl(p.website)) {
    const a = document.createElement("a");
    a.href = safeUrl(p.website);
    a.rel = "noopener noreferrer";
    a.textContent = p.website;
    row(dl, words.website, a);
  }
  if (p.distance_m != null) row(dl, words.distance, `${Math.round(p.distance_m)} m`);
  const report = document.createElement("a");
  report.href = withParams(config.urls.reportMap, { lat: lat.toFixed(6), lon: lon.toFixed(6) });
  report.textContent = words.report;
  report.className = "tr-report";
  const figure = photo(p, displayName(p));
  panel.append(...[title, figure, dl, report].filter(Boolean));
  panel.hidden = false;
}

const markers = []; // [{marker, category}] of the points-of-interest layers, for the filter

function marker(feature, color) {
  const [lon, lat] = feature.geometry.coordinates;
  const m = L.circleMarker([lat, lon], { radius: 7, color, fillColor: color, fillOpacity: 0.8 });
  if (feature.properties.category !== undefined)
    markers.push({ marker: m, category: feature.properties.category });
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
    name.dataset.vi = layer.name_vi;
    name.dataset.en = layer.name_en;
    name.textContent = lang === "en" ? layer.name_en : layer.name_vi;
    label.append(input, name);
    box.append(label);
  }
  setupCategoryFilter();
  document.body.dataset.layersLoaded = "true";
}

/** Category filter: hides the points of other categories (their layer stays toggled). */
function setupCategoryFilter() {
  const select = document.getElementById("tr-category");
  const categories = [...new Set(markers.map((m) => m.category).filter(Boolean))].sort();
  for (const category of categories) {
    const option = document.createElement("option");
    option.value = category;
    option.textContent = category.replace(/_/g, " ");
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
      p.distance_m != null ? `${displayName(p)} (${Math.round(p.distance_m)} m)` : displayName(p);
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
    list.textContent = TEXT[lang].noPosition;
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

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-vi]")) el.textContent = el.dataset[lang];
  document.getElementById("tr-lang").textContent = lang === "vi" ? "English" : "Tiếng Việt";
}
document.getElementById("tr-lang").addEventListener("click", () => {
  lang = lang === "vi" ? "en" : "vi";
  localStorage.setItem("ht-lang", lang);
  applyLanguage();
});

applyLanguage();
setupLayers().catch((error) => console.error("layers", error));
