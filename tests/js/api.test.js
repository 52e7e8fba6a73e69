import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { fillUrl, pagesFor } from "../../web_map/static/web_map/js/api.js";

describe("fillUrl", () => {
  test("a placeholder becomes its value, percent-encoded", () => {
    assert.equal(fillUrl("/reports/{id}/", { id: "a b/c" }), "/reports/a%20b%2Fc/");
    assert.equal(fillUrl("/r/{reference}/", { reference: "MC-2612-0042" }), "/r/MC-2612-0042/");
    assert.equal(fillUrl("/reports/{id}/", { id: 42 }), "/reports/42/");
  });

  test("placeholders without a value stay (a tile template's {z}/{x}/{y})", () => {
    assert.equal(fillUrl("/tiles/{z}/{x}/{y}.pbf?w={id}", { id: 7 }), "/tiles/{z}/{x}/{y}.pbf?w=7");
  });
});

describe("pagesFor", () => {
  test("at most 500 a page, as many pages as the cap needs", () => {
    assert.deepEqual(pagesFor(300), { pageSize: 300, maxPages: 1 });
    assert.deepEqual(pagesFor(500), { pageSize: 500, maxPages: 1 });
    assert.deepEqual(pagesFor(1200), { pageSize: 500, maxPages: 3 });
  });

  test("a missing or nonsense cap is the default 300; fractions round down, at least 1", () => {
    assert.deepEqual(pagesFor(), { pageSize: 300, maxPages: 1 });
    assert.deepEqual(pagesFor("lots"), { pageSize: 300, maxPages: 1 });
    assert.deepEqual(pagesFor(0.5), { pageSize: 1, maxPages: 1 });
  });
});
