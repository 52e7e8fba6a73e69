"""The staff pages: the queue and one report, server-rendered so they work on any phone.

Scope and permissions come from gis_core.staff only, so these pages can never show more
than the staff JSON API would; the action forms post to that API (staff.js), which checks
everything again.
"""

from __future__ import annotations

import datetime as dt
import json
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

from common.humanize import lateness
from common.localized import localized
from gis_core.actions import allowed_actions
from gis_core.category_suggestions import report_suggestion
from gis_core.contact_access import can_read_access_log, contact_access_record
from gis_core.models import (
    CLOSED_STATUSES,
    Agency,
    Category,
    RejectionReason,
    Report,
    ReportChannel,
    ReportPhoto,
    ReportPriority,
    ReportStatus,
)
from gis_core.models.responses import templates_for
from gis_core.priority import QUEUE_ORDER, can_set_priority
from gis_core.recategorise import RECATEGORISABLE
from gis_core.routing import agency_for, agency_for_case
from gis_core.selectors import PossibleDuplicate, is_overdue, possible_duplicates
from gis_core.staff import (
    CITY_WIDE,
    can_enter_reports,
    can_follow_place_reports,
    can_redact_photos,
    can_route_and_merge,
    can_see_contact,
    reports_for_staff,
    staff_role,
)
from gis_core.staff_filters import parse_staff_filters, staff_queue_filtered
from gis_core.workflow import allowed_next
from layers.hotspots import ALERT_DAYS, emerging_hotspots_alert
from ward_boundaries.models import Ward
from ward_boundaries.selectors import ward_outlines_geojson, wards_with_outlines
from web_map.staff_shell import page_config, role_label, staff_required, wards_in_scope

S = ReportStatus
PAGE_SIZE = 50
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")
# The one-click steps (rejecting, resolving and holding have their own forms); their button
# text is the action's (gis_core.actions).
ONE_CLICK = (S.VERIFIED, S.ASSIGNED, S.IN_PROGRESS)
# Outlines drawn on the small maps: a pixel there is a few metres (report) or tens (queue).
QUEUE_OUTLINE_M = 16
REPORT_OUTLINE_M = 4
REROUTABLE = (S.VERIFIED, S.ASSIGNED, S.IN_PROGRESS)


def reports_in_scope(user) -> QuerySet[Report]:
    """The user's reports; contact columns are not even loaded for roles that may not see them."""
    qs = reports_for_staff(user).select_related("category", "ward", "agency", "suggested_category")
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
                + [localized(r.category, "name"), r.get_status_display()]
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
        # Newest first: the planner can then walk a time-ordered index (ward and status, or
        # category) and stop after COUNT_CAP + 1 rows, rather than intersecting bitmaps of
        # whole wards (254 ms at 10M reports) or following the urgent-first order (0.9 s).
        rows = cast(QuerySet, self.object_list).order_by("-reported_at", "-id")
        return rows[: self.COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.COUNT_CAP


@require_safe
@staff_required
def staff_queue(request: HttpRequest) -> HttpResponse:
    qs, values, errors = filter_queue(reports_in_scope(request.user), request.GET)
    review = request.GET.get("review") == "1"
    if review:
        qs = qs.filter(needs_review=True)
    if values.get("overdue"):
        qs = qs.order_by("due_at", "id")  # the most overdue first
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [_queue_row(r, now) for r in page]
    show_contact = can_see_contact(request.user)
    if show_contact:
        contact_access_record(request.user, page, "web_map:staff-queue")
    kept = {k: v for k, v in values.items() if v}
    if review:
        kept["review"] = "1"
    wards, provinces = _ward_choices(request.user, values.get("province", ""))
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
        "place_reports_url": reverse("web_map:staff-place-reports")
        if can_follow_place_reports(request.user)
        else "",
        "categories": Category.objects.order_by("sort_order", "code"),
        "wards": wards,
        "provinces": provinces,
        "review": review,
        "review_count": _review_count(request.user),
        "ward_outlines": [
            _outline_feature(w.name, w.outline)  # type: ignore[attr-defined]  # annotated
            for w in wards
            if getattr(w, "outline", None)
        ],
        "map_points": _map_points(page),
        "config": page_config(request),
        "role_label": role_label(request.user),
        "emerging_hotspots": _emerging_hotspots(request.user),
        "hotspot_days": ALERT_DAYS,
        "hotspot_since": timezone.localdate() - dt.timedelta(days=ALERT_DAYS - 1),
        "hotspot_until": timezone.localdate(),
    }
    return render(request, "web_map/staff_queue.html", context)


