// The outbox: reports made without a connection wait in IndexedDB (with their photos and clips
// as Blobs and their idempotency key) and are sent by themselves when the connection returns.
//
// When: at start (the next visit), on the `online` event, when the service worker's Background
// Sync fires (the worker only asks the open pages to send: the page holds the sender, the CSRF
// token and the lock; with no page open the next visit sends), and on a backing-off timer
// while reports wait on a link that is "online" but drops requests.
// Exactly once: the server stores a key once (a repeat is answered 200 with the stored report);
// a Web Lock keeps two tabs from sending together; an entry is deleted only after a 2xx answer.
// A 4xx other than 408/429 marks it failed, with the server's message and a way to remove it;
// a network error, 408, 429 or 5xx keeps it waiting.

import { isRefusal, refusalMessage } from "./api.js";
import { formatDateTime, gettext, interpolate, ngettext, pageLocale } from "./l10n.js";

const DB_NAME = "hien-truong";
const DB_VERSION = 1;
const STORE = "outbox";
const LOCK = "ht-outbox-send";
const SYNC_TAG = "ht-outbox";
const RETRY_DELAYS_MS = [5_000, 15_000, 30_000, 60_000, 120_000, 300_000];

let dbPromise = null;
let persistAsked = false;
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("ht-outbox") : null;

function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => {
          db.close();
          dbPromise = null;
        };
        resolve(db);
      };
      request.onerror = () => {
        dbPromise = null;
        reject(request.error);
      };
    });
  }
  return dbPromise;
}

/** Runs `work(store)` in one transaction; resolves with its result once the data is on disk. */
async function withStore(mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode, { durability: "strict" });
    let result;
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
    const request = work(tx.objectStore(STORE));
    if (request) request.onsuccess = () => (result = request.result);
  });
}

const allEntries = () => withStore("readonly", (store) => store.getAll());
const getEntry = (key) => withStore("readonly", (store) => store.get(key));
const putEntry = (entry) => withStore("readwrite", (store) => store.put(entry));
const deleteEntry = (key) => withStore("readwrite", (store) => store.delete(key));

function changed() {
  if (channel) channel.postMessage("changed");
  return outbox ? outbox.render() : Promise.resolve();
}

/**
 * Keeps a report to send later. `fields` must hold `idempotency_key` (the entry's key, so
 * queueing the same report twice keeps one entry); `files` is a list of {field, blob, name}.
 */
export async function queueReport({ url, fields, files = [] }) {
  const key = fields?.idempotency_key;
  if (!key) throw new Error("queueReport: fields.idempotency_key is required");
  await putEntry({
    key,
    url,
    fields: { ...fields },
    files: files.map(({ field, blob, name }) => ({ field, blob, name: name || "" })),
    createdAt: Date.now(),
    state: "waiting",
    message: "",
  });
  askPersistence();
  registerSync();
  changed();
  if (outbox) outbox.scheduleRetry(0);
}

/** Pending reports, oldest first (for the page and the tests). */
export async function pendingReports() {
  return (await allEntries()).sort((a, b) => a.createdAt - b.createdAt);
}

/** Removes a waiting or failed report; one being sent right now is aborted first. */
export async function cancelReport(key) {
  if (outbox?.inflight && outbox.inflight.key === key) outbox.inflight.controller.abort();
  await deleteEntry(key);
  await changed();
}

/** Asks once that the browser never evicts the outbox under storage pressure. */
function askPersistence() {
  if (persistAsked || !navigator.storage || !navigator.storage.persist) return;
  persistAsked = true;
  navigator.storage
    .persisted()
    .then((already) => already || navigator.storage.persist())
    .catch(() => {});
}

function registerSync() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker
    .getRegistration()
    .then((registration) => registration?.sync?.register(SYNC_TAG))
    .catch(() => {}); // no Background Sync: `online` and the next visit still send
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

class Outbox {
  constructor({ send, categoryLabel, timeZone, root, toggle }) {
    this.send = send;
    this.categoryLabel = categoryLabel || ((code) => code);
    this.timeZone = timeZone;
    this.root = root;
    this.toggle = toggle;
    this.running = null;
    this.again = false;
    this.inflight = null;
    this.retryTimer = null;
    this.attempt = 0;
    this.build();
  }

