import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { classOf, quantileBreaks, rampFor } from "../../web_map/static/web_map/js/class_breaks.js";

describe("quantileBreaks", () => {
  test("ten values in five classes end at every second value", () => {
    assert.deepEqual(quantileBreaks([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]), [2, 4, 6, 8, 10]);
  });

  test("a class count other than five", () => {
    assert.deepEqual(quantileBreaks([1, 2, 3, 4, 5, 6], 3), [2, 4, 6]);
  });

  test("repeated values merge classes instead of leaving them empty", () => {
    assert.deepEqual(quantileBreaks([1, 1, 1, 1, 1, 1, 1, 1, 5, 5]), [1, 5]);
    assert.deepEqual(quantileBreaks([7, 7, 7]), [7]);
  });

  test("null, undefined and non-finite values are left out", () => {
    assert.deepEqual(
      quantileBreaks([null, 3, undefined, Number.NaN, 1, Number.POSITIVE_INFINITY, 2], 3),
      [1, 2, 3],
    );
  });

  test("no values, no classes", () => {
    assert.deepEqual(quantileBreaks([]), []);
    assert.deepEqual(quantileBreaks([null, Number.NaN]), []);
  });

  test("the input is not reordered", () => {
    const values = [3, 1, 2];
    quantileBreaks(values, 3);
    assert.deepEqual(values, [3, 1, 2]);
  });
});

describe("classOf", () => {
  const breaks = [2, 4, 6];

  test("a value on a bound belongs to the class it closes", () => {
    assert.equal(classOf(2, breaks), 0);
    assert.equal(classOf(4, breaks), 1);
    assert.equal(classOf(6, breaks), 2);
  });

  test("values between bounds, below the first and above the last", () => {
    assert.equal(classOf(3, breaks), 1);
    assert.equal(classOf(-10, breaks), 0);
    assert.equal(classOf(99, breaks), 2);
  });
});

describe("rampFor", () => {
  const ramp = ["a", "b", "c", "d", "e"];

  test("five classes take the whole ramp", () => {
    assert.deepEqual(rampFor(ramp, 5), ramp);
  });

  test("fewer classes keep the lightest and the darkest", () => {
    assert.deepEqual(rampFor(ramp, 2), ["a", "e"]);
    assert.deepEqual(rampFor(ramp, 3), ["a", "c", "e"]);
  });

  test("one class (or none) is drawn in the darkest colour", () => {
    assert.deepEqual(rampFor(ramp, 1), ["e"]);
    assert.deepEqual(rampFor(ramp, 0), ["e"]);
  });
});
