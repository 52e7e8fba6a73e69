// The report statuses in workflow order (gis_core's ReportStatus): the one list the citizen
// map's legend and markers and the staff queue's map read.

export const STATUSES = ["received", "verified", "rejected", "assigned", "in_progress", "resolved"];

/**
 * Marker colours for the staff queue's map, which loads no map.css; the citizen map reads the
 * same colours from map.css (--ht-<status>), and a unit test keeps the two equal.
 */
export const STATUS_COLORS = {
  received: "#1f78b4",
  verified: "#6a3d9a",
  rejected: "#7f7f7f",
  assigned: "#ff7f00",
  in_progress: "#d4a106",
  resolved: "#33a02c",
};

export function isStatus(status) {
  return STATUSES.includes(status);
}

/** The CSS class (map.css) that colours a dot or marker; unknown statuses are drawn black. */
export function statusClass(status) {
  return `ht-status-${isStatus(status) ? status : "unknown"}`;
}
