// Entry point: reads the server config, builds the map, wires wards, reports and the form.

import { basemap } from "./basemap.js";
import { notifier } from "./notices.js";
import { sendReport, setCsrfToken } from "./api.js";
import { categoryName } from "./labels.js";
import { gettext } from "./l10n.js";
import { startOutbox } from "./outbox.js";
import { ReportForm } from "./report_form.js";
import { ReportLayer, setReportPagePattern, statusLegend } from "./reports.js";
import { WardLayer } from "./wards.js";
import { LoadingIndicator } from "./map_loading.js";

function readConfig() {
  return JSON.parse(document.getElementById("map-config").textContent);
}

function main() {
  const config = readConfig();
  // The server rendered the page in the citizen's language (the language cookie) and loaded
  // that language's catalog: the switcher is a form that reloads the page in another one.
  setCsrfToken(config.csrfToken);
  setReportPagePattern(config.urls.reportPage);
  // Map status lines (tiles down, load failures) in a polite live region.
  const notify = notifier();
  const byCode = new Map(config.categories.map((c) => [c.code, c]));
  const categoryLabel = (code) => categoryName(byCode.get(code) || { code });

  const map = L.map("map", { center: config.center, zoom: config.zoom, zoomControl: true });
  // Without network the map must stay usable: say so once instead of failing silently.
  basemap(map, config.tiles, notify, gettext("Không tải được bản đồ nền; vẫn xem và gửi phản ánh được."));
  // ?layers=wards (or any list without "reports") leaves the report layer out: what the
  // citizen-map benchmark compares the first screen with.
  const layersWanted = new URLSearchParams(window.location.search).get("layers");
  const showReports = layersWanted === null || layersWanted.split(",").includes("reports");
  const loading = new LoadingIndicator(map);
  const wards = new WardLayer(map);
  const reports = new ReportLayer(map, {
    url: config.urls.reports,
    countUrl: config.urls.reportCount,
    initialCounts: config.initialReportCounts,
    active: showReports,
    loading,
    tilesUrl: config.urls.reportTiles,
    detailUrl: config.urls.reportDetail,
    maxInView: config.reportsMaxInView,
    timeZone: config.timeZone,
    onStatus: (text) => notify("reports", text),
    categoryLabel,
  });
  statusLegend().addTo(map);
  const form = new ReportForm({ map, config, wards, reports });

  // While the form is open a tap moves its pin; otherwise it opens the form there.
  map.on("click", (e) => form.mapClick(e.latlng, wards.featureForClick(e.originalEvent)));
  // "Report a problem here" links (the tourist view) open the form for ?place=<id>, or (a
  // Wi-Fi site) at ?lat=&lon=.
  const wanted = new URLSearchParams(window.location.search);
  const lat = Number.parseFloat(wanted.get("lat"));
  const lon = Number.parseFloat(wanted.get("lon"));
  const allOutlines = wanted.get("outlines") === "all";
  if (config.place) {
    // ?place=<id> ("Báo sự cố tại đây" on a place): the form for that place, at its point.
    map.setView([config.place.lat, config.place.lon], 17);
    form.open(null);
  } else if (config.placeNotice) {
    form.open(null); // an unknown place: the normal form, with the notice above it
  } else if (Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
    map.setView([lat, lon], 17);
    form.open(L.latLng(lat, lon));
  }
  const wardsShown = wards
    // ?outlines=all draws every ward in force, as the map did before the country view: the
    // benchmark's baseline (benchmarks/bench_citizen_map.py).
    .load(config.urls.wards, {
      loading,
      ...config.wardLayer,
      national: config.wardLayer.national && !allOutlines,
    })
    .then(() => {
      notify("wards", null);
      document.body.dataset.wardsLoaded = "true";
    })
    .catch((error) => {
      console.error("wards", error);
      notify("wards", gettext("Không tải được ranh giới phường/xã."));
    });
  const reportsShown = reports.reload();
  reportsShown.then(() => {
    document.body.dataset.reportsLoaded = "true";
  });
  // The first screen is usable: wards drawn, reports shown, the form a tap away.
  Promise.allSettled([wardsShown, reportsShown]).then(() => {
    document.body.dataset.mapReadyMs = String(Math.round(performance.now()));
    document.body.dataset.mapReady = "true";
  });

  // Offline: the service worker keeps the app shell; the outbox sends reports made offline.
  // Registered after the load event, so its precache does not compete with the first screen.
  if ("serviceWorker" in navigator && config.urls.serviceWorker) {
    const register = () =>
      navigator.serviceWorker
        .register(config.urls.serviceWorker)
        .catch((error) => console.warn("service worker", error));
    if (document.readyState === "complete") register();
    else window.addEventListener("load", register, { once: true });
  }
  startOutbox({ send: sendReport, categoryLabel, timeZone: config.timeZone });
  // A report that waited offline shows on the map as soon as it is sent.
  document.addEventListener("ht-outbox:sent", (e) => {
    const feature = e.detail.result?.feature;
    if (feature?.geometry) reports.addFeature(feature);
  });

  // A handle for debugging in the console and for the browser tests.
  window.hienTruong = { map, wards, reports, form };
}

main();
