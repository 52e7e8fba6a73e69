// The planner's UI strings (Vietnamese first, English). Language choice, status labels and
// category names come from the shared i18n.js, so every page switches language together;
// planner strings live here (data-pt attributes) so i18n.js's own pass never touches them.

import { getLanguage, locale, t as sharedT } from "./i18n.js";
import { fillPlaceholders, formatNumber as formatIn, formatSigned as formatSignedIn } from "./l10n.js";

const STRINGS = {
  vi: {
    "planner.title": "Bản đồ quy hoạch",
    "planner.queue": "Hàng đợi phản ánh",
    "planner.logout": "Đăng xuất",
    "planner.mapLabel": "Bản đồ quy hoạch: mật độ, lưới, bản đồ màu phường/xã, điểm nóng",
    "planner.filters": "Bộ lọc phản ánh",
    "planner.export": "Xuất bản đồ",
    "planner.exportHint": "Tệp HTML mở được khi không có mạng, gửi kèm e-mail được.",
    "planner.switchLanguage": "English",
    "filter.category": "Lĩnh vực",
    "filter.status": "Trạng thái",
    "filter.ward": "Phường/xã",
    "filter.all": "Tất cả",
    "filter.wholeCity": "Toàn thành phố",
    "filter.period": "Thời gian",
    "filter.fromMonth": "Từ tháng",
    "filter.toMonth": "Đến tháng",
    "filter.periodLabel": "{from} – {to} ({n} tháng)",
    "filter.measure": "Chỉ số phường/xã (bản đồ màu)",
    "layer.wards": "Ranh giới phường/xã",
    "layer.heat": "Mật độ phản ánh (bản đồ nhiệt)",
    "layer.grid": "Lưới ô vuông: số phản ánh",
    "layer.choropleth": "Bản đồ màu phường/xã",
    "layer.hotspots": "Điểm nóng",
    "measure.received": "Số phản ánh",
    "measure.per_1000_residents": "Phản ánh trên 1.000 dân",
    "measure.median_hours": "Thời gian xử lý (trung vị)",
    "measure.on_time_pct": "Tỷ lệ xử lý đúng hạn",
    "measure.satisfaction_score": "Mức độ hài lòng",
    "unit.received": "phản ánh",
    "unit.per_1000_residents": "phản ánh / 1.000 dân",
    "unit.median_hours": "giờ",
    "unit.on_time_pct": "%",
    "unit.satisfaction_score": "điểm / 100",
    "legend.title": "Chú giải",
    "legend.heat": "Mật độ phản ánh",
    "legend.heatLow": "ít",
    "legend.heatHigh": "nhiều",
    "legend.heatTotal": "{n} phản ánh trong kỳ",
    "legend.grid": "Số phản ánh mỗi ô (~{km} km)",
    "legend.noData": "Không có dữ liệu",
    "legend.empty": "Không có phản ánh trong kỳ",
    "legend.hotspots": "Điểm nóng (cụm có ý nghĩa thống kê)",
    "legend.hotspot": "Điểm nóng",
    "legend.emerging": "Điểm nóng mới nổi (kỳ trước chưa có)",
    "legend.hotspotCount": "{n} điểm nóng, {e} mới nổi",
    "hotspot.ward": "Phường/xã",
    "hotspot.none": "Không có điểm nóng nào có ý nghĩa thống kê trong kỳ này.",
    "hotspot.reportsShort": "phản ánh",
    "hotspot.reports": "Số phản ánh",
    "hotspot.cells": "Số ô lục giác",
    "hotspot.trend": "Xu hướng so với kỳ trước",
    "hotspot.previous": "kỳ trước: {n}",
    "choropleth.population": "Dân số",
    "notice.tiles": "Không tải được bản đồ nền; các lớp dữ liệu vẫn hiển thị.",
    "notice.wards": "Không tải được ranh giới phường/xã.",
    "notice.failed": "Không tải được lớp «{layer}».",
    "notice.missing": "Lớp «{layer}» chưa có trên máy chủ này.",
    "notice.invalid": "Lớp «{layer}»: {detail}",
    "notice.layers": "Không tải được danh sách lớp điểm.",
    "notice.loading": "Đang tải lớp «{layer}»…",
  },
  en: {
    "planner.title": "Planner map",
    "planner.queue": "Report queue",
    "planner.logout": "Sign out",
    "planner.mapLabel": "Planner map: density, grid, ward choropleth, hotspots",
    "planner.filters": "Report filters",
    "planner.export": "Export map",
    "planner.exportHint": "An HTML file that opens offline and fits in an e-mail.",
    "planner.switchLanguage": "Tiếng Việt",
    "filter.category": "Category",
    "filter.status": "Status",
    "filter.ward": "Ward/commune",
    "filter.all": "All",
    "filter.wholeCity": "Whole city",
    "filter.period": "Period",
    "filter.fromMonth": "From month",
    "filter.toMonth": "To month",
    "filter.periodLabel": "{from} – {to} ({n} months)",
    "filter.measure": "Ward measure (choropleth)",
    "layer.wards": "Ward boundaries",
    "layer.heat": "Report density (heatmap)",
    "layer.grid": "Square grid: report counts",
    "layer.choropleth": "Ward choropleth",
    "layer.hotspots": "Hotspots",
    "measure.received": "Reports",
    "measure.per_1000_residents": "Reports per 1,000 residents",
    "measure.median_hours": "Median time to resolve",
    "measure.on_time_pct": "Resolved on time",
    "measure.satisfaction_score": "Satisfaction",
    "unit.received": "reports",
    "unit.per_1000_residents": "reports / 1,000 residents",
    "unit.median_hours": "hours",
    "unit.on_time_pct": "%",
    "unit.satisfaction_score": "score / 100",
    "legend.title": "Legend",
    "legend.heat": "Report density",
    "legend.heatLow": "few",
    "legend.heatHigh": "many",
    "legend.heatTotal": "{n} reports in the period",
    "legend.grid": "Reports per cell (~{km} km)",
    "legend.noData": "No data",
    "legend.empty": "No reports in the period",
    "legend.hotspots": "Hotspots (statistically significant clusters)",
    "legend.hotspot": "Hotspot",
    "legend.emerging": "Emerging hotspot (not in the previous period)",
    "legend.hotspotCount": "{n} hotspots, {e} emerging",
    "hotspot.ward": "Ward/commune",
    "hotspot.none": "No statistically significant hotspot in this period.",
    "hotspot.reportsShort": "reports",
    "hotspot.reports": "Reports",
    "hotspot.cells": "Hex cells",
    "hotspot.trend": "Trend vs previous period",
    "hotspot.previous": "previous period: {n}",
    "choropleth.population": "Population",
    "notice.tiles": "Basemap unavailable; the data layers still show.",
    "notice.wards": "Could not load ward boundaries.",
    "notice.failed": "Could not load the “{layer}” layer.",
    "notice.missing": "The “{layer}” layer is not available on this server yet.",
    "notice.invalid": "“{layer}” layer: {detail}",
    "notice.layers": "Could not load the list of point layers.",
    "notice.loading": "Loading the “{layer}” layer…",
  },
};

/** A planner string, else a shared one (status names...), `{name}` filled as plain text. */
export function t(key, params = {}) {
  const template = STRINGS[getLanguage()]?.[key] ?? STRINGS.vi[key];
  if (template === undefined) return sharedT(key, params);
  return fillPlaceholders(template, params);
}

/** A number in the page's language (1.234,5 in Vietnamese, 1,234.5 in English). */
export function formatNumber(value, digits = 0) {
  return formatIn(value, locale(), digits);
}

/** A change in the page's language, "+" before a rise. */
export function formatSigned(value, digits = 0) {
  return formatSignedIn(value, locale(), digits);
}

/** Fills `data-pt` text and `data-pt-<attr>` attributes under `root`. */
export function applyPlannerTranslations(root) {
  root.querySelectorAll("[data-pt]").forEach((el) => {
    el.textContent = t(el.dataset.pt);
  });
  for (const attr of ["aria-label", "title"]) {
    root.querySelectorAll(`[data-pt-${attr}]`).forEach((el) => {
      el.setAttribute(attr, t(el.getAttribute(`data-pt-${attr}`)));
    });
  }
}
