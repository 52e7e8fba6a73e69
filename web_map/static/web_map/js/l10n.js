// Translations for the ES modules: Django's JavaScriptCatalog (/jsi18n/<lang>/, loaded by the
// page as a classic script before the modules) defines window.gettext and friends. Strings are
// written in Vietnamese, the source language, inside the call so makemessages finds them:
//   gettext("Gửi phản ánh"), interpolate(gettext("Tối đa %(n)s ảnh."), { n: 5 }, true)
// Without the catalog (a page that does not load it) the Vietnamese text is shown as is.

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

/** The page's language, as the server rendered it (<html lang>). */
export function pageLanguage() {
  return document.documentElement.lang || "vi";
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
 * Fills the {name} placeholders of the dictionaries' strings (i18n.js, planner_i18n.js) from
 * `params`; a name without a value stays as written. Plain text, never HTML.
 */
export function fillPlaceholders(template, params = {}) {
  return template.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}
