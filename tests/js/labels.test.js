import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  byLabel,
  categoryName,
  humanizeCode,
  statusLabel,
  unitTypeLabel,
} from "../../web_map/static/web_map/js/labels.js";
import { layerName, measureName, measureUnit } from "../../web_map/static/web_map/js/planner_words.js";

describe("statusLabel and unitTypeLabel (Vietnamese, no catalog loaded)", () => {
  test("known codes have their Vietnamese label", () => {
    assert.equal(statusLabel("resolved"), "Đã xử lý");
    assert.equal(statusLabel("in_progress"), "Đang xử lý");
    assert.equal(unitTypeLabel("phuong"), "Phường");
    assert.equal(unitTypeLabel("xa"), "Xã");
    assert.equal(unitTypeLabel("thi_tran"), "Thị trấn");
  });

  test("an unknown code shows the fallback, else itself", () => {
    assert.equal(statusLabel("archived", "Lưu trữ"), "Lưu trữ");
    assert.equal(statusLabel("archived"), "archived");
    assert.equal(unitTypeLabel("quan", "Quận"), "Quận");
    assert.equal(statusLabel("toString"), "toString"); // not an Object.prototype member
  });
});

describe("categoryName", () => {
  const beach = { code: "bai_bien", name_vi: "Bãi biển", name_en: "Beach", name_zh: "海滩" };

  test("the name in the language asked for, Vietnamese when untranslated", () => {
    assert.equal(categoryName(beach, "en"), "Beach");
    assert.equal(categoryName(beach, "zh-hans"), "海滩");
    assert.equal(categoryName({ ...beach, name_zh: "" }, "zh-hans"), "Bãi biển");
  });

  test("a category without any name shows its code made readable, never the raw code", () => {
    assert.equal(categoryName({ code: "di_tich" }, "en"), "Di tich");
    assert.equal(categoryName(null), "");
  });
});

describe("humanizeCode", () => {
  test("underscores and dashes become spaces, the first letter a capital", () => {
    assert.equal(humanizeCode("bai_bien"), "Bai bien");
    assert.equal(humanizeCode("cho-dem"), "Cho dem");
    assert.equal(humanizeCode(""), "");
  });
});

describe("byLabel", () => {
  test("sorts by label in the locale's order, not by code", () => {
    const items = [
      { code: "z", label: "Đền" },
      { code: "a", label: "Chợ" },
      { code: "m", label: "Bãi biển" },
    ];
    assert.deepEqual(
      byLabel(items, "vi-VN").map((i) => i.label),
      ["Bãi biển", "Chợ", "Đền"],
    );
  });
});

describe("the planner's names (Vietnamese, no catalog loaded)", () => {
  test("each thematic layer and measure has its own name; an unknown code shows as itself", () => {
    const layers = ["wards", "heat", "grid", "choropleth", "hotspots"].map(layerName);
    assert.equal(new Set(layers).size, 5);
    assert.equal(layerName("hotspots"), "Điểm nóng");
    assert.equal(measureName("per_1000_residents"), "Phản ánh trên 1.000 dân");
    assert.equal(measureUnit("on_time_pct"), "%");
    assert.equal(layerName("tourism"), "tourism");
  });
});
