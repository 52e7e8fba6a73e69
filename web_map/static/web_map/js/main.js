// Entry point: reads the server config, builds the map, wires wards, reports and the form.

import { notifier } from "./notices.js";
import { setCsrfToken } from "./api.js";
import { applyTranslations, getLanguage, initLanguage, onLanguageChange, setLanguage, t } from "./i18n.js";
import { ReportForm } from "./report_form.js";
import { ReportLayer, setReportPagePattern, statusLegend } from "./reports.js";
import { WardLayer } from "./wards.js";

function readConfig() {
  return JSON.parse(document.getElementById("map-config").textContent);
}

/**
 * Map status lines (tiles down, load failures) in a polite live region. Messages are kept as
 * i18n keys so a language switch re-renders them; a null key clears that line.
 */

function setupLanguageButton() {
  const button = document.getElementById("lang-toggle");
  const render = () => {
    button.textContent = t("app.switchLanguage");
    button.setAttribute("aria-label", t("app.switchLanguageLabel"));
    button.lang = getLanguage() === "vi" ? "en" : "vi";
  };
  button.addEventListener("click", () => setLanguage(getLanguage() === "vi" ? "en" : "vi"));
  onLanguageChange(render);
  render();
}

function basemap(map, config, notify) {
  const tiles = L.tileLayer(config.tiles.url, {
    attribution: config.tiles.attribution, // operator setting, may hold a link: trusted
    maxZoom: 19,
  });
  // Without network the map must stay usable: say so once instead of failing silently.
  tiles.on("tileerror", () => notify("tiles", "app.tilesUnavailable"));
  tiles.on("tileload", () => notify("tiles", null));
  tiles.addTo(map);
}

function main() {
  const config = readConfig();
  initLanguage(config.language);
  applyTranslations(document);
  setCsrfToken(config.csrfToken);
  setReportPagePattern(config.urls.reportPage);
  setupLanguageButton();
  const notify = notifier(t, onLanguageChange);

  const map = L.map("map", { center: config.center, zoom: config.zoom, zoomControl: true });
  basemap(map, config, notify);
  const wards = new WardLayer(map);
  const reports = new ReportLayer(map, {
    url: config.urls.reports,
    tilesUrl: config.urls.reportTiles,
    detailUrl: config.urls.reportDetail,
    maxInView: config.reportsMaxInView,
    timeZone: config.timeZone,
    onStatus: (key, params) => notify("reports", key, params),
  });
  const legend = statusLegend().addTo(map);
  const form = new ReportForm({ map, config, wards, reports });

  map.on("click", (e) => form.open(e.latlng, wards.featureForClick(e.originalEvent)));
  // "Report a problem here" links (the tourist view) open the form at ?lat=&lon=.
  const wanted = new URLSearchParams(window.location.search);
  const lat = Number.parseFloat(wanted.get("lat"));
  const lon = Number.parseFloat(wanted.get("lon"));
  if (Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
    map.setView([lat, lon], 17);
    form.open(L.latLng(lat, lon));
  }
  onLanguageChange(() => {
    legend.render();
    reports.refreshLanguage();
    form.refreshLanguage();
  });

  wards
    .load(config.urls.wards)
    .then(() => {
      notify("wards", null);
      document.body.dataset.wardsLoaded = "true";
    })
    .catch((error) => {
      console.error("wards", error);
      notify("wards", "app.wardsFailed");
    });
  reports.reload().then(() => {
    document.body.dataset.reportsLoaded = "true";
  });

  // A handle for debugging in the console and for the browser tests.
  window.hienTruong = { map, wards, reports, form };
}

main();
