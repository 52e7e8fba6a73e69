"""A real IMAP server for the e-mail channel's tests: pymap's in-memory backend, started as a
subprocess on a free loopback port (once per test module), with one user.

`imap_server` waits until the server answers a LOGIN (polling, no fixed sleep) and stops it
afterwards. `reports_mailbox` gives each test a folder of its own on that server and points the
settings (IMAP_*) at it; `append` puts a message in it with IMAP APPEND, as a mail server
delivering it would.
"""

from __future__ import annotations

import imaplib
import socket
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.gis_core.worker import wait_for

USER, PASSWORD = "phananh", "mat-khau-thu"


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    process: subprocess.Popen

    def client(self) -> imaplib.IMAP4:
        imap = imaplib.IMAP4(self.host, self.port, timeout=10)
        imap.login(USER, PASSWORD)
        return imap


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(server: ImapServer) -> bool:
    if server.process.poll() is not None:
        raise AssertionError(f"pymap exited with {server.process.returncode}")
    try:
        server.client().logout()
    except OSError:
        return False
    return True


@pytest.fixture(scope="module")
def imap_server(tmp_path_factory):
    log = tmp_path_factory.mktemp("pymap") / "pymap.log"
    port = _free_port()
    pymap = Path(sys.executable).parent / "pymap"
    command = [str(pymap), "--host", "127.0.0.1", "--port", str(port), "--no-tls", "dict"]
    command += ["--demo-user", USER, "--demo-password", PASSWORD]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    server = ImapServer("127.0.0.1", port, process)
    try:
        wait_for(lambda: _answers(server), timeout=20, what="pymap to accept a login")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass(frozen=True)
class ReportsMailbox:
    server: ImapServer
    folder: str


@pytest.fixture
def reports_mailbox(imap_server, settings) -> ReportsMailbox:
    """A new folder for this test on the module's server, which the settings make the
    reports mailbox."""
    folder = f"Test-{uuid.uuid4().hex[:12]}"
    imap = imap_server.client()
    try:
        assert imap.create(folder)[0] == "OK"
    finally:
        imap.logout()
    settings.IMAP_HOST, settings.IMAP_PORT = imap_server.host, imap_server.port
    settings.IMAP_SSL = False
    settings.IMAP_USER, settings.IMAP_PASSWORD = USER, PASSWORD
    settings.IMAP_FOLDER = folder
    settings.IMAP_DONE_FOLDER = settings.IMAP_REFUSED_FOLDER = ""
    return ReportsMailbox(imap_server, folder)


def append(server: ImapServer, folder: str, raw: bytes) -> None:
    imap = server.client()
    try:
        assert imap.append(folder, None, None, raw)[0] == "OK"
    finally:
        imap.logout()


def flags_by_message_id(server: ImapServer, folder: str) -> dict[str, set[str]]:
    """Each message's flags (without \\Recent), by its Message-ID."""
    imap = server.client()
    try:
        assert imap.select(folder)[0] == "OK"
        status, data = imap.fetch("1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
        if status != "OK" or data == [None]:
            return {}
    finally:
        imap.logout()
    found = {}
    for item in data:
        if not isinstance(item, tuple):
            continue
        head, header = item
        flags = head.decode().split("FLAGS (", 1)[1].split(")", 1)[0].split()
        message_id = header.decode().split(":", 1)[1].strip()
        found[message_id] = {f for f in flags if f != "\\Recent"}
    return found
