import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { chartGeometry, niceStep, quarterStart } from "../../web_map/static/web_map/js/forecast_chart.js";

const history = [
  { week: "2026-09-21", count: 4 },
  { week: "2026-09-28", count: 10 },
  { week: "2026-10-05", count: 0 },
];
const forecast = [
  { week: "2026-10-12", expected: 5, lower: 1, upper: 12 },
  { week: "2026-10-19", expected: 6, lower: 2, upper: 14 },
];
const box = { width: 100, height: 60, left: 10, right: 0, top: 0, bottom: 10 };

describe("niceStep", () => {
  test("1, 2 or 5 times a power of ten, never below 1", () => {
    assert.equal(niceStep(14), 5);
    assert.equal(niceStep(8), 2);
    assert.equal(niceStep(3), 1);
    assert.equal(niceStep(160), 50);
    assert.equal(niceStep(0), 1);
  });
});

describe("quarterStart", () => {
  test("the month of the 1st of January, April, July or October the week holds", () => {
    assert.equal(quarterStart("2026-09-28"), "2026-10"); // 28 Sep - 4 Oct
    assert.equal(quarterStart("2026-10-05"), null);
    assert.equal(quarterStart("2025-12-29"), "2026-01"); // 1 Jan 2026, in the next year
    assert.equal(quarterStart("2026-05-25"), null); // 1 June: not a quarter
  });
});

describe("chartGeometry", () => {
  const g = chartGeometry(history, forecast, box);

  test("the y axis reaches past the highest count or upper bound, in nice steps", () => {
    assert.equal(g.yMax, 15);
    assert.deepEqual(
      g.yTicks.map((t) => t.value),
      [0, 5, 10, 15],
    );
    assert.equal(g.y(0), 50);
    assert.equal(g.y(15), 0);
  });

  test("weeks spread evenly over the plot, history then forecast", () => {
    assert.equal(g.x(0), 10);
    assert.equal(g.x(4), 100);
    assert.equal(g.history, "M10,36.7L32.5,16.7L55,50");
    // The forecast line starts at the last counted week.
    assert.ok(g.forecast.startsWith("M55,50L77.5,33.3L100,30"));
    assert.equal(g.divider, 66.25); // half-way between the last counted week and the first forecast
  });

  test("the band runs along the upper bounds and back along the lower ones", () => {
    assert.equal(g.band, "M77.5,10L100,3.3L100,43.3L77.5,46.7Z");
  });

  test("x ticks on quarter starts; only the last weeks of a long history", () => {
    assert.deepEqual(
      g.xTicks.map((t) => [t.week, t.month]),
      [["2026-09-28", "2026-10"]],
    );
    const short = chartGeometry(history, forecast, { ...box, historyWeeks: 1 });
    assert.equal(short.history, "M10,50");
    assert.equal(short.x(2), 100);
  });

  test("no forecast: no band, no divider", () => {
    const none = chartGeometry(history, [], box);
    assert.equal(none.band, "");
    assert.equal(none.divider, null);
    assert.equal(none.yMax, 10);
  });
});
