// Hiện Trường service worker (web_map/pwa.py renders it at /sw.js, so its scope is the site).
// - The app shell (the map page, its modules, CSS, vendored libraries, icons, the JS catalog)
//   is precached at install, in a cache named after a hash of those URLs; older caches go.
// - The shell's static files and the JS catalog (its URL carries a hash): cache first.
//   The map page (navigation): network first, the cached copy when there is no network or
//   the network is very slow, so the report form opens offline. Ward outlines and categories:
//   network first with a cached fallback. Every other request (API, tiles, other pages' files,
//   media) and every POST: untouched.
// - Background Sync: the page's outbox (js/outbox.js) registers the "ht-outbox" tag; when the
//   browser fires it, the worker asks the open pages to send (they hold the sender, the CSRF
//   token and the cross-tab lock) and fails the event while reports still wait, so the browser
//   tries again later. With no page open, the next visit sends.

const SHELL = {{ shell_json|safe }};
const SHELL_CACHE = `ht-shell-${SHELL.version}`;
const DATA_CACHE = "ht-data-v1";
const PRECACHE = new Set(SHELL.precache);
const DATA = new Set(SHELL.data);
const NAVIGATION_TIMEOUT_MS = 8000;
const SYNC_REPLY_TIMEOUT_MS = 120000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      // "no-cache": revalidated with the server (a 304 for what the page just loaded, so the
      // first visit on a slow link does not download the shell twice), never a stale copy.
      await cache.addAll(SHELL.precache.map((url) => new Request(url, { cache: "no-cache" })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([SHELL_CACHE, DATA_CACHE]);
      for (const name of await caches.keys()) {
        if (name.startsWith("ht-") && !keep.has(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: SHELL_CACHE });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    const copy = response.clone();
    caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

/**
 * The language the visitor chose with the switcher (its cookie), where the browser lets a
 * worker read cookies (Chromium's Cookie Store API); null elsewhere.
 */
async function chosenLanguage() {
  try {
    const cookie = self.cookieStore ? await self.cookieStore.get("{{ language_cookie }}") : null;
    return cookie?.value ? cookie.value.toLowerCase() : null;
  } catch {
    return null;
  }
}

/**
 * Whether a cached page may stand in for a slow network: not when it is in another language
 * than the one just chosen (Django's LocaleMiddleware names it in Content-Language), or the
 * switch would seem undone on a weak link. Offline, any copy is better than none.
 */
async function fitsLanguage(cached) {
  const language = await chosenLanguage();
  const pageLanguage = (cached.headers.get("Content-Language") || "").toLowerCase();
  return !language || !pageLanguage || language === pageLanguage;
}

/** Network, else the cached copy (stored under `key`); a slow network loses to the cache. */
async function networkFirst(request, cacheName, key = request, timeoutMs = 0, store = true) {
  const cache = await caches.open(cacheName);
  const network = fetch(request).then((response) => {
    if (store && response.ok && response.type === "basic" && !response.redirected) {
      cache.put(key, response.clone());
    }
    return response;
  });
  network.catch(() => {}); // when the cache wins the race, a later failure is nobody's business
  try {
    if (!timeoutMs) return await network;
    const cached = await cache.match(key);
    if (!cached || !(await fitsLanguage(cached))) return await network;
    const timeout = new Promise((resolve) => setTimeout(() => resolve(cached), timeoutMs));
    return await Promise.race([network, timeout]);
  } catch (error) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // reports are POSTs: never cached, never replayed here
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return; // basemap tiles: the browser's own business
  if (request.mode === "navigate") {
    // Only the map page is part of the shell; ?lat=&lon= links open the same cached page.
    if (url.pathname === SHELL.index) {
      // A place's form (?place=<id>) carries that place in its config: never kept as the
      // shell, and waited for; offline, the shell (a normal form) stands in.
      const forPlace = url.searchParams.has("place");
      const timeout = forPlace ? 0 : NAVIGATION_TIMEOUT_MS;
      event.respondWith(networkFirst(request, SHELL_CACHE, SHELL.index, timeout, !forPlace));
    }
    return;
  }
  const path = url.pathname + url.search;
  if (DATA.has(url.pathname)) {
    event.respondWith(networkFirst(request, DATA_CACHE));
  } else if (PRECACHE.has(path)) {
    // The shell's static files and the JS catalog (?v=<hash>). Other pages' files (staff,
    // planner) are left to the network and the HTTP cache: they are not needed offline.
    event.respondWith(cacheFirst(request));
  }
});

/** Asks one page to send; resolves with its count of reports still waiting (null: no reply). */
function askToSend(page) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(null), SYNC_REPLY_TIMEOUT_MS);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve(event.data && typeof event.data.waiting === "number" ? event.data.waiting : null);
    };
    page.postMessage({ type: "ht-outbox-flush" }, [channel.port2]);
  });
}

self.addEventListener("sync", (event) => {
  if (event.tag !== "ht-outbox") return;
  event.waitUntil(
    (async () => {
      const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const waiting = await Promise.all(pages.map(askToSend));
      // Still no answer from the server: failing the event makes the browser try again later.
      if (waiting.some((n) => n > 0)) throw new Error("reports still waiting");
    })(),
  );
});