def _ward_choices(user, province: str) -> tuple[list[Ward], list[tuple[str, str]]]:
    """(wards with outlines, provinces) for the queue's dropdowns and map, from the user's
    wards. A province dropdown shows only where there is a choice (a one-city deployment has
    one province); a chosen province narrows the wards and outlines to its own, which spares
    the outlines of a whole country."""
    in_scope = wards_in_scope(user)
    if not province:
        wards = list(wards_with_outlines(in_scope, tolerance_m=QUEUE_OUTLINE_M))
        return wards, _provinces_of(wards)
    provinces = _provinces_of(in_scope.only("province_code", "province_name"))
    if province in dict(provinces):
        in_scope = in_scope.filter(province_code=province)
    return list(wards_with_outlines(in_scope, tolerance_m=QUEUE_OUTLINE_M)), provinces


def _provinces_of(wards) -> list[tuple[str, str]]:
    names: dict[str, str] = {}
    for ward in wards:
        if ward.province_code:
            names.setdefault(ward.province_code, ward.province_name or ward.province_code)
    return sorted(names.items())


def _queue_row(report: Report, now: dt.datetime) -> dict[str, Any]:
    overdue = is_overdue(report.status, report.due_at, now)
    late = lateness(now - report.due_at) if overdue and report.due_at else ""
    # Another category suggested than the one chosen: shown beside it (issue 14).
    differs = report.suggested_category_id not in (None, report.category_id)
    suggested = report.suggested_category if differs else None
    return {"report": report, "overdue": overdue, "late": late, "suggested": suggested}


def _review_count(user) -> int | None:
    """Resolved reports rated "không hài lòng" waiting for the operations centre (only they
    may reopen them); None for the other roles, who get no tab."""
    if staff_role(user) not in CITY_WIDE:
        return None
    return reports_for_staff(user).filter(needs_review=True).count()


def _outline_feature(name: str, geometry: str) -> dict[str, Any]:
    """A ward's simplified outline as a GeoJSON feature (its name only), for the small maps."""
    return {"type": "Feature", "properties": {"name": name}, "geometry": json.loads(geometry)}


def _report_outline(report: Report) -> list[dict[str, Any]]:
    if report.ward is None:
        return []
    outlines = ward_outlines_geojson([report.ward], tolerance_m=REPORT_OUTLINE_M)
    geometry = outlines.get(report.ward.pk)
    return [_outline_feature(report.ward.name, geometry)] if geometry else []


def _emerging_hotspots(user) -> list:
    """The operations centre's alert: hotspots are read city-wide, so ward and agency officers,
    who work on their own reports, do not get it (cached: see emerging_hotspots_alert)."""
    if staff_role(user) not in CITY_WIDE:
        return []
    return emerging_hotspots_alert()


def _duplicates(user, report: Report) -> list:
    """Possible duplicates before and after the report (within the category's window), in the
    user's scope, by the combined score (gis_core.duplicate_score: distance, description and
    photos); the report itself left out."""
    window = dt.timedelta(days=report.category.duplicate_window_days)
    hashes = [
        p.phash
        for p in report.photos.all()
        if p.kind == ReportPhoto.Kind.REPORT and p.phash is not None
    ]
    found: dict[int, PossibleDuplicate] = {}
    for at in (report.reported_at, min(timezone.now(), report.reported_at + window)):
        for dup in possible_duplicates(
            lon=report.location.x,
            lat=report.location.y,
            category=report.category,
            at=at,
            exclude_id=report.pk,
            text=report.description,
            photo_hashes=hashes,
        ):
            found.setdefault(dup.report.pk, dup)
    visible = set(reports_for_staff(user).filter(pk__in=found).values_list("pk", flat=True))
    dups = [d for pk, d in found.items() if pk in visible and pk != report.pk]
    return sorted(dups, key=lambda d: (-d.score, d.distance_m, d.report.pk))


def report_actions(user, report: Report, duplicates: list) -> dict[str, Any]:
    """Which action forms this user gets for this report in its current status.

    A received report with an agency to go to is verified and assigned in one click; holding
    it at verified is a form of its own, with a reason. Without an agency it is verified only.
    """
    status = report.status
    offered = allowed_actions(user, report)  # routing decides whether verifying also assigns
    steps = {a["to_status"] for a in offered}
    routed = agency_for(report) if status == S.RECEIVED and S.ASSIGNED in steps else None
    hold = routed is not None and S.VERIFIED in steps
    buttons = [
        (a["to_status"], a["label"])
        for a in offered
        if a["to_status"] in ONE_CLICK and not (hold and a["to_status"] == S.VERIFIED)
    ]
    operations = can_route_and_merge(user)
    return {
        "recategorise": operations and status in RECATEGORISABLE,
        "buttons": buttons,
        "routed_to": routed,
        "hold": hold,
        "reject": S.REJECTED in steps,
        "resolve": S.RESOLVED in steps,
        "reroute": operations and status in REROUTABLE,
        "merge": operations and S.REJECTED in allowed_next(status, report) and bool(duplicates),
    }


