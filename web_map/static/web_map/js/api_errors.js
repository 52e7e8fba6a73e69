// Reading the API's error answers ({detail, errors: {field: [message]}}): which line of the
// report form each message goes to, and which failures the outbox must not send again.

import { gettext } from "./l10n.js";

/**
 * {byField: {field: [message]}, general: [message]}: messages for the form's `fields` (an
 * API name may stand for one of them through `aliases`, lon -> location) and the others.
 * `detail` is shown only when the answer named no field at all.
 */
export function formErrors(errors, detail, { fields, aliases = {} }) {
  let general = [];
  const byField = {};
  for (const [name, messages] of Object.entries(errors || {})) {
    const list = Array.isArray(messages) ? messages.map(String) : [String(messages)];
    const field = aliases[name] || name;
    if (fields.includes(field)) byField[field] = (byField[field] || []).concat(list);
    else general = general.concat(list);
  }
  if (!general.length && detail && !Object.keys(errors || {}).length) general = [detail];
  return { byField, general };
}

/** A refusal is final (4xx); no answer, a timeout, rate limiting and server trouble are not. */
export function isRefusal(error) {
  const status = error && typeof error.status === "number" ? error.status : 0;
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * The server's words for a refusal (its messages are in the page's language): the fields'
 * own messages, which say what is wrong, before the summary `detail`, which names the fields
 * by their API names.
 */
export function refusalMessage(error) {
  const body = error?.body || {};
  const messages = [];
  for (const list of Object.values(body.errors || {})) {
    for (const message of Array.isArray(list) ? list : [list]) {
      if (typeof message === "string" && message && !messages.includes(message)) {
        messages.push(message);
      }
    }
  }
  if (messages.length) return messages.join(" ");
  if (typeof body.detail === "string" && body.detail) return body.detail;
  return gettext("Máy chủ không nhận phản ánh này.");
}