  build() {
    const root = this.root;
    const head = element("div", "ht-outbox__head");
    this.title = element("h2", "ht-outbox__title");
    this.title.id = "outbox-title";
    this.title.tabIndex = -1;
    this.closeBtn = element("button", "ht-outbox__close", "×");
    this.closeBtn.type = "button";
    this.closeBtn.addEventListener("click", () => this.show(false));
    head.append(this.title, this.closeBtn);
    this.hint = element("p", "ht-outbox__hint");
    this.status = element("p", "ht-outbox__status");
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    this.list = element("ul", "ht-outbox__list");
    this.sendNow = element("button", "ht-button ht-button--primary ht-outbox__send");
    this.sendNow.type = "button";
    this.sendNow.addEventListener("click", () => {
      this.attempt = 0;
      this.flush();
    });
    this.empty = element("p", "ht-outbox__empty");
    root.replaceChildren(head, this.hint, this.status, this.list, this.empty, this.sendNow);
    root.addEventListener("keydown", (e) => {
      if (e.key === "Escape") this.show(false);
    });
    if (this.toggle) {
      this.toggle.addEventListener("click", () => this.show(this.root.hidden));
    }
    this.renderStatic();
  }

  renderStatic() {
    this.title.textContent = gettext("Phản ánh chờ gửi");
    this.closeBtn.setAttribute("aria-label", gettext("Đóng danh sách chờ gửi"));
    this.hint.textContent = gettext(
      "Các phản ánh này được lưu trên máy và sẽ tự gửi khi có mạng, kể cả sau khi đóng trang.",
    );
    this.sendNow.textContent = gettext("Gửi ngay");
    this.empty.textContent = gettext("Không còn phản ánh nào chờ gửi.");
  }

  show(open) {
    this.root.hidden = !open;
    if (this.toggle) this.toggle.setAttribute("aria-expanded", String(open));
    if (open) this.title.focus();
    else if (this.toggle && !this.toggle.hidden) this.toggle.focus();
    else if (this.root.contains(document.activeElement)) document.getElementById("map")?.focus();
  }

  say(text) {
    this.status.textContent = text;
  }

  formatTime(ms) {
    return formatDateTime(ms, pageLocale(), { timeZone: this.timeZone, dateStyle: "short" });
  }

  label(entry) {
    const code = entry.fields.category;
    return code ? this.categoryLabel(code) : gettext("Phản ánh");
  }

  item(entry) {
    const failed = entry.state === "failed";
    const li = element("li", `ht-outbox__item${failed ? " ht-outbox__item--failed" : ""}`);
    li.dataset.key = entry.key;
    li.dataset.state = entry.state;
    const state = element("p", "ht-outbox__state", failed ? gettext("Không gửi được") : gettext("Chờ gửi"));
    const what = element("p", "ht-outbox__what");
    what.append(element("strong", "", this.label(entry)));
    const description = String(entry.fields.description || "").trim();
    const photos = entry.files.filter((f) => f.field === "photos").length;
    const videos = entry.files.filter((f) => f.field === "videos").length;
    const parts = [];
    const time = element("time", "", this.formatTime(entry.createdAt));
    time.dateTime = new Date(entry.createdAt).toISOString();
    if (photos || !videos) {
      parts.push(
        photos
          ? interpolate(ngettext("%(n)s ảnh", "%(n)s ảnh", photos), { n: photos }, true)
          : gettext("không có ảnh"),
      );
    }
    if (videos) {
      parts.push(interpolate(ngettext("%(n)s video", "%(n)s video", videos), { n: videos }, true));
    }
    const meta = element("p", "ht-outbox__meta");
    meta.append(time, ` · ${parts.join(", ")}`);
    li.append(state, what);
    if (description) li.append(element("p", "ht-outbox__description", description));
    li.append(meta);
    if (failed) li.append(element("p", "ht-outbox__error", entry.message));
    const label = failed ? gettext("Xóa") : gettext("Hủy gửi");
    const button = element("button", "ht-button ht-outbox__cancel", label);
    button.type = "button";
    button.setAttribute(
      "aria-label",
      interpolate(
        failed ? gettext("Xóa phản ánh %(what)s") : gettext("Hủy gửi phản ánh %(what)s"),
        { what: `${this.label(entry)}, ${this.formatTime(entry.createdAt)}` },
        true,
      ),
    );
    button.addEventListener("click", async () => {
      await cancelReport(entry.key);
      this.say(failed ? gettext("Đã xóa phản ánh.") : gettext("Đã hủy gửi phản ánh."));
      if (this.entries.length === 0) this.show(false);
      else this.title.focus();
    });
    li.append(button);
    return li;
  }

