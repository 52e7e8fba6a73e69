"""CSRF: every HTML form and every session-authenticated unsafe API call is refused without
the token (403) and accepted with the token the page itself hands out.

Covered: sign-in (both steps) and sign-out, the rating form, the staff header's sign-out
(admin logout), the report form on the map page (it posts to the API with the X-CSRFToken
header from the page's configuration), the staff actions (transition, re-route, merge: posted
by the staff page's script the same way), the API rating, sign-in and sign-out calls.

Not covered on purpose: Open311 POST is csrf_exempt because it authenticates with an API key
in the body, never with the session cookie, so a forged cross-site request carries nothing.
An anonymous report submission likewise carries no authority (DRF checks CSRF for signed-in
sessions); a signed-in one is checked below.
"""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gis_core import sms
from gis_core.models import Agency, Category, Report, ReportRating, StaffProfile
from tests.ward_boundaries import geometry_cases as cases

pytestmark = pytest.mark.django_db
POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
CITIZEN = "+84912000111"


def form_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def config_token(html: str, element_id: str) -> str:
    raw = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(raw.group(1))["csrfToken"]


def csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def both_ways(label, post_without, post_with, ok=(200, 201, 202, 204, 302)):
    """The same request without and with the token: 403, then accepted."""
    refused = post_without()
    assert refused.status_code == 403, (label, refused.status_code)
    accepted = post_with()
    assert accepted.status_code in ok, (label, accepted.status_code, accepted.content[:300])


def make_report(status="resolved", reporter=None, agency=None) -> Report:
    x, y = POINTS["06709"]
    return Report.objects.create(
        category=Category.objects.get(code="ha_tang"), description="Cống vỡ",
        location=Point(x, y, srid=4326), status=status, reporter=reporter, agency=agency,
        resolved_at=timezone.now() if status == "resolved" else None,
    )  # fmt: skip


def test_sign_in_form_both_steps_and_sign_out():
    sms.outbox.clear()
    client = csrf_client()
    token = form_token(client.get(reverse("web_map:sign-in")).content.decode())
    url = reverse("web_map:sign-in")
    both_ways(
        "web sign-in (phone)",
        lambda: client.post(url, {"phone": CITIZEN}),
        lambda: client.post(url, {"phone": CITIZEN, "csrfmiddlewaretoken": token}),
    )
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1][1]).group(1)
    both_ways(
        "web sign-in (code)",
        lambda: client.post(url, {"phone": CITIZEN, "code": code}),
        lambda: client.post(url, {"phone": CITIZEN, "code": code, "csrfmiddlewaretoken": token}),
    )
    page = client.get(reverse("web_map:my-reports")).content.decode()
    out = reverse("web_map:sign-out")
    both_ways(
        "web sign-out",
        lambda: client.post(out),
        lambda: client.post(out, {"csrfmiddlewaretoken": form_token(page)}),
    )


def test_rating_form_and_rating_api(city_agency):
    citizen = User.objects.create_user(CITIZEN)
    first, second = make_report(reporter=citizen), make_report(reporter=citizen)
    client = csrf_client(citizen)
    page = client.get(reverse("web_map:my-reports")).content.decode()
    url = reverse("web_map:rate", args=[first.public_id])
    both_ways(
        "web rating form",
        lambda: client.post(url, {"value": "satisfied"}),
        lambda: client.post(url, {"value": "satisfied", "csrfmiddlewaretoken": form_token(page)}),
    )
    assert ReportRating.objects.filter(report=first).exists()
    api = reverse("api:report-rating", args=[second.public_id])
    body = json.dumps({"value": "acceptable"})
    both_ways(
        "API rating (session)",
        lambda: client.post(api, body, content_type="application/json"),
        lambda: client.post(
            api,
            body,
            content_type="application/json",
            HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
        ),
    )


def test_report_form_on_the_map_page_for_a_signed_in_citizen(mong_cai_wards):
    citizen = User.objects.create_user(CITIZEN)
    client = csrf_client(citizen)
    token = config_token(client.get(reverse("web_map:index")).content.decode(), "map-config")
    x, y = POINTS["06709"]
    body = json.dumps({"category": "moi_truong", "description": "Rác", "lon": x, "lat": y,
                       "source": "web"})  # fmt: skip
    url = reverse("api:report-list")
    both_ways(
        "map report form (API, session)",
        lambda: client.post(url, body, content_type="application/json"),
        lambda: client.post(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=token),
    )
    assert Report.objects.filter(reporter=citizen).count() == 1


def test_api_sign_in_and_sign_out():
    sms.outbox.clear()
    client = csrf_client()
    client.get(reverse("web_map:sign-in"))  # sets the CSRF cookie, as the page would
    token = client.cookies["csrftoken"].value
    code_url, login_url = reverse("api:auth-code"), reverse("api:auth-login")
    client.post(code_url, json.dumps({"phone": CITIZEN}), content_type="application/json",
                HTTP_X_CSRFTOKEN=token)  # fmt: skip
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1][1]).group(1)
    body = json.dumps({"phone": CITIZEN, "code": code})
    both_ways(
        "API sign-in (login CSRF)",
        lambda: client.post(login_url, body, content_type="application/json"),
        lambda: client.post(
            login_url, body, content_type="application/json", HTTP_X_CSRFTOKEN=token
        ),
    )
    token = client.cookies["csrftoken"].value  # rotated at sign-in
    logout = reverse("api:auth-logout")
    both_ways(
        "API sign-out (session)",
        lambda: client.post(logout),
        lambda: client.post(logout, HTTP_X_CSRFTOKEN=token),
    )


def test_staff_actions_and_staff_sign_out(mong_cai_wards):
    operator = User.objects.create_user("operator", password="x")
    operator.groups.add(Group.objects.get(name="operator"))
    StaffProfile.objects.create(user=operator)
    agency_a = Agency.objects.create(code="a", name="A")
    agency_b = Agency.objects.create(code="b", name="B")
    report = make_report(status="assigned", agency=agency_a)
    client = csrf_client(operator)
    page = client.get(reverse("web_map:staff-report", args=[report.public_id])).content.decode()
    token = config_token(page, "staff-config")

    def post(name, public_id, body, with_token):
        extra = {"HTTP_X_CSRFTOKEN": token} if with_token else {}
        url = reverse(name, args=[public_id])
        return client.post(url, json.dumps(body), content_type="application/json", **extra)

    move = {"from_status": "assigned", "to_status": "in_progress"}
    both_ways(
        "staff transition",
        lambda: post("api:staff-report-transition", report.public_id, move, False),
        lambda: post("api:staff-report-transition", report.public_id, move, True),
    )
    reroute = {"agency": agency_b.pk, "reason": "Sai đơn vị"}
    both_ways(
        "staff re-route",
        lambda: post("api:staff-report-reroute", report.public_id, reroute, False),
        lambda: post("api:staff-report-reroute", report.public_id, reroute, True),
    )
    duplicate = make_report(status="received")
    merge = {"into": str(report.public_id)}
    both_ways(
        "staff merge",
        lambda: post("api:staff-report-merge", duplicate.public_id, merge, False),
        lambda: post("api:staff-report-merge", duplicate.public_id, merge, True),
    )
    both_ways(
        "staff header sign-out (admin logout)",
        lambda: client.post(reverse("admin:logout")),
        lambda: client.post(reverse("admin:logout"), {"csrfmiddlewaretoken": form_token(page)}),
    )
