"""A citizen is written to in the language they reported in (issue 12): the request's
language is stored on the report (Report.language) by every submission path, and the
receipt and each status message (SMS and e-mail) are composed in it, whoever changes the
status and in whatever language they work.

The Chinese tests need the zh_Hans catalogs (merged by the lead); the English ones use the
committed English catalog.
"""

from __future__ import annotations

import logging
import re
from email.message import EmailMessage

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from gis_core import sms
from gis_core.email_intake import handle_raw
from gis_core.languages import category_name, report_language
from gis_core.models import Category, Report, StaffRole
from gis_core.reporter_messages import SMS_MAX_UNICODE, as_sms
from gis_core.services import staff_report_create
from gis_core.tasks import send_receipt
from tests.ward_boundaries import geometry_cases as cases

pytestmark = pytest.mark.django_db
POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")
PHONE = "0912 345 678"
EMAIL = "khach@example.com"
CJK = re.compile(r"[\u4e00-\u9fff]")
# Letters only Vietnamese uses (among vi, en and zh): a Chinese text without its template
# words has none of them once the Vietnamese proper names are taken out.
VIETNAMESE_LETTERS = re.compile(
    r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.IGNORECASE
)
PROPER_NAMES = ("Hiện Trường", "Móng Cái")


def link(ref: str) -> str:
    return f"http://127.0.0.1:8000/phan-anh/{ref}/"


def submit(headers: dict | None = None, **overrides) -> Report:
    x, y = POINTS["06709"]
    body = {
        "category": "moi_truong",
        "description": "Rác ở chợ",
        "lon": x,
        "lat": y,
        "contact_phone": PHONE,
        "contact_email": EMAIL,
        "consent_notice_version": settings.PRIVACY_NOTICE_VERSION,
        **overrides,
    }
    answer = APIClient().post(reverse("api:report-list"), body, format="json", **(headers or {}))
    assert answer.status_code == 201, answer.content
    return Report.objects.select_related("category").get(public_id=answer.json()["id"])


def receipt(report: Report) -> tuple[str, mail.EmailMessage]:
    """The receipt SMS text and e-mail, as the worker's task sends them."""
    sms.outbox.clear()
    mail.outbox.clear()
    send_receipt(report_id=report.pk)
    assert [phone for phone, _text in sms.outbox] == ["+84912345678"]
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    return sms.outbox[0][1], mail.outbox[0]


def assert_chinese(text: str) -> None:
    for name in PROPER_NAMES:
        text = text.replace(name, "")
    assert CJK.search(text), text
    assert not VIETNAMESE_LETTERS.search(text), text


