// The details of a place (a bottom sheet on phones), loaded on the first tap: what the list
// feature already says at once, then the whole place from /api/v1/places/<id>/ (notes
// PLACES.md): photos with their credit, description, address, hours with today marked and
// "open now", the listed prices, phone (tel:), website, directions (geo:), accessibility, the
// office's verification, and "report a problem here" at the place's point. A free Wi-Fi site
// (not a place) shows what its feature carries. Text only through textContent.

import { fillUrl, getJSON, withParams } from "./api.js";
import { formatDistance } from "./distance.js";
import { hoursKnown, hoursRows, isOpen } from "./hours.js";
import { formatNumber, gettext, interpolate, localized, ngettext, pageLanguage, pageLocale } from "./l10n.js";
import { safeUrl } from "./notices.js";
import { formatDay, isoDay, priceRows, updatedText } from "./prices.js";

let current = null; // the feature shown, so a late answer for another place is dropped
let closer = null;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function row(dl, label, value) {
  if (!value) return;
  const dd = el("dd");
  if (value instanceof Node) dd.append(value);
  else dd.textContent = value;
  dl.append(el("dt", null, label), dd);
}

function stars(count, label) {
  const n = Number(count);
  if (!Number.isInteger(n) || n < 1 || n > 5) return null;
  const span = el("span", "tr-stars", "★".repeat(n) + "☆".repeat(5 - n));
  const text = interpolate(label, { n }, true);
  span.setAttribute("role", "img");
  span.setAttribute("aria-label", text);
  span.title = text;
  return span;
}

/** Digits and a leading + only: what a `tel:` link may dial. */
export function telHref(phone) {
  const digits = String(phone || "").replace(/[^\d+]/g, "");
  return /^\+?\d{3,15}$/.test(digits) ? `tel:${digits}` : null;
}

/** geo:lat,lon?q=lat,lon(name): the phone's maps app, with the place named. */
export function geoHref(lat, lon, name) {
  const at = `${lat.toFixed(6)},${lon.toFixed(6)}`;
  return `geo:${at}?q=${at}(${encodeURIComponent(name || "")})`;
}

function link(href, text, { external = false } = {}) {
  const a = el("a", null, text);
  a.href = href;
  if (external) {
    a.rel = "noopener noreferrer";
    a.target = "_blank";
  }
  return a;
}

function photos(p, name) {
  const list = p.photos?.length ? p.photos : p.photo ? [{ thumbnail: p.photo, credit: "" }] : [];
  const wrap = el("div", "tr-photos");
  for (const [i, photo] of list.entries()) {
    const src = safeUrl(photo.thumbnail || photo.url);
    if (!src) continue;
    const figure = el("figure", "tr-photo");
    const img = el("img");
    img.src = src;
    img.alt = interpolate(gettext("Ảnh %(name)s"), { name }, true) + (list.length > 1 ? ` (${i + 1})` : "");
    img.loading = "lazy";
    img.decoding = "async";
    img.addEventListener("error", () => figure.remove()); // a missing file leaves no broken icon
    figure.append(img);
    if (photo.credit)
      figure.append(
        el("figcaption", null, interpolate(gettext("Ảnh: %(credit)s"), { credit: photo.credit }, true)),
      );
    wrap.append(figure);
  }
  return wrap.childElementCount ? wrap : null;
}

function openBadge(open) {
  if (open === null || open === undefined) return null;
  const badge = el("span", open ? "tr-open tr-open--yes" : "tr-open tr-open--no");
  badge.textContent = open ? gettext("Đang mở cửa") : gettext("Đã đóng cửa");
  return badge;
}

