// The tourism office's page (/can-bo/du-lich/): places on a map and in a list, one place's
// form (names, kind, hours, accessibility, position by dragging or tapping), its prices,
// photos and audit trail, and the box for files in and out. Every read and write goes through
// /api/v1/staff/places/... (URLs from the page config), which checks the role again.

import { ApiError, fillUrl, setCsrfToken, withParams } from "./api.js";
import { weekdayNames } from "./hours.js";
import {
  addRange,
  copyToAll,
  DAYS,
  hoursFrom,
  modelFrom,
  pastMidnight,
  rangeProblems,
  removeRange,
  setClosed,
  setMode,
  setTime,
} from "./hours_editor.js";
import { formatDateTime, gettext, interpolate, pageLocale } from "./l10n.js";
import { changedFields, changeLines, placeBody, priceBody } from "./place_form.js";
import { formatDay, formatVnd, isoDay } from "./prices.js";
import { KIND_COLORS } from "./place_style.js";

const DECIMALS = 6;

function readJSON(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

const config = readJSON("staff-config") || {};
const urls = config.api || {};
const locale = pageLocale();
setCsrfToken(config.csrfToken);
const $ = (id) => document.getElementById(id);

const state = {
  places: [],
  markers: new Map(),
  place: null, // the selected place as loaded (detail), or {} while adding
  adding: false,
  pin: null, // the marker being edited (dragged)
  hours: modelFrom({}),
};

// --- Requests -------------------------------------------------------------------------------

async function send(method, url, body) {
  const headers = { Accept: "application/json", "X-CSRFToken": config.csrfToken || "" };
  const multipart = body instanceof FormData;
  if (body !== undefined && !multipart) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers,
    body: body === undefined ? undefined : multipart ? body : JSON.stringify(body),
  });
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json().catch(() => null) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

function placeUrl(name, extra = {}) {
  return fillUrl(urls[name], { id: state.place?.id, ...extra });
}

// --- Errors ---------------------------------------------------------------------------------

function clearErrors(form) {
  for (const node of form.querySelectorAll(".st-form-error, .st-field-error")) {
    node.textContent = "";
    node.hidden = true;
  }
}

/** The API's messages beside their fields; the rest (and the detail) at the form's top. */
function showError(form, error) {
  const general = form.querySelector(".st-form-error");
  const body = error instanceof ApiError ? error.body : {};
  const unplaced = [];
  for (const [field, messages] of Object.entries(body?.errors || {})) {
    const text = [].concat(messages).join(" ");
    const slot = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
    if (slot) {
      slot.textContent = text;
      slot.hidden = false;
    } else unplaced.push(`${field}: ${text}`);
  }
  const detail = error instanceof ApiError ? body?.detail || error.message : gettext("Lỗi kết nối mạng.");
  general.textContent = [detail, ...unplaced].filter(Boolean).join(" ");
  general.hidden = false;
}

function pageError(error) {
  const node = $("places-error");
  node.textContent = error instanceof ApiError ? error.message : gettext("Lỗi kết nối mạng.");
  node.hidden = false;
}

// --- Map and list ---------------------------------------------------------------------------

const map = window.L.map("places-map", { scrollWheelZoom: false }).setView(config.center, config.zoom);
if (config.tiles?.url) {
  window.L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution }).addTo(map);
}

function markerIcon(place, selected) {
  const size = selected ? 22 : 16;
  const classes = ["pl-marker"];
  if (place.is_demo) classes.push("pl-marker--demo");
  if (place.stale) classes.push("pl-marker--stale");
  if (selected) classes.push("pl-marker--selected");
  return window.L.divIcon({
    className: "",
    html: `<span class="${classes.join(" ")}" style="display:block;width:${size}px;height:${size}px;background:${KIND_COLORS[place.kind] || "#555"}"></span>`,
    iconSize: [size, size],
    iconAnchor: [size / 2, size / 2],
  });
}

