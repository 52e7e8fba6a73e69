// Numbers, sizes, durations and dates for people, in the locale the caller passes: no page
// state, so the map, the report form, the outbox and the planner all format alike.

import { gettext, interpolate } from "./l10n.js";

/** 1.234,5 in Vietnamese, 1,234.5 in English: at most `digits` decimals. */
export function formatNumber(value, locale, digits = 0) {
  return Number(value).toLocaleString(locale, { maximumFractionDigits: digits });
}

/** A change: "+12" for a rise, "-3" for a fall, "0" for none. */
export function formatSigned(value, locale, digits = 0) {
  return `${value > 0 ? "+" : ""}${formatNumber(value, locale, digits)}`;
}

/** "8 MB", "350 KB": sizes for people, never a byte count. */
export function formatSize(bytes, locale) {
  const n = Number(bytes) || 0;
  const fmt = (v) => v.toLocaleString(locale, { maximumFractionDigits: 1 });
  if (n >= 1024 * 1024) return `${fmt(Math.round((n / (1024 * 1024)) * 10) / 10)} MB`;
  return `${fmt(Math.max(1, Math.round(n / 1024)))} KB`;
}

/** "45 giây", "60 giây", "2 phút", "2 phút 5 giây" (translated through the JS catalog). */
export function formatDuration(seconds) {
  const s = Math.round(Number(seconds) || 0);
  if (s <= 90) return interpolate(gettext("%(s)s giây"), { s }, true);
  if (s % 60 === 0) return interpolate(gettext("%(m)s phút"), { m: s / 60 }, true);
  return interpolate(gettext("%(m)s phút %(s)s giây"), { m: Math.floor(s / 60), s: s % 60 }, true);
}

/**
 * A date and time (an ISO string or milliseconds) in `timeZone`: "" for no valid date, the
 * browser's own format where Intl refuses the options (an unknown time zone).
 */
export function formatDateTime(
  value,
  locale,
  { timeZone = "", dateStyle = "medium", timeStyle = "short" } = {},
) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  const options = { dateStyle, timeStyle };
  if (timeZone) options.timeZone = timeZone;
  try {
    return new Intl.DateTimeFormat(locale, options).format(date);
  } catch {
    return date.toLocaleString();
  }
}
