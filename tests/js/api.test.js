import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  DUPLICATE_TEXT_MAX,
  duplicatesParams,
  fillUrl,
  pagesFor,
} from "../../web_map/static/web_map/js/api.js";

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

describe("duplicatesParams", () => {
  test("the description goes along trimmed; a blank one is left out", () => {
    const base = { lat: 21.5338, lon: 107.9653, category: "moi_truong" };
    assert.deepEqual(duplicatesParams({ ...base, text: "  Cống bị tắc \n" }), {
      lat: "21.533800",
      lon: "107.965300",
      category: "moi_truong",
      text: "Cống bị tắc",
    });
    assert.equal("text" in duplicatesParams({ ...base, text: "   " }), false);
    assert.equal("text" in duplicatesParams(base), false);
  });

  test("at most DUPLICATE_TEXT_MAX characters, never half an emoji", () => {
    const long = "🙂".repeat(DUPLICATE_TEXT_MAX + 5);
    const text = duplicatesParams({ lat: 0, lon: 0, category: "x", text: long }).text;
    assert.equal([...text].length, DUPLICATE_TEXT_MAX);
    assert.equal(text, "🙂".repeat(DUPLICATE_TEXT_MAX));
  });
});
