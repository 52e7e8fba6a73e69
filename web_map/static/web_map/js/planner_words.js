// Names for the planner's codes (its thematic layers, the choropleth's measures and their
// units), each a gettext() call with the Vietnamese text, so the JS catalog translates them.
// Also number formatting in the page's locale for the planner's figures.

import {
  formatNumber as formatIn,
  formatSigned as formatSignedIn,
  gettext,
  pageLocale,
  pgettext,
} from "./l10n.js";

const LAYER_NAMES = {
  wards: () => gettext("Ranh giới phường/xã"),
  heat: () => gettext("Mật độ phản ánh (bản đồ nhiệt)"),
  grid: () => gettext("Lưới ô vuông: số phản ánh"),
  choropleth: () => gettext("Bản đồ màu phường/xã"),
  hotspots: () => pgettext("planner layer", "Điểm nóng"),
  places: () => gettext("Địa điểm du lịch"),
  place_reports: () => gettext("Phản ánh của du khách theo địa điểm"),
};

const MEASURE_NAMES = {
  received: () => gettext("Số phản ánh"),
  per_1000_residents: () => gettext("Phản ánh trên 1.000 dân"),
  median_hours: () => gettext("Thời gian xử lý (trung vị)"),
  on_time_pct: () => gettext("Tỷ lệ xử lý đúng hạn"),
  satisfaction_score: () => gettext("Mức độ hài lòng"),
};

// The unit after a measure's value ("12 phản ánh", "3,5 giờ").
const MEASURE_UNITS = {
  received: () => gettext("phản ánh"),
  per_1000_residents: () => gettext("phản ánh / 1.000 dân"),
  median_hours: () => gettext("giờ"),
  on_time_pct: () => "%",
  satisfaction_score: () => gettext("điểm / 100"),
};

function named(table, code) {
  return Object.hasOwn(table, code) ? table[code]() : String(code);
}

/** A thematic layer's name (layer control, notices); an unknown key shows as itself. */
export function layerName(key) {
  return named(LAYER_NAMES, key);
}

/** A choropleth measure's name. */
export function measureName(measure) {
  return named(MEASURE_NAMES, measure);
}

/** A choropleth measure's unit. */
export function measureUnit(measure) {
  return named(MEASURE_UNITS, measure);
}

/** A number in the page's locale (1.234,5 in Vietnamese, 1,234.5 in English). */
export function formatNumber(value, digits = 0) {
  return formatIn(value, pageLocale(), digits);
}

/** A change in the page's locale, "+" before a rise. */
export function formatSigned(value, digits = 0) {
  return formatSignedIn(value, pageLocale(), digits);
}
