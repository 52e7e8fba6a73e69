// Thin fetch wrappers for the REST API. Every URL comes from the page config (Django reverse()).

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.detail) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

let csrfToken = "";

/** The API is stateless (no session auth) but a token costs nothing if that ever changes. */
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

/** Same-origin path of a pagination link: absolute links break behind TLS-terminating proxies. */
function sameOriginPath(link) {
  const url = new URL(link, window.location.href);
  return url.pathname + url.search;
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

/** Page size and page count that fetch at most `maxInView` reports (500 a page, as before). */
export function pagesFor(maxInView = 5000) {
  const cap = Math.max(1, Math.floor(Number(maxInView) || 5000));
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
    bbox: bbox.map((v) => v.toFixed(6)).join(","),
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

/** POSTs a report: multipart when photos are attached (the API reads `photos`), else JSON. */
export async function createReport(url, fields, photos = []) {
  const headers = { Accept: "application/json" };
  if (csrfToken) headers["X-CSRFToken"] = csrfToken;
  let body;
  if (photos.length) {
    body = new FormData();
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined && value !== null && value !== "") body.append(key, String(value));
    }
    for (const file of photos) body.append("photos", file, file.name);
  } else {
    headers["Content-Type"] = "application/json";
    const payload = Object.fromEntries(
      Object.entries(fields).filter(([, v]) => v !== undefined && v !== null && v !== ""),
    );
    body = JSON.stringify(payload);
  }
  const response = await fetch(url, { method: "POST", headers, body, credentials: "same-origin" });
  const data = await readBody(response);
  if (!response.ok) throw new ApiError(response.status, data);
  return { created: response.status === 201, feature: data };
}

/** Open reports of the category near the point: shown before sending (possible duplicates). */
export function fetchDuplicates(url, { lat, lon, category }, { signal } = {}) {
  return getJSON(withParams(url, { lat: lat.toFixed(6), lon: lon.toFixed(6), category }), { signal });
}
