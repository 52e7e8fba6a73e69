// Staff pages: the queue's small map, and the action forms, which post to the staff JSON API.
// Every URL comes from the page (data-api attributes and json_script); nothing is hard-coded.

import { ApiError, postJSON, setCsrfToken } from "./api.js";
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
  const detail = error instanceof ApiError ? body.detail || error.message : "Lỗi kết nối mạng.";
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

function drawMap(node, points) {
  if (!window.L) return;
  const map = window.L.map(node, { scrollWheelZoom: false }).setView(config.center, config.zoom);
  if (config.tiles?.url) {
    window.L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution }).addTo(map);
  }
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
    map.fitBounds(window.L.featureGroup(markers).getBounds(), { maxZoom: 16, padding: [20, 20] });
  }
}

for (const form of document.querySelectorAll("form[data-api]")) bindForm(form);
const mapNode = document.getElementById("staff-map");
if (mapNode) drawMap(mapNode, readJSON("staff-points") || []);
document.body.dataset.staffReady = "true";
