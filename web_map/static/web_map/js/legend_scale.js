// What a planner legend says, as data: a row per class ("a – b") and a heat gradient as CSS.
// The layers build the DOM from it; `format` is the page's number formatting.

/** Legend rows {color, label} for the classes, the first starting at the smallest value. */
export function classRows(breaks, colors, min, format) {
  return breaks.map((upper, i) => {
    const lower = i === 0 ? min : breaks[i - 1];
    const label =
      i === 0 && lower === upper
        ? format(upper)
        : `${i === 0 ? format(lower) : `> ${format(lower)}`} – ${format(upper)}`;
    return { color: colors[i], label };
  });
}

/** A `linear-gradient` for a {stop: colour} gradient (leaflet-heat's), stops in order. */
export function gradientCss(gradient) {
  // Sorted: "1" is an integer-like key, which object iteration would put first.
  const stops = Object.entries(gradient)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([at, color]) => `${color} ${Math.round(Number(at) * 100)}%`);
  return `linear-gradient(to right, ${stops.join(", ")})`;
}
