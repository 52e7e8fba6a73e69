// The operations centre's board (/dieu-hanh/): draws the page's first answer, then polls the
// board endpoint with the answer's version (If-None-Match); a 304 means nothing changed.
// Every word comes from the page (config.labels, translated by Django); text is set as text.

import { pageLocale } from "./l10n.js";
import { STATUS_COLORS } from "./statuses.js";

function readJSON(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

const config = readJSON("board-config") || {};
const labels = config.labels || {};
const MAX_RETRY_MS = 15_000;

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = String(text);
  return node;
}

// Numbers and times in the page's locale (vi-VN, en-GB, zh-CN: the language the server rendered).
const number = new Intl.NumberFormat(pageLocale());

/** The big numbers; a tile whose number changed flashes once. */
function drawTotals(data) {
  const box = document.getElementById("board-totals");
  const seen = new Set();
  for (const key of data.keys) {
    seen.add(key);
    let tile = box.querySelector(`[data-count="${key}"]`);
    if (!tile) {
      tile = element("div", `bd-tile bd-tile--${key}`);
      tile.dataset.count = key;
      tile.append(element("span", "bd-tile__n"), element("span", "bd-tile__label", labels[key] || key));
      box.append(tile);
    }
    const value = data.totals[key];
    const n = tile.querySelector(".bd-tile__n");
    if (tile.dataset.value !== String(value)) {
      if (tile.dataset.value !== undefined) {
        tile.classList.remove("bd-flash");
        void tile.offsetWidth; // restart the animation
        tile.classList.add("bd-flash");
      }
      tile.dataset.value = String(value);
      n.textContent = number.format(value);
    }
  }
  for (const tile of box.querySelectorAll("[data-count]")) {
    if (!seen.has(tile.dataset.count)) tile.remove();
  }
}

/** One table of counts per group (agency or ward); zero is shown as a dot, so numbers stand out. */
function drawTable(table, keys, groups) {
  const head = element("thead");
  const row = element("tr");
  row.append(element("th", "bd-table__name", ""));
  for (const key of keys) row.append(element("th", `bd-table__n bd-col--${key}`, labels[key] || key));
  head.append(row);
  const body = element("tbody");
  for (const group of groups) {
    const tr = element("tr");
    tr.dataset.group = group.code;
    tr.append(element("th", "bd-table__name", group.name));
    for (const key of keys) {
      const value = group.counts[key] || 0;
      const cell = element("td", `bd-table__n bd-col--${key}`, value ? number.format(value) : "·");
      if (value && (key === "overdue" || key === "urgent")) cell.classList.add("bd-hot");
      tr.append(cell);
    }
    body.append(tr);
  }
  if (!groups.length) {
    const tr = element("tr");
    const td = element("td", "bd-empty", labels.none);
    td.colSpan = keys.length + 1;
    tr.append(td);
    body.append(tr);
  }
  table.replaceChildren(head, body);
}

const time = new Intl.DateTimeFormat(pageLocale(), { hour: "2-digit", minute: "2-digit" });

function drawNewest(list, newest) {
  list.replaceChildren(
    ...newest.slice(0, 8).map((r) => {
      const item = element("li", r.overdue ? "bd-newest__item bd-newest__item--overdue" : "bd-newest__item");
      item.dataset.reportId = r.id;
      const link = element("a", "bd-newest__link", `${r.category}${r.ward ? ` · ${r.ward}` : ""}`);
      link.href = r.url;
      const status = element("span", `st-status st-status--${r.status}`, r.status_label);
      item.append(element("span", "bd-newest__time", time.format(new Date(r.reported_at))), link, status);
      return item;
    }),
  );
}

function drawHotspots(data) {
  const box = document.getElementById("board-alert");
  const list = document.getElementById("board-hotspots");
  box.hidden = !data.hotspots.length;
  list.replaceChildren(
    ...data.hotspots.map((h) => {
      const text = (labels.hotspot || "")
        .replace("%(reports)s", h.report_count)
        .replace("%(hexes)s", h.hex_count)
        .replace("%(days)s", data.hotspot_days)
        .replace("%(before)s", h.previous_count);
      const item = element("li", "", `${h.ward_name || "—"}: ${text}`);
      item.dataset.hotspotId = h.id;
      return item;
    }),
  );
}

