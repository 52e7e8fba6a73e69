// Report markers: clustered, coloured by status, reloaded for the visible area on pan/zoom.
// Each view first asks the server how many reports it holds (/api/v1/reports/count/, summed
// from the pre-aggregated cells: a few bytes, bounded work with a million reports). More than
// the setting (HT_MAP_REPORTS_MAX_IN_VIEW, about 300) and the layer shows vector tiles
// (aggregated cells with counts at low zooms, one point per report when zoomed in); few
// enough and it loads those reports as clustered markers with popups. So the city's reports
// never travel as GeoJSON: the first screen costs a count and a dozen small tiles.

import {
  bboxContains,
  clampBbox,
  fetchReportCount,
  fetchReports,
  fillUrl,
  getJSON,
  pagesFor,
} from "./api.js";
import { categoryName, statusLabel, wardTitle } from "./labels.js";
import { formatDateTime, formatNumber, gettext, interpolate, ngettext, pageLocale } from "./l10n.js";
import { safeUrl } from "./notices.js";
import { STATUSES, isStatus, statusClass } from "./statuses.js";
const RELOAD_DELAY_MS = 300;
// A tile that never answers must not keep "loading" on screen for ever.
const TILES_WAIT_MAX_MS = 15_000;
const POPUP_MARGIN_PX = 10;
// What may lie over the map's edges: the header (when sticky over a full-screen map), the
// notices and the loading line at the top, the bottom sheet of the form at the bottom.
const TOP_OVERLAYS = [".ht-header", ".ht-notice", ".ht-loading"];
const BOTTOM_OVERLAYS = ["#report-panel"];
// Filters the tile endpoint shares with the report list (the tile contract).
const TILE_FILTERS = ["category", "status", "ward", "since", "until"];

/** A status colour from map.css (--ht-<status>), so tiles and the legend never disagree. */
function statusColor(status) {
  const name = isStatus(status) ? `--ht-${status}` : "";
  const value = name && getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || "#000000";
}

/**
 * VectorGrid 1.3's point symbolizers inherit CircleMarker.getLatLng but have no _latlng, and
 * Leaflet 1.9 calls getLatLng() on every small circle (radius <= 10) it sends an event to, so
 * hovering or clicking a small point threw. A symbolizer's place is its tile's corner plus its
 * pixel offset in the tile. Patched once, on the class VectorGrid uses for points.
 */
function patchPointSymbolizer() {
  const sample = L.VectorGrid.prototype._createLayer.call(
    { options: {} },
    { type: 1, geometry: [[{ x: 0, y: 0 }]], properties: {} },
    L.point(1, 1),
  );
  const proto = Object.getPrototypeOf(sample);
  if (proto.htHasLatLng) return;
  proto.htHasLatLng = true;
  proto.getLatLng = function getLatLng() {
    const renderer = this._renderer;
    if (!renderer?._map || !this._point) return this._latlng;
    const coord = renderer.getCoord();
    const corner = L.point(coord.x * renderer._size.x, coord.y * renderer._size.y);
    return renderer._map.unproject(corner.add(this._point), coord.z);
  };
}

/**
 * A cell's circle: area grows with the count (log scale) and the colour darkens. Cells are
 * about 8 px apart, so the radius stays near that spacing: larger circles pile up into
 * blobs, and each tile's SVG clips the part of a circle that crosses its edge.
 */
export function cellStyle(count) {
  const n = Math.max(1, Number(count) || 1);
  const fillColor = n < 10 ? "#fdae61" : n < 100 ? "#f46d43" : n < 1000 ? "#d73027" : "#a50026";
  return {
    radius: Math.min(11, 4 + 1.5 * Math.log2(n)),
    fill: true,
    fillColor,
    fillOpacity: 0.75,
    color: "#ffffff",
    weight: 1.5,
    bubblingMouseEvents: false, // a click on a cell zooms in; it must not open the report form
  };
}

