import assert from "node:assert/strict";
import { test } from "node:test";

import {
  CHARGED_VND_MAX,
  parseCharged,
  placeCategoryGroups,
  priceLabel,
} from "../../web_map/static/web_map/js/place_report.js";

const plain = (text) => text.replace(/\s/g, " ");

test("a listed price reads as item, amount in the locale and unit", () => {
  const double = { id: 7, item: "Phòng đôi", unit: "đêm", price_vnd: 450000 };
  assert.equal(plain(priceLabel(double, "vi-VN")), "Phòng đôi — 450.000 ₫ / đêm");
  assert.equal(
    plain(priceLabel({ ...double, item: "Double room", unit: "night" }, "en-GB")),
    "Double room — ₫450,000 / night",
  );
  assert.equal(plain(priceLabel({ ...double, unit: "" }, "vi-VN")), "Phòng đôi — 450.000 ₫");
});

test("the amount charged: digits with group separators, whole dong, bounded", () => {
  for (const text of ["900000", "900.000", "900 000", "900,000", " 900.000 ₫ ", "900.000đ"]) {
    assert.deepEqual(parseCharged(text), { value: 900000 }, text);
  }
  assert.deepEqual(parseCharged(""), { value: null });
  assert.deepEqual(parseCharged("   "), { value: null });
  for (const text of ["abc", "0", "-5", "12a", "1e6", String(CHARGED_VND_MAX + 1), "٣٠٠"]) {
    assert.deepEqual(parseCharged(text), { error: true }, text);
  }
  assert.deepEqual(parseCharged(String(CHARGED_VND_MAX)), { value: CHARGED_VND_MAX });
});

test("tourism categories come first, the rest keep their order", () => {
  const groups = placeCategoryGroups([
    { code: "moi_truong", for_places: false },
    { code: "du_lich_chat_chem", for_places: true },
    { code: "khac" },
    { code: "du_lich_ve_sinh", for_places: true },
  ]);
  assert.deepEqual(
    groups.tourism.map((c) => c.code),
    ["du_lich_chat_chem", "du_lich_ve_sinh"],
  );
  assert.deepEqual(
    groups.other.map((c) => c.code),
    ["moi_truong", "khac"],
  );
  assert.deepEqual(placeCategoryGroups(undefined), { tourism: [], other: [] });
});
