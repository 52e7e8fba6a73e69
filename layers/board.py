"""The board's answer and its version: counts, newest reports and the emerging-hotspot alert.

The version (the ETag) is what the answer depends on that can change: the newest updated_at
of all reports (gis_core.board.reports_last_change), the stored alert, and the moment a count
changes by the clock alone (the next due time, the end of the day) or BACKSTOP_SECONDS,
whichever is first. A poll whose version still holds costs that index lookup and a cache read
and gets a 304; only a change pays for the counts. docs/board.md has the figures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from typing import Any

from django.utils import timezone

from gis_core.board import board_counts, board_newest, reports_last_change
from layers.forecast_read import AlertRow, alerts_version, recent_alerts
from layers.hotspots import (
    ALERT_DAYS,
    HotspotCluster,
    emerging_hotspots_alert,
    emerging_hotspots_alert_stored,
)

# The longest an answer is trusted without a recount: deletions and writes that keep an
# older updated_at (a long transaction committing after a newer one) show within this.
BACKSTOP_SECONDS = 60
_VERSION_RE = re.compile(r'^(?:W/)?"b1-(\d{1,20})-(\d{1,12})-([0-9a-f]{12})"$')


def _alert_sig(alerts: list[HotspotCluster], forecasts: str) -> str:
    """The stored hotspot alert and the forecast alerts' version (layers.forecast_read)."""
    text = ";".join(f"{a.id}:{a.report_count}:{a.previous_count}:{a.lat}:{a.lon}" for a in alerts)
    return hashlib.sha256(f"{text}|{forecasts}".encode()).hexdigest()[:12]


def _micros(at: dt.datetime | None) -> int:
    return 0 if at is None else int(at.timestamp() * 1_000_000)


def _alert_json(alerts: list[HotspotCluster]) -> list[dict[str, Any]]:
    return [
        {
            "id": a.id,
            "ward_code": a.ward_code or "",
            "ward_name": a.ward_name or "",
            "report_count": a.report_count,
            "previous_count": a.previous_count,
            "hex_count": a.hex_count,
            "lat": round(a.lat, 6),
            "lon": round(a.lon, 6),
        }
        for a in alerts
    ]


def _forecast_json(alerts: list[AlertRow]) -> list[dict[str, Any]]:
    """A week's count above its forecast interval: which ward and category, the count, what
    was expected and the interval's upper end (codes and names; no report)."""
    return [
        {
            "ward_code": a.ward_code,
            "ward_name": a.ward_name,
            "category_code": a.category_code,
            "category_name": a.category_name,
            "week_start": a.week_start.isoformat(),
            "count": a.count,
            "expected": round(a.expected, 1),
            "upper": a.upper,
        }
        for a in alerts
    ]


def _groups(groups) -> list[dict[str, Any]]:
    return [{"code": g.code, "name": g.name, "counts": g.counts} for g in groups]


def board_snapshot() -> tuple[dict[str, Any], str]:
    """(the board's JSON, its version). The last change is read first: a write landing while
    the counts run shows as a newer version at the next poll, never as a lost one."""
    last = reports_last_change()
    now = timezone.now()
    counts = board_counts(now)
    newest = board_newest(now=now)
    alerts = emerging_hotspots_alert()
    forecasts = alerts_version()  # before the rows: a run landing between shows next poll
    forecast_alerts = recent_alerts()
    valid_until = min(counts.next_change, now + dt.timedelta(seconds=BACKSTOP_SECONDS))
    version = f'"b1-{_micros(last)}-{int(valid_until.timestamp())}-{_alert_sig(alerts, forecasts)}"'
    payload = {
        "version": version,
        "generated_at": timezone.localtime(now).isoformat(),
        "keys": list(counts.keys),
        "totals": counts.totals,
        "by_agency": _groups(counts.by_agency),
        "by_ward": _groups(counts.by_ward),
        "newest": newest,
        "hotspots": _alert_json(alerts),
        "hotspot_days": ALERT_DAYS,
        "forecast_alerts": _forecast_json(forecast_alerts),
    }
    return payload, version


def board_unchanged(if_none_match: str) -> bool:
    """Whether the version a poll sends still holds. A version this code did not write, or one
    past its time, is not (the poll gets the full answer; nothing is echoed back)."""
    match = _VERSION_RE.match(if_none_match.strip())
    if match is None:
        return False
    last, valid_until, alert = int(match[1]), int(match[2]), match[3]
    if time.time() >= valid_until:
        return False
    alerts = emerging_hotspots_alert_stored()
    if alerts is None or _alert_sig(alerts, alerts_version()) != alert:
        return False
    return _micros(reports_last_change()) == last
