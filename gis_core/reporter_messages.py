"""The texts a reporter receives: on receipt and on each status change, by SMS and e-mail.

One style for every message: the city's service name, the report's reference, what happened,
and the link to the report's public page, which is never cut. Full Vietnamese when the SMS
backend can send Unicode; without diacritics otherwise (a GSM-7 gateway turns them into "?").
Composed in Vietnamese, the language the city writes to its citizens in.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

# Long enough for a status and a short answer, short enough for a few SMS segments
# (a Unicode segment holds 67 characters, a GSM-7 one 153).
SMS_MAX_UNICODE = 335
SMS_MAX_ASCII = 459


def unaccent(text: str) -> str:
    """'Phản ánh đã xử lý' -> 'Phan anh da xu ly' (đ/Đ included, which NFD leaves alone)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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


def receipt_message(report) -> tuple[str, str]:
    """(subject, text) telling the reporter the report arrived and how to follow it."""
    with translation.override(settings.LANGUAGE_CODE):
        category = report.category.name_vi
        head = _("%(service)s: đã nhận phản ánh %(reference)s (%(category)s). ") % {
            "service": _service_name(),
            "reference": report.reference,
            "category": category,
        }
        body = _("Theo dõi tại:")
        subject = _("Đã nhận phản ánh %(reference)s") % {"reference": report.reference}
    return subject, f"{head}{body} {public_link(report)}"


def status_message(report, transition) -> tuple[str, str]:
    """(subject, text) of one status change: the new status, the public note or the answer."""
    with translation.override(settings.LANGUAGE_CODE):
        label = report.get_status_display()
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
        body = " ".join(p if p.endswith((".", "!", "?", "…")) else p + "." for p in parts)
        body = (body + " " if body else "") + _("Xem:")
        subject = _("Phản ánh %(reference)s: %(status)s") % {
            "reference": report.reference,
            "status": label,
        }
    return subject, f"{head}{body} {public_link(report)}"


def login_code_message(code: str, *, minutes: int) -> str:
    """The sign-in code SMS, in the same style as the others, unaccented when it must be."""
    from gis_core.sms import sms_supports_unicode

    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "%(service)s: mã đăng nhập %(code)s, hiệu lực %(minutes)s phút. "
            "Không đưa mã này cho người khác."
        ) % {"service": _service_name(), "code": code, "minutes": minutes}
    return text if sms_supports_unicode() else unaccent(text)


def as_sms(text: str, *, unicode: bool) -> str:
    """The SMS form of a message: unaccented for GSM-7 gateways, within the length limit."""
    head, _sep, link = text.rpartition(" ")
    if not unicode:
        head = unaccent(head)
    limit = SMS_MAX_UNICODE if unicode else SMS_MAX_ASCII
    if len(text) <= limit:
        return f"{head} {link}"
    # Keep the first sentence (service, reference, status) whole; shorten what follows.
    first, dot, rest = head.partition(". ")
    return _fit(first + dot, rest, link, limit=limit, ellipsis="…" if unicode else "...")
