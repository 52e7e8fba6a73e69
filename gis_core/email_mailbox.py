"""The reports mailbox over IMAP (imaplib): list the unseen messages, read one without
marking it, then mark (and move) it once it is handled.

Messages are addressed by UID, stable across sessions, and read with BODY.PEEK so that
reading alone never sets \\Seen: a run that dies half-way leaves the message unseen for the
next run.
"""

from __future__ import annotations

import imaplib
import re
import ssl
from types import TracebackType

from django.conf import settings

SEEN = r"\Seen"
REFUSED_FLAGS = r"(\Seen \Flagged)"
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


class MailboxError(Exception):
    """The server refused a command or the connection failed."""


def _ok(result: tuple[str, list]) -> list:
    status, data = result
    if status != "OK":
        raise MailboxError(status)
    return data


def _quote(folder: str) -> str:
    """A folder name as an IMAP astring (imaplib sends arguments as given)."""
    if folder.startswith('"') or not re.search(r'[\s"(){%*\\]', folder):
        return folder
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _literal(data: list) -> bytes:
    """The message bytes of a FETCH answer: imaplib gives (header line, literal) tuples."""
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    raise MailboxError("no message in the FETCH answer")


class Mailbox:
    """One IMAP session on the configured folder (settings IMAP_*), as a context manager."""

    def __init__(self) -> None:
        self._imap: imaplib.IMAP4 | None = None
        self._capabilities: set[str] = set()

    def __enter__(self) -> Mailbox:
        host, port = settings.IMAP_HOST, settings.IMAP_PORT
        timeout = settings.IMAP_TIMEOUT_SECONDS
        try:
            if settings.IMAP_SSL:
                imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    host, port, ssl_context=ssl.create_default_context(), timeout=timeout
                )
            else:
                imap = imaplib.IMAP4(host, port, timeout=timeout)
                if "STARTTLS" in imap.capabilities:
                    imap.starttls(ssl.create_default_context())
            self._imap = imap
            _ok(imap.login(settings.IMAP_USER, settings.IMAP_PASSWORD))
            self._capabilities = {c.upper() for c in _ok(imap.capability())[0].decode().split()}
            _ok(imap.select(_quote(settings.IMAP_FOLDER)))
        except (OSError, imaplib.IMAP4.error) as exc:
            self.__exit__(None, None, None)
            raise MailboxError(type(exc).__name__) from exc
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._imap is not None:
            try:
                self._imap.logout()
            except (OSError, imaplib.IMAP4.error):
                pass  # the session is over either way
            self._imap = None

    @property
    def imap(self) -> imaplib.IMAP4:
        if self._imap is None:
            raise MailboxError("not connected")
        return self._imap

    def _uid(self, command: str, *args: str) -> list:
        try:
            return _ok(self.imap.uid(command, *args))
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailboxError(type(exc).__name__) from exc

    def unseen(self) -> list[str]:
        """UIDs of the unseen messages, oldest first."""
        data = self._uid("SEARCH", "UNSEEN")
        return [uid.decode() for uid in (data[0] or b"").split()]

    def size(self, uid: str) -> int:
        found = _SIZE.search(b" ".join(d for d in self._uid("FETCH", uid, "(RFC822.SIZE)") if d))
        if found is None:
            raise MailboxError("no RFC822.SIZE in the FETCH answer")
        return int(found.group(1))

    def headers(self, uid: str) -> bytes:
        return _literal(self._uid("FETCH", uid, "(BODY.PEEK[HEADER])"))

    def message(self, uid: str) -> bytes:
        return _literal(self._uid("FETCH", uid, "(BODY.PEEK[])"))

    def mark_done(self, uid: str) -> None:
        """\\Seen, then into IMAP_DONE_FOLDER if one is set."""
        self._uid("STORE", uid, "+FLAGS", f"({SEEN})")
        self._move(uid, settings.IMAP_DONE_FOLDER)

    def mark_refused(self, uid: str) -> None:
        """\\Seen and \\Flagged (staff see it in their mail client), then into
        IMAP_REFUSED_FOLDER if one is set."""
        self._uid("STORE", uid, "+FLAGS", REFUSED_FLAGS)
        self._move(uid, settings.IMAP_REFUSED_FOLDER)

    def _move(self, uid: str, folder: str) -> None:
        if not folder or folder == settings.IMAP_FOLDER:
            return
        if "MOVE" in self._capabilities:
            self._uid("MOVE", uid, _quote(folder))
            return
        self._uid("COPY", uid, _quote(folder))
        self._uid("STORE", uid, "+FLAGS", r"(\Deleted)")
        if "UIDPLUS" in self._capabilities:
            self._uid("EXPUNGE", uid)
        else:
            _ok(self.imap.expunge())
