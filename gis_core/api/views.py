"""Report and category endpoints. Thin: parse, call a service or selector, serialise."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import JsonAPIView, PublicJsonAPIView
from common.api.errors import (
    field_errors_response,
    idempotency_conflict_response,
    rate_limited_response,
)
from common.api.serializers import strict_data
from common.body_limits import REPORT_JSON_BODY_BYTES
from common.db_routing import replica_reads
from common.validation import FieldErrors, lon_lat_params
from gis_core.accounts import RateLimited
from gis_core.api.params import (
    MAX_LIST_ROWS,
    MAX_PAGE_SIZE,
    page_params,
    page_url,
    page_window_ok,
    parse_report_filters,
)
from gis_core.api.serializers import (
    CategorySerializer,
    DuplicatesQuerySerializer,
    RatingSerializer,
    ReportCreateSerializer,
    category_data,
    report_feature,
    report_history,
    submitted_feature,
)
from gis_core.idempotency import IdempotencyConflict, client_scope, device_id_or_error
from gis_core.languages import request_language
from gis_core.models import ConsentChannel, Report, ReportChannel, ReportSource, ReportStatus
from gis_core.privacy_notice import CONSENT_FIELD, notice_data
from gis_core.ratelimit import SubmissionLimiter
from gis_core.read_limits import check_read_limit
from gis_core.selectors import (
    categories_active,
    count_bounded,
    possible_duplicates,
    reports_public,
)
from gis_core.services import (
    SubmittedReport,
    UploadedPhoto,
    report_by_idempotency_key,
    report_submit,
    submission_fingerprint,
)
from gis_core.upload_limits import report_uploads
from gis_core.video_intake import UploadedVideo
from gis_core.workflow import TransitionError, report_rate
from ward_boundaries.api.params import PROVINCE_PARAMETER


@replica_reads
class CategoryListView(PublicJsonAPIView):
    @extend_schema(responses=CategorySerializer(many=True), summary="Report categories")
    def get(self, request: Request) -> Response:
        # for_places: offered first on a report filed from a place (the tourism ones).
        return Response(
            [{**category_data(c), "for_places": c.for_places} for c in categories_active()]
        )


class PrivacyNoticeView(PublicJsonAPIView):
    @extend_schema(
        operation_id="privacy_notice",
        summary="The privacy notice to show beside contact fields, and its version",
        description=(
            "A report with contact data (name, phone or e-mail) must carry the `version` "
            "the client showed, as `consent_notice_version`; `accepted_versions` lists the "
            "ones still taken. The text is in the request's language."
        ),
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        return Response(notice_data())


@replica_reads
class ReportListCreateView(JsonAPIView):
    # A JSON report is a few KB; with photos and clips, what their limits allow, each file
    # counted and size-checked as it streams (common.body_limits, common.uploads).
    max_body_bytes = REPORT_JSON_BODY_BYTES
    upload_limits = staticmethod(report_uploads)

    def initial(self, request: Request, *args, **kwargs) -> None:
        """The cheap refusals first, before the body is read (the NUL scan, a session's CSRF
        check): a client that may not submit, or is over its limit, never streams in its files.
        Django's user is the session's, the one DRF authenticates next."""
        if request.method == "POST":
            user = request._request.user
            if not settings.ALLOW_ANONYMOUS_REPORTS and not user.is_authenticated:
                raise PermissionDenied(_("Hãy đăng nhập bằng số điện thoại để gửi phản ánh."))
            if request.content_type.startswith("multipart/"):
                SubmissionLimiter.for_request(request._request).precheck()
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, RateLimited):  # from precheck, before the body was read
            return rate_limited_response(exc)
        return super().handle_exception(exc)

    @extend_schema(
        operation_id="reports_list",
        summary="Reports as a GeoJSON FeatureCollection (paginated)",
        parameters=[
            OpenApiParameter("bbox", str, description="minlon,minlat,maxlon,maxlat"),
            OpenApiParameter("ward", str, description="Ward code"),
            PROVINCE_PARAMETER,
            OpenApiParameter("category", str),
            OpenApiParameter("status", str, enum=ReportStatus.values),
            OpenApiParameter("since", OpenApiTypes.DATE),
            OpenApiParameter("until", OpenApiTypes.DATE),
            OpenApiParameter(
                "page", int, description=f"page × page_size at most {MAX_LIST_ROWS:,}"
            ),
            OpenApiParameter("page_size", int, description=f"1..{MAX_PAGE_SIZE}"),
        ],
        description=f"`count` is exact up to {MAX_LIST_ROWS:,} (`count_exact`), else the "
        "database's estimate.",
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 429: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        filters, errors = parse_report_filters(request.query_params)
        page, page_size = page_params(request.query_params, errors)
        if not errors:
            page_window_ok(page, page_size, errors)
        if errors:
            return field_errors_response(errors)
        if page_size > settings.READ_LIMIT_LIST_PAGE_SIZE:
            try:
                check_read_limit(request, "list")
            except RateLimited as exc:
                return rate_limited_response(exc)
        qs = reports_public(**filters).prefetch_related("videos")  # the Feature lists clips
        count, exact = count_bounded(qs, MAX_LIST_ROWS)
        start = (page - 1) * page_size
        rows = list(qs[start : start + page_size])
        more = start + page_size < count and (page + 1) * page_size <= MAX_LIST_ROWS
        return Response(
            {
                "type": "FeatureCollection",
                "count": count,
                "count_exact": exact,
                "next": page_url(request, page + 1) if more else None,
                "previous": page_url(request, page - 1) if page > 1 else None,
                "features": [report_feature(r, request) for r in rows],
            }
        )

    # Extension points, for a view that files a report with something beside it (layers'
    # place reports, POST /api/v1/places/<id>/reports/): everything else of a submission (rate
    # limits, idempotency, consent, language, the error format) stays here, once.

    def extra_fields(
        self, request: Request, data: dict[str, Any], errors: dict[str, list[str]]
    ) -> Any:
        """Reads a subclass's own fields of the body. It may fill defaults into `data`, the
        report's fields as read (a place's point when none was sent), and adds its field
        errors to `errors`: they come in one 400 with the report's. What it returns reaches
        `store` as `extra`. Here: nothing."""
        return None

    def store(self, *, extra: Any, **fields: Any) -> SubmittedReport:
        """Stores the report: report_submit with `fields`. A subclass wraps it (calling
        super().store inside its own transaction) to store a row beside the report, and may
        raise IdempotencyConflict for a retry whose own fields differ from the first's."""
        return report_submit(**fields)

    @extend_schema(
        summary="Submit a report (JSON or multipart with photos)",
        request={
            "application/json": ReportCreateSerializer,
            "multipart/form-data": ReportCreateSerializer,
        },
        responses={
            201: OpenApiTypes.OBJECT,
            200: OpenApiTypes.OBJECT,
            400: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
            429: OpenApiTypes.OBJECT,
        },
    )
    def post(self, request: Request) -> Response:
        user = request.user
        if not hasattr(request.data, "get"):
            return field_errors_response({"non_field_errors": [_("Cần gửi một đối tượng JSON.")]})
        errors: dict[str, list[str]] = {}
        data: dict[str, Any] = {}
        client = ""
        try:
            data = strict_data(ReportCreateSerializer, request.data, partial=True)
            client = client_scope(
                device_id=device_id_or_error(data.get("device_id")),
                user_id=user.pk if user.is_authenticated else None,
                session_key=request.session.session_key if hasattr(request, "session") else None,
            )
        except FieldErrors as exc:
            errors = {f: list(m) for f, m in exc.errors.items()}
        unreadable = bool(errors)
        extra = self.extra_fields(request, data, errors)
        if unreadable:  # with a subclass's own errors, in one answer
            return field_errors_response(errors)
        photos = [
            UploadedPhoto(name=f.name or f"photo {i + 1}", data=f.read())
            for i, f in enumerate(request.FILES.getlist("photos"))
        ]
        videos = [
            UploadedVideo.from_upload(f, i + 1)
            for i, f in enumerate(request.FILES.getlist("videos"))
        ]
        contact = (data.get("contact") or "").strip()
        contact_phone = (data.get("contact_phone") or "").strip()
        contact_email = (data.get("contact_email") or "").strip()
        if contact and not (contact_phone or contact_email):
            if "@" in contact:
                contact_email = contact
            else:
                contact_phone = contact
        fields: dict[str, Any] = {
            "category": data.get("category"),
            "description": data.get("description"),
            "lon": data.get("lon"),
            "lat": data.get("lat"),
            "photos": photos,
            "videos": videos,
            "contact_name": (data.get("contact_name") or "").strip(),
            "contact_phone": contact_phone,
            "contact_email": contact_email,
        }
        key = (data.get("idempotency_key") or "").strip() or None
        web = data.get("source") == "web"
        limiter = SubmissionLimiter.for_request(request, contact_phone=contact_phone)
        try:
            limiter.acquire()
        except RateLimited as exc:
            # A retry of a report already stored is answered whatever the limit: the client
            # only learns (again) that its report arrived.
            try:
                stored = (
                    report_by_idempotency_key(
                        key, client=client, fingerprint=submission_fingerprint(**fields)
                    )
                    if key
                    else None
                )
            except IdempotencyConflict as conflict:
                return idempotency_conflict_response(conflict)
            if stored is None:
                return rate_limited_response(exc)
        try:
            submitted = self.store(
                extra=extra,
                prior_errors=errors or None,  # a subclass's, raised with report_submit's
                **fields,
                idempotency_key=key,
                client=client,
                source=ReportSource.WEB if web else ReportSource.API,
                reporter_id=user.pk if user.is_authenticated else None,
                consent_notice_version=data.get(CONSENT_FIELD),
                consent_channel=ConsentChannel.WEB if web else ConsentChannel.APP,
                channel=ReportChannel.WEB if web else ReportChannel.APP,
                # The page's or the app's language (cookie, else Accept-Language): the
                # receipt and status messages are written in it. An outbox replay carries it
                # the same way.
                language=request_language(),
            )
        except FieldErrors as exc:
            return field_errors_response(exc.errors)
        except IdempotencyConflict as conflict:
            limiter.refund()  # nothing was stored
            return idempotency_conflict_response(conflict)
        except BaseException:
            limiter.refund()  # the client will retry this very report
            raise
        if not submitted.created:
            limiter.refund()  # a retry (same idempotency key) is not a new submission
        # A created report comes as its row, a repeat as the stored model (SubmittedReport).
        if submitted.created:
            row = cast(dict, submitted.row)
            data = submitted_feature(row, submitted.photos, request, submitted.videos)
            return Response(data, status=status.HTTP_201_CREATED)
        report = cast(Report, submitted.report)
        return Response(report_feature(report, request), status=status.HTTP_200_OK)


