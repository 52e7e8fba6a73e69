// The staff redaction editor's box logic, without the DOM (node-tested in
// tests/js/redaction_boxes.test.js). Boxes are kept in the original photo's pixels, as the
// server stores them (gis_core.PhotoBlurBox); the page shows the photo scaled, so a drag is
// converted from displayed pixels to the photo's and clamped to it.

/** The server refuses boxes smaller than this (gis_core.photo_redaction.MIN_BOX_PX). */
export const MIN_BOX_PX = 4;
/** A drag shorter than this on screen is a tap (or a slip), not a box. */
export const MIN_DRAG_PX = 8;
export const MAX_BOXES = 50;

/**
 * The box a drag from `start` to `end` ({x, y} in displayed pixels, relative to the shown
 * image) draws on a photo of `natural` {width, height} shown at `shown` {width, height}:
 * {x, y, w, h} in the photo's pixels, clamped to it; null for a drag too small to mean a box.
 */
export function boxFromDrag(start, end, shown, natural) {
  if (!shown.width || !shown.height) return null;
  const clampX = (v) => Math.min(Math.max(v, 0), shown.width);
  const clampY = (v) => Math.min(Math.max(v, 0), shown.height);
  const x0 = clampX(Math.min(start.x, end.x));
  const x1 = clampX(Math.max(start.x, end.x));
  const y0 = clampY(Math.min(start.y, end.y));
  const y1 = clampY(Math.max(start.y, end.y));
  if (x1 - x0 < MIN_DRAG_PX || y1 - y0 < MIN_DRAG_PX) return null;
  const sx = natural.width / shown.width;
  const sy = natural.height / shown.height;
  const x = Math.floor(x0 * sx);
  const y = Math.floor(y0 * sy);
  const w = Math.min(Math.ceil(x1 * sx), natural.width) - x;
  const h = Math.min(Math.ceil(y1 * sy), natural.height) - y;
  if (w < MIN_BOX_PX || h < MIN_BOX_PX) return null;
  return { x, y, w, h };
}

/** A box's place on the shown photo as CSS percentages {left, top, width, height}. */
export function boxPercent(box, natural) {
  const pct = (v, total) => `${((100 * v) / total).toFixed(3)}%`;
  return {
    left: pct(box.x, natural.width),
    top: pct(box.y, natural.height),
    width: pct(box.w, natural.width),
    height: pct(box.h, natural.height),
  };
}

/** The list with the box at `index` left out (a new list; the old one is unchanged). */
export function withoutBox(boxes, index) {
  return boxes.filter((_, i) => i !== index);
}

/** The list with `box` added (unsaved: no id), or the same list when it is full. */
export function withBox(boxes, box) {
  if (!box || boxes.length >= MAX_BOXES) return boxes;
  return [...boxes, { x: box.x, y: box.y, w: box.w, h: box.h, source: "staff" }];
}

/** The POST body of a republish: stored boxes by id, new ones by their rectangle. */
export function republishPayload(boxes) {
  return {
    boxes: boxes.map((b) => (b.id ? { id: b.id } : { x: b.x, y: b.y, w: b.w, h: b.h })),
  };
}

/** Whether `current` differs from the boxes last saved (`saved`): something to republish. */
export function hasChanges(saved, current) {
  if (saved.length !== current.length) return true;
  const ids = new Set(saved.map((b) => b.id));
  return current.some((b) => !b.id || !ids.has(b.id));
}