/** "2026-11-23" as the reader's date (23/11/2026 in Vietnamese). */
function weekLabel(day) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(pageLocale(), { timeZone: "UTC" });
}

// A week's count above its forecast interval (layers.forecasts): ward, category, the count
// against what was expected.
function drawForecastAlerts(data) {
  const alerts = data.forecast_alerts || [];
  const box = document.getElementById("board-forecast-alert");
  if (!box) return;
  box.hidden = !alerts.length;
  document.getElementById("board-forecast-alerts").replaceChildren(
    ...alerts.map((a) => {
      const text = (labels.forecast || "")
        .replace("%(count)s", a.count)
        .replace("%(expected)s", a.expected)
        .replace("%(upper)s", a.upper)
        .replace("%(week)s", weekLabel(a.week_start));
      const item = element("li", "", `${a.ward_name} · ${a.category_name}: ${text}`);
      item.dataset.forecastWard = a.ward_code;
      item.dataset.forecastCategory = a.category_code;
      return item;
    }),
  );
}

let map = null;
let markers = null;
let fitted = false;

function drawMap(data) {
  const node = document.getElementById("board-map");
  if (!window.L || !node) return;
  if (!map) {
    map = window.L.map(node, { scrollWheelZoom: false }).setView(config.center, config.zoom);
    if (config.tiles?.url) {
      window.L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution }).addTo(map);
    }
    markers = window.L.featureGroup().addTo(map);
  }
  markers.clearLayers();
  for (const r of data.newest) {
    const marker = window.L.circleMarker([r.lat, r.lon], {
      radius: 9,
      color: r.overdue ? "#b2182b" : "#fff",
      weight: r.overdue ? 4 : 2,
      fillColor: STATUS_COLORS[r.status] || "#333",
      fillOpacity: 0.9,
    });
    const link = document.createElement("a");
    link.href = r.url;
    link.textContent = `${r.reference} · ${r.category} · ${r.status_label}`;
    marker.bindPopup(link);
    markers.addLayer(marker);
  }
  for (const h of data.hotspots) {
    markers.addLayer(
      window.L.circleMarker([h.lat, h.lon], {
        radius: 22,
        color: "#b2182b",
        weight: 3,
        fill: false,
        dashArray: "6 4",
      }),
    );
  }
  // Once: the map keeps the view an operator chose afterwards.
  if (!fitted && markers.getLayers().length) {
    map.fitBounds(markers.getBounds(), { maxZoom: 15, padding: [24, 24] });
    fitted = true;
  }
}

function draw(data) {
  drawTotals(data);
  drawHotspots(data);
  drawForecastAlerts(data);
  drawMap(data);
  drawNewest(document.getElementById("board-newest"), data.newest);
  drawTable(document.getElementById("board-agencies"), data.keys, data.by_agency);
  drawTable(document.getElementById("board-wards"), data.keys, data.by_ward);
  document.body.dataset.boardVersion = data.version;
  setStatus(`${labels.updated} ${time.format(new Date(data.generated_at))}`, false);
}

function setStatus(text, offline) {
  const node = document.getElementById("board-status");
  node.textContent = text;
  node.classList.toggle("bd-status--offline", offline);
}

let version = "";
let failures = 0;

async function poll() {
  if (document.hidden) return; // a hidden phone tab asks again when shown
  try {
    const response = await fetch(config.api, {
      headers: { Accept: "application/json", ...(version ? { "If-None-Match": version } : {}) },
      cache: "no-store",
      credentials: "same-origin",
    });
    if (response.status === 304) {
      failures = 0;
    } else if (response.ok) {
      const data = await response.json();
      version = response.headers.get("ETag") || data.version;
      draw(data);
      failures = 0;
    } else {
      throw new Error(`HTTP ${response.status}`);
    }
  } catch {
    failures += 1;
    setStatus(labels.offline, true);
  }
}

function schedule() {
  const wait = failures ? Math.min(config.pollMs * 2 ** failures, MAX_RETRY_MS) : config.pollMs;
  window.setTimeout(async () => {
    await poll();
    schedule();
  }, wait);
}

const first = readJSON("board-data");
if (first) {
  version = first.version;
  draw(first);
}
document.addEventListener("visibilitychange", () => {
  if (!document.hidden) poll();
});
schedule();
document.body.dataset.boardReady = "true";
