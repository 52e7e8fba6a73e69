// How far a place is from the visitor: great-circle metres between two points, and that
// distance as people say it ("350 m", "2,4 km" in Vietnamese, "2.4 km" in English).

import { formatNumber, gettext, interpolate } from "./l10n.js";

const EARTH_RADIUS_M = 6371008.8;

/** Metres between {lat, lng} points (haversine: a few metres off at city scale at most). */
export function distanceMetres(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * "350 m" under a kilometre (to 10 m: a phone's fix is no finer), "2,4 km" to 10 km, "12 km"
 * beyond; numbers in `locale`. "" for no distance.
 */
export function formatDistance(metres, locale) {
  const m = Number(metres);
  if (metres === null || metres === undefined || !Number.isFinite(m) || m < 0) return "";
  if (m < 995) {
    const rounded = m < 10 ? Math.round(m) : Math.round(m / 10) * 10;
    return interpolate(gettext("%(m)s m"), { m: formatNumber(rounded, locale) }, true);
  }
  const km = m / 1000;
  const digits = km < 9.95 ? 1 : 0;
  const text = new Intl.NumberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(km);
  return interpolate(gettext("%(km)s km"), { km: text }, true);
}
