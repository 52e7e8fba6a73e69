// Where the citizen is: the browser's geolocation ("Vị trí của tôi") and the GPS a photo
// carries in its EXIF (photo-first reporting). Both give {lat, lng, accuracy?}.

import * as exifr from "../vendor/exifr/exifr.lite.esm.js";
import { gettext } from "./l10n.js";

const GEOLOCATION_OPTIONS = { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 };

/** A position error as a sentence in the page's language (never the browser's English). */
export function geolocationMessage(error) {
  if (!error || error.code === undefined) {
    return gettext("Trình duyệt này không hỗ trợ định vị. Hãy nhấn vào bản đồ để chọn vị trí.");
  }
  if (error.code === 1) {
    return gettext(
      "Chưa được phép dùng vị trí. Hãy cho phép trong cài đặt trình duyệt, hoặc nhấn vào bản đồ.",
    );
  }
  if (error.code === 3) {
    return gettext("Chưa xác định được vị trí (quá thời gian chờ). Hãy thử lại hoặc nhấn vào bản đồ.");
  }
  return gettext("Không xác định được vị trí của bạn. Hãy thử lại hoặc nhấn vào bản đồ.");
}

/** {lat, lng, accuracy} from the device (high accuracy, 15 s at most). */
export function currentPosition() {
  return new Promise((resolve, reject) => {
    if (!("geolocation" in navigator)) {
      reject({});
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) =>
        resolve({
          lat: pos.coords.latitude,
          lng: pos.coords.longitude,
          accuracy: pos.coords.accuracy,
        }),
      reject,
      GEOLOCATION_OPTIONS,
    );
  });
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

/** {lat, lng} from a photo's EXIF GPS, or null (no GPS, not a JPEG/HEIC/TIFF, unreadable). */
export async function photoLocation(file) {
  try {
    return gpsPoint(await exifr.gps(file));
  } catch {
    return null;
  }
}
