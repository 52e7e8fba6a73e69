// The geometry of the planner's forecast chart: weekly counts (history), the forecast line
// and its interval band, as SVG path strings and tick positions. Pure numbers, no DOM, so
// node tests check it (tests/js/forecast_chart.test.js); planner_forecast.js draws it.

/** A "nice" step (1, 2 or 5 × 10^k) so that about `count` steps cover `max`. */
export function niceStep(max, count = 4) {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  return Math.max(1, step);
}

function fmt(value) {
  return String(Math.round(value * 10) / 10);
}

function path(points) {
  return points.map(([x, y], i) => `${i ? "L" : "M"}${fmt(x)},${fmt(y)}`).join("");
}

/**
 * The quarter a week starts: "2026-01" for the week of 29 Dec 2025 to 4 Jan 2026 (it holds
 * the 1st of January), null for a week that holds no 1st of January, April, July or October.
 */
export function quarterStart(week) {
  const [y, m, d] = week.split("-").map(Number);
  const end = new Date(Date.UTC(y, m - 1, d + 6));
  const month = end.getUTCMonth();
  if (end.getUTCDate() > 7 || month % 3 !== 0) return null;
  return `${end.getUTCFullYear()}-${String(month + 1).padStart(2, "0")}`;
}

/**
 * The chart's shapes.
 * history: [{week, count}], forecast: [{week, expected, lower, upper}] (the weeks right
 * after the history), options: {width, height, left, right, top, bottom} in SVG units,
 * historyWeeks: how many of the last history weeks to show.
 * Returns {history, forecast, band, divider, yTicks, xTicks, yMax, x(i), y(v)}; x ticks
 * ({week, month, x}) fall on the weeks that start a quarter (January, April, July, October).
 */
export function chartGeometry(history, forecast, options = {}) {
  const { width = 320, height = 180, left = 28, right = 6, top = 8, bottom = 20 } = options;
  const shown = history.slice(-(options.historyWeeks ?? history.length));
  const n = shown.length + forecast.length;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const peak = Math.max(1, ...shown.map((h) => h.count), ...forecast.map((f) => f.upper));
  const step = niceStep(peak);
  const yMax = Math.ceil(peak / step) * step;
  const x = (i) => left + (n > 1 ? (i * plotW) / (n - 1) : plotW / 2);
  const y = (v) => top + plotH - (Math.max(0, v) / yMax) * plotH;

  const historyPts = shown.map((h, i) => [x(i), y(h.count)]);
  const offset = shown.length;
  const forecastPts = forecast.map((f, i) => [x(offset + i), y(f.expected)]);
  // The forecast line starts from the last counted week, so the two read as one line.
  const joined = historyPts.length ? [historyPts[historyPts.length - 1], ...forecastPts] : forecastPts;
  const upper = forecast.map((f, i) => [x(offset + i), y(f.upper)]);
  const lower = forecast.map((f, i) => [x(offset + i), y(f.lower)]).reverse();
  const band = forecast.length ? `${path([...upper, ...lower])}Z` : "";

  const yTicks = [];
  for (let v = 0; v <= yMax + 1e-9; v += step) yTicks.push({ value: v, y: y(v) });
  const weeks = [...shown.map((h) => h.week), ...forecast.map((f) => f.week)];
  const xTicks = weeks
    .map((week, i) => ({ week, month: quarterStart(week), x: x(i) }))
    .filter((t) => t.month !== null);

  return {
    history: path(historyPts),
    forecast: path(joined),
    band,
    divider: forecast.length ? x(offset - 0.5) : null,
    yTicks,
    xTicks,
    yMax,
    x,
    y,
  };
}
