import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  kindColor,
  kindsPresent,
  legendCounts,
  MAX_RADIUS,
  MIN_RADIUS,
  OTHER_KIND_COLOR,
  reportRadius,
} from "../../web_map/static/web_map/js/place_style.js";

describe("kindColor", () => {
  test("each known kind has its own colour; an unknown one is grey", () => {
    const kinds = ["attraction", "accommodation", "food", "ocop_shop", "market", "transport"];
    assert.equal(new Set(kinds.map(kindColor)).size, kinds.length);
    assert.equal(kindColor("casino"), OTHER_KIND_COLOR);
    assert.equal(kindColor("toString"), OTHER_KIND_COLOR);
  });
});

describe("kindsPresent", () => {
  test("known kinds in the fixed order, unknown ones after", () => {
    const places = [{ kind: "zzz" }, { kind: "food" }, { kind: "attraction" }, { kind: "food" }];
    assert.deepEqual(kindsPresent(places), ["attraction", "food", "zzz"]);
  });
});

describe("reportRadius", () => {
  test("none is 0, one of many is small, the most is the largest", () => {
    assert.equal(reportRadius(0, 10), 0);
    assert.equal(reportRadius(3, 0), 0);
    assert.equal(reportRadius(10, 10), MAX_RADIUS);
    assert.ok(reportRadius(1, 100) > MIN_RADIUS && reportRadius(1, 100) < 8);
  });

  test("the area grows with the count: four times the reports, twice the added radius", () => {
    const r1 = reportRadius(4, 16) - MIN_RADIUS;
    const r4 = reportRadius(16, 16) - MIN_RADIUS;
    assert.ok(Math.abs(r4 / r1 - 2) < 0.05);
  });

  test("a count above the maximum is drawn as the maximum", () => {
    assert.equal(reportRadius(50, 10), MAX_RADIUS);
  });
});

describe("legendCounts", () => {
  test("one, the middle and the most, without repeats", () => {
    assert.deepEqual(legendCounts(10), [1, 5, 10]);
    assert.deepEqual(legendCounts(2), [1, 2]);
    assert.deepEqual(legendCounts(1), [1]);
    assert.deepEqual(legendCounts(0), []);
  });
});
