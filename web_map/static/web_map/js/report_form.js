// The citizen's report form, made for one thumb on a phone: where (my location, a draggable
// pin, a tap on the map, or the GPS of a photo), what (photos resized on the phone, clips),
// then category, description and an optional phone; sent with a progress bar and cancel, or
// kept in the outbox when there is no network; replaced by a confirmation with the reference.

import {
  ApiError,
  NetworkError,
  fetchDuplicates,
  fillUrl,
  formErrors,
  lookupWard,
  sendReport,
  suggestCategories,
} from "./api.js";
import { Attachments, formatSize } from "./attachments.js";
import { SUGGEST_DELAY_MS, debounce, suggestionsToShow, worthAsking } from "./category_suggest.js";
import { deviceId } from "./device.js";
import { categoryName, statusLabel, wardTitle } from "./labels.js";
import { formatDuration, formatNumber, gettext, interpolate, ngettext, pageLocale } from "./l10n.js";
import { currentPosition, geolocationMessage, photoLocation } from "./location.js";
import { parseCharged, placeCategoryGroups, priceLabel } from "./place_report.js";
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

// Fields with their own error line; the API's lon/lat errors go to the location line.
const FIELDS = [
  "location",
  "category",
  "price",
  "charged_vnd",
  "description",
  "contact_phone",
  "consent_notice_version",
  "photos",
  "videos",
];
const FIELD_ALIASES = { lon: "location", lat: "location", contact: "contact_phone" };
const LOCATE_ZOOM = 17;

/** The outbox (offline helper's module), loaded only when a report must wait for the network. */
async function outboxModule() {
  try {
    const mod = await import("./outbox.js");
    return typeof mod.queueReport === "function" ? mod : null;
  } catch {
    return null;
  }
}

export class ReportForm {
  constructor({ map, config, wards, reports }) {
    this.map = map;
    this.config = config;
    this.wards = wards;
    this.reports = reports;
    this.panel = document.getElementById("report-panel");
    this.form = document.getElementById("report-form");
    this.fab = document.getElementById("report-fab");
    this.lookupEl = document.getElementById("lookup-result");
    this.locationHint = document.getElementById("location-hint");
    this.wardEl = document.getElementById("ward-card");
    this.alertEl = document.getElementById("form-alert");
    this.locateBtn = document.getElementById("locate-me");
    this.locateStatus = document.getElementById("locate-status");
    this.photoPrompt = document.getElementById("photo-location");
    this.photoPromptText = document.getElementById("photo-location-text");
    this.progressBox = document.getElementById("report-progress-box");
    this.progress = document.getElementById("report-progress");
    this.progressLabel = document.getElementById("report-progress-label");
    this.doneEl = document.getElementById("report-done");
    this.doneTitle = document.getElementById("report-done-title");
    this.doneText = document.getElementById("report-done-text");
    this.doneReference = document.getElementById("report-done-reference");
    this.doneLink = document.getElementById("report-done-link");
    this.submitBtn = this.form.querySelector("[type=submit]");
    this.counter = document.getElementById("description-counter");
    this.duplicatesEl = document.getElementById("duplicates-hint");
    this.suggestionsEl = document.getElementById("category-suggestions");
    this.suggestionsList = document.getElementById("category-suggestions-list");
    this.suggestions = []; // the last answer, shown again when the chosen category changes
    this.suggestController = null;
    this.askSuggestions = debounce(() => this.fetchSuggestions(), SUGGEST_DELAY_MS);
    // Opened from a place (/?place=<id>): the report is filed there and linked to it.
    this.place = config.place && config.placeReportsUrl ? config.place : null;
    this.placeBanner = document.getElementById("place-banner");
    this.placeNotice = document.getElementById("place-notice");
    this.priceFields = document.getElementById("place-price-fields");
    this.state = null; // {latlng, key, lookup, wardFeature, controller, sending, done, queued}
    this.pin = null;
    this.accuracyCircle = null;
    this.photoGps = null; // the location of the last photo offered, until confirmed or dismissed
    this.limits = {
      photoMaxCount: config.photoMaxCount || 5,
      videoMaxCount: config.videoMaxCount ?? 2,
      videoMaxBytes: config.videoMaxBytes || 100 * 1024 * 1024,
      videoMaxSeconds: config.videoMaxSeconds || 60,
    };
    this.attachments = new Attachments({
      photoList: document.getElementById("photo-list"),
      videoList: document.getElementById("video-list"),
      limits: this.limits,
      onChange: (field) => {
        this.clearFieldError(field);
        // The photo whose place was offered is gone: so is the offer.
        if (this.photoGps && !this.attachments.has(this.photoGps.file)) this.hidePhotoPrompt();
      },
    });

    this.renderCategories();
    this.renderPlace();
    this.renderStatic();
    this.wireEvents();
    L.DomEvent.disableClickPropagation(this.panel);
    L.DomEvent.disableScrollPropagation(this.panel);
  }

