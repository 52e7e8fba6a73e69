// The planner's thematic layers. Each wraps one Leaflet layer (what the layer control toggles),
// loads its data only while it is on the map, aborts a stale request when filters change, and
// describes its own legend section. Every figure is a server-side aggregate: the browser
// never downloads the reports themselves.

import { clampBbox, formatBbox, getJSON, layerNotice, withParams } from "./api.js";
import { classOf, quantileBreaks, rampFor } from "./class_breaks.js";
import { classRows, gradientCss } from "./legend_scale.js";
import { wardTitle } from "./labels.js";
import { gettext, interpolate, localized, ngettext } from "./l10n.js";
import { formatNumber, formatSigned, layerName, measureName, measureUnit } from "./planner_words.js";

export const NO_DATA_COLOR = "#d9d9d9";
// ColorBrewer sequential ramps (5 classes): more is worse / more is better.
const YL_OR_RD = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];
const GREENS = ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"];
export const HEAT_GRADIENT = {
  0.2: "#2c7bb6",
  0.45: "#abd9e9",
  0.65: "#ffffbf",
  0.8: "#fdae61",
  1: "#d7191c",
};
const HOTSPOT_COLOR = "#d7191c";
const EMERGING_COLOR = "#7b3294";
// Measures where a high value is good news (drawn in greens).
const HIGHER_IS_BETTER = new Set(["on_time_pct", "satisfaction_score"]);
const MEASURE_DIGITS = {
  received: 0,
  per_1000_residents: 1,
  median_hours: 1,
  on_time_pct: 0,
  satisfaction_score: 0,
};

/** A layer's notice (layerNotice's kind) as the sentence the page shows. */
function noticeText(notice, layer) {
  if (notice.key === "notice.invalid") {
    return interpolate(gettext("Lớp «%(layer)s»: %(detail)s"), { layer, detail: notice.detail }, true);
  }
  if (notice.key === "notice.missing") {
    return interpolate(gettext("Lớp «%(layer)s» chưa có trên máy chủ này."), { layer }, true);
  }
  return interpolate(gettext("Không tải được lớp «%(layer)s»."), { layer }, true);
}

/** "%(value)s %(unit)s" with the word order of the page's language. */
function withUnit(value, unit) {
  return interpolate(gettext("%(value)s %(unit)s"), { value, unit }, true);
}

/** "Label: value" with the page's language's colon. */
function labelled(label, value) {
  return interpolate(gettext("%(label)s: %(value)s"), { label, value }, true);
}

export function textElement(tag, text, className) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

/** The leaflet bbox parameter, clamped to valid degrees (a zoomed-out view overshoots). */
export function bboxParam(map) {
  const b = map.getBounds();
  return formatBbox(clampBbox([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]), 5);
}

function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/**
 * Base: a Leaflet layer the control toggles, data loaded while it is on the map.
 * Subclasses implement fetchAndDraw(params, signal) and legend().
 */
export class ThematicLayer {
  constructor({ key, map, url, notify, onChange }) {
    this.key = key;
    this.map = map;
    this.url = url;
    this.notify = notify;
    this.onChange = onChange || (() => {});
    this.controller = null;
    this.params = {};
    this.loaded = false;
    this.pending = Promise.resolve();
  }

  get visible() {
    return this.map.hasLayer(this.layer);
  }

  /** The name shown in the layer control and in notices. */
  get name() {
    return layerName(this.key);
  }

  /** Wires add/remove: loading starts when the layer is switched on. */
  bind() {
    this.layer.on("add", () => {
      this.pending = this.refresh();
    });
    this.layer.on("remove", () => {
      if (this.controller) this.controller.abort();
      this.notify(this.key, null);
      this.onChange(this);
    });
  }

  setParams(params) {
    this.params = params;
  }

