"""The e-mail channel: each unseen message of the reports mailbox becomes a report, or is
refused with the reason, logged and answered (in Vietnamese).

A message is handled once. Its Message-ID (hashed) is the report's idempotency key in the
scope of its own ("email"), and the message is marked \\Seen only after the report's
transaction committed: a run that dies in between leaves it unseen, and the next run finds
the report by its key and stores nothing new. The sender is answered by the receipt, queued
in the report's own transaction like every channel's (sent iff stored, retried by the
worker), so a retried message is never answered twice. A refused message is marked \\Seen
and \\Flagged (and moved, if a folder is set) so it is not read again, and nothing of it is
stored. Trouble that is the platform's (database, storage full) leaves the message unseen.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.core.mail import EmailMessage as OutgoingEmail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from common.humanize import human_size
from common.report_rules import contact_email_problems
from common.validation import FieldErrors
from gis_core.email_location import point_in_text
from gis_core.email_mailbox import Mailbox
from gis_core.email_message import Envelope, ReportEmail, UnreadableMessage, parse_headers
from gis_core.email_message import parse_message as parse_report_email
from gis_core.idempotency import IdempotencyConflict
from gis_core.models import Category, ConsentChannel, ReportChannel, ReportSource
from gis_core.references import format_reference
from gis_core.reporter_messages import unaccent
from gis_core.services import report_submit

logger = logging.getLogger(__name__)

CLIENT_SCOPE = "email"  # the idempotency scope of e-mailed reports (gis_core.idempotency)
# The message report_submit gives when no point can be found; answered with e-mail's own.
_NO_POINT = "Trường này là bắt buộc (hoặc gửi ảnh hoặc video có vị trí GPS)."

Outcome = Literal["stored", "repeat", "refused", "later"]


@dataclass(frozen=True)
class Handled:
    """What became of one message: `reason` is a short log code, never personal data."""

    outcome: Outcome
    reason: str = ""
    reference: str = ""


class Refusal(Exception):
    """A message that cannot become a report: the log code and what to tell the sender."""

    def __init__(self, reason: str, messages: list[str]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.messages = messages


def idempotency_key(envelope: Envelope, raw: bytes) -> str:
    """The report's key: a hash of the Message-ID (of the bytes if it has none), so the key
    neither holds the sender's host name nor outgrows the column."""
    source = envelope.message_id.encode() if envelope.message_id else raw
    return "email-" + hashlib.sha256(source).hexdigest()[:40]


def category_for(subject: str) -> str:
    """The category whose code or Vietnamese name (accents and case aside, the part before
    any parenthesis) the subject contains; else EMAIL_DEFAULT_CATEGORY."""
    words = " " + re.sub(r"[^a-z0-9_]+", " ", unaccent(subject).lower()) + " "
    names = []
    for code, name in Category.objects.filter(is_active=True).values_list("code", "name_vi"):
        short = re.sub(r"[^a-z0-9]+", " ", unaccent(name.split("(")[0]).lower()).strip()
        names += [(code, code), (code, short)]
    for code, name in sorted(names, key=lambda pair: -len(pair[1])):  # the most specific first
        if name and f" {name} " in words:
            return code
    return settings.EMAIL_DEFAULT_CATEGORY


def _unique(messages: list[str]) -> list[str]:
    return list(dict.fromkeys(messages))


def _refusal_for(errors: dict[str, list[str]]) -> Refusal:
    """The sender's reasons from report_submit's field errors (lon and lat share theirs)."""
    messages = []
    for field in ("description", "photos", "lon", "lat", "category", "contact_email"):
        for message in errors.get(field, []):
            if message == _(_NO_POINT):
                message = _no_location()
            messages.append(message)
    return Refusal("invalid:" + ",".join(sorted(errors)), _unique(messages))


def _no_location() -> str:
    return _(
        "Thư chưa cho biết vị trí: hãy ghi toạ độ (ví dụ 21.53, 107.97), dán đường link "
        "Google Maps hoặc OpenStreetMap của nơi đó, hoặc đính kèm ảnh có vị trí GPS."
    )


def _store(parsed: ReportEmail, raw: bytes) -> Handled:
    """The report in one transaction; Refusal if it is not valid."""
    if not parsed.text:
        raise Refusal(
            "no_text",
            [_("Thư không có nội dung: hãy mô tả sự việc trong tiêu đề hoặc nội dung thư.")],
        )
    point = point_in_text(parsed.text)
    if point is None and not parsed.photos:
        raise Refusal("no_location", [_no_location()])
    lon, lat = point if point is not None else (None, None)
    try:
        with transaction.atomic():
            submitted = report_submit(
                category=category_for(parsed.subject),
                description=parsed.text,
                lon=lon,
                lat=lat,
                photos=parsed.photos,
                contact_email=parsed.envelope.sender,
                idempotency_key=idempotency_key(parsed.envelope, raw),
                client=CLIENT_SCOPE,
                source=ReportSource.EMAIL,
                channel=ReportChannel.EMAIL,
                # Like Open311, e-mail carries no consent field: the notice current now is
                # recorded (docs/email-channel.md: the mailbox's page shows it).
                consent_notice_version=settings.PRIVACY_NOTICE_VERSION,
                consent_channel=ConsentChannel.EMAIL,
                # A mail carries no language the city can trust: its answers are Vietnamese.
                language=settings.LANGUAGE_CODE,
            )
    except FieldErrors as exc:
        raise _refusal_for(exc.errors) from exc
    except IdempotencyConflict as exc:
        raise Refusal(
            "message_id_reused",
            [_("Mã Message-ID của thư này đã được dùng cho một thư khác đã nhận.")],
        ) from exc
    if submitted.row is not None:
        row = submitted.row
        reference = format_reference(row["reference_month"], row["reference_number"])
    else:
        reference = submitted.report.reference if submitted.report else ""
    return Handled("stored" if submitted.created else "repeat", reference=reference)


