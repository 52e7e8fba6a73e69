import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  MAX_BOXES,
  boxFromDrag,
  boxPercent,
  hasChanges,
  republishPayload,
  withBox,
  withoutBox,
} from "../../web_map/static/web_map/js/redaction_boxes.js";

const natural = { width: 2000, height: 1000 };
const shown = { width: 500, height: 250 }; // a quarter of the photo's size

describe("a drag becomes a box in the photo's pixels", () => {
  test("scaled from the shown size, whichever way the drag went", () => {
    const box = { x: 40, y: 20, w: 400, h: 200 };
    assert.deepEqual(boxFromDrag({ x: 10, y: 5 }, { x: 110, y: 55 }, shown, natural), box);
    assert.deepEqual(boxFromDrag({ x: 110, y: 55 }, { x: 10, y: 5 }, shown, natural), box);
  });

  test("clamped to the photo when the drag leaves it", () => {
    const box = boxFromDrag({ x: 450, y: 200 }, { x: 900, y: 900 }, shown, natural);
    assert.deepEqual(box, { x: 1800, y: 800, w: 200, h: 200 });
    const negative = boxFromDrag({ x: -50, y: -50 }, { x: 20, y: 20 }, shown, natural);
    assert.deepEqual(negative, { x: 0, y: 0, w: 80, h: 80 });
  });

  test("a tap or a slip is no box", () => {
    assert.equal(boxFromDrag({ x: 10, y: 10 }, { x: 13, y: 40 }, shown, natural), null);
    assert.equal(boxFromDrag({ x: 10, y: 10 }, { x: 40, y: 12 }, shown, natural), null);
    assert.equal(boxFromDrag({ x: 0, y: 0 }, { x: 9, y: 9 }, { width: 0, height: 0 }, natural), null);
  });

  test("fractional screen pixels round outwards, never past the edge", () => {
    const box = boxFromDrag({ x: 0.3, y: 0.3 }, { x: 499.9, y: 249.9 }, shown, natural);
    assert.deepEqual(box, { x: 1, y: 1, w: 1999, h: 999 });
  });
});

describe("boxes on the shown photo", () => {
  test("as percentages of the photo", () => {
    assert.deepEqual(boxPercent({ x: 500, y: 250, w: 1000, h: 100 }, natural), {
      left: "25.000%",
      top: "25.000%",
      width: "50.000%",
      height: "10.000%",
    });
  });
});

describe("editing the list", () => {
  const saved = [
    { id: 7, x: 1, y: 2, w: 30, h: 40, source: "auto" },
    { id: 9, x: 100, y: 100, w: 20, h: 20, source: "staff" },
  ];

  test("removing and adding give new lists", () => {
    const fewer = withoutBox(saved, 0);
    assert.deepEqual(
      fewer.map((b) => b.id),
      [9],
    );
    assert.equal(saved.length, 2);
    const more = withBox(fewer, { x: 5, y: 6, w: 7, h: 8 });
    assert.deepEqual(more[1], { x: 5, y: 6, w: 7, h: 8, source: "staff" });
    assert.equal(withBox(saved, null), saved);
  });

  test("a full list takes no more", () => {
    const full = Array.from({ length: MAX_BOXES }, (_, i) => ({ id: i + 1 }));
    assert.equal(withBox(full, { x: 0, y: 0, w: 9, h: 9 }).length, MAX_BOXES);
  });

  test("the republish payload names kept boxes by id and new ones by rectangle", () => {
    const edited = withBox(withoutBox(saved, 1), { x: 5, y: 6, w: 7, h: 8 });
    assert.deepEqual(republishPayload(edited), { boxes: [{ id: 7 }, { x: 5, y: 6, w: 7, h: 8 }] });
  });

  test("changes are noticed: removed, added, or none", () => {
    assert.equal(hasChanges(saved, [...saved]), false);
    assert.equal(hasChanges(saved, withoutBox(saved, 0)), true);
    assert.equal(hasChanges(saved, withBox(withoutBox(saved, 0), { x: 1, y: 1, w: 9, h: 9 })), true);
  });
});
