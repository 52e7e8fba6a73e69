// Classes for the planner's thematic maps: quantile breaks over the values, the class a value
// falls in, and that many colours taken from a ramp.

/**
 * Quantile classes: up to `k` ascending upper bounds over the values (duplicates merged, so a
 * few distinct values give fewer classes rather than empty ones).
 */
export function quantileBreaks(values, k = 5) {
  const sorted = values
    .filter((v) => v !== null && v !== undefined && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (!sorted.length) return [];
  const breaks = [];
  for (let i = 1; i <= k; i += 1) {
    const value = sorted[Math.min(sorted.length - 1, Math.ceil((i * sorted.length) / k) - 1)];
    if (!breaks.length || value > breaks[breaks.length - 1]) breaks.push(value);
  }
  return breaks;
}

/** The index of the first class whose upper bound holds `value` (the last one above them all). */
export function classOf(value, breaks) {
  for (let i = 0; i < breaks.length; i += 1) if (value <= breaks[i]) return i;
  return breaks.length - 1;
}

/** Picks `n` colours spread over a ramp (2 classes: lightest and darkest). */
export function rampFor(ramp, n) {
  if (n <= 1) return [ramp[ramp.length - 1]];
  return Array.from({ length: n }, (_, i) => ramp[Math.round((i * (ramp.length - 1)) / (n - 1))]);
}