function pointStyle(status) {
  return {
    radius: 6,
    fill: true,
    fillColor: statusColor(status),
    fillOpacity: 0.9,
    color: "#ffffff",
    weight: 1.5,
    bubblingMouseEvents: false,
  };
}

function markerIcon(status) {
  return L.divIcon({
    className: `ht-report-marker ${statusClass(status)}`,
    iconSize: [18, 18],
    iconAnchor: [9, 9],
    popupAnchor: [0, -8],
  });
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

// The public page of a report: a URL pattern from the server ("{id}" is replaced).
let reportPagePattern = "";

export function setReportPagePattern(pattern) {
  reportPagePattern = pattern || "";
}

/** A popup image (lazy, with its alt text) inside a link. */
function thumbnailLink(href, src, alt) {
  const link = document.createElement("a");
  link.href = href;
  const img = document.createElement("img");
  img.src = src;
  img.alt = alt;
  img.loading = "lazy";
  img.className = "ht-report-popup__photo";
  link.append(img);
  return link;
}

/** Popup content as DOM with textContent only: descriptions are untrusted user input. */
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
  if (p.reference) line(root, "ht-report-popup__reference", gettext("Mã phản ánh"), p.reference);
  const ward = p.ward ? wardTitle(p.ward) : gettext("ngoài ranh giới");
  line(root, "", gettext("Phường/Xã"), ward);
  line(root, "", gettext("Thời gian"), formatDateTime(p.reported_at, pageLocale(), { timeZone }));
  const photo = (p.photos || [])[0];
  const thumb = photo && safeUrl(photo.thumbnail_url || photo.url);
  if (thumb) {
    const link = thumbnailLink(safeUrl(photo.url) || thumb, thumb, gettext("Ảnh hiện trường"));
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    root.append(link);
  }
  // A clip's poster when there is no photo: it opens the public page, which plays it.
  const clip = (p.videos || []).find((v) => v.status === "ready" && v.poster_url);
  const clipPoster = !thumb && clip && safeUrl(clip.poster_url);
  if (clipPoster && reportPagePattern && p.id) {
    const href = fillUrl(reportPagePattern, { id: p.id });
    const alt = gettext("Video của phản ánh (mở trang phản ánh để xem)");
    const link = thumbnailLink(href, clipPoster, alt);
    link.className = "ht-report-popup__video";
    root.append(link);
  }
  if (reportPagePattern && p.id) {
    const details = document.createElement("a");
    details.href = fillUrl(reportPagePattern, { id: p.id });
    details.className = "ht-report-popup__details";
    details.textContent = gettext("Xem chi tiết, trả lời");
    root.append(details);
  }
  return root;
}

/** How far `selectors`' visible elements reach into the map box from its top or bottom. */
function coveredBy(box, selectors, fromTop) {
  let reach = 0;
  for (const element of document.querySelectorAll(selectors.join(","))) {
    if (element.hidden || !element.getClientRects().length) continue;
    const r = element.getBoundingClientRect();
    const overlaps = r.bottom > box.top && r.top < box.bottom && r.right > box.left && r.left < box.right;
    if (!overlaps || r.width < box.width / 4) continue; // a small control is not a cover
    reach = Math.max(reach, fromTop ? r.bottom - box.top : box.bottom - r.top);
  }
  return Math.max(0, Math.min(reach, box.height / 2));
}

/**
 * A popup's auto-pan keeps it clear of whatever covers the map's edges at the moment it
 * opens (header, notices, the form's bottom sheet on a phone), not of the bare map box:
 * on a phone a popup must never open under the header. Leaflet reads these two options each
 * time it pans a popup into view, so they are getters on that popup's options.
 */
