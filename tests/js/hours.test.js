// hours.js: "open now" in the city's time zone (past midnight, 24/7, unknown), today's key
// and the rows shown with weekday names in the page's locale.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  hoursKnown,
  hoursRows,
  isOpen,
  minutesOf,
  todayKey,
  weekdayNames,
} from "../../web_map/static/web_map/js/hours.js";

const TZ = "Asia/Ho_Chi_Minh"; // UTC+7, no daylight saving
// A moment given as local time in Móng Cái: 2025-06-02 was a Monday.
const at = (day, time) => new Date(`2025-06-${String(day).padStart(2, "0")}T${time}:00+07:00`);

const OFFICE = {
  mon: [["08:00", "17:30"]],
  tue: [
    ["08:00", "11:30"],
    ["13:30", "17:30"],
  ],
  wed: [["08:00", "17:30"]],
  thu: [["08:00", "17:30"]],
  fri: [["08:00", "17:30"]],
  sat: [["08:00", "12:00"]],
  sun: [],
  always: false,
};
// A bar open Friday and Saturday evenings until 02:00 the next morning.
const BAR = {
  mon: [],
  tue: [],
  wed: [],
  thu: [],
  fri: [["18:00", "02:00"]],
  sat: [["18:00", "02:00"]],
  sun: [],
};

describe("minutesOf", () => {
  test("HH:MM to minutes; 24:00 is the end of the day; junk is null", () => {
    assert.equal(minutesOf("08:30"), 510);
    assert.equal(minutesOf("24:00"), 1440);
    assert.equal(minutesOf("25:00"), null);
    assert.equal(minutesOf("8h30"), null);
    assert.equal(minutesOf(undefined), null);
  });
});

describe("isOpen", () => {
  test("inside a range, at its opening minute, and closed at its closing minute", () => {
    assert.equal(isOpen(OFFICE, at(2, "10:00"), TZ), true);
    assert.equal(isOpen(OFFICE, at(2, "08:00"), TZ), true);
    assert.equal(isOpen(OFFICE, at(2, "17:30"), TZ), false);
    assert.equal(isOpen(OFFICE, at(2, "07:59"), TZ), false);
  });

  test("a lunch break between two ranges is closed", () => {
    assert.equal(isOpen(OFFICE, at(3, "12:00"), TZ), false);
    assert.equal(isOpen(OFFICE, at(3, "14:00"), TZ), true);
  });

  test("a day listed with no ranges is closed", () => {
    assert.equal(isOpen(OFFICE, at(8, "10:00"), TZ), false); // Sunday
  });

  test("past midnight: open late on Friday and into Saturday morning, closed after 02:00", () => {
    assert.equal(isOpen(BAR, at(6, "23:00"), TZ), true); // Friday night
    assert.equal(isOpen(BAR, at(7, "01:30"), TZ), true); // Saturday 01:30, Friday's range
    assert.equal(isOpen(BAR, at(7, "02:00"), TZ), false);
    assert.equal(isOpen(BAR, at(7, "12:00"), TZ), false);
    assert.equal(isOpen(BAR, at(8, "01:00"), TZ), true); // Sunday 01:00, Saturday's range
    assert.equal(isOpen(BAR, at(9, "01:00"), TZ), false); // Monday 01:00: Sunday is closed
  });

  test("Sunday's past-midnight range runs into Monday (the week wraps)", () => {
    const sunday = { ...BAR, sun: [["20:00", "03:00"]] };
    assert.equal(isOpen(sunday, at(9, "02:59"), TZ), true);
    assert.equal(isOpen(sunday, at(9, "03:00"), TZ), false);
  });

  test("always is open at any hour; a range whose close equals its open is the whole day", () => {
    assert.equal(isOpen({ always: true }, at(4, "03:00"), TZ), true);
    assert.equal(isOpen({ mon: [["00:00", "00:00"]] }, at(2, "23:59"), TZ), true);
    assert.equal(isOpen({ mon: [["00:00", "24:00"]] }, at(2, "23:59"), TZ), true);
  });

  test("unknown hours are null, not closed: {}, null, always false alone, a day not listed", () => {
    assert.equal(isOpen({}, at(2, "10:00"), TZ), null);
    assert.equal(isOpen(null, at(2, "10:00"), TZ), null);
    assert.equal(isOpen({ always: false }, at(2, "10:00"), TZ), null);
    assert.equal(isOpen({ mon: [["08:00", "17:00"]] }, at(3, "10:00"), TZ), null); // Tuesday
  });

  test("the city's clock decides, not the phone's: 23:30 UTC Sunday is Monday 06:30 in the city", () => {
    const early = { mon: [["06:00", "07:00"]], sun: [] };
    const moment = new Date("2025-06-08T23:30:00Z");
    assert.equal(isOpen(early, moment, TZ), true);
    assert.equal(isOpen(early, moment, "UTC"), false); // Sunday in UTC
  });

  test("ranges that are not two HH:MM times are ignored", () => {
    assert.equal(isOpen({ mon: [["8h", "17h"], ["09:00"]] }, at(2, "10:00"), TZ), false);
  });
});

