"""The staff pages: the queue and one report, server-rendered so they work on any phone.

Scope and permissions come from gis_core.staff only, so these pages can never show more
than the staff JSON API would; the action forms post to that API (staff.js), which checks
everything again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gis_core.contact_access import can_read_access_log, contact_access_record
from gis_core.models import (
    CLOSED_STATUSES,
    Agency,
    Category,
    RejectionReason,
    Report,
    ReportChannel,
    ReportPriority,
    ReportStatus,
)
from gis_core.priority import QUEUE_ORDER, can_set_priority
from gis_core.selectors import PossibleDuplicate, is_overdue, possible_duplicates
from gis_core.staff import (
    CITY_WIDE,
    can_enter_reports,
    can_route_and_merge,
    can_see_contact,
    can_transition,
    reports_for_staff,
    staff_role,
)
from gis_core.staff_filters import parse_staff_filters, staff_queue_filtered
from gis_core.workflow import allowed_next
from layers.hotspots import ALERT_DAYS, emerging_hotspots_alert
from web_map.staff_shell import current_wards, page_config, role_label, staff_required

S = ReportStatus
PAGE_SIZE = 50
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")
# Button text for the one-click steps (rejecting and resolving have their own forms).
ACTION_LABELS: dict[str, str] = {
    S.VERIFIED: "Xác minh",
    S.ASSIGNED: "Chuyển xử lý",
    S.IN_PROGRESS: "Đang xử lý",
}
REROUTABLE = (S.VERIFIED, S.ASSIGNED, S.IN_PROGRESS)


def reports_in_scope(user) -> QuerySet[Report]:
    """The user's reports; contact columns are not even loaded for roles that may not see them."""
    qs = reports_for_staff(user).select_related("category", "ward", "agency")
    if not can_see_contact(user):
        qs = qs.defer(*CONTACT_FIELDS)
    return qs.order_by(*QUEUE_ORDER)


def filter_queue(qs: QuerySet[Report], params) -> tuple[QuerySet[Report], dict[str, str], list]:
    """Applies the GET filters (gis_core.staff_filters, as the staff API does); returns the
    queryset, the values to echo into the form, and the messages of those left out."""
    filters, errors = parse_staff_filters(params)
    # The date messages do not say which of the two dates they are about; the others do.
    labels = {"since": _("Từ ngày"), "until": _("Đến ngày")}
    messages = [
        f"{labels[key]}: {message}" if key in labels else message
        for key, problems in errors.items()
        for message in problems
    ]
    return staff_queue_filtered(qs, filters), filters.values, messages


