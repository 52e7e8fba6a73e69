// Small helpers shared by the map pages.

/**
 * Status lines (tiles down, a layer missing) kept as translation keys in #map-notice and
 * re-rendered on language change; `translate` is the page's own t().
 */
export function notifier(translate, onLanguageChange) {
  const el = document.getElementById("map-notice");
  const messages = new Map();
  const render = () => {
    const text = [...messages.values()].map(([key, params]) => translate(key, params)).join(" ");
    el.textContent = text;
    el.hidden = !text;
  };
  onLanguageChange(render);
  return (source, key, params = {}) => {
    if (key) messages.set(source, [key, params]);
    else messages.delete(source);
    render();
  };
}

/** Only http(s) or same-origin URLs reach src/href: a `javascript:` URL must never load. */
export function safeUrl(value) {
  if (!value) return null;
  try {
    const url = new URL(value, window.location.href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}
