// The planner's forecast panel: pick a ward and a category (or the whole city, every
// category), see the weekly counts of the last year, the 8 weeks ahead with the interval,
// which method is served (the model only where its backtest beats the seasonal-naive
// baseline) and both backtest errors; the CSV link exports the same rows.
//
// The section carries data attributes for the browser tests: data-ready once an answer is
// drawn, data-method the method served ("" when nothing is stored for the choice).

import { getJSON, withParams } from "./api.js";
import { chartGeometry } from "./forecast_chart.js";
import { categoryName } from "./labels.js";
import { gettext, interpolate, pageLanguage, pageLocale } from "./l10n.js";
import { monthLabel } from "./months.js";

const SVG = "http://www.w3.org/2000/svg";
const BOX = { width: 320, height: 180, left: 30, right: 8, top: 8, bottom: 22 };
// Enlarged over the map (desktop): more room per week, the same text size.
const WIDE_BOX = { width: 760, height: 280, left: 34, right: 10, top: 10, bottom: 24 };
const HISTORY_WEEKS = 52;

function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  return el;
}

function option(value, text) {
  const el = document.createElement("option");
  el.value = value;
  el.textContent = text;
  return el;
}

export class ForecastPanel {
  constructor({ config }) {
    this.config = config;
    this.section = document.getElementById("pl-forecast");
    this.ward = document.getElementById("pl-fc-ward");
    this.category = document.getElementById("pl-fc-category");
    this.chart = document.getElementById("pl-fc-chart");
    this.caption = document.getElementById("pl-fc-caption");
    this.method = document.getElementById("pl-fc-method");
    this.errors = document.getElementById("pl-fc-errors");
    this.exportLink = document.getElementById("pl-fc-export");
    this.number = new Intl.NumberFormat(pageLocale(), { maximumFractionDigits: 1 });
    this.percent = new Intl.NumberFormat(pageLocale(), { style: "percent" });
    for (const w of config.wards) this.ward.append(option(w.code, `${w.name} (${w.code})`));
    for (const c of config.categories) this.category.append(option(c.code, categoryName(c)));
    for (const select of [this.ward, this.category]) {
      select.addEventListener("change", () => this.load());
    }
    this.request = 0;
    this.wideButton = document.getElementById("pl-fc-wide");
    this.wideButton.addEventListener("click", () => this.setWide(!this.wide));
    this.wide = false;
    this.series = null;
  }

  /** Enlarges the panel over the map, or puts it back in the side panel. */
  setWide(wide) {
    this.wide = wide;
    this.section.classList.toggle("pl-forecast--wide", wide);
    this.wideButton.setAttribute("aria-pressed", String(wide));
    this.wideButton.textContent = wide ? gettext("Thu nhỏ") : gettext("Phóng to");
    if (this.series) this.drawChart(this.series);
  }

  /** Follows the page's own filters (ward, category) when they change. */
  follow(ward, category) {
    this.ward.value = ward || "";
    this.category.value = category || "";
    return this.load();
  }

  params() {
    const params = {};
    if (this.ward.value) params.ward = this.ward.value;
    if (this.category.value) params.category = this.category.value;
    return params;
  }

  async load() {
    const request = ++this.request;
    const params = this.params();
    this.exportLink.href = withParams(this.config.urls.forecastExport, {
      ward: params.ward || "toan-thanh-pho",
      category: params.category || "tat-ca",
    });
    this.section.dataset.ready = "false";
    try {
      const body = await getJSON(withParams(this.config.urls.forecast, params));
      if (request !== this.request) return;
      this.draw(body);
    } catch (error) {
      if (request !== this.request) return;
      console.error("forecast", error);
      this.empty(gettext("Không tải được dự báo."));
    }
    this.section.dataset.ready = "true";
  }

  empty(text) {
    this.chart.replaceChildren();
    this.chart.setAttribute("hidden", "");
    this.series = null;
    this.caption.textContent = text;
    this.method.textContent = "";
    this.errors.textContent = "";
    this.section.dataset.method = "";
  }

