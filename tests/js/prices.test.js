// prices.js: VND in the page's locale, the rows in force today in the page's language, and the
// "updated on" line.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  formatDay,
  formatVnd,
  isCurrent,
  isoDay,
  priceRows,
  updatedText,
} from "../../web_map/static/web_map/js/prices.js";

const plain = (text) => text.replace(/\u00a0|\u202f/g, " ");

const ITEMS = [
  {
    item: "Phòng đôi",
    item_en: "Double room",
    item_zh: "双人间",
    unit: "đêm",
    unit_en: "night",
    unit_zh: "晚",
    price_vnd: 650000,
    valid_from: "2025-01-01",
    valid_to: null,
  },
  {
    item: "Phòng đơn",
    item_en: "Single room",
    item_zh: "",
    unit: "đêm",
    unit_en: "",
    unit_zh: "",
    price_vnd: 350000,
    valid_from: "2025-01-01",
    valid_to: "2025-12-31",
  },
  { item: "Phòng đơn (giá cũ)", price_vnd: 300000, valid_from: "2024-01-01", valid_to: "2024-12-31" },
  { item: "Phòng hướng biển", price_vnd: 900000, valid_from: "2026-01-01", valid_to: null },
];

describe("formatVnd", () => {
  test("whole dong with the locale's grouping and the dong sign", () => {
    assert.equal(plain(formatVnd(350000, "vi-VN")), "350.000 ₫");
    assert.equal(plain(formatVnd(1234567, "vi-VN")), "1.234.567 ₫");
    assert.equal(formatVnd(350000, "en-GB"), "₫350,000");
    assert.match(formatVnd(350000, "zh-CN"), /350,000/);
  });

  test("no decimals, and nothing for a missing amount", () => {
    assert.equal(plain(formatVnd(999.6, "vi-VN")), "1.000 ₫");
    assert.equal(formatVnd("abc", "vi-VN"), "");
    assert.equal(plain(formatVnd("25000", "vi-VN")), "25.000 ₫");
  });
});

describe("isCurrent", () => {
  test("valid_from and valid_to inclusive; an open end lasts", () => {
    const row = { valid_from: "2025-01-01", valid_to: "2025-12-31" };
    assert.equal(isCurrent(row, "2024-12-31"), false);
    assert.equal(isCurrent(row, "2025-01-01"), true);
    assert.equal(isCurrent(row, "2025-12-31"), true);
    assert.equal(isCurrent(row, "2026-01-01"), false);
    assert.equal(isCurrent({ valid_from: "2025-01-01", valid_to: null }, "2099-01-01"), true);
  });
});

describe("priceRows", () => {
  test("only the rows in force, cheapest first, in English with Vietnamese where untranslated", () => {
    const rows = priceRows(ITEMS, { language: "en", locale: "en-GB", day: "2025-06-01" });
    assert.deepEqual(
      rows.map((r) => [r.item, r.unit, r.price]),
      [
        ["Single room", "đêm", "₫350,000"],
        ["Double room", "night", "₫650,000"],
      ],
    );
  });

  test("in Chinese and Vietnamese", () => {
    const zh = priceRows(ITEMS, { language: "zh-hans", locale: "zh-CN", day: "2025-06-01" });
    assert.deepEqual(
      zh.map((r) => r.item),
      ["Phòng đơn", "双人间"],
    );
    const vi = priceRows(ITEMS, { language: "vi", locale: "vi-VN", day: "2026-02-01" });
    assert.deepEqual(
      vi.map((r) => [r.item, plain(r.price)]),
      [
        ["Phòng đôi", "650.000 ₫"],
        ["Phòng hướng biển", "900.000 ₫"],
      ],
    );
  });

  test("no list, no rows", () => {
    assert.deepEqual(priceRows(undefined, { language: "vi", locale: "vi-VN", day: "2025-06-01" }), []);
  });
});

describe("dates", () => {
  test("an ISO day in the locale; nothing for no date", () => {
    assert.equal(formatDay("2025-03-01", "vi-VN"), "1/3/2025");
    assert.equal(formatDay("2025-03-01", "en-GB"), "01/03/2025");
    assert.equal(formatDay("2025-03-01", "zh-CN"), "2025/3/1");
    assert.equal(formatDay(null, "vi-VN"), "");
    assert.equal(updatedText(null, "vi-VN"), "");
    assert.equal(updatedText("2025-03-01", "vi-VN"), "Giá niêm yết, cập nhật ngày 1/3/2025");
  });

  test("today is the city's day: 20:00 UTC is already tomorrow in Móng Cái", () => {
    assert.equal(isoDay(new Date("2025-06-01T20:00:00Z")), "2025-06-02");
    assert.equal(isoDay(new Date("2025-06-01T20:00:00Z"), "UTC"), "2025-06-01");
  });
});
