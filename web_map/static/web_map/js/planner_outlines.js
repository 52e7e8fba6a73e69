// Which outlines the planner loads for the province chosen, and which wards its picker then
// offers. With the boundaries of several provinces in force (the whole country) the page
// draws the country view of /api/v1/wards/outlines/ (one simplified outline per province)
// and, once a province is chosen, that province's wards at full detail; the ward picker
// lists only that province's wards. With one province (a one-city deployment) the
// endpoint's answer without a province is every ward, and nothing changes.
//
// No Leaflet here: planner_layers.js draws what this module fetches.

import { gettext } from "./l10n.js";

/** Whether the boundaries in force span several provinces (the province picker shows). */
export function isNational(provinces) {
  return Array.isArray(provinces) && provinces.length > 1;
}

/** ?province= of the page's address when it is one of the provinces offered, else "". */
export function initialProvince(search, provinces) {
  const code = new URLSearchParams(search).get("province") || "";
  return provinces.some((p) => p.code === code) ? code : "";
}

/** The outlines endpoint for a province ("" or null: the country view). */
export function outlinesUrl(base, province) {
  if (!province) return base;
  return `${base}${base.includes("?") ? "&" : "?"}province=${encodeURIComponent(province)}`;
}

/** The wards the picker lists: every ward for one city; in the national case only the
 * chosen province's, and none before a province is chosen. */
export function wardChoices(wards, { national, province }) {
  if (!national) return wards;
  if (!province) return [];
  return wards.filter((w) => w.province === province);
}

/** The picker's empty option: the whole city, the whole country, or the whole province. */
export function wardPlaceholder({ national, province }) {
  if (!national) return gettext("Toàn thành phố");
  return province ? gettext("Cả tỉnh") : gettext("Toàn quốc");
}

/**
 * The answers of the endpoint by province, each asked once per page: `load(url)` resolves
 * to the GeoJSON (the browser's cache revalidates it with its ETag on the next visit).
 * A failed answer is forgotten, so the next call asks again.
 */
export class OutlineStore {
  constructor(base, load) {
    this.base = base;
    this.load = load;
    this.answers = new Map();
  }

  get(province) {
    const key = province || "";
    let answer = this.answers.get(key);
    if (!answer) {
      answer = this.load(outlinesUrl(this.base, key));
      answer.catch(() => {
        if (this.answers.get(key) === answer) this.answers.delete(key);
      });
      this.answers.set(key, answer);
    }
    return answer;
  }
}
