"""An e-mailed report read from its raw bytes: who sent it, its text and its pictures.

Only reads; whether it makes a valid report is report_submit's decision. The text drops what
e-mail adds around the citizen's words and must not be published with them: quoted earlier
messages ("> …") and the signature after the "-- " line (names, phone numbers, addresses).
"""

from __future__ import annotations

import email
import email.policy
import email.utils
from dataclasses import dataclass, field
from email.message import EmailMessage

from django.utils.html import strip_tags

from gis_core.services import UploadedPhoto

SIGNATURE_SEPARATOR = "-- "
FILENAME_MAX = 100
_AUTOMATIC_SENDERS = {"mailer-daemon", "postmaster", "noreply", "no-reply"}


class UnreadableMessage(ValueError):
    """The bytes are not a message that can be read (structure, charset or encoding)."""


@dataclass(frozen=True)
class Envelope:
    """What a reply needs, readable from the headers alone (a message too big to fetch)."""

    sender: str
    message_id: str
    automatic: bool


@dataclass(frozen=True)
class ReportEmail:
    envelope: Envelope
    subject: str
    body: str
    photos: list[UploadedPhoto] = field(default_factory=list)
    other_attachments: int = 0

    @property
    def text(self) -> str:
        """The description: the subject, then the body."""
        return "\n\n".join(part for part in (self.subject, self.body) if part)


def _header(message: EmailMessage, name: str) -> str:
    value = message.get(name)
    return " ".join(str(value).split()) if value is not None else ""


def envelope_of(message: EmailMessage) -> Envelope:
    """The sender's address, the Message-ID, and whether the message is machine-written (an
    auto-reply, a bounce, a list): those get no reply, so two robots cannot loop."""
    _name, sender = email.utils.parseaddr(_header(message, "From"))
    local = sender.partition("@")[0].lower()
    auto_submitted = _header(message, "Auto-Submitted").lower()
    automatic = (
        auto_submitted not in ("", "no")
        or _header(message, "Precedence").lower() in {"bulk", "junk", "list"}
        or local in _AUTOMATIC_SENDERS
        or message.get_content_type() == "multipart/report"
    )
    return Envelope(
        sender=sender.strip(), message_id=_header(message, "Message-ID"), automatic=automatic
    )


def parse_headers(raw: bytes) -> Envelope:
    """The envelope of a message from its header block alone."""
    return envelope_of(_parse(raw))


def _parse(raw: bytes) -> EmailMessage:
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as exc:  # the parser is lenient; what it still rejects is unreadable
        raise UnreadableMessage() from exc
    if not isinstance(message, EmailMessage):
        raise UnreadableMessage()
    return message


def _citizen_words(text: str) -> str:
    """The body without quoted lines and without the signature."""
    kept = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.rstrip("\n") == SIGNATURE_SEPARATOR or line == SIGNATURE_SEPARATOR.strip():
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


def _body_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    content = body.get_content()
    if not isinstance(content, str):
        return ""
    if body.get_content_subtype() == "html":
        content = strip_tags(content)
    return _citizen_words(content)


def parse_message(raw: bytes) -> ReportEmail:
    """The report a message carries; UnreadableMessage if its text cannot be decoded."""
    message = _parse(raw)
    try:
        subject = _header(message, "Subject")
        body = _body_text(message)
        text_part = message.get_body(preferencelist=("plain", "html"))
        photos: list[UploadedPhoto] = []
        others = 0
        for part in message.walk():
            if part.is_multipart() or part is text_part:
                continue
            if part.get_content_maintype() == "image":
                name = (part.get_filename() or f"anh-{len(photos) + 1}")[:FILENAME_MAX]
                data = part.get_content()
                photos.append(UploadedPhoto(name=name, data=bytes(data)))
            elif part.get_content_maintype() != "text" or part.get_filename():
                others += 1
    except (LookupError, UnicodeError, ValueError, TypeError) as exc:
        # An unknown charset, bytes that are not in the declared one, a broken structure.
        raise UnreadableMessage() from exc
    return ReportEmail(
        envelope=envelope_of(message),
        subject=subject,
        body=body,
        photos=photos,
        other_attachments=others,
    )
