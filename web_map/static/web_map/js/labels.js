// Names for the codes the API sends (report statuses, ward unit types, categories), in the
// page's language. Status and unit labels are interface words: each code maps to a gettext()
// call with its Vietnamese text, translated by Django's JS catalog. Category names are data:
// the server sends every language's name and localized() picks the page's.

import { gettext, localized, pageLocale } from "./l10n.js";

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
