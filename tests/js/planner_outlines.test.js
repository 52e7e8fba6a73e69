import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  initialProvince,
  isNational,
  OutlineStore,
  outlinesUrl,
  wardChoices,
  wardPlaceholder,
} from "../../web_map/static/web_map/js/planner_outlines.js";

const PROVINCES = [
  { code: "01", name: "Thành phố Hà Nội" },
  { code: "22", name: "Tỉnh Quảng Ninh" },
];
const WARDS = [
  { code: "06712", name: "Móng Cái 1", province: "22" },
  { code: "90001", name: "Phường Hà Nội 1", province: "01" },
  { code: "90500", name: "Xã Quảng Ninh 3", province: "22" },
];

describe("isNational", () => {
  test("several provinces in force are the national case; one or none is a city", () => {
    assert.equal(isNational(PROVINCES), true);
    assert.equal(isNational(PROVINCES.slice(0, 1)), false);
    assert.equal(isNational([]), false);
    assert.equal(isNational(undefined), false);
  });
});

describe("initialProvince", () => {
  test("?province= of the address when offered, else the whole country", () => {
    assert.equal(initialProvince("?province=22&layers=wards", PROVINCES), "22");
    assert.equal(initialProvince("?province=99", PROVINCES), "");
    assert.equal(initialProvince("?province=", PROVINCES), "");
    assert.equal(initialProvince("", PROVINCES), "");
  });
});

describe("outlinesUrl", () => {
  test("the country view without a province; the province percent-encoded", () => {
    assert.equal(outlinesUrl("/api/v1/wards/outlines/", ""), "/api/v1/wards/outlines/");
    assert.equal(outlinesUrl("/api/v1/wards/outlines/", null), "/api/v1/wards/outlines/");
    assert.equal(outlinesUrl("/api/v1/wards/outlines/", "22"), "/api/v1/wards/outlines/?province=22");
    assert.equal(outlinesUrl("/o/?a=1", "2 2"), "/o/?a=1&province=2%202");
  });
});

describe("wardChoices", () => {
  test("a city lists every ward, with or without a province", () => {
    assert.deepEqual(wardChoices(WARDS, { national: false, province: "" }), WARDS);
    assert.deepEqual(wardChoices(WARDS, { national: false, province: "22" }), WARDS);
  });

  test("the country lists only the chosen province's wards, none before a choice", () => {
    assert.deepEqual(
      wardChoices(WARDS, { national: true, province: "22" }).map((w) => w.code),
      ["06712", "90500"],
    );
    assert.deepEqual(wardChoices(WARDS, { national: true, province: "" }), []);
    assert.deepEqual(wardChoices(WARDS, { national: true, province: "48" }), []);
  });
});

describe("wardPlaceholder", () => {
  test("the whole city, the whole country or the whole province (Vietnamese without a catalog)", () => {
    assert.equal(wardPlaceholder({ national: false, province: "" }), "Toàn thành phố");
    assert.equal(wardPlaceholder({ national: true, province: "" }), "Toàn quốc");
    assert.equal(wardPlaceholder({ national: true, province: "22" }), "Cả tỉnh");
  });
});

describe("OutlineStore", () => {
  test("each province is asked once; the country view is the empty key", async () => {
    const asked = [];
    const store = new OutlineStore("/o/", (url) => {
      asked.push(url);
      return Promise.resolve({ url });
    });
    const [a, b, c, d] = await Promise.all([
      store.get(""),
      store.get(null),
      store.get("22"),
      store.get("22"),
    ]);
    assert.deepEqual(asked, ["/o/", "/o/?province=22"]);
    assert.equal(a, b);
    assert.equal(c, d);
    assert.equal(c.url, "/o/?province=22");
  });

  test("a failed answer is forgotten: the next call asks again", async () => {
    let calls = 0;
    const store = new OutlineStore("/o/", () => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error("offline")) : Promise.resolve({ ok: true });
    });
    await assert.rejects(store.get("01"), /offline/);
    assert.deepEqual(await store.get("01"), { ok: true });
    assert.equal(calls, 2);
  });
});
