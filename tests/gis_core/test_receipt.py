"""On receipt the reporter gets the reference and the link: the message is queued in the
report's own transaction (stored iff the report is) and sent by the real worker."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from gis_core import sms
from gis_core.models import Report
from gis_core.reporter_messages import SMS_MAX_ASCII, SMS_MAX_UNICODE, as_sms, unaccent
from gis_core.tasks import send_receipt
from tests.gis_core.worker import procrastinate_worker, sms_files, wait_for  # noqa: F401
from tests.ward_boundaries import geometry_cases as cases

POINTS = cases.interior_points("mong_cai_wards_2025_derived.geojson")


def submit(**overrides):
    x, y = POINTS["06709"]
    body = {"category": "moi_truong", "description": "Rác ở chợ", "lon": x, "lat": y}
    body["consent_notice_version"] = settings.PRIVACY_NOTICE_VERSION  # used if contact is given
    body.update(overrides)
    return APIClient().post(reverse("api:report-list"), body, format="json")


def receipt_jobs() -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT args FROM procrastinate_jobs WHERE task_name = 'gis_core.send_receipt'"
        )
        return [json.loads(a) if isinstance(a, str) else a for (a,) in cursor.fetchall()]


@pytest.mark.django_db
def test_a_receipt_is_queued_with_the_report_only_when_there_is_a_contact(mong_cai_wards):
    submit()
    assert receipt_jobs() == []
    created = submit(contact_phone="0912 345 678").json()
    report = Report.objects.get(public_id=created["id"])
    assert receipt_jobs() == [{"report_id": report.pk}]
    # The task itself (what the worker runs): reference, category and the link.
    sms.outbox.clear()
    send_receipt(report_id=report.pk)
    ref = created["properties"]["reference"]
    assert sms.outbox == [
        (
            "+84912345678",
            f"Hiện Trường Móng Cái: đã nhận phản ánh {ref} (Môi trường). "
            f"Theo dõi tại: http://127.0.0.1:8000/phan-anh/{ref}/",
        )
    ]


@pytest.mark.django_db
def test_a_refused_report_queues_nothing(mong_cai_wards):
    assert submit(contact_phone="0912 345 678", lat=95).status_code == 400
    assert receipt_jobs() == []


def test_sms_keep_the_link_whole_and_fit_the_gateway():
    link = "http://127.0.0.1:8000/phan-anh/MC-2612-0042/"
    answer = "Đã dọn sạch rác và đặt thêm thùng rác. " * 30
    text = f"Hiện Trường Móng Cái: phản ánh MC-2612-0042: Đã xử lý. Trả lời: {answer} Xem: {link}"
    unicode = as_sms(text, unicode=True)
    assert len(unicode) <= SMS_MAX_UNICODE and unicode.endswith(f"… {link}")
    assert unicode.startswith("Hiện Trường Móng Cái: phản ánh MC-2612-0042: Đã xử lý. Trả lời:")
    ascii_only = as_sms(text, unicode=False)
    assert len(ascii_only) <= SMS_MAX_ASCII and ascii_only.endswith(link)
    assert ascii_only.isascii() and ascii_only.startswith("Hien Truong Mong Cai: phan anh MC-")
    assert unaccent("Đường Hữu Nghị, phường Trà Cổ") == "Duong Huu Nghi, phuong Tra Co"


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_receipt(mong_cai_wards, seed_categories, sms_files, request):  # noqa: F811
    worker = request.getfixturevalue("procrastinate_worker")  # after sms_files set the env
    created = submit(contact_phone="0912 345 678").json()
    ref = created["properties"]["reference"]
    files = wait_for(lambda: list(sms_files.glob("*.txt")), timeout=30, what="the receipt SMS")
    text = files[0].read_text(encoding="utf-8")
    assert text.startswith("To: +84912345678\n\n"), worker.output()
    assert f"đã nhận phản ánh {ref} (Môi trường)" in text
    assert f"http://127.0.0.1:8000/phan-anh/{ref}/" in text