function hoursSection(p, config) {
  const locale = pageLocale();
  const rows = hoursRows(p.hours, { locale, timeZone: config.timeZone });
  const section = el("section", "tr-section");
  section.append(el("h3", null, gettext("Giờ mở cửa")));
  if (!rows.length) {
    if (!p.opening_hours) return null;
    section.append(el("p", null, p.opening_hours)); // OSM's free text, as OpenStreetMap gives it
    return section;
  }
  const table = el("table", "tr-hours");
  const body = el("tbody");
  for (const r of rows) {
    const tr = el("tr", r.today ? "tr-today" : null);
    if (r.today) tr.setAttribute("aria-current", "date");
    const th = el("th", null, r.label);
    th.scope = "row";
    tr.append(th, el("td", null, r.text));
    body.append(tr);
  }
  table.append(body);
  section.append(table);
  return section;
}

function pricesSection(p, config) {
  const prices = p.prices;
  const rows = priceRows(prices?.items, {
    language: pageLanguage(),
    locale: pageLocale(),
    day: isoDay(new Date(), config.timeZone),
  });
  if (!rows.length) return null;
  const section = el("section", "tr-section");
  section.append(el("h3", null, gettext("Bảng giá")));
  const updated = updatedText(prices.updated_at, pageLocale());
  if (updated) section.append(el("p", "tr-prices-updated", updated));
  const table = el("table", "tr-prices");
  const head = el("thead");
  const hr = el("tr");
  for (const label of [gettext("Dịch vụ"), gettext("Đơn vị"), gettext("Giá")]) {
    const th = el("th", null, label);
    th.scope = "col";
    hr.append(th);
  }
  head.append(hr);
  const body = el("tbody");
  for (const r of rows) {
    const tr = el("tr");
    const item = el("td", null, r.item);
    const ocop = stars(r.ocopStars, gettext("OCOP %(n)s sao"));
    if (ocop) item.append(" ", ocop);
    tr.append(item, el("td", null, r.unit), el("td", "tr-amount", r.price));
    body.append(tr);
  }
  table.append(head, body);
  section.append(table);
  if (prices.stale) section.append(el("p", "tr-note", gettext("Bảng giá này đã lâu chưa được cập nhật.")));
  return section;
}

/** "2 phản ánh đang xử lý": the place's open reports, a count only; "" for none. */
export function openReportsText(count) {
  const n = Number(count);
  if (!Number.isInteger(n) || n < 1) return "";
  return interpolate(
    ngettext("%(n)s phản ánh đang xử lý", "%(n)s phản ánh đang xử lý", n),
    { n: formatNumber(n, pageLocale()) },
    true,
  );
}

