// How the planner draws places: a colour per place kind (layers.PlaceKind) and a circle
// radius per report count. Pure functions, tested in tests/js/place_style.test.js.

// Qualitative colours (ColorBrewer Set1/Dark2-like), one per kind, told apart on a map.
export const KIND_COLORS = {
  attraction: "#1b9e77",
  accommodation: "#7570b3",
  food: "#d95f02",
  ocop_shop: "#e7298a",
  market: "#a6761d",
  transport: "#1f78b4",
  border_gate: "#666666",
  toilet: "#66a61e",
  info_point: "#e6ab02",
  wifi: "#17becf",
};
export const OTHER_KIND_COLOR = "#999999";
export const MIN_RADIUS = 5;
export const MAX_RADIUS = 24;

/** The kind's colour; an unknown kind is grey. */
export function kindColor(kind) {
  return Object.hasOwn(KIND_COLORS, kind) ? KIND_COLORS[kind] : OTHER_KIND_COLOR;
}

/** The kinds present in `places`, in KIND_COLORS' order, unknown ones after (sorted). */
export function kindsPresent(places) {
  const seen = new Set(places.map((p) => p.kind));
  const known = Object.keys(KIND_COLORS).filter((k) => seen.has(k));
  const other = [...seen].filter((k) => !Object.hasOwn(KIND_COLORS, k)).sort();
  return [...known, ...other];
}

/**
 * A circle's radius in pixels for `n` reports when the busiest place has `max`: the area
 * grows with the count (radius with its square root), from MIN_RADIUS for one report to
 * MAX_RADIUS for the most; 0 for none.
 */
export function reportRadius(n, max) {
  if (!(n > 0) || !(max > 0)) return 0;
  const share = Math.sqrt(Math.min(n, max) / max);
  return Math.round((MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * share) * 10) / 10;
}

/** The counts the legend shows circles for: 1, the middle and the most (distinct, rising). */
export function legendCounts(max) {
  if (!(max > 0)) return [];
  return [...new Set([1, Math.round(max / 2), max])].filter((n) => n >= 1).sort((a, b) => a - b);
}
