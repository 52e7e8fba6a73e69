"""Staff endpoints: the queue, one report with its full history, and the actions on it.

Every query goes through gis_core.staff.reports_for_staff, so a report outside a staff
member's scope is simply not found (404), whatever id is tried.
"""

from __future__ import annotations

import uuid

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from gis_core.api.base import JsonAPIView
from gis_core.api.errors import field_errors_response
from gis_core.api.params import page_params, page_url, parse_report_filters
from gis_core.api.serializers import report_feature
from gis_core.models import Report, ReportStatus
from gis_core.references import parse_reference
from gis_core.selectors import reports_public
from gis_core.services import UploadedPhoto, answer_photos_process
from gis_core.staff import (
    can_route_and_merge,
    can_see_contact,
    can_transition,
    reports_for_staff,
    staff_role,
)
from gis_core.validation import FieldErrors
from gis_core.workflow import TransitionError, report_merge, report_reroute, report_transition
from ward_boundaries.selectors import ward_ids_for_code


def _forbidden(detail: str = "Staff only: sign in with a staff account.") -> Response:
    return Response({"detail": detail}, status=403)


def _not_operations_centre(request: Request, action: str) -> Response | None:
    """Re-routing and merging are the operations centre's: a 403 for anyone else."""
    if can_route_and_merge(request.user):
        return None
    if staff_role(request.user) is None:
        return _forbidden()
    return _forbidden(f"Only the operations centre {action} reports.")


def _staff_feature(report: Report, request: Request, *, contact: bool) -> dict:
    data = report_feature(report, request)
    props = data["properties"]
    props["internal_id"] = report.pk
    # Staff also learn why a clip failed (never in the public Feature).
    for clip, row in zip(props["videos"], report.videos.all(), strict=True):
        clip["failure_reason"] = row.failure_reason
    if contact:
        props["contact"] = {
            "name": report.contact_name,
            "phone": report.contact_phone,
            "email": report.contact_email,
        }
    return data


def _queue(user):
    return (
        reports_for_staff(user)
        .select_related("category", "ward", "ward__version", "agency", "rating")
        .prefetch_related("photos", "videos")
        .order_by("-reported_at", "-id")
    )


def _report_or_404(user, public_id: uuid.UUID) -> Report:
    report = _queue(user).filter(public_id=public_id).first()
    if report is None:
        raise Http404("No report with this id in your scope.")
    return report


