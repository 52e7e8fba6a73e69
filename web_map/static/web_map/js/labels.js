// Names for the codes the API sends (report statuses, ward unit types, categories), in the
// page's language. Status and unit labels are interface words: each code maps to a gettext()
// call with its Vietnamese text, translated by Django's JS catalog. Category names are data:
// the server sends every language's name and localized() picks the page's.

import { gettext, interpolate, localized, pageLocale } from "./l10n.js";

const STATUS_LABELS = {
  received: () => gettext("Tiếp nhận"),
  verified: () => gettext("Đã xác minh"),
  rejected: () => gettext("Từ chối"),
  assigned: () => gettext("Đã chuyển xử lý"),
  in_progress: () => gettext("Đang xử lý"),
  resolved: () => gettext("Đã xử lý"),
};

const UNIT_TYPE_LABELS = {
  phuong: () => gettext("Phường"),
  xa: () => gettext("Xã"),
  thi_tran: () => gettext("Thị trấn"),
};

function label(table, code, fallback) {
  return Object.hasOwn(table, code) ? table[code]() : fallback || code || "";
}

/** "Đã xử lý" for "resolved"; an unknown status shows `fallback` (the server's label), else its code. */
export function statusLabel(code, fallback = "") {
  return label(STATUS_LABELS, code, fallback);
}

/** "Phường", "Xã", "Thị trấn" for a ward's unit type; else `fallback`, else the code. */
export function unitTypeLabel(code, fallback = "") {
  return label(UNIT_TYPE_LABELS, code, fallback);
}

const WARD_TITLES = {
  phuong: (name) => interpolate(gettext("Phường %(name)s"), { name }, true),
  xa: (name) => interpolate(gettext("Xã %(name)s"), { name }, true),
  thi_tran: (name) => interpolate(gettext("Thị trấn %(name)s"), { name }, true),
};
// A ward sent without its unit type (a report just submitted) still has its Vietnamese title.
const VIETNAMESE_UNITS = [
  ["Thị trấn ", "thi_tran"],
  ["Phường ", "phuong"],
  ["Xã ", "xa"],
];

/**
 * A ward ({name, full_name?, unit_type?}) titled in the page's language: "Phường Hải Hòa",
 * "Hải Hòa Ward", "Hải Hòa坊" (ward_boundaries.names on the server). The name stays Vietnamese.
 */
export function wardTitle(ward) {
  if (!ward) return "";
  let unit = ward.unit_type;
  if (!unit && ward.full_name) {
    unit = VIETNAMESE_UNITS.find(([prefix]) => ward.full_name.startsWith(prefix))?.[1];
  }
  const name = ward.name || ward.full_name || "";
  return Object.hasOwn(WARD_TITLES, unit) ? WARD_TITLES[unit](name) : ward.full_name || name;
}

/** "bai_bien" as "Bai bien": a readable stand-in for a code that has no name. */
export function humanizeCode(code) {
  const text = String(code || "")
    .replace(/[_-]+/g, " ")
    .trim();
  return text ? text[0].toUpperCase() + text.slice(1) : "";
}

/** A category ({code, name_vi, name_en, name_zh}) in the page's language; its code when it has no name. */
export function categoryName(category, language = undefined) {
  if (!category) return "";
  return localized(category, "name", language) || humanizeCode(category.code);
}

/** Sorts labelled items by their label as the page's language orders words. */
export function byLabel(items, locale = pageLocale()) {
  const collator = new Intl.Collator(locale, { sensitivity: "base", numeric: true });
  return [...items].sort((a, b) => collator.compare(a.label, b.label));
}
