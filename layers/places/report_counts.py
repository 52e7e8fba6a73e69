"""How many open reports a place has, for its public page: counted from the reports filed
there (layers.PlaceReport), through gis_core's public selector, never reading who sent them.

"Open" is defined once here: every ReportStatus that is not closed (gis_core CLOSED_STATUSES:
resolved, rejected; a merged duplicate is rejected too, and is left out by its merge link as
well). The count comes as an annotation (one subquery), so a list of places costs one query.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from gis_core.models import CLOSED_STATUSES, ReportStatus
from gis_core.selectors import reports_public
from layers.models import PlaceReport, PointOfInterest

OPEN_REPORT_STATUSES: tuple[str, ...] = tuple(
    status for status in ReportStatus.values if status not in CLOSED_STATUSES
)


def open_report_links() -> QuerySet[PlaceReport]:
    """The links of reports that are public and still open."""
    open_public = reports_public().filter(status__in=OPEN_REPORT_STATUSES, merged_into__isnull=True)
    return PlaceReport.objects.filter(report__in=open_public.values("pk"))


def with_open_reports(queryset: QuerySet[PointOfInterest]) -> QuerySet[PointOfInterest]:
    """Annotates `open_reports`: how many open public reports were filed at each place."""
    counts = (
        open_report_links()
        .filter(place=OuterRef("pk"))
        .order_by()
        .values("place")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        open_reports=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))
    )


def open_reports_of(place: PointOfInterest) -> int:
    """One place's count, when it was read without the annotation."""
    annotated = getattr(place, "open_reports", None)
    if annotated is not None:
        return int(annotated)
    return open_report_links().filter(place=place).count()


__all__ = ["OPEN_REPORT_STATUSES", "open_report_links", "open_reports_of", "with_open_reports"]
