"""A signed-in citizen's copy of their personal data: their reports with the contact details
they gave, and their ratings, as one JSON download (the right of access, Decree 13/2023)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import JsonAPIView
from gis_core.accounts import account_phone
from gis_core.api.serializers import report_feature
from gis_core.models import Report, ReportRating

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
            return Response({"detail": "Sign in with your phone to export your data."}, status=403)
        response = Response(citizen_export(request.user, request))
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="hien-truong-my-data-{day}.json"'
        # Personal data: never kept by a browser or proxy cache.
        response["Cache-Control"] = "no-store, private"
        return response
