"""Every channel into one queue: staff enter what came by phone, in person, by letter, e-mail
or Zalo (POST /api/v1/staff/reports/, gis_core.services.staff_report_create); the app, the
web map and Open311 stamp their own channel; the queue filters and the league groups by it.

Before: a report had no channel, staff could not enter one, and nothing recorded who did.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from gis_core.league import league_table
from gis_core.models import (
    Category,
    ContactConsent,
    Report,
    ReportChannel,
    ReportSource,
    StaffProfile,
)
from gis_core.services import staff_report_create
from tests.ward_boundaries import geometry_cases as cases
from ward_boundaries.models import Ward

pytestmark = pytest.mark.django_db
POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
OWN_X, OWN_Y = POINTS["06709"]
URL = "/api/v1/staff/reports/"
MARKER = "ZZ-HOSTILE-VALUE-ZZ"
PHONE = "+84911222333"


def body(**extra) -> dict:
    return {
        "channel": "hotline",
        "category": "ha_tang",
        "description": "Gọi đường dây nóng: cống vỡ trước nhà",
        "lon": OWN_X,
        "lat": OWN_Y,
        **extra,
    }


@pytest.fixture
def users(mong_cai_wards) -> dict[str, User]:
    v2025 = mong_cai_wards["2025"]
    made = {"citizen": User.objects.create_user("+84900000000")}

    def staff(name: str, group: str, wards=()) -> None:
        user = User.objects.create_user(name, password="x")
        user.groups.add(Group.objects.get(name=group))
        profile = StaffProfile.objects.create(user=user)
        profile.wards.set(Ward.objects.filter(version=v2025, code__in=wards))
        made[name] = user

    staff("operator", "operator")
    staff("administrator", "administrator")
    staff("ward_own", "ward_officer", wards=["06709"])
    staff("ward_other", "ward_officer", wards=["06757"])
    staff("agency", "agency_officer")
    return made


def client_for(users, role: str) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        client.force_login(users[role])
    return client


def post(client, data) -> object:
    return client.post(URL, json.dumps(data), content_type="application/json")


# ------------------------------------------------------------------------ who may enter


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 403),
        ("citizen", 403),
        ("agency", 403),
        ("operator", 201),
        ("administrator", 201),
        ("ward_own", 201),
        ("ward_other", 400),  # the point lies outside their wards
    ],
)
def test_roles_allowed_and_refused(users, role, status):
    response = post(client_for(users, role), body())
    assert response.status_code == status, response.content
    stored = Report.objects.filter(channel="hotline")
    assert stored.count() == (1 if status == 201 else 0)
    if status == 400:
        errors = response.json()["errors"]
        assert set(errors) == {"lon", "lat"}
        assert "phụ trách" in errors["lon"][0]


def test_the_report_carries_channel_staff_member_and_consent(users):
    client = client_for(users, "operator")
    data = body(
        channel="walk_in",
        contact_name="Trần Thị Gọi",
        contact_phone="0911222333",
        consent_notice_version=settings.PRIVACY_NOTICE_VERSION,
    )
    response = post(client, data)
    assert response.status_code == 201, response.content
    props = response.json()["properties"]
    assert (props["channel"], props["entered_by"]) == ("walk_in", "operator")
    assert props["channel_label"] == "Trực tiếp"
    assert props["contact"]["phone"] == PHONE  # the operator sees what they typed
    report = Report.objects.get(public_id=props["id"])
    assert report.channel == ReportChannel.WALK_IN and report.source == ReportSource.STAFF
    assert report.entered_by == users["operator"] and report.reporter is None
    assert (report.contact_name, report.contact_phone) == ("Trần Thị Gọi", PHONE)
    assert report.ward.code == "06709" and report.status == "received"
    consent = ContactConsent.objects.get(report=report)
    assert (consent.channel, consent.notice_version) == ("staff", settings.PRIVACY_NOTICE_VERSION)
    # The staff API's detail says so too.
    detail = client.get(reverse("api:staff-report-detail", args=[report.public_id])).json()
    assert detail["properties"]["channel"] == "walk_in"


def test_contact_needs_the_notice_read_to_the_sender(users):
    response = post(client_for(users, "operator"), body(contact_phone="0911222333"))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"consent_notice_version"}
    assert not Report.objects.exists() and not ContactConsent.objects.exists()


@pytest.mark.parametrize("channel", ["app", "web", "open311", "", MARKER])
def test_only_staff_channels_are_entered_by_hand(users, channel):
    response = post(client_for(users, "operator"), body(channel=channel))
    assert response.status_code == 400
    assert "hotline" in response.json()["errors"]["channel"][0]
    assert MARKER not in response.content.decode()
    assert not Report.objects.exists()


def test_every_problem_at_once_with_report_submits_rules(users):
    """The channel, the description and the distance rule (a point 100 km out at sea) in
    one answer: the citizen's rules apply to staff entries as they are."""
    data = body(channel="fax", description="", lon=108.9, lat=20.9, category="khong_co")
    response = post(client_for(users, "operator"), data)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"channel", "description", "lon", "lat", "category"} <= set(errors)
    assert "km" in errors["lon"][0]
    assert not Report.objects.exists()


