// UI strings in Vietnamese (default) and English. Data (ward names, descriptions) is never
// translated; category names come in both languages from the server.

import { fillPlaceholders, localeFor } from "./l10n.js";

const STORAGE_KEY = "hientruong.lang";
// Marks the Vietnamese source strings for makemessages (djangojs); see t() below.
const gettext_noop = (s) => s;
const SUPPORTED = ["vi", "en"];

const STRINGS = {
  vi: {
    "app.title": gettext_noop("Hiện Trường"),
    "app.hint": gettext_noop("Nhấn vào bản đồ để gửi phản ánh"),
    "app.mapLabel": gettext_noop("Bản đồ phản ánh hiện trường"),
    "app.switchLanguage": gettext_noop("English"),
    "app.switchLanguageLabel": gettext_noop("Switch to English"),
    "app.tilesUnavailable": gettext_noop("Không tải được bản đồ nền; vẫn xem và gửi phản ánh được."),
    "app.wardsFailed": gettext_noop("Không tải được ranh giới phường/xã."),
    "app.reportsFailed": gettext_noop("Không tải được danh sách phản ánh."),
    "app.reportsTruncated": gettext_noop("Chỉ hiển thị {n} phản ánh; phóng to để xem thêm."),
    "app.reportsCount": gettext_noop("{n} phản ánh"),
    "app.reportLoading": gettext_noop("Đang tải…"),
    "legend.title": gettext_noop("Trạng thái"),
    "status.received": gettext_noop("Tiếp nhận"),
    "status.verified": gettext_noop("Đã xác minh"),
    "status.rejected": gettext_noop("Từ chối"),
    "status.assigned": gettext_noop("Đã chuyển xử lý"),
    "status.in_progress": gettext_noop("Đang xử lý"),
    "status.resolved": gettext_noop("Đã xử lý"),
    "unit.phuong": gettext_noop("Phường"),
    "unit.xa": gettext_noop("Xã"),
    "unit.thi_tran": gettext_noop("Thị trấn"),
    "ward.code": gettext_noop("Mã"),
    "ward.unitType": gettext_noop("Loại"),
    "ward.reports": gettext_noop("Phản ánh"),
    "ward.total": gettext_noop("Tổng số"),
    "ward.noReports": gettext_noop("Chưa có phản ánh"),
    "report.category": gettext_noop("Lĩnh vực"),
    "report.ward": gettext_noop("Phường/Xã"),
    "report.reference": gettext_noop("Mã phản ánh"),
    "report.status": gettext_noop("Trạng thái"),
    "report.reportedAt": gettext_noop("Thời gian"),
    "report.outside": gettext_noop("ngoài ranh giới"),
    "report.photo": gettext_noop("Ảnh hiện trường"),
    "report.details": gettext_noop("Xem chi tiết, trả lời"),
    "form.duplicates": gettext_noop("Đã có {n} phản ánh tương tự trong vòng {m} m:"),
    "form.duplicatesConfirm": gettext_noop(
      "Nếu là cùng sự việc, bạn có thể theo dõi phản ánh đó; nếu khác, vẫn gửi bình thường.",
    ),
    "form.title": gettext_noop("Gửi phản ánh"),
    "form.close": gettext_noop("Đóng"),
    "form.lookupPending": gettext_noop("Đang xác định phường/xã…"),
    "form.lookupWard": gettext_noop("Phường/Xã: {name} ({code})"),
    "form.lookupNearest": gettext_noop("gần nhất, cách {m} m"),
    "form.lookupOutside": gettext_noop("Phường/Xã: ngoài ranh giới"),
    "form.lookupFailed": gettext_noop("Không xác định được phường/xã"),
    "form.category": gettext_noop("Lĩnh vực"),
    "form.categoryPlaceholder": gettext_noop("— Chọn lĩnh vực —"),
    "form.description": gettext_noop("Nội dung phản ánh"),
    "form.descriptionPlaceholder": gettext_noop("Mô tả sự việc, vị trí cụ thể…"),
    "form.phone": gettext_noop("Số điện thoại liên hệ"),
    "form.phonePrivate": gettext_noop("(không công khai, chỉ cán bộ xử lý xem)"),
    "form.photos": gettext_noop("Ảnh (JPEG, PNG, WebP)"),
    "form.submit": gettext_noop("Gửi phản ánh"),
    "form.sending": gettext_noop("Đang gửi…"),
    "form.required": gettext_noop("Trường này là bắt buộc."),
    "form.tooManyPhotos": gettext_noop("Tối đa {n} ảnh."),
    "form.failed": gettext_noop("Không gửi được phản ánh. Vui lòng thử lại."),
    "form.networkError": gettext_noop("Lỗi kết nối. Vui lòng thử lại (phản ánh sẽ không bị gửi trùng)."),
    "form.doneTitle": gettext_noop("Đã gửi phản ánh"),
    "form.doneWard": gettext_noop("Phản ánh đã được chuyển tới: {ward}"),
    "form.doneOutside": gettext_noop("Vị trí ngoài ranh giới các phường/xã."),
    "form.doneAgain": gettext_noop("Gửi phản ánh khác"),
  },
  en: {
    "app.title": "Hiện Trường",
    "app.hint": "Click the map to send a report",
    "app.mapLabel": "Field report map",
    "app.switchLanguage": "Tiếng Việt",
    "app.switchLanguageLabel": "Chuyển sang tiếng Việt",
    "app.tilesUnavailable": "Basemap unavailable; you can still view and send reports.",
    "app.wardsFailed": "Could not load ward boundaries.",
    "app.reportsFailed": "Could not load reports.",
    "app.reportsTruncated": "Showing only {n} reports; zoom in to see more.",
    "app.reportsCount": "{n} reports",
    "app.reportLoading": "Loading…",
    "legend.title": "Status",
    "status.received": "Received",
    "status.verified": "Verified",
    "status.rejected": "Rejected",
    "status.assigned": "Assigned",
    "status.in_progress": "In progress",
    "status.resolved": "Resolved",
    "unit.phuong": "Ward",
    "unit.xa": "Commune",
    "unit.thi_tran": "Township",
    "ward.code": "Code",
    "ward.unitType": "Type",
    "ward.reports": "Reports",
    "ward.total": "Total",
    "ward.noReports": "No reports yet",
    "report.category": "Category",
    "report.ward": "Ward/Commune",
    "report.reference": "Reference",
    "report.status": "Status",
    "report.reportedAt": "Reported",
    "report.outside": "outside the boundaries",
    "report.photo": "Photo",
    "report.details": "Details and answer",
    "form.duplicates": "{n} similar reports within {m} m:",
    "form.duplicatesConfirm": "If it is the same problem you can follow that report; otherwise send yours.",
    "form.title": "Send a report",
    "form.close": "Close",
    "form.lookupPending": "Finding the ward…",
    "form.lookupWard": "Ward/Commune: {name} ({code})",
    "form.lookupNearest": "nearest, {m} m away",
    "form.lookupOutside": "Ward/Commune: outside the boundaries",
    "form.lookupFailed": "Could not determine the ward",
    "form.category": "Category",
    "form.categoryPlaceholder": "— Choose a category —",
    "form.description": "Description",
    "form.descriptionPlaceholder": "What is happening, and where exactly…",
    "form.phone": "Contact phone",
    "form.phonePrivate": "(private: only officials handling it see it)",
    "form.photos": "Photos (JPEG, PNG, WebP)",
    "form.submit": "Send report",
    "form.sending": "Sending…",
    "form.required": "This field is required.",
    "form.tooManyPhotos": "At most {n} photos.",
    "form.failed": "The report could not be sent. Please try again.",
    "form.networkError": "Connection error. Please try again (it will not be sent twice).",
    "form.doneTitle": "Report sent",
    "form.doneWard": "Your report was routed to: {ward}",
    "form.doneOutside": "The location is outside every ward.",
    "form.doneAgain": "Send another report",
  },
};