function staleText() {
  return interpolate(gettext("Giá chưa cập nhật quá %(days)s ngày"), { days: config.staleDays }, true);
}

function badge(text, kind) {
  const node = document.createElement("span");
  node.className = `pl-badge pl-badge--${kind}`;
  node.textContent = text;
  return node;
}

function drawPlaces() {
  for (const marker of state.markers.values()) marker.remove();
  state.markers.clear();
  const list = $("places-list");
  list.replaceChildren();
  for (const place of state.places) {
    const selected = place.id === state.place?.id;
    const marker = window.L.marker([place.lat, place.lon], {
      icon: markerIcon(place, selected),
      title: place.name,
      keyboard: false,
    });
    marker.on("click", () => select(place.id));
    marker.addTo(map);
    state.markers.set(place.id, marker);
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.place = place.id;
    button.setAttribute("aria-current", String(selected));
    button.append(place.name);
    if (place.is_demo) button.append(badge(gettext("mẫu"), "demo"));
    if (place.stale) button.append(badge(staleText(), "stale"));
    const meta = document.createElement("span");
    meta.className = "pl-list__meta";
    meta.textContent = [place.kind_label, place.address].filter(Boolean).join(" · ");
    button.append(meta);
    button.addEventListener("click", () => select(place.id));
    item.append(button);
    list.append(item);
  }
  if (!state.places.length) {
    const empty = document.createElement("li");
    empty.className = "st-empty";
    empty.textContent = gettext("Không có địa điểm nào.");
    list.append(empty);
  }
}

async function loadList() {
  const form = $("places-filters");
  const params = { q: form.elements.q.value.trim(), kind: form.elements.kind.value };
  try {
    const body = await send("GET", withParams(urls.list, params));
    state.places = body.places;
    $("places-count").textContent = `(${body.count})`;
    drawPlaces();
    if (state.place?.id) pinAt(state.place.lat, state.place.lon);
  } catch (error) {
    pageError(error);
  }
}

// --- The pin being edited -------------------------------------------------------------------

function setCoordinates(lat, lon) {
  const form = $("place-form");
  form.elements.lat.value = Number(lat).toFixed(DECIMALS);
  form.elements.lon.value = Number(lon).toFixed(DECIMALS);
}

function pinAt(lat, lon) {
  const existing = state.markers.get(state.place?.id);
  if (state.pin && state.pin !== existing) state.pin.remove();
  state.pin = existing || window.L.marker([lat, lon], { keyboard: false }).addTo(map);
  state.pin.setLatLng([lat, lon]);
  state.pin.dragging?.enable();
  state.pin.off("dragend");
  state.pin.on("dragend", () => {
    const { lat: y, lng: x } = state.pin.getLatLng();
    setCoordinates(y, x);
  });
  $("places-map").dataset.pinned = "true";
}

map.on("click", (event) => {
  const { lat, lng } = event.latlng.wrap();
  if (state.adding) {
    startNew(lat, lng);
    return;
  }
  if (state.place) {
    setCoordinates(lat, lng);
    pinAt(lat, lng);
  }
});

// --- The place's form -----------------------------------------------------------------------

function showForKind(kind) {
  for (const node of document.querySelectorAll("[data-for-kind]")) {
    node.hidden = node.dataset.forKind !== kind;
  }
}

function fillForm(place) {
  const form = $("place-form");
  clearErrors(form);
  for (const element of form.elements) {
    if (!element.name) continue;
    if (element.type === "checkbox") element.checked = Boolean(place[element.name]);
    else if (element.name in place || element.tagName !== "BUTTON") {
      const value = place[element.name];
      element.value = value === null || value === undefined ? "" : String(value);
    }
  }
  if (!place.kind) form.elements.kind.value = "attraction";
  if (place.lat !== undefined) setCoordinates(place.lat, place.lon);
  showForKind(form.elements.kind.value);
  state.hours = modelFrom(place.hours);
  drawHours();
  $("place-saved").hidden = true;
  $("place-delete-confirm").hidden = true;
}

