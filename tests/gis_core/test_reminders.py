"""send_reminders: due-soon and overdue e-mails, each sent once per due time."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.gis.geos import Point
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from gis_core.models import Category, Report

pytestmark = pytest.mark.django_db


def assigned(city_agency, due_in_hours: float, status: str = "assigned") -> Report:
    now = timezone.now()
    return Report.objects.create(
        category=Category.objects.get(code="ha_tang"),
        description="Đèn đường hỏng",
        location=Point(107.9653, 21.5338, srid=4326),
        status=status,
        agency=city_agency,
        assigned_at=now - dt.timedelta(days=1),
        due_at=now + dt.timedelta(hours=due_in_hours),
    )


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_due_soon_and_overdue_once_each(settings, city_agency):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    soon = assigned(city_agency, 2)
    late = assigned(city_agency, -3, status="in_progress")
    assigned(city_agency, 48)  # not yet
    resolved = assigned(city_agency, -10, status="resolved")

    assert "dry run: would send 1 due-soon and 1 overdue" in run("--dry-run")
    assert mail.outbox == []
    assert "sent 1 due-soon and 1 overdue reminders." in run()
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects[0].startswith("[Quá hạn]") and str(late.public_id) in subjects[0]
    assert subjects[1].startswith("[Sắp đến hạn]") and str(soon.public_id) in subjects[1]
    assert all(m.to == ["ioc@example.vn"] for m in mail.outbox)
    assert str(resolved.public_id) not in " ".join(subjects)

    assert "sent 0 due-soon and 0 overdue" in run()  # nothing twice
    assert len(mail.outbox) == 2


def test_reminders_are_written_in_the_citys_language(settings, city_agency):
    """Agencies are written to in Vietnamese, even from a process whose language is English."""
    from django.utils import translation

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    late = assigned(city_agency, -3, status="in_progress")
    with translation.override("en"):
        run()
    [message] = mail.outbox
    assert message.subject.startswith(f"[Quá hạn] Phản ánh {late.public_id} đã quá hạn xử lý")
    assert f"{late.category.name_vi} tại " in message.body
    assert "Trạng thái: Đang xử lý" in message.body and "Hạn xử lý: " in message.body


def test_overdue_is_flagged_in_public_lists(city_agency):
    late = assigned(city_agency, -1)
    body = APIClient().get(reverse("api:report-list")).json()
    props = {f["id"]: f["properties"] for f in body["features"]}[str(late.public_id)]
    assert props["overdue"] is True and props["agency"]["code"] == "ioc"
    assert props["due_at"] is not None