  /** Reloads if visible; resolves when drawn (or failed: the failure is a notice). */
  async refresh() {
    if (!this.visible) return;
    if (this.controller) this.controller.abort();
    const controller = new AbortController();
    this.controller = controller;
    // Slow layers (hotspots over a year take seconds) say they are working.
    const loading = () =>
      this.notify(this.key, interpolate(gettext("Đang tải lớp «%(layer)s»…"), { layer: this.name }, true));
    const slow = setTimeout(loading, 700);
    try {
      await this.fetchAndDraw(this.params, controller.signal);
      if (controller.signal.aborted) return;
      this.loaded = true;
      this.notify(this.key, null);
    } catch (error) {
      if (error.name === "AbortError" || controller.signal.aborted) return;
      this.reportError(error);
    } finally {
      clearTimeout(slow);
      if (this.controller === controller) this.controller = null;
    }
    this.onChange(this);
  }

  reportError(error) {
    const notice = layerNotice(error);
    if (notice.key === "notice.failed") console.error(this.key, error);
    this.notify(this.key, noticeText(notice, this.name));
    this.clear();
  }

  clear() {}
}

const PROVINCE_STYLE = { color: "#555", weight: 1.2, opacity: 0.8, fill: false };
const WARD_STYLE = { color: "#444", weight: 1.5, opacity: 0.9, fill: false };

/**
 * Ward outlines (boundaries in force today) from `store` (planner_outlines.js): the country
 * view (one outline per province) once, then the wards of the province in the filters; or,
 * with one province in force, every ward (the endpoint's answer without a province). The map
 * container's data-outline-view / -province / -features say what is drawn (for tests).
 */
export class WardOutlineLayer extends ThematicLayer {
  constructor({ store, ...options }) {
    super({ key: "wards", ...options });
    this.store = store;
    this.features = new Map();
    this.provinces = new Map();
    this.countryDrawn = false;
    this.drawnProvince = null;
    this.country = L.geoJSON(null, {
      style: PROVINCE_STYLE,
      onEachFeature: (feature, layer) => {
        this.provinces.set(String(feature.properties.province_code), layer);
        layer.bindTooltip(textElement("span", feature.properties.province_name), { sticky: true });
      },
    });
    this.wards = L.geoJSON(null, {
      style: WARD_STYLE,
      onEachFeature: (feature, layer) => {
        this.features.set(String(feature.properties.code), layer);
        layer.bindTooltip(textElement("span", feature.properties.name), { sticky: true });
      },
    });
    this.layer = L.layerGroup([this.country, this.wards]);
    this.bind();
  }

  async fetchAndDraw(params, signal) {
    const first = await this.store.get("");
    if (signal.aborted) return;
    if (!this.countryDrawn) {
      // The country view draws as province outlines; a one-province answer is the wards.
      this.national = first.view === "country";
      if (this.national) this.country.addData(first);
      else this.drawWards(first, "");
      this.countryDrawn = true;
    }
    if (!this.national) return;
    const province = params.province || "";
    if (province === this.drawnProvince) return;
    if (!province) {
      this.drawWards(null, "");
      return;
    }
    const detail = await this.store.get(province);
    if (signal.aborted) return;
    this.drawWards(detail, province);
  }

  drawWards(collection, province) {
    this.wards.clearLayers();
    this.features.clear();
    if (collection) this.wards.addData(collection);
    this.drawnProvince = province;
    const el = this.map.getContainer();
    el.dataset.outlineView = this.national ? "country" : "wards";
    el.dataset.outlineProvince = province;
    el.dataset.outlineFeatures = String(this.features.size);
  }

  /** A ward's bounds, if its outline is drawn. */
  bounds(code) {
    const layer = this.features.get(String(code));
    return layer ? layer.getBounds() : null;
  }

  legend() {
    return null; // the outline explains itself (and has tooltips)
  }
}

/**
 * leaflet-heat divides intensities by 2^(maxZoom - zoom) to fake aggregation when zoomed out;
 * the server already sums per zoom, so each cell must keep n / max: draw as if at maxZoom.
 * (Setting the option for good would make the layer control disable the layer's checkbox.)
 */
const ServerHeat = L.HeatLayer.extend({
  _redraw() {
    const saved = this.options.maxZoom;
    this.options.maxZoom = this._map.getZoom();
    try {
      L.HeatLayer.prototype._redraw.call(this);
    } finally {
      this.options.maxZoom = saved;
    }
  },
});

