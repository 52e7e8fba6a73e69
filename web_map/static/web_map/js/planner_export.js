// The planner's "export map" link: which layers go into the file and which filters it keeps.
// Pure, so Node tests it (tests/js/planner_export.test.js); planner.js sets the link's href.

/** The thematic layers that draw each export layer. */
const DRAWN_BY = {
  wards: ["wards", "choropleth"],
  reports: ["heat", "grid", "hotspots"],
};

/**
 * The export endpoint's query for the filters `params` ({since, until, province?, ward?, ...})
 * and the keys of the visible layers: the export layers shown on the map (the ward outlines
 * when none is), the period, and the province and ward when chosen. Category and status are
 * not sent: the exported map shows every report of the place and period.
 */
export function exportQuery(params, visibleKeys, exportLayers) {
  const visible = new Set(visibleKeys);
  const shown = (key) => visible.has(key) || (DRAWN_BY[key] || []).some((k) => visible.has(k));
  let layers = exportLayers.filter(shown);
  if (!layers.length) layers = ["wards"];
  const query = { since: params.since, until: params.until, layers: layers.join(",") };
  for (const name of ["province", "ward"]) {
    if (params[name]) query[name] = params[name];
  }
  return query;
}