@replica_reads
class ReportDetailView(PublicJsonAPIView):
    @extend_schema(
        operation_id="reports_retrieve",
        summary="One report as a GeoJSON Feature",
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, public_id: uuid.UUID) -> Response:
        report = (
            reports_public().prefetch_related("transitions").filter(public_id=public_id).first()
        )
        if report is None:
            raise Http404(_("Không có phản ánh với mã này."))
        data = report_feature(report, request)
        data["properties"]["history"] = report_history(report)
        data["properties"]["merged_into"] = None
        if report.merged_into_id is not None:
            # The reporter of a duplicate follows the surviving report's progress and answer.
            survivor = reports_public().filter(pk=report.merged_into_id).first()
            if survivor is not None:
                data["properties"]["merged_into"] = {
                    "id": str(survivor.public_id),
                    "status": survivor.status,
                    "status_label": str(survivor.get_status_display()),
                    "answer": survivor.answer,
                    "resolved_at": survivor.resolved_at.isoformat()
                    if survivor.resolved_at
                    else None,
                }
        return Response(data)


class ReportDuplicatesView(PublicJsonAPIView):
    @extend_schema(
        operation_id="reports_possible_duplicates",
        summary="Open reports of a category near a point: shown before submitting",
        parameters=[
            OpenApiParameter("lon", float, required=True),
            OpenApiParameter("lat", float, required=True),
            OpenApiParameter("category", str, required=True),
            OpenApiParameter(
                "text",
                str,
                description="The description typed so far (at most 1000 characters): "
                "candidates with similar text rank higher",
            ),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        errors: dict[str, list[str]] = {}
        point = lon_lat_params(params, errors)
        try:
            text = strict_data(DuplicatesQuerySerializer, params).get("text") or ""
        except FieldErrors as exc:
            errors.update(exc.errors)
        category = categories_active().filter(code=params.get("category") or "").first()
        if category is None:
            valid = ", ".join(categories_active().values_list("code", flat=True))
            errors["category"] = [
                _("Lĩnh vực không hợp lệ. Các mã hợp lệ: %(valid)s.") % {"valid": valid}
            ]
        if errors or point is None or category is None:
            return field_errors_response(errors)
        found = possible_duplicates(lon=point[0], lat=point[1], category=category, text=text)
        features = []
        for candidate in found:
            data = report_feature(candidate.report, request)
            data["properties"]["distance_m"] = round(candidate.distance_m, 1)
            data["properties"]["duplicate_score"] = round(candidate.score, 3)
            data["properties"]["text_similarity"] = round(candidate.text_similarity, 3)
            features.append(data)
        return Response(
            {
                "type": "FeatureCollection",
                "radius_m": category.duplicate_radius_m,
                "window_days": category.duplicate_window_days,
                "features": features,
            }
        )


class ReportRatingView(JsonAPIView):
    @extend_schema(
        operation_id="reports_rate",
        summary="The reporter rates a resolved report once: satisfied, acceptable, dissatisfied",
        request=RatingSerializer,
        responses={
            201: OpenApiTypes.OBJECT,
            400: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
        },
    )
    def post(self, request: Request, public_id: uuid.UUID) -> Response:
        report = reports_public().filter(public_id=public_id).first()
        if report is None:
            raise Http404(_("Không có phản ánh với mã này."))
        data = strict_data(RatingSerializer, request.data)
        try:
            rating = report_rate(
                report_id=report.pk,
                user=request.user,
                value=data.get("value") or "",
                comment=data.get("comment") or "",
            )
        except PermissionError as exc:
            return Response({"detail": str(exc)}, status=403)
        except TransitionError as exc:
            return Response({"detail": str(exc)}, status=409)
        return Response({"value": rating.value, "label": rating.get_value_display()}, status=201)