/** The heatmap: server-summed cells, re-asked at each view; intensity = count / max. */
export class HeatLayer extends ThematicLayer {
  constructor(options) {
    super({ key: "heat", ...options });
    this.layer = new ServerHeat([], {
      radius: 16,
      blur: 14,
      max: 1,
      minOpacity: 0.3,
      gradient: HEAT_GRADIENT,
    });
    this.summary = null;
    this.bind();
  }

  async fetchAndDraw(params, signal) {
    const query = { ...params, zoom: String(this.map.getZoom()), bbox: bboxParam(this.map) };
    const url = withParams(this.url, query);
    const body = await getJSON(url, { signal });
    if (signal.aborted) return;
    const max = body.max || 1;
    this.layer.setLatLngs(body.cells.map(([lat, lon, n]) => [lat, lon, n / max]));
    this.summary = { total: body.total, max: body.max, cells: body.cells.length };
    await nextFrame(); // leaflet-heat draws on the next animation frame
    const el = this.map.getContainer();
    el.dataset.heatTotal = String(body.total);
    el.dataset.heatCells = String(body.cells.length);
    el.dataset.heatQuery = new URL(url, window.location.href).search;
  }

  clear() {
    this.layer.setLatLngs([]);
    this.summary = null;
  }

  legend() {
    const section = document.createElement("div");
    section.append(textElement("strong", gettext("Mật độ phản ánh")));
    const bar = document.createElement("div");
    bar.className = "pl-legend__gradient";
    bar.style.background = gradientCss(HEAT_GRADIENT);
    const scale = document.createElement("div");
    scale.className = "pl-legend__scale";
    scale.append(textElement("span", gettext("ít")), textElement("span", gettext("nhiều")));
    section.append(bar, scale);
    if (this.summary) {
      const text = this.summary.total
        ? interpolate(
            ngettext("%(n)s phản ánh trong kỳ", "%(n)s phản ánh trong kỳ", this.summary.total),
            { n: formatNumber(this.summary.total) },
            true,
          )
        : gettext("Không có phản ánh trong kỳ");
      section.append(textElement("div", text, "pl-legend__note"));
    }
    return section;
  }
}

export function swatchRow(color, label, { outline = null, dashed = false } = {}) {
  const row = document.createElement("li");
  const swatch = document.createElement("span");
  swatch.className = "pl-legend__swatch";
  swatch.style.background = color;
  if (outline) swatch.style.borderColor = outline;
  if (dashed) swatch.style.borderStyle = "dashed";
  row.append(swatch, document.createTextNode(label));
  return row;
}

export function rowsList(rows) {
  const list = document.createElement("ul");
  for (const row of rows) list.append(row);
  return list;
}

/** Square grid cells with their report count, coloured by quantile class. */
export class GridLayer extends ThematicLayer {
  constructor(options) {
    super({ key: "grid", ...options });
    this.breaks = [];
    this.colors = [];
    this.min = 0;
    this.cellKm = null;
    this.layer = L.geoJSON(null, {
      style: (feature) => ({
        color: "#666",
        weight: 0.5,
        fillColor: this.colorFor(feature.properties.count),
        fillOpacity: 0.65,
      }),
      onEachFeature: (feature, layer) => {
        layer.bindTooltip(() => withUnit(formatNumber(feature.properties.count), measureUnit("received")), {
          sticky: true,
        });
      },
    });
    this.bind();
  }

  colorFor(count) {
    if (!this.breaks.length) return NO_DATA_COLOR;
    return this.colors[classOf(count, this.breaks)];
  }

  async fetchAndDraw(params, signal) {
    const query = { ...params, zoom: String(this.map.getZoom()), bbox: bboxParam(this.map) };
    const collection = await getJSON(withParams(this.url, query), { signal });
    if (signal.aborted) return;
    const features = collection.features || [];
    const counts = features.map((f) => f.properties.count);
    this.breaks = quantileBreaks(counts);
    this.colors = rampFor(YL_OR_RD, this.breaks.length);
    this.min = counts.length ? Math.min(...counts) : 0;
    this.cellKm = null;
    if (features.length) {
      const b = L.geoJSON(features[0]).getBounds();
      this.cellKm = this.map.distance(b.getSouthWest(), b.getSouthEast()) / 1000;
    }
    this.layer.clearLayers();
    this.layer.addData(collection);
    this.map.getContainer().dataset.gridCells = String(features.length);
  }

