"""Reads for the tourism office's loop back from visitors' reports (issue 13, part 3).

Which places draw reports (open ones first, then the last 30 days), what an overcharging
report says beside the listed price it names, and one place's history: its reports, its
price rows and its audit, merged newest first. Staff pages only; no reporter's contact is
ever loaded here (reports are read with `.only()` of public columns).

Counted reports: a rejected report (spam, out of scope, a merged duplicate) is not a
visitor's finding about the place, so it counts nowhere, neither here nor in the alert
(layers.places.alerts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from common.geofuncs import StX, StY
from gis_core.models import CLOSED_STATUSES, Report, ReportStatus
from layers.models import PlaceChange, PlacePrice, PlaceReport, PointOfInterest
from layers.places.selectors import stale_after

WINDOW_DAYS = 30
OVERCHARGING = "du_lich_chat_chem"
RANKING_LIMIT = 2_000  # places with reports; a city has a few hundred
HISTORY_LIMIT = 200  # of each kind of entry on a place's history page
# A report's columns a staff history may show: never contact_*, reporter or idempotency data.
REPORT_FIELDS = (
    "id",
    "public_id",
    "reference_month",
    "reference_number",
    "category",
    "description",
    "status",
    "reported_at",
    "resolved_at",
    "merged_into",
)


def counted_q(prefix: str = "") -> Q:
    """Reports that count against a place: not rejected, not merged into another."""
    return ~Q(**{f"{prefix}status": ReportStatus.REJECTED}) & Q(
        **{f"{prefix}merged_into__isnull": True}
    )


def window_start(now: dt.datetime | None = None, days: int = WINDOW_DAYS) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=days)


def places_ranked(
    now: dt.datetime | None = None, *, limit: int = RANKING_LIMIT
) -> QuerySet[PointOfInterest]:
    """Places with at least one linked report, annotated with open_reports, recent_reports
    (reported in the last 30 days), overcharging_reports (all counted ones) and
    prices_updated_at; most open first, then most recent, then by name. One query."""
    moment = now or timezone.now()
    link = "report_links__report__"
    counted = counted_q(link)
    newest_price = (
        PlacePrice.objects.filter(place=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return (
        PointOfInterest.objects.filter(report_links__isnull=False)
        .annotate(
            open_reports=Count(
                "report_links", filter=counted & ~Q(**{f"{link}status__in": CLOSED_STATUSES})
            ),
            recent_reports=Count(
                "report_links",
                filter=counted & Q(**{f"{link}reported_at__gte": window_start(moment)}),
            ),
            overcharging_reports=Count(
                "report_links", filter=counted & Q(**{f"{link}category__code": OVERCHARGING})
            ),
            last_report_at=Max(f"{link}reported_at"),
            prices_updated_at=Subquery(newest_price),
        )
        .select_related("ward")
        .order_by("-open_reports", "-recent_reports", "name", "id")[:limit]
    )


def is_stale_at(prices_updated_at: dt.datetime | None, now: dt.datetime | None = None) -> bool:
    """is_stale's rule on an annotated value (no query per row)."""
    return prices_updated_at is not None and (now or timezone.now()) - prices_updated_at > (
        stale_after()
    )


@dataclass(frozen=True)
class Overcharge:
    """An overcharging report beside the listed price it names (None: not named or since
    deleted) and what the visitor paid; difference in VND and whole per cent (rounded half
    up), None when either side is unknown or the listed price is 0."""

    report: Report
    price: PlacePrice | None
    charged_vnd: int | None
    difference_vnd: int | None
    difference_pct: int | None


def overcharge(report: Report, price: PlacePrice | None, charged_vnd: int | None) -> Overcharge:
    difference = pct = None
    if price is not None and charged_vnd is not None:
        difference = charged_vnd - price.price_vnd
        if price.price_vnd:
            ratio = Decimal(difference * 100) / Decimal(price.price_vnd)
            pct = int(ratio.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return Overcharge(report, price, charged_vnd, difference, pct)


def _reports(queryset: QuerySet[Report]) -> QuerySet[Report]:
    return queryset.only(*REPORT_FIELDS).select_related("category")


def _overcharges(links: QuerySet[PlaceReport], limit: int) -> list[Overcharge]:
    found = list(
        links.filter(report__category__code=OVERCHARGING)
        .select_related("price")
        .order_by("-report__reported_at", "-report_id")[:limit]
    )
    reports = _reports(Report.objects.filter(pk__in=[link.report_id for link in found])).in_bulk()
    return [
        overcharge(reports[link.report_id], link.price, link.charged_vnd)
        for link in found
        if link.report_id in reports
    ]


def place_overcharges(place: PointOfInterest, *, limit: int = HISTORY_LIMIT) -> list[Overcharge]:
    """The place's overcharging reports (rejected ones too: the page says their status),
    newest first, each with its listed price and what was charged."""
    return _overcharges(PlaceReport.objects.filter(place=place), limit)


def recent_overcharges(*, limit: int) -> list[Overcharge]:
    """The newest counted overcharging reports of every place, for the office's overview."""
    return _overcharges(PlaceReport.objects.filter(counted_q("report__")), limit)


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a place's history: kind "report", "price" or "change"."""

    at: dt.datetime
    kind: str
    item: Any
    overcharge: Overcharge | None = None


def place_history(place: PointOfInterest, *, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The place's reports (when reported), price rows (when written) and audited changes,
    newest first; each kind at most `limit` newest. Three queries and the overcharges'."""
    reports = list(
        _reports(Report.objects.filter(place_link__place=place)).order_by("-reported_at", "-id")[
            :limit
        ]
    )
    charges = {o.report.pk: o for o in place_overcharges(place, limit=limit)}
    prices = place.prices.order_by("-created_at", "-id")[:limit]
    changes = PlaceChange.objects.filter(place=place).select_related("user")[:limit]
    entries = [HistoryEntry(r.reported_at, "report", r, charges.get(r.pk)) for r in reports]
    entries += [HistoryEntry(p.created_at, "price", p) for p in prices]
    entries += [HistoryEntry(c.at, "change", c) for c in changes]
    order = {"report": 0, "price": 1, "change": 2}
    entries.sort(key=lambda e: (e.at, -order[e.kind], e.item.pk), reverse=True)
    return entries


def places_with_report_counts(
    *, since: dt.datetime, until: dt.datetime, limit: int
) -> list[dict[str, Any]]:
    """Every place (the planner's two layers: places by kind, and reports by place) with how
    many counted reports were reported at it in [since, until): id, names, kind, lon, lat
    and `reports`. Places with reports first (most first), then by name; at most `limit`.
    One query, counts only."""
    link = "report_links__report__"
    window = Q(**{f"{link}reported_at__gte": since, f"{link}reported_at__lt": until})
    rows = (
        PointOfInterest.objects.annotate(
            reports=Count("report_links", filter=counted_q(link) & window),
            lon=StX("location"),
            lat=StY("location"),
        )
        .order_by("-reports", "name", "id")
        .values("public_id", "name", "name_en", "name_zh", "kind", "lon", "lat", "reports")[:limit]
    )
    return list(rows)


__all__ = [
    "OVERCHARGING",
    "WINDOW_DAYS",
    "HistoryEntry",
    "Overcharge",
    "counted_q",
    "is_stale_at",
    "overcharge",
    "place_history",
    "place_overcharges",
    "places_ranked",
    "places_with_report_counts",
    "recent_overcharges",
    "window_start",
]