/** The panel's content for a feature (`full`: the detail answer has come). */
function render(panel, feature, { config, wifi, distance, full, failed }) {
  const p = feature.properties;
  const [lon, lat] = feature.geometry.coordinates;
  const name = localized(p, "name") || p.ssid || "";
  const close = el("button", "tr-close", "×");
  close.type = "button";
  close.setAttribute("aria-label", gettext("Đóng"));
  close.addEventListener("click", () => hidePlace(panel));
  const title = el("h2", null, name);
  title.id = "tr-details-title";
  title.tabIndex = -1;

  const meta = el("p", "tr-meta");
  const kind = localized(p, "kind_name");
  if (kind) meta.append(el("span", "tr-kind", kind));
  const hotel = stars(p.star_rating, gettext("%(n)s/5 sao"));
  if (hotel) meta.append(hotel);
  const open = full && hoursKnown(p.hours) ? isOpen(p.hours, new Date(), config.timeZone) : p.open_now;
  const badge = openBadge(open);
  if (badge) meta.append(badge);

  const dl = el("dl");
  row(dl, gettext("Địa chỉ"), p.address);
  row(dl, gettext("Cách"), formatDistance(distance, pageLocale()));
  const tel = telHref(p.phone);
  row(dl, gettext("Điện thoại"), tel ? link(tel, p.phone) : p.phone);
  if (p.website && /^https?:\/\//i.test(p.website) && safeUrl(p.website)) {
    row(
      dl,
      gettext("Trang web"),
      link(safeUrl(p.website), p.website.replace(/^https?:\/\//i, ""), { external: true }),
    );
  }
  if (!wifi)
    row(dl, gettext("Chỉ đường"), link(geoHref(lat, lon, name), gettext("Mở trong ứng dụng bản đồ")));
  row(dl, gettext("OCOP"), stars(p.ocop_stars, gettext("%(n)s/5 sao")));
  row(dl, gettext("Tiếp cận"), localized(p, "accessibility"));
  row(dl, gettext("Tên Wi-Fi"), p.ssid);
  row(dl, gettext("Ghi chú"), localized(p, "notes"));

  const parts = [close, title];
  if (meta.childElementCount) parts.push(meta);
  parts.push(photos(p, name));
  const description = localized(p, "description");
  if (description) parts.push(el("p", "tr-description", description));
  parts.push(dl);
  if (full) parts.push(hoursSection(p, config), pricesSection(p, config));
  else if (!wifi && !failed) parts.push(el("p", "tr-note", gettext("Đang tải thông tin…")));
  if (failed) parts.push(el("p", "tr-note", gettext("Không tải được thông tin chi tiết; hãy thử lại sau.")));
  if (full && p.verified_at) {
    const office = localized(p.verified_by, "name");
    const date = formatDay(p.verified_at, pageLocale());
    const text = office
      ? interpolate(gettext("Xác minh ngày %(date)s bởi %(office)s"), { date, office }, true)
      : interpolate(gettext("Xác minh ngày %(date)s"), { date }, true);
    parts.push(el("p", "tr-verified", text));
  }
  const openReports = openReportsText(p.open_reports);
  if (!wifi && openReports) parts.push(el("p", "tr-open-reports", openReports));
  // A place's report form is opened for the place (linked to it, its tourism categories
  // first, its listed prices for an overcharging report); a Wi-Fi site's at its point.
  const place = !wifi && p.id ? String(p.id) : null;
  const report = link(
    withParams(config.urls.reportMap, place ? { place } : { lat: lat.toFixed(6), lon: lon.toFixed(6) }),
    gettext("Báo sự cố tại đây"),
  );
  report.className = "tr-report";
  if (place) report.dataset.placeId = place;
  parts.push(report);
  const hadFocus = panel.contains(document.activeElement);
  panel.replaceChildren(...parts.filter(Boolean));
  if (hadFocus) title.focus({ preventScroll: true }); // the answer replaced the focused title
}

export function hidePlace(panel) {
  panel.hidden = true;
  panel.replaceChildren();
  document.body.classList.remove("tr-details-open");
  current = null;
  if (closer) document.removeEventListener("keydown", closer);
  closer = null;
}

/**
 * Shows `feature` in `panel` at once from what the list carries, then (a place with an id) the
 * whole place from the detail API. `opener` gets the focus back when the panel closes.
 */
export async function showPlace(feature, { panel, config, wifi = false, distance = null, opener = null }) {
  current = feature;
  const options = { config, wifi, distance, full: false, failed: false };
  render(panel, feature, options);
  panel.hidden = false;
  document.body.classList.add("tr-details-open");
  panel.querySelector("h2").focus({ preventScroll: true });
  if (closer) document.removeEventListener("keydown", closer);
  closer = (event) => {
    if (event.key !== "Escape") return;
    hidePlace(panel);
    opener?.focus?.();
  };
  document.addEventListener("keydown", closer);
  const id = feature.properties.id ?? feature.id;
  if (wifi || id === undefined || id === null) {
    panel.dataset.state = "ready";
    return;
  }
  panel.dataset.state = "loading";
  try {
    const full = await getJSON(fillUrl(config.urls.placeDetail, { id }));
    if (current !== feature) return;
    render(panel, { ...full, geometry: full.geometry || feature.geometry }, { ...options, full: true });
    panel.dataset.state = "ready";
  } catch (error) {
    if (current !== feature) return;
    console.warn("place", error);
    render(panel, feature, { ...options, failed: true });
    panel.dataset.state = "failed";
  }
}
