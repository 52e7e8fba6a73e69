// The staff report page's redaction editor (FixMyStreet's): each photo's private original
// with its blur boxes; a drag on the photo (mouse, pen or finger) adds a box, × removes one,
// "Xuất bản lại" sends the whole list and the server re-renders the public copy. The box
// arithmetic is in redaction_boxes.js; URLs come from the page (data-api, the img src).

import { ApiError, getJSON, postJSON } from "./api.js";
import { gettext, interpolate, ngettext } from "./l10n.js";
import {
  boxFromDrag,
  boxPercent,
  hasChanges,
  republishPayload,
  withBox,
  withoutBox,
} from "./redaction_boxes.js";

function place(node, box, natural) {
  const p = boxPercent(box, natural);
  node.style.left = p.left;
  node.style.top = p.top;
  node.style.width = p.width;
  node.style.height = p.height;
}

class PhotoEditor {
  constructor(figure) {
    this.figure = figure;
    this.api = figure.dataset.api;
    this.editable = figure.dataset.editable === "1";
    this.natural = { width: Number(figure.dataset.width), height: Number(figure.dataset.height) };
    this.stage = figure.querySelector(".st-redact__stage");
    this.layer = figure.querySelector(".st-redact__boxes");
    this.image = figure.querySelector(".st-redact__img");
    this.error = figure.querySelector(".st-form-error");
    this.status = figure.querySelector(".st-redact__status");
    this.button = figure.querySelector(".st-redact__republish");
    this.saved = [];
    this.boxes = [];
  }

  async start() {
    const data = await getJSON(this.api);
    this.apply(data);
    if (this.editable) this.bindDrawing();
    this.button?.addEventListener("click", () => this.republish());
    this.figure.dataset.ready = "true";
  }

  apply(data) {
    this.saved = data.boxes;
    this.boxes = [...data.boxes];
    const state = this.figure.querySelector(".st-redact__state");
    state.textContent = data.redaction_label;
    state.dataset.redaction = data.redaction;
    this.render();
  }

  render() {
    this.layer.replaceChildren();
    this.boxes.forEach((box, index) => {
      const node = document.createElement("span");
      node.className = `st-redact__box st-redact__box--${box.id ? box.source : "new"}`;
      place(node, box, this.natural);
      if (this.editable) {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "st-redact__remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", interpolate(gettext("Bỏ vùng che %(n)s"), { n: index + 1 }, true));
        remove.addEventListener("pointerdown", (event) => event.stopPropagation());
        remove.addEventListener("click", () => {
          this.boxes = withoutBox(this.boxes, index);
          this.render();
        });
        node.append(remove);
      }
      this.layer.append(node);
    });
    const count = this.figure.querySelector(".st-redact__count");
    const n = this.boxes.length;
    count.textContent = interpolate(ngettext("%(n)s vùng che", "%(n)s vùng che", n), { n }, true);
    if (this.button) this.button.classList.toggle("st-button--changed", hasChanges(this.saved, this.boxes));
  }

  point(event) {
    const rect = this.image.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  bindDrawing() {
    let start = null;
    let preview = null;
    this.stage.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      event.preventDefault();
      this.stage.setPointerCapture(event.pointerId);
      start = this.point(event);
      preview = document.createElement("span");
      preview.className = "st-redact__box st-redact__box--drawing";
      this.layer.append(preview);
    });
    this.stage.addEventListener("pointermove", (event) => {
      if (!start) return;
      const shown = this.shown();
      const box = boxFromDrag(start, this.point(event), shown, this.natural);
      preview.hidden = !box;
      if (box) place(preview, box, this.natural);
    });
    const finish = (event) => {
      if (!start) return;
      const box = boxFromDrag(start, this.point(event), this.shown(), this.natural);
      start = null;
      preview?.remove();
      preview = null;
      if (box) {
        this.boxes = withBox(this.boxes, box);
        this.render();
      }
    };
    this.stage.addEventListener("pointerup", finish);
    this.stage.addEventListener("pointercancel", () => {
      start = null;
      preview?.remove();
    });
  }

  shown() {
    const rect = this.image.getBoundingClientRect();
    return { width: rect.width, height: rect.height };
  }

  async republish() {
    this.error.hidden = true;
    this.status.textContent = gettext("Đang xuất bản lại…");
    this.button.disabled = true;
    try {
      const data = await postJSON(this.api, republishPayload(this.boxes));
      this.apply(data);
      this.status.textContent = gettext("Đã xuất bản lại bản công khai.");
      this.figure.dataset.republished = String(Number(this.figure.dataset.republished || 0) + 1);
    } catch (error) {
      const body = error instanceof ApiError ? error.body : {};
      const messages = Object.values(body?.errors || {}).flat();
      this.error.textContent =
        [body?.detail || "", ...messages].filter(Boolean).join(" ") || gettext("Lỗi kết nối mạng.");
      this.error.hidden = false;
      this.status.textContent = "";
    } finally {
      this.button.disabled = false;
    }
  }
}

export function startRedaction(root = document) {
  for (const figure of root.querySelectorAll(".st-redact[data-api]")) {
    new PhotoEditor(figure).start().catch(() => {
      figure.dataset.ready = "error";
    });
  }
}
