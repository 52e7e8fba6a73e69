"""Telling reporters what happened to their report: SMS to the phone, e-mail to the address.

Both go through pluggable backends (gis_core.sms, Django's e-mail backend), file-based by
default so the demo and the tests work offline. A failed send is logged, never raised: the
status change it reports is already committed.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail

from gis_core.reporter_messages import as_sms, receipt_message, status_message
from gis_core.sms import send_sms, sms_supports_unicode

logger = logging.getLogger(__name__)


def _send(report, subject: str, text: str) -> None:
    if report.contact_phone:
        send_sms(report.contact_phone, as_sms(text, unicode=sms_supports_unicode()))
    if report.contact_email:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [report.contact_email])


def notify_reporter(report, transition) -> None:
    """One message per status change, by SMS and/or e-mail as the reporter left contact."""
    if not (report.contact_phone or report.contact_email):
        return
    try:
        _send(report, *status_message(report, transition))
    except Exception:  # the change is committed; log and go on
        logger.exception("could not notify the reporter of report %s", report.pk)


def notify_receipt(report) -> None:
    """The message on receipt: the reference and the link to follow the report.

    Raises when sending fails, so the task queue retries it (the report is stored already).
    """
    if not (report.contact_phone or report.contact_email):
        return
    _send(report, *receipt_message(report))
