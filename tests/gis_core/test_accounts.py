"""Phone sign-in with one-time codes: expiry, single use, limits, lockout, claiming reports."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gis_core import sms
from gis_core.models import Category, PhoneLoginCode, Report

pytestmark = pytest.mark.django_db
PHONE = "0912 345 678"


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.outbox.clear()


def last_code() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1][1]).group(1)


def ask(client, phone=PHONE):
    return client.post(reverse("api:auth-code"), {"phone": phone}, format="json")


def sign_in(client, code, phone=PHONE, **headers):
    return client.post(
        reverse("api:auth-login"), {"phone": phone, "code": code}, format="json", **headers
    )


def test_code_by_sms_signs_in_and_claims_anonymous_reports():
    client = APIClient()
    category = Category.objects.get(code="khac")
    for phone in ("+84912345678", "+84999999999"):
        Report.objects.create(
            category=category, description="x", location=Point(107.96, 21.53, srid=4326),
            contact_phone=phone,
        )  # fmt: skip
    assert ask(client).status_code == 202
    assert sms.outbox[-1][0] == "+84912345678"
    response = sign_in(client, last_code())
    assert response.status_code == 200
    assert response.json() == {"phone": "+84912345678", "claimed_reports": 1}
    mine = client.get(reverse("api:my-reports")).json()["features"]
    assert len(mine) == 1
    # A report sent while signed in is recorded as theirs.
    created = client.post(
        reverse("api:report-list"),
        {"category": "khac", "description": "y", "lon": 107.96, "lat": 21.53},
        format="json",
    )
    assert created.status_code == 201
    assert len(client.get(reverse("api:my-reports")).json()["features"]) == 2
    assert APIClient().get(reverse("api:my-reports")).status_code == 403


def test_codes_are_single_use_and_expire():
    client = APIClient()
    ask(client)
    code = last_code()
    assert sign_in(client, code).status_code == 200
    again = sign_in(APIClient(), code)
    assert again.json()["errors"]["code"] == ["Số này không có mã còn hiệu lực: hãy xin mã mới."]
    ask(client)
    PhoneLoginCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert sign_in(APIClient(), last_code()).status_code == 400


def test_wrong_guesses_void_the_code_and_lock_the_phone(settings):
    client = APIClient()
    ask(client)
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    messages = [sign_in(client, wrong).json()["errors"]["code"][0] for _ in range(5)]
    assert messages[0] == "Mã không đúng; còn 4 lần thử cho mã này."
    english = sign_in(client, wrong, HTTP_ACCEPT_LANGUAGE="en").json()["errors"]["code"][0]
    assert english == "No valid code for this phone: ask for a new one."
    assert sign_in(client, code).status_code == 400  # void after 5 wrong guesses
    settings.LOGIN_CODES_PER_PHONE = (100, 900)
    ask(client)
    for _ in range(5):
        sign_in(client, wrong)
    locked = ask(client)
    assert locked.status_code == 429 and "bị khoá một giờ" in locked.json()["detail"]


def test_code_requests_are_rate_limited_per_phone_and_address():
    client = APIClient()
    assert [ask(client).status_code for _ in range(4)] == [202, 202, 202, 429]
    limited = ask(client)
    assert int(limited["Retry-After"]) > 0
    for i in range(7):
        ask(client, phone=f"09123400{i:02d}")
    assert ask(client, phone="0987000000").status_code == 429  # 10 per address per hour


def test_bad_phone_is_a_clear_error_and_sends_nothing():
    response = ask(APIClient(), phone="12345")
    assert (
        response.status_code == 400
        and "không phải số điện thoại Việt Nam" in response.json()["errors"]["phone"][0]
    )
    assert sms.outbox == []


def test_anonymous_reports_can_be_switched_off(settings):
    settings.ALLOW_ANONYMOUS_REPORTS = False
    response = APIClient().post(
        reverse("api:report-list"),
        {"category": "khac", "description": "y", "lon": 107.96, "lat": 21.53},
        format="json",
    )
    assert response.status_code == 403 and Report.objects.count() == 0


def test_a_new_code_waits_a_minute_and_the_sms_names_the_service(settings):
    settings.LOGIN_CODE_RESEND_SECONDS = 60
    client = APIClient()
    assert ask(client).status_code == 202
    text = sms.outbox[-1][1]
    assert re.fullmatch(
        r"Hiện Trường Móng Cái: mã đăng nhập \d{6}, hiệu lực 5 phút\. "
        r"Không đưa mã này cho người khác\.",
        text,
    )
    again = ask(client)
    assert again.status_code == 429 and 50 <= int(again["Retry-After"]) <= 61
    assert again.json()["detail"].startswith("Mã vừa được gửi; hãy đợi ")
    PhoneLoginCode.objects.update(created_at=timezone.now() - dt.timedelta(seconds=61))
    assert ask(client).status_code == 202
    settings.SMS_UNICODE = "0"  # a GSM-7 gateway: no diacritics
    PhoneLoginCode.objects.update(created_at=timezone.now() - dt.timedelta(seconds=61))
    ask(client)
    assert sms.outbox[-1][1].startswith("Hien Truong Mong Cai: ma dang nhap ")
