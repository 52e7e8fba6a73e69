"""The texts a reporter receives: on receipt and on each status change, by SMS and e-mail.

One style for every message: the city's service name, the report's reference, what happened,
and the link to the report's public page, which is never cut. Composed in the language the
citizen reported in (Report.language: Vietnamese, English or Chinese), whatever language the
staff member who changed the status works in. Full text when the SMS backend can send
Unicode; without diacritics otherwise (a GSM-7 gateway turns them into "?"), which only
Latin-script text survives: gis_core.notifications sends a Chinese reporter the Vietnamese
text then.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from common.text import strip_marks
from gis_core.languages import category_name, needs_unicode, report_language, request_language

logger = logging.getLogger(__name__)

# Long enough for a status and a short answer, short enough for a few SMS segments
# (a Unicode segment holds 67 characters, a GSM-7 one 153).
SMS_MAX_UNICODE = 335
SMS_MAX_ASCII = 459
# What ends a sentence, with the Chinese full stop and full-width ! and ?.
SENTENCE_ENDS = (".", "!", "?", "…", "。", "\uff01", "\uff1f")


def unaccent(text: str) -> str:
    """'Phản ánh đã xử lý' -> 'Phan anh da xu ly' (common.text, the one rule)."""
    return strip_marks(text)


def public_link(report) -> str:
    """The report's public page, at its reference (what the citizen can read and type)."""
    if report.reference:
        path = reverse("web_map:report-by-reference", args=[report.reference])
    else:
        path = reverse("web_map:report", args=[report.public_id])
    return settings.PUBLIC_BASE_URL + path


def _service_name() -> str:
    return _("Hiện Trường %(city)s") % {"city": settings.CITY_NAME}


def _fit(head: str, body: str, link: str, *, limit: int, ellipsis: str = "…") -> str:
    """head + body + link within `limit` characters; the body is shortened, never the link."""
    tail = f" {link}"
    room = limit - len(head) - len(tail)
    if body and room > len(ellipsis):
        cut = room - len(ellipsis)
        body = body if len(body) <= room else body[:cut].rstrip() + ellipsis
        return f"{head}{body}{tail}"
    return f"{head.rstrip()}{tail}"


def message_language(report) -> str:
    """The language the reporter is written to in: the one they reported in."""
    return report_language(report.language)


def receipt_message(report, language: str | None = None) -> tuple[str, str]:
    """(subject, text) telling the reporter the report arrived and how to follow it, in
    `language` (default: the report's)."""
    language = language or message_language(report)
    with translation.override(language):
        category = category_name(report.category, language)
        head = _("%(service)s: đã nhận phản ánh %(reference)s (%(category)s). ") % {
            "service": _service_name(),
            "reference": report.reference,
            "category": category,
        }
        body = _("Theo dõi tại:")
        subject = _("Đã nhận phản ánh %(reference)s") % {"reference": report.reference}
    return subject, f"{head}{body} {public_link(report)}"


def status_message(report, transition, language: str | None = None) -> tuple[str, str]:
    """(subject, text) of one status change: the new status, the public note or the answer,
    in `language` (default: the report's). The note and the answer are the staff's words, as
    they wrote them."""
    language = language or message_language(report)
    with translation.override(language):
        label = str(report.get_status_display())
        head = _("%(service)s: phản ánh %(reference)s: %(status)s. ") % {
            "service": _service_name(),
            "reference": report.reference,
            "status": label,
        }
        parts = []
        if transition.public_note:
            parts.append(transition.public_note.strip())
        if transition.to_status == "resolved" and report.answer:
            parts.append(_("Trả lời: %(answer)s") % {"answer": report.answer.strip()})
        body = " ".join(p if p.endswith(SENTENCE_ENDS) else p + "." for p in parts)
        body = (body + " " if body else "") + _("Xem:")
        subject = _("Phản ánh %(reference)s: %(status)s") % {
            "reference": report.reference,
            "status": label,
        }
    return subject, f"{head}{body} {public_link(report)}"


def login_code_message(code: str, *, minutes: int, language: str | None = None) -> str:
    """The sign-in code SMS, in the same style as the others, unaccented when it must be: in
    `language`, by default the one of the page or app that asked for it (the request's)."""
    from gis_core.sms import sms_supports_unicode

    language = language or request_language()
    unicode = sms_supports_unicode()
    if not unicode and needs_unicode(language):
        logger.warning(
            "sign-in code SMS in Vietnamese without diacritics: %s needs Unicode, which the "
            "SMS backend does not send",
            language,
        )
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        text = _(
            "%(service)s: mã đăng nhập %(code)s, hiệu lực %(minutes)s phút. "
            "Không đưa mã này cho người khác."
        ) % {"service": _service_name(), "code": code, "minutes": minutes}
    return text if unicode else unaccent(text)


def as_sms(text: str, *, unicode: bool) -> str:
    """The SMS form of a message: unaccented for GSM-7 gateways, within the length limit."""
    head, _sep, link = text.rpartition(" ")
    if not unicode:
        head = unaccent(head)
    limit = SMS_MAX_UNICODE if unicode else SMS_MAX_ASCII
    if len(text) <= limit:
        return f"{head} {link}"
    # Keep the first sentence (service, reference, status) whole; shorten what follows.
    first, dot, rest = _first_sentence(head)
    return _fit(first + dot, rest, link, limit=limit, ellipsis="…" if unicode else "...")


def _first_sentence(text: str) -> tuple[str, str, str]:
    """(sentence, its end, the rest): the end is ". " or a Chinese "。" (no space after)."""
    ends = [(i, mark) for mark in (". ", "。") if (i := text.find(mark)) >= 0]
    if not ends:
        return text, "", ""
    i, mark = min(ends)
    return text[:i], mark, text[i + len(mark) :]