export function keepPopupClear(popup, map) {
  const inset = (fromTop) => {
    const box = map.getContainer().getBoundingClientRect();
    const selectors = fromTop ? TOP_OVERLAYS : BOTTOM_OVERLAYS;
    return L.point(POPUP_MARGIN_PX, POPUP_MARGIN_PX + coveredBy(box, selectors, fromTop));
  };
  Object.defineProperty(popup.options, "autoPanPaddingTopLeft", {
    configurable: true,
    get: () => inset(true),
  });
  Object.defineProperty(popup.options, "autoPanPaddingBottomRight", {
    configurable: true,
    get: () => inset(false),
  });
  return popup;
}

function signature(feature) {
  const p = feature.properties;
  return [p.status, p.description, (p.photos || []).length, p.ward?.code].join("|");
}

export class ReportLayer {
  /**
   * `tilesUrl` ("/tiles/reports/{z}/{x}/{y}.pbf"), `countUrl` ("/api/v1/reports/count/") and
   * `detailUrl` ("/api/v1/reports/{id}/") come from the page config; without `tilesUrl` a
   * dense view stays truncated markers. `loading` (a LoadingIndicator) hears while it loads.
   * A report the form adds is drawn even when the layer is not `active`. `onStatus(text)` hears
   * a status line for the page (null clears it); `categoryLabel(code)` names a tile's category.
   */
  constructor(
    map,
    {
      url,
      countUrl,
      tilesUrl,
      detailUrl,
      maxInView,
      timeZone,
      onStatus,
      categoryLabel,
      loading,
      initialCounts = null,
      active = true,
    },
  ) {
    this.map = map;
    this.active = active; // false: the layer loads nothing (the page's ?layers= left it out)
    this.url = url;
    this.countUrl = countUrl || "";
    this.tilesUrl = tilesUrl || "";
    this.detailUrl = detailUrl || "";
    this.maxInView = Math.max(1, Math.floor(Number(maxInView) || 300));
    this.pages = pagesFor(this.maxInView);
    this.loading = loading || null;
    // Counts the page came with for boxes around its initial view (used once, see hinted()).
    this.initialCounts = initialCounts;
    this.mode = "markers"; // or "tiles"; mirrored on the map container's data-report-mode
    this.tiles = null; // the L.vectorGrid layer, made on the first switch
    this.tooltip = null;
    this.timeZone = timeZone;
    this.onStatus = onStatus || (() => {});
    // A tile's report carries its category's code only: the page names it (config.categories).
    this.categoryLabel = categoryLabel || ((code) => categoryName({ code }));
    map.getContainer().dataset.reportMode = this.mode;
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
    return clampBbox([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]);
  }

  /** The report list's filters (category, status, ward, since, until), for counts and tiles. */
  filters() {
    const list = new URL(this.url, window.location.href);
    const filters = {};
    for (const key of TILE_FILTERS) {
      const value = list.searchParams.get(key);
      if (value) filters[key] = value;
    }
    return filters;
  }

