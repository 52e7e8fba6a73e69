"""Staff endpoints: the queue, one report with its full history, and the actions on it.

Every query goes through gis_core.staff.reports_for_staff, so a report outside a staff
member's scope is simply not found (404), whatever id is tried.
"""

from __future__ import annotations

import uuid

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import JsonAPIView
from common.api.errors import field_errors_response, idempotency_conflict_response
from common.api.serializers import strict_data
from common.body_limits import REPORT_JSON_BODY_BYTES
from common.validation import FieldErrors
from gis_core.actions import allowed_actions
from gis_core.api.params import page_params, page_url
from gis_core.api.serializers import (
    MergeSerializer,
    PrioritySerializer,
    RecategoriseSerializer,
    RerouteSerializer,
    StaffReportCreateSerializer,
    TransitionSerializer,
    report_feature,
)
from gis_core.contact_access import contact_access_record
from gis_core.idempotency import IdempotencyConflict
from gis_core.models import Report, ReportChannel, ReportPriority, ReportStatus
from gis_core.priority import QUEUE_ORDER, PriorityError, can_set_priority, report_set_priority
from gis_core.recategorise import report_recategorise
from gis_core.routing import agency_for
from gis_core.services import UploadedPhoto, answer_photos_process, staff_report_enter
from gis_core.staff import (
    can_enter_reports,
    can_route_and_merge,
    can_see_contact,
    can_transition,
    reports_for_staff,
    staff_role,
)
from gis_core.staff_filters import parse_staff_filters, staff_queue_filtered
from gis_core.upload_limits import staff_answer_uploads
from gis_core.workflow import TransitionError, report_merge, report_reroute, report_transition
from ward_boundaries.api.params import PROVINCE_PARAMETER


def _forbidden(detail: str | None = None) -> Response:
    if detail is None:
        detail = _("Chỉ dành cho cán bộ: hãy đăng nhập bằng tài khoản cán bộ.")
    return Response({"detail": detail}, status=403)


def _only_operations_centre(action: str) -> str:
    """The 403 for a staff member whose role may not re-route or merge."""
    if action == "merges":
        return _("Chỉ trung tâm điều hành được gộp phản ánh.")
    if action == "recategorises":
        return _("Chỉ trung tâm điều hành được đổi lĩnh vực của phản ánh.")
    return _("Chỉ trung tâm điều hành được chuyển phản ánh sang đơn vị khác.")


def _not_operations_centre(request: Request, action: str) -> Response | None:
    """Re-routing and merging are the operations centre's: a 403 for anyone else."""
    if can_route_and_merge(request.user):
        return None
    if staff_role(request.user) is None:
        return _forbidden()
    return _forbidden(_only_operations_centre(action))


def _revealed(request: Request, reports: list[Report], contact: bool) -> None:
    """Logs the contact data this answer shows (gis_core.contact_access)."""
    if contact:
        match = request.resolver_match
        contact_access_record(request.user, reports, match.view_name if match else request.path)


def _staff_feature(report: Report, request: Request, *, contact: bool) -> dict:
    data = report_feature(report, request)
    props = data["properties"]
    props["internal_id"] = report.pk
    props["channel"] = report.channel
    props["channel_label"] = str(report.get_channel_display())
    # The language the reporter is written to in (their receipt and status messages).
    props["language"] = report.language
    props["entered_by"] = report.entered_by.get_username() if report.entered_by else None
    props["priority"] = report.priority
    props["priority_label"] = str(ReportPriority(report.priority).label)
    # The classifier's suggestion (issue 14): staff only, never routing by itself.
    suggested = report.suggested_category if report.suggested_category_id else None
    props["suggested_category"] = suggested.code if suggested is not None else None
    props["suggested_score"] = report.suggested_score
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
        .select_related(
            "category",
            "ward",
            "ward__version",
            "agency",
            "rating",
            "entered_by",
            "suggested_category",
        )
        .prefetch_related("photos", "videos")
        .order_by(*QUEUE_ORDER)
    )


def _report_or_404(user, public_id: uuid.UUID) -> Report:
    report = _queue(user).filter(public_id=public_id).first()
    if report is None:
        raise Http404(_("Không có phản ánh với mã này trong phạm vi của bạn."))
    return report


