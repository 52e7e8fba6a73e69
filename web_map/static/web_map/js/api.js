// The REST API as the pages use it: thin fetch wrappers, the view's box as the API takes it,
// and the reading of its error answers. Every URL comes from the page config (Django reverse()).

import { gettext } from "./l10n.js";

// --- The view's box as the API takes it ------------------------------------------------------

/** [west, south, east, north] clamped to valid degrees (a zoomed-out view overshoots). */
export function clampBbox([west, south, east, north]) {
  const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v));
  return [clamp(west, 180), clamp(south, 90), clamp(east, 180), clamp(north, 90)];
}

/** Whether the box `outer` holds the box `inner` (a shared edge counts as inside). */
export function bboxContains(outer, inner) {
  return outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];
}

/** The API's bbox parameter: "west,south,east,north" with `digits` decimals. */
export function formatBbox(bbox, digits) {
  return bbox.map((v) => v.toFixed(digits)).join(",");
}

// --- Requests ---------------------------------------------------------------------------------

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.detail || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

/**
 * The planner's notice for a layer whose data failed: the server's own words when it says why
 * (a parameter out of bounds, a rate limit with its wait, hotspots not precomputed for these
 * parameters), "not on this server" for a plain 404, else a generic failure.
 */
export function layerNotice(error) {
  if (error instanceof ApiError) {
    const explained = error.status === 400 || error.status === 429 || Boolean(error.body.precomputed);
    if (explained && error.body.detail) return { key: "notice.invalid", detail: error.message };
    if (error.status === 404) return { key: "notice.missing" };
  }
  return { key: "notice.failed" };
}

let csrfToken = "";

/** Django's CSRF token: signed-in citizens post with their session cookie, which the check guards. */
export function setCsrfToken(token) {
  csrfToken = token || "";
}

async function readBody(response) {
  const type = response.headers.get("Content-Type") || "";
  if (!type.includes("json")) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}

export async function getJSON(url, { signal } = {}) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, signal });
  const body = await readBody(response);
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/**
 * POSTs `payload` with the CSRF token (the staff pages' session API): a FormData goes as
 * multipart (an answer's photos), anything else as JSON. Resolves with the JSON answer.
 */
export async function postJSON(url, payload, { signal } = {}) {
  const multipart = payload instanceof FormData;
  const headers = { Accept: "application/json", "X-CSRFToken": csrfToken };
  if (!multipart) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers,
    body: multipart ? payload : JSON.stringify(payload),
    signal,
  });
  const body = await readBody(response);
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/** Same-origin path of a pagination link: absolute links break behind TLS-terminating proxies. */
function sameOriginPath(link) {
  const url = new URL(link, window.location.href);
  return url.pathname + url.search;
}

/**
 * A URL from a pattern of the page config ("/reports/{id}/"): each {name} with a value in
 * `params` becomes that value, percent-encoded; other placeholders ({z}/{x}/{y}) stay.
 */
export function fillUrl(pattern, params) {
  return pattern.replace(/\{(\w+)\}/g, (m, name) => (name in params ? encodeURIComponent(params[name]) : m));
}

export function withParams(base, params) {
  const url = new URL(base, window.location.href);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.pathname + url.search;
}

export function fetchWards(url, { signal } = {}) {
  return getJSON(url, { signal });
}