  /**
   * Loads the current view; a newer load aborts an older one so results never arrive stale.
   * Resolves once this view's reports are drawn (markers placed, or every tile in).
   */
  async reload() {
    if (!this.active) return;
    if (this.controller) this.controller.abort();
    const controller = new AbortController();
    this.controller = controller;
    const seq = ++this.loadSeq;
    if (this.loading) this.loading.start("reports");
    try {
      const bbox = this.bbox();
      const hint = this.hinted(bbox);
      if (this.canTile() && this.countUrl && hint !== "few") {
        // Few or many? A count from the cells decides before any report is downloaded; on
        // the first screen the page's own counts may already tell.
        const { count } =
          hint === "many"
            ? { count: Infinity }
            : await fetchReportCount(this.countUrl, bbox, this.filters(), {
                signal: controller.signal,
              });
        if (controller.signal.aborted) return;
        if (count > this.maxInView) {
          this.showTiles(seq);
          this.onStatus(null);
          await this.tilesDrawn(controller.signal);
          return;
        }
      }
      const result = await fetchReports(this.url, bbox, {
        signal: controller.signal,
        ...this.pages,
        stopEarly: this.canTile(),
      });
      if (controller.signal.aborted) return;
      if (result.truncated && this.canTile()) {
        this.showTiles(seq);
        this.onStatus(null);
        await this.tilesDrawn(controller.signal);
        return;
      }
      if (this.mode === "tiles") this.showMarkers();
      const [west, south, east, north] = bbox;
      const loaded = L.latLngBounds([south, west], [north, east]);
      const removeWithin = result.truncated ? null : loaded;
      this.sync(result.features, { removeWithin, loadSeq: seq });
      if (result.truncated) {
        const n = result.features.length;
        this.onStatus(
          interpolate(
            gettext("Chỉ hiển thị %(n)s phản ánh; phóng to để xem thêm."),
            { n: formatNumber(n, pageLocale()) },
            true,
          ),
        );
      } else this.onStatus(null);
    } catch (error) {
      if (error.name === "AbortError") return;
      console.error("reports", error);
      this.onStatus(gettext("Không tải được danh sách phản ánh."));
    } finally {
      if (this.loading && seq === this.loadSeq) this.loading.done("reports");
    }
  }

  /**
   * "many" when the view contains the page's inner box and that held more than the setting,
   * "few" when the view lies inside its outer box and that held no more; else null (ask).
   * Only for the first load with the list unfiltered: later views and filters ask the server.
   */
  hinted(bbox) {
    const counts = this.initialCounts;
    this.initialCounts = null;
    if (!counts || Object.keys(this.filters()).length) return null;
    if (bboxContains(bbox, counts.inner) && counts.innerCount > this.maxInView) return "many";
    if (bboxContains(counts.outer, bbox) && counts.outerCount <= this.maxInView) return "few";
    return null;
  }

