"""The tourism office's alert: a place reaching TOURISM_PLACE_ALERT_REPORTS counted reports
within 30 days is e-mailed once, not again for 30 days; old, rejected and merged reports do
not count; the mail names no reporter."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from layers.models import PlaceAlert
from layers.places.alerts import notify_place_alerts
from tests.gis_core.worker import (  # noqa: F401
    defer_periodic_now,
    mail_files,
    procrastinate_worker,
    wait_for,
)
from tests.layers.place_reports import REPORTER, link_report, make_place

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db) -> list[User]:
    tourism = Group.objects.get_or_create(name="tourism")[0]
    people = []
    for name, email, active in (
        ("du-lich-1", "dulich1@example.vn", True),
        ("du-lich-2", "dulich2@example.vn", True),
        ("du-lich-nghi", "nghi@example.vn", False),
        ("du-lich-khong-thu", "", True),
    ):
        user = User.objects.create_user(name, email=email, is_active=active)
        user.groups.add(tourism)
        people.append(user)
    operator = User.objects.create_user("dieu-hanh", email="ioc@example.vn")
    operator.groups.add(Group.objects.get_or_create(name="operator")[0])
    return people


@override_settings(TOURISM_PLACE_ALERT_REPORTS=3)
def test_crossing_the_threshold_sends_one_mail_and_not_again_for_30_days(office):
    now = timezone.now()
    hotel = make_place("Khách sạn Biển Trà Cổ")
    quiet = make_place("Chợ Móng Cái", kind="market")
    link_report(quiet, days_ago=1)
    for days in (1, 5):
        link_report(hotel, days_ago=days)
    assert notify_place_alerts(now=now).sent == 0 and not mail.outbox
    link_report(hotel, days_ago=0.1, category="du_lich_chat_chem")
    tally = notify_place_alerts(now=now)
    assert tally.sent == 1 and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["dulich1@example.vn", "dulich2@example.vn"]
    assert "Khách sạn Biển Trà Cổ" in message.subject and "3 phản ánh" in message.subject
    url = reverse("web_map:staff-place-history", args=[hotel.public_id])
    assert url in message.body and "30 ngày" in message.body
    for value in (*REPORTER.values(), "Phản ánh của du khách"):
        assert value not in message.subject and value not in message.body
    alert = PlaceAlert.objects.get(place=hotel)
    assert alert.report_count == 3 and alert.last_sent_at == now
    # More reports the same month: no second mail, now or 29 days on.
    link_report(hotel, days_ago=0)
    assert notify_place_alerts(now=now + dt.timedelta(hours=1)).sent == 0
    for days in (10, 20, 25):
        link_report(hotel, days_ago=-days, now=now)
    assert notify_place_alerts(now=now + dt.timedelta(days=29)).sent == 0
    assert len(mail.outbox) == 1
    # After 30 days, with 3 reports again inside the new window: a second alert.
    later = now + dt.timedelta(days=30, hours=1)
    assert notify_place_alerts(now=later).sent == 1 and len(mail.outbox) == 2


@override_settings(TOURISM_PLACE_ALERT_REPORTS=3)
def test_old_rejected_and_merged_reports_do_not_count(office):
    now = timezone.now()
    hotel = make_place("Khách sạn Biển")
    link_report(hotel, days_ago=2)
    link_report(hotel, days_ago=30.1)  # just outside the 30 days
    link_report(hotel, days_ago=1, status="rejected")
    original = link_report(hotel, days_ago=3)
    link_report(hotel, days_ago=1, merged_into=original)
    assert notify_place_alerts(now=now).sent == 0 and not mail.outbox
    link_report(hotel, days_ago=29.9)
    assert notify_place_alerts(now=now).sent == 1


@override_settings(TOURISM_PLACE_ALERT_REPORTS=2)
def test_dry_run_and_no_address_send_and_record_nothing(office):
    hotel = make_place("Khách sạn Biển")
    link_report(hotel, days_ago=1)
    link_report(hotel, days_ago=2)
    out = StringIO()
    call_command("notify_place_alerts", "--dry-run", stdout=out)
    assert "1 places due" in out.getvalue() and "Khách sạn Biển" in out.getvalue()
    assert not mail.outbox and not PlaceAlert.objects.exists()
    User.objects.filter(groups__name="tourism").update(email="")
    assert notify_place_alerts().no_recipients and not PlaceAlert.objects.exists()
    User.objects.filter(username="du-lich-1").update(email="dulich1@example.vn")
    out = StringIO()
    call_command("notify_place_alerts", stdout=out)
    assert "sent 1 alerts" in out.getvalue() and mail.outbox[0].to == ["dulich1@example.vn"]


def test_the_threshold_comes_from_the_setting(office):
    from django.conf import settings

    assert settings.TOURISM_PLACE_ALERT_REPORTS == 3  # the default (HT_TOURISM_PLACE_ALERT_REPORTS)
    hotel = make_place("Khách sạn Biển")
    link_report(hotel, days_ago=1)
    with override_settings(TOURISM_PLACE_ALERT_REPORTS=1):
        assert notify_place_alerts().sent == 1


@pytest.mark.usefixtures("categories")
def test_the_real_worker_runs_the_alert_task(mail_files, request, monkeypatch):  # noqa: F811
    """layers/tasks.py is found by the worker (procrastinate's `<app>.tasks` discovery): the
    periodic task, deferred by hand here instead of waiting for its minute, sends the mail."""
    from layers.tasks import notify_place_alerts as task

    monkeypatch.setenv("HT_TOURISM_PLACE_ALERT_REPORTS", "2")
    worker = request.getfixturevalue("procrastinate_worker")  # after the env is set
    tourism = Group.objects.get_or_create(name="tourism")[0]
    User.objects.create_user("du-lich", email="dulich@example.vn").groups.add(tourism)
    hotel = make_place("Khách sạn Biển Trà Cổ")
    link_report(hotel, days_ago=1)
    link_report(hotel, days_ago=2)
    defer_periodic_now(task)

    def sent() -> str:
        text = "\n".join(f.read_text(encoding="utf-8") for f in mail_files.glob("*.log"))
        return text if "To: dulich@example.vn" in text else ""

    try:
        text = wait_for(sent, timeout=30, what="the place alert")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{worker.output()}") from None
    assert str(hotel.public_id) in text
    # The mail file is written before the task's transaction commits the alert row: wait for
    # the row too (CI once read it in between).
    alert = wait_for(
        lambda: PlaceAlert.objects.filter(place=hotel).first(), timeout=30, what="the alert row"
    )
    assert alert.report_count == 2
