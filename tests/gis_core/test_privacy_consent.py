"""Consent to the privacy notice (Law 91/2025/QH15): a report with contact data records the
notice version its sender agreed to, when and through which channel; without a version
the API refuses the contact data, and Open311 (which has no such field) records the current
one."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gis_core.models import Category, ContactConsent, Report
from open311.models import ApiKey
from tests.ward_boundaries import geometry_cases as cases

pytestmark = pytest.mark.django_db

POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
VERSION = "2026-01"  # config/settings/privacy.py's default


def submit(**fields):
    x, y = POINTS["06709"]
    body = {"category": "moi_truong", "description": "Rác ở chợ", "lon": x, "lat": y, **fields}
    return APIClient().post(reverse("api:report-list"), body, format="json")


def test_api_report_with_contact_records_version_time_and_channel(mong_cai_wards):
    before = timezone.now()
    response = submit(contact_phone="0912 345 678", consent_notice_version=VERSION)
    assert response.status_code == 201, response.content
    report = Report.objects.get(public_id=response.json()["id"])
    consent = ContactConsent.objects.get(report=report)
    assert consent.notice_version == VERSION and consent.channel == "app"
    assert before <= consent.given_at <= timezone.now()


def test_the_web_map_records_the_web_channel(mong_cai_wards):
    response = submit(contact_email="dan@example.vn", consent_notice_version=VERSION, source="web")
    assert response.status_code == 201, response.content
    assert ContactConsent.objects.get().channel == "web"


@pytest.mark.parametrize(
    "contact",
    [{"contact_phone": "0912345678"}, {"contact_name": "Người Gửi"}, {"contact": "a@b.vn"}],
)
def test_contact_without_a_consent_version_is_refused_and_nothing_stored(mong_cai_wards, contact):
    response = submit(**contact)
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == ["consent_notice_version"]
    assert VERSION in body["errors"]["consent_notice_version"][0]  # says which one to show
    assert Report.objects.count() == 0 and ContactConsent.objects.count() == 0


def test_an_unknown_version_is_refused_without_echoing_it(mong_cai_wards):
    response = submit(contact_phone="0912345678", consent_notice_version="v-made-up-77")
    assert response.status_code == 400
    assert "consent_notice_version" in response.json()["errors"]
    assert "v-made-up-77" not in response.content.decode()
    assert Report.objects.count() == 0


def test_an_earlier_version_still_accepted_is_recorded_as_sent(mong_cai_wards, settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-07"
    settings.PRIVACY_NOTICE_ACCEPTED_VERSIONS = ("2026-01",)
    assert submit(contact_phone="0912345678", consent_notice_version="2026-01").status_code == 201
    assert ContactConsent.objects.get().notice_version == "2026-01"
    refused = submit(contact_phone="0912345679", consent_notice_version="2025-12")
    assert refused.status_code == 400


def test_no_contact_needs_no_consent_and_records_none(mong_cai_wards):
    assert submit().status_code == 201
    assert submit(consent_notice_version=VERSION).status_code == 201
    assert Report.objects.count() == 2 and ContactConsent.objects.count() == 0


def test_open311_reports_record_the_current_version(mong_cai_wards, settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-03"
    x, y = POINTS["06709"]
    fields = {
        "api_key": ApiKey.issue("consent")[1],
        "service_code": "moi_truong",
        "description": "Đèn đường hỏng",
        "lat": y,
        "long": x,
        "phone": "0912345678",
        "first_name": "Lan",
    }
    response = APIClient().post(
        "/open311/v2/requests.json",
        urlencode(fields),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 201, response.content
    consent = ContactConsent.objects.get()
    assert consent.channel == "open311" and consent.notice_version == "2026-03"


def test_the_notice_endpoint_gives_version_text_and_field(db, settings):
    settings.RETENTION_MONTHS = 18
    body = APIClient().get(reverse("api:privacy-notice")).json()
    assert body["version"] == VERSION and body["field"] == "consent_notice_version"
    assert body["accepted_versions"] == [VERSION]
    assert "18 tháng" in body["text"]  # the retention period, from its setting


def test_an_operators_own_text_and_version_replace_the_default(db, settings):
    settings.PRIVACY_NOTICE_VERSION = "city-2"
    settings.PRIVACY_NOTICE_TEXT = "Thông báo riêng của thành phố: 100% bảo mật."
    body = APIClient().get(reverse("api:privacy-notice")).json()
    assert body == {
        "version": "city-2",
        "text": "Thông báo riêng của thành phố: 100% bảo mật.",
        "accepted_versions": ["city-2"],
        "field": "consent_notice_version",
    }


def test_the_map_page_shows_the_notice_and_a_consent_box_beside_the_phone(db):
    html = APIClient().get(reverse("web_map:index")).content.decode()
    phone = html.index('id="f-phone"')
    notice = html.index('id="privacy-notice"')
    box = html.index('id="f-consent"')
    assert phone < notice < box
    assert 'name="consent_notice_version" type="checkbox" value="2026-01"' in html
    assert "24 tháng" in html[notice:box]


def test_contact_typed_in_the_admin_records_staff_entry(mong_cai_wards):
    client = APIClient()
    client.force_login(User.objects.create_superuser("admin", "admin@example.vn", "pw"))
    x, y = POINTS["06733"]
    response = client.post(
        "/admin/gis_core/report/add/",
        {
            "category": Category.objects.get(code="khac").pk,
            "description": "Người dân gọi điện báo",
            "location": f"SRID=4326;POINT({x} {y})",
            "status": "received",
            "source": "admin",
            "channel": "hotline",
            "reported_at_0": "2026-01-05",
            "reported_at_1": "09:00:00",
            "contact_phone": "0912345678",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = Report.objects.get()
    consent = ContactConsent.objects.get(report=report)
    assert consent.channel == "staff" and consent.notice_version == VERSION
    assert (report.channel, report.entered_by.username) == ("hotline", "admin")
