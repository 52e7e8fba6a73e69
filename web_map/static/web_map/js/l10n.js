// Translations for the ES modules: Django's JavaScriptCatalog (/jsi18n/<lang>/, loaded by the
// page as a classic script before the modules) defines window.gettext and friends. Strings are
// written in Vietnamese, the source language, inside the call so makemessages finds them:
//   gettext("Gửi phản ánh"), interpolate(gettext("Tối đa %(n)s ảnh."), { n: 5 }, true)
// Without the catalog (a page that does not load it) the Vietnamese text is shown as is.
// Also the locale-aware formatting (numbers, sizes, durations, dates) for the locale the
// caller passes: no page state in those, so every page formats alike.

const catalog = typeof window !== "undefined" ? window : {};

export function gettext(msgid) {
  return typeof catalog.gettext === "function" ? catalog.gettext(msgid) : msgid;
}

export function ngettext(singular, plural, count) {
  if (typeof catalog.ngettext === "function") return catalog.ngettext(singular, plural, count);
  return count === 1 ? singular : plural;
}

export function pgettext(context, msgid) {
  return typeof catalog.pgettext === "function" ? catalog.pgettext(context, msgid) : msgid;
}

/** Fills %(name)s (named = true) or %s placeholders; the result is plain text, never HTML. */
export function interpolate(format, values, named = false) {
  if (typeof catalog.interpolate === "function") return catalog.interpolate(format, values, named);
  if (named) return format.replace(/%\((\w+)\)s/g, (m, name) => String(values[name] ?? m));
  let i = 0;
  return format.replace(/%s/g, () => String(values[i++]));
}

/** The page's language, as the server rendered it (<html lang>): "vi", "en", "zh-hans". */
export function pageLanguage() {
  return (typeof document !== "undefined" && document.documentElement.lang) || "vi";
}

const LOCALES = { vi: "vi-VN", en: "en-GB", "zh-hans": "zh-CN" };

/** The locale for Intl formatting of dates and numbers in a language (Vietnamese's else). */
export function localeFor(language) {
  return LOCALES[language] || "vi-VN";
}

/** A locale for Intl formatting of dates and numbers. */
export function pageLocale() {
  return localeFor(pageLanguage());
}

/**
 * A data name in the visitor's language: `obj[field_zh]` for Chinese, `obj[field_en]` for
 * English, else the Vietnamese one (`obj[field_vi]`, or plain `obj[field]`, which is
 * Vietnamese in the API), also when the translation is missing or empty. The server sends
 * every language's name (categories, layers, places), so the page picks without a request.
 */
export function localized(obj, field, language = pageLanguage()) {
  if (!obj) return "";
  const vietnamese = obj[`${field}_vi`] || obj[field] || "";
  const code = String(language || "").toLowerCase();
  const suffix = code.startsWith("zh") ? "zh" : code.startsWith("en") ? "en" : "";
  return (suffix && obj[`${field}_${suffix}`]) || vietnamese;
}

// --- Formatting ----------------------------------------------------------------------------

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
