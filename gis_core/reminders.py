"""Reminders to agencies about reports coming due and overdue (the send_reminders command)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.localized import localized
from gis_core.models import ReminderSent, Report, ReportStatus
from gis_core.selectors import is_overdue
from ward_boundaries.names import ward_title_of

OPEN_WITH_DEADLINE = (ReportStatus.ASSIGNED, ReportStatus.IN_PROGRESS)


@dataclass
class ReminderTally:
    before_due: int = 0
    overdue: int = 0
    no_address: int = 0


def _message(report: Report, kind: str) -> tuple[str, str]:
    """(subject, text) of a reminder, in the city's language (agencies are written to in
    Vietnamese, whatever language the cron job's process has active)."""
    with translation.override(settings.LANGUAGE_CODE):
        due = timezone.localtime(report.due_at).strftime("%H:%M %d/%m/%Y")
        ward = ward_title_of(report.ward) if report.ward else _("ngoài ranh giới")
        values = {"id": report.public_id, "due": due}
        if kind == ReminderSent.Kind.OVERDUE:
            subject = _("[Quá hạn] Phản ánh %(id)s đã quá hạn xử lý (%(due)s)") % values
        else:
            subject = _("[Sắp đến hạn] Phản ánh %(id)s cần xử lý trước %(due)s") % values
        where = _("%(category)s tại %(ward)s") % {
            "category": localized(report.category, "name"),
            "ward": ward,
        }
        state = _("Trạng thái: %(status)s") % {"status": report.get_status_display()}
        deadline = _("Hạn xử lý: %(due)s") % {"due": due}
    return subject, f"{where}\n{state}\n{deadline}\n\n{report.description}\n"


def send_reminders(*, now: dt.datetime | None = None, dry_run: bool = False) -> ReminderTally:
    """Sends each due-soon and each overdue reminder once per report and due time.

    Safe to run from cron as often as wanted: a unique row per (report, kind, due time) is
    written in the same transaction as the send, so a reminder is never sent twice.
    """
    now = now or timezone.now()
    soon = now + dt.timedelta(hours=settings.REMINDER_BEFORE_HOURS)
    tally = ReminderTally()
    reports = (
        Report.objects.filter(status__in=OPEN_WITH_DEADLINE, due_at__isnull=False, due_at__lte=soon)
        .select_related("agency", "category", "ward")
        .order_by("due_at", "id")
    )
    for report in reports:
        due_at = report.due_at
        if due_at is None:  # the query keeps reports with a deadline only
            continue
        overdue = is_overdue(report.status, due_at, now)
        kind = ReminderSent.Kind.OVERDUE if overdue else ReminderSent.Kind.BEFORE_DUE
        if ReminderSent.objects.filter(report=report, kind=kind, due_at=due_at).exists():
            continue
        address = report.agency.contact_email if report.agency else ""
        if not address:
            tally.no_address += 1
            continue
        if dry_run:
            setattr(tally, kind, getattr(tally, kind) + 1)
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(report=report, kind=kind, due_at=due_at)
                subject, body = _message(report, kind)
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except IntegrityError:
            continue  # another run sent it meanwhile
        setattr(tally, kind, getattr(tally, kind) + 1)
    return tally
