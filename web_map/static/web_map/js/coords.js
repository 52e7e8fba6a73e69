// Arithmetic on map coordinates the pages share: the view's box as the API takes it, and
// whether a photo's GPS tags name a real place.

/** [west, south, east, north] clamped to valid degrees (a zoomed-out view overshoots). */
export function clampBbox([west, south, east, north]) {
  const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v));
  return [clamp(west, 180), clamp(south, 90), clamp(east, 180), clamp(north, 90)];
}

/** Whether the box `outer` holds the box `inner` (a shared edge counts as inside). */
export function bboxContains(outer, inner) {
  return outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];
}

/** The API's bbox parameter: "west,south,east,north" with `digits` decimals. */
export function formatBbox(bbox, digits) {
  return bbox.map((v) => v.toFixed(digits)).join(",");
}

/**
 * {lat, lng} from a photo's GPS tags ({latitude, longitude}), or null: missing or not numbers,
 * out of range, or 0,0 (what a camera without a fix writes).
 */
export function gpsPoint(gps) {
  if (!gps) return null;
  const lat = Number(gps.latitude);
  const lng = Number(gps.longitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180 || (lat === 0 && lng === 0)) return null;
  return { lat, lng };
}
