"""The citizen's pages: sign in with a phone and an SMS code, and one's own reports (with the
rating form for resolved ones). Server-rendered forms with Django's CSRF protection."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from gis_core.accounts import RateLimited, login_code_request, login_code_verify
from gis_core.models import RatingValue
from gis_core.ratelimit import client_ip
from gis_core.selectors import reports_public
from gis_core.validation import FieldErrors
from gis_core.workflow import TransitionError, report_rate


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    base = {"city_name": settings.CITY_NAME, "map_url": reverse("web_map:index")}
    return render(request, template, {**base, **context}, status=status)


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step 1: the phone (an SMS code is sent); step 2: the phone and the code."""
    if request.method == "GET":
        return _page(request, "web_map/sign_in.html", {"step": "phone"})
    phone = request.POST.get("phone", "")
    try:
        if "code" not in request.POST:
            login_code_request(phone=phone, ip=client_ip(request))
            return _page(request, "web_map/sign_in.html", {"step": "code", "phone": phone})
        user, claimed = login_code_verify(phone=phone, code=request.POST.get("code", ""))
    except FieldErrors as exc:
        step = "code" if "code" in request.POST and "phone" not in exc.errors else "phone"
        errors = [m for messages in exc.errors.values() for m in messages]
        return _page(
            request, "web_map/sign_in.html", {"step": step, "phone": phone, "errors": errors}, 400
        )
    except RateLimited as exc:
        return _page(request, "web_map/sign_in.html", {"step": "phone", "errors": [str(exc)]}, 429)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(reverse("web_map:my-reports") + (f"?claimed={claimed}" if claimed else ""))


def my_reports(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("web_map:sign-in")
    reports = list(reports_public().filter(reporter=request.user)[:500])
    return _page(
        request,
        "web_map/my_reports.html",
        {"reports": reports, "ratings": RatingValue.choices, "claimed": request.GET.get("claimed")},
    )


@require_POST
def rate(request: HttpRequest, public_id) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("web_map:sign-in")
    report = reports_public().filter(public_id=public_id, reporter=request.user).first()
    if report is None:
        return _page(request, "web_map/my_reports.html", {"errors": ["Không tìm thấy."]}, 404)
    try:
        report_rate(
            report_id=report.pk,
            user=request.user,
            value=request.POST.get("value", ""),
            comment=request.POST.get("comment", ""),
        )
    except (TransitionError, PermissionError) as exc:
        reports = list(reports_public().filter(reporter=request.user)[:500])
        return _page(
            request,
            "web_map/my_reports.html",
            {"reports": reports, "ratings": RatingValue.choices, "errors": [str(exc)]},
            409,
        )
    return redirect("web_map:my-reports")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web_map:index")
