// "Loading" over the map while its layers load (ward outlines, reports), so on a slow phone
// link an empty map never looks finished. One polite status line (role=status) and
// aria-busy on the map region while anything loads; both go once every layer is in.
// Layers report by name: start("wards") ... done("wards"); a name started twice is one task.

import { gettext } from "./l10n.js";

export class LoadingIndicator {
  constructor(map) {
    this.map = map;
    this.container = map.getContainer();
    this.pending = new Set();
    this.idleWaiters = [];
    this.element = document.createElement("div");
    this.element.className = "ht-loading";
    this.element.setAttribute("role", "status");
    this.element.setAttribute("aria-live", "polite");
    this.element.hidden = true;
    const spinner = document.createElement("span");
    spinner.className = "ht-loading__spinner";
    spinner.setAttribute("aria-hidden", "true");
    this.text = document.createElement("span");
    this.text.textContent = gettext("Đang tải bản đồ…");
    this.element.append(spinner, this.text);
    // Inside the map (positioned over it), never taking a tap meant for the map.
    this.container.append(this.element);
  }

  start(name) {
    this.pending.add(name);
    this.render();
  }

  done(name) {
    this.pending.delete(name);
    this.render();
  }

  get busy() {
    return this.pending.size > 0;
  }

  /** Resolves when nothing is loading (at once if nothing is). */
  idle() {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  render() {
    const busy = this.busy;
    this.element.hidden = !busy;
    this.container.setAttribute("aria-busy", busy ? "true" : "false");
    if (!busy) {
      const waiters = this.idleWaiters.splice(0);
      for (const resolve of waiters) resolve();
    }
  }
}