class StaffReportListView(JsonAPIView):
    max_body_bytes = REPORT_JSON_BODY_BYTES  # the POST: one report's text, no files

    @extend_schema(
        operation_id="staff_reports_list",
        summary="The staff member's queue (scoped by role), with contact where allowed",
        parameters=[
            OpenApiParameter("status", str, enum=ReportStatus.values),
            OpenApiParameter("category", str),
            OpenApiParameter("ward", str),
            PROVINCE_PARAMETER,
            OpenApiParameter("agency", str, description="Agency code"),
            OpenApiParameter("reference", str, description="A report reference, MC-2612-0042"),
            OpenApiParameter("overdue", bool, description="1, true, yes or on"),
            OpenApiParameter(
                "disagrees",
                bool,
                description="Only reports whose suggested category is not their category",
            ),
            OpenApiParameter("channel", str, enum=ReportChannel.values),
            OpenApiParameter("bbox", str, description="minlon,minlat,maxlon,maxlat"),
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
        filters, errors = parse_staff_filters(request.query_params)
        page, page_size = page_params(request.query_params, errors)
        if errors:
            return field_errors_response(errors)
        qs = staff_queue_filtered(_queue(request.user), filters)
        count = qs.count()
        start = (page - 1) * page_size
        contact = can_see_contact(request.user)
        rows = list(qs[start : start + page_size])
        features = [_staff_feature(r, request, contact=contact) for r in rows]
        _revealed(request, rows, contact)
        return Response(
            {
                "type": "FeatureCollection",
                "count": count,
                "next": page_url(request, page + 1) if start + page_size < count else None,
                "previous": page_url(request, page - 1) if page > 1 else None,
                "features": features,
            }
        )

    @extend_schema(
        operation_id="staff_reports_create",
        summary="Enter a report received by phone, in person, by letter, e-mail or Zalo",
        description=(
            "Operators and administrators anywhere, ward officers in their wards; agency "
            "officers may not (403). The report is stored with its `channel` and the staff "
            "member who entered it, under the same rules as a citizen's (category, "
            "description, the distance rule); contact data needs `consent_notice_version`."
        ),
        request={
            "application/json": StaffReportCreateSerializer,
            "application/x-www-form-urlencoded": StaffReportCreateSerializer,
        },
        responses={
            201: OpenApiTypes.OBJECT,
            200: OpenApiTypes.OBJECT,
            400: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
        },
    )
    def post(self, request: Request) -> Response:
        user = request.user
        if not can_enter_reports(user):
            if staff_role(user) is None:
                return _forbidden()
            return _forbidden(_("Đơn vị xử lý nhận phản ánh được chuyển đến, không nhập phản ánh."))
        data = strict_data(StaffReportCreateSerializer, request.data, partial=True)
        try:
            submitted = staff_report_enter(user=user, data=data)
        except FieldErrors as exc:
            return field_errors_response(exc.errors)
        except IdempotencyConflict as conflict:
            return idempotency_conflict_response(conflict)
        report = _report_or_404(user, submitted.public_id)
        contact = can_see_contact(user)
        _revealed(request, [report], contact)
        data = _staff_feature(report, request, contact=contact)
        return Response(data, status=201 if submitted.created else 200)


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
        contact = can_see_contact(request.user)
        data = _staff_feature(report, request, contact=contact)
        _revealed(request, [report], contact)
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
        data["properties"]["priority_history"] = [
            {
                "from_priority": c.from_priority,
                "priority": c.to_priority,
                "at": c.created_at.isoformat(),
                "by": c.actor.get_username() if c.actor else None,
                "reason": c.reason,
            }
            for c in report.priority_changes.select_related("actor")
        ]
        data["properties"]["allowed_actions"] = allowed_actions(request.user, report)
        return Response(data)


def _hold_without_reason(report: Report, from_status: str, to_status: str, note: str) -> bool:
    """Verifying without assigning when routing has an agency is a hold: it needs a reason."""
    hold = (from_status, to_status) == (ReportStatus.RECEIVED, ReportStatus.VERIFIED)
    return hold and not note.strip() and agency_for(report) is not None


def _refused(exc: TransitionError) -> Response:
    return Response({"detail": str(exc)}, status=409)


class StaffTransitionView(JsonAPIView):
    upload_limits = staticmethod(staff_answer_uploads)  # answer photos, checked as they stream

    @extend_schema(
        operation_id="staff_reports_transition",
        summary="Change a report's status (from_status = the status you saw)",
        request={
            "application/json": TransitionSerializer,
            "multipart/form-data": TransitionSerializer,
        },
        responses={200: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        if staff_role(request.user) is None:
            return _forbidden()
        report = _report_or_404(request.user, public_id)
        data = strict_data(TransitionSerializer, request.data, partial=True)
        from_status, to_status = data.get("from_status") or "", data.get("to_status") or ""
        if not can_transition(request.user, from_status, to_status):
            return Response(
                {"detail": _("Vai trò của bạn không được thực hiện bước chuyển trạng thái này.")},
                status=403,
            )
        if _hold_without_reason(report, from_status, to_status, data.get("note") or ""):
            return field_errors_response(
                {"note": [_("Giữ phản ánh ở bước xác minh cần ghi lý do (ghi chú nội bộ).")]}
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
                note=data.get("note") or "",
                public_note=data.get("public_note") or "",
                reason=data.get("reason") or "",
                answer=data.get("answer") or "",
            )
        except TransitionError as exc:
            return _refused(exc)
        report = _report_or_404(request.user, public_id)
        contact = can_see_contact(request.user)
        _revealed(request, [report], contact)
        return Response(_staff_feature(report, request, contact=contact))


# Re-routing and merging: the operations centre only, on a report in scope; the workflow's
# refusal is a 409, and the answer is the report as it now is (with contact). A comment, not a
# docstring: drf-spectacular would publish a docstring as both operations' description.
class _OperationsCentreAction(JsonAPIView):
    verb = ""  # in the 403 for other roles: "Only the operations centre <verb> reports."

    def act(self, request: Request, report: Report) -> Response | None:
        """Does the action; a Response (a 400) if the request cannot say what to do."""
        raise NotImplementedError

    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        refused = _not_operations_centre(request, self.verb)
        if refused is not None:
            return refused
        report = _report_or_404(request.user, public_id)
        try:
            bad_request = self.act(request, report)
        except TransitionError as exc:
            return _refused(exc)
        if bad_request is not None:
            return bad_request
        report = _report_or_404(request.user, public_id)
        _revealed(request, [report], True)
        return Response(_staff_feature(report, request, contact=True))


def _action_schema(operation_id: str, summary: str, body):
    """The OpenAPI description of an operations-centre action's POST (its body: `body`)."""
    return extend_schema_view(
        post=extend_schema(
            operation_id=operation_id,
            summary=summary,
            request=body,
            responses={
                200: OpenApiTypes.OBJECT,
                400: OpenApiTypes.OBJECT,
                403: OpenApiTypes.OBJECT,
                409: OpenApiTypes.OBJECT,
            },
        )
    )


@_action_schema(
    "staff_reports_reroute",
    "Hand a report to another agency, with the reason (operations centre)",
    RerouteSerializer,
)
class StaffRerouteView(_OperationsCentreAction):
    verb = "re-routes"

    def act(self, request: Request, report: Report) -> Response | None:
        data = strict_data(RerouteSerializer, request.data, partial=True)
        if data.get("agency") is None:
            return field_errors_response({"agency": [_("Cần mã đơn vị xử lý.")]})
        report_reroute(
            report_id=report.pk,
            agency_id=data["agency"],
            actor=request.user,
            reason=data.get("reason") or "",
        )
        return None


@_action_schema(
    "staff_reports_merge",
    "Merge this report into another (`into`: that report's id)",
    MergeSerializer,
)
class StaffMergeView(_OperationsCentreAction):
    verb = "merges"

    def act(self, request: Request, report: Report) -> Response | None:
        into = strict_data(MergeSerializer, request.data, partial=True).get("into")
        if into is None:
            return field_errors_response({"into": [_("Cần mã phản ánh được giữ lại.")]})
        survivor = _report_or_404(request.user, into)
        report_merge(duplicate_id=report.pk, survivor_id=survivor.pk, actor=request.user)
        return None


@_action_schema(
    "staff_reports_category",
    "Change a report's category before it is routed (recorded; the classifier's suggestion "
    "is taken only this way)",
    RecategoriseSerializer,
)
class StaffRecategoriseView(_OperationsCentreAction):
    verb = "recategorises"

    def act(self, request: Request, report: Report) -> Response | None:
        data = strict_data(RecategoriseSerializer, request.data, partial=True)
        if not data.get("category"):
            return field_errors_response({"category": [_("Cần mã lĩnh vực.")]})
        report_recategorise(
            report_id=report.pk,
            category_code=data["category"],
            actor=request.user,
            reason=data.get("reason") or "",
        )
        return None


@_action_schema(
    "staff_reports_priority",
    "Set a report's priority, urgent or normal (operations centre and ward officers)",
    PrioritySerializer,
)
class StaffPriorityView(JsonAPIView):
    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        if staff_role(request.user) is None:
            return _forbidden()
        if not can_set_priority(request.user):
            return _forbidden(
                _("Chỉ trung tâm điều hành và cán bộ phường/xã được đổi mức độ khẩn.")
            )
        report = _report_or_404(request.user, public_id)
        data = strict_data(PrioritySerializer, request.data, partial=True)
        priority = data.get("priority") or ""
        if priority not in ReportPriority.values:
            return field_errors_response(
                {
                    "priority": [
                        _("Mức độ là một trong: %(values)s.")
                        % {"values": ", ".join(ReportPriority.values)}
                    ]
                }
            )
        try:
            report_set_priority(
                report_id=report.pk,
                priority=priority,
                actor=request.user,
                reason=data.get("reason") or "",
            )
        except PriorityError as exc:
            return Response({"detail": str(exc)}, status=409)
        report = _report_or_404(request.user, public_id)
        contact = can_see_contact(request.user)
        _revealed(request, [report], contact)
        return Response(_staff_feature(report, request, contact=contact))
