// Ward polygons (boundary version in force today) with permanent name labels.
// Drawn from outlines simplified for the zoom (?simplify=, about half a pixel): the first
// screen downloads what a phone can show; zooming in loads finer outlines, and the full
// polygons from FULL_DETAIL_ZOOM on. Which ward a report lands in is always decided on the server from the
// full polygons (the lookup), never from these outlines.

import { fetchWards, withParams } from "./api.js";
import { statusLabel, unitTypeLabel, wardTitle } from "./labels.js";
import { formatNumber, gettext, interpolate, pageLocale } from "./l10n.js";

const UNIT_STYLE = {
  phuong: { color: "#b2182b", fillColor: "#f4a582" },
  xa: { color: "#2166ac", fillColor: "#92c5de" },
  thi_tran: { color: "#1b7837", fillColor: "#a6dba0" },
};

// From this zoom on (a pixel is under 5 m) the outlines come unsimplified.
export const FULL_DETAIL_ZOOM = 15;

/** Half a pixel at `zoom` near `lat`, in metres, rounded down to a power of two (so a few
 * tolerances serve every zoom and each is cached by the browser); 0 means full detail. */
export function outlineTolerance(zoom, lat) {
  if (zoom >= FULL_DETAIL_ZOOM) return 0;
  const metresPerPixel = (156543.03 * Math.cos((lat * Math.PI) / 180)) / 2 ** zoom;
  return 2 ** Math.floor(Math.log2(Math.max(1, metresPerPixel / 2)));
}

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
  /** `interactive: false` (the tourist map) draws outlines a tap goes through, to the places. */
  constructor(map, { interactive = true } = {}) {
    this.map = map;
    this.byCode = new Map();
    this.lastClick = null; // {originalEvent, feature}: lets the map click know which ward was hit
    this.layer = L.geoJSON(null, {
      interactive,
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

  /**
   * Loads the outlines for the current zoom; zooming in loads finer ones (the full polygons
   * from FULL_DETAIL_ZOOM on), zooming out keeps what is loaded. `loading` (a
   * LoadingIndicator) hears while the first load runs.
   */
  async load(url, { loading = null } = {}) {
    this.url = url;
    if (!this.refining) {
      this.refining = () => this.refine();
      this.map.on("zoomend", this.refining);
    }
    if (loading) loading.start("wards");
    try {
      return await this.fetchFor(this.map.getZoom());
    } finally {
      if (loading) loading.done("wards");
    }
  }

  async fetchFor(zoom) {
    const tolerance = outlineTolerance(zoom, this.map.getCenter().lat);
    const url = tolerance ? withParams(this.url, { simplify: String(tolerance) }) : this.url;
    const collection = await fetchWards(url);
    this.tolerance = tolerance;
    this.layer.clearLayers();
    this.byCode.clear();
    this.layer.addData(collection);
    return collection.features ? collection.features.length : 0;
  }

  /** Zoomed in past what the loaded outlines were simplified for: finer ones (never coarser). */
  refine() {
    if (!this.tolerance || this.refinePending) return;
    if (outlineTolerance(this.map.getZoom(), this.map.getCenter().lat) >= this.tolerance) return;
    this.refinePending = this.fetchFor(this.map.getZoom())
      .catch((error) => console.error("wards", error))
      .finally(() => {
        this.refinePending = null;
      });
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
  title.textContent = wardTitle(p);
  const dl = document.createElement("dl");
  row(dl, gettext("Mã"), p.code);
  row(dl, gettext("Loại"), unitTypeLabel(p.unit_type, p.unit_type_label));
  const counts = p.report_counts || { total: 0, by_status: {} };
  const total = counts.total ? formatNumber(counts.total, pageLocale()) : gettext("Chưa có phản ánh");
  row(dl, gettext("Phản ánh"), total);
  card.append(title, dl);
  const byStatus = Object.entries(counts.by_status || {}).filter(([, n]) => n > 0);
  if (byStatus.length) {
    const list = document.createElement("ul");
    list.className = "ht-ward-card__counts";
    for (const [status, n] of byStatus) {
      const li = document.createElement("li");
      const dot = document.createElement("span");
      dot.className = `ht-dot ht-status-${status.replace(/[^a-z_]/g, "")}`;
      const text = interpolate(
        gettext("%(status)s: %(n)s"),
        { status: statusLabel(status), n: formatNumber(n, pageLocale()) },
        true,
      );
      li.append(dot, document.createTextNode(text));
      list.append(li);
    }
    card.append(list);
  }
  return card;
}
