"""GeoReport v2 endpoints. Thin: check the jurisdiction, parse, call the report domain, render.

Plain Django views rather than DRF: the format comes from the path's extension, and the
POST is authenticated by its api_key alone (no cookies, so no CSRF token).
"""

from __future__ import annotations

import functools
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from common.api.serializers import strict_data
from common.body_limits import body_limit
from common.db_routing import replica_reads
from common.validation import FieldErrors, nul_errors
from gis_core.accounts import RateLimited
from gis_core.languages import request_language
from gis_core.models import ConsentChannel, ReportChannel, ReportSource
from gis_core.ratelimit import SubmissionLimiter
from gis_core.read_limits import check_read_limit
from gis_core.selectors import categories_active
from gis_core.services import UploadedPhoto, report_submit
from gis_core.upload_limits import open311_uploads
from open311.models import ApiKey
from open311.queries import parse_filters, request_by_id, requests_filtered
from open311.renderers import render, render_errors
from open311.serializers import (
    ServiceRequestInput,
    created_data,
    request_data,
    service_data,
    service_definition,
)

DEFAULT_JURISDICTION = "mongcai.quangninh.gov.vn"
SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-23T00:00:00+07:00"  # when this endpoint's behaviour last changed

# report_submit's field names → the spec's parameter names, for error messages.
FIELD_NAMES = {
    "category": "service_code",
    "lon": "long",
    "lat": "lat",
    "contact_name": "first_name",
    "contact_phone": "phone",
    "contact_email": "email",
    "photos": "media",
}


def jurisdiction() -> str:
    return getattr(settings, "OPEN311_JURISDICTION_ID", DEFAULT_JURISDICTION)


def _refuse_nul(view):
    """400 for a NUL in any parameter: PostgreSQL cannot take one (it would be a 500)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        errors = nul_errors(kwargs) or nul_errors(request.GET)
        if not errors and request.POST:
            errors = nul_errors(request.POST)
        if errors:
            fmt = kwargs.get("fmt", "xml")
            return render_errors(fmt, 400, [(field, msg[0]) for field, msg in errors.items()])
        return view(request, *args, **kwargs)

    return wrapper


def _wrong_jurisdiction(params, fmt: str) -> HttpResponse | None:
    given = params.get("jurisdiction_id")
    if given and given != jurisdiction():
        message = _("Không phục vụ khu vực này; hãy dùng jurisdiction_id %(jurisdiction)s.") % {
            "jurisdiction": jurisdiction()
        }
        return render_errors(fmt, 404, [("jurisdiction_id", message)])
    return None


def _unknown_service() -> str:
    return _("Không có dịch vụ với mã này; danh sách các dịch vụ ở GET services.")


@replica_reads
@require_GET
@_refuse_nul
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """The service discovery document: where the endpoint is and what it speaks."""
    url = request.build_absolute_uri(reverse("open311:discovery", args=["json"]))
    data = {
        "changeset": CHANGESET,
        "contact": f"{settings.CITY_NAME}: {settings.DEFAULT_FROM_EMAIL}",
        "key_service": "API keys are issued by the city (manage.py create_open311_key).",
        "endpoints": [
            {
                "specification": SPEC_URL,
                "url": url.rsplit("/", 1)[0],
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, "discovery", data)


@replica_reads
@require_GET
@_refuse_nul
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if error := _wrong_jurisdiction(request.GET, fmt):
        return error
    return render(fmt, "services", [service_data(c) for c in categories_active()])


@replica_reads
@require_GET
@_refuse_nul
def service_detail(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    if error := _wrong_jurisdiction(request.GET, fmt):
        return error
    category = categories_active().filter(code=service_code).first()
    if category is None:
        return render_errors(fmt, 404, [("service_code", _unknown_service())])
    return render(fmt, "service_definition", service_definition(category))


@replica_reads
@csrf_exempt
@require_http_methods(["GET", "POST"])
@body_limit(uploads=open311_uploads)  # media photos, checked as they stream
@_refuse_nul
def request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET: the requests matching the filters; POST: a new request."""
    if request.method == "POST":
        return _create(request, fmt)
    if error := _wrong_jurisdiction(request.GET, fmt):
        return error
    filters, errors = parse_filters(request.GET)
    if errors:
        return render_errors(fmt, 400, errors)
    try:
        check_read_limit(request, "list")
    except RateLimited as exc:
        return _rate_limited(fmt, exc)
    rows = [request_data(r, request) for r in requests_filtered(filters)]
    return render(fmt, "service_requests", rows)


def _submit_errors(errors: dict[str, list[str]], service_code: object) -> list[tuple[str, str]]:
    """report_submit's refusal under the spec's parameter names. An unknown service_code
    gets Open311's own message, which names the valid codes and not the one sent."""
    if (
        "category" in errors
        and service_code
        and not categories_active().filter(code=str(service_code)).exists()
    ):
        valid = ", ".join(sorted(categories_active().values_list("code", flat=True)))
        errors = errors | {
            "category": [
                _("Không có dịch vụ với mã này. Các mã hợp lệ: %(valid)s.") % {"valid": valid}
            ]
        }
    return [
        (FIELD_NAMES.get(field, field), message)
        for field, messages in errors.items()
        for message in messages
    ]


