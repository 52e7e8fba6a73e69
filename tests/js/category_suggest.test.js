import assert from "node:assert/strict";
import { test } from "node:test";

import {
  MIN_SCORE,
  debounce,
  suggestionsToShow,
  worthAsking,
} from "../../web_map/static/web_map/js/category_suggest.js";

test("a few letters are not worth a request; Vietnamese letters count as letters", () => {
  assert.equal(worthAsking("cống 12"), false);
  assert.equal(worthAsking("   123 456 789   "), false);
  assert.equal(worthAsking("cống tắc"), false); // seven letters
  assert.equal(worthAsking("cống bị tắc"), true);
  assert.equal(worthAsking("rác thải ven đường"), true);
});

test("the chosen category agreeing with the best suggestion shows nothing", () => {
  const found = [
    { code: "ha_tang", score: 0.7 },
    { code: "moi_truong", score: 0.2 },
  ];
  assert.deepEqual(suggestionsToShow(found, "ha_tang"), []);
});

test("otherwise the good suggestions show, best first, without the chosen one", () => {
  const found = [
    { code: "moi_truong", score: 0.6 },
    { code: "ha_tang", score: 0.3 },
    { code: "giao_thong", score: MIN_SCORE / 2 },
  ];
  assert.deepEqual(
    suggestionsToShow(found, "ha_tang").map((s) => s.code),
    ["moi_truong"],
  );
  assert.deepEqual(
    suggestionsToShow(found, "").map((s) => s.code),
    ["moi_truong", "ha_tang"],
  );
  assert.deepEqual(suggestionsToShow([], ""), []);
  assert.deepEqual(suggestionsToShow(null, ""), []);
  assert.deepEqual(suggestionsToShow([{ code: 3, score: 0.9 }], ""), []);
});

test("debounce calls once after the pause, with the last arguments; cancel drops it", async () => {
  const calls = [];
  const later = debounce((x) => calls.push(x), 20);
  later(1);
  later(2);
  later(3);
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.deepEqual(calls, [3]);
  later(4);
  later.cancel();
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.deepEqual(calls, [3]);
});
