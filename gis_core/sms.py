"""Pluggable SMS sending. The default writes each message to a file, so the demo and the
tests work offline; a city plugs in its SMS gateway by naming a class in HT_SMS_BACKEND."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Messages sent by LocmemSmsBackend (tests read it, as Django's mail.outbox).
outbox: list[tuple[str, str]] = []


class FileSmsBackend:
    """One text file per message in settings.SMS_FILE_PATH."""

    supports_unicode = True

    def send(self, phone: str, text: str) -> None:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
        (folder / f"{stamp}-{phone.lstrip('+')}.txt").write_text(
            f"To: {phone}\n\n{text}\n", encoding="utf-8"
        )


class ConsoleSmsBackend:
    supports_unicode = True

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class LocmemSmsBackend:
    supports_unicode = True

    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))


def send_sms(phone: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(phone, text)


def sms_supports_unicode() -> bool:
    """Whether messages may keep their Vietnamese diacritics: HT_SMS_UNICODE (1/0) when set,
    else what the backend class declares (`supports_unicode`; a gateway that does not say
    gets unaccented text, which every phone shows right)."""
    forced = getattr(settings, "SMS_UNICODE", "auto")
    if forced in ("0", "1"):
        return forced == "1"
    return bool(getattr(import_string(settings.SMS_BACKEND), "supports_unicode", False))