def _rate_limited(fmt: str, exc: RateLimited) -> HttpResponse:
    response = render_errors(fmt, 429, [("rate_limit", str(exc))])
    response["Retry-After"] = str(exc.retry_after)
    return response


def _credentials(request: HttpRequest) -> dict[str, str]:
    """api_key and jurisdiction_id from the form body, else the query string: the classic
    Open311 client libraries (Python, Ruby) put them in the POST's URL."""
    return {
        name: request.POST.get(name) or request.GET.get(name) or ""
        for name in ("api_key", "jurisdiction_id")
    }


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    credentials = _credentials(request)
    if error := _wrong_jurisdiction(credentials, fmt):
        return error
    if ApiKey.authenticate(credentials["api_key"]) is None:
        return render_errors(
            fmt, 403, [("api_key", _("Thiếu api_key, hoặc khoá không đúng hay đã bị thu hồi."))]
        )
    try:
        given = strict_data(ServiceRequestInput, request.POST)
    except FieldErrors as exc:
        return render_errors(fmt, 400, [(f, m) for f, msgs in exc.errors.items() for m in msgs])
    params = {k: v.strip() if isinstance(v, str) else v for k, v in given.items()}
    if not params.get("service_code"):
        return render_errors(fmt, 400, [("service_code", _("Trường này là bắt buộc."))])
    lat, lon = params.get("lat"), params.get("long")
    if lat is None and lon is None and (params.get("address_string") or params.get("address_id")):
        no_lookup = _("Cần lat và long: phản ánh được định vị bằng toạ độ, không theo địa chỉ.")
        return render_errors(fmt, 400, [("lat", no_lookup), ("long", no_lookup)])
    name = " ".join(p for p in (params.get("first_name"), params.get("last_name")) if p).strip()
    description = params.get("description") or ""
    media_url = params.get("media_url") or ""
    if media_url:
        if not media_url.startswith(("http://", "https://")) or len(media_url) > 1000:
            message = _("Cần một địa chỉ http:// hoặc https://, tối đa 1000 ký tự.")
            return render_errors(fmt, 400, [("media_url", message)])
        # Not fetched (the server reaches no arbitrary hosts): kept in the text for staff.
        description = f"{description}\n\nMedia: {media_url}" if description else ""
    photos = [
        UploadedPhoto(name=f.name or f"media {i + 1}", data=f.read())
        for i, f in enumerate(request.FILES.getlist("media"))
    ]
    limiter = SubmissionLimiter.for_request(request, contact_phone=params.get("phone") or "")
    try:
        limiter.acquire()
    except RateLimited as exc:
        response = render_errors(fmt, 429, [("rate_limit", str(exc))])
        response["Retry-After"] = str(exc.retry_after)
        return response
    try:
        submitted = report_submit(
            category=params.get("service_code"),
            description=description,
            lon=lon,
            lat=lat,
            photos=photos,
            contact_name=name,
            contact_phone=params.get("phone") or "",
            contact_email=params.get("email") or "",
            source=ReportSource.API,
            # GeoReport v2 has no consent field: the notice current now is the one recorded
            # (documented in SECURITY.md).
            consent_notice_version=settings.PRIVACY_NOTICE_VERSION,
            consent_channel=ConsentChannel.OPEN311,
            channel=ReportChannel.OPEN311,
            # GeoReport v2 has no language parameter: the client's Accept-Language says it.
            language=request_language(),
        )
    except FieldErrors as exc:
        return render_errors(fmt, 400, _submit_errors(exc.errors, params.get("service_code")))
    except BaseException:
        limiter.refund()  # a server-side failure: the client will send it again
        raise
    row = cast(dict, submitted.row)  # no idempotency key: always a new report, as its row
    return render(fmt, "service_requests", [created_data(row)], status=201)


@replica_reads
@require_GET
@_refuse_nul
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    if error := _wrong_jurisdiction(request.GET, fmt):
        return error
    report = request_by_id(service_request_id)
    if report is None:
        message = _("Không có yêu cầu (service request) với mã này.")
        return render_errors(fmt, 404, [("service_request_id", message)])
    return render(fmt, "service_requests", [request_data(report, request)])


@require_GET
@_refuse_nul
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """POST answers with the service_request_id at once, so no token is ever issued."""
    return render_errors(
        fmt,
        404,
        [("token", _("Không dùng token: POST requests trả về service_request_id ngay."))],
    )


def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any other path, or a format other than .xml/.json: an error list (XML, the default)."""
    fmt = "json" if path.endswith(".json") else "xml"
    return render_errors(fmt, 404, _("Không có địa chỉ này. Định dạng: .xml hoặc .json."))
