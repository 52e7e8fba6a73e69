"""Reads of wards and boundary versions. The ward rule itself lives in SQL (ht_ward_for_point)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from ward_boundaries.models import BoundaryVersion, Ward


@dataclass(frozen=True)
class WardMatchResult:
    ward: Ward
    match: str  # "inside" | "nearest"
    distance_m: float | None


def local_today() -> dt.date:
    return timezone.localdate()


def ward_for_point(
    *,
    lon: float,
    lat: float,
    at: dt.date | None = None,
    version: BoundaryVersion | None = None,
) -> WardMatchResult | None:
    """The ward a report at (lon, lat) gets: same SQL function as the insert trigger.

    `at` picks the boundary versions valid that day (default: today, local time); `version`
    forces one version. None means outside every ward and beyond the tolerance.
    """
    # Raw because the rule is one SQL function shared with the trigger; going through it is
    # what guarantees the lookup API and stored reports agree.
    sql = (
        "SELECT r.ward_id, r.match, r.distance_m "
        "FROM ht_ward_for_point(ST_SetSRID(ST_MakePoint(%s, %s), 4326), %s, %s) r"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [lon, lat, at or local_today(), version.pk if version else None])
        row = cursor.fetchone()
    if row is None:
        return None
    ward = Ward.objects.select_related("version").get(pk=row[0])
    return WardMatchResult(ward=ward, match=row[1], distance_m=row[2] if row[1] == "nearest" else None)


def versions_valid_on(day: dt.date) -> list[BoundaryVersion]:
    return list(BoundaryVersion.objects.valid_on(day))


def wards_for_map(*, version: BoundaryVersion | None = None, day: dt.date | None = None):
    """Wards of one version, or of every version valid on `day` (default today)."""
    qs = Ward.objects.select_related("version")
    if version is not None:
        return qs.filter(version=version)
    day = day or local_today()
    return qs.filter(version__in=BoundaryVersion.objects.valid_on(day))