function formValues() {
  const form = $("place-form");
  const values = Object.fromEntries(new FormData(form).entries());
  values.is_demo = form.elements.is_demo.checked;
  return values;
}

function flags(place) {
  const node = $("place-flags");
  node.replaceChildren();
  if (!place.id) return;
  const parts = [place.kind_label, place.ward, place.source === "office" ? "" : place.source];
  node.append(parts.filter(Boolean).join(" · "));
  if (place.is_demo) node.append(" ", badge(gettext("Địa điểm mẫu (demo)"), "demo"));
  if (place.stale) node.append(" ", badge(staleText(), "stale"));
}

function openEditor(title) {
  $("place-editor").hidden = false;
  $("place-editor-title").textContent = title;
  if (window.matchMedia("(max-width: 959px)").matches) {
    $("place-editor").scrollIntoView({ block: "start" });
  }
}

function startNew(lat, lon) {
  state.adding = false;
  $("places-map").classList.remove("pl-map--adding");
  $("place-add-hint").hidden = true;
  state.place = {};
  drawPlaces();
  fillForm({ kind: $("places-filters").elements.kind.value || "attraction", hours: {} });
  setCoordinates(lat, lon);
  pinAt(lat, lon);
  flags({});
  $("place-delete").hidden = true;
  $("place-extras").hidden = true;
  openEditor(gettext("Địa điểm mới"));
  $("place-form").elements.name.focus({ preventScroll: true });
}

async function select(id) {
  try {
    state.adding = false;
    const place = await send("GET", fillUrl(urls.place, { id }));
    show(place);
  } catch (error) {
    pageError(error);
  }
}

function show(place) {
  if (state.pin && !state.markers.has(state.place?.id)) state.pin.remove();
  state.pin = null;
  state.place = place;
  drawPlaces();
  fillForm(place);
  flags(place);
  pinAt(place.lat, place.lon);
  $("place-delete").hidden = false;
  $("place-extras").hidden = false;
  drawPrices(place);
  drawPhotos(place);
  drawHistory(place);
  openEditor(place.name);
  $("place-editor").dataset.placeId = place.id;
}

function closeEditor() {
  if (state.pin && !state.markers.has(state.place?.id)) state.pin.remove();
  state.pin = null;
  state.place = null;
  $("place-editor").hidden = true;
  delete $("place-editor").dataset.placeId;
  drawPlaces();
}

async function save(event) {
  event.preventDefault();
  const form = $("place-form");
  clearErrors(form);
  if (rangeProblems(state.hours).length) {
    const slot = form.querySelector('[data-error-for="hours"]');
    slot.textContent = gettext("Giờ mở cửa: mỗi khoảng cần giờ mở và giờ đóng khác nhau (HH:MM).");
    slot.hidden = false;
    return;
  }
  const body = placeBody(formValues(), hoursFrom(state.hours));
  const button = $("place-save");
  button.disabled = true;
  try {
    let place;
    if (state.place?.id) {
      const changed = changedFields(state.place, body);
      place = Object.keys(changed).length
        ? await send("PATCH", fillUrl(urls.place, { id: state.place.id }), changed)
        : state.place;
    } else {
      place = await send("POST", urls.list, body);
    }
    show(place);
    await loadList();
    const saved = $("place-saved");
    saved.textContent = gettext("Đã lưu.");
    saved.hidden = false;
  } catch (error) {
    showError(form, error);
  } finally {
    button.disabled = false;
  }
}

async function remove() {
  try {
    await send("DELETE", fillUrl(urls.place, { id: state.place.id }));
    closeEditor();
    await loadList();
  } catch (error) {
    showError($("place-form"), error);
  }
}

// --- Opening hours --------------------------------------------------------------------------

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, "");
    else if (value !== false && value !== undefined) node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

