// Ward polygons (boundary version in force today) with permanent name labels.

import { fetchWards } from "./api.js";
import { statusLabel, t, unitTypeLabel } from "./i18n.js";

const UNIT_STYLE = {
  phuong: { color: "#b2182b", fillColor: "#f4a582" },
  xa: { color: "#2166ac", fillColor: "#92c5de" },
  thi_tran: { color: "#1b7837", fillColor: "#a6dba0" },
};

function styleFor(feature) {
  const unit = UNIT_STYLE[feature.properties.unit_type] || UNIT_STYLE.xa;
  return { ...unit, weight: 2, opacity: 0.9, fillOpacity: 0.12 };
}

/** A text-only label: Leaflet would parse a string tooltip as HTML. */
function labelElement(feature) {
  const span = document.createElement("span");
  span.textContent = feature.properties.name;
  return span;
}

export class WardLayer {
  constructor(map) {
    this.map = map;
    this.byCode = new Map();
    this.lastClick = null; // {originalEvent, feature}: lets the map click know which ward was hit
    this.layer = L.geoJSON(null, {
      style: styleFor,
      onEachFeature: (feature, layer) => {
        this.byCode.set(String(feature.properties.code), feature);
        layer.bindTooltip(labelElement(feature), {
          permanent: true,
          direction: "center",
          className: "ht-ward-label",
        });
        layer.on("click", (e) => {
          this.lastClick = { originalEvent: e.originalEvent, feature };
        });
      },
    }).addTo(map);
  }

  async load(url) {
    const collection = await fetchWards(url);
    this.layer.clearLayers();
    this.byCode.clear();
    this.layer.addData(collection);
    return collection.features ? collection.features.length : 0;
  }

  /** The ward feature whose polygon received this DOM click, if any. */
  featureForClick(originalEvent) {
    if (this.lastClick && this.lastClick.originalEvent === originalEvent) return this.lastClick.feature;
    return null;
  }

  feature(code) {
    return this.byCode.get(String(code)) || null;
  }
}

function row(dl, label, value) {
  const dt = document.createElement("dt");
  dt.textContent = label;
  const dd = document.createElement("dd");
  dd.textContent = value;
  dl.append(dt, dd);
}

/** Name, code, unit type and report counts of a ward, built as DOM (no HTML from data). */
export function wardCard(feature) {
  const p = feature.properties;
  const card = document.createElement("div");
  card.className = "ht-ward-card__body";
  const title = document.createElement("h3");
  title.className = "ht-ward-card__name";
  title.textContent = p.full_name || p.name;
  const dl = document.createElement("dl");
  row(dl, t("ward.code"), p.code);
  row(dl, t("ward.unitType"), unitTypeLabel(p.unit_type, p.unit_type_label));
  const counts = p.report_counts || { total: 0, by_status: {} };
  row(dl, t("ward.reports"), counts.total ? String(counts.total) : t("ward.noReports"));
  card.append(title, dl);
  const byStatus = Object.entries(counts.by_status || {}).filter(([, n]) => n > 0);
  if (byStatus.length) {
    const list = document.createElement("ul");
    list.className = "ht-ward-card__counts";
    for (const [status, n] of byStatus) {
      const li = document.createElement("li");
      const dot = document.createElement("span");
      dot.className = `ht-dot ht-status-${status.replace(/[^a-z_]/g, "")}`;
      li.append(dot, document.createTextNode(`${statusLabel(status)}: ${n}`));
      list.append(li);
    }
    card.append(list);
  }
  return card;
}
