// A place's listed prices (the places API's `prices`, see notes PLACES.md) as the visitor reads
// them: amounts in VND in the page's locale ("350.000 ₫" in Vietnamese), each row's item and
// unit in the page's language, and the date the list was last updated. Pure: no page state.

import { gettext, interpolate, localized } from "./l10n.js";

/** "350.000 ₫" (vi-VN), "₫350,000" (en-GB): whole dong, the locale's grouping. */
export function formatVnd(amount, locale) {
  const n = Number(amount);
  if (!Number.isFinite(n)) return "";
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: "VND",
    maximumFractionDigits: 0,
  }).format(n);
}

/** An ISO day ("2025-03-01") in `locale` ("1/3/2025", "01/03/2025", "2025/3/1"); "" if invalid. */
export function formatDay(iso, locale) {
  if (!/^\d{4}-\d{2}-\d{2}/.test(String(iso ?? ""))) return "";
  const date = new Date(`${String(iso).slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(locale, {
    day: "numeric",
    month: "numeric",
    year: "numeric",
    timeZone: "UTC",
  }).format(date);
}

/** Whether a price row is in force on `day` (an ISO date): valid_from <= day <= valid_to. */
export function isCurrent(item, day) {
  if (!item?.valid_from || item.valid_from > day) return false;
  return !item.valid_to || item.valid_to >= day;
}

/**
 * Rows for display, [{item, unit, price, ocopStars}], those in force on `day` (the city's
 * today, ISO) only, cheapest first; item and unit in `language` (Vietnamese when untranslated).
 */
export function priceRows(items, { language, locale, day }) {
  return (items || [])
    .filter((item) => isCurrent(item, day))
    .sort((a, b) => Number(a.price_vnd) - Number(b.price_vnd))
    .map((item) => ({
      item: localized(item, "item", language),
      unit: localized(item, "unit", language),
      price: formatVnd(item.price_vnd, locale),
      ocopStars: item.ocop_stars ?? null,
    }));
}

/** "Giá niêm yết, cập nhật ngày 1/3/2025" (translated); "" when the date is unknown. */
export function updatedText(updatedAt, locale) {
  const date = formatDay(updatedAt, locale);
  return date ? interpolate(gettext("Giá niêm yết, cập nhật ngày %(date)s"), { date }, true) : "";
}

/** Today's ISO date in `timeZone` (the city's): what "current" prices are measured against. */
export function isoDay(date = new Date(), timeZone = "Asia/Ho_Chi_Minh") {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(date);
}
