"""Request ids and log formatting shared by Django and gunicorn.

The request id lives in a context variable so every log record made while a request is being
handled carries it, whichever logger made the record: a record factory stamps it on creation,
which also covers handlers we do not configure (pytest's caplog, gunicorn's error log).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
from typing import Any

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "hientruong_request_id", default=None
)

# What a proxy may hand us: nginx's $request_id (32 hex), UUIDs, short opaque tokens. Anything
# else is replaced, so a client cannot inject newlines, JSON or megabytes into every log line.
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")

# Personal data must never reach the logs even when an exception message quotes a value
# (e.g. an IntegrityError detail): Vietnamese phone numbers and e-mail addresses are masked.
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_RE = re.compile(r"(?<![\w.])(?:\+?84|0)(?:[ .-]?\d){8,10}(?![\w.])")


def scrub(text: str) -> str:
    """Masks e-mail addresses and phone numbers in a log message."""
    return _PHONE_RE.sub("[phone]", _EMAIL_RE.sub("[email]", text))


def valid_request_id(value: str | None) -> str | None:
    """The proxy's id if it is short and made of safe characters, else None."""
    if value and REQUEST_ID_RE.fullmatch(value):
        return value
    return None


def current_request_id() -> str | None:
    return REQUEST_ID.get()


def _install_record_factory() -> None:
    """Stamps `request_id` on every LogRecord (once per process, whatever imports us first)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "_hientruong", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.request_id = REQUEST_ID.get()
        return record

    factory._hientruong = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


_install_record_factory()


class RequestIdFilter(logging.Filter):
    """Fills `request_id` on records made before the factory was installed (never drops any)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what log shippers (journald, Loki, ELK) parse without rules.

    Only the fields below are written: never the request, its body or its parameters.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
            "request_id": getattr(record, "request_id", None),
        }
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    """Human-readable lines for development, with the request id and the same masking."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        # The record is shared with other handlers: show "-" without changing it for them.
        saved = getattr(record, "request_id", None)
        record.request_id = saved or "-"
        try:
            return scrub(super().format(record))
        finally:
            record.request_id = saved
