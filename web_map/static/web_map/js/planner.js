// The planner view (staff): report filters with a month slider, thematic layers (heatmap,
// square grid, ward choropleth, hotspots) and the registry's point layers in one layer
// control, a legend per visible thematic layer, and the "export map" link.
//
// The map container carries data attributes for tests and benchmarks: data-ready once the
// first visible layers are drawn (data-ready-ms: when, since navigation start); data-heat-total
// / -cells / -query for the last heat drawn.

import { basemap } from "./basemap.js";
import { notifier } from "./notices.js";
import { getJSON, setCsrfToken, withParams } from "./api.js";
import { categoryName, statusLabel } from "./labels.js";
import { PlannerLegend } from "./legend.js";
import { gettext, interpolate, ngettext, pageLanguage, pageLocale } from "./l10n.js";
import { monthLabel as monthLabelIn, monthPeriod } from "./months.js";
import { measureName } from "./planner_words.js";
import {
  ChoroplethLayer,
  GridLayer,
  HeatLayer,
  HotspotLayer,
  PointLayer,
  WardOutlineLayer,
} from "./planner_layers.js";
import { ForecastPanel } from "./planner_forecast.js";
import {
  initialProvince,
  isNational,
  OutlineStore,
  wardChoices,
  wardPlaceholder,
} from "./planner_outlines.js";
import { exportQuery } from "./planner_export.js";
import { PlaceKindLayer, PlaceReportLayer } from "./planner_places.js";

const config = JSON.parse(document.getElementById("planner-config").textContent);
const POINT_KINDS = new Set(["pois", "wifi"]);
// ?outlines=all draws every ward's full polygon from the ward list, as the planner did before
// the outlines endpoint: the benchmark's baseline (benchmarks/bench_planner.py).
const ALL_OUTLINES = new URLSearchParams(window.location.search).get("outlines") === "all";
const NATIONAL = isNational(config.provinces) && !ALL_OUTLINES;

