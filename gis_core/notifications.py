"""Telling reporters what happened to their report: SMS to the phone, e-mail to the address.

Both go through pluggable backends (gis_core.sms, Django's e-mail backend), file-based by
default so the demo and the tests work offline. A failed send is logged, never raised: the
status change it reports is already committed.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail

from gis_core.sms import send_sms

logger = logging.getLogger(__name__)


def _status_text(report, transition) -> str:
    label = report.get_status_display()
    text = f"Phan anh {str(report.public_id)[:8]}: {label}."
    if transition.public_note:
        text += f" {transition.public_note}"
    if transition.to_status == "resolved" and report.answer:
        text += f" Tra loi: {report.answer}"
    return text


def notify_reporter(report, transition) -> None:
    """One message per status change, by SMS and/or e-mail as the reporter left contact."""
    if not (report.contact_phone or report.contact_email):
        return
    text = _status_text(report, transition)
    try:
        if report.contact_phone:
            send_sms(report.contact_phone, text[:480])
        if report.contact_email:
            send_mail(
                f"Phản ánh {report.public_id}: {report.get_status_display()}",
                text,
                settings.DEFAULT_FROM_EMAIL,
                [report.contact_email],
            )
    except Exception:  # noqa: BLE001 - the change is committed; log and go on
        logger.exception("could not notify the reporter of report %s", report.pk)
