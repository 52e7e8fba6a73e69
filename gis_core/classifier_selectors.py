"""Reads for the category classifier: the confirmed reports it learns from, and the open
reports still waiting for a suggestion."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from gis_core.models import Report, ReportStatus

# Staff have confirmed the category of a report they verified or took further; a rejected or
# merged report's category says nothing.
CONFIRMED_STATUSES = (
    ReportStatus.VERIFIED,
    ReportStatus.ASSIGNED,
    ReportStatus.IN_PROGRESS,
    ReportStatus.RESOLVED,
)
# Suggestions are worked out for reports not yet routed (gis_core.category_suggestions):
# only these are still waiting for staff to choose where they go.
SUGGESTED_STATUSES = (ReportStatus.RECEIVED, ReportStatus.VERIFIED)


@dataclass(frozen=True)
class ConfirmedText:
    id: int
    reported_at: dt.datetime
    text: str
    category: str


def confirmed_report_texts(*, limit: int) -> list[ConfirmedText]:
    """The newest `limit` confirmed reports with a description: id, time, text, category."""
    rows = (
        Report.objects.filter(status__in=CONFIRMED_STATUSES, merged_into__isnull=True)
        .exclude(description="")
        .order_by("-reported_at", "-id")
        .values_list("id", "reported_at", "description", "category__code")[:limit]
    )
    return [ConfirmedText(id=i, reported_at=at, text=t, category=c) for i, at, t, c in rows]


def reports_awaiting_suggestion() -> QuerySet[Report]:
    """Not-yet-routed reports without a suggestion; a partial index keeps this small however
    long the history (gis_core 0040)."""
    return Report.objects.filter(
        suggested_score__isnull=True, status__in=SUGGESTED_STATUSES
    ).order_by("id")
