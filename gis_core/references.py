"""Short human references of reports: MC-2612-0042 (city prefix, year and month, number).

The database numbers reports per local month (gis_core migration 0016); this module only
writes and reads the text, so the prefix stays a setting (HT_REFERENCE_PREFIX) and a city
can change it without renumbering anything.
"""

from __future__ import annotations

import re

from django.conf import settings

_REFERENCE = re.compile(r"^\s*([A-Za-z]{1,6})-(\d{2})(\d{2})-(\d{1,9})\s*$")


def format_reference(month: int | None, number: int | None) -> str:
    """'MC-2612-0042' for (202612, 42); '' when the report has no number (never expected)."""
    if not month or not number:
        return ""
    return f"{settings.REFERENCE_PREFIX}-{month % 10000:04d}-{number:04d}"


def parse_reference(text: object) -> tuple[int, int] | None:
    """(YYYYMM, number) of a reference in this city's format, or None.

    Lower case and surrounding spaces are accepted (people type references from an SMS);
    another city's prefix is not this city's report.
    """
    if not isinstance(text, str) or len(text) > 40:
        return None
    match = _REFERENCE.match(text)
    if match is None or match.group(1).upper() != settings.REFERENCE_PREFIX.upper():
        return None
    year, month, number = 2000 + int(match.group(2)), int(match.group(3)), int(match.group(4))
    if not 1 <= month <= 12 or number < 1:
        return None
    return year * 100 + month, number


def looks_like_reference(text: object) -> bool:
    return parse_reference(text) is not None