function changeHours(model) {
  state.hours = model;
  drawHours();
}

function modeChoice(mode, label) {
  return element("label", {}, [
    element("input", {
      type: "radio",
      name: "hours_mode",
      value: mode,
      checked: state.hours.mode === mode,
      onchange: () => changeHours(setMode(state.hours, mode)),
    }),
    label,
  ]);
}

function dayRow(day, name) {
  const ranges = state.hours.days[day];
  const closed = ranges.length === 0;
  const rows = ranges.map((range, index) =>
    element("div", { class: "pl-hours__range" }, [
      element("input", {
        type: "time",
        value: range[0],
        "aria-label": interpolate(gettext("%(day)s: giờ mở"), { day: name }, true),
        "data-hours": `${day}-${index}-open`,
        onchange: (event) => changeHours(setTime(state.hours, day, index, 0, event.target.value)),
      }),
      "–",
      element("input", {
        type: "time",
        value: range[1],
        "aria-label": interpolate(gettext("%(day)s: giờ đóng"), { day: name }, true),
        "data-hours": `${day}-${index}-close`,
        onchange: (event) => changeHours(setTime(state.hours, day, index, 1, event.target.value)),
      }),
      pastMidnight(range) ? element("span", { class: "st-muted", text: gettext("qua nửa đêm") }) : "",
      element("button", {
        type: "button",
        class: "st-button",
        text: "×",
        "aria-label": gettext("Bỏ khoảng giờ này"),
        onclick: () => changeHours(removeRange(state.hours, day, index)),
      }),
    ]),
  );
  const tools = element("div", { class: "pl-hours__tools" }, [
    element("label", {}, [
      element("input", {
        type: "checkbox",
        checked: closed,
        "data-hours": `${day}-closed`,
        onchange: (event) => changeHours(setClosed(state.hours, day, event.target.checked)),
      }),
      gettext("Đóng cửa"),
    ]),
    element("button", {
      type: "button",
      class: "st-button",
      text: gettext("Thêm khoảng giờ"),
      onclick: () => changeHours(addRange(state.hours, day)),
    }),
    day === "mon"
      ? element("button", {
          type: "button",
          class: "st-button",
          text: gettext("Áp dụng cho cả tuần"),
          "data-hours": "copy-all",
          onclick: () => changeHours(copyToAll(state.hours, "mon")),
        })
      : "",
  ]);
  return element("div", { class: "pl-hours__day" }, [
    element("span", { class: "pl-hours__name", text: name }),
    element("div", { class: "pl-hours__ranges" }, [...rows, tools]),
  ]);
}

function drawHours() {
  const names = weekdayNames(locale);
  const node = $("hours-editor");
  const parts = [
    element("div", { class: "pl-hours__mode" }, [
      modeChoice("unknown", gettext("Chưa rõ")),
      modeChoice("weekly", gettext("Theo ngày trong tuần")),
      modeChoice("always", gettext("Mở cả ngày, mọi ngày (24/7)")),
    ]),
  ];
  if (state.hours.mode === "weekly") parts.push(...DAYS.map((day, i) => dayRow(day, names[i] || day)));
  node.replaceChildren(element("div", { class: "pl-hours" }, parts));
}

// --- Prices, photos, history ----------------------------------------------------------------

function priceLabel(price) {
  const unit = price.unit ? ` / ${price.unit}` : "";
  const others = [price.item_en, price.item_zh].filter(Boolean).join(" · ");
  return [price.item + unit, others];
}

