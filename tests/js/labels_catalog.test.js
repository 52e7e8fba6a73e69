// With Django's JavaScript catalog loaded (window.gettext, as the page's <script> defines it)
// the labels come out translated: the codes reach the catalog as their Vietnamese msgids.
// Its own file: l10n.js reads `window` when first imported, and each test file runs alone.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

const ENGLISH = { "Đã xử lý": "Resolved", Phường: "Ward", Xã: "Commune", "Thị trấn": "Township" };
globalThis.window = { gettext: (msgid) => ENGLISH[msgid] ?? msgid };
const { statusLabel, unitTypeLabel } = await import("../../web_map/static/web_map/js/labels.js");

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
