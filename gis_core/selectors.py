"""Reads of the report domain, for public endpoints: never the reporter's contact."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.geos import Polygon
from django.db import connection
from django.db.models import Count, QuerySet
from django.utils import timezone

from common.geofuncs import Floor, StX, StY
from common.local_time import local_midnight
from common.srid import WGS84
from gis_core import duplicate_score as ds
from gis_core.models import CLOSED_STATUSES, Category, Report, ReportPhoto
from gis_core.references import parse_reference
from gis_core.routing import similar_category_ids
from ward_boundaries.selectors import ward_ids_for_code, ward_ids_for_province

PUBLIC_REPORT_FIELDS = (
    "id",
    "public_id",
    "reference_month",
    "reference_number",
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
    "merged_into",
    "agency",
    "due_at",
    "rating__value",
)


def categories_active() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True)


def category_ids_for_code(code: str) -> list[int]:
    """The id of the category with this code: none for an unknown one (codes are unique)."""
    return list(Category.objects.filter(code=code).values_list("id", flat=True))


def reports_filtered(
    *,
    bbox: tuple[float, float, float, float] | None = None,
    ward_code: str | None = None,
    province_code: str | None = None,
    category: str | None = None,
    status: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    queryset: QuerySet[Report] | None = None,
) -> QuerySet[Report]:
    """Reports matching the public filters (no columns chosen, no order): for lists and sums.

    `queryset` narrows instead of all reports (a staff member's scope)."""
    qs = Report.objects.all() if queryset is None else queryset
    if bbox is not None:
        qs = qs.filter(location__intersects=_bbox_polygon(bbox))
    if ward_code:
        # The ward and its predecessors of other boundary versions (see ward_ids_for_code).
        qs = qs.filter(ward_id__in=ward_ids_for_code(ward_code))
    if province_code:
        # Every version's wards of the province (see ward_ids_for_province).
        qs = qs.filter(ward_id__in=ward_ids_for_province(province_code))
    if category:
        # The id as a literal (not a join on the code), so the planner can walk an index that
        # starts with (ward, category) in the page's order.
        qs = qs.filter(category_id__in=category_ids_for_code(category))
    if status:
        qs = qs.filter(status=status)
    # Local-day bounds as timestamps, so the reported_at index is used.
    if since:
        qs = qs.filter(reported_at__gte=local_midnight(since))
    if until:
        qs = qs.filter(reported_at__lt=local_midnight(until + dt.timedelta(days=1)))
    return qs


def reports_public(**filters) -> QuerySet[Report]:
    """Reports for public lists, with only public columns loaded (contact columns deferred)."""
    return (
        reports_filtered(**filters)
        .only(*PUBLIC_REPORT_FIELDS)
        .select_related("category", "ward", "ward__version", "agency", "rating")
        .prefetch_related("photos")
        .order_by("-reported_at", "-id")
    )


def count_bounded(qs: QuerySet, exact_up_to: int) -> tuple[int, bool]:
    """(count, exact): the exact count when at most `exact_up_to` rows match, read through a
    LIMIT so no more rows than that are counted; else the planner's estimate (at least
    `exact_up_to` + 1). An exact count(*) of a million rows costs a second and the whole table.
    """
    rows = qs.order_by()
    found = rows.values("pk")[: exact_up_to + 1].count()
    if found <= exact_up_to:
        return found, True
    plan = json.loads(rows.explain(format="json"))
    return max(int(plan[0]["Plan"]["Plan Rows"]), exact_up_to + 1), False


def reports_overdue(qs: QuerySet[Report], now: dt.datetime | None = None) -> QuerySet[Report]:
    """The reports of `qs` past their due time and still open (is_overdue, as a query)."""
    return qs.filter(due_at__lt=now or timezone.now()).exclude(status__in=CLOSED_STATUSES)


def is_overdue(status: str, due_at: dt.datetime | None, now: dt.datetime | None = None) -> bool:
    """Past its due time and still open: what queues and the public pages flag (one report's
    answer to reports_overdue)."""
    return due_at is not None and status not in CLOSED_STATUSES and due_at < (now or timezone.now())


def report_public_by_reference(reference: object) -> Report | None:
    """The public view of the report a citizen's reference (MC-2612-0042) names, if any."""
    parsed = parse_reference(reference)
    if parsed is None:
        return None
    month, number = parsed
    return reports_public().filter(reference_month=month, reference_number=number).first()


# Heat cells: about 8 screen pixels at the requested zoom, so the browser draws at most a
# few thousand weighted points however many reports there are.
HEAT_CELL_PIXELS = 8
HEAT_MAX_CELLS = 20_000


def report_heat_raw(*, zoom: int, **filters) -> tuple[float, list[tuple[float, float, int]]]:
    """(cell size in degrees, [(lat, lon, count)]) for the filtered reports, summed in the
    database from the reports themselves, so a million reports arrive as at most
    HEAT_MAX_CELLS weighted points. layers.heat.report_heat gives the same answer from the
    pre-aggregated cells; this is its reference and the path for zooms finer than those."""
    cell = 360.0 / (256 * 2**zoom) * HEAT_CELL_PIXELS
    qs = reports_filtered(**filters).order_by()
    while True:
        rows = list(
            qs.annotate(
                cx=Floor(StX("location") / cell),
                cy=Floor(StY("location") / cell),
            )
            .values("cx", "cy")
            .annotate(n=Count("id"))
            .values_list("cy", "cx", "n")[: HEAT_MAX_CELLS + 1]
        )
        if len(rows) <= HEAT_MAX_CELLS:
            break
        cell *= 2  # too many cells for the browser: coarser
    return cell, [
        (round((cy + 0.5) * cell, 6), round((cx + 0.5) * cell, 6), n) for cy, cx, n in rows
    ]


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


@dataclass(frozen=True)
class PossibleDuplicate:
    """A candidate and why: its distance, and the combined score with its parts
    (gis_core.duplicate_score; all 0 for the distance-only ranking)."""

    report: Report
    distance_m: float
    score: float = 0.0
    closeness: float = 0.0
    text_similarity: float = 0.0
    photo_similarity: float = 0.0
    same_category: bool = True
    near: bool = False
    text_match: bool = False
    photo_match: bool = False


DUPLICATE_CANDIDATES = 50  # nearest reports scored per lookup: bounds an anonymous request


def _report_photo_hashes(report_ids: list[int]) -> dict[int, list[int]]:
    hashes: dict[int, list[int]] = {}
    rows = ReportPhoto.objects.filter(
        report_id__in=report_ids, kind=ReportPhoto.Kind.REPORT, phash__isnull=False
    ).values_list("report_id", "phash")
    for report_id, value in rows:
        if value is not None:  # excluded by the filter; said again for the type checker
            hashes.setdefault(report_id, []).append(value)
    return hashes


def possible_duplicates(
    *,
    lon: float,
    lat: float,
    category: Category,
    at: dt.datetime | None = None,
    exclude_id: int | None = None,
    limit: int = 10,
    text: str = "",
    photo_hashes: Sequence[int] = (),
    ranking: str = "combined",
) -> list[PossibleDuplicate]:
    """Open reports near (lon, lat) and recent before `at`, best first.

    Near and recent are the category's duplicate radius and window (default 50 m, 30 days).
    Rejected reports and reports already merged into another are left out. With the
    "combined" ranking, the nearest DUPLICATE_CANDIDATES of this category and of similar
    ones are scored against `text` (the new report's description) and `photo_hashes` (its
    photos' pHashes) by gis_core.duplicate_score, those that qualify kept, highest score
    first; "distance" is the former ranking (this category only, nearest first), kept for
    the benchmark's comparison.
    """
    at = at or timezone.now()
    combined = ranking == "combined"
    categories = [category.pk, *(similar_category_ids(category) if combined else [])]
    # Raw because the index-friendly form needs a degree box (&&, GiST) around a geodesic
    # ST_DWithin, and the distance in metres comes back for the client to show.
    sql = """
        SELECT r.id, ST_Distance(r.location::geography, p.g::geography) AS d
        FROM gis_core_report r,
             (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS g) p
        WHERE r.category_id = ANY(%(categories)s)
          AND r.location && ST_Expand(p.g, %(deg)s)
          AND ST_DWithin(r.location::geography, p.g::geography, %(radius)s)
          AND r.reported_at > %(since)s AND r.reported_at <= %(at)s
          AND r.status <> 'rejected' AND r.merged_into_id IS NULL
          AND (%(exclude)s::bigint IS NULL OR r.id <> %(exclude)s::bigint)
        ORDER BY d, r.id
        LIMIT %(limit)s
    """
    radius = float(category.duplicate_radius_m)
    params: dict[str, Any] = {
        "lon": lon,
        "lat": lat,
        "categories": categories,
        # Degrees of longitude shrink with latitude; 1.1 covers the rounding.
        "deg": radius / (111_000.0 * max(math.cos(math.radians(abs(lat) + 1)), 0.01)) * 1.1,
        "radius": radius,
        "since": at - dt.timedelta(days=category.duplicate_window_days),
        "at": at,
        "exclude": exclude_id,
        "limit": DUPLICATE_CANDIDATES if combined else limit,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        distances = dict(cursor.fetchall())
    reports = sorted(
        reports_public().prefetch_related("videos").filter(id__in=distances),
        key=lambda r: (distances[r.id], r.id),
    )
    if not combined:
        return [PossibleDuplicate(report=r, distance_m=distances[r.id]) for r in reports][:limit]
    texts = ds.text_similarities(text, [r.description for r in reports])
    theirs = _report_photo_hashes([r.id for r in reports]) if photo_hashes else {}
    found = []
    for report, text_similarity in zip(reports, texts, strict=True):
        s = ds.combine(
            closeness=ds.closeness(distances[report.id], radius),
            text_similarity=text_similarity,
            photo_similarity=ds.photo_similarity(photo_hashes, theirs.get(report.id, ())),
            same_category=report.category_id == category.pk,
        )
        if s.qualifies:
            found.append(
                PossibleDuplicate(
                    report=report,
                    distance_m=distances[report.id],
                    score=s.score,
                    closeness=s.closeness,
                    text_similarity=s.text_similarity,
                    photo_similarity=s.photo_similarity,
                    same_category=s.same_category,
                    near=s.near,
                    text_match=s.text_match,
                    photo_match=s.photo_match,
                )
            )
    found.sort(key=lambda d: (-d.score, d.distance_m, d.report.id))
    return found[:limit]
