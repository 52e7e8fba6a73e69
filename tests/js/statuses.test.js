import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import { statusLabel } from "../../web_map/static/web_map/js/labels.js";
import { STATUSES, STATUS_COLORS, isStatus, statusClass } from "../../web_map/static/web_map/js/statuses.js";

const MAP_CSS = readFileSync(new URL("../../web_map/static/web_map/css/map.css", import.meta.url), "utf8");

/** The value of a custom property in map.css's :root, read from the file itself. */
function cssVariable(name) {
  const match = MAP_CSS.match(new RegExp(`${name.replace(/[-]/g, "\\-")}\\s*:\\s*([^;]+);`));
  return match ? match[1].trim() : null;
}

describe("the status list", () => {
  test("in workflow order, each once", () => {
    assert.deepEqual(STATUSES, ["received", "verified", "rejected", "assigned", "in_progress", "resolved"]);
  });

  test("every status has a colour, and no colour lacks a status", () => {
    assert.deepEqual(Object.keys(STATUS_COLORS).sort(), [...STATUSES].sort());
  });

  test("the staff map's colours are the citizen map's (map.css --ht-<status>)", () => {
    for (const status of STATUSES) assert.equal(cssVariable(`--ht-${status}`), STATUS_COLORS[status], status);
  });

  test("map.css has the class each status's markers and dots are drawn with", () => {
    for (const status of STATUSES) assert.ok(MAP_CSS.includes(`.${statusClass(status)} {`), status);
    assert.ok(MAP_CSS.includes(`.${statusClass("archived")} {`));
  });

  test("every status has a label of its own", () => {
    const labels = STATUSES.map((status) => statusLabel(status));
    for (const [i, label] of labels.entries()) assert.notEqual(label, STATUSES[i]);
    assert.equal(new Set(labels).size, STATUSES.length);
  });
});

describe("statusClass", () => {
  test("a known status its own class, anything else the unknown one", () => {
    assert.equal(statusClass("in_progress"), "ht-status-in_progress");
    assert.equal(statusClass('x" onclick="'), "ht-status-unknown");
    assert.equal(statusClass(undefined), "ht-status-unknown");
    assert.ok(isStatus("received") && !isStatus("RECEIVED"));
  });
});
