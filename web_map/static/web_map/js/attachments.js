// The photos and clips a report will carry: chosen from the camera or the gallery, shown as
// thumbnails (photos) or lines with name and length (clips), each removable with a 44 px ×.
// Photos are resized as soon as they are chosen (photo_resize.js), so sending waits little.

import { formatDuration, formatSize as formatSizeIn, gettext, interpolate, pageLocale } from "./l10n.js";
import { resizePhoto } from "./photo_resize.js";

/** "8 MB", "350 KB" in the page's language. */
export function formatSize(bytes) {
  return formatSizeIn(bytes, pageLocale());
}

/** The clip's length from its metadata, or null when this browser cannot read the container. */
function videoDuration(file) {
  return new Promise((resolve) => {
    const video = document.createElement("video");
    const url = URL.createObjectURL(file);
    const done = (value) => {
      URL.revokeObjectURL(url);
      video.removeAttribute("src");
      video.load();
      resolve(value);
    };
    video.preload = "metadata";
    video.muted = true;
    video.addEventListener("loadedmetadata", () =>
      done(Number.isFinite(video.duration) ? video.duration : null),
    );
    video.addEventListener("error", () => done(null));
    video.src = url;
  });
}

function photoAlt(item) {
  return interpolate(gettext("Ảnh %(name)s"), { name: item.file.name }, true);
}

/** The × button's name for screen readers: what it removes. */
function removeLabel(item) {
  const name = item.file.name;
  return item.kind === "photo"
    ? interpolate(gettext("Bỏ ảnh %(name)s"), { name }, true)
    : interpolate(gettext("Bỏ video %(name)s"), { name }, true);
}

let nextId = 1;

export class Attachments {
  /**
   * `photoList`/`videoList` are the <ul> elements; `limits` {photoMaxCount, videoMaxCount,
   * videoMaxBytes, videoMaxSeconds}; `onChange(kind)` runs after each add or removal.
   */
  constructor({ photoList, videoList, limits, onChange }) {
    this.photoList = photoList;
    this.videoList = videoList;
    this.limits = limits;
    this.onChange = onChange || (() => {});
    this.items = [];
    // One photo decoded at a time: five 12 MP bitmaps at once would exhaust a mid-range phone.
    this.resizing = Promise.resolve();
  }

  /** Whether this file is still attached (not removed). */
  has(file) {
    return this.items.some((item) => item.file === file);
  }

  photos() {
    return this.items.filter((item) => item.kind === "photo");
  }

  videos() {
    return this.items.filter((item) => item.kind === "video");
  }

  /** Adds photos up to the limit; returns the error messages (too many). */
  addPhotos(files) {
    const errors = [];
    for (const file of files) {
      if (this.photos().length >= this.limits.photoMaxCount) {
        errors.push(interpolate(gettext("Tối đa %(n)s ảnh."), { n: this.limits.photoMaxCount }, true));
        break;
      }
      const item = { id: nextId++, kind: "photo", file, url: "" };
      const resized = this.resizing.then(() => resizePhoto(file));
      this.resizing = resized.catch(() => {});
      item.prepared = resized.then((result) => {
        item.result = result;
        if (this.items.includes(item)) this.showThumbnail(item);
        return result;
      });
      this.items.push(item);
      this.photoList.append(this.photoElement(item));
    }
    this.onChange("photos");
    return errors;
  }

