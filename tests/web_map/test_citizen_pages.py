"""A citizen signs in on the web with a phone and an SMS code, sees their reports (the
anonymous ones claimed), and rates a resolved one once."""

from __future__ import annotations

import re

import pytest
from django.contrib.gis.geos import Point
from django.test import Client
from django.urls import reverse

from gis_core import sms
from gis_core.models import Category, Report

pytestmark = pytest.mark.django_db


def code_from_sms() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1][1]).group(1)


def test_sign_in_my_reports_and_rating():
    sms.outbox.clear()
    category = Category.objects.get(code="moi_truong")
    report = Report.objects.create(
        category=category, description="Rác <b>đống</b>", location=Point(107.96, 21.53, srid=4326),
        contact_phone="+84912345678", status="resolved", answer="Đã thu gom.",
    )  # fmt: skip
    Report.objects.create(
        category=category, description="Không phải của tôi",
        location=Point(107.96, 21.53, srid=4326), contact_phone="+84900000009",
    )  # fmt: skip
    client = Client()
    assert client.get(reverse("web_map:my-reports")).status_code == 302  # sign in first

    page = client.post(reverse("web_map:sign-in"), {"phone": "0912 345 678"})
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    wrong = client.post(reverse("web_map:sign-in"), {"phone": "0912 345 678", "code": "x"})
    assert wrong.status_code == 400 and "Wrong code" in wrong.content.decode()
    done = client.post(
        reverse("web_map:sign-in"), {"phone": "0912 345 678", "code": code_from_sms()}
    )
    assert done.status_code == 302 and "claimed=1" in done["Location"]

    mine = client.get(done["Location"]).content.decode()
    assert "Đã gắn 1 phản ánh" in mine and "Không phải của tôi" not in mine
    assert "Rác &lt;b&gt;đống&lt;/b&gt;" in mine and "Đã thu gom." in mine
    rated = client.post(reverse("web_map:rate", args=[report.public_id]), {"value": "satisfied"})
    assert rated.status_code == 302
    assert "Bạn đã đánh giá: Hài lòng" in client.get(reverse("web_map:my-reports")).content.decode()
    again = client.post(reverse("web_map:rate", args=[report.public_id]), {"value": "acceptable"})
    assert again.status_code == 409 and "already been rated" in again.content.decode()


def test_bad_phone_is_shown_and_no_sms_sent():
    sms.outbox.clear()
    page = Client().post(reverse("web_map:sign-in"), {"phone": "123"})
    assert page.status_code == 400 and "not a Vietnamese phone number" in page.content.decode()
    assert sms.outbox == []
