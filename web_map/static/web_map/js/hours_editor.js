// The opening-hours editor's model, pure: the places' hours JSON ({"mon": [["08:00", "17:30"]],
// ..., "always": false}; {} is unknown, {"always": true} is 24/7) as three modes and a list
// of ranges per day, and back. Every change returns a new model; the page re-draws from it.
// A range whose close is not after its open runs past midnight, as the server reads it.

export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
export const DEFAULT_RANGE = ["08:00", "17:00"];
const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

function copyDays(days) {
  return Object.fromEntries(DAYS.map((day) => [day, (days?.[day] || []).map((r) => [...r])]));
}

function week(ranges) {
  return Object.fromEntries(DAYS.map((day) => [day, ranges.map((r) => [...r])]));
}

/** {mode: "unknown" | "always" | "weekly", days: {mon: [[open, close]], ...}} from the JSON. */
export function modelFrom(hours) {
  const value = hours && typeof hours === "object" && !Array.isArray(hours) ? hours : {};
  const known = DAYS.some((day) => Array.isArray(value[day]));
  if (value.always === true) return { mode: "always", days: known ? copyDays(value) : week([DEFAULT_RANGE]) };
  if (!known) return { mode: "unknown", days: week([DEFAULT_RANGE]) };
  return { mode: "weekly", days: copyDays(value) };
}

/** The JSON the API takes: {} unknown, {"always": true}, or every day listed ([] = closed). */
export function hoursFrom(model) {
  if (model.mode === "unknown") return {};
  if (model.mode === "always") return { always: true };
  return { ...copyDays(model.days), always: false };
}

export function setMode(model, mode) {
  return { mode, days: copyDays(model.days) };
}

/** A day closed (no ranges) or open again with the usual range. */
export function setClosed(model, day, closed) {
  const days = copyDays(model.days);
  days[day] = closed ? [] : [[...DEFAULT_RANGE]];
  return { ...model, days };
}

/** One more range on `day`: after the last one's close when there is one (a lunch break). */
export function addRange(model, day) {
  const days = copyDays(model.days);
  const last = days[day].at(-1);
  days[day].push(last ? [last[1], last[1] === "24:00" ? "24:00" : DEFAULT_RANGE[1]] : [...DEFAULT_RANGE]);
  return { ...model, days };
}

export function removeRange(model, day, index) {
  const days = copyDays(model.days);
  days[day].splice(index, 1);
  return { ...model, days };
}

/** Sets the open (which = 0) or close (which = 1) time of one range. */
export function setTime(model, day, index, which, value) {
  const days = copyDays(model.days);
  if (days[day][index]) days[day][index][which] = String(value || "");
  return { ...model, days };
}

/** Every day as `from` is (the usual "same hours all week"). */
export function copyToAll(model, from) {
  const ranges = model.days[from] || [];
  return { ...model, days: week(ranges) };
}

/** [{day, index}] of the ranges the server would refuse: a time not HH:MM, or open = close. */
export function rangeProblems(model) {
  if (model.mode !== "weekly") return [];
  const problems = [];
  for (const day of DAYS) {
    model.days[day].forEach(([open, close], index) => {
      if (!TIME.test(open) || !TIME.test(close) || open === close) problems.push({ day, index });
    });
  }
  return problems;
}

/** Whether a range runs past midnight (its close is not after its open): "18:00"–"02:00". */
export function pastMidnight([open, close]) {
  return TIME.test(open) && TIME.test(close) && close < open;
}
