"""Sign-in by phone and one-time code; a citizen's own reports."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.base import JsonAPIView
from common.api.errors import field_errors_response
from common.api.serializers import strict_data
from common.body_limits import AUTH_BODY_BYTES
from common.validation import FieldErrors
from gis_core.accounts import (
    RateLimited,
    account_phone,
    login_code_request,
    login_code_verify,
)
from gis_core.api.serializers import LoginCodeSerializer, LoginSerializer, report_feature
from gis_core.ratelimit import client_ip
from gis_core.selectors import reports_public


def _client_ip(request: Request) -> str | None:
    # Behind the documented reverse proxy REMOTE_ADDR is the proxy: gis_core.ratelimit reads
    # X-Forwarded-For when (and only when) HT_TRUST_X_FORWARDED_FOR says the proxy is ours.
    return client_ip(request)


def _enforce_csrf(request: Request) -> None:
    """DRF checks CSRF only for a session that is already signed in. Signing in must be
    checked too (login CSRF): otherwise another site could sign a visitor into the attacker's
    account, and the reports the visitor then sends, contact details included, would show
    up in the attacker's "my reports" and data export. Raises PermissionDenied (403)."""
    SessionAuthentication().enforce_csrf(request)


def _rate_limited(exc: RateLimited) -> Response:
    response = Response({"detail": str(exc)}, status=status.HTTP_429_TOO_MANY_REQUESTS)
    response["Retry-After"] = str(exc.retry_after)
    return response


class LoginCodeView(JsonAPIView):
    max_body_bytes = AUTH_BODY_BYTES

    @extend_schema(
        operation_id="auth_code",
        summary="Send a one-time sign-in code to a phone by SMS",
        request=LoginCodeSerializer,
        responses={202: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 429: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        try:
            data = strict_data(LoginCodeSerializer, request.data)
            code = login_code_request(phone=data.get("phone") or "", ip=_client_ip(request))
        except FieldErrors as exc:
            return field_errors_response(exc.errors)
        except RateLimited as exc:
            return _rate_limited(exc)
        seconds = int((code.expires_at - code.created_at).total_seconds())
        return Response({"detail": _("Đã gửi mã qua SMS."), "expires_in": seconds}, status=202)


class LoginView(JsonAPIView):
    max_body_bytes = AUTH_BODY_BYTES

    @extend_schema(
        operation_id="auth_login",
        summary="Sign in with the phone and its code; claims the phone's anonymous reports",
        request=LoginSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 429: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        _enforce_csrf(request)
        try:
            data = strict_data(LoginSerializer, request.data)
            user, claimed = login_code_verify(
                phone=data.get("phone") or "", code=data.get("code") or ""
            )
        except FieldErrors as exc:
            return field_errors_response(exc.errors)
        except RateLimited as exc:
            return _rate_limited(exc)
        login(request._request, user, backend="django.contrib.auth.backends.ModelBackend")
        return Response({"phone": account_phone(user), "claimed_reports": claimed})


class LogoutView(JsonAPIView):
    max_body_bytes = AUTH_BODY_BYTES

    @extend_schema(operation_id="auth_logout", request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        logout(request._request)
        return Response(status=204)


class MyReportsView(JsonAPIView):
    @extend_schema(
        operation_id="my_reports",
        summary="The signed-in citizen's own reports",
        responses={200: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        if not request.user.is_authenticated:
            detail = _("Hãy đăng nhập bằng số điện thoại để xem phản ánh của bạn.")
            return Response({"detail": detail}, status=403)
        reports = reports_public().prefetch_related("videos").filter(reporter=request.user)[:1000]
        return Response(
            {"type": "FeatureCollection", "features": [report_feature(r, request) for r in reports]}
        )