@pytest.mark.parametrize(
    ("headers", "stored"),
    [
        ({}, "vi"),
        ({"HTTP_ACCEPT_LANGUAGE": "vi"}, "vi"),
        ({"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}, "en"),
        ({"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}, "zh-hans"),
        ({"HTTP_ACCEPT_LANGUAGE": "zh-Hans"}, "zh-hans"),
        ({"HTTP_ACCEPT_LANGUAGE": "fr-FR"}, "vi"),  # not one of ours: the city's own
    ],
)
def test_the_request_language_is_stored_on_the_report(mong_cai_wards, headers, stored):
    assert submit(headers).language == stored


def test_the_language_cookie_wins_over_the_header(mong_cai_wards):
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    x, y = POINTS["06709"]
    answer = client.post(
        reverse("api:report-list"),
        {"category": "moi_truong", "description": "Rác", "lon": x, "lat": y},
        format="json",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert Report.objects.get(public_id=answer.json()["id"]).language == "en"


def test_a_multipart_submission_stores_its_language(mong_cai_wards):
    x, y = POINTS["06709"]
    answer = APIClient().post(
        reverse("api:report-list"),
        {"category": "moi_truong", "description": "Rác", "lon": str(x), "lat": str(y)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 201, answer.content
    assert Report.objects.get(public_id=answer.json()["id"]).language == "en"


def test_the_receipt_is_vietnamese_by_default(mong_cai_wards):
    report = submit()
    text, email = receipt(report)
    ref = report.reference
    assert text == (
        f"Hiện Trường Móng Cái: đã nhận phản ánh {ref} (Môi trường). Theo dõi tại: {link(ref)}"
    )
    assert email.subject == f"Đã nhận phản ánh {ref}"
    assert email.body == text


def test_the_receipt_is_english_for_an_english_reporter(mong_cai_wards):
    report = submit({"HTTP_ACCEPT_LANGUAGE": "en"})
    text, email = receipt(report)
    ref = report.reference
    expected = (
        f"Hiện Trường Móng Cái: report {ref} (Environment) received. Follow it at: {link(ref)}"
    )
    assert text == expected
    assert email.subject == f"Report {ref} received"
    assert email.body == expected


def test_an_english_receipt_through_a_gsm_gateway_loses_only_the_diacritics(
    mong_cai_wards, settings
):
    settings.SMS_UNICODE = "0"
    report = submit({"HTTP_ACCEPT_LANGUAGE": "en"})
    text, email = receipt(report)
    ref = report.reference
    assert (
        text
        == f"Hien Truong Mong Cai: report {ref} (Environment) received. Follow it at: {link(ref)}"
    )
    assert email.body.startswith("Hiện Trường Móng Cái: report")  # e-mail keeps them


def test_the_receipt_is_chinese_for_a_chinese_reporter(mong_cai_wards):
    """Needs the zh_Hans catalog."""
    report = submit({"HTTP_ACCEPT_LANGUAGE": "zh-CN"})
    text, email = receipt(report)
    ref = report.reference
    assert ref in text and text.endswith(f" {link(ref)}")
    assert category_name(report.category, "zh-hans") in text
    assert_chinese(text.removesuffix(link(ref)))
    assert_chinese(email.subject)
    assert email.body == text


def test_a_chinese_sms_without_unicode_is_vietnamese_unaccented_and_logged(
    mong_cai_wards, settings, caplog
):
    settings.SMS_UNICODE = "0"
    report = submit({"HTTP_ACCEPT_LANGUAGE": "zh-CN"})
    with caplog.at_level(logging.WARNING, logger="gis_core.notifications"):
        text, _email = receipt(report)
    ref = report.reference
    assert text == (
        f"Hien Truong Mong Cai: da nhan phan anh {ref} (Moi truong). Theo doi tai: {link(ref)}"
    )
    assert any(
        "needs Unicode" in r.getMessage() and str(report.pk) in r.getMessage()
        for r in caplog.records
    )


@pytest.fixture
def operator(db) -> User:
    user = User.objects.create_user("dieu-hanh", password="x", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=StaffRole.OPERATOR)[0])
    return user


def verify_as(user: User, report: Report, capture) -> object:
    """The operator verifies the report from a Vietnamese page (their own language)."""
    client = APIClient()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    sms.outbox.clear()
    mail.outbox.clear()
    with capture(execute=True):  # the message goes once the change commits
        answer = client.post(
            reverse("api:staff-report-transition", args=[report.public_id]),
            {
                "from_status": "received",
                "to_status": "verified",
                "note": "Đúng hiện trường",
                "public_note": "Đã kiểm tra",
            },
            format="json",
        )
    assert answer.status_code == 200, answer.content
    return answer


def test_a_status_change_reaches_an_english_reporter_in_english(
    mong_cai_wards, city_agency, operator, django_capture_on_commit_callbacks
):
    report = submit({"HTTP_ACCEPT_LANGUAGE": "en"})
    answer = verify_as(operator, report, django_capture_on_commit_callbacks)
    assert answer["Content-Language"] == "vi"  # the operator's own answer stays Vietnamese
    ref = report.reference
    expected = f"Hiện Trường Móng Cái: report {ref}: Verified. Đã kiểm tra. See: {link(ref)}"
    assert [text for _phone, text in sms.outbox] == [expected]
    assert [(m.subject, m.body) for m in mail.outbox] == [(f"Report {ref}: Verified", expected)]


def test_a_status_change_reaches_a_vietnamese_reporter_in_vietnamese(
    mong_cai_wards, city_agency, operator, django_capture_on_commit_callbacks
):
    report = submit()
    verify_as(operator, report, django_capture_on_commit_callbacks)
    ref = report.reference
    assert [text for _phone, text in sms.outbox] == [
        f"Hiện Trường Móng Cái: phản ánh {ref}: Đã xác minh. Đã kiểm tra. Xem: {link(ref)}"
    ]


def test_a_status_change_reaches_a_chinese_reporter_in_chinese(
    mong_cai_wards, city_agency, operator, django_capture_on_commit_callbacks
):
    """Needs the zh_Hans catalog."""
    report = submit({"HTTP_ACCEPT_LANGUAGE": "zh-CN"})
    verify_as(operator, report, django_capture_on_commit_callbacks)
    ref = report.reference
    [(_phone, text)] = sms.outbox
    assert ref in text and text.endswith(f" {link(ref)}")
    assert_chinese(text.removesuffix(link(ref)).replace("Đã kiểm tra", ""))
    assert_chinese(mail.outbox[0].subject)


def test_the_sign_in_code_comes_in_the_language_of_the_page(db):
    sms.outbox.clear()
    answer = APIClient().post(
        reverse("api:auth-code"), {"phone": PHONE}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer.status_code < 300, answer.content
    [(_phone, text)] = sms.outbox
    assert text.startswith("Hiện Trường Móng Cái: sign-in code ")


# --- the other ways in ---------------------------------------------------------------------


def staff_entry(**extra):
    x, y = POINTS["06709"]
    return staff_report_create(
        channel="hotline",
        category="moi_truong",
        description="Gọi đường dây nóng: rác ở chợ",
        lon=x,
        lat=y,
        **extra,
    )


def test_staff_entries_are_vietnamese_unless_the_form_says(mong_cai_wards, operator):
    with translation.override("en"):  # the staff member's own page language does not count
        default = staff_entry()
        english = staff_entry(language="en")
    assert Report.objects.get(public_id=default.public_id).language == "vi"
    assert Report.objects.get(public_id=english.public_id).language == "en"
    client = APIClient()
    client.force_login(operator)
    x, y = POINTS["06709"]
    body = {"channel": "hotline", "category": "moi_truong", "description": "Cống vỡ"}
    made = client.post(
        "/api/v1/staff/reports/", {**body, "lon": x, "lat": y, "language": "zh-hans"}
    )
    assert made.status_code == 201, made.content
    assert Report.objects.get(public_id=made.json()["id"]).language == "zh-hans"
    bad = client.post(
        "/api/v1/staff/reports/", {**body, "lon": x, "lat": y, "language": "<b>klingon</b>"}
    )
    assert bad.status_code == 400
    [message] = bad.json()["errors"]["language"]
    assert "vi, en, zh-hans" in message and "klingon" not in message


def test_an_emailed_report_is_vietnamese(mong_cai_wards):
    msg = EmailMessage()
    msg["From"] = "A <nguoi.dan@example.vn>"
    msg["To"] = "phananh@mongcai.gov.vn"
    msg["Subject"] = "Rác ở chợ"
    msg["Message-ID"] = "<lang-1@example.vn>"
    msg.set_content("Rác ở chợ, toạ độ 21.5338, 107.9653")
    with translation.override("en"):
        handled = handle_raw("1", msg.as_bytes())
    assert handled.outcome == "stored", handled
    assert Report.objects.get().language == "vi"


def test_rows_that_do_not_name_the_language_are_vietnamese(mong_cai_wards):
    """The bulk importer's COPY and the admin do not name the column: the database's default."""
    category = Category.objects.get(code="moi_truong")
    orm = Report.objects.create(
        category=category, description="Nhập", location=Point(107.9653, 21.5338, srid=4326)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO gis_core_report (category_id, description, location) "
            "VALUES (%s, 'COPY', ST_SetSRID(ST_MakePoint(107.9653, 21.5338), 4326)) "
            "RETURNING language",
            [category.pk],
        )
        (raw_language,) = cursor.fetchone()
    assert (orm.language, raw_language) == ("vi", "vi")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("en-GB", "en"),
        ("zh-cn", "zh-hans"),
        ("zh", "zh-hans"),
        ("", "vi"),
        (None, "vi"),
        ("xx", "vi"),
    ],
)
def test_report_language_normalises(given, expected):
    assert report_language(given) == expected


def test_a_long_chinese_sms_keeps_its_first_sentence_and_the_link():
    colon = "\uff1a"  # the full-width colon Chinese text uses
    url = link("MC-2612-0042")
    first = f"Hiện Trường Móng Cái{colon}反映 MC-2612-0042{colon}已处理。"
    answer = "已清理垃圾并增设垃圾桶。" * 40
    shortened = as_sms(f"{first}答复{colon}{answer} 查看{colon} {url}", unicode=True)
    assert len(shortened) <= SMS_MAX_UNICODE
    assert shortened.startswith(f"{first}答复{colon}已清理")
    assert shortened.endswith(f"… {url}")
