import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { classRows, gradientCss } from "../../web_map/static/web_map/js/legend_scale.js";

const plain = (v) => String(v);

describe("classRows", () => {
  test("the first row starts at the smallest value, the others after the previous bound", () => {
    assert.deepEqual(classRows([5, 10, 20], ["#1", "#2", "#3"], 1, plain), [
      { color: "#1", label: "1 – 5" },
      { color: "#2", label: "> 5 – 10" },
      { color: "#3", label: "> 10 – 20" },
    ]);
  });

  test("a first class holding a single value shows that value alone", () => {
    assert.deepEqual(classRows([0, 3], ["#1", "#2"], 0, plain), [
      { color: "#1", label: "0" },
      { color: "#2", label: "> 0 – 3" },
    ]);
  });

  test("the labels use the formatter they are given", () => {
    const rows = classRows([1.25], ["#1"], 0.5, (v) => v.toFixed(1));
    assert.equal(rows[0].label, "0.5 – 1.3");
  });

  test("no classes, no rows", () => {
    assert.deepEqual(classRows([], [], 0, plain), []);
  });
});

describe("gradientCss", () => {
  test("stops in ascending order, the integer-like key 1 last", () => {
    const css = gradientCss({ 1: "#d7191c", 0.2: "#2c7bb6", 0.65: "#ffffbf" });
    assert.equal(css, "linear-gradient(to right, #2c7bb6 20%, #ffffbf 65%, #d7191c 100%)");
  });
});
