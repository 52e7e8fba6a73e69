// Suggested categories while the citizen types the description (issue 14): the pure parts.
// The form asks POST /api/v1/categories/suggest/ a moment after typing stops and shows up to
// three categories to tap; it never chooses one by itself. No page state here
// (tests/js/category_suggest.test.js).

export const SUGGEST_DELAY_MS = 450; // after the last key: one request per pause, not per key
export const MIN_SCORE = 0.12; // below this a suggestion is noise, not help
export const MIN_LETTERS = 8; // the server's CATEGORY_SUGGEST_MIN_CHARS

/** Whether `text` is long enough to ask about (letters only, as the server counts). */
export function worthAsking(text) {
  return (String(text).match(/\p{L}/gu) || []).length >= MIN_LETTERS;
}

/**
 * The suggestions to offer: those scoring at least MIN_SCORE, best first, without the one
 * already chosen; none at all when the best one is the one chosen (the form agrees).
 */
export function suggestionsToShow(suggestions, chosen) {
  const good = (suggestions || []).filter((s) => s && typeof s.code === "string" && s.score >= MIN_SCORE);
  if (!good.length || good[0].code === chosen) return [];
  return good.filter((s) => s.code !== chosen);
}

/** `fn` called once `ms` after the last call (its latest arguments); `.cancel()` drops it. */
export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...args);
    }, ms);
  };
  wrapped.cancel = () => {
    clearTimeout(timer);
    timer = null;
  };
  return wrapped;
}