class StaffReportListView(JsonAPIView):
    @extend_schema(
        operation_id="staff_reports_list",
        summary="The staff member's queue (scoped by role), with contact where allowed",
        parameters=[
            OpenApiParameter("status", str, enum=ReportStatus.values),
            OpenApiParameter("category", str),
            OpenApiParameter("ward", str),
            OpenApiParameter("agency", str, description="Agency code"),
            OpenApiParameter("reference", str, description="A report reference, MC-2612-0042"),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("since", OpenApiTypes.DATE),
            OpenApiParameter("until", OpenApiTypes.DATE),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses={200: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        if staff_role(request.user) is None:
            return _forbidden()
        filters, errors = parse_report_filters(request.query_params)
        page, page_size = page_params(request.query_params, errors)
        if errors:
            return field_errors_response(errors)
        qs = _queue(request.user)
        if "status" in filters:
            qs = qs.filter(status=filters["status"])
        if "category" in filters:
            qs = qs.filter(category__code=filters["category"])
        if "ward_code" in filters:
            qs = qs.filter(ward_id__in=ward_ids_for_code(filters["ward_code"]))
        if request.query_params.get("agency"):
            qs = qs.filter(agency__code=request.query_params["agency"][:50])
        if request.query_params.get("reference"):
            parsed = parse_reference(request.query_params["reference"])
            if parsed is None:
                return field_errors_response(
                    {"reference": [_("Mã phản ánh không hợp lệ (dạng MC-2612-0042).")]}
                )
            qs = qs.filter(reference_month=parsed[0], reference_number=parsed[1])
        if "bbox" in filters or "since" in filters or "until" in filters:
            subset = {k: v for k, v in filters.items() if k in ("bbox", "since", "until")}
            qs = qs.filter(pk__in=reports_public(**subset).values("pk"))
        if request.query_params.get("overdue") in ("1", "true", "yes"):
            qs = qs.filter(due_at__lt=timezone.now()).exclude(
                status__in=[ReportStatus.RESOLVED, ReportStatus.REJECTED]
            )
        count = qs.count()
        start = (page - 1) * page_size
        contact = can_see_contact(request.user)
        return Response(
            {
                "type": "FeatureCollection",
                "count": count,
                "next": page_url(request, page + 1) if start + page_size < count else None,
                "previous": page_url(request, page - 1) if page > 1 else None,
                "features": [
                    _staff_feature(r, request, contact=contact)
                    for r in qs[start : start + page_size]
                ],
            }
        )


class StaffReportDetailView(JsonAPIView):
    @extend_schema(
        operation_id="staff_reports_retrieve",
        summary="One report in scope, with the full history (who, internal notes)",
        responses={200: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, public_id: uuid.UUID) -> Response:
        if staff_role(request.user) is None:
            return _forbidden()
        report = _report_or_404(request.user, public_id)
        data = _staff_feature(report, request, contact=can_see_contact(request.user))
        data["properties"]["history"] = [
            {
                "from_status": t.from_status,
                "status": t.to_status,
                "at": t.created_at.isoformat(),
                "by": t.actor.get_username() if t.actor else None,
                "note": t.note,
                "public_note": t.public_note,
            }
            for t in report.transitions.select_related("actor")
        ]
        return Response(data)


def _refused(exc: TransitionError) -> Response:
    return Response({"detail": str(exc)}, status=409)


class StaffTransitionView(JsonAPIView):
    @extend_schema(
        operation_id="staff_reports_transition",
        summary="Change a report's status (from_status = the status you saw)",
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        if staff_role(request.user) is None:
            return _forbidden()
        report = _report_or_404(request.user, public_id)
        data = request.data
        from_status, to_status = (
            str(data.get("from_status") or ""),
            str(data.get("to_status") or ""),
        )
        if not can_transition(request.user, from_status, to_status):
            return Response(
                {"detail": f"Your role may not move a report from {from_status} to {to_status}."},
                status=403,
            )
        photos = [
            UploadedPhoto(name=f.name or f"photo {i + 1}", data=f.read())
            for i, f in enumerate(request.FILES.getlist("photos"))
        ]
        try:
            processed = answer_photos_process(photos) if photos else []
        except FieldErrors as exc:
            return field_errors_response(exc.errors)
        try:
            report_transition(
                report_id=report.pk,
                from_status=from_status,
                to_status=to_status,
                actor=request.user,
                answer_photos=processed,
                note=str(data.get("note") or ""),
                public_note=str(data.get("public_note") or ""),
                reason=str(data.get("reason") or ""),
                answer=str(data.get("answer") or ""),
            )
        except TransitionError as exc:
            return _refused(exc)
        report = _report_or_404(request.user, public_id)
        return Response(_staff_feature(report, request, contact=can_see_contact(request.user)))


class StaffRerouteView(JsonAPIView):
    @extend_schema(
        operation_id="staff_reports_reroute",
        summary="Hand a report to another agency, with the reason (operations centre)",
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        refused = _not_operations_centre(request, "re-routes")
        if refused is not None:
            return refused
        report = _report_or_404(request.user, public_id)
        try:
            agency_id = int(request.data.get("agency"))
        except (TypeError, ValueError):
            return field_errors_response({"agency": ["An agency id is required."]})
        try:
            report = report_reroute(
                report_id=report.pk,
                agency_id=agency_id,
                actor=request.user,
                reason=str(request.data.get("reason") or ""),
            )
        except TransitionError as exc:
            return _refused(exc)
        report = _report_or_404(request.user, public_id)
        return Response(_staff_feature(report, request, contact=True))


class StaffMergeView(JsonAPIView):
    @extend_schema(
        operation_id="staff_reports_merge",
        summary="Merge this report into another (`into`: that report's id)",
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        refused = _not_operations_centre(request, "merges")
        if refused is not None:
            return refused
        report = _report_or_404(request.user, public_id)
        try:
            survivor = _report_or_404(request.user, uuid.UUID(str(request.data.get("into"))))
        except ValueError:
            return field_errors_response({"into": ["The id of the surviving report is required."]})
        try:
            report_merge(duplicate_id=report.pk, survivor_id=survivor.pk, actor=request.user)
        except TransitionError as exc:
            return _refused(exc)
        report = _report_or_404(request.user, public_id)
        return Response(_staff_feature(report, request, contact=True))
