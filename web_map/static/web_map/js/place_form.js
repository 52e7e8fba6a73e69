// The tourism office's forms as the staff API takes them, pure: a place's fields from the
// form's text (numbers as numbers, empty as null, what does not apply to the kind cleared),
// only the fields that changed for an edit, a price from its form, and an audit entry's
// before/after as readable lines. Bad input is sent as typed: the server names the field.

export const TEXT_FIELDS = [
  "name",
  "name_en",
  "name_zh",
  "address",
  "phone",
  "website",
  "accessibility",
  "accessibility_en",
  "accessibility_zh",
  "description",
  "description_en",
  "description_zh",
];
const DECIMAL = /^[+-]?\d+(\.\d+)?$/;
const INTEGER = /^\d+$/;

function text(value) {
  return String(value ?? "").trim();
}

function stars(value) {
  const t = text(value);
  return t === "" ? null : INTEGER.test(t) ? Number(t) : t;
}

/** A coordinate as a number, or the text as typed (the server says what is wrong). */
export function coordinate(value) {
  const t = text(value);
  return DECIMAL.test(t) ? Number(t) : t;
}

/** "30.000", "30 000", "30,000 ₫" as 30000; anything else as typed. */
export function vnd(value) {
  const t = text(value).replace(/[\s.,\u00a0\u202f₫đ]/g, "");
  return INTEGER.test(t) ? Number(t) : text(value);
}

/**
 * The place's body from the form's values ({name: "...", ...}; is_demo a boolean) and the
 * hours JSON: stars and the accommodation type only where the kind has them.
 */
export function placeBody(values, hours) {
  const kind = text(values.kind);
  const body = { kind };
  for (const field of TEXT_FIELDS) body[field] = text(values[field]);
  body.accommodation_type = kind === "accommodation" ? text(values.accommodation_type) : "";
  body.star_rating = kind === "accommodation" ? stars(values.star_rating) : null;
  body.ocop_stars = kind === "ocop_shop" ? stars(values.ocop_stars) : null;
  body.verified_at = text(values.verified_at) || null;
  body.lon = coordinate(values.lon);
  body.lat = coordinate(values.lat);
  body.is_demo = Boolean(values.is_demo);
  body.hours = hours;
  return body;
}

/** The fields of `body` that differ from the place as loaded (lon and lat go together). */
export function changedFields(place, body) {
  const changed = {};
  for (const [field, value] of Object.entries(body)) {
    const before =
      place[field] ?? (TEXT_FIELDS.includes(field) || field === "accommodation_type" ? "" : null);
    if (JSON.stringify(before) !== JSON.stringify(value)) changed[field] = value;
  }
  if ("lon" in changed || "lat" in changed) {
    changed.lon = body.lon;
    changed.lat = body.lat;
  }
  return changed;
}

/** A listed price's body from the "Thêm giá" form. */
export function priceBody(values, kind) {
  const body = {};
  for (const field of ["item", "item_en", "item_zh", "unit", "unit_en", "unit_zh"]) {
    body[field] = text(values[field]);
  }
  body.price_vnd = text(values.price_vnd) === "" ? null : vnd(values.price_vnd);
  body.valid_from = text(values.valid_from) || null;
  body.valid_to = text(values.valid_to) || null;
  body.ocop_stars = kind === "ocop_shop" ? stars(values.ocop_stars) : null;
  return body;
}

function shown(value) {
  if (value === null || value === undefined || value === "") return "—";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function empty(value) {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length);
}

/**
 * An audit entry's changes as lines "field: before → after", or one side alone (a new
 * place's or a deleted one's fields), leaving out the empty ones there.
 */
export function changeLines(change) {
  const before = change?.before && typeof change.before === "object" ? change.before : {};
  const after = change?.after && typeof change.after === "object" ? change.after : {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((field) => {
    if (field === "id") return false;
    if (field in before && field in after) return true;
    return !empty(field in before ? before[field] : after[field]);
  });
  return fields.map((field) => {
    if (!(field in before)) return `${field}: ${shown(after[field])}`;
    if (!(field in after)) return `${field}: ${shown(before[field])}`;
    return `${field}: ${shown(before[field])} → ${shown(after[field])}`;
  });
}
