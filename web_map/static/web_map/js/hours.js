// Opening hours of a place (the structured JSON of the places API, see notes PLACES.md):
// {"mon": [["08:00", "17:30"]], ..., "sun": [], "always": false}. Keys mon..sun each hold
// [open, close] ranges in the city's local time; close before open runs past midnight;
// {"always": true} is 24/7; {} (or no day at all) is unknown. Pure: the date and the time zone
// come from the caller, so "open now" is the city's now whatever the phone's own zone is.

import { gettext } from "./l10n.js";

export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
export const CITY_TIME_ZONE = "Asia/Ho_Chi_Minh";
const MINUTES_PER_DAY = 24 * 60;
const SHORT_TO_KEY = { Mon: "mon", Tue: "tue", Wed: "wed", Thu: "thu", Fri: "fri", Sat: "sat", Sun: "sun" };

/** "08:30" -> 510; "24:00" -> 1440; anything else -> null. */
export function minutesOf(text) {
  const match = /^([01]?\d|2[0-4]):([0-5]\d)$/.exec(String(text ?? ""));
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= MINUTES_PER_DAY ? minutes : null;
}

/** The weekday key ("mon".."sun") and minutes since midnight of `date` in `timeZone`. */
export function localTime(date, timeZone = CITY_TIME_ZONE) {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date);
  const get = (type) => parts.find((p) => p.type === type)?.value;
  return {
    day: SHORT_TO_KEY[get("weekday")],
    minutes: (Number(get("hour")) % 24) * 60 + Number(get("minute")),
  };
}

/** Today's weekday key in `timeZone` (the city's by default). */
export function todayKey(date = new Date(), timeZone = CITY_TIME_ZONE) {
  return localTime(date, timeZone).day;
}

/** Whether the hours say anything: 24/7, or at least one day listed. */
export function hoursKnown(hours) {
  if (!hours || typeof hours !== "object") return false;
  return hours.always === true || DAYS.some((d) => Array.isArray(hours[d]));
}

/** The valid [open, close] ranges of a day, as minutes; null when the day is not listed. */
function ranges(hours, day) {
  const list = hours[day];
  if (!Array.isArray(list)) return null;
  const out = [];
  for (const range of list) {
    if (!Array.isArray(range) || range.length !== 2) continue;
    const open = minutesOf(range[0]);
    const close = minutesOf(range[1]);
    if (open !== null && close !== null) out.push([open, close]);
  }
  return out;
}

/**
 * Open at `date` (in `timeZone`)? true, false, or null when the hours are unknown (that day
 * not listed and no range of the day before still running). A range whose close is before its
 * open ends the next morning; one whose close equals its open lasts the whole day.
 */
export function isOpen(hours, date = new Date(), timeZone = CITY_TIME_ZONE) {
  if (!hoursKnown(hours)) return null;
  if (hours.always === true) return true;
  const { day, minutes } = localTime(date, timeZone);
  const yesterday = DAYS[(DAYS.indexOf(day) + 6) % 7];
  const before = ranges(hours, yesterday) || [];
  if (before.some(([open, close]) => close < open && minutes < close)) return true;
  const today = ranges(hours, day);
  if (today === null) return null;
  return today.some(([open, close]) => {
    if (close === open) return true;
    if (close < open) return minutes >= open;
    return minutes >= open && minutes < close;
  });
}

/** Weekday names in `locale`, Monday first ("Thứ Hai", "Monday", "星期一"). */
export function weekdayNames(locale) {
  const format = new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" });
  // 2024-01-01 was a Monday.
  return DAYS.map((_, i) => format.format(new Date(Date.UTC(2024, 0, 1 + i))));
}

/**
 * The rows to show: [{key, label, text, today}], Monday first, today's marked; one row for
 * 24/7; none when the hours are unknown. A listed day without ranges is closed; a day not
 * listed (while others are) is shown as unknown.
 */
export function hoursRows(hours, { locale, date = new Date(), timeZone = CITY_TIME_ZONE } = {}) {
  if (!hoursKnown(hours)) return [];
  const today = todayKey(date, timeZone);
  if (hours.always === true) {
    return [{ key: "always", label: gettext("Mọi ngày"), text: gettext("Mở cửa 24/24"), today: true }];
  }
  const names = weekdayNames(locale);
  return DAYS.map((key, i) => {
    const list = ranges(hours, key);
    let text;
    if (list === null) text = gettext("Chưa rõ");
    else if (list.length === 0) text = gettext("Đóng cửa");
    else
      text = (hours[key] || [])
        .filter((r) => minutesOf(r?.[0]) !== null && minutesOf(r?.[1]) !== null)
        .map((r) => `${r[0]}–${r[1]}`)
        .join(", ");
    return { key, label: names[i], text, today: key === today };
  });
}
