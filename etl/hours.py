"""Opening hours as a short text and as the JSON that ``PointOfInterest.hours`` stores.

The exchange files (etl.places) carry hours as a text a person can type in a spreadsheet::

    mon-fri 08:00-17:30; sat 08:00-12:00; sun closed
    mon 07:00-11:00,13:30-17:00            (several ranges in a day)
    fri-sat 18:00-02:00                    (past midnight: close before open)
    24/7

and the database stores the structured form of /work/notes/PLACES.md, so "open now" is a
comparison rather than a parse: ``{"mon": [["08:00", "17:30"]], ..., "sun": [], "always":
false}``, ``{"always": true}`` for 24/7 and ``{}`` when the hours are unknown (empty text).
Days a text does not name are closed. ``hours_to_text`` is the inverse: it writes the same
grammar, grouping consecutive days with the same ranges, so an export re-imports unchanged.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from django.utils.translation import gettext as _

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALWAYS_TEXT = "24/7"
CLOSED_WORD = "closed"
MAX_HOURS_TEXT = 300  # characters: a week of split shifts fits in far less
_DAY = r"[a-z]{3}"
_DAY_SPEC = rf"{_DAY}(?:\s*-\s*{_DAY})?"
_RULE = re.compile(rf"(?P<days>{_DAY_SPEC}(?:\s*,\s*{_DAY_SPEC})*)\s+(?P<times>\S.*)")
_RANGE = re.compile(r"(?P<open>[0-9]{2}:[0-9]{2})-(?P<close>[0-9]{2}:[0-9]{2})")

Hours = dict[str, Any]


class HoursProblem(ValueError):
    """Hours text that does not follow the grammar; the message says what and how to write it."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def _fragment(text: str) -> str:
    """A short quote of the offending part (the curator's own file, so quoting it helps)."""
    return text if len(text) <= 40 else text[:37] + "..."


def _example() -> str:
    return _("viết như “mon-fri 08:00-17:30; sat 08:00-12:00; sun closed” hoặc “24/7”")


def _days(spec: str) -> list[str]:
    """The day keys a spec such as "mon-fri,sun" names, in its order (fri-mon wraps)."""
    days: list[str] = []
    for part in spec.split(","):
        ends = [end.strip() for end in part.split("-")]
        for end in ends:
            if end not in DAYS:
                raise HoursProblem(
                    _("“%(day)s” không phải là ngày; dùng mon, tue, wed, thu, fri, sat, sun")
                    % {"day": _fragment(end)}
                )
        first, last = DAYS.index(ends[0]), DAYS.index(ends[-1])
        span = (last - first) % 7
        days += [DAYS[(first + step) % 7] for step in range(span + 1)]
    return days


def _minutes(clock: str, *, closing: bool) -> int:
    hours, minutes = int(clock[:2]), int(clock[3:])
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not closing)):
        raise HoursProblem(_("“%(time)s” không phải là giờ hợp lệ (00:00-23:59)") % {"time": clock})
    return hours * 60 + minutes


def _ranges(times: str) -> list[list[str]]:
    """The [open, close] pairs of "07:00-11:00,13:30-17:00", checked not to overlap."""
    ranges: list[list[str]] = []
    spans: list[tuple[int, int]] = []
    for part in times.split(","):
        match = _RANGE.fullmatch(part)
        if match is None:
            raise HoursProblem(
                _("không hiểu khoảng giờ “%(range)s”: viết HH:MM-HH:MM, ví dụ 08:00-17:30")
                % {"range": _fragment(part)}
            )
        start = _minutes(match["open"], closing=False)
        end = _minutes(match["close"], closing=True)
        if start == end:
            raise HoursProblem(
                _("khoảng giờ “%(range)s” mở và đóng cùng một lúc") % {"range": part}
            )
        spans.append((start, end if end > start else end + 24 * 60))
        ranges.append([match["open"], match["close"]])
    order = sorted(range(len(spans)), key=lambda i: spans[i][0])
    for before, after in itertools.pairwise(order):
        if spans[after][0] < spans[before][1]:
            raise HoursProblem(
                _("các khoảng giờ “%(times)s” chồng lên nhau") % {"times": _fragment(times)}
            )
    return [ranges[i] for i in order]


def parse_hours(text: str) -> Hours:
    """The JSON of an hours text; ``{}`` for an empty text.

    Raises
    ------
    HoursProblem
        On anything outside the grammar, a day named twice, an impossible or overlapping time.
    """
    text = " ".join(text.split()).lower()
    if not text:
        return {}
    if len(text) > MAX_HOURS_TEXT:
        raise HoursProblem(_("dài quá %(n)s ký tự") % {"n": MAX_HOURS_TEXT})
    if text == ALWAYS_TEXT:
        return {"always": True}
    week: dict[str, list[list[str]]] = {}
    for rule in (part.strip() for part in text.split(";")):
        if not rule:
            continue
        match = _RULE.fullmatch(rule)
        if match is None:
            raise HoursProblem(
                _("không hiểu “%(rule)s”: %(example)s")
                % {"rule": _fragment(rule), "example": _example()}
            )
        times = match["times"].replace(" ", "")
        ranges = [] if times == CLOSED_WORD else _ranges(times)
        for day in _days(match["days"]):
            if day in week:
                raise HoursProblem(_("ngày %(day)s được ghi hai lần") % {"day": day})
            week[day] = [list(pair) for pair in ranges]
    if not week:
        raise HoursProblem(_("không có ngày nào: %(example)s") % {"example": _example()})
    return {**{day: week.get(day, []) for day in DAYS}, "always": False}


def _ranges_text(ranges: list[list[str]]) -> str:
    return ",".join(f"{start}-{end}" for start, end in ranges) if ranges else CLOSED_WORD


def hours_to_text(hours: Hours | None) -> str:
    """The text of a stored hours JSON (the inverse of parse_hours): "" when unknown.

    Consecutive days with the same ranges become one run ("mon-fri"), so what an export
    writes is what a person would type and parses back to the same JSON.
    """
    if not hours:
        return ""
    if hours.get("always"):
        return ALWAYS_TEXT
    week = [(day, [list(pair) for pair in hours.get(day) or []]) for day in DAYS]
    rules: list[str] = []
    index = 0
    while index < len(week):
        day, ranges = week[index]
        end = index
        while end + 1 < len(week) and week[end + 1][1] == ranges:
            end += 1
        days = day if end == index else f"{day}-{week[end][0]}"
        rules.append(f"{days} {_ranges_text(ranges)}")
        index = end + 1
    return "; ".join(rules)
