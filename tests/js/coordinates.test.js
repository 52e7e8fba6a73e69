// Coordinates: the view's box as the API takes it (api.js), a photo's GPS point (location.js).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { bboxContains, clampBbox, formatBbox } from "../../web_map/static/web_map/js/api.js";
// location.js imports the vendored EXIF reader (scripts/build_frontend.sh copies it).
import { gpsPoint } from "../../web_map/static/web_map/js/location.js";

describe("clampBbox", () => {
  test("a zoomed-out view is cut to valid degrees", () => {
    assert.deepEqual(clampBbox([-200, -95, 190, 91]), [-180, -90, 180, 90]);
  });

  test("a view inside the world is unchanged", () => {
    assert.deepEqual(clampBbox([107.9, 21.4, 108.1, 21.6]), [107.9, 21.4, 108.1, 21.6]);
  });
});

describe("bboxContains", () => {
  const outer = [107, 21, 109, 22];

  test("inside, and on a shared edge", () => {
    assert.ok(bboxContains(outer, [107.5, 21.2, 108.5, 21.8]));
    assert.ok(bboxContains(outer, outer));
  });

  test("crossing an edge or disjoint is not inside", () => {
    assert.ok(!bboxContains(outer, [106.9, 21.2, 108.5, 21.8]));
    assert.ok(!bboxContains(outer, [107.5, 21.2, 109.1, 21.8]));
    assert.ok(!bboxContains(outer, [110, 23, 111, 24]));
  });
});

describe("formatBbox", () => {
  test("west,south,east,north at the precision asked for", () => {
    assert.equal(
      formatBbox([107.96, 21.5, 108.000004, -0.1234567], 5),
      "107.96000,21.50000,108.00000,-0.12346",
    );
  });
});

describe("gpsPoint", () => {
  test("a photo's GPS tags as a point", () => {
    assert.deepEqual(gpsPoint({ latitude: 21.53, longitude: 107.97 }), { lat: 21.53, lng: 107.97 });
    assert.deepEqual(gpsPoint({ latitude: "21.5", longitude: "-0.5" }), { lat: 21.5, lng: -0.5 });
  });

  test("no tags, no point", () => {
    assert.equal(gpsPoint(null), null);
    assert.equal(gpsPoint(undefined), null);
    assert.equal(gpsPoint({ latitude: "north" }), null);
  });

  test("out of range, or 0,0 (a camera without a fix), is no point", () => {
    assert.equal(gpsPoint({ latitude: 91, longitude: 0.5 }), null);
    assert.equal(gpsPoint({ latitude: 10, longitude: -181 }), null);
    assert.equal(gpsPoint({ latitude: 0, longitude: 0 }), null);
    assert.deepEqual(gpsPoint({ latitude: 0, longitude: 0.5 }), { lat: 0, lng: 0.5 });
  });
});
