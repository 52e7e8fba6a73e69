import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  geometryBox,
  MAX_PROVINCES_IN_VIEW,
  needsFiner,
  provinceBoxes,
  provincesInView,
  WARD_MIN_ZOOM,
} from "../../web_map/static/web_map/js/ward_provinces.js";

const square = (west, south, east, north) => ({
  type: "Polygon",
  coordinates: [
    [
      [west, south],
      [east, south],
      [east, north],
      [west, north],
      [west, south],
    ],
  ],
});

describe("geometryBox", () => {
  test("spans every part of a multipolygon, holes included", () => {
    const geometry = {
      type: "MultiPolygon",
      coordinates: [square(106, 20, 107, 21).coordinates, square(107.5, 21.2, 108, 21.6).coordinates],
    };
    assert.deepEqual(geometryBox(geometry), [106, 20, 108, 21.6]);
  });

  test("no coordinates, no box", () => {
    assert.equal(geometryBox(null), null);
    assert.equal(geometryBox({ type: "Polygon", coordinates: [] }), null);
  });
});

describe("provinceBoxes", () => {
  test("keys the country view's features by province code, skipping empty ones", () => {
    const boxes = provinceBoxes({
      features: [
        { properties: { province_code: "22" }, geometry: square(106.5, 20.7, 108.1, 21.7) },
        { properties: { province_code: "01" }, geometry: square(105.3, 20.5, 106.0, 21.4) },
        { properties: { province_code: "99" }, geometry: null },
      ],
    });
    assert.deepEqual([...boxes.keys()], ["22", "01"]);
    assert.deepEqual(boxes.get("01"), [105.3, 20.5, 106.0, 21.4]);
  });
});

describe("provincesInView", () => {
  const boxes = new Map([
    ["01", [105.3, 20.5, 106.0, 21.4]],
    ["20", [106.0, 21.3, 107.3, 22.5]],
    ["22", [106.5, 20.7, 108.1, 21.7]],
    ["79", [106.3, 10.3, 107.1, 11.2]],
  ]);
  const moongCai = [107.85, 21.45, 108.05, 21.6];

  test("below the ward zoom the country view alone", () => {
    assert.deepEqual(provincesInView(boxes, moongCai, WARD_MIN_ZOOM - 1), []);
  });

  test("the provinces the view meets, nearest its centre first", () => {
    assert.deepEqual(provincesInView(boxes, moongCai, 13), ["22"]);
    // A view on the border of Lạng Sơn and Quảng Ninh, nearer Quảng Ninh.
    assert.deepEqual(provincesInView(boxes, [106.9, 21.0, 107.3, 21.4], 10), ["22", "20"]);
    // Far from every box: none.
    assert.deepEqual(provincesInView(boxes, [100, 15, 101, 16], 12), []);
  });

  test("a wide view loads at most MAX_PROVINCES_IN_VIEW", () => {
    const many = new Map();
    for (let i = 0; i < MAX_PROVINCES_IN_VIEW + 4; i += 1) many.set(`p${i}`, [100 + i, 10, 100.9 + i, 11]);
    const codes = provincesInView(many, [100, 10, 110, 11], WARD_MIN_ZOOM);
    assert.equal(codes.length, MAX_PROVINCES_IN_VIEW);
    assert.ok(codes.includes("p4") && codes.includes("p5"), codes.join());
    assert.ok(!codes.includes("p0") && !codes.includes("p9"), codes.join());
  });
});

describe("needsFiner", () => {
  test("nothing loaded, or a coarser tolerance loaded, asks; full detail never asks again", () => {
    assert.equal(needsFiner(undefined, 64), true);
    assert.equal(needsFiner(64, 16), true);
    assert.equal(needsFiner(64, 0), true);
    assert.equal(needsFiner(16, 64), false);
    assert.equal(needsFiner(16, 16), false);
    assert.equal(needsFiner(0, 64), false);
    assert.equal(needsFiner(0, 0), false);
  });
});
