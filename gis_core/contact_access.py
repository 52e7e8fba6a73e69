"""The contact access log: one row each time a staff page or API answer shows a reporter's
contact data (Decree 356/2025: who processed personal data, when). Written where the data
is shown, for the reports that have any, in one INSERT per answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from gis_core.models import ContactAccess, Report
from gis_core.staff import CITY_WIDE, staff_role


def shows_contact(report: Report) -> bool:
    """Whether the report holds contact data to reveal (a blank one reveals nothing)."""
    return bool(report.contact_name or report.contact_phone or report.contact_email)


def contact_access_record(user, reports: Iterable[Report], view: str) -> int:
    """Logs that `user` saw the contact data of `reports` in `view`; returns rows written."""
    username = user.get_username()
    rows = [
        ContactAccess(user_id=user.pk, username=username, report_id=report.pk, view=view)
        for report in reports
        if shows_contact(report)
    ]
    if not rows:
        return 0
    # One INSERT, committed durably with the caller's transaction or on its own: the log is the
    # record the law asks for, so a crash must not lose it.
    ContactAccess.objects.bulk_create(rows)
    return len(rows)


def can_read_access_log(user) -> bool:
    """Operators and administrators audit the log; ward and agency officers do not."""
    return staff_role(user) in CITY_WIDE


def access_log_purge(*, before: dt.datetime, dry_run: bool = False) -> int:
    """Deletes the log rows older than `before` (CONTACT_ACCESS_LOG_MONTHS); returns how many."""
    old: QuerySet[ContactAccess] = ContactAccess.objects.filter(at__lt=before)
    if dry_run:
        return old.count()
    deleted, _ = old.delete()
    return deleted
