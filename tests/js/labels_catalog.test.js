// With Django's JavaScript catalog loaded (window.gettext, as the page's <script> defines it)
// the labels come out translated: the codes reach the catalog as their Vietnamese msgids.
// Its own file: l10n.js reads `window` when first imported, and each test file runs alone.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

const ENGLISH = {
  "Đã xử lý": "Resolved",
  Phường: "Ward",
  Xã: "Commune",
  "Thị trấn": "Township",
  "Phường %(name)s": "%(name)s Ward",
  "Xã %(name)s": "%(name)s Commune",
};
globalThis.window = { gettext: (msgid) => ENGLISH[msgid] ?? msgid };
const { statusLabel, unitTypeLabel, wardTitle } = await import("../../web_map/static/web_map/js/labels.js");

describe("labels through the catalog", () => {
  test("a status and the unit types in the catalog's language", () => {
    assert.equal(statusLabel("resolved"), "Resolved");
    assert.equal(unitTypeLabel("phuong"), "Ward");
    assert.equal(unitTypeLabel("xa"), "Commune");
    assert.equal(unitTypeLabel("thi_tran"), "Township");
  });

  test("a msgid the catalog lacks stays Vietnamese", () => {
    assert.equal(statusLabel("received"), "Tiếp nhận");
  });
});

describe("wardTitle through the catalog", () => {
  test("the unit type translated in the language's order, the name kept", () => {
    assert.equal(wardTitle({ name: "Hải Hòa", unit_type: "phuong" }), "Hải Hòa Ward");
    assert.equal(wardTitle({ name: "Hải Xuân", unit_type: "xa" }), "Hải Xuân Commune");
  });

  test("a ward sent without its unit type is read from its Vietnamese title", () => {
    assert.equal(wardTitle({ name: "Móng Cái 2", full_name: "Phường Móng Cái 2" }), "Móng Cái 2 Ward");
  });

  test("an unknown unit type keeps the full name; the untranslated one stays Vietnamese", () => {
    assert.equal(wardTitle({ name: "X", full_name: "Quận X", unit_type: "quan" }), "Quận X");
    assert.equal(wardTitle({ name: "Trới", unit_type: "thi_tran" }), "Thị trấn Trới");
    assert.equal(wardTitle(null), "");
  });
});
