import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { pickLanguage, statusLabel, t, unitTypeLabel } from "../../web_map/static/web_map/js/i18n.js";

describe("pickLanguage", () => {
  test("the stored choice wins over the server's default", () => {
    assert.equal(pickLanguage("en", "vi"), "en");
    assert.equal(pickLanguage("vi", "en"), "vi");
  });

  test("without a usable stored choice, the server's default, else Vietnamese", () => {
    assert.equal(pickLanguage(null, "en"), "en");
    assert.equal(pickLanguage("fr", "en"), "en");
    assert.equal(pickLanguage(null, "zh-hans"), "vi");
  });

  test("an authoritative server language wins when it is supported", () => {
    assert.equal(pickLanguage("en", "vi", { authoritative: true }), "vi");
    assert.equal(pickLanguage("en", "zh-hans", { authoritative: true }), "en");
    assert.equal(pickLanguage(null, "zh-hans", { authoritative: true }), "vi");
  });
});

describe("t (Vietnamese, no catalog loaded)", () => {
  test("a string with its placeholders filled", () => {
    assert.equal(t("app.reportsCount", { n: "1.234" }), "1.234 phản ánh");
  });

  test("an unknown key is shown as itself", () => {
    assert.equal(t("no.such.key"), "no.such.key");
  });
});

describe("labels", () => {
  test("known codes have a label; others the fallback, else the code", () => {
    assert.equal(statusLabel("resolved"), "Đã xử lý");
    assert.equal(statusLabel("archived", "Lưu trữ"), "Lưu trữ");
    assert.equal(statusLabel("archived"), "archived");
    assert.equal(unitTypeLabel("xa"), "Xã");
    assert.equal(unitTypeLabel("quan", "Quận"), "Quận");
  });
});
