"""A signed-in citizen's copy of their personal data: their reports with the contact details
they gave, and their ratings, as one JSON download (the right of access, Decree 13/2023)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import JsonAPIView
from gis_core.accounts import account_phone
from gis_core.api.serializers import report_feature
from gis_core.erasure import erasure_request
from gis_core.models import ErasureRequest, Report, ReportRating

EXPORT_MAX_REPORTS = 10_000


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def citizen_export(user, request=None) -> dict:
    """Everything the platform holds that this citizen gave: only their own rows, selected by
    the session's user (no id in the URL, so nothing to tamper with)."""
    reports = (
        Report.objects.filter(reporter=user)
        .select_related("category", "ward__version", "agency", "rating")
        .prefetch_related("photos", "videos")
        .order_by("-reported_at", "-id")[:EXPORT_MAX_REPORTS]
    )
    rows = []
    for report in reports:
        data = report_feature(report, request)
        data["properties"]["contact"] = {
            "name": report.contact_name,
            "phone": report.contact_phone,
            "email": report.contact_email,
        }
        rows.append(data)
    ratings = [
        {
            "report": str(r.report.public_id),
            "value": r.value,
            "label": r.get_value_display(),
            "comment": r.comment,
            "created_at": _iso(r.created_at),
        }
        for r in ReportRating.objects.filter(rater=user)
        .select_related("report")
        .order_by("-created_at")
    ]
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "phone": account_phone(user),
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "reports": {"type": "FeatureCollection", "features": rows},
        "ratings": ratings,
    }


class MyDataExportView(JsonAPIView):
    @extend_schema(
        operation_id="me_export",
        summary="Download your own data: your reports with your contact details, and ratings",
        description=(
            "For the signed-in citizen only (session). Returns a JSON attachment "
            "(Content-Disposition) holding the account's phone, every report it sent with "
            "the contact name, phone and e-mail given, and the ratings it gave."
        ),
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The export (a download)"),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="Not signed in"),
        },
    )
    def get(self, request: Request) -> Response:
        if not request.user.is_authenticated:
            detail = _("Hãy đăng nhập bằng số điện thoại để tải dữ liệu của bạn.")
            return Response({"detail": detail}, status=403)
        response = Response(citizen_export(request.user, request))
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="hien-truong-my-data-{day}.json"'
        # Personal data: never kept by a browser or proxy cache.
        response["Cache-Control"] = "no-store, private"
        return response


def erasure_data(request: ErasureRequest | None) -> dict | None:
    if request is None:
        return None
    return {
        "requested_at": _iso(request.requested_at),
        "deadline": _iso(request.deadline),
        "done_at": _iso(request.done_at),
        "status": "done" if request.done_at else "pending",
    }


class MyErasureView(JsonAPIView):
    @extend_schema(
        operation_id="me_erasure_status",
        summary="Your latest request to erase your contact data, if any",
        responses={200: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        if not request.user.is_authenticated:
            return Response({"detail": _("Hãy đăng nhập bằng số điện thoại.")}, status=403)
        latest = ErasureRequest.objects.filter(account=request.user).order_by("-id").first()
        return Response({"request": erasure_data(latest)})

    @extend_schema(
        operation_id="me_erasure_request",
        summary="Ask for your contact data to be erased (done within 2 working days)",
        description=(
            "Logs the request with its deadline (ERASURE_WORKING_DAYS working days). Your "
            "reports stay, without your name, phone and e-mail; your account is closed. "
            "Asking again while a request is open answers that request (200)."
        ),
        request=None,
        responses={201: OpenApiTypes.OBJECT, 200: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        if not request.user.is_authenticated:
            return Response({"detail": _("Hãy đăng nhập bằng số điện thoại.")}, status=403)
        erasure, created = erasure_request(account=request.user)
        return Response({"request": erasure_data(erasure)}, status=201 if created else 200)