  wireEvents() {
    const els = this.form.elements;
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.submit();
    });
    els.description.addEventListener("input", () => {
      this.updateCounter();
      if (els.description.value.trim()) this.clearFieldError("description");
      this.askSuggestions();
    });
    els.category.addEventListener("change", () => {
      if (els.category.value) this.clearFieldError("category");
      this.renderSuggestions();
      this.renderPriceFields();
      this.showDuplicates();
    });
    // Once the description is written (on leaving the field), the list is ranked by it too.
    els.description.addEventListener("change", () => this.showDuplicates());
    els.price.addEventListener("change", () => this.clearFieldError("price"));
    els.charged_vnd.addEventListener("input", () => this.clearFieldError("charged_vnd"));
    document.getElementById("place-cancel").addEventListener("click", () => this.leavePlace());
    els.contact_phone.addEventListener("input", () => this.clearFieldError("contact_phone"));
    els.consent_notice_version.addEventListener("change", () =>
      this.clearFieldError("consent_notice_version"),
    );
    for (const id of ["f-photos", "f-photos-camera"]) {
      const input = document.getElementById(id);
      input.addEventListener("change", () => this.addPhotos(input));
    }
    for (const id of ["f-videos", "f-videos-camera"]) {
      const input = document.getElementById(id);
      input.addEventListener("change", () => this.addVideos(input));
    }
    this.locateBtn.addEventListener("click", () => this.locateMe());
    document.getElementById("photo-location-use").addEventListener("click", () => this.usePhotoLocation());
    document.getElementById("photo-location-keep").addEventListener("click", () => this.hidePhotoPrompt());
    document.getElementById("report-cancel").addEventListener("click", () => this.cancelSending());
    for (const btn of this.panel.querySelectorAll("[data-action=close]")) {
      btn.addEventListener("click", () => this.close());
    }
    document.getElementById("report-again").addEventListener("click", () => {
      const latlng = this.state?.latlng;
      this.open(latlng || null, this.state?.wardFeature);
    });
    if (this.fab) {
      this.fab.addEventListener("click", () => {
        this.open(null);
        document.getElementById("report-panel-title").focus({ preventScroll: true });
      });
    }
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !this.panel.hidden) this.close();
    });
  }

  /** Texts built from config values (limits) rather than written in the template. */
  renderStatic() {
    document.getElementById("video-limits").textContent = interpolate(
      gettext("Tối đa %(n)s video, mỗi video %(seconds)s và %(size)s."),
      {
        n: this.limits.videoMaxCount,
        seconds: formatDuration(this.limits.videoMaxSeconds),
        size: formatSize(this.limits.videoMaxBytes),
      },
      true,
    );
    if (!this.state?.sending) this.submitBtn.textContent = gettext("Gửi phản ánh");
  }

  /** Similar open reports nearby: the citizen may follow one instead of sending again. */
  async showDuplicates() {
    const el = this.duplicatesEl;
    const category = this.form.elements.category.value;
    if (!category || !this.state?.latlng || !this.config.urls.duplicates) {
      el.hidden = true;
      el.replaceChildren();
      return;
    }
    const { lat, lng } = this.state.latlng;
    const text = this.form.elements.description.value;
    this.duplicatesAsked = (this.duplicatesAsked || 0) + 1;
    const asked = this.duplicatesAsked;
    let body;
    try {
      body = await fetchDuplicates(this.config.urls.duplicates, { lat, lon: lng, category, text });
    } catch (error) {
      console.error("duplicates", error);
      return;
    }
    if (asked !== this.duplicatesAsked) return; // a later question (new category or text) is on its way
    el.hidden = true;
    el.replaceChildren();
    if (!body.features.length || this.form.elements.category.value !== category) return;
    const title = document.createElement("p");
    const n = body.features.length;
    title.textContent = interpolate(
      ngettext(
        "Đã có %(n)s phản ánh tương tự trong vòng %(m)s m:",
        "Đã có %(n)s phản ánh tương tự trong vòng %(m)s m:",
        n,
      ),
      { n, m: formatNumber(body.radius_m, pageLocale()) },
      true,
    );
    const list = document.createElement("ul");
    for (const feature of body.features.slice(0, 5)) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = fillUrl(this.config.urls.reportPage, { id: feature.id });
      link.target = "_blank";
      link.rel = "noopener";
      const p = feature.properties;
      const where = interpolate(
        gettext("%(m)s m, %(status)s"),
        {
          m: formatNumber(Math.round(p.distance_m), pageLocale()),
          status: statusLabel(p.status, p.status_label),
        },
        true,
      );
      link.textContent = `${p.description.slice(0, 80)} (${where})`;
      item.append(link);
      list.append(item);
    }
    const confirm = document.createElement("p");
    confirm.textContent = gettext(
      "Nếu là cùng sự việc, bạn có thể theo dõi phản ánh đó; nếu khác, vẫn gửi bình thường.",
    );
    el.append(title, list, confirm);
    el.hidden = false;
  }

  /** Asks which categories the description sounds like (only the latest question counts). */
  async fetchSuggestions() {
    const url = this.config.urls?.categorySuggest;
    const text = this.form.elements.description.value;
    this.suggestController?.abort();
    if (!url || !worthAsking(text) || navigator.onLine === false) {
      this.suggestions = [];
      this.renderSuggestions();
      return;
    }
    const controller = new AbortController();
    this.suggestController = controller;
    try {
      this.suggestions = await suggestCategories(url, text, { signal: controller.signal });
    } catch (error) {
      if (error?.name === "AbortError") return;
      this.suggestions = []; // a hint only: a failure just shows none
    }
    if (this.suggestController === controller) this.renderSuggestions();
  }

  /** Up to three categories to tap under the description; never chosen for the citizen. */
  renderSuggestions() {
    const select = this.form.elements.category;
    const offered = new Set([...select.options].map((o) => o.value));
    const shown = suggestionsToShow(this.suggestions, select.value).filter((s) => offered.has(s.code));
    const byCode = new Map((this.config.categories || []).map((c) => [c.code, c]));
    this.suggestionsList.replaceChildren(
      ...shown.map((s) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "ht-chip";
        button.dataset.category = s.code;
        button.textContent = byCode.has(s.code) ? categoryName(byCode.get(s.code)) : s.code;
        button.addEventListener("click", () => {
          select.value = s.code;
          select.dispatchEvent(new Event("change", { bubbles: true }));
        });
        return button;
      }),
    );
    this.suggestionsEl.hidden = shown.length === 0;
  }

  renderCategories() {
    const select = this.form.elements.category;
    const chosen = select.value;
    const placeholder = document.createElement("option");
    placeholder.value = "";
    placeholder.textContent = gettext("— Chọn lĩnh vực —");
    const option = (category) => {
      const el = document.createElement("option");
      el.value = category.code;
      el.textContent = categoryName(category);
      return el;
    };
    const group = (label, categories) => {
      const el = document.createElement("optgroup");
      el.label = label;
      el.append(...categories.map(option));
      return el;
    };
    const { tourism, other } = placeCategoryGroups(this.config.categories);
    // At a place, its problems first: overcharging, hygiene, safety, touts, wrong hours.
    const options =
      this.place && tourism.length
        ? [group(gettext("Sự cố tại địa điểm"), tourism), group(gettext("Lĩnh vực khác"), other)]
        : this.config.categories.map(option);
    select.replaceChildren(placeholder, ...options);
    select.value = chosen;
    if (select.selectedIndex < 0) select.value = "";
  }

  // --- a report filed from a place ---------------------------------------------------------

  /** The banner naming the place, or (an unknown ?place=) the notice of a normal form. */
  renderPlace() {
    this.placeBanner.hidden = !this.place;
    if (this.place) {
      document.getElementById("place-banner-text").textContent = interpolate(
        gettext("Báo sự cố tại: %(name)s"),
        { name: this.place.name },
        true,
      );
    }
    const notice = !this.place && this.config.placeNotice ? this.config.placeNotice : "";
    this.placeNotice.textContent = notice;
    this.placeNotice.hidden = !notice;
    const select = this.form.elements.price;
    const placeholder = document.createElement("option");
    placeholder.value = "";
    placeholder.textContent = gettext("— Chọn mục trong bảng giá —");
    const prices = this.place?.prices || [];
    const options = prices.map((price) => {
      const option = document.createElement("option");
      option.value = String(price.id);
      option.textContent = priceLabel(price, pageLocale());
      return option;
    });
    select.replaceChildren(placeholder, ...options);
    // No listed prices: only the amount is asked.
    const showSelect = prices.length > 0;
    select.hidden = !showSelect;
    this.form.querySelector("label[for=f-price]").hidden = !showSelect;
    this.renderPriceFields();
  }

  /** The item and amount fields, for an overcharging report at a place only. */
  renderPriceFields() {
    const wanted =
      Boolean(this.place) && this.form.elements.category.value === this.config.overchargingCategory;
    this.priceFields.hidden = !wanted;
    if (!wanted) {
      this.clearFieldError("price");
      this.clearFieldError("charged_vnd");
    }
  }

  /** "Gửi phản ánh thường": the same form, no longer linked to the place. */
  leavePlace() {
    this.place = null;
    this.config = { ...this.config, placeNotice: "" };
    const url = new URL(window.location.href);
    url.searchParams.delete("place");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    this.renderCategories();
    this.renderPlace();
    document.getElementById("report-panel-title").focus({ preventScroll: true });
  }

  /** Where this report goes: the place's reports, else the city's. */
  reportsUrl() {
    return this.place ? this.config.placeReportsUrl : this.config.urls.reports;
  }

  updateCounter() {
    const max = this.form.elements.description.maxLength;
    this.counter.textContent = `${this.form.elements.description.value.length}/${max}`;
  }

  /** Whether the citizen is choosing a place now (form shown, not yet sent). */
  get picking() {
    return Boolean(this.state && !this.state.done && !this.state.queued && !this.panel.hidden);
  }

  /**
   * A tap on the map: while the form is open it moves the pin (what was typed stays); else
   * it opens a fresh form there.
   */
  mapClick(latlng, wardFeature) {
    if (this.picking) this.setLocation(latlng, { wardFeature });
    else this.open(latlng, wardFeature);
  }

  /** A fresh form (and idempotency key); `latlng` may be null (opened from the button). */
  open(latlng = null, wardFeature = null) {
    this.abortAll();
    // At a place its point is the report's, until the visitor moves the pin.
    const at = latlng || (this.place ? L.latLng(this.place.lat, this.place.lon) : null);
    this.state = {
      latlng: null,
      key: newIdempotencyKey(),
      lookup: undefined,
      wardFeature: null,
      controller: null,
      sending: null,
      done: null,
      queued: false,
    };
    this.form.reset();
    this.renderPriceFields();
    this.attachments.clear();
    this.clearErrors();
    this.hidePhotoPrompt();
    this.setStatus(this.locateStatus, "");
    this.updateCounter();
    this.duplicatesEl.hidden = true;
    this.askSuggestions.cancel();
    this.suggestions = [];
    this.renderSuggestions();
    this.form.hidden = false;
    this.doneEl.hidden = true;
    this.setSending(false);
    this.panel.hidden = false;
    document.body.classList.add("ht-panel-open");
    this.setPicking(true);
    this.removeLocationLayers();
    this.map.invalidateSize({ pan: false });
    if (at) this.setLocation(L.latLng(at), { wardFeature });
    else {
      this.renderLookup();
      this.renderWard();
    }
    if (this.fab) this.fab.setAttribute("aria-expanded", "true");
  }

  close() {
    this.abortAll();
    this.state = null;
    this.panel.hidden = true;
    document.body.classList.remove("ht-panel-open");
    this.setPicking(false);
    this.removeLocationLayers();
    this.attachments.clear();
    this.map.invalidateSize({ pan: false });
    if (this.fab) {
      this.fab.setAttribute("aria-expanded", "false");
      this.fab.focus({ preventScroll: true });
    }
  }

  abortAll() {
    if (!this.state) return;
    if (this.state.controller) this.state.controller.abort();
    if (this.state.sending) this.state.sending.abort();
  }

  /** While choosing a place, report markers and clusters let taps through to the map. */
  setPicking(on) {
    document.body.classList.toggle("ht-picking", on);
    if (this.reports && typeof this.reports.setInteractive === "function") this.reports.setInteractive(!on);
  }

  removeLocationLayers() {
    if (this.pin) this.pin.remove();
    if (this.accuracyCircle) this.accuracyCircle.remove();
    this.pin = null;
    this.accuracyCircle = null;
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

  /**
   * The report's place: moves (or makes) the draggable pin, draws the accuracy circle for a
   * device position, and asks which ward it falls in.
   */
  setLocation(point, { accuracy = null, wardFeature = null, center = false } = {}) {
    const state = this.state;
    if (!state) return;
    const latlng = L.latLng(point);
    state.latlng = latlng;
    state.wardFeature = wardFeature || null;
    state.lookup = undefined;
    this.clearFieldError("location");
    this.placePin(latlng);
    if (this.accuracyCircle) this.accuracyCircle.remove();
    this.accuracyCircle = null;
    if (accuracy) {
      this.accuracyCircle = L.circle(latlng, {
        radius: accuracy,
        interactive: false,
        className: "ht-accuracy",
        color: "#1f78b4",
        weight: 1,
        fillOpacity: 0.12,
      }).addTo(this.map);
    }
    if (center) this.map.setView(latlng, Math.max(this.map.getZoom(), LOCATE_ZOOM), { animate: false });
    this.renderLookup();
    this.renderWard();
    this.keepPointVisible(latlng);
    this.lookup(state);
    if (this.form.elements.category.value) this.showDuplicates();
  }

  placePin(latlng) {
    if (this.pin) {
      this.pin.setLatLng(latlng);
      return;
    }
    const title = gettext("Vị trí phản ánh: kéo để chỉnh");
    this.pin = L.marker(latlng, {
      icon: L.divIcon({ className: "ht-form-pin", iconSize: [44, 44], iconAnchor: [22, 22] }),
      draggable: true,
      autoPan: true,
      keyboard: true,
      title,
      alt: title,
      zIndexOffset: 1000,
    }).addTo(this.map);
    // Dragging is a choice of place like a tap: the ward is looked up again.
    this.pin.on("dragend", () => this.setLocation(this.pin.getLatLng()));
  }

  async locateMe() {
    if (!this.state) return;
    const state = this.state;
    this.locateBtn.disabled = true;
    this.setStatus(this.locateStatus, gettext("Đang xác định vị trí của bạn…"));
    try {
      const pos = await currentPosition();
      if (state !== this.state) return;
      this.setLocation(L.latLng(pos.lat, pos.lng), { accuracy: pos.accuracy, center: true });
      this.setStatus(
        this.locateStatus,
        interpolate(
          gettext("Độ chính xác khoảng %(m)s m."),
          { m: formatNumber(Math.round(pos.accuracy), pageLocale()) },
          true,
        ),
      );
    } catch (error) {
      if (state !== this.state) return;
      this.setStatus(this.locateStatus, geolocationMessage(error), { error: true });
    } finally {
      this.locateBtn.disabled = false;
    }
  }

  setStatus(el, text, { error = false } = {}) {
    el.textContent = text;
    el.hidden = !text;
    el.classList.toggle("ht-hint--error", error);
  }

  async lookup(state) {
    if (state.controller) state.controller.abort();
    const controller = new AbortController();
    state.controller = controller;
    const latlng = state.latlng;
    try {
      const result = await lookupWard(
        this.config.urls.wardLookup,
        { lat: latlng.lat, lon: latlng.lng },
        { signal: controller.signal },
      );
      if (state !== this.state || state.latlng !== latlng) return;
      state.lookup = result.ward;
      if (result.ward) state.wardFeature = this.wards.feature(result.ward.code) || state.wardFeature;
      else state.wardFeature = null;
    } catch (error) {
      if (error.name === "AbortError" || state !== this.state || state.latlng !== latlng) return;
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
    this.locationHint.hidden = !this.state.latlng;
    if (!this.state.latlng) {
      el.textContent = gettext(
        "Chưa chọn vị trí: dùng “Vị trí của tôi”, nhấn vào bản đồ hoặc thêm ảnh có vị trí.",
      );
      el.classList.add("ht-location--none");
    } else if (ward === undefined) {
      el.textContent = gettext("Đang xác định phường/xã…");
      el.classList.add("ht-location--pending");
    } else if (ward === "error") {
      el.textContent = gettext("Không xác định được phường/xã");
      el.classList.add("ht-location--error");
    } else if (ward === null) {
      el.textContent = gettext("Phường/Xã: ngoài ranh giới");
      el.classList.add("ht-location--outside");
    } else {
      const main = document.createElement("span");
      main.className = "ht-location__ward";
      // The ward's name only: its code (and the boundary version) is for staff, not citizens.
      main.textContent = interpolate(gettext("Phường/Xã: %(name)s"), { name: ward.name }, true);
      el.append(main);
      if (ward.match === "nearest") {
        const near = document.createElement("span");
        near.className = "ht-location__nearest";
        const metres = Math.round(Number(ward.distance_m) || 0);
        const nearest = interpolate(
          gettext("gần nhất, cách %(m)s m"),
          { m: formatNumber(metres, pageLocale()) },
          true,
        );
        near.textContent = ` — ${nearest}`;
        el.append(near);
      }
    }
  }

  renderWard() {
    const feature = this.state?.wardFeature;
    this.wardEl.hidden = !feature;
    this.wardEl.replaceChildren(...(feature ? [wardCard(feature)] : []));
  }

  // --- photos and clips -------------------------------------------------------------------

  async addPhotos(input) {
    const files = [...input.files];
    input.value = ""; // the same photo can be chosen again after removing it
    if (!files.length || !this.state) return;
    const state = this.state;
    const errors = this.attachments.addPhotos(files);
    if (errors.length) this.showFieldError("photos", errors);
    // Photo-first: the first chosen photo that knows where it was taken offers its place.
    for (const file of files) {
      const gps = await photoLocation(file);
      if (state !== this.state) return;
      if (gps && this.attachments.has(file)) {
        this.offerPhotoLocation({ ...gps, file });
        break;
      }
    }
  }

  async addVideos(input) {
    const files = [...input.files];
    input.value = "";
    if (!files.length || !this.state) return;
    const errors = await this.attachments.addVideos(files);
    if (errors.length) this.showFieldError("videos", errors);
  }

  offerPhotoLocation(gps) {
    const here = this.state.latlng;
    // Already there (within ~10 m): nothing to ask.
    if (here && L.latLng(gps.lat, gps.lng).distanceTo(here) < 10) return;
    this.photoGps = gps;
    this.photoPromptText.textContent = interpolate(
      gettext("Ảnh được chụp tại %(lat)s, %(lon)s."),
      { lat: gps.lat.toFixed(5), lon: gps.lng.toFixed(5) },
      true,
    );
    document.getElementById("photo-location-keep").textContent = here
      ? gettext("Giữ vị trí hiện tại")
      : gettext("Không dùng");
    this.photoPrompt.hidden = false;
    this.photoPrompt.scrollIntoView({ block: "nearest" });
  }

  usePhotoLocation() {
    const gps = this.photoGps;
    this.hidePhotoPrompt();
    if (gps && this.state) this.setLocation(L.latLng(gps.lat, gps.lng), { center: true });
  }

  hidePhotoPrompt() {
    this.photoGps = null;
    this.photoPrompt.hidden = true;
  }

  // --- errors -----------------------------------------------------------------------------

  errorEl(field) {
    return this.form.querySelector(`[data-error-for="${field}"]`);
  }

  inputFor(field) {
    if (field === "location") return this.locateBtn;
    if (field === "photos") return document.getElementById("f-photos");
    if (field === "videos") return document.getElementById("f-videos");
    return this.form.elements[field];
  }

  clearFieldError(field) {
    const el = this.errorEl(field);
    if (!el || el.hidden) return;
    el.replaceChildren();
    el.hidden = true;
    const input = this.inputFor(field);
    if (input) input.removeAttribute("aria-invalid");
  }

  clearErrors() {
    this.form.querySelectorAll("[data-error-for]").forEach((el) => {
      el.replaceChildren();
      el.hidden = true;
    });
    for (const el of this.form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  }

  showFieldError(field, messages) {
    const el = this.errorEl(field);
    el.textContent = messages.join(" ");
    el.hidden = false;
    const input = this.inputFor(field);
    if (input && field !== "location") input.setAttribute("aria-invalid", "true");
  }

  /** A message above the form the citizen cannot miss: scrolled into view, read out. */
  showAlert(text) {
    this.alertEl.textContent = text;
    this.alertEl.hidden = false;
    this.alertEl.scrollIntoView({ block: "center" });
    this.alertEl.focus({ preventScroll: true });
  }

  showErrors(errors, detail) {
    this.clearErrors();
    const { byField, general } = formErrors(errors, detail, { fields: FIELDS, aliases: FIELD_ALIASES });
    for (const [field, list] of Object.entries(byField)) this.showFieldError(field, list);
    if (general.length) {
      this.showAlert(general.join(" "));
      return;
    }
    const first = FIELDS.map((f) => this.errorEl(f)).find((el) => el && !el.hidden);
    if (!first) return;
    first.scrollIntoView({ block: "center" });
    const input = this.inputFor(first.dataset.errorFor);
    const focusable = input && !input.classList.contains("ht-file-input") ? input : null;
    if (focusable) focusable.focus({ preventScroll: true });
  }

  validate(values) {
    const errors = {};
    const required = gettext("Trường này là bắt buộc.");
    if (!this.state.latlng) {
      errors.location = [gettext("Hãy chọn vị trí: nhấn vào bản đồ hoặc dùng “Vị trí của tôi”.")];
    }
    if (!values.category) errors.category = [required];
    if (!values.description.trim()) errors.description = [required];
    if (values.contact_phone && !values.consent_notice_version) {
      // Contact data only with the sender's consent to the notice shown (the API checks too).
      errors.consent_notice_version = [
        gettext("Hãy đánh dấu đồng ý với thông báo về dữ liệu cá nhân, hoặc bỏ trống số điện thoại."),
      ];
    }
    if (values.charged_vnd === false) {
      errors.charged_vnd = [gettext("Hãy nhập số tiền bằng chữ số, ví dụ 500000.")];
    }
    if (this.attachments.photos().length > this.limits.photoMaxCount) {
      const n = this.limits.photoMaxCount;
      errors.photos = [interpolate(gettext("Tối đa %(n)s ảnh."), { n }, true)];
    }
    return errors;
  }

  // --- sending ----------------------------------------------------------------------------

  setSending(sending) {
    this.submitBtn.disabled = sending;
    this.submitBtn.textContent = sending ? gettext("Đang gửi…") : gettext("Gửi phản ánh");
    this.progressBox.hidden = !sending;
    if (sending) this.setProgress(null);
  }

  /** `{loaded, total}` of the upload, or null while the photos are still being prepared. */
  setProgress(progress) {
    const el = this.progress;
    if (!progress) {
      el.removeAttribute("value"); // indeterminate
      this.progressLabel.textContent = gettext("Đang chuẩn bị ảnh…");
      return;
    }
    const { loaded, total } = progress;
    if (!total) {
      el.removeAttribute("value");
      this.progressLabel.textContent = gettext("Đang gửi…");
      return;
    }
    const percent = Math.min(100, Math.round((loaded / total) * 100));
    el.setAttribute("value", String(percent));
    this.progressLabel.textContent = interpolate(
      gettext("Đang gửi… %(percent)s (%(sent)s / %(total)s)"),
      { percent: `${percent}%`, sent: formatSize(loaded), total: formatSize(total) },
      true,
    );
  }

  cancelSending() {
    if (this.state?.sending) {
      this.state.cancelled = true;
      this.state.sending.abort();
    }
  }

  values() {
    const elements = this.form.elements;
    const latlng = this.state.latlng;
    return {
      category: elements.category.value,
      description: elements.description.value,
      contact_phone: elements.contact_phone.value.trim(),
      // The version of the notice shown beside the phone, sent only when the box is ticked.
      consent_notice_version: elements.consent_notice_version.checked
        ? elements.consent_notice_version.value
        : undefined,
      lon: latlng ? Number(latlng.lng.toFixed(6)) : undefined,
      lat: latlng ? Number(latlng.lat.toFixed(6)) : undefined,
      idempotency_key: this.state.key,
      device_id: deviceId(), // scopes the key to this phone (kept with the outbox entry)
      source: "web", // the API records where a report came from
      ...this.placeValues(),
    };
  }

  /** An overcharging report at a place: the listed item chosen and the amount charged
   * (false when the amount cannot be read; validate() says so). */
  placeValues() {
    if (!this.place || this.priceFields.hidden) return {};
    const elements = this.form.elements;
    const charged = parseCharged(elements.charged_vnd.value);
    const values = {};
    if (elements.price.value) values.price = Number(elements.price.value);
    if (charged.error) values.charged_vnd = false;
    else if (charged.value !== null) values.charged_vnd = charged.value;
    return values;
  }

  async submit() {
    const state = this.state;
    if (!state || state.sending || this.submitBtn.disabled) return;
    const values = this.values();
    const invalid = this.validate(values);
    if (Object.keys(invalid).length) {
      this.showErrors(invalid);
      return;
    }
    this.clearErrors();
    const controller = new AbortController();
    state.sending = controller;
    state.cancelled = false;
    this.setSending(true);
    try {
      const files = await this.attachments.files();
      if (state !== this.state || controller.signal.aborted) throw new DOMException("Aborted", "AbortError");
      this.setProgress({ loaded: 0, total: 0 }); // photos ready: sending, size not known yet
      if (navigator.onLine === false && (await this.queue(state, values, files))) return;
      const { feature } = await sendReport(this.reportsUrl(), values, files, {
        onProgress: (p) => {
          if (state === this.state) this.setProgress(p);
        },
        signal: controller.signal,
      });
      if (state !== this.state) return;
      state.sending = null;
      this.done(feature);
    } catch (error) {
      if (state !== this.state) return;
      state.sending = null;
      this.setSending(false);
      await this.failed(state, error, values);
    }
  }

  async failed(state, error, values) {
    if (error && error.name === "AbortError") {
      if (state.cancelled) this.showAlert(gettext("Đã hủy gửi. Bạn có thể sửa rồi gửi lại."));
      return;
    }
    if (error instanceof NetworkError) {
      const files = await this.attachments.files();
      if (state === this.state && (await this.queue(state, values, files))) return;
      this.showAlert(
        gettext(
          "Không có kết nối mạng, chưa gửi được. Hãy thử lại khi có mạng (phản ánh sẽ không bị gửi trùng).",
        ),
      );
      return;
    }
    if (error instanceof ApiError && error.status === 400) {
      this.showErrors(error.body.errors, error.body.detail);
    } else if (error instanceof ApiError && error.status === 413) {
      this.showAlert(gettext("Ảnh hoặc video quá lớn để gửi. Hãy bỏ bớt rồi gửi lại."));
    } else if (error instanceof ApiError && error.status === 429) {
      this.showAlert(gettext("Bạn đã gửi nhiều phản ánh liên tiếp. Hãy thử lại sau ít phút."));
    } else if (error instanceof ApiError && error.status === 403) {
      this.showAlert(gettext("Hãy đăng nhập bằng số điện thoại để gửi phản ánh."));
    } else {
      console.error("report submit", error);
      this.showAlert(gettext("Không gửi được phản ánh. Vui lòng thử lại."));
    }
  }

  /** Keeps the report in the outbox to send when the network returns; false without one. */
  async queue(state, values, files) {
    const outbox = await outboxModule();
    if (!outbox) return false;
    try {
      await outbox.queueReport({ url: this.reportsUrl(), fields: values, files });
    } catch (error) {
      console.error("outbox", error);
      return false;
    }
    if (state !== this.state) return true;
    state.sending = null;
    state.queued = true;
    this.setSending(false);
    this.showDone();
    return true;
  }

  done(feature) {
    const marker = this.reports.addFeature(feature);
    this.state.done = feature;
    this.showDone();
    this.doneEl.dataset.reportId = String(feature.id ?? feature.properties.id);
    if (marker && this.reports.cluster) this.reports.cluster.zoomToShowLayer(marker, () => {});
  }

  /** The confirmation replaces the form, scrolled to, its heading focused (read out). */
  showDone() {
    this.removeLocationLayers();
    this.setPicking(false);
    this.form.hidden = true;
    this.renderDone();
    this.doneEl.hidden = false;
    this.panel.scrollTop = 0;
    this.doneEl.scrollIntoView({ block: "start" });
    this.doneTitle.focus({ preventScroll: true });
  }

  renderDone() {
    const state = this.state;
    if (!state || (!state.done && !state.queued)) return;
    this.doneEl.classList.toggle("ht-done--queued", state.queued);
    if (state.queued) {
      this.doneTitle.textContent = gettext("Đã lưu, sẽ tự gửi khi có mạng");
      this.doneText.textContent = gettext(
        "Phản ánh được giữ trên máy này và sẽ tự gửi khi có mạng trở lại, kể cả khi bạn đóng trang.",
      );
      this.doneReference.hidden = true;
      this.doneLink.hidden = true;
      return;
    }
    const feature = state.done;
    const p = feature.properties || {};
    this.doneTitle.textContent = gettext("Đã gửi phản ánh");
    const ward = p.ward;
    this.doneText.textContent = ward
      ? interpolate(gettext("Phản ánh đã được chuyển tới: %(ward)s"), { ward: wardTitle(ward) }, true)
      : gettext("Vị trí ngoài ranh giới các phường/xã; trung tâm điều hành sẽ xem xét.");
    const reference = p.reference || "";
    this.doneReference.replaceChildren();
    this.doneReference.hidden = !reference;
    if (reference) {
      const strong = document.createElement("strong");
      strong.textContent = reference;
      this.doneReference.append(document.createTextNode(`${gettext("Mã phản ánh:")} `), strong);
    }
    // The page at the reference the citizen also gets by SMS; the id page when there is none.
    const id = feature.id ?? p.id;
    const byReference = this.config.urls.reportByReference || "";
    const pattern = this.config.urls.reportPage || "";
    if (reference && byReference) {
      this.doneLink.hidden = false;
      this.doneLink.href = fillUrl(byReference, { reference });
    } else {
      this.doneLink.hidden = !(pattern && id);
      if (pattern && id) this.doneLink.href = fillUrl(pattern, { id });
    }
  }
}