  async render() {
    this.renderStatic();
    const entries = await pendingReports();
    this.entries = entries;
    this.list.replaceChildren(...entries.map((entry) => this.item(entry)));
    const waiting = entries.filter((e) => e.state === "waiting").length;
    this.sendNow.hidden = waiting === 0 || !navigator.onLine;
    if (this.toggle) {
      const count = element("span", "ht-outbox__count", String(entries.length));
      this.toggle.replaceChildren(`${gettext("Chờ gửi")} `, count);
      this.toggle.hidden = entries.length === 0;
      this.toggle.classList.toggle(
        "ht-outbox-toggle--failed",
        entries.some((e) => e.state === "failed"),
      );
    }
    // An open list stays open when its last report is sent, so the citizen reads that it went.
    this.empty.hidden = entries.length > 0;
    document.body.dataset.outboxCount = String(entries.length);
  }

  scheduleRetry(delay) {
    clearTimeout(this.retryTimer);
    if (!navigator.onLine) return; // the `online` event sends
    const wait = delay ?? RETRY_DELAYS_MS[Math.min(this.attempt, RETRY_DELAYS_MS.length - 1)];
    this.retryTimer = setTimeout(() => this.flush(), wait);
  }

  /** Sends what waits; one run at a time in this tab, and one tab at a time (Web Locks). */
  flush() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = () => this.sendAll();
    const locked = navigator.locks ? navigator.locks.request(LOCK, run) : run();
    this.running = locked
      .catch((error) => console.error("outbox", error))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.flush();
        }
      });
    return this.running;
  }

  async sendAll() {
    clearTimeout(this.retryTimer);
    // Read inside the lock: what another tab sent meanwhile is gone from the store.
    const keys = (await pendingReports()).filter((e) => e.state === "waiting").map((e) => e.key);
    let sent = 0;
    for (const key of keys) {
      const entry = await getEntry(key);
      if (entry?.state !== "waiting") continue; // cancelled, or sent by another tab
      const controller = new AbortController();
      this.inflight = { key, controller };
      try {
        const result = await this.send(entry.url, entry.fields, entry.files, {
          signal: controller.signal,
        });
        await deleteEntry(key);
        sent += 1;
        this.attempt = 0;
        document.dispatchEvent(new CustomEvent("ht-outbox:sent", { detail: { key, result } }));
        const reference = result?.feature?.properties ? result.feature.properties.reference : "";
        this.say(
          reference
            ? interpolate(gettext("Đã gửi phản ánh %(reference)s."), { reference }, true)
            : gettext("Đã gửi phản ánh đang chờ."),
        );
      } catch (error) {
        if (controller.signal.aborted) continue; // cancelled by the citizen while sending
        if (isRefusal(error)) {
          const still = await getEntry(key);
          if (still) await putEntry({ ...still, state: "failed", message: refusalMessage(error) });
          this.say(gettext("Một phản ánh không gửi được; xem lý do trong danh sách."));
          changed();
          continue;
        }
        // No answer (or a retryable one): keep everything, try again later.
        this.attempt += 1;
        changed();
        this.scheduleRetry();
        return sent;
      } finally {
        this.inflight = null;
      }
      changed();
    }
    return sent;
  }
}

let outbox = null;

/**
 * Starts sending waiting reports and draws the list into #outbox (opened by #outbox-toggle).
 * `send(url, fields, files, {signal})` is api.js's sendReport: it resolves on 2xx and rejects
 * with an error carrying `status` on an HTTP error, without one when no answer came.
 */
export function startOutbox({ send, categoryLabel, timeZone } = {}) {
  if (outbox) return outbox;
  const root = document.getElementById("outbox");
  if (!root || typeof indexedDB === "undefined") return null;
  outbox = new Outbox({
    send,
    categoryLabel,
    timeZone,
    root,
    toggle: document.getElementById("outbox-toggle"),
  });
  if (channel) channel.addEventListener("message", () => outbox.render());
  window.addEventListener("online", () => {
    outbox.attempt = 0;
    outbox.render();
    outbox.flush();
  });
  window.addEventListener("offline", () => outbox.render());
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data?.type !== "ht-outbox-flush") return;
      // Background Sync: send, then tell the worker how many still wait (it retries if any).
      outbox.flush().then(async () => {
        const waiting = (await pendingReports()).filter((e) => e.state === "waiting").length;
        if (event.ports?.[0]) event.ports[0].postMessage({ waiting });
      });
    });
  }
  outbox.render().then(() => {
    if (navigator.onLine) outbox.flush();
  });
  return outbox;
}