/** {ward} when inside or near a ward, {ward: null} when outside every ward (404). */
export async function lookupWard(url, { lat, lon }, { signal } = {}) {
  const query = withParams(url, { lat: lat.toFixed(6), lon: lon.toFixed(6) });
  try {
    return { ward: await getJSON(query, { signal }) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { ward: null };
    throw error;
  }
}

/** Page size and page count that fetch at most `maxInView` reports (500 a page at most). */
export function pagesFor(maxInView = 300) {
  const cap = Math.max(1, Math.floor(Number(maxInView) || 300));
  const pageSize = Math.min(500, cap);
  return { pageSize, maxPages: Math.ceil(cap / pageSize) };
}

/**
 * Reports inside `bbox` ([minLon, minLat, maxLon, maxLat]), following `next` for at most
 * `maxPages` pages so a dense view cannot make the browser download everything. With `stopEarly`,
 * a first page whose `count` exceeds what the pages could hold ends the load there: the caller
 * shows tiles instead, so the other pages would be downloaded for nothing.
 */
export async function fetchReports(
  url,
  bbox,
  { signal, pageSize = 500, maxPages = 10, stopEarly = false } = {},
) {
  let next = withParams(url, {
    bbox: formatBbox(bbox, 6),
    page_size: String(pageSize),
  });
  const features = [];
  let count = 0;
  for (let page = 0; next && page < maxPages; page += 1) {
    const body = await getJSON(next, { signal });
    features.push(...(body.features || []));
    count = typeof body.count === "number" ? body.count : features.length;
    next = body.next ? sameOriginPath(body.next) : null;
    if (stopEarly && next && count > pageSize * maxPages) break;
  }
  return { features, count, truncated: Boolean(next) };
}

/**
 * How many reports the view `bbox` holds ({count}), summed on the server from the
 * pre-aggregated cells (an upper bound, exact to a cell at the edges): the map asks this
 * before choosing markers or tiles, so a dense view never downloads its reports.
 * `filters` are the report list's (category, status, ward, since, until).
 */
export function fetchReportCount(url, bbox, filters = {}, { signal } = {}) {
  const params = { ...filters, bbox: formatBbox(bbox, 5) };
  return getJSON(withParams(url, params), { signal });
}

/** The request got no answer at all (offline, connection dropped): the report may be retried. */
export class NetworkError extends Error {
  constructor(message = "network") {
    super(message);
    this.name = "NetworkError";
  }
}

function presentFields(fields) {
  return Object.entries(fields).filter(([, v]) => v !== undefined && v !== null && v !== "");
}

function parseJSON(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * POSTs a report with XMLHttpRequest, which (unlike fetch) reports upload progress.
 * `files` is a list of {field: "photos"|"videos", blob, name}; with files the body is multipart,
 * otherwise JSON. `onProgress({loaded, total})` follows the bytes sent; `signal` aborts (the
 * promise then rejects with an AbortError). Resolves {created, feature}; rejects with ApiError
 * on an HTTP error and with NetworkError when no answer came.
 */
export function sendReport(url, fields, files = [], { onProgress, signal } = {}) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException("Aborted", "AbortError"));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json");
    if (csrfToken) xhr.setRequestHeader("X-CSRFToken", csrfToken);
    let body;
    if (files.length) {
      body = new FormData();
      for (const [key, value] of presentFields(fields)) body.append(key, String(value));
      for (const file of files) body.append(file.field, file.blob, file.name);
    } else {
      xhr.setRequestHeader("Content-Type", "application/json");
      body = JSON.stringify(Object.fromEntries(presentFields(fields)));
    }
    if (onProgress) {
      xhr.upload.addEventListener("progress", (e) => {
        onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : 0 });
      });
    }
    const onAbort = () => xhr.abort();
    if (signal) signal.addEventListener("abort", onAbort, { once: true });
    const settle = (fn, value) => {
      if (signal) signal.removeEventListener("abort", onAbort);
      fn(value);
    };
    xhr.addEventListener("load", () => {
      const type = xhr.getResponseHeader("Content-Type") || "";
      const data = type.includes("json") ? parseJSON(xhr.responseText) : null;
      if (xhr.status >= 200 && xhr.status < 300) {
        settle(resolve, { created: xhr.status === 201, feature: data });
      } else {
        settle(reject, new ApiError(xhr.status, data));
      }
    });
    xhr.addEventListener("error", () => settle(reject, new NetworkError()));
    xhr.addEventListener("timeout", () => settle(reject, new NetworkError("timeout")));
    xhr.addEventListener("abort", () => settle(reject, new DOMException("Aborted", "AbortError")));
    xhr.send(body);
  });
}

/** The former fetch-based call, kept for other callers: `photos` are Files sent as `photos`. */
export function createReport(url, fields, photos = []) {
  const files = [...photos].map((file) => ({ field: "photos", blob: file, name: file.name }));
  return sendReport(url, fields, files);
}

/** [{code, score}] for a description being typed (gis_core.api.suggest_views). */
export function suggestCategories(url, text, { signal } = {}) {
  return postJSON(url, { text }, { signal });
}

/** The most of a description the duplicates check reads (the endpoint refuses more). */
export const DUPLICATE_TEXT_MAX = 1000;

/**
 * Open reports of the category near the point, most alike first: shown before sending
 * (possible duplicates). `text`, the description typed so far, ranks similar ones higher.
 */
export function fetchDuplicates(url, query, { signal } = {}) {
  return getJSON(withParams(url, duplicatesParams(query)), { signal });
}

/** The duplicates check's query: the point to 6 decimals, and the text trimmed, at most
 * DUPLICATE_TEXT_MAX characters, left out when blank. */
export function duplicatesParams({ lat, lon, category, text = "" }) {
  const params = { lat: lat.toFixed(6), lon: lon.toFixed(6), category };
  const typed = [...text.trim()].slice(0, DUPLICATE_TEXT_MAX).join("");
  if (typed) params.text = typed;
  return params;
}

// --- Error answers ({detail, errors: {field: [message]}}) -------------------------------------
// Which line of the report form each message goes to, and which failures the outbox must not
// send again.

/**
 * {byField: {field: [message]}, general: [message]}: messages for the form's `fields` (an
 * API name may stand for one of them through `aliases`, lon -> location) and the others.
 * `detail` is shown only when the answer named no field at all.
 */
export function formErrors(errors, detail, { fields, aliases = {} }) {
  let general = [];
  const byField = {};
  for (const [name, messages] of Object.entries(errors || {})) {
    const list = Array.isArray(messages) ? messages.map(String) : [String(messages)];
    const field = aliases[name] || name;
    if (fields.includes(field)) byField[field] = (byField[field] || []).concat(list);
    else general = general.concat(list);
  }
  if (!general.length && detail && !Object.keys(errors || {}).length) general = [detail];
  return { byField, general };
}

/** A refusal is final (4xx); no answer, a timeout, rate limiting and server trouble are not. */
export function isRefusal(error) {
  const status = error && typeof error.status === "number" ? error.status : 0;
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * The server's words for a refusal (its messages are in the page's language): the fields'
 * own messages, which say what is wrong, before the summary `detail`, which names the fields
 * by their API names.
 */
export function refusalMessage(error) {
  const body = error?.body || {};
  const messages = [];
  for (const list of Object.values(body.errors || {})) {
    for (const message of Array.isArray(list) ? list : [list]) {
      if (typeof message === "string" && message && !messages.includes(message)) {
        messages.push(message);
      }
    }
  }
  if (messages.length) return messages.join(" ");
  if (typeof body.detail === "string" && body.detail) return body.detail;
  return gettext("Máy chủ không nhận phản ánh này.");
}
