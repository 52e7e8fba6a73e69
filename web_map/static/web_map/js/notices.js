// Small helpers shared by the map pages.

/**
 * Status lines (tiles down, a layer missing) in #map-notice, one per source: `notify(source,
 * text)` sets that source's line (already translated, gettext), `notify(source, null)` clears it.
 */
export function notifier() {
  const el = document.getElementById("map-notice");
  const messages = new Map();
  const render = () => {
    const text = [...messages.values()].join(" ");
    el.textContent = text;
    el.hidden = !text;
  };
  return (source, text) => {
    if (text) messages.set(source, text);
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