def _templates(report: Report, actions: dict[str, Any], chosen: str | None) -> dict[str, Any]:
    """The answer templates of the forms on the page (resolving: the answer; rejecting: the
    public note), and the one picked by ?mau=<id> (the page without JavaScript fills it in)."""
    found: dict[str, list] = {}
    for status, shown in ((S.RESOLVED, actions["resolve"]), (S.REJECTED, actions["reject"])):
        found[status] = list(templates_for(report, status)) if shown else []
    picked = next((t for ts in found.values() for t in ts if chosen and str(t.pk) == chosen), None)
    return {
        "resolved": found[S.RESOLVED],
        "rejected": found[S.REJECTED],
        "picked": picked,
    }


@require_safe
@staff_required
def staff_report(request: HttpRequest, public_id) -> HttpResponse:
    user = request.user
    report = (
        reports_in_scope(user)
        .select_related("rating")
        .prefetch_related("photos", "photos__blur_boxes")
        .filter(public_id=public_id)
        .first()
    )
    if report is None:
        raise Http404(_("Không có phản ánh này trong phạm vi của bạn."))
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
        "category_changes": report.category_changes.select_related(
            "actor", "from_category", "to_category"
        ),
        "duplicates": duplicates,
        "actions": actions,
        "any_action": any(actions.values()),
        "templates": _templates(report, actions, request.GET.get("mau")),
        "rating": getattr(report, "rating", None),
        "ward_outline": _report_outline(report),
        "point": {"lat": round(report.location.y, 6), "lon": round(report.location.x, 6)},
        "reasons": RejectionReason.choices,
        # An unrouted report (agency None) excludes nothing; the stubs refuse None for pk.
        "agencies": Agency.objects.filter(is_active=True).exclude(pk=report.agency_id)  # type: ignore[misc]
        if actions["reroute"]
        else [],
        "api": {
            "transition": reverse("api:staff-report-transition", args=[report.public_id]),
            "reroute": reverse("api:staff-report-reroute", args=[report.public_id]),
            "merge": reverse("api:staff-report-merge", args=[report.public_id]),
            "category": reverse("api:staff-report-category", args=[report.public_id]),
        },
        "config": page_config(request),
        "role_label": role_label(user),
        "public_url": reverse("web_map:report", args=[report.public_id]),
        "priority": _priority_context(user, report),
        "suggestion": _suggestion_context(report),
        "categories": Category.objects.filter(is_active=True).order_by("sort_order", "code")
        if actions["recategorise"]
        else [],
        "photos": _photo_context(user, report),
        "redaction_changes": report.redaction_changes.select_related("actor"),
    }
    return render(request, "web_map/staff_report.html", context)


def _suggestion_context(report: Report) -> dict[str, Any] | None:
    """The classifier's suggestion beside the chosen category (issue 14), and the agency it
    would go to: a hint for staff, taken only through the category form."""
    found = report_suggestion(report)
    if found is None:
        return None
    category = Category.objects.filter(code=found.code).first()
    if category is None:
        return None
    differs = category.pk != report.category_id
    agency = agency_for_case(category_id=category.pk, ward_id=report.ward_id) if differs else None
    return {
        "category": category,
        "percent": round(found.score * 100),
        "differs": differs,
        "agency": agency,
    }


def _photo_context(user, report: Report) -> list[dict[str, Any]]:
    """Each photo with its private original and redaction API (photos stored before redaction
    existed have no original: their public copy is shown, without the editor)."""
    editable = can_redact_photos(user)
    rows = []
    for photo in report.photos.all():
        args = [report.public_id, photo.pk]
        rows.append(
            {
                "photo": photo,
                "original_url": reverse("web_map:staff-photo-original", args=args)
                if photo.original
                else "",
                "api": reverse("api:staff-photo-redaction", args=args) if photo.original else "",
                "editable": editable and bool(photo.original),
            }
        )
    return rows


def _priority_context(user, report: Report) -> dict[str, Any]:
    """The priority control (for those who may set it, on an open report) and its history."""
    editable = can_set_priority(user) and report.status not in CLOSED_STATUSES
    return {
        "editable": editable,
        "choices": ReportPriority.choices,
        "api": reverse("api:staff-report-priority", args=[report.public_id]) if editable else "",
        "changes": report.priority_changes.select_related("actor"),
    }
