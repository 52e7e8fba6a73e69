// The pure parts of the citizen map's layer modules (they touch Leaflet only when called).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { cellStyle } from "../../web_map/static/web_map/js/reports.js";
import { FULL_DETAIL_ZOOM, outlineTolerance } from "../../web_map/static/web_map/js/wards.js";

describe("outlineTolerance", () => {
  test("full detail from FULL_DETAIL_ZOOM on", () => {
    assert.equal(outlineTolerance(FULL_DETAIL_ZOOM, 21.5), 0);
    assert.equal(outlineTolerance(19, 21.5), 0);
  });

  test("half a pixel in metres, rounded down to a power of two", () => {
    // Zoom 12 at the equator: 156543.03 / 2^12 = 38.2 m a pixel, half is 19.1 -> 16.
    assert.equal(outlineTolerance(12, 0), 16);
    // At 60° a pixel covers half the ground: 9.6 -> 8.
    assert.equal(outlineTolerance(12, 60), 8);
    // Zoom 14 at Móng Cái (21.5° N): 8.9 m a pixel, half is 4.4 -> 4.
    assert.equal(outlineTolerance(14, 21.5), 4);
  });

  test("never below a metre", () => {
    assert.equal(outlineTolerance(14, 89.9), 1);
  });
});

describe("cellStyle", () => {
  test("the colour darkens at 10, 100 and 1,000 reports", () => {
    const colour = (n) => cellStyle(n).fillColor;
    assert.deepEqual([1, 9, 10, 99, 100, 999, 1000, 50000].map(colour), [
      "#fdae61",
      "#fdae61",
      "#f46d43",
      "#f46d43",
      "#d73027",
      "#d73027",
      "#a50026",
      "#a50026",
    ]);
  });

  test("the radius grows with the log of the count, up to 11 px", () => {
    assert.equal(cellStyle(1).radius, 4);
    assert.equal(cellStyle(8).radius, 8.5);
    assert.equal(cellStyle(1e6).radius, 11);
  });

  test("a count that is not a number is drawn as one report", () => {
    assert.deepEqual(cellStyle("?"), cellStyle(1));
    assert.deepEqual(cellStyle(0), cellStyle(1));
  });

  test("a click on a cell stays with the cell (it zooms; it must not open the form)", () => {
    assert.equal(cellStyle(5).bubblingMouseEvents, false);
  });
});
