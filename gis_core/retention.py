"""Retention of personal data: blanking the contact details of reports closed long ago.

A closed report's time of closing is the latest transition into its current status
(resolved or rejected); reports closed before the workflow recorded transitions fall back to
resolved_at, then to updated_at, so that no old report escapes the rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from gis_core.models import CLOSED_STATUSES, Report

# What anonymising a report leaves: no contact, no link to an account (the SQL below and
# reports_blank_contact say the same).
ANONYMISED = {"contact_name": "", "contact_phone": "", "contact_email": "", "reporter": None}


@dataclass(frozen=True)
class AnonymiseResult:
    reports: int  # reports whose contact data was blanked (or would be, in a dry run)
    unlinked_reporters: int  # of those, reports that were linked to a citizen's account
    unlinked_ratings: int  # ratings on those reports no longer linked to the rater


def months_ago(months: int, now: dt.datetime | None = None) -> dt.datetime:
    """`now` minus whole calendar months (the 31st becomes the month's last day)."""
    now = now or timezone.now()
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    month += 1
    for day in range(now.day, 27, -1):
        try:
            return now.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return now.replace(year=year, month=month, day=min(now.day, 28))


# Raw because "closed when" needs a correlated subquery on transitions and the whole rule is
# one set-based statement; the same CTE serves the dry run (count) and the real run (update).
_CANDIDATES = """
    WITH candidates AS (
        SELECT r.id, r.reporter_id
        FROM gis_core_report r
        WHERE r.status = ANY(%(closed)s)
          AND coalesce(
                (SELECT max(t.created_at) FROM gis_core_reporttransition t
                 WHERE t.report_id = r.id AND t.to_status = r.status),
                r.resolved_at, r.updated_at) < %(cutoff)s
          AND (r.contact_name <> '' OR r.contact_phone <> '' OR r.contact_email <> ''
               OR r.reporter_id IS NOT NULL
               OR EXISTS (SELECT 1 FROM gis_core_reportrating g
                          WHERE g.report_id = r.id AND g.rater_id IS NOT NULL))
    )
"""
# Constant fragments joined once at import: nothing from outside reaches the text.
_COUNT_SQL = (
    _CANDIDATES  # noqa: S608
    + """
    SELECT count(*), count(reporter_id),
           (SELECT count(*) FROM gis_core_reportrating g
            WHERE g.rater_id IS NOT NULL AND g.report_id IN (SELECT id FROM candidates))
    FROM candidates
"""
)
_ANONYMISE_SQL = (
    _CANDIDATES  # noqa: S608
    + """
    , ratings AS (
        UPDATE gis_core_reportrating g SET rater_id = NULL
        WHERE g.report_id IN (SELECT id FROM candidates) AND g.rater_id IS NOT NULL
    )
    UPDATE gis_core_report r
    SET contact_name = '', contact_phone = '', contact_phone_hash = '', contact_email = '',
        reporter_id = NULL
    WHERE r.id IN (SELECT id FROM candidates)
"""
)


def reports_anonymise(*, cutoff: dt.datetime, dry_run: bool = False) -> AnonymiseResult:
    """Blanks contact data of reports closed before `cutoff`, in one transaction.

    Idempotent: a second run finds nothing left to blank. Unlinking the reporter also means
    the citizen no longer sees the report under "my reports" or in their export: after the
    retention period the platform no longer knows who sent it.
    """
    params: dict[str, Any] = {"closed": list(CLOSED_STATUSES), "cutoff": cutoff}  # ANY(list)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL, params)
        reports, reporters, ratings = cursor.fetchone()
        if not dry_run and reports:
            # updated_at is left alone on purpose: it is the closing time of last resort.
            cursor.execute(_ANONYMISE_SQL, params)
    return AnonymiseResult(int(reports), int(reporters), int(ratings))


def reports_blank_contact(reports: QuerySet[Report]) -> int:
    """Anonymises these reports as the retention rule does (ANONYMISED), whatever their
    status: an erasure request (gis_core.erasure) cannot wait for the retention period.
    updated_at is left alone, as above. Returns the number of reports changed."""
    return reports.update(**ANONYMISED)
