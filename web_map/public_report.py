"""The public page of one report: what the reporter and neighbours may know, nothing more.

Built on reports_public() (contact columns never loaded) and transition fields that are
public by design (dates, statuses, public notes): no reporter, no staff names, no internal
notes, whatever the template does.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gis_core.models import ReportTransition
from gis_core.selectors import is_overdue, report_public_by_reference, reports_public

PUBLIC_HISTORY_FIELDS = ("id", "report_id", "from_status", "to_status", "public_note", "created_at")


@require_safe
def report_page(request: HttpRequest, public_id) -> HttpResponse:
    report = reports_public().filter(public_id=public_id).first()
    if report is None:
        raise Http404(_("Không tìm thấy phản ánh."))
    return _render(request, report)


@require_safe
def report_page_by_reference(request: HttpRequest, reference: str) -> HttpResponse:
    """The same page at the reference a citizen got by SMS (MC-2612-0042)."""
    report = report_public_by_reference(reference)
    if report is None:
        raise Http404(_("Không tìm thấy phản ánh."))
    return _render(request, report)


def _render(request: HttpRequest, report) -> HttpResponse:
    history = ReportTransition.objects.filter(report_id=report.pk).only(*PUBLIC_HISTORY_FIELDS)
    survivor = None
    if report.merged_into_id is not None:
        # A duplicate's reporter follows the surviving report's progress and answer.
        survivor = reports_public().filter(pk=report.merged_into_id).first()
    context = {
        "report": report,
        "history": history,
        "overdue": is_overdue(report.status, report.due_at),
        "survivor": survivor,
        "survivor_url": reverse("web_map:report", args=[survivor.public_id]) if survivor else "",
        "map_url": reverse("web_map:index"),
        "city_name": settings.CITY_NAME,
    }
    return render(request, "web_map/report.html", context)
