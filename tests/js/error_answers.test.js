// api.js's reading of the API's error answers (the report form's lines, the outbox's refusals).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  ApiError,
  formErrors,
  isRefusal,
  layerNotice,
  refusalMessage,
} from "../../web_map/static/web_map/js/api.js";

describe("formErrors", () => {
  const form = {
    fields: ["location", "category", "description"],
    aliases: { lon: "location", lat: "location" },
  };

  test("each field's messages go to its line; lon and lat to the location's", () => {
    const errors = { category: ["Bắt buộc."], lon: ["Ngoài vùng."], lat: "Sai." };
    assert.deepEqual(formErrors(errors, "Dữ liệu không hợp lệ.", form), {
      byField: { category: ["Bắt buộc."], location: ["Ngoài vùng.", "Sai."] },
      general: [],
    });
  });

  test("messages of fields the form does not show go above it", () => {
    const errors = { non_field_errors: ["Trùng."], description: ["Quá dài."] };
    assert.deepEqual(formErrors(errors, "x", form), {
      byField: { description: ["Quá dài."] },
      general: ["Trùng."],
    });
  });

  test("the detail only when no field was named", () => {
    assert.deepEqual(formErrors({}, "Máy chủ bận.", form), { byField: {}, general: ["Máy chủ bận."] });
    assert.deepEqual(formErrors(undefined, "Máy chủ bận.", form), { byField: {}, general: ["Máy chủ bận."] });
    assert.deepEqual(formErrors(undefined, "", form), { byField: {}, general: [] });
  });

  test("messages that are not strings are shown as text", () => {
    assert.deepEqual(formErrors({ category: [42] }, "", form).byField, { category: ["42"] });
  });
});

describe("isRefusal", () => {
  test("a 4xx is final", () => {
    for (const status of [400, 403, 404, 409, 413, 422, 499]) assert.ok(isRefusal({ status }), status);
  });

  test("timeouts, rate limits, server trouble and no answer are worth another try", () => {
    for (const status of [408, 429, 500, 502, 503, 0]) assert.ok(!isRefusal({ status }), status);
    assert.ok(!isRefusal(new Error("network")));
    assert.ok(!isRefusal(null));
    assert.ok(!isRefusal({ status: "400" }));
  });
});

describe("refusalMessage", () => {
  test("the fields' own messages first, each once, in order", () => {
    const error = {
      status: 400,
      body: {
        detail: "category: required",
        errors: { category: ["Chọn lĩnh vực.", ""], photos: "Ảnh hỏng.", x: ["Chọn lĩnh vực."] },
      },
    };
    assert.equal(refusalMessage(error), "Chọn lĩnh vực. Ảnh hỏng.");
  });

  test("the detail when no field says more", () => {
    assert.equal(refusalMessage({ body: { detail: "Bị từ chối." } }), "Bị từ chối.");
    assert.equal(
      refusalMessage({ body: { detail: "Bị từ chối.", errors: { a: [null, 3] } } }),
      "Bị từ chối.",
    );
  });

  test("a sentence of our own when the server said nothing usable", () => {
    assert.equal(refusalMessage({ body: {} }), "Máy chủ không nhận phản ánh này.");
    assert.equal(refusalMessage({ status: 403 }), "Máy chủ không nhận phản ánh này.");
    assert.equal(refusalMessage(undefined), "Máy chủ không nhận phản ánh này.");
  });
});

describe("layerNotice", () => {
  test("a refusal that says why is shown in the server's words", () => {
    for (const status of [400, 429]) {
      const notice = layerNotice(new ApiError(status, { detail: "Thử lại sau 30 giây." }));
      assert.deepEqual(notice, { key: "notice.invalid", detail: "Thử lại sau 30 giây." });
    }
    const notReady = new ApiError(404, { detail: "Chưa tính sẵn.", precomputed: { days: 90 } });
    assert.deepEqual(layerNotice(notReady), { key: "notice.invalid", detail: "Chưa tính sẵn." });
  });

  test("a plain 404 is a layer missing here; anything else a failure", () => {
    assert.deepEqual(layerNotice(new ApiError(404, { detail: "Not found." })), { key: "notice.missing" });
    assert.deepEqual(layerNotice(new ApiError(500, null)), { key: "notice.failed" });
    assert.deepEqual(layerNotice(new TypeError("offline")), { key: "notice.failed" });
  });
});
