import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  interpolate,
  localeFor,
  localized,
  ngettext,
  pageLanguage,
} from "../../web_map/static/web_map/js/l10n.js";

describe("localeFor", () => {
  test("each page language has its locale; anything else is Vietnamese", () => {
    assert.equal(localeFor("vi"), "vi-VN");
    assert.equal(localeFor("en"), "en-GB");
    assert.equal(localeFor("zh-hans"), "zh-CN");
    assert.equal(localeFor("fr"), "vi-VN");
    assert.equal(localeFor(undefined), "vi-VN");
  });
});

describe("localized", () => {
  const category = { code: "bai_bien", name_vi: "Bãi biển", name_en: "Beach", name_zh: "海滩" };

  test("each language's own name", () => {
    assert.equal(localized(category, "name", "vi"), "Bãi biển");
    assert.equal(localized(category, "name", "en"), "Beach");
    assert.equal(localized(category, "name", "zh-hans"), "海滩");
  });

  test("a missing or empty translation falls back to the Vietnamese name", () => {
    assert.equal(localized({ name_vi: "Chợ", name_en: "", name_zh: null }, "name", "en"), "Chợ");
    assert.equal(localized({ name_vi: "Chợ" }, "name", "zh-hans"), "Chợ");
  });

  test("a place's plain field is its Vietnamese name (POI name, description, notes)", () => {
    const poi = { name: "Bãi Trà Cổ", name_en: "Tra Co Beach", name_zh: "" };
    assert.equal(localized(poi, "name", "en"), "Tra Co Beach");
    assert.equal(localized(poi, "name", "zh-hans"), "Bãi Trà Cổ");
    assert.equal(localized(poi, "name", "vi"), "Bãi Trà Cổ");
    assert.equal(localized({ notes: "Mở 24/7" }, "notes", "fr"), "Mở 24/7");
  });

  test("nothing to name is an empty string", () => {
    assert.equal(localized(null, "name", "en"), "");
    assert.equal(localized({}, "name", "en"), "");
  });

  test("without a document (Node) the page is Vietnamese", () => {
    assert.equal(pageLanguage(), "vi");
    assert.equal(localized(category, "name"), "Bãi biển");
  });
});

describe("without Django's catalog", () => {
  test("interpolate fills named and positional placeholders", () => {
    assert.equal(interpolate("Tối đa %(n)s ảnh.", { n: 5 }, true), "Tối đa 5 ảnh.");
    assert.equal(interpolate("%s / %s", [1, 2]), "1 / 2");
    assert.equal(interpolate("%(missing)s", {}, true), "%(missing)s");
  });

  test("ngettext picks the singular for one", () => {
    assert.equal(ngettext("one", "many", 1), "one");
    assert.equal(ngettext("one", "many", 2), "many");
  });
});