  clear() {
    this.layer.clearLayers();
    this.breaks = [];
  }

  legend() {
    const section = document.createElement("div");
    const km = this.cellKm ? formatNumber(this.cellKm, this.cellKm < 1 ? 2 : 1) : "?";
    section.append(
      textElement("strong", interpolate(gettext("Số phản ánh mỗi ô (~%(km)s km)"), { km }, true)),
    );
    if (!this.breaks.length) {
      section.append(textElement("div", gettext("Không có phản ánh trong kỳ"), "pl-legend__note"));
      return section;
    }
    const rows = classRows(this.breaks, this.colors, this.min, (v) => formatNumber(v, 0));
    section.append(rowsList(rows.map((r) => swatchRow(r.color, r.label))));
    return section;
  }
}

/** Wards coloured by one measure of /wards/stats/ (the select chooses it); null is grey. */
export class ChoroplethLayer extends ThematicLayer {
  constructor({ measure, ...options }) {
    super({ key: "choropleth", ...options });
    this.measure = measure;
    this.collection = null;
    this.breaks = [];
    this.colors = [];
    this.min = 0;
    this.hasNull = false;
    this.layer = L.geoJSON(null, {
      style: (feature) => ({
        color: "#333",
        weight: 1,
        fillColor: this.colorFor(feature.properties[this.measure]),
        fillOpacity: 0.7,
      }),
      onEachFeature: (feature, layer) => layer.bindTooltip(() => this.tooltip(feature), { sticky: true }),
    });
    this.bind();
    this.layer.on("remove", () => {
      if (this.listSection) this.listSection.hidden = true;
    });
  }

  colorFor(value) {
    if (value === null || value === undefined || !this.breaks.length) return NO_DATA_COLOR;
    return this.colors[classOf(value, this.breaks)];
  }

  tooltip(feature) {
    const p = feature.properties;
    const box = document.createElement("div");
    box.append(textElement("strong", wardTitle(p)));
    const value = p[this.measure];
    const shown =
      value === null || value === undefined
        ? gettext("Không có dữ liệu")
        : withUnit(formatNumber(value, MEASURE_DIGITS[this.measure] ?? 1), measureUnit(this.measure));
    box.append(textElement("div", labelled(measureName(this.measure), shown)));
    if (p.population) box.append(textElement("div", labelled(gettext("Dân số"), formatNumber(p.population))));
    return box;
  }

  setMeasure(measure) {
    this.measure = measure;
    this.classify();
    this.layer.setStyle((feature) => ({
      color: "#333",
      weight: 1,
      fillColor: this.colorFor(feature.properties[this.measure]),
      fillOpacity: 0.7,
    }));
    this.onChange(this);
  }

  classify() {
    const values = (this.collection?.features || []).map((f) => f.properties[this.measure]);
    const present = values.filter((v) => v !== null && v !== undefined);
    this.hasNull = present.length < values.length;
    this.breaks = quantileBreaks(present);
    this.colors = rampFor(HIGHER_IS_BETTER.has(this.measure) ? GREENS : YL_OR_RD, this.breaks.length);
    this.min = present.length ? Math.min(...present) : 0;
  }

  async fetchAndDraw(params, signal) {
    // Ward statistics are per ward for a period; category and status filters do not apply.
    const query = {};
    if (params.since) query.since = params.since;
    if (params.until) query.until = params.until;
    const collection = await getJSON(withParams(this.url, query), { signal });
    if (signal.aborted) return;
    this.collection = collection;
    this.classify();
    this.layer.clearLayers();
    this.layer.addData(collection);
  }

  clear() {
    this.layer.clearLayers();
    this.collection = null;
    this.breaks = [];
  }