  draw(body) {
    const series = body.series;
    if (!series) {
      this.empty(
        interpolate(
          gettext("Chưa có dự báo cho %(label)s: quá ít phản ánh, hoặc dự báo chưa được tính."),
          { label: body.label },
          true,
        ),
      );
      return;
    }
    this.section.dataset.method = series.method;
    this.chart.removeAttribute("hidden");
    this.drawChart(series);
    const last = series.forecast[series.forecast.length - 1];
    this.caption.textContent = interpolate(
      gettext("%(label)s: số phản ánh mỗi tuần và dự báo 8 tuần tới (khoảng %(level)s)."),
      { label: body.label, level: this.percent.format(0.95) },
      true,
    );
    this.caption.title = last ? `${last.week}: ${this.number.format(last.expected)}` : "";
    const kept = series.method === "model";
    this.method.textContent = interpolate(
      kept
        ? gettext("Đang dùng: %(method)s — tốt hơn cơ sở mùa vụ khi kiểm tra lùi.")
        : gettext("Đang dùng: %(method)s — mô hình không tốt hơn cơ sở khi kiểm tra lùi."),
      { method: series.method_label },
      true,
    );
    this.errors.textContent =
      series.model_mae === null
        ? interpolate(
            gettext("Sai số trung bình của cơ sở: %(baseline)s phản ánh/tuần (lịch sử chưa đủ cho mô hình)."),
            { baseline: this.format(series.baseline_mae) },
            true,
          )
        : interpolate(
            gettext(
              "Sai số tuyệt đối trung bình (%(origins)s lần kiểm tra lùi, 8 tuần): mô hình %(model)s, cơ sở %(baseline)s phản ánh/tuần.",
            ),
            {
              origins: series.backtest_origins,
              model: this.format(series.model_mae),
              baseline: this.format(series.baseline_mae),
            },
            true,
          );
  }

  format(value) {
    return value === null || value === undefined ? "—" : this.number.format(value);
  }

  drawChart(series) {
    this.series = series;
    const box = this.wide ? WIDE_BOX : BOX;
    this.chart.setAttribute("viewBox", `0 0 ${box.width} ${box.height}`);
    const weeks = this.wide ? series.history.length : HISTORY_WEEKS;
    const g = chartGeometry(series.history, series.forecast, { ...box, historyWeeks: weeks });
    const parts = [];
    for (const tick of g.yTicks) {
      parts.push(
        svg("line", { class: "fc-grid", x1: box.left, x2: box.width - box.right, y1: tick.y, y2: tick.y }),
      );
      const label = svg("text", { class: "fc-tick", x: box.left - 4, y: tick.y + 3, "text-anchor": "end" });
      label.textContent = this.number.format(tick.value);
      parts.push(label);
    }
    for (const tick of g.xTicks) {
      const label = svg("text", { class: "fc-tick", x: tick.x, y: box.height - 6, "text-anchor": "middle" });
      label.textContent = monthLabel(tick.month, pageLanguage(), pageLocale());
      parts.push(label);
    }
    if (g.band) parts.push(svg("path", { class: "fc-band", d: g.band }));
    if (g.divider !== null) {
      parts.push(
        svg("line", {
          class: "fc-divider",
          x1: g.divider,
          x2: g.divider,
          y1: box.top,
          y2: box.height - box.bottom,
        }),
      );
    }
    parts.push(svg("path", { class: "fc-history", d: g.history }));
    parts.push(svg("path", { class: "fc-forecast", d: g.forecast }));
    // The weeks that raised an alert: a ring on the counted week.
    const shown = series.history.slice(-weeks);
    const index = new Map(shown.map((h, i) => [h.week, i]));
    for (const alert of series.alerts) {
      if (!index.has(alert.week)) continue;
      const i = index.get(alert.week);
      const ring = svg("circle", { class: "fc-alert", cx: g.x(i), cy: g.y(shown[i].count), r: 4 });
      const title = svg("title");
      title.textContent = interpolate(
        gettext("Tăng bất thường: %(count)s phản ánh (cao nhất dự báo %(upper)s)"),
        { count: alert.count, upper: this.number.format(alert.upper) },
        true,
      );
      ring.append(title);
      parts.push(ring);
    }
    this.chart.replaceChildren(...parts);
  }
}