function escapeHTML(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

// --- Filters --------------------------------------------------------------------------------

function option(value, text) {
  const el = document.createElement("option");
  el.value = value;
  el.textContent = text;
  return el;
}

function fillSelects() {
  const category = document.getElementById("pl-category");
  for (const c of config.categories) category.append(option(c.code, categoryName(c)));
  const status = document.getElementById("pl-status");
  for (const s of config.statuses) status.append(option(s.code, statusLabel(s.code, s.name_vi)));
  // A province picker only where the boundaries in force span several provinces.
  if (config.provinces.length > 1) {
    const province = document.getElementById("pl-province");
    for (const p of config.provinces) province.append(option(p.code, `${p.name} (${p.code})`));
    province.value = initialProvince(window.location.search, config.provinces);
    document.getElementById("pl-province-field").hidden = false;
  }
  fillWards();
  const measure = document.getElementById("pl-measure");
  for (const m of config.measures) measure.append(option(m, measureName(m)));
}

/** The ward picker: the chosen province's wards (all of them for one city); keeps the ward
 * chosen if it is still offered. */
function fillWards() {
  const province = document.getElementById("pl-province").value;
  const ward = document.getElementById("pl-ward");
  const kept = ward.value;
  const choices = wardChoices(config.wards, { national: NATIONAL, province });
  ward.replaceChildren(option("", wardPlaceholder({ national: NATIONAL, province })));
  for (const w of choices) ward.append(option(w.code, `${w.name} (${w.code})`));
  ward.value = choices.some((w) => w.code === kept) ? kept : "";
  ward.disabled = NATIONAL && !province;
}

/** "2025-03" as 03/2025 (vi) or Mar 2025 (en), 2025年3月 (zh). */
function monthLabel(month) {
  return monthLabelIn(month, pageLanguage(), pageLocale());
}

class PeriodSlider {
  constructor(months, defaultMonths, onChange) {
    this.months = months;
    this.from = document.getElementById("pl-from");
    this.to = document.getElementById("pl-to");
    this.label = document.getElementById("pl-period-label");
    const last = months.length - 1;
    for (const input of [this.from, this.to]) input.max = String(last);
    this.from.value = String(Math.max(0, months.length - defaultMonths));
    this.to.value = String(last);
    // Two handles that never cross: moving one past the other drags it along.
    this.from.addEventListener("input", () => {
      if (+this.from.value > +this.to.value) this.to.value = this.from.value;
      this.render();
    });
    this.to.addEventListener("input", () => {
      if (+this.to.value < +this.from.value) this.from.value = this.to.value;
      this.render();
    });
    for (const input of [this.from, this.to]) input.addEventListener("change", onChange);
    this.render();
  }

  /** Month-aligned: since the 1st of the first month, until the last day of the last. */
  get period() {
    return monthPeriod(this.months[+this.from.value], this.months[+this.to.value]);
  }

  render() {
    const from = this.months[+this.from.value];
    const to = this.months[+this.to.value];
    const n = +this.to.value - +this.from.value + 1;
    this.label.textContent = interpolate(
      ngettext("%(from)s – %(to)s (%(n)s tháng)", "%(from)s – %(to)s (%(n)s tháng)", n),
      { from: monthLabel(from), to: monthLabel(to), n },
      true,
    );
    this.from.setAttribute("aria-valuetext", monthLabel(from));
    this.to.setAttribute("aria-valuetext", monthLabel(to));
  }
}

function currentParams(slider) {
  const params = {};
  for (const name of ["category", "status", "province", "ward"]) {
    const value = document.getElementById(`pl-${name}`).value;
    if (value) params[name] = value;
  }
  return { ...params, ...slider.period };
}

// --- Page -----------------------------------------------------------------------------------

/** Which layers start visible: ?layers=a,b (for links and the benchmark), else the defaults. */
function initialKeys() {
  const raw = new URLSearchParams(window.location.search).get("layers");
  if (raw === null) return new Set(config.layers.filter((l) => l.visible).map((l) => l.key));
  return new Set(
    raw
      .split(",")
      .map((k) => k.trim())
      .filter(Boolean),
  );
}

function main() {
  // The page is in the language the server rendered it in (the language cookie); the header's
  // switcher reloads it in another one.
  setCsrfToken(config.csrfToken);
  const notify = notifier();
  const mapEl = document.getElementById("pl-map");
  const map = L.map(mapEl, { center: config.center, zoom: config.zoom, zoomControl: true });
  // Without network the planner still works on its own layers: say so instead of failing.
  basemap(map, config.tiles, notify, gettext("Không tải được bản đồ nền; các lớp dữ liệu vẫn hiển thị."));
  fillSelects();

  let legend = null;
  const changed = () => {
    if (legend) legend.render();
    updateExport();
  };
  const common = { map, notify, onChange: changed };
  const measureSelect = document.getElementById("pl-measure");
  const store = new OutlineStore(ALL_OUTLINES ? config.urls.wards : config.urls.outlines, (url) =>
    getJSON(url),
  );
  const wards = new WardOutlineLayer({ ...common, store });
  // The national case shows the chosen province, or the whole country (the country view's
  // outlines give the bounds; the first fit is not animated, so the layers load for it).
  let fitting = false;
  const fitOutlines = async (province, { animate = true } = {}) => {
    const country = await store.get("");
    const features = country.features.filter((f) => !province || f.properties.province_code === province);
    if (!features.length) return;
    fitting = !animate;
    try {
      map.fitBounds(L.geoJSON({ type: "FeatureCollection", features }).getBounds(), {
        padding: [20, 20],
        animate,
      });
    } finally {
      fitting = false;
    }
  };
  const heat = new HeatLayer({ ...common, url: config.urls.heat });
  const grid = new GridLayer({ ...common, url: config.urls.grid });
  const choropleth = new ChoroplethLayer({
    ...common,
    url: config.urls.wardStats,
    measure: measureSelect.value,
  });
  const hotspots = new HotspotLayer({ ...common, url: config.urls.hotspots });
  const places = new PlaceKindLayer({ ...common, url: config.urls.placeMap });
  const placeReports = new PlaceReportLayer({ ...common, url: config.urls.placeMap });
  const thematic = [wards, choropleth, grid, heat, hotspots, places, placeReports];
  const byKey = new Map(thematic.map((l) => [l.key, l]));
  const points = [];
  // Drawing order: choropleth under the grid, both under the heat, hotspots on top; the
  // places have their own pane between (planner_places.js).
  const controlOrder = () => [wards, heat, grid, choropleth, hotspots, places, placeReports, ...points];
  legend = new PlannerLegend(map, controlOrder());

  let control = null;
  const label = (layer) => {
    return `<span class="pl-layer-name" data-layer-key="${escapeHTML(layer.key)}">${escapeHTML(layer.name)}</span>`;
  };
  const buildControl = () => {
    if (control) control.remove();
    control = L.control.layers(null, null, { collapsed: false, position: "topright" });
    for (const layer of controlOrder()) control.addOverlay(layer.layer, label(layer));
    control.addTo(map);
  };

  const slider = new PeriodSlider(config.months, config.defaultMonths, () => reloadAll());
  let params = currentParams(slider);

  const exportLink = document.getElementById("pl-export");
  function updateExport() {
    const visible = [...thematic, ...points].filter((l) => l.visible).map((l) => l.key);
    exportLink.href = withParams(config.urls.export, exportQuery(params, visible, config.exportLayers));
  }

  function reloadAll() {
    params = currentParams(slider);
    for (const layer of thematic) layer.setParams(params);
    updateExport();
    return Promise.all(thematic.map((layer) => layer.refresh()));
  }

  // The forecast panel follows the filters' ward and category; it has its own pickers too.
  const forecast = new ForecastPanel({ config });
  const followFilters = () =>
    forecast.follow(document.getElementById("pl-ward").value, document.getElementById("pl-category").value);
  forecast.load();
  document.getElementById("pl-category").addEventListener("change", followFilters);
  document.getElementById("pl-ward").addEventListener("change", followFilters);

  for (const name of ["category", "status"]) {
    document.getElementById(`pl-${name}`).addEventListener("change", () => reloadAll());
  }
  document.getElementById("pl-province").addEventListener("change", (event) => {
    const hadWard = document.getElementById("pl-ward").value;
    fillWards();
    if (hadWard && !document.getElementById("pl-ward").value) followFilters();
    reloadAll();
    if (NATIONAL) fitOutlines(event.target.value);
  });
  document.getElementById("pl-ward").addEventListener("change", (event) => {
    reloadAll();
    const bounds = event.target.value ? wards.bounds(event.target.value) : null;
    if (bounds) map.fitBounds(bounds, { padding: [20, 20] });
    else if (!event.target.value && NATIONAL) fitOutlines(document.getElementById("pl-province").value);
    else if (!event.target.value) map.setView(config.center, config.zoom);
  });
  measureSelect.addEventListener("change", () => choropleth.setMeasure(measureSelect.value));

  // The heat and the grid are per view: re-asked after each pan or zoom (debounced).
  let moveTimer = null;
  map.on("moveend", () => {
    if (fitting) return; // the first view: the layers are not loaded yet
    clearTimeout(moveTimer);
    moveTimer = setTimeout(() => {
      heat.refresh();
      grid.refresh();
    }, 120);
  });

  // First render: set the filters, then switch on the initial layers; each loads on "add".
  // In the national case the view comes first: the country's outlines (50 KB) say where the
  // country or the province of the address is, so the other layers load for that view only.
  const wanted = initialKeys();
  for (const layer of thematic) layer.setParams(params);
  const province = document.getElementById("pl-province").value;
  const view = NATIONAL
    ? fitOutlines(province, { animate: false }).catch(() => {}) // the wards layer says it failed
    : Promise.resolve();
  buildControl();
  updateExport();
  view
    .then(() => {
      const first = [];
      for (const key of ["choropleth", "grid", "wards", "heat", "hotspots", "places", "place_reports"]) {
        const layer = byKey.get(key);
        if (!wanted.has(key)) continue;
        layer.layer.addTo(map); // "add" starts its load
        first.push(layer.pending);
      }
      return Promise.all(first);
    })
    .then(() => {
      // Milliseconds since navigation start: the benchmark's "first render" figure.
      mapEl.dataset.readyMs = String(Math.round(performance.now()));
      mapEl.dataset.ready = "true";
    });

  getJSON(config.urls.layers)
    .then((entries) => {
      for (const entry of entries.filter((e) => POINT_KINDS.has(e.kind))) {
        const layer = new PointLayer({ ...common, entry, urls: config.urls, center: config.center });
        points.push(layer);
        if (wanted.has(entry.key)) layer.layer.addTo(map);
      }
      legend.layers = controlOrder();
      buildControl();
      document.body.dataset.layersLoaded = "true";
    })
    .catch((error) => {
      console.error("layers", error);
      notify("layers", gettext("Không tải được danh sách lớp điểm."));
      document.body.dataset.layersLoaded = "true";
    });

  // A handle for debugging in the console and for the browser tests.
  window.planner = {
    map,
    reloadAll,
    forecast,
    get layers() {
      return Object.fromEntries(controlOrder().map((l) => [l.key, l]));
    },
  };
}

main();