function drawPrices(place) {
  const body = $("prices-table").querySelector("tbody");
  body.replaceChildren();
  $("prices-updated").textContent = place.prices_updated_at
    ? interpolate(
        gettext("Cập nhật lần cuối: %(date)s"),
        { date: formatDateTime(place.prices_updated_at, locale) },
        true,
      ) + (place.stale ? ` · ${staleText()}` : "")
    : gettext("Chưa có giá nào.");
  const today = isoDay();
  for (const price of place.prices) {
    const [label, others] = priceLabel(price);
    const period = `${formatDay(price.valid_from, locale)} – ${price.valid_to ? formatDay(price.valid_to, locale) : gettext("nay")}`;
    const action = element("td");
    if (!price.valid_to || price.valid_to > today) {
      const close = element("form", { class: "pl-close", "data-price": String(price.id) }, [
        element("input", {
          type: "date",
          name: "valid_to",
          value: [price.valid_from, today].sort().at(-1), // ISO days: the later one
          "aria-label": gettext("Ngày cuối áp dụng"),
        }),
        element("button", { type: "submit", class: "st-button", text: gettext("Kết thúc giá") }),
        element("p", { class: "st-form-error", role: "alert", hidden: true }),
      ]);
      close.addEventListener("submit", (event) => closePrice(event, price));
      action.append(close);
    }
    const row = element(
      "tr",
      { class: price.current ? "pl-price--current" : "pl-price--past", "data-price-row": String(price.id) },
      [
        element("td", {}, [label, others ? element("span", { class: "pl-list__meta", text: others }) : ""]),
        element("td", {
          text: formatVnd(price.price_vnd, locale) + (price.ocop_stars ? ` · OCOP ${price.ocop_stars}★` : ""),
        }),
        element("td", {}, [
          period,
          price.current
            ? element("span", { class: "pl-badge pl-badge--current", text: gettext("đang áp dụng") })
            : "",
        ]),
        action,
      ],
    );
    body.append(row);
  }
  const form = $("price-form");
  if (!form.elements.valid_from.value) form.elements.valid_from.value = today;
}

async function closePrice(event, price) {
  event.preventDefault();
  const form = event.currentTarget;
  clearErrors(form);
  try {
    const url = placeUrl("priceClose", { n: price.id });
    show(await send("POST", url, { valid_to: form.elements.valid_to.value || null }));
  } catch (error) {
    showError(form, error);
  }
}

async function addPrice(event) {
  event.preventDefault();
  const form = $("price-form");
  clearErrors(form);
  const values = Object.fromEntries(new FormData(form).entries());
  try {
    show(await send("POST", placeUrl("prices"), priceBody(values, state.place.kind)));
    form.reset();
    form.elements.valid_from.value = isoDay();
    await loadList();
  } catch (error) {
    showError(form, error);
  }
}

function drawPhotos(place) {
  const list = $("photos-list");
  list.replaceChildren();
  for (const photo of place.photos) {
    list.append(
      element("li", {}, [
        element("img", { src: photo.url, alt: place.name, loading: "lazy" }),
        element("span", { text: photo.credit }),
        element("button", {
          type: "button",
          class: "st-button st-button--danger",
          text: gettext("Gỡ ảnh"),
          onclick: () => removePhoto(photo),
        }),
      ]),
    );
  }
  if (!place.photos.length) list.append(element("li", { class: "st-empty", text: gettext("Chưa có ảnh.") }));
}

async function addPhoto(event) {
  event.preventDefault();
  const form = $("photo-form");
  clearErrors(form);
  try {
    show(await send("POST", placeUrl("photos"), new FormData(form)));
    form.reset();
  } catch (error) {
    showError(form, error);
  }
}

async function removePhoto(photo) {
  try {
    show(await send("DELETE", placeUrl("photo", { n: photo.id })));
  } catch (error) {
    pageError(error);
  }
}

function drawHistory(place) {
  const list = $("place-history");
  list.replaceChildren();
  for (const change of place.changes) {
    const lines = changeLines(change).map((line) => element("li", { text: line }));
    list.append(
      element("li", { class: "st-history__item", "data-action": change.action }, [
        element("time", { datetime: change.at, text: formatDateTime(change.at, locale) }),
        element("strong", { text: change.action_label }),
        ` · ${change.user || gettext("hệ thống")}`,
        lines.length ? element("ul", { class: "pl-history-diff" }, lines) : "",
      ]),
    );
  }
}