def _map_points(reports) -> list[dict[str, Any]]:
    """Only what the map draws: no contact, no description."""
    return [
        {
            "lat": round(r.location.y, 6),
            "lon": round(r.location.x, 6),
            "status": r.status,
            "urgent": r.urgent_open,
            "label": " · ".join(
                ([str(ReportPriority.URGENT.label)] if r.urgent_open else [])
                + [r.category.name_vi, r.get_status_display()]
            ),
            "url": reverse("web_map:staff-report", args=[r.public_id]),
        }
        for r in reports
    ]


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows: an exact count of a 100,000-row queue costs more than
    the page itself, and nobody pages past 20 pages; the page shows "1000+"."""

    COUNT_CAP = 1_000

    @cached_property
    def count(self) -> int:
        return cast(QuerySet, self.object_list).order_by()[: self.COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.COUNT_CAP


@require_safe
@staff_required
def staff_queue(request: HttpRequest) -> HttpResponse:
    qs, values, errors = filter_queue(reports_in_scope(request.user), request.GET)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"report": r, "overdue": is_overdue(r.status, r.due_at)} for r in page]
    show_contact = can_see_contact(request.user)
    if show_contact:
        contact_access_record(request.user, page, "web_map:staff-queue")
    kept = {k: v for k, v in values.items() if v}
    context = {
        "page": page,
        "rows": rows,
        "filters": values,
        "errors": errors,
        "query_prefix": urlencode(kept) + "&" if kept else "",
        "show_contact": show_contact,
        "privacy_url": reverse("web_map:staff-privacy")
        if can_read_access_log(request.user)
        else "",
        "statuses": S.choices,
        "channels": ReportChannel.choices,
        "entry_url": reverse("web_map:staff-report-new") if can_enter_reports(request.user) else "",
        "categories": Category.objects.order_by("sort_order", "code"),
        "wards": current_wards(),
        "map_points": _map_points(page),
        "config": page_config(request),
        "role_label": role_label(request.user),
        "emerging_hotspots": _emerging_hotspots(request.user),
        "hotspot_days": ALERT_DAYS,
        "hotspot_since": timezone.localdate() - dt.timedelta(days=ALERT_DAYS - 1),
        "hotspot_until": timezone.localdate(),
    }
    return render(request, "web_map/staff_queue.html", context)


def _emerging_hotspots(user) -> list:
    """The operations centre's alert: hotspots are read city-wide, so ward and agency officers,
    who work on their own reports, do not get it (cached: see emerging_hotspots_alert)."""
    if staff_role(user) not in CITY_WIDE:
        return []
    return emerging_hotspots_alert()


def _duplicates(user, report: Report) -> list:
    """Possible duplicates before and after the report (within the category's window), in the
    user's scope, nearest first; the report itself left out."""
    window = dt.timedelta(days=report.category.duplicate_window_days)
    found: dict[int, PossibleDuplicate] = {}
    for at in (report.reported_at, min(timezone.now(), report.reported_at + window)):
        for dup in possible_duplicates(
            lon=report.location.x,
            lat=report.location.y,
            category=report.category,
            at=at,
            exclude_id=report.pk,
        ):
            found.setdefault(dup.report.pk, dup)
    visible = set(reports_for_staff(user).filter(pk__in=found).values_list("pk", flat=True))
    dups = [d for pk, d in found.items() if pk in visible and pk != report.pk]
    return sorted(dups, key=lambda d: (d.distance_m, d.report.pk))


def report_actions(user, report: Report, duplicates: list) -> dict[str, Any]:
    """Which action forms this user gets for this report in its current status."""
    steps = [s for s in allowed_next(report.status) if can_transition(user, report.status, s)]
    operations = can_route_and_merge(user)
    return {
        "buttons": [(s, ACTION_LABELS[s]) for s in steps if s in ACTION_LABELS],
        "reject": S.REJECTED in steps,
        "resolve": S.RESOLVED in steps,
        "reroute": operations and report.status in REROUTABLE,
        "merge": operations and S.REJECTED in allowed_next(report.status) and bool(duplicates),
    }


@require_safe
@staff_required
def staff_report(request: HttpRequest, public_id) -> HttpResponse:
    user = request.user
    report = reports_in_scope(user).prefetch_related("photos").filter(public_id=public_id).first()
    if report is None:
        raise Http404("Không có phản ánh này trong phạm vi của bạn.")
    duplicates = _duplicates(user, report)
    actions = report_actions(user, report, duplicates)
    show_contact = can_see_contact(user)
    if show_contact:
        contact_access_record(user, [report], "web_map:staff-report")
    context = {
        "report": report,
        "overdue": is_overdue(report.status, report.due_at),
        "show_contact": show_contact,
        "history": report.transitions.select_related("actor"),
        "routing": report.routing_changes.select_related("actor", "from_agency", "to_agency"),
        "duplicates": duplicates,
        "actions": actions,
        "any_action": any(actions.values()),
        "reasons": RejectionReason.choices,
        # An unrouted report (agency None) excludes nothing; the stubs refuse None for pk.
        "agencies": Agency.objects.filter(is_active=True).exclude(pk=report.agency_id)  # type: ignore[misc]
        if actions["reroute"]
        else [],
        "api": {
            "transition": reverse("api:staff-report-transition", args=[report.public_id]),
            "reroute": reverse("api:staff-report-reroute", args=[report.public_id]),
            "merge": reverse("api:staff-report-merge", args=[report.public_id]),
        },
        "config": page_config(request),
        "role_label": role_label(user),
        "public_url": reverse("web_map:report", args=[report.public_id]),
        "priority": _priority_context(user, report),
    }
    return render(request, "web_map/staff_report.html", context)


def _priority_context(user, report: Report) -> dict[str, Any]:
    """The priority control (for those who may set it, on an open report) and its history."""
    editable = can_set_priority(user) and report.status not in CLOSED_STATUSES
    return {
        "editable": editable,
        "choices": ReportPriority.choices,
        "api": reverse("api:staff-report-priority", args=[report.public_id]) if editable else "",
        "changes": report.priority_changes.select_related("actor"),
    }
