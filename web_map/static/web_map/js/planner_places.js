// The planner's two layers of the tourism office's places (issue 13): every place coloured
// by its kind, and circles at places sized by how many visitors' reports were filed there in
// the period. Both read /api/v1/staff/places/map/ (counts only: no report, no reporter).

import { getJSON, withParams } from "./api.js";
import { gettext, interpolate, localized, ngettext } from "./l10n.js";
import { kindColor, kindsPresent, legendCounts, reportRadius } from "./place_style.js";
import { rowsList, swatchRow, textElement, ThematicLayer } from "./planner_layers.js";
import { formatNumber } from "./planner_words.js";

const REPORT_COLOR = "#b2182b";

function placePane(map) {
  // Above the heat canvas and the grid (overlay pane, z 400), under the hotspots (450).
  if (!map.getPane("plPlaces")) map.createPane("plPlaces").style.zIndex = "430";
  return "plPlaces";
}

/** Every place as a dot in its kind's colour; loaded once (places do not follow the filters). */
export class PlaceKindLayer extends ThematicLayer {
  constructor(options) {
    super({ key: "places", ...options });
    this.places = [];
    this.kinds = {};
    this.pane = placePane(this.map);
    this.layer = L.featureGroup();
    this.bind();
  }

  kindName(kind) {
    return localized(this.kinds[kind], "name") || kind;
  }

  async fetchAndDraw(_params, signal) {
    if (this.loaded) return;
    const body = await getJSON(this.url, { signal });
    if (signal.aborted) return;
    this.places = body.places || [];
    this.kinds = body.kinds || {};
    this.layer.clearLayers();
    for (const place of this.places) {
      const marker = L.circleMarker([place.lat, place.lon], {
        pane: this.pane,
        radius: 5,
        color: "#fff",
        weight: 1,
        fillColor: kindColor(place.kind),
        fillOpacity: 0.95,
      });
      marker.bindTooltip(() => {
        const box = document.createElement("div");
        box.append(textElement("strong", localized(place, "name")));
        box.append(textElement("div", this.kindName(place.kind)));
        return box;
      });
      this.layer.addLayer(marker);
    }
    this.map.getContainer().dataset.placesDrawn = String(this.places.length);
  }

  clear() {
    this.layer.clearLayers();
    this.places = [];
  }

  legend() {
    const section = document.createElement("div");
    section.append(textElement("strong", gettext("Địa điểm du lịch")));
    const rows = kindsPresent(this.places).map((kind) => {
      const row = swatchRow(kindColor(kind), this.kindName(kind));
      row.dataset.kind = kind;
      return row;
    });
    section.append(rowsList(rows));
    const n = this.places.length;
    const note = n
      ? interpolate(ngettext("%(n)s địa điểm", "%(n)s địa điểm", n), { n: formatNumber(n) }, true)
      : gettext("Chưa có địa điểm nào");
    section.append(textElement("div", note, "pl-legend__note"));
    return section;
  }
}

/** Circles at places, sized by their visitors' reports in the planner's period. */
export class PlaceReportLayer extends ThematicLayer {
  constructor(options) {
    super({ key: "place_reports", ...options });
    this.places = [];
    this.max = 0;
    this.total = 0;
    this.pane = placePane(this.map);
    this.layer = L.featureGroup();
    this.bind();
  }

  async fetchAndDraw(params, signal) {
    const query = {};
    if (params.since) query.since = params.since;
    if (params.until) query.until = params.until;
    const url = withParams(this.url, query);
    const body = await getJSON(url, { signal });
    if (signal.aborted) return;
    this.places = (body.places || []).filter((p) => p.reports > 0);
    this.max = Math.max(0, ...this.places.map((p) => p.reports));
    this.total = this.places.reduce((sum, p) => sum + p.reports, 0);
    this.layer.clearLayers();
    for (const place of this.places) {
      const circle = L.circleMarker([place.lat, place.lon], {
        pane: this.pane,
        radius: reportRadius(place.reports, this.max),
        color: REPORT_COLOR,
        weight: 1.5,
        fillColor: REPORT_COLOR,
        fillOpacity: 0.35,
      });
      circle.bindTooltip(() => {
        const box = document.createElement("div");
        box.append(textElement("strong", localized(place, "name")));
        const n = place.reports;
        const text = interpolate(
          ngettext("%(n)s phản ánh", "%(n)s phản ánh", n),
          { n: formatNumber(n) },
          true,
        );
        box.append(textElement("div", text));
        return box;
      });
      this.layer.addLayer(circle);
    }
    const el = this.map.getContainer();
    el.dataset.placeReportsDrawn = String(this.places.length);
    el.dataset.placeReportsTotal = String(this.total);
    el.dataset.placeReportsQuery = new URL(url, window.location.href).search;
  }

  clear() {
    this.layer.clearLayers();
    this.places = [];
    this.max = 0;
    this.total = 0;
  }

  legend() {
    const section = document.createElement("div");
    section.append(textElement("strong", gettext("Phản ánh của du khách theo địa điểm")));
    if (!this.places.length) {
      section.append(textElement("div", gettext("Không có phản ánh trong kỳ"), "pl-legend__note"));
      return section;
    }
    const rows = legendCounts(this.max).map((n) => {
      const row = document.createElement("li");
      row.className = "pl-legend__circle-row";
      const size = 2 * reportRadius(n, this.max);
      const circle = document.createElement("span");
      circle.className = "pl-legend__circle";
      circle.style.width = `${size}px`;
      circle.style.height = `${size}px`;
      circle.style.borderColor = REPORT_COLOR;
      row.append(circle, document.createTextNode(formatNumber(n)));
      return row;
    });
    section.append(rowsList(rows));
    const note = interpolate(
      gettext("%(n)s phản ánh tại %(places)s địa điểm trong kỳ"),
      { n: formatNumber(this.total), places: formatNumber(this.places.length) },
      true,
    );
    section.append(textElement("div", note, "pl-legend__note"));
    return section;
  }
}
