"""The citizen's pages: sign in with a phone and an SMS code, and one's own reports (with the
rating form for resolved ones). Server-rendered forms with Django's CSRF protection, in the
citizen's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import login, logout
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.phones import normalize_phone
from common.validation import FieldErrors
from gis_core.accounts import RateLimited, login_code_request, login_code_verify
from gis_core.erasure import erasure_open, erasure_request
from gis_core.models import RatingValue, ReportTransition
from gis_core.ratelimit import client_ip
from gis_core.selectors import reports_public
from gis_core.workflow import TransitionError, report_rate

MY_REPORTS_MAX = 500


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    base = {"city_name": settings.CITY_NAME, "map_url": reverse("web_map:index")}
    return render(request, template, {**base, **context}, status=status)


def masked_phone(phone: str) -> str:
    """'0912 *** 678': enough for the citizen to see where the code went, no more."""
    number = normalize_phone(phone) or ""
    local = "0" + number[3:] if number.startswith("+84") else number
    if len(local) < 7:
        return local
    return f"{local[:4]} {'*' * (len(local) - 7)} {local[-3:]}"


def _code_step(request: HttpRequest, phone: str, errors=(), status: int = 200) -> HttpResponse:
    context = {
        "step": "code",
        "phone": phone,
        "masked_phone": masked_phone(phone),
        "resend_after": settings.LOGIN_CODE_RESEND_SECONDS,
        "code_minutes": settings.LOGIN_CODE_TTL_SECONDS // 60,
        "errors": list(errors),
    }
    return _page(request, "web_map/sign_in.html", context, status)


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step 1: the phone (an SMS code is sent); step 2: the code, with resend and change."""
    if request.method == "GET":
        return _page(request, "web_map/sign_in.html", {"step": "phone"})
    phone = request.POST.get("phone", "")
    try:
        if "code" not in request.POST:
            login_code_request(phone=phone, ip=client_ip(request))
            return _code_step(request, phone)
        user, claimed = login_code_verify(phone=phone, code=request.POST.get("code", ""))
    except FieldErrors as exc:
        errors = [m for messages in exc.errors.values() for m in messages]
        if "code" in request.POST and "phone" not in exc.errors:
            return _code_step(request, phone, errors, 400)
        context = {"step": "phone", "phone": phone, "errors": errors}
        return _page(request, "web_map/sign_in.html", context, 400)
    except RateLimited as exc:
        if request.POST.get("resend") and normalize_phone(phone):
            return _code_step(request, phone, [str(exc)], 429)
        context = {"step": "phone", "phone": phone, "errors": [str(exc)]}
        return _page(request, "web_map/sign_in.html", context, 429)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(reverse("web_map:my-reports") + (f"?claimed={claimed}" if claimed else ""))


def _my_reports(user) -> list:
    history = ReportTransition.objects.only(
        "id", "report_id", "to_status", "public_note", "created_at"
    ).order_by("created_at", "id")
    return list(
        reports_public()
        .filter(reporter=user)
        .prefetch_related(Prefetch("transitions", queryset=history))[:MY_REPORTS_MAX]
    )


def my_reports(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("web_map:sign-in")
    context = {
        "reports": _my_reports(request.user),
        "ratings": RatingValue.choices,
        "claimed": request.GET.get("claimed", "")[:6],
    }
    return _my_reports_page(request, context)


def _my_reports_page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    """ "My reports", with the erasure section: the open request's deadline, or the button."""
    erasure = {"erasure": erasure_open(request.user), "erasure_days": settings.ERASURE_WORKING_DAYS}
    return _page(request, "web_map/my_reports.html", {**context, **erasure}, status)


@require_POST
def request_erasure(request: HttpRequest) -> HttpResponse:
    """Logs the citizen's request to erase their contact data; the page then shows its
    deadline (the request is carried out by `process_erasure_requests`)."""
    if not request.user.is_authenticated:
        return redirect("web_map:sign-in")
    erasure_request(account=request.user)
    return redirect(reverse("web_map:my-reports") + "#erasure")


@require_POST
def rate(request: HttpRequest, public_id) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("web_map:sign-in")
    report = reports_public().filter(public_id=public_id, reporter=request.user).first()
    if report is None:
        context: dict[str, Any] = {"errors": [_("Không tìm thấy phản ánh.")], "reports": []}
        return _my_reports_page(request, context, 404)
    try:
        report_rate(
            report_id=report.pk,
            user=request.user,
            value=request.POST.get("value", ""),
            comment=request.POST.get("comment", ""),
        )
    except (TransitionError, PermissionError) as exc:
        context = {
            "reports": _my_reports(request.user),
            "ratings": RatingValue.choices,
            "errors": [str(exc)],
        }
        return _my_reports_page(request, context, 409)
    return redirect("web_map:my-reports")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web_map:index")
