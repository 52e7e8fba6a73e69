// This phone's device id: a random id made once and kept in localStorage. Every report sends it
// (and the outbox keeps it in the report's fields), so the server counts a report's idempotency
// key within this device only: another phone that happens to pick the same key gets its own
// report, and a retry from the outbox still finds its first one after sign-in or sign-out.

const STORAGE_KEY = "ht-device-id";
let memo = null;

function randomId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The id (8-64 letters, digits, "-" or "_"); a fresh one per page when storage is refused. */
export function deviceId() {
  if (memo) return memo;
  try {
    memo = localStorage.getItem(STORAGE_KEY);
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(memo || "")) {
      memo = randomId();
      localStorage.setItem(STORAGE_KEY, memo);
    }
  } catch {
    memo = memo || randomId(); // private mode: this page's reports still share one id
  }
  return memo;
}
