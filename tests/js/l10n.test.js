import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { fillPlaceholders, interpolate, localeFor, ngettext } from "../../web_map/static/web_map/js/l10n.js";

describe("localeFor", () => {
  test("each page language has its locale; anything else is Vietnamese", () => {
    assert.equal(localeFor("vi"), "vi-VN");
    assert.equal(localeFor("en"), "en-GB");
    assert.equal(localeFor("zh-hans"), "zh-CN");
    assert.equal(localeFor("fr"), "vi-VN");
    assert.equal(localeFor(undefined), "vi-VN");
  });
});

describe("fillPlaceholders", () => {
  test("named values replace their placeholders, every occurrence", () => {
    assert.equal(
      fillPlaceholders("{n} điểm nóng, {e} mới nổi, {n}", { n: 3, e: 0 }),
      "3 điểm nóng, 0 mới nổi, 3",
    );
  });

  test("a placeholder without a value stays as written", () => {
    assert.equal(fillPlaceholders("{from} – {to}", { from: "01/2025" }), "01/2025 – {to}");
    assert.equal(fillPlaceholders("Đang tải…"), "Đang tải…");
  });

  test("values are text: a $ pattern or markup is not interpreted", () => {
    assert.equal(fillPlaceholders("«{layer}»", { layer: "$& <b>" }), "«$& <b>»");
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
