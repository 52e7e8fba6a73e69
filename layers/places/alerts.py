"""The tourism office's alert: a place that drew settings.TOURISM_PLACE_ALERT_REPORTS counted
reports (layers.places.report_selectors.counted_q) within 30 days is e-mailed to the office
once, and not again for that place for 30 days (layers.PlaceAlert keeps when).

Run by the worker every hour (layers.tasks.notify_place_alerts) or by cron
(`manage.py notify_place_alerts`). The e-mail names the place, the count and its history
page; nothing about the reporters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gis_core.models import StaffRole
from layers.models import PlaceAlert, PointOfInterest
from layers.places.report_selectors import WINDOW_DAYS, counted_q, window_start


@dataclass
class AlertTally:
    sent: int = 0
    places: list[str] = field(default_factory=list)  # the places alerted (or due, dry run)
    no_recipients: bool = False


def office_addresses() -> list[str]:
    """The tourism office: active members of the tourism group with an e-mail address."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=StaffRole.TOURISM)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def places_due(now: dt.datetime) -> QuerySet[PointOfInterest]:
    """Places at or over the threshold in the last 30 days and not alerted within 30 days,
    annotated with recent_reports."""
    since = window_start(now)
    recently_alerted = PlaceAlert.objects.filter(
        place=OuterRef("pk"), last_sent_at__gt=now - dt.timedelta(days=WINDOW_DAYS)
    )
    link = "report_links__report__"
    return (
        PointOfInterest.objects.filter(report_links__report__reported_at__gte=since)
        .annotate(
            recent_reports=Count(
                "report_links",
                filter=counted_q(link) & Q(**{f"{link}reported_at__gte": since}),
            )
        )
        .filter(recent_reports__gte=settings.TOURISM_PLACE_ALERT_REPORTS)
        .exclude(Exists(recently_alerted))
        .order_by("-recent_reports", "name", "id")
    )


def notify_place_alerts(*, now: dt.datetime | None = None, dry_run: bool = False) -> AlertTally:
    """One e-mail per place due, to the whole office; the place's PlaceAlert is written in
    the same transaction as the send, so a failed send is tried again on the next run.
    Without anyone to tell nothing is recorded (the alert waits for an address)."""
    moment = now or timezone.now()
    tally = AlertTally()
    due = list(places_due(moment))
    tally.places = [p.name for p in due]
    if dry_run or not due:
        return tally
    recipients = office_addresses()
    if not recipients:
        tally.no_recipients = True
        return tally
    for place in due:
        if _alert_one(place, moment, recipients):
            tally.sent += 1
    return tally


@transaction.atomic
def _alert_one(place: PointOfInterest, now: dt.datetime, recipients: list[str]) -> bool:
    # The place row's lock: a cron run and the worker's periodic run never both send.
    PointOfInterest.objects.select_for_update().filter(pk=place.pk).first()
    if PlaceAlert.objects.filter(
        place=place, last_sent_at__gt=now - dt.timedelta(days=WINDOW_DAYS)
    ).exists():
        return False
    count: int = place.recent_reports  # type: ignore[attr-defined]  # annotated
    PlaceAlert.objects.update_or_create(
        place=place, defaults={"last_sent_at": now, "report_count": count}
    )
    subject, text = alert_message(place, count)
    send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, recipients)
    return True


def alert_message(place: PointOfInterest, count: int) -> tuple[str, str]:
    """(subject, text) in the city's language (the office works in Vietnamese)."""
    url = settings.PUBLIC_BASE_URL + reverse("web_map:staff-place-history", args=[place.public_id])
    values = {"place": place.name, "n": count, "days": WINDOW_DAYS}
    with translation.override(settings.LANGUAGE_CODE):
        subject = (
            ngettext(
                "Hiện Trường: %(place)s có %(n)s phản ánh trong %(days)s ngày",
                "Hiện Trường: %(place)s có %(n)s phản ánh trong %(days)s ngày",
                count,
            )
            % values
        )
        text = (
            ngettext(
                "Địa điểm «%(place)s» đã có %(n)s phản ánh của du khách trong %(days)s ngày qua.",
                "Địa điểm «%(place)s» đã có %(n)s phản ánh của du khách trong %(days)s ngày qua.",
                count,
            )
            % values
        )
        link = _("Lịch sử phản ánh và giá của địa điểm: %(url)s") % {"url": url}
        again = _("Thông báo này không gửi lại cho địa điểm này trong %(days)s ngày.") % values
    return subject, f"{text}\n{link}\n\n{again}"
