"""More lines for the staff digest, from apps above gis_core.

gis_core may not import layers (the apps point one way: .importlinter), yet the digest should
carry what layers finds, such as the week's forecast alerts. So the digest asks this registry:
an app registers a section in its AppConfig.ready(), and notify_staff calls each one with the
staff member and the period the e-mail covers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

# (user, since, now) → the section's lines for that staff member (none: nothing to say).
DigestSection = Callable[[Any, dt.datetime, dt.datetime], list[str]]

_SECTIONS: dict[str, DigestSection] = {}


def register_digest_section(name: str, section: DigestSection) -> None:
    """Adds (or replaces, by name: ready() may run twice in tests) a section."""
    _SECTIONS[name] = section


def digest_lines(user, since: dt.datetime, now: dt.datetime) -> list[str]:
    """Every registered section's lines for `user`, in registration order."""
    lines: list[str] = []
    for section in _SECTIONS.values():
        lines.extend(section(user, since, now))
    return lines
