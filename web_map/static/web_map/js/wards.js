// Ward polygons (boundary version in force today) with permanent name labels.
// Drawn from outlines simplified for the zoom (?simplify=, about half a pixel): the first
// screen downloads what a phone can show; zooming in loads finer outlines, and the full
// polygons from FULL_DETAIL_ZOOM on. Which ward a report lands in is always decided on the server from the
// full polygons (the lookup), never from these outlines.
//
// With the boundaries of several provinces in force (the whole country) the layer draws the
// country view of the outlines endpoint and, from WARD_MIN_ZOOM on, only the wards of the
// provinces in view (ward_provinces.js), loaded one province at a time as the map moves.

import { fetchWards, withParams } from "./api.js";
import { statusLabel, unitTypeLabel, wardTitle } from "./labels.js";
import { formatNumber, gettext, interpolate, pageLocale } from "./l10n.js";
import { WARD_MIN_ZOOM, needsFiner, provinceBoxes, provincesInView } from "./ward_provinces.js";

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

// The country view's provinces: a thin line under the wards, which a tap goes through.
const PROVINCE_STYLE = { color: "#525252", weight: 1.5, opacity: 0.8, fill: false };

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
   * LoadingIndicator) hears while the first load runs. `national` with `outlines` (the
   * outlines endpoint): the country view, then the wards of the provinces in view; `initial`
   * ({center, zoom, provinces}, the server's) names the provinces of the initial view, whose
   * wards are asked for beside the country view while the map still shows that view.
   */
  async load(url, { loading = null, outlines = null, national = false, initial = null } = {}) {
    this.url = url;
    this.national = Boolean(national && outlines);
    if (!this.refining) {
      this.refining = () => this.refine();
      // Nationally a pan can bring another province into view, not only a zoom.
      this.map.on(this.national ? "moveend" : "zoomend", this.refining);
    }
    if (loading) loading.start("wards");
    try {
      if (!this.national) return await this.fetchFor(this.map.getZoom());
      this.prefetched = this.prefetchInitial(initial);
      await this.loadCountry(outlines);
      return await this.showProvincesInView();
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

  /** One province's wards simplified to `tolerance` metres (0: full detail). */
  fetchProvince(code, tolerance) {
    const params = { province: code, ...(tolerance ? { simplify: String(tolerance) } : {}) };
    return fetchWards(withParams(this.url, params));
  }

  /** {"code:tolerance": pending answer} for the initial view's provinces, started now, or
   * nothing when the map no longer shows that view (a deep link moved it) or shows no wards. */
  prefetchInitial(initial) {
    const pending = new Map();
    const zoom = this.map.getZoom();
    if (!initial || zoom !== initial.zoom || zoom < WARD_MIN_ZOOM) return pending;
    const center = this.map.getCenter();
    if (Math.abs(center.lat - initial.center[0]) > 1e-6 || Math.abs(center.lng - initial.center[1]) > 1e-6) {
      return pending;
    }
    const tolerance = outlineTolerance(zoom, center.lat);
    for (const code of initial.provinces || []) {
      const answer = this.fetchProvince(code, tolerance);
      answer.catch(() => {}); // awaited (and its failure reported) by showProvincesInView
      pending.set(`${code}:${tolerance}`, answer);
    }
    return pending;
  }

  /** The country view: one outline per province, drawn under the wards. */
  async loadCountry(url) {
    const collection = await fetchWards(url);
    this.boxes = provinceBoxes(collection);
    this.provinceWards = new Map(); // code -> {tolerance, collection}
    this.drawnKey = "";
    this.countryLayer = L.geoJSON(collection, { interactive: false, style: () => PROVINCE_STYLE });
    this.countryLayer.addTo(this.map).bringToBack();
  }

  /** Loads (or refines) the wards of the provinces in view and draws those only; the
   * number of wards drawn. */
  async showProvincesInView() {
    const zoom = this.map.getZoom();
    const tolerance = outlineTolerance(zoom, this.map.getCenter().lat);
    const b = this.map.getBounds();
    const view = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
    const codes = provincesInView(this.boxes, view, zoom);
    const missing = codes.filter((code) => needsFiner(this.provinceWards.get(code)?.tolerance, tolerance));
    await Promise.all(
      missing.map(async (code) => {
        const started = this.prefetched?.get(`${code}:${tolerance}`);
        this.prefetched?.delete(`${code}:${tolerance}`);
        const collection = await (started || this.fetchProvince(code, tolerance));
        this.provinceWards.set(code, { tolerance, collection });
      }),
    );
    const key = codes.map((code) => `${code}:${this.provinceWards.get(code).tolerance}`).join(",");
    if (key !== this.drawnKey) {
      this.drawnKey = key;
      this.layer.clearLayers();
      this.byCode.clear();
      for (const code of codes) this.layer.addData(this.provinceWards.get(code).collection);
    }
    this.map.getContainer().dataset.wardProvinces = codes.join(",");
    return this.byCode.size;
  }

  /** Zoomed in past what the loaded outlines were simplified for: finer ones (never coarser);
   * nationally also the wards of provinces the move brought into view. One load at a time:
   * a move during it loads again after it. */
  refine() {
    if (this.refinePending) {
      this.refineAgain = true;
      return;
    }
    let next;
    if (this.national) {
      if (!this.boxes) return;
      next = this.showProvincesInView();
    } else {
      if (!this.tolerance) return;
      if (outlineTolerance(this.map.getZoom(), this.map.getCenter().lat) >= this.tolerance) return;
      next = this.fetchFor(this.map.getZoom());
    }
    // A refinement that fails (offline, or the page leaving mid-request) keeps the outlines
    // drawn: a warning, not an error.
    this.refinePending = next
      .catch((error) => console.warn("wards: finer outlines not loaded", error))
      .finally(() => {
        this.refinePending = null;
        if (this.refineAgain) {
          this.refineAgain = false;
          this.refine();
        }
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
