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
    html = page.content.decode()
    assert page.status_code == 200 and 'name="code"' in html
    # Where the code went (masked), how long it lasts, resend and change number.
    assert "tới số <strong>0912 *** 678</strong>; mã có hiệu lực 5 phút." in html
    assert 'id="resend"' in html and 'id="change-phone"' in html
    wrong = client.post(reverse("web_map:sign-in"), {"phone": "0912 345 678", "code": "x"})
    assert wrong.status_code == 400 and "Mã không đúng; còn 4 lần thử" in wrong.content.decode()
    assert 'name="code"' in wrong.content.decode()  # still on the code step
    done = client.post(
        reverse("web_map:sign-in"), {"phone": "0912 345 678", "code": code_from_sms()}
    )
    assert done.status_code == 302 and "claimed=1" in done["Location"]

    mine = client.get(done["Location"]).content.decode()
    assert "Đã gắn 1 phản ánh" in mine and "Không phải của tôi" not in mine
    assert "Rác &lt;b&gt;đống&lt;/b&gt;" in mine and "Đã thu gom." in mine
    report.refresh_from_db()
    assert f'href="/phan-anh/{report.reference}/"' in mine  # the reference, linked
    assert "Quá trình xử lý" in mine
    rated = client.post(reverse("web_map:rate", args=[report.public_id]), {"value": "satisfied"})
    assert rated.status_code == 302
    assert "Bạn đã đánh giá: Hài lòng" in client.get(reverse("web_map:my-reports")).content.decode()
    again = client.post(reverse("web_map:rate", args=[report.public_id]), {"value": "acceptable"})
    assert again.status_code == 409 and "Phản ánh này đã được đánh giá." in again.content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("web_map:my-reports")).content.decode()
    assert '<html lang="en">' in english and "My reports" in english
    assert "You rated it: Satisfied" in english


def test_bad_phone_is_shown_and_no_sms_sent():
    sms.outbox.clear()
    page = Client().post(reverse("web_map:sign-in"), {"phone": "123"})
    assert page.status_code == 400
    assert "Đây không phải số điện thoại Việt Nam" in page.content.decode()
    assert sms.outbox == []


def test_resend_waits_and_is_refused_with_the_time_left(settings):
    settings.LOGIN_CODE_RESEND_SECONDS = 60
    sms.outbox.clear()
    client = Client()
    first = client.post(reverse("web_map:sign-in"), {"phone": "0912 345 678"})
    assert 'data-wait="60"' in first.content.decode()
    again = client.post(reverse("web_map:sign-in"), {"phone": "0912 345 678", "resend": "1"})
    html = again.content.decode()
    assert again.status_code == 429 and "Mã vừa được gửi; hãy đợi" in html
    assert 'name="code"' in html  # the citizen stays on the code step
    assert len(sms.outbox) == 1
