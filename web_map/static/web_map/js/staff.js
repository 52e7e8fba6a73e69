// Staff pages: the queue's small map, and the action forms, which post to the staff JSON API.
// Every URL comes from the page (data-api attributes and json_script); nothing is hard-coded.

import { ApiError, postJSON, setCsrfToken } from "./api.js";
import { gettext } from "./l10n.js";
import { startRedaction } from "./redaction.js";
import { STATUS_COLORS } from "./statuses.js";

function readJSON(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

const config = readJSON("staff-config") || {};
setCsrfToken(config.csrfToken);

function clearErrors(form) {
  for (const node of form.querySelectorAll(".st-form-error, .st-field-error")) {
    node.textContent = "";
    node.hidden = true;
  }
}

/** The API's message (409/403 detail, 400 field errors) next to the form or the field. */
function showError(form, error) {
  const general = form.querySelector(".st-form-error");
  const body = error instanceof ApiError ? error.body : {};
  const errors = body?.errors || {};
  const unplaced = [];
  for (const [field, messages] of Object.entries(errors)) {
    const text = [].concat(messages).join(" ");
    const slot = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
    if (slot) {
      slot.textContent = text;
      slot.hidden = false;
    } else {
      unplaced.push(`${field}: ${text}`);
    }
  }
  const detail = error instanceof ApiError ? body.detail || error.message : gettext("Lỗi kết nối mạng.");
  general.textContent = [detail, ...unplaced].filter(Boolean).join(" ");
  general.hidden = false;
}

function payloadOf(form, submitter) {
  const files = form.querySelector("input[type=file]");
  if (files?.files.length) {
    const data = new FormData(form);
    if (submitter?.name) data.set(submitter.name, submitter.value);
    if (form.dataset.fromStatus) data.set("from_status", form.dataset.fromStatus);
    return data;
  }
  const data = Object.fromEntries(new FormData(form).entries());
  delete data.photos;
  if (submitter?.name) data[submitter.name] = submitter.value;
  if (form.dataset.fromStatus) data.from_status = form.dataset.fromStatus;
  return data;
}

function bindForm(form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const buttons = form.querySelectorAll("button");
    for (const b of buttons) b.disabled = true;
    try {
      await postJSON(form.dataset.api, payloadOf(form, event.submitter));
      window.location.reload();
    } catch (error) {
      showError(form, error);
      for (const b of buttons) b.disabled = false;
    }
  });
}

/** The basemap, and the page's notice (next to the map) shown when its tiles fail. */
function addTiles(map, node) {
  if (!config.tiles?.url) return;
  const tiles = window.L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution });
  const notice = node.parentElement.querySelector("[data-tiles-notice]");
  tiles.on("tileerror", () => {
    if (notice) notice.hidden = false;
  });
  tiles.addTo(map);
}

/** Ward outlines (simplified on the server) under the points; their names as text. */
function addWards(map, features) {
  if (!features?.length) return null;
  const layer = window.L.geoJSON(
    { type: "FeatureCollection", features },
    {
      interactive: false,
      style: { color: "#b2182b", weight: 2, opacity: 0.8, fillOpacity: 0.05 },
    },
  );
  return layer.addTo(map);
}

function drawMap(node, points, wards) {
  if (!window.L) return;
  const map = window.L.map(node, { scrollWheelZoom: false }).setView(config.center, config.zoom);
  addTiles(map, node);
  const outlines = addWards(map, wards);
  const markers = points.map((p) => {
    // Urgent reports ("Khẩn"): larger, ringed in the urgent badge's colour, drawn on top.
    const marker = window.L.circleMarker([p.lat, p.lon], {
      radius: p.urgent ? 10 : 7,
      color: p.urgent ? "#8e0152" : "#fff",
      weight: p.urgent ? 4 : 2,
      fillColor: STATUS_COLORS[p.status] || "#333",
      fillOpacity: 0.9,
    });
    const link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.label; // text, never HTML
    marker.bindPopup(link);
    marker.addTo(map);
    if (p.urgent) marker.bringToFront();
    return marker;
  });
  if (markers.length) {
    // The points, and the whole outline of each ward they are in.
    const bounds = window.L.featureGroup(markers).getBounds();
    const view = window.L.latLngBounds(bounds.getSouthWest(), bounds.getNorthEast());
    outlines?.eachLayer((ward) => {
      if (ward.getBounds().intersects(bounds)) view.extend(ward.getBounds());
    });
    map.fitBounds(view, { maxZoom: 16, padding: [20, 20], animate: false });
  } else if (outlines) {
    map.fitBounds(outlines.getBounds(), { padding: [10, 10], animate: false });
  }
}

/** One report's point inside its ward's outline. */
function drawReportMap(node, point, wards) {
  if (!window.L || !point) return;
  const map = window.L.map(node, { scrollWheelZoom: false }).setView([point.lat, point.lon], 16);
  addTiles(map, node);
  // The whole ward in view, so its outline shows where in the ward the point is.
  const outline = addWards(map, wards);
  if (outline) map.fitBounds(outline.getBounds(), { padding: [8, 8], maxZoom: 16, animate: false });
  window.L.circleMarker([point.lat, point.lon], {
    radius: 8,
    color: "#fff",
    weight: 2,
    fillColor: "#b2182b",
    fillOpacity: 0.95,
  }).addTo(map);
}

/** Picking an answer template fills its textarea at once (the GET button is the fallback). */
function bindTemplatePick(pick) {
  const select = pick.querySelector("select");
  const target = document.querySelector(pick.dataset.fills);
  if (!select || !target) return;
  const apply = pick.querySelector("[data-template-apply]");
  if (apply) apply.remove(); // the script fills the answer at once
  select.addEventListener("change", () => {
    const option = select.selectedOptions[0];
    if (option?.dataset.text !== undefined && option.value) {
      target.value = option.dataset.text;
      target.focus();
    }
  });
}

for (const form of document.querySelectorAll("form[data-api]")) bindForm(form);
for (const pick of document.querySelectorAll(".st-template-pick")) bindTemplatePick(pick);
const mapNode = document.getElementById("staff-map");
if (mapNode) drawMap(mapNode, readJSON("staff-points") || [], readJSON("staff-wards"));
const reportMapNode = document.getElementById("report-map");
if (reportMapNode) drawReportMap(reportMapNode, readJSON("report-point"), readJSON("report-ward"));
startRedaction();
document.body.dataset.staffReady = "true";
