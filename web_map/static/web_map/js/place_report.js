// A report filed from a place ("Báo sự cố tại đây", /?place=<id>): the pure parts the report
// form uses. The page's config carries the place (its name and current listed prices in the
// page's language); the form puts the tourism categories first and, for overcharging, asks
// which listed item and what was charged. No page state here (tests/js/place_report.test.js).

import { formatVnd } from "./prices.js";

// The API's bound (layers.api.place_report_params.CHARGED_VND_MAX).
export const CHARGED_VND_MAX = 1_000_000_000;

/** "Phòng đôi — 450.000 ₫ / đêm" (the unit left out when the office gave none). */
export function priceLabel(price, locale) {
  const amount = formatVnd(price.price_vnd, locale);
  const head = `${price.item} — ${amount}`;
  return price.unit ? `${head} / ${price.unit}` : head;
}

/**
 * What the visitor typed as the amount charged, in whole đồng: "450.000", "450 000", "450,000 ₫"
 * and "450000" are all 450000. {value: null} for nothing typed; {error: true} for anything
 * else than digits with group separators, for 0, or for more than CHARGED_VND_MAX.
 */
export function parseCharged(text) {
  const raw = String(text ?? "").trim();
  if (!raw) return { value: null };
  const digits = raw.replace(/\s*(₫|đồng|đ|VND)\s*$/iu, "").replace(/[\s.,]/g, "");
  if (!/^\d{1,12}$/.test(digits)) return { error: true };
  const value = Number(digits);
  if (value < 1 || value > CHARGED_VND_MAX) return { error: true };
  return { value };
}

/** The categories split for a place's form: the tourism ones (for_places) first. */
export function placeCategoryGroups(categories) {
  const list = categories || [];
  return {
    tourism: list.filter((c) => c.for_places),
    other: list.filter((c) => !c.for_places),
  };
}
