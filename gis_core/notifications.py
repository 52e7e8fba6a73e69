"""Telling reporters what happened to their report: SMS to the phone, e-mail to the address,
in the language they reported in (Report.language).

Both go through pluggable backends (gis_core.sms, Django's e-mail backend), file-based by
default so the demo and the tests work offline. A failed send is logged, never raised: the
status change it reports is already committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail

from gis_core.languages import needs_unicode
from gis_core.reporter_messages import as_sms, message_language, receipt_message, status_message
from gis_core.sms import send_sms, sms_supports_unicode

logger = logging.getLogger(__name__)


# A message in a given language: (subject, text).
Compose = Callable[[str], tuple[str, str]]


def sms_text(report, compose: Compose, *, unicode: bool) -> str:
    """The SMS of a message, in the report's language; in Vietnamese without diacritics when
    that language cannot do without Unicode (Chinese) and the gateway cannot send it."""
    language = message_language(report)
    if not unicode and needs_unicode(language):
        logger.warning(
            "SMS to the reporter of report %s in Vietnamese without diacritics: %s needs "
            "Unicode, which the SMS backend does not send",
            report.pk,
            language,
        )
        language = settings.LANGUAGE_CODE
    return as_sms(compose(language)[1], unicode=unicode)


def _send(report, compose: Compose) -> None:
    if report.contact_phone:
        text = sms_text(report, compose, unicode=sms_supports_unicode())
        send_sms(report.contact_phone, text)
    if report.contact_email:
        subject, body = compose(message_language(report))
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [report.contact_email])


def notify_reporter(report, transition) -> None:
    """One message per status change, by SMS and/or e-mail as the reporter left contact, in
    the language they reported in (not the staff member's)."""
    if not (report.contact_phone or report.contact_email):
        return
    try:
        _send(report, lambda language: status_message(report, transition, language))
    except Exception:  # the change is committed; log and go on
        logger.exception("could not notify the reporter of report %s", report.pk)


def notify_receipt(report) -> None:
    """The message on receipt: the reference and the link to follow the report.

    Raises when sending fails, so the task queue retries it (the report is stored already).
    """
    if not (report.contact_phone or report.contact_email):
        return
    _send(report, lambda language: receipt_message(report, language))