let current = "vi";
const listeners = new Set();

function readStored() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled (private mode, strict settings): not fatal
  }
}

/**
 * The language to show: the stored choice, else the server default, else Vietnamese; with
 * `authoritative` (the server chose it from the language cookie) the server's, if supported.
 */
export function pickLanguage(stored, serverDefault, { authoritative = false } = {}) {
  if (authoritative && SUPPORTED.includes(serverDefault)) return serverDefault;
  if (SUPPORTED.includes(stored)) return stored;
  return SUPPORTED.includes(serverDefault) ? serverDefault : "vi";
}

/**
 * Picks the language (pickLanguage); call once before rendering. A page whose language the
 * server chose (the citizen map) passes `authoritative`: the server's language wins and is
 * remembered for the pages that still switch in the browser.
 */
export function initLanguage(serverDefault, { authoritative = false } = {}) {
  current = pickLanguage(readStored(), serverDefault, { authoritative });
  if (authoritative && current === serverDefault) {
    try {
      localStorage.setItem(STORAGE_KEY, current);
    } catch {
      /* not persisted */
    }
  }
  document.documentElement.lang = current;
  return current;
}

export function getLanguage() {
  return current;
}

/** Switches language, remembers it, and re-renders every subscriber. */
export function setLanguage(lang) {
  if (!SUPPORTED.includes(lang) || lang === current) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* not persisted, still switched */
  }
  document.documentElement.lang = lang;
  applyTranslations(document);
  for (const fn of listeners) fn(lang);
}

export function onLanguageChange(fn) {
  listeners.add(fn);
}

/** The string for `key`, `{name}` placeholders filled from `params` (plain text, never HTML). */
export function t(key, params = {}) {
  // Pages that load Django's JavaScriptCatalog (the citizen map) translate the Vietnamese
  // source text through it (locale/*/djangojs.po); the others still use this dictionary.
  const catalog =
    typeof window !== "undefined" && typeof window.gettext === "function" ? window.gettext : null;
  const template =
    catalog && key in STRINGS.vi
      ? catalog(STRINGS.vi[key])
      : (STRINGS[current][key] ?? STRINGS.vi[key] ?? key);
  return fillPlaceholders(template, params);
}

export function statusLabel(code, fallback = "") {
  const key = `status.${code}`;
  return key in STRINGS[current] ? t(key) : fallback || code;
}

export function unitTypeLabel(code, fallback = "") {
  const key = `unit.${code}`;
  return key in STRINGS[current] ? t(key) : fallback || code;
}

export function categoryName(category) {
  if (!category) return "";
  return (current === "en" ? category.name_en : category.name_vi) || category.name_vi || category.code;
}

export function locale() {
  return localeFor(current);
}

/** Fills `data-i18n` text and `data-i18n-<attr>` attributes under `root`. */
export function applyTranslations(root) {
  root.querySelectorAll("[data-i18n]").forEach((el) => {
    el.textContent = t(el.dataset.i18n);
  });
  for (const attr of ["aria-label", "placeholder", "title"]) {
    root.querySelectorAll(`[data-i18n-${attr}]`).forEach((el) => {
      el.setAttribute(attr, t(el.getAttribute(`data-i18n-${attr}`)));
    });
  }
}
