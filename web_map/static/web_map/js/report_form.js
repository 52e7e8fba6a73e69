// The side panel opened by a map click: ward lookup for the point, then the report form.

import { ApiError, createReport, fetchDuplicates, lookupWard } from "./api.js";
import { categoryName, t } from "./i18n.js";
import { wardCard } from "./wards.js";

/** RFC 4122 v4; crypto.randomUUID only exists in secure contexts (plain-HTTP LAN deploys). */
export function newIdempotencyKey() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const FIELDS = ["category", "description", "contact_phone", "photos"];

export class ReportForm {
  constructor({ map, config, wards, reports }) {
    this.map = map;
    this.config = config;
    this.wards = wards;
    this.reports = reports;
    this.panel = document.getElementById("report-panel");
    this.form = document.getElementById("report-form");
    this.lookupEl = document.getElementById("lookup-result");
    this.wardEl = document.getElementById("ward-card");
    this.doneEl = document.getElementById("report-done");
    this.doneText = document.getElementById("report-done-text");
    this.submitBtn = this.form.querySelector("[type=submit]");
    this.counter = document.getElementById("description-counter");
    this.state = null; // {latlng, key, lookup, wardFeature, controller}
    this.pin = null;

    this.renderCategories();
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.submit();
    });
    this.form.elements.description.addEventListener("input", () => this.updateCounter());
    this.duplicatesEl = document.getElementById("duplicates-hint");
    this.form.elements.category.addEventListener("change", () => this.showDuplicates());
    this.panel.querySelectorAll("[data-action=close]").forEach((btn) =>
      btn.addEventListener("click", () => this.close()),
    );
    document.getElementById("report-again").addEventListener("click", () => {
      if (this.state) this.open(this.state.latlng, this.state.wardFeature);
    });
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !this.panel.hidden) this.close();
    });
    L.DomEvent.disableClickPropagation(this.panel);
    L.DomEvent.disableScrollPropagation(this.panel);
  }

  /** Similar open reports nearby: the citizen may follow one instead of sending again. */
  async showDuplicates() {
    const el = this.duplicatesEl;
    el.hidden = true;
    el.replaceChildren();
    const category = this.form.elements.category.value;
    if (!category || !this.state || !this.config.urls.duplicates) return;
    const { lat, lng } = this.state.latlng;
    let body;
    try {
      body = await fetchDuplicates(this.config.urls.duplicates, { lat, lon: lng, category });
    } catch (error) {
      console.error("duplicates", error);
      return;
    }
    if (!body.features.length || this.form.elements.category.value !== category) return;
    const title = document.createElement("p");
    title.textContent = t("form.duplicates", { n: body.features.length, m: body.radius_m });
    const list = document.createElement("ul");
    for (const feature of body.features.slice(0, 5)) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = this.config.urls.reportPage.replace("{id}", encodeURIComponent(feature.id));
      link.target = "_blank";
      link.rel = "noopener";
      const p = feature.properties;
      link.textContent = `${p.description.slice(0, 80)} (${Math.round(p.distance_m)} m, ${p.status_label})`;
      item.append(link);
      list.append(item);
    }
    const confirm = document.createElement("p");
    confirm.textContent = t("form.duplicatesConfirm");
    el.append(title, list, confirm);
    el.hidden = false;
  }

  renderCategories() {
    const select = this.form.elements.category;
    const chosen = select.value;
    const placeholder = document.createElement("option");
    placeholder.value = "";
    placeholder.textContent = t("form.categoryPlaceholder");
    const options = this.config.categories.map((category) => {
      const option = document.createElement("option");
      option.value = category.code;
      option.textContent = categoryName(category);
      return option;
    });
    select.replaceChildren(placeholder, ...options);
    select.value = chosen;
  }

  updateCounter() {
    const max = this.form.elements.description.maxLength;
    this.counter.textContent = `${this.form.elements.description.value.length}/${max}`;
  }

  /** A fresh form (and idempotency key) for a point; `wardFeature` is the polygon clicked. */
  open(latlng, wardFeature) {
    if (this.state && this.state.controller) this.state.controller.abort();
    this.state = {
      latlng,
      key: newIdempotencyKey(),
      lookup: undefined,
      wardFeature,
      controller: new AbortController(),
    };
    this.form.reset();
    this.clearErrors();
    this.updateCounter();
    this.form.hidden = false;
    this.doneEl.hidden = true;
    this.setSending(false);
    this.panel.hidden = false;
    document.body.classList.add("ht-panel-open");
    this.placePin(latlng);
    this.renderLookup();
    this.renderWard();
    this.map.invalidateSize({ pan: false });
    this.keepPointVisible(latlng);
    this.lookup(this.state);
  }

  /** On a phone the panel is a bottom sheet over the map: keep the chosen point above it. */
  keepPointVisible(latlng) {
    if (getComputedStyle(this.panel).position !== "absolute") return;
    const mapBox = this.map.getContainer().getBoundingClientRect();
    const visibleHeight = this.panel.getBoundingClientRect().top - mapBox.top;
    const y = this.map.latLngToContainerPoint(latlng).y;
    if (visibleHeight > 0 && (y > visibleHeight - 24 || y < 24)) {
      this.map.panBy([0, y - visibleHeight / 2], { animate: false });
    }
  }

  close() {
    if (this.state && this.state.controller) this.state.controller.abort();
    this.state = null;
    this.panel.hidden = true;
    document.body.classList.remove("ht-panel-open");
    if (this.pin) this.pin.remove();
    this.pin = null;
    this.map.invalidateSize({ pan: false });
  }

  placePin(latlng) {
    if (this.pin) this.pin.remove();
    this.pin = L.marker(latlng, {
      icon: L.divIcon({ className: "ht-pin", iconSize: [22, 22], iconAnchor: [11, 11] }),
      interactive: false,
      keyboard: false,
    }).addTo(this.map);
  }

  async lookup(state) {
    try {
      const result = await lookupWard(
        this.config.urls.wardLookup,
        { lat: state.latlng.lat, lon: state.latlng.lng },
        { signal: state.controller.signal },
      );
      if (state !== this.state) return;
      state.lookup = result.ward;
      if (result.ward) state.wardFeature = this.wards.feature(result.ward.code) || state.wardFeature;
      else state.wardFeature = null;
    } catch (error) {
      if (error.name === "AbortError" || state !== this.state) return;
      console.error("ward lookup", error);
      state.lookup = "error";
    }
    this.renderLookup();
    this.renderWard();
  }

  renderLookup() {
    const el = this.lookupEl;
    el.replaceChildren();
    el.className = "ht-location";
    if (!this.state) return;
    const ward = this.state.lookup;
    if (ward === undefined) {
      el.textContent = t("form.lookupPending");
      el.classList.add("ht-location--pending");
    } else if (ward === "error") {
      el.textContent = t("form.lookupFailed");
      el.classList.add("ht-location--error");
    } else if (ward === null) {
      el.textContent = t("form.lookupOutside");
      el.classList.add("ht-location--outside");
    } else {
      const main = document.createElement("span");
      main.className = "ht-location__ward";
      main.textContent = t("form.lookupWard", { name: ward.name, code: ward.code });
      el.append(main);
      if (ward.match === "nearest") {
        const near = document.createElement("span");
        near.className = "ht-location__nearest";
        const metres = Math.round(Number(ward.distance_m) || 0);
        near.textContent = ` — ${t("form.lookupNearest", { m: metres.toLocaleString() })}`;
        el.append(near);
      }
    }
  }

  renderWard() {
    const feature = this.state && this.state.wardFeature;
    this.wardEl.hidden = !feature;
    this.wardEl.replaceChildren(...(feature ? [wardCard(feature)] : []));
  }

  clearErrors() {
    this.form.querySelectorAll("[data-error-for]").forEach((el) => {
      el.replaceChildren();
      el.hidden = true;
    });
    this.form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  }

  showErrors(errors, detail) {
    this.clearErrors();
    let general = [];
    for (const [field, messages] of Object.entries(errors || {})) {
      const list = Array.isArray(messages) ? messages : [String(messages)];
      if (FIELDS.includes(field)) {
        const el = this.form.querySelector(`[data-error-for="${field}"]`);
        el.textContent = list.join(" ");
        el.hidden = false;
        const input = this.form.elements[field];
        if (input) input.setAttribute("aria-invalid", "true");
      } else {
        general = general.concat(list);
      }
    }
    if (!general.length && detail && !Object.keys(errors || {}).length) general = [detail];
    if (general.length) {
      const el = this.form.querySelector('[data-error-for="__all__"]');
      el.textContent = general.join(" ");
      el.hidden = false;
    }
    const first = this.form.querySelector('[aria-invalid="true"]');
    if (first) first.focus();
    else if (general.length) this.form.querySelector('[data-error-for="__all__"]').scrollIntoView();
  }

  validate(values, photos) {
    const errors = {};
    if (!values.category) errors.category = [t("form.required")];
    if (!values.description.trim()) errors.description = [t("form.required")];
    if (photos.length > this.config.photoMaxCount) {
      errors.photos = [t("form.tooManyPhotos", { n: this.config.photoMaxCount })];
    }
    return errors;
  }

  setSending(sending) {
    this.submitBtn.disabled = sending;
    this.submitBtn.textContent = t(sending ? "form.sending" : "form.submit");
  }

  async submit() {
    const state = this.state;
    if (!state || this.submitBtn.disabled) return;
    const elements = this.form.elements;
    const values = {
      category: elements.category.value,
      description: elements.description.value,
      contact_phone: elements.contact_phone.value.trim(),
      lon: Number(state.latlng.lng.toFixed(6)),
      lat: Number(state.latlng.lat.toFixed(6)),
      idempotency_key: state.key,
      source: "web", // the API records where a report came from
    };
    const photos = [...elements.photos.files];
    const invalid = this.validate(values, photos);
    if (Object.keys(invalid).length) {
      this.showErrors(invalid);
      return;
    }
    this.clearErrors();
    this.setSending(true);
    try {
      const { feature } = await createReport(this.config.urls.reports, values, photos);
      if (state !== this.state) return;
      this.done(feature);
    } catch (error) {
      if (state !== this.state) return;
      this.setSending(false);
      if (error instanceof ApiError && error.status === 400) {
        this.showErrors(error.body.errors, error.body.detail);
      } else if (error instanceof ApiError) {
        this.showErrors({}, error.body.detail || t("form.failed"));
      } else {
        console.error("report submit", error);
        this.showErrors({}, t("form.networkError"));
      }
    }
  }

  done(feature) {
    const marker = this.reports.addFeature(feature);
    if (this.pin) this.pin.remove();
    this.pin = null;
    this.state.done = feature;
    this.renderDone();
    this.doneEl.dataset.reportId = String(feature.id ?? feature.properties.id);
    this.form.hidden = true;
    this.doneEl.hidden = false;
    if (marker) this.reports.cluster.zoomToShowLayer(marker, () => {});
  }

  renderDone() {
    const feature = this.state && this.state.done;
    if (!feature) return;
    const ward = feature.properties && feature.properties.ward;
    this.doneText.textContent = ward
      ? t("form.doneWard", { ward: ward.full_name || ward.name })
      : t("form.doneOutside");
  }

  /** Re-renders the generated (non data-i18n) parts in the new language. */
  refreshLanguage() {
    this.renderCategories();
    this.setSending(this.submitBtn.disabled);
    this.renderLookup();
    this.renderWard();
    this.renderDone();
  }
}
