// place_form.js: what the office's forms send to the staff API.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  changedFields,
  changeLines,
  placeBody,
  priceBody,
  vnd,
} from "../../web_map/static/web_map/js/place_form.js";

describe("placeBody", () => {
  test("trims text, reads numbers, clears what the kind does not have", () => {
    const body = placeBody(
      {
        name: "  Khách sạn Biển ",
        kind: "food",
        star_rating: "4",
        accommodation_type: "hotel",
        ocop_stars: "3",
        lon: "107.96",
        lat: "21.53",
        verified_at: "",
      },
      {},
    );
    assert.equal(body.name, "Khách sạn Biển");
    assert.equal(body.star_rating, null);
    assert.equal(body.accommodation_type, "");
    assert.equal(body.ocop_stars, null);
    assert.equal(body.lon, 107.96);
    assert.equal(body.verified_at, null);
    assert.equal(body.is_demo, false);
    const stay = placeBody({ kind: "accommodation", star_rating: "4", accommodation_type: "hotel" }, {});
    assert.equal(stay.star_rating, 4);
    assert.equal(stay.accommodation_type, "hotel");
  });

  test("a mistyped coordinate goes as typed, for the server to name", () => {
    assert.equal(placeBody({ kind: "food", lat: "21,5" }, {}).lat, "21,5");
  });
});

describe("changedFields", () => {
  const place = { name: "Chợ", name_en: "", kind: "market", hours: { always: true }, lon: 107.9, lat: 21.5 };

  test("only what differs; lon and lat together", () => {
    const body = {
      name: "Chợ",
      name_en: "Market",
      kind: "market",
      hours: { always: true },
      lon: 107.9,
      lat: 21.6,
    };
    assert.deepEqual(changedFields(place, body), { name_en: "Market", lon: 107.9, lat: 21.6 });
  });

  test("missing text on the place counts as empty", () => {
    assert.deepEqual(changedFields({}, { phone: "" }), {});
  });
});

describe("prices", () => {
  test("amounts with separators and the currency sign", () => {
    assert.equal(vnd("30.000"), 30000);
    assert.equal(vnd("1 200 000 ₫"), 1200000);
    assert.equal(vnd("ba mươi"), "ba mươi");
  });

  test("the body: empty end is null, OCOP stars for OCOP shops only", () => {
    const values = {
      item: " Vé ",
      price_vnd: "30.000",
      valid_from: "2026-01-01",
      valid_to: "",
      ocop_stars: "4",
    };
    assert.deepEqual(priceBody(values, "attraction"), {
      item: "Vé",
      item_en: "",
      item_zh: "",
      unit: "",
      unit_en: "",
      unit_zh: "",
      price_vnd: 30000,
      valid_from: "2026-01-01",
      valid_to: null,
      ocop_stars: null,
    });
    assert.equal(priceBody(values, "ocop_shop").ocop_stars, 4);
  });
});

describe("changeLines", () => {
  test("before → after, one side alone, no ids", () => {
    const lines = changeLines({
      before: { name: "A", valid_to: null, id: 3 },
      after: { name: "B", valid_to: "2026-02-01", hours: { always: true } },
    });
    assert.deepEqual(lines, ["name: A → B", "valid_to: — → 2026-02-01", 'hours: {"always":true}']);
    assert.deepEqual(changeLines({ before: null, after: null }), []);
    assert.deepEqual(changeLines({ before: null, after: { name: "A", phone: "", closed: [] } }), ["name: A"]);
  });
});
