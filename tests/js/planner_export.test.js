import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { exportQuery } from "../../web_map/static/web_map/js/planner_export.js";

const EXPORT_LAYERS = ["wards", "reports", "tourism", "wifi"];
const PERIOD = { since: "2025-01-01", until: "2025-12-31" };

describe("exportQuery", () => {
  test("the period and the export layers the visible layers draw", () => {
    assert.deepEqual(exportQuery(PERIOD, ["wards", "heat"], EXPORT_LAYERS), {
      ...PERIOD,
      layers: "wards,reports",
    });
    assert.deepEqual(exportQuery(PERIOD, ["choropleth", "hotspots", "wifi"], EXPORT_LAYERS), {
      ...PERIOD,
      layers: "wards,reports,wifi",
    });
    assert.equal(exportQuery(PERIOD, ["grid", "tourism"], EXPORT_LAYERS).layers, "reports,tourism");
  });

  test("the ward outlines when no exported layer is visible", () => {
    assert.equal(exportQuery(PERIOD, [], EXPORT_LAYERS).layers, "wards");
    assert.equal(exportQuery(PERIOD, ["places", "place_reports"], EXPORT_LAYERS).layers, "wards");
  });

  test("the province and the ward when chosen, and only then", () => {
    const both = exportQuery({ ...PERIOD, province: "20", ward: "90077" }, ["heat"], EXPORT_LAYERS);
    assert.deepEqual(both, { ...PERIOD, layers: "reports", province: "20", ward: "90077" });
    const province = exportQuery({ ...PERIOD, province: "01" }, ["heat"], EXPORT_LAYERS);
    assert.equal(province.province, "01");
    assert.equal("ward" in province, false);
    const none = exportQuery({ ...PERIOD, province: "", ward: "" }, ["heat"], EXPORT_LAYERS);
    assert.equal("province" in none || "ward" in none, false);
  });

  test("category and status stay out of the export", () => {
    const query = exportQuery(
      { ...PERIOD, category: "ha_tang", status: "received" },
      ["heat"],
      EXPORT_LAYERS,
    );
    assert.deepEqual(Object.keys(query).sort(), ["layers", "since", "until"]);
  });
});
