// Report markers: clustered, coloured by status, reloaded for the visible area on pan/zoom.

import { fetchReports } from "./api.js";
import { categoryName, locale, statusLabel, t } from "./i18n.js";

export const STATUSES = ["received", "verified", "rejected", "assigned", "in_progress", "resolved"];
const RELOAD_DELAY_MS = 300;

function statusClass(status) {
  return `ht-status-${STATUSES.includes(status) ? status : "unknown"}`;
}

function markerIcon(status) {
  return L.divIcon({
    className: `ht-report-marker ${statusClass(status)}`,
    iconSize: [18, 18],
    iconAnchor: [9, 9],
    popupAnchor: [0, -8],
  });
}

/** Only http(s) or same-origin URLs reach src/href: a `javascript:` URL must never load. */
function safeUrl(value) {
  if (!value) return null;
  try {
    const url = new URL(value, window.location.href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function formatDate(iso, timeZone) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  try {
    return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short", timeZone })
      .format(date);
  } catch {
    return date.toLocaleString();
  }
}

function line(parent, className, label, value) {
  const p = document.createElement("p");
  p.className = className;
  if (label) {
    const strong = document.createElement("strong");
    strong.textContent = `${label}: `;
    p.append(strong);
  }
  p.append(document.createTextNode(value));
  parent.append(p);
  return p;
}

/** Popup content as DOM with textContent only: descriptions are untrusted user input. */
// The public page of a report: a URL pattern from the server ("{id}" is replaced).
let reportPagePattern = "";

export function setReportPagePattern(pattern) {
  reportPagePattern = pattern || "";
}

export function reportPopup(feature, timeZone) {
  const p = feature.properties;
  const root = document.createElement("div");
  root.className = "ht-report-popup";
  const title = document.createElement("h3");
  title.textContent = categoryName(p.category);
  root.append(title);
  const status = document.createElement("p");
  status.className = "ht-report-popup__status";
  const dot = document.createElement("span");
  dot.className = `ht-dot ${statusClass(p.status)}`;
  status.append(dot, document.createTextNode(statusLabel(p.status, p.status_label)));
  root.append(status);
  line(root, "ht-report-popup__description", "", p.description || "");
  line(root, "", t("report.ward"), p.ward ? p.ward.full_name || p.ward.name : t("report.outside"));
  line(root, "", t("report.reportedAt"), formatDate(p.reported_at, timeZone));
  const photo = (p.photos || [])[0];
  const thumb = photo && safeUrl(photo.thumbnail_url || photo.url);
  if (thumb) {
    const link = document.createElement("a");
    link.href = safeUrl(photo.url) || thumb;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    const img = document.createElement("img");
    img.src = thumb;
    img.alt = t("report.photo");
    img.loading = "lazy";
    img.className = "ht-report-popup__photo";
    link.append(img);
    root.append(link);
  }
  if (reportPagePattern && p.id) {
    const details = document.createElement("a");
    details.href = reportPagePattern.replace("{id}", encodeURIComponent(p.id));
    details.className = "ht-report-popup__details";
    details.textContent = t("report.details");
    root.append(details);
  }
  return root;
}

function signature(feature) {
  const p = feature.properties;
  return [p.status, p.description, (p.photos || []).length, p.ward && p.ward.code].join("|");
}

export class ReportLayer {
  constructor(map, { url, timeZone, onStatus }) {
    this.map = map;
    this.url = url;
    this.timeZone = timeZone;
    this.onStatus = onStatus || (() => {});
    this.markers = new Map(); // public id -> {marker, sig, seq}
    this.loadSeq = 0; // counts loads started; a marker remembers the count when it was added
    this.controller = null;
    this.timer = null;
    this.cluster = L.markerClusterGroup({
      chunkedLoading: true,
      showCoverageOnHover: false,
      maxClusterRadius: 50,
      disableClusteringAtZoom: 18,
    }).addTo(map);
    map.on("moveend", () => this.scheduleReload());
  }

  scheduleReload() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.reload(), RELOAD_DELAY_MS);
  }

  bbox() {
    const b = this.map.getBounds();
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    return [
      clamp(b.getWest(), -180, 180),
      clamp(b.getSouth(), -90, 90),
      clamp(b.getEast(), -180, 180),
      clamp(b.getNorth(), -90, 90),
    ];
  }

  /** Loads the current view; a newer load aborts an older one so results never arrive stale. */
  async reload() {
    if (this.controller) this.controller.abort();
    const controller = new AbortController();
    this.controller = controller;
    const seq = ++this.loadSeq;
    try {
      const bbox = this.bbox();
      const result = await fetchReports(this.url, bbox, { signal: controller.signal });
      if (controller.signal.aborted) return;
      const [west, south, east, north] = bbox;
      const loaded = L.latLngBounds([south, west], [north, east]);
      const removeWithin = result.truncated ? null : loaded;
      this.sync(result.features, { removeWithin, loadSeq: seq });
      if (result.truncated) this.onStatus("app.reportsTruncated", { n: result.features.length });
      else this.onStatus(null);
    } catch (error) {
      if (error.name === "AbortError") return;
      console.error("reports", error);
      this.onStatus("app.reportsFailed");
    }
  }

  makeMarker(feature) {
    const [lon, lat] = feature.geometry.coordinates;
    const marker = L.marker([lat, lon], {
      icon: markerIcon(feature.properties.status),
      keyboard: true,
      title: categoryName(feature.properties.category),
    });
    marker.feature = feature;
    marker.bindPopup(() => reportPopup(marker.feature, this.timeZone), { maxWidth: 280 });
    marker.on("add", () => {
      const el = marker.getElement();
      if (el) el.dataset.reportId = String(feature.id ?? feature.properties.id);
    });
    return marker;
  }

  /**
   * Adds new reports, replaces changed ones, and drops those gone from a fully loaded area.
   * A marker added after that load started (a report just sent) is newer than its answer: kept.
   */
  sync(features, { removeWithin = null, loadSeq = this.loadSeq } = {}) {
    const seen = new Set();
    const add = [];
    const remove = [];
    for (const feature of features) {
      if (!feature.geometry) continue;
      const id = String(feature.id ?? feature.properties.id);
      seen.add(id);
      const sig = signature(feature);
      const known = this.markers.get(id);
      if (known && known.sig === sig) continue;
      if (known) remove.push(known.marker);
      const marker = this.makeMarker(feature);
      this.markers.set(id, { marker, sig, seq: this.loadSeq });
      add.push(marker);
    }
    if (removeWithin) {
      for (const [id, { marker, seq }] of this.markers) {
        if (seq >= loadSeq) continue;
        if (!seen.has(id) && removeWithin.contains(marker.getLatLng())) {
          remove.push(marker);
          this.markers.delete(id);
        }
      }
    }
    if (remove.length) this.cluster.removeLayers(remove);
    if (add.length) this.cluster.addLayers(add);
  }

  /** Shows a report just created by the form without waiting for the next reload. */
  addFeature(feature) {
    this.sync([feature]);
    const id = String(feature.id ?? feature.properties.id);
    return this.markers.get(id)?.marker || null;
  }

  /** Popup text follows the language: re-render an open popup, refresh marker titles. */
  refreshLanguage() {
    for (const { marker } of this.markers.values()) {
      marker.options.title = categoryName(marker.feature.properties.category);
      const el = marker.getElement();
      if (el) el.title = marker.options.title;
      if (marker.isPopupOpen()) marker.setPopupContent(reportPopup(marker.feature, this.timeZone));
    }
  }
}

/** The status legend (a Leaflet control) re-rendered on language change. */
export function statusLegend() {
  const control = L.control({ position: "bottomleft" });
  control.onAdd = () => {
    const div = L.DomUtil.create("div", "ht-legend leaflet-bar");
    control.render = () => {
      div.replaceChildren();
      const title = document.createElement("strong");
      title.textContent = t("legend.title");
      const list = document.createElement("ul");
      for (const status of STATUSES) {
        const li = document.createElement("li");
        const dot = document.createElement("span");
        dot.className = `ht-dot ${statusClass(status)}`;
        li.append(dot, document.createTextNode(statusLabel(status)));
        list.append(li);
      }
      div.append(title, list);
    };
    control.render();
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  return control;
}