  /** Resolves when every visible tile is drawn, the tiles are removed, or the load aborted. */
  tilesDrawn(signal) {
    const tiles = this.tiles;
    if (!tiles || !this.map.hasLayer(tiles) || !tiles.isLoading()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(), TILES_WAIT_MAX_MS);
      const finish = () => {
        clearTimeout(timer);
        tiles.off("load", finish);
        tiles.off("remove", finish);
        signal.removeEventListener("abort", finish);
        resolve();
      };
      tiles.on("load", finish);
      tiles.on("remove", finish);
      signal.addEventListener("abort", finish, { once: true });
    });
  }

  canTile() {
    return Boolean(this.tilesUrl && L.vectorGrid?.protobuf);
  }

  setMode(mode) {
    this.mode = mode;
    this.map.getContainer().dataset.reportMode = mode;
  }

  /** The tile URL template with the list's filters (category, status, ward, since, until). */
  tileTemplate() {
    const search = new URLSearchParams(this.filters()).toString();
    // Plain concatenation: new URL() would percent-encode the {z}/{x}/{y} placeholders.
    if (!search) return this.tilesUrl;
    return `${this.tilesUrl}${this.tilesUrl.includes("?") ? "&" : "?"}${search}`;
  }

  makeTiles() {
    patchPointSymbolizer();
    // Its own pane above the ward polygons (overlayPane, 400) and below markers (600): in the
    // tile pane the wards would cover the cells and swallow their hovers and clicks. Only the
    // drawn circles take pointer events, so a click elsewhere still reaches the wards/map.
    if (!this.map.getPane("htReportTiles")) this.map.createPane("htReportTiles").style.zIndex = 450;
    const tiles = L.vectorGrid.protobuf(this.tileTemplate(), {
      pane: "htReportTiles",
      // SVG tiles: the canvas renderer of VectorGrid 1.3 calls L.DomEvent.fakeStop, gone
      // since Leaflet 1.8, so clicks on canvas features throw.
      rendererFactory: L.svg.tile,
      interactive: true,
      maxZoom: 19,
      vectorTileLayerStyles: {
        // Cells (zoom <= 14) carry `count`; single reports (zoom >= 15) carry id/category/
        // status. The property decides, so a server that moves the threshold still draws right.
        reports: (props) => (props.count != null ? cellStyle(props.count) : pointStyle(props.status)),
      },
    });
    this.tooltip = L.tooltip({ direction: "top", offset: [0, -6], className: "ht-tile-tooltip" });
    tiles.on("mouseover", (e) => {
      const props = e.layer?.properties || {};
      const count = Number(props.count);
      const text =
        props.count != null
          ? interpolate(
              ngettext("%(n)s phản ánh", "%(n)s phản ánh", count),
              { n: formatNumber(count, pageLocale()) },
              true,
            )
          : this.categoryLabel(props.category);
      // A text node, never a string: Leaflet puts string content in with innerHTML.
      this.tooltip.setLatLng(e.latlng).setContent(document.createTextNode(text || ""));
      this.map.openTooltip(this.tooltip);
    });
    tiles.on("mouseout", () => this.map.closeTooltip(this.tooltip));
    tiles.on("click", (e) => {
      const props = e.layer?.properties || {};
      if (props.count != null) {
        // A cell stands for many reports: zoom in towards them.
        this.map.setView(e.latlng, Math.min(this.map.getZoom() + 2, this.map.getMaxZoom()));
      } else if (props.id) {
        this.openTilePopup(String(props.id), e.latlng);
      }
    });
    return tiles;
  }

  /** A report drawn from a tile has only id/category/status: its popup loads the rest. */
  async openTilePopup(id, latlng) {
    const popup = keepPopupClear(L.popup({ maxWidth: 280 }), this.map);
    popup.setLatLng(latlng).setContent(gettext("Đang tải…"));
    popup.openOn(this.map);
    if (!this.detailUrl) return;
    try {
      const feature = await getJSON(fillUrl(this.detailUrl, { id }));
      if (popup.isOpen()) popup.setContent(reportPopup(feature, this.timeZone));
    } catch (error) {
      console.error("report", error);
      if (popup.isOpen()) popup.setContent(gettext("Không tải được danh sách phản ánh."));
    }
  }

  /**
   * Too many reports for markers: draw tiles. Markers from older loads go; a marker added
   * since this load started (a report just sent) stays on top, as in sync().
   */
  showTiles(loadSeq) {
    if (this.mode === "tiles") return;
    const remove = [];
    for (const [id, { marker, seq }] of this.markers) {
      if (seq >= loadSeq) continue;
      remove.push(marker);
      this.markers.delete(id);
    }
    if (remove.length) this.cluster.removeLayers(remove);
    if (!this.tiles) this.tiles = this.makeTiles();
    this.tiles.addTo(this.map);
    this.setMode("tiles");
  }

  /** Few enough reports again: drop the tiles; the caller's sync() brings the markers back. */
  showMarkers() {
    if (this.tiles) {
      if (this.tooltip) this.map.closeTooltip(this.tooltip);
      this.tiles.remove();
    }
    this.setMode("markers");
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
    keepPopupClear(marker.getPopup(), this.map);
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

  /**
   * Off while the report form picks a place: markers, clusters and tile cells let taps through
   * to the map (map.css, `.ht-reports-inert`), so a tap moves the form's pin and never zooms.
   */
  setInteractive(interactive) {
    this.map.getContainer().classList.toggle("ht-reports-inert", !interactive);
    if (!interactive) this.map.closePopup();
  }
}

/** The status legend (a Leaflet control), in the page's language. */
export function statusLegend() {
  const control = L.control({ position: "bottomleft" });
  control.onAdd = () => {
    const div = L.DomUtil.create("div", "ht-legend leaflet-bar");
    control.render = () => {
      div.replaceChildren();
      const title = document.createElement("strong");
      title.textContent = gettext("Trạng thái");
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
