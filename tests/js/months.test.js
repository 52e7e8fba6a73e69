import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { lastDayOfMonth, monthLabel, monthPeriod } from "../../web_map/static/web_map/js/months.js";

describe("monthLabel", () => {
  test("Vietnamese as mm/yyyy, English and Chinese in their own locale's short form", () => {
    assert.equal(monthLabel("2025-03", "vi", "vi-VN"), "03/2025");
    assert.equal(monthLabel("2025-12", "vi", "vi-VN"), "12/2025");
    assert.equal(monthLabel("2025-03", "en", "en-GB"), "Mar 2025");
    assert.equal(monthLabel("2025-03", "zh-hans", "zh-CN"), "2025年3月");
  });
});

describe("lastDayOfMonth", () => {
  test("month lengths, leap years included", () => {
    assert.equal(lastDayOfMonth("2025-01"), "2025-01-31");
    assert.equal(lastDayOfMonth("2025-04"), "2025-04-30");
    assert.equal(lastDayOfMonth("2024-02"), "2024-02-29");
    assert.equal(lastDayOfMonth("2025-02"), "2025-02-28");
    assert.equal(lastDayOfMonth("1900-02"), "1900-02-28");
    assert.equal(lastDayOfMonth("2025-12"), "2025-12-31");
  });
});

describe("monthPeriod", () => {
  test("from the first day of the first month to the last day of the last", () => {
    assert.deepEqual(monthPeriod("2024-11", "2025-02"), { since: "2024-11-01", until: "2025-02-28" });
    assert.deepEqual(monthPeriod("2024-02", "2024-02"), { since: "2024-02-01", until: "2024-02-29" });
  });
});
