"""Reads of the report domain, for public endpoints: never the reporter's contact."""

from __future__ import annotations

import datetime as dt

from django.contrib.gis.geos import Polygon
from django.db.models import Count, QuerySet
from django.utils import timezone

from gis_core.models import Category, Report
from gis_core.srid import WGS84

PUBLIC_REPORT_FIELDS = (
    "id",
    "public_id",
    "category",
    "description",
    "location",
    "ward",
    "ward_match",
    "ward_distance_m",
    "status",
    "reported_at",
    "created_at",
    "answer",
    "resolved_at",
    "rejection_reason",
)


def categories_active() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True)


def reports_public(
    *,
    bbox: tuple[float, float, float, float] | None = None,
    ward_code: str | None = None,
    category: str | None = None,
    status: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[Report]:
    """Reports for public lists, with only public columns loaded (contact columns deferred)."""
    qs = (
        Report.objects.only(*PUBLIC_REPORT_FIELDS)
        .select_related("category", "ward", "ward__version")
        .prefetch_related("photos")
        .order_by("-reported_at", "-id")
    )
    if bbox is not None:
        qs = qs.filter(location__intersects=_bbox_polygon(bbox))
    if ward_code:
        qs = qs.filter(ward__code=ward_code)
    if category:
        qs = qs.filter(category__code=category)
    if status:
        qs = qs.filter(status=status)
    # Local-day bounds as timestamps, so the reported_at index is used.
    if since:
        qs = qs.filter(reported_at__gte=_local_midnight(since))
    if until:
        qs = qs.filter(reported_at__lt=_local_midnight(until + dt.timedelta(days=1)))
    return qs


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _bbox_polygon(bbox: tuple[float, float, float, float]) -> Polygon:
    polygon = Polygon.from_bbox(bbox)
    polygon.srid = WGS84
    return polygon


def report_counts_by_ward(ward_ids: list[int]) -> dict[int, dict[str, int]]:
    """{ward_id: {status: count}} in one grouped query."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Report.objects.filter(ward_id__in=ward_ids)
        .values("ward_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["ward_id"], {})[row["status"]] = row["n"]
    return counts