def reply_refusal(envelope: Envelope, messages: list[str]) -> None:
    """Tells the sender why the message was not taken, as a reply in its thread."""
    with translation.override(settings.LANGUAGE_CODE):
        service = _("Hiện Trường %(city)s") % {"city": settings.CITY_NAME}
        lines = [
            _("%(service)s: phản ánh bạn gửi qua e-mail chưa được tiếp nhận, vì:")
            % {"service": service},
            *(f"- {message}" for message in messages),
            "",
            _(
                "Hãy gửi lại thư tới địa chỉ này: mô tả sự việc, vị trí và tối đa %(count)s "
                "ảnh (mỗi ảnh tối đa %(size)s). Hoặc gửi phản ánh tại %(link)s"
            )
            % {
                "count": settings.PHOTO_MAX_COUNT,
                "size": human_size(settings.PHOTO_MAX_BYTES),
                "link": settings.PUBLIC_BASE_URL + "/",
            },
        ]
        subject = _("Phản ánh qua e-mail chưa được tiếp nhận")
    headers = {"Auto-Submitted": "auto-replied"}  # RFC 3834: no auto-reply to this one
    if envelope.message_id:
        headers |= {"In-Reply-To": envelope.message_id, "References": envelope.message_id}
    OutgoingEmail(
        subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [envelope.sender], headers=headers
    ).send()


def _refuse(uid: str, envelope: Envelope | None, refusal: Refusal) -> Handled:
    """Logs the reason and answers the sender (unless it is a robot or has no address)."""
    logger.warning("e-mail report refused: message %s, reason %s", uid, refusal.reason)
    if envelope is not None and not envelope.automatic and envelope.sender:
        if not contact_email_problems(envelope.sender):
            try:
                reply_refusal(envelope, refusal.messages)
            except Exception:  # the refusal stands; the reply is the courtesy
                logger.exception("could not answer the refused e-mail report %s", uid)
    return Handled("refused", reason=refusal.reason)


def _envelope_or_none(raw: bytes) -> Envelope | None:
    try:
        return parse_headers(raw)
    except UnreadableMessage:
        return None


def handle_message(mailbox: Mailbox, uid: str) -> Handled:
    """Turns one message into a report or a refusal, and marks it; "later" leaves it unseen."""
    size = mailbox.size(uid)
    if size > settings.IMAP_MAX_MESSAGE_BYTES:
        handled = _refuse(
            uid,
            _envelope_or_none(mailbox.headers(uid)),
            Refusal(
                "too_big",
                [
                    _("Thư quá lớn (%(size)s; tối đa %(limit)s).")
                    % {
                        "size": human_size(size),
                        "limit": human_size(settings.IMAP_MAX_MESSAGE_BYTES),
                    }
                ],
            ),
        )
        mailbox.mark_refused(uid)
        return handled
    raw = mailbox.message(uid)
    handled = handle_raw(uid, raw)
    if handled.outcome == "refused":
        mailbox.mark_refused(uid)
    elif handled.outcome in ("stored", "repeat"):
        mailbox.mark_done(uid)  # only now: the report has committed
    return handled


def handle_raw(uid: str, raw: bytes) -> Handled:
    """The decision on one message's bytes, with its report stored or its refusal answered;
    the mailbox is not touched."""
    try:
        parsed = parse_report_email(raw)
    except UnreadableMessage:
        unreadable = Refusal("unreadable", [_("Không đọc được nội dung thư.")])
        return _refuse(uid, _envelope_or_none(raw), unreadable)
    envelope = parsed.envelope
    if envelope.automatic:
        return _refuse(uid, envelope, Refusal("automatic", []))
    if not envelope.sender or contact_email_problems(envelope.sender):
        return _refuse(uid, None, Refusal("no_sender", []))
    try:
        handled = _store(parsed, raw)
    except Refusal as refusal:
        return _refuse(uid, envelope, refusal)
    except Exception:  # the platform's trouble (database, storage full): try again next run
        logger.exception("e-mail report %s not stored; left for the next run", uid)
        return Handled("later", reason="error")
    logger.info(
        "e-mail report %s: %s %s (%s photos, %s other attachments skipped)",
        uid,
        handled.outcome,
        handled.reference,
        len(parsed.photos),
        parsed.other_attachments,
    )
    return handled