// --- Import and export ----------------------------------------------------------------------

function exportLinks() {
  const demo = $("export-demo").checked;
  for (const link of document.querySelectorAll("[data-export]")) {
    const url = urls[link.dataset.export];
    link.href = demo ? withParams(url, { demo: "1" }) : url;
  }
}

async function importFiles(event) {
  event.preventDefault();
  const form = $("import-form");
  const result = $("import-result");
  const data = new FormData(form);
  for (const [name, value] of [...data.entries()]) {
    if (value instanceof File && !value.name) data.delete(name);
  }
  data.set("dry_run", event.submitter?.value === "0" ? "0" : "1");
  result.replaceChildren(element("p", { class: "st-muted", text: gettext("Đang kiểm tra…") }));
  for (const button of form.querySelectorAll("button")) button.disabled = true;
  try {
    const body = await send("POST", urls.import, data);
    const parts = [element("p", { class: "pl-ok", text: body.summary })];
    for (const warning of body.warnings || []) parts.push(element("p", { class: "st-muted", text: warning }));
    result.replaceChildren(...parts);
    result.dataset.outcome = body.dry_run ? "checked" : "imported";
    if (!body.dry_run) await loadList();
  } catch (error) {
    const body = error instanceof ApiError ? error.body : {};
    const parts = [element("p", { class: "st-form-error", text: body?.detail || error.message })];
    if (body?.problems?.length) {
      parts.push(
        element(
          "ul",
          { class: "pl-problems" },
          body.problems.map((line) => element("li", { text: line })),
        ),
      );
    }
    for (const [field, messages] of Object.entries(body?.errors || {})) {
      parts.push(
        element("p", { class: "st-form-error", text: `${field}: ${[].concat(messages).join(" ")}` }),
      );
    }
    result.replaceChildren(...parts);
    result.dataset.outcome = "refused";
  } finally {
    for (const button of form.querySelectorAll("button")) button.disabled = false;
  }
}

// --- Wiring ---------------------------------------------------------------------------------

let searchTimer = 0;
$("places-filters").addEventListener("submit", (event) => {
  event.preventDefault();
  loadList();
});
$("places-filters").elements.q.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(loadList, 250);
});
$("places-filters").elements.kind.addEventListener("change", loadList);
$("place-add").addEventListener("click", () => {
  state.adding = true;
  $("place-add-hint").hidden = false;
  $("places-map").classList.add("pl-map--adding");
  $("places-map").scrollIntoView({ block: "center" });
});
$("place-add-cancel").addEventListener("click", () => {
  state.adding = false;
  $("place-add-hint").hidden = true;
  $("places-map").classList.remove("pl-map--adding");
});
$("place-form").addEventListener("submit", save);
$("place-form").elements.kind.addEventListener("change", (event) => showForKind(event.target.value));
for (const name of ["lat", "lon"]) {
  $("place-form").elements[name].addEventListener("change", () => {
    const form = $("place-form");
    const lat = Number(form.elements.lat.value);
    const lon = Number(form.elements.lon.value);
    if (Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180)
      pinAt(lat, lon);
  });
}
$("verified-today").addEventListener("click", () => {
  $("place-form").elements.verified_at.value = isoDay();
});
$("place-close").addEventListener("click", closeEditor);
$("place-delete").addEventListener("click", () => {
  $("place-delete-confirm").hidden = false;
});
$("place-delete-no").addEventListener("click", () => {
  $("place-delete-confirm").hidden = true;
});
$("place-delete-yes").addEventListener("click", remove);
$("price-form").addEventListener("submit", addPrice);
$("photo-form").addEventListener("submit", addPhoto);
$("import-form").addEventListener("submit", importFiles);
$("export-demo").addEventListener("change", exportLinks);
exportLinks();
drawHours();
loadList().then(() => {
  document.body.dataset.placesReady = "true";
});