  legend() {
    const section = document.createElement("div");
    section.className = "pl-legend__choropleth";
    section.dataset.measure = this.measure;
    section.append(textElement("strong", measureName(this.measure)));
    section.append(textElement("div", `(${measureUnit(this.measure)})`, "pl-legend__unit"));
    const digits = MEASURE_DIGITS[this.measure] ?? 1;
    const format = (v) => formatNumber(v, digits);
    const rows = classRows(this.breaks, this.colors, this.min, format).map((r) =>
      swatchRow(r.color, r.label),
    );
    if (this.hasNull || !this.breaks.length) rows.push(swatchRow(NO_DATA_COLOR, gettext("Không có dữ liệu")));
    section.append(rowsList(rows));
    return section;
  }
}

function emergingLabel() {
  return gettext("Điểm nóng mới nổi (kỳ trước chưa có)");
}

function wardName(ward) {
  if (!ward) return "—";
  if (typeof ward === "string") return ward;
  return ward.name || ward.code || "—";
}

/** Hotspot clusters (polygons) from /api/v1/hotspots/; emerging ones stand out. */
export class HotspotLayer extends ThematicLayer {
  constructor(options) {
    super({ key: "hotspots", ...options });
    this.counts = null;
    this.features = [];
    this.listSection = document.getElementById("pl-hotspots");
    this.list = document.getElementById("pl-hotspot-list");
    // Their own pane above the heat canvas (overlay pane, z 400): small clusters stay visible.
    if (!this.map.getPane("plHotspots")) this.map.createPane("plHotspots").style.zIndex = "450";
    this.layer = L.geoJSON(null, {
      pane: "plHotspots",
      style: (feature) => {
        const emerging = Boolean(feature.properties.emerging);
        const color = emerging ? EMERGING_COLOR : HOTSPOT_COLOR;
        return {
          color,
          weight: emerging ? 3 : 2,
          dashArray: emerging ? "6 4" : null,
          fillColor: color,
          fillOpacity: 0.3,
        };
      },
      onEachFeature: (feature, layer) => layer.bindTooltip(() => this.tooltip(feature), { sticky: true }),
    });
    this.bind();
    this.layer.on("remove", () => {
      if (this.listSection) this.listSection.hidden = true;
    });
  }

  wardLabel(p) {
    return p.ward
      ? wardName(p.ward)
      : p.ward_name
        ? `${p.ward_name}${p.ward_code ? ` (${p.ward_code})` : ""}`
        : "—";
  }

  /** The sidebar list: every cluster with its ward, size and trend, biggest first; a click
   * shows it on the map. Text only (textContent): nothing here is markup. */
  renderList() {
    if (!this.list) return;
    this.list.replaceChildren();
    this.listSection.hidden = !this.visible || !this.loaded;
    if (!this.features.length) {
      const none = gettext("Không có điểm nóng nào có ý nghĩa thống kê trong kỳ này.");
      this.list.append(textElement("li", none, "pl-hotspots__none"));
      return;
    }
    const sorted = [...this.features].sort(
      (a, b) => (b.properties.report_count || 0) - (a.properties.report_count || 0),
    );
    for (const feature of sorted) {
      const p = feature.properties;
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "pl-hotspots__item";
      button.dataset.ward = p.ward_code || "";
      if (p.emerging) button.dataset.emerging = "true";
      button.append(textElement("strong", this.wardLabel(p)));
      const parts = [withUnit(formatNumber(p.report_count || 0), measureUnit("received"))];
      if (p.change_pct !== undefined && p.change_pct !== null) {
        parts.push(`${formatSigned(p.change_pct, 0)} %`);
      }
      if (p.emerging) parts.push(emergingLabel());
      button.append(textElement("span", parts.join(" · ")));
      button.addEventListener("click", () => {
        const bounds = L.geoJSON(feature).getBounds();
        if (bounds.isValid()) this.map.fitBounds(bounds, { maxZoom: 16, padding: [40, 40] });
      });
      item.append(button);
      this.list.append(item);
    }
  }

