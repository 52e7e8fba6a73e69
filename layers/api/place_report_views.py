"""POST /api/v1/places/<id>/reports/: "Báo sự cố tại đây", a report filed from a place.

Everything of a submission is gis_core's ReportListCreateView (multipart photos and clips,
rate limits, idempotency keys, consent, language, the error format); this subclass only adds
the place, through that view's two extension points: `extra_fields` (the point defaults to
the place's, `price` and `charged_vnd` are read) and `store` (the report and its
layers.PlaceReport link in one transaction, layers.places.report_links)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from gis_core.api.views import ReportListCreateView
from gis_core.services import SubmittedReport
from layers.api.place_report_params import (
    PlaceReportCreateSerializer,
    PlaceReportFields,
    place_report_fields,
)
from layers.models import PointOfInterest
from layers.places.report_links import place_report_submit
from layers.places.selectors import place_plain


class PlaceReportCreateView(ReportListCreateView):
    http_method_names = ["post", "options"]  # noqa: RUF012  # no list here: GET is 405
    place: PointOfInterest

    @extend_schema(
        operation_id="places_reports_create",
        summary="Report a problem at a place (JSON or multipart), linked to the place",
        description=(
            "The same body, limits, idempotency and answers as POST /api/v1/reports/; `lon` "
            "and `lat` default to the place's point. `price` is the id of one of the place's "
            "listed prices current today (`prices.items[].id` of the place), `charged_vnd` "
            "what was charged: both for an overcharging report (du_lich_chat_chem)."
        ),
        request={
            "application/json": PlaceReportCreateSerializer,
            "multipart/form-data": PlaceReportCreateSerializer,
        },
        responses={
            201: OpenApiTypes.OBJECT,
            200: OpenApiTypes.OBJECT,
            400: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
            429: OpenApiTypes.OBJECT,
        },
    )
    def post(self, request: Request, public_id: uuid.UUID) -> Response:  # type: ignore[override]
        # Before the body is read: an unknown place streams in no photos.
        place = place_plain(public_id)
        if place is None:
            raise Http404(_("Không có địa điểm với mã này."))
        self.place = place
        return super().post(request)

    def extra_fields(
        self, request: Request, data: dict[str, Any], errors: dict[str, list[str]]
    ) -> PlaceReportFields:
        if data.get("lon") is None and data.get("lat") is None:
            data["lon"], data["lat"] = self.place.location.x, self.place.location.y
        return place_report_fields(self.place, request.data, errors)

    def store(self, *, extra: PlaceReportFields, **fields: Any) -> SubmittedReport:
        parent_store = super().store
        return place_report_submit(
            submit=lambda: parent_store(extra=extra, **fields),
            place=self.place,
            price=extra.price,
            charged_vnd=extra.charged_vnd,
        )