@pytest.mark.parametrize("field", ["channel", "description", "contact_phone"])
@pytest.mark.parametrize("value", [{"a": MARKER}, [MARKER], 12345, True], ids=repr)
def test_strict_types(users, field, value):
    response = post(client_for(users, "operator"), body(**{field: value}))
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert MARKER not in response.content.decode()
    assert not Report.objects.exists()


def test_arabic_digit_coordinates_are_refused(users):
    lon = str(OWN_X).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    response = post(client_for(users, "operator"), body(lon=lon))
    assert response.status_code == 400 and "lon" in response.json()["errors"]


def test_a_retry_with_the_same_key_stores_one_report(users):
    client = client_for(users, "operator")
    first = post(client, body(idempotency_key="form-1"))
    again = post(client, body(idempotency_key="form-1"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Report.objects.count() == 1
    changed = post(client, body(idempotency_key="form-1", description="Khác"))
    assert changed.status_code == 409


def test_the_service_for_the_mailbox(users):
    """What the e-mail command calls: channel email, no staff member, the sender's address."""
    submitted = staff_report_create(
        channel=ReportChannel.EMAIL,
        category="moi_truong",
        description="Rác thải ở chợ (thư điện tử)",
        lon=OWN_X,
        lat=OWN_Y,
        contact_email="dan@example.vn",
        consent_notice_version=settings.PRIVACY_NOTICE_VERSION,
        source=ReportSource.EMAIL,
        idempotency_key="<message-id@example.vn>",
        client="imap",
    )
    report = Report.objects.get(public_id=submitted.public_id)
    assert (report.channel, report.source, report.entered_by) == ("email", "email", None)
    assert report.contact_email == "dan@example.vn"


# ------------------------------------------------------------------------ the other channels


def test_app_and_web_map_reports_carry_their_channel(db, mong_cai_wards):
    client = APIClient()
    app = client.post("/api/v1/reports/", body(channel=None), format="json")
    web = client.post("/api/v1/reports/", {**body(), "source": "web"}, format="json")
    assert (app.status_code, web.status_code) == (201, 201)
    channels = dict(Report.objects.values_list("source", "channel"))
    assert channels == {"api": "app", "web": "web"}


# ------------------------------------------------------------------------ queue and league


def _report(channel: str, **extra) -> Report:
    return Report.objects.create(
        category=Category.objects.get(code="ha_tang"),
        description="Cống vỡ",
        location=Point(OWN_X, OWN_Y, srid=4326),
        channel=channel,
        **extra,
    )


def test_queue_filter_by_channel(users):
    hotline, _app = _report("hotline"), _report("app")
    client = client_for(users, "operator")
    listed = client.get(URL, {"channel": "hotline"}).json()["features"]
    assert [f["id"] for f in listed] == [str(hotline.public_id)]
    refused = client.get(URL, {"channel": MARKER})
    assert refused.status_code == 400 and "channel" in refused.json()["errors"]
    assert MARKER not in refused.content.decode()
    page = Client()
    page.force_login(users["operator"])
    html = page.get(reverse("web_map:staff-queue"), {"channel": "hotline"}).content.decode()
    assert f'data-report-id="{hotline.public_id}"' in html
    assert f'data-report-id="{_app.public_id}"' not in html


def test_league_by_channel():
    at = dt.datetime(2026, 10, 5, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    for channel, n in (("hotline", 3), ("app", 2), ("zalo", 1)):
        for i in range(n):
            done = {"status": "resolved", "resolved_at": at + dt.timedelta(hours=5)}
            _report(channel, reported_at=at, **(done if i == 0 else {}))
    rows = league_table(by="channel", since=dt.date(2026, 10, 1), until=dt.date(2026, 10, 31))
    found = {r.key: (r.name, r.received, r.resolved) for r in rows}
    assert found == {
        "hotline": ("Đường dây nóng", 3, 1),
        "app": ("Ứng dụng", 2, 1),
        "zalo": ("Zalo", 1, 1),
    }
    page = Client().get(reverse("web_map:league"), {"by": "channel"}).content.decode()
    assert "Kênh tiếp nhận" in page and "Đường dây nóng" in page


# ------------------------------------------------------------------------ the staff form


def test_the_staff_form_stores_and_shows_the_report(users):
    page = Client(enforce_csrf_checks=True)
    page.force_login(users["ward_own"])
    url = reverse("web_map:staff-report-new")
    form = page.get(url)
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html and 'value="zalo"' in html
    token = page.cookies[settings.CSRF_COOKIE_NAME].value
    data = {**body(channel="zalo"), "csrfmiddlewaretoken": token, "idempotency_key": "k1"}
    no_token = Client(enforce_csrf_checks=True)
    no_token.force_login(users["ward_own"])
    assert no_token.post(url, body(channel="zalo")).status_code == 403
    bad = page.post(url, {**data, "description": ""})
    assert bad.status_code == 400 and "Chưa lưu được" in bad.content.decode()
    assert 'data-error-for="description"' in bad.content.decode()
    assert not Report.objects.exists()
    done = page.post(url, data)
    assert done.status_code == 302
    report = Report.objects.get()
    assert (report.channel, report.entered_by) == ("zalo", users["ward_own"])
    assert done["Location"] == reverse("web_map:staff-report", args=[report.public_id])
    shown = page.get(done["Location"]).content.decode()
    assert "Zalo" in shown and "nhập bởi ward_own" in shown
    # The queue links to the form; an agency officer has neither the link nor the form.
    assert url in page.get(reverse("web_map:staff-queue")).content.decode()
    agency = Client()
    agency.force_login(users["agency"])
    assert url not in agency.get(reverse("web_map:staff-queue")).content.decode()
    assert agency.get(url).status_code == 403


def test_the_staff_form_records_the_callers_language(users):
    """A visitor who phoned in English is written to in English: the form asks, Vietnamese
    first and chosen by default, each language named in itself."""
    page = Client()
    page.force_login(users["ward_own"])
    url = reverse("web_map:staff-report-new")
    html = page.get(url).content.decode()
    assert '<select name="language">' in html
    assert '<option value="vi" lang="vi" selected>Tiếng Việt</option>' in html
    assert '<option value="zh-hans" lang="zh-hans">中文</option>' in html
    done = page.post(url, {**body(channel="hotline"), "idempotency_key": "k-en", "language": "en"})
    assert done.status_code == 302
    assert Report.objects.get().language == "en"
    bad = page.post(url, {**body(channel="hotline"), "idempotency_key": "k-x", "language": "fr"})
    assert bad.status_code == 400 and 'data-error-for="language"' in bad.content.decode()
    assert Report.objects.count() == 1