  tooltip(feature) {
    const p = feature.properties;
    const box = document.createElement("div");
    box.append(textElement("strong", p.emerging ? emergingLabel() : gettext("Điểm nóng")));
    const ward = this.wardLabel(p);
    box.append(textElement("div", labelled(gettext("Phường/xã"), ward)));
    if (p.report_count !== undefined)
      box.append(textElement("div", labelled(gettext("Số phản ánh"), formatNumber(p.report_count))));
    if (p.hex_count !== undefined)
      box.append(textElement("div", labelled(gettext("Số ô lục giác"), formatNumber(p.hex_count))));
    let trend = p.trend ?? null;
    if (trend === null && p.change_pct !== undefined && p.change_pct !== null) {
      trend = `${formatSigned(p.change_pct, 0)} %`;
    } else if (trend === null && p.change !== undefined && p.change !== null) {
      trend = formatSigned(p.change, 1);
    }
    if (trend !== null) {
      const previous =
        p.previous_count !== undefined && p.previous_count !== null
          ? ` (${interpolate(gettext("kỳ trước: %(n)s"), { n: formatNumber(p.previous_count) }, true)})`
          : "";
      box.append(textElement("div", labelled(gettext("Xu hướng so với kỳ trước"), `${trend}${previous}`)));
    }
    return box;
  }

  async fetchAndDraw(params, signal) {
    const query = {};
    // A province is the study area of its own analysis (its grid and FDR step), not a crop of
    // the country's clusters.
    for (const name of ["category", "since", "until", "province"])
      if (params[name]) query[name] = params[name];
    const collection = await getJSON(withParams(this.url, query), { signal });
    if (signal.aborted) return;
    const features = collection.features || [];
    this.counts = { n: features.length, e: features.filter((f) => f.properties.emerging).length };
    this.features = features;
    this.layer.clearLayers();
    this.layer.addData(collection);
  }

  clear() {
    this.layer.clearLayers();
    this.counts = null;
    this.features = [];
    if (this.listSection) this.listSection.hidden = true;
  }

  legend() {
    const section = document.createElement("div");
    section.append(textElement("strong", gettext("Điểm nóng (cụm có ý nghĩa thống kê)")));
    section.append(
      rowsList([
        swatchRow("rgba(215, 25, 28, 0.3)", gettext("Điểm nóng"), { outline: HOTSPOT_COLOR }),
        swatchRow("rgba(123, 50, 148, 0.3)", emergingLabel(), { outline: EMERGING_COLOR, dashed: true }),
      ]),
    );
    if (this.counts) {
      const { n, e } = this.counts;
      const text = interpolate(
        gettext("%(n)s điểm nóng, %(e)s mới nổi"),
        { n: formatNumber(n), e: formatNumber(e) },
        true,
      );
      section.append(textElement("div", text, "pl-legend__note"));
    }
    this.renderList(); // the legend is redrawn after each load
    return section;
  }
}

/** A registry point layer (POIs or Wi-Fi), loaded when first switched on, like tourist.js. */
export class PointLayer extends ThematicLayer {
  constructor({ entry, urls, center, ...options }) {
    super({ key: entry.key, ...options });
    this.entry = entry;
    this.urls = urls;
    this.center = center;
    this.layer = L.featureGroup();
    this.bind();
  }

  get name() {
    return localized(this.entry, "name");
  }

  async fetchAndDraw(_params, signal) {
    if (this.loaded) return;
    const url =
      this.entry.kind === "wifi"
        ? withParams(this.urls.wifiNearest, { lon: this.center[1], lat: this.center[0], limit: 50 })
        : withParams(this.urls.pois, { layer: this.entry.poi_layer || this.entry.key, limit: 200 });
    const body = await getJSON(url, { signal });
    if (signal.aborted) return;
    const color = this.entry.color || "#2b8cbe";
    for (const feature of body.features || []) {
      const [lon, lat] = feature.geometry.coordinates;
      const p = feature.properties;
      const marker = L.circleMarker([lat, lon], {
        radius: 5,
        color: "#fff",
        weight: 1,
        fillColor: color,
        fillOpacity: 0.9,
      });
      marker.bindTooltip(() => textElement("span", localized(p, "name")));
      this.layer.addLayer(marker);
    }
  }

  reportError(error) {
    console.error(this.key, error);
    this.notify(this.key, noticeText({ key: "notice.failed" }, this.name));
  }

  legend() {
    return null; // the layer control names it; colours are the registry's
  }
}