describe("todayKey", () => {
  test("the weekday in the city's time zone", () => {
    assert.equal(todayKey(at(2, "00:10"), TZ), "mon");
    assert.equal(todayKey(at(2, "00:10"), "UTC"), "sun");
    assert.equal(todayKey(at(8, "12:00"), TZ), "sun");
  });
});

describe("hoursRows", () => {
  test("seven rows Monday first, today's marked, closed and split days written out", () => {
    const rows = hoursRows(OFFICE, { locale: "en-GB", date: at(3, "10:00"), timeZone: TZ });
    assert.deepEqual(
      rows.map((r) => [r.key, r.label, r.text, r.today]),
      [
        ["mon", "Monday", "08:00–17:30", false],
        ["tue", "Tuesday", "08:00–11:30, 13:30–17:30", true],
        ["wed", "Wednesday", "08:00–17:30", false],
        ["thu", "Thursday", "08:00–17:30", false],
        ["fri", "Friday", "08:00–17:30", false],
        ["sat", "Saturday", "08:00–12:00", false],
        ["sun", "Sunday", "Đóng cửa", false],
      ],
    );
  });

  test("weekday names in the page's locale", () => {
    assert.deepEqual(weekdayNames("vi-VN").slice(0, 2), ["Thứ Hai", "Thứ Ba"]);
    assert.equal(weekdayNames("vi-VN")[6], "Chủ Nhật");
    assert.deepEqual(weekdayNames("zh-CN").slice(0, 1), ["星期一"]);
    const rows = hoursRows(BAR, { locale: "vi-VN", date: at(6, "20:00"), timeZone: TZ });
    assert.equal(rows.find((r) => r.today).label, "Thứ Sáu");
    assert.equal(rows.find((r) => r.today).text, "18:00–02:00");
  });

  test("24/7 is one row, unknown is none, a day not listed says so", () => {
    const always = hoursRows({ always: true }, { locale: "vi-VN", date: at(2, "10:00"), timeZone: TZ });
    assert.deepEqual(
      always.map((r) => [r.label, r.text, r.today]),
      [["Mọi ngày", "Mở cửa 24/24", true]],
    );
    assert.deepEqual(hoursRows({}, { locale: "vi-VN" }), []);
    const partial = hoursRows(
      { mon: [["08:00", "17:00"]] },
      { locale: "vi-VN", date: at(2, "10:00"), timeZone: TZ },
    );
    assert.equal(partial[1].text, "Chưa rõ");
  });

  test("hoursKnown", () => {
    assert.equal(hoursKnown({}), false);
    assert.equal(hoursKnown({ always: false }), false);
    assert.equal(hoursKnown({ sun: [] }), true);
    assert.equal(hoursKnown({ always: true }), true);
  });
});
