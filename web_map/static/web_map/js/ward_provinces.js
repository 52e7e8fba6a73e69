// Which provinces' wards the public maps load when the boundaries in force span the country.
// Drawing all 3,321 units with their report counts made a phone wait half a minute for the
// first screen; the maps draw the country view of /api/v1/wards/outlines/ (one simplified
// outline per province) and, from WARD_MIN_ZOOM on, the wards of the provinces in view only,
// one request per province, each simplified for the zoom.
//
// No Leaflet here (wards.js draws): boxes are [west, south, east, north] in degrees.

// From this zoom on (a phone's screen spans about a hundred kilometres) the wards show;
// further out the country view alone.
export const WARD_MIN_ZOOM = 9;
// A view touching more provinces than this (a wide screen at WARD_MIN_ZOOM) loads the ones
// nearest its centre only: each answer is a province's wards with their counts.
export const MAX_PROVINCES_IN_VIEW = 6;

/** The bounding box of a GeoJSON Polygon or MultiPolygon, or null without coordinates. */
export function geometryBox(geometry) {
  let box = null;
  const visit = (coordinates) => {
    if (typeof coordinates[0] === "number") {
      const [x, y] = coordinates;
      if (!box) box = [x, y, x, y];
      else box = [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)];
      return;
    }
    for (const part of coordinates) visit(part);
  };
  if (geometry && Array.isArray(geometry.coordinates)) visit(geometry.coordinates);
  return box;
}

/** {province code: box} of the country view's features. */
export function provinceBoxes(collection) {
  const boxes = new Map();
  for (const feature of collection.features || []) {
    const box = geometryBox(feature.geometry);
    const code = feature.properties?.province_code;
    if (box && code) boxes.set(String(code), box);
  }
  return boxes;
}

function overlaps(a, b) {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

function distanceToBox(box, [x, y]) {
  const dx = Math.max(box[0] - x, 0, x - box[2]);
  const dy = Math.max(box[1] - y, 0, y - box[3]);
  return Math.hypot(dx, dy);
}

/**
 * The provinces whose wards the map shows for this view: none below WARD_MIN_ZOOM, else
 * those whose box meets the view, nearest the centre first, at most MAX_PROVINCES_IN_VIEW.
 */
export function provincesInView(boxes, view, zoom) {
  if (zoom < WARD_MIN_ZOOM) return [];
  const center = [(view[0] + view[2]) / 2, (view[1] + view[3]) / 2];
  return [...boxes.entries()]
    .filter(([, box]) => overlaps(box, view))
    .map(([code, box]) => ({ code, distance: distanceToBox(box, center) }))
    .sort((a, b) => a.distance - b.distance || a.code.localeCompare(b.code))
    .slice(0, MAX_PROVINCES_IN_VIEW)
    .map(({ code }) => code);
}

/** Whether outlines simplified to `wanted` metres need loading over ones at `loaded` (0 is
 * full detail, undefined nothing loaded): only finer ones are worth a request. */
export function needsFiner(loaded, wanted) {
  if (loaded === undefined) return true;
  if (loaded === 0) return false;
  return wanted === 0 || wanted < loaded;
}
