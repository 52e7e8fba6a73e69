// The formatting helpers of l10n.js: numbers, changes, sizes, durations, dates.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  formatDateTime,
  formatDuration,
  formatNumber,
  formatSigned,
  formatSize,
} from "../../web_map/static/web_map/js/l10n.js";

describe("formatNumber", () => {
  test("Vietnamese groups with dots and decimals with a comma; English the other way", () => {
    assert.equal(formatNumber(1234.5, "vi-VN", 1), "1.234,5");
    assert.equal(formatNumber(1234.5, "en-GB", 1), "1,234.5");
  });

  test("rounded to the digits asked for (none by default); strings are numbers too", () => {
    assert.equal(formatNumber(2.345, "en-GB"), "2");
    assert.equal(formatNumber(2.345, "en-GB", 2), "2.35");
    assert.equal(formatNumber("1500", "en-GB"), "1,500");
  });
});

describe("formatSigned", () => {
  test("a rise carries a plus, a fall its minus, no change neither", () => {
    assert.equal(formatSigned(12, "en-GB"), "+12");
    assert.equal(formatSigned(-3.25, "en-GB", 1), "-3.3");
    assert.equal(formatSigned(0, "en-GB"), "0");
  });
});

describe("formatSize", () => {
  test("under a mebibyte in KB (at least 1), above in MB with one decimal", () => {
    assert.equal(formatSize(350 * 1024, "en"), "350 KB");
    assert.equal(formatSize(10, "en"), "1 KB");
    assert.equal(formatSize(0, "en"), "1 KB");
    assert.equal(formatSize(8 * 1024 * 1024, "en"), "8 MB");
    assert.equal(formatSize(1.25 * 1024 * 1024, "en"), "1.3 MB");
  });

  test("in the page's language", () => {
    assert.equal(formatSize(2.5 * 1024 * 1024, "vi"), "2,5 MB");
  });

  test("nonsense is nothing", () => {
    assert.equal(formatSize("abc", "en"), "1 KB");
  });
});

describe("formatDuration", () => {
  // Without Django's JS catalog (no browser here) the Vietnamese source text is shown.
  test("up to a minute and a half in seconds", () => {
    assert.equal(formatDuration(45), "45 giây");
    assert.equal(formatDuration(90), "90 giây");
    assert.equal(formatDuration(44.6), "45 giây");
  });

  test("whole minutes, then minutes and seconds", () => {
    assert.equal(formatDuration(120), "2 phút");
    assert.equal(formatDuration(125), "2 phút 5 giây");
  });
});

describe("formatDateTime", () => {
  const utc = "2025-03-04T05:06:00Z"; // 12:06 in Hà Nội (UTC+7)

  test("in the time zone asked for, whatever the machine's", () => {
    assert.equal(
      formatDateTime(utc, "en-GB", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "short" }),
      "04/03/2025, 12:06",
    );
    assert.equal(
      formatDateTime(Date.parse(utc), "en-GB", { timeZone: "UTC", dateStyle: "short" }),
      "04/03/2025, 05:06",
    );
  });

  test("medium dates by default", () => {
    assert.equal(formatDateTime(utc, "en-GB", { timeZone: "UTC" }), "4 Mar 2025, 05:06");
  });

  test("no date, no text", () => {
    assert.equal(formatDateTime("not a date", "en-GB"), "");
    assert.equal(formatDateTime(undefined, "en-GB"), "");
  });

  test("an unknown time zone falls back to the runtime's own format", () => {
    const date = new Date(utc);
    assert.equal(formatDateTime(utc, "en-GB", { timeZone: "Mars/Olympus" }), date.toLocaleString());
  });
});
