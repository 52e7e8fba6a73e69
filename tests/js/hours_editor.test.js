// hours_editor.js: the hours JSON as modes and day ranges, and back, without losing a day.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  addRange,
  copyToAll,
  DAYS,
  hoursFrom,
  modelFrom,
  pastMidnight,
  rangeProblems,
  removeRange,
  setClosed,
  setMode,
  setTime,
} from "../../web_map/static/web_map/js/hours_editor.js";

describe("modes", () => {
  test("{} and nonsense are unknown, and unknown goes back as {}", () => {
    for (const hours of [{}, null, [], "08-17", { always: false }]) {
      const model = modelFrom(hours);
      assert.equal(model.mode, "unknown");
      assert.deepEqual(hoursFrom(model), {});
    }
  });

  test("always is 24/7 whatever the days say", () => {
    assert.deepEqual(hoursFrom(modelFrom({ always: true })), { always: true });
    assert.equal(modelFrom({ always: true, mon: [] }).mode, "always");
  });

  test("weekly lists every day; a day the JSON leaves out is closed", () => {
    const model = modelFrom({ mon: [["08:00", "17:30"]], always: false });
    assert.equal(model.mode, "weekly");
    const hours = hoursFrom(model);
    assert.deepEqual(hours.mon, [["08:00", "17:30"]]);
    for (const day of DAYS.slice(1)) assert.deepEqual(hours[day], []);
    assert.equal(hours.always, false);
  });

  test("switching unknown to weekly starts from the usual day, every day", () => {
    const hours = hoursFrom(setMode(modelFrom({}), "weekly"));
    assert.deepEqual(hours.sun, [["08:00", "17:00"]]);
  });
});

describe("editing", () => {
  const base = modelFrom({ mon: [["08:00", "11:30"]], tue: [["08:00", "17:00"]] });

  test("a second range starts at the first one's close", () => {
    const model = setTime(addRange(base, "mon"), "mon", 1, 1, "21:00");
    assert.deepEqual(hoursFrom(model).mon, [
      ["08:00", "11:30"],
      ["11:30", "21:00"],
    ]);
    assert.deepEqual(hoursFrom(base).mon, [["08:00", "11:30"]], "the old model is unchanged");
  });

  test("closing and opening a day, removing a range", () => {
    assert.deepEqual(hoursFrom(setClosed(base, "tue", true)).tue, []);
    assert.deepEqual(hoursFrom(setClosed(base, "wed", false)).wed, [["08:00", "17:00"]]);
    assert.deepEqual(hoursFrom(removeRange(base, "mon", 0)).mon, []);
  });

  test("copy one day to the whole week", () => {
    const hours = hoursFrom(copyToAll(base, "tue"));
    for (const day of DAYS) assert.deepEqual(hours[day], [["08:00", "17:00"]]);
  });

  test("problems: an empty or equal time; past midnight is fine", () => {
    let model = setTime(base, "mon", 0, 1, "");
    model = setTime(addRange(model, "tue"), "tue", 1, 0, "17:00");
    model = setTime(model, "tue", 1, 1, "17:00");
    assert.deepEqual(rangeProblems(model), [
      { day: "mon", index: 0 },
      { day: "tue", index: 1 },
    ]);
    const late = setTime(setTime(base, "mon", 0, 0, "18:00"), "mon", 0, 1, "02:00");
    assert.deepEqual(rangeProblems(late), []);
    assert.equal(pastMidnight(["18:00", "02:00"]), true);
    assert.equal(pastMidnight(["08:00", "17:00"]), false);
  });
});