  /** Adds clips after checking count, size and (when readable) length; returns the errors. */
  async addVideos(files) {
    const errors = [];
    const { videoMaxCount, videoMaxBytes, videoMaxSeconds } = this.limits;
    for (const file of files) {
      if (this.videos().length >= videoMaxCount) {
        errors.push(interpolate(gettext("Tối đa %(n)s video."), { n: videoMaxCount }, true));
        break;
      }
      if (videoMaxBytes && file.size > videoMaxBytes) {
        errors.push(
          interpolate(
            gettext("Video “%(name)s” quá lớn (%(size)s); tối đa %(max)s."),
            { name: file.name, size: formatSize(file.size), max: formatSize(videoMaxBytes) },
            true,
          ),
        );
        continue;
      }
      const item = { id: nextId++, kind: "video", file, duration: undefined };
      item.prepared = Promise.resolve({ blob: file, name: file.name });
      this.items.push(item);
      const el = this.videoElement(item);
      this.videoList.append(el);
      item.duration = await videoDuration(file);
      if (!this.items.includes(item)) continue;
      if (item.duration != null && videoMaxSeconds && item.duration > videoMaxSeconds + 0.5) {
        this.remove(item.id, { silent: true });
        errors.push(
          interpolate(
            gettext("Video “%(name)s” dài %(length)s; tối đa %(max)s."),
            {
              name: file.name,
              length: formatDuration(item.duration),
              max: formatDuration(videoMaxSeconds),
            },
            true,
          ),
        );
        continue;
      }
      this.renderVideoMeta(item);
    }
    this.onChange("videos");
    return errors;
  }

  removeButton(item, label) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "ht-attachment__remove";
    button.setAttribute("aria-label", label);
    button.textContent = "×";
    button.addEventListener("click", () => this.remove(item.id));
    return button;
  }

  photoElement(item) {
    const li = document.createElement("li");
    li.className = "ht-attachment ht-attachment--photo ht-attachment--pending";
    li.dataset.attachmentId = String(item.id);
    const img = document.createElement("img");
    img.alt = photoAlt(item);
    img.hidden = true;
    li.append(img, this.removeButton(item, removeLabel(item)));
    item.el = li;
    return li;
  }

  showThumbnail(item) {
    const img = item.el.querySelector("img");
    const blob = item.result?.blob;
    if (!blob || !(blob.type || "").startsWith("image/")) return;
    item.url = URL.createObjectURL(blob);
    img.addEventListener("load", () => item.el.classList.remove("ht-attachment--pending"), { once: true });
    img.addEventListener("error", () => item.el.classList.add("ht-attachment--broken"), { once: true });
    img.src = item.url;
    img.hidden = false;
  }

  videoElement(item) {
    const li = document.createElement("li");
    li.className = "ht-attachment ht-attachment--video";
    li.dataset.attachmentId = String(item.id);
    const name = document.createElement("span");
    name.className = "ht-attachment__name";
    name.textContent = item.file.name;
    const meta = document.createElement("span");
    meta.className = "ht-attachment__meta";
    meta.textContent = formatSize(item.file.size);
    li.append(name, meta, this.removeButton(item, removeLabel(item)));
    item.el = li;
    return li;
  }

  renderVideoMeta(item) {
    const meta = item.el.querySelector(".ht-attachment__meta");
    const parts = [formatSize(item.file.size)];
    if (item.duration != null) parts.unshift(formatDuration(item.duration));
    meta.textContent = parts.join(" · ");
    item.el.dataset.duration = item.duration != null ? String(Math.round(item.duration)) : "";
  }

  remove(id, { silent = false } = {}) {
    const item = this.items.find((i) => i.id === id);
    if (!item) return;
    this.items = this.items.filter((i) => i !== item);
    if (item.url) URL.revokeObjectURL(item.url);
    item.el.remove();
    if (!silent) this.onChange(item.kind === "photo" ? "photos" : "videos");
  }

  clear() {
    for (const item of this.items) {
      if (item.url) URL.revokeObjectURL(item.url);
      item.el.remove();
    }
    this.items = [];
  }

  /** The parts to upload, photos resized: [{field, blob, name}]. */
  async files() {
    const out = [];
    for (const item of this.items) {
      const { blob, name } = await item.prepared;
      out.push({ field: item.kind === "photo" ? "photos" : "videos", blob, name });
    }
    return out;
  }
}
