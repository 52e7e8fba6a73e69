// distance.js: metres between two points and the distance as the visitor reads it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { distanceMetres, formatDistance } from "../../web_map/static/web_map/js/distance.js";

describe("distanceMetres", () => {
  test("zero for one point; about 111.2 km per degree of latitude", () => {
    const p = { lat: 21.53, lng: 107.96 };
    assert.equal(distanceMetres(p, p), 0);
    const d = distanceMetres({ lat: 21, lng: 107.96 }, { lat: 22, lng: 107.96 });
    assert.ok(Math.abs(d - 111195) < 50, String(d));
  });

  test("Đền Xã Tắc to Bãi Trà Cổ is between 9 and 10 km", () => {
    const d = distanceMetres({ lat: 21.533804, lng: 107.965281 }, { lat: 21.4877, lng: 108.0415 });
    assert.ok(d > 9000 && d < 10000, String(d));
  });
});

describe("formatDistance", () => {
  test("metres to 10 m under a kilometre", () => {
    assert.equal(formatDistance(347, "vi-VN"), "350 m");
    assert.equal(formatDistance(4, "vi-VN"), "4 m");
    assert.equal(formatDistance(0, "en-GB"), "0 m");
  });

  test("kilometres with one decimal in the locale's notation, none from 10 km", () => {
    assert.equal(formatDistance(2400, "vi-VN"), "2,4 km");
    assert.equal(formatDistance(2400, "en-GB"), "2.4 km");
    assert.equal(formatDistance(2400, "zh-CN"), "2.4 km");
    assert.equal(formatDistance(996, "vi-VN"), "1,0 km");
    assert.equal(formatDistance(12345, "vi-VN"), "12 km");
  });

  test("nothing for no distance", () => {
    assert.equal(formatDistance(null, "vi-VN"), "");
    assert.equal(formatDistance(undefined, "vi-VN"), "");
    assert.equal(formatDistance(-5, "vi-VN"), "");
  });
});
