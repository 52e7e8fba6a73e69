// The months of the planner's period slider ("2025-03"): their labels, and the dates the API
// is asked for (the 1st of the first month to the last day of the last).

/** "2025-03" as 03/2025 (vi) or Mar 2025 (en; `locale` for the month's name). */
export function monthLabel(month, language, locale) {
  const [y, m] = month.split("-").map(Number);
  if (language === "vi") return `${String(m).padStart(2, "0")}/${y}`;
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString(locale, {
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
}

/** "2024-02" -> "2024-02-29". */
export function lastDayOfMonth(month) {
  const [y, m] = month.split("-").map(Number);
  const day = new Date(Date.UTC(y, m, 0)).getUTCDate(); // day 0 of the next month
  return `${month}-${String(day).padStart(2, "0")}`;
}

/** {since, until} covering the months `from` to `to`, both whole. */
export function monthPeriod(from, to) {
  return { since: `${from}-01`, until: lastDayOfMonth(to) };
}
