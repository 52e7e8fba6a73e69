"""Structured opening hours: is a place open at a moment, and which day is today.

The JSON (PointOfInterest.hours) is {"mon": [["08:00", "17:30"]], ..., "sun": [],
"always": false}, in the city's local time (common.local_time). A range whose close is not
after its open runs past midnight into the next day ("18:00"-"02:00"), so Saturday night's
bar is open at 01:00 on Sunday. {"always": true} is 24/7; {} (or no day key at all) is
unknown, which the API says as null rather than guessing "closed".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from common.local_time import LOCAL_TIME_ZONE

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")
_ZONE = ZoneInfo(LOCAL_TIME_ZONE)


def parse_hhmm(text: object) -> int | None:
    """Minutes after midnight of "HH:MM" (00:00-24:00), or None when it is no such time."""
    if not isinstance(text, str) or not _TIME.match(text):
        return None
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def local(at: dt.datetime) -> dt.datetime:
    """`at` in the city's time; a naive datetime is taken as already local."""
    return at.astimezone(_ZONE) if at.tzinfo is not None else at


def today_key(at: dt.datetime) -> str:
    """ "mon".."sun": the local weekday of `at`."""
    return DAY_KEYS[local(at).weekday()]


def is_known(hours: Mapping[str, Any] | None) -> bool:
    """Whether the hours say anything: 24/7 or at least one day's list."""
    if not isinstance(hours, Mapping):
        return False
    return bool(hours.get("always")) or any(key in hours for key in DAY_KEYS)


def _ranges(hours: Mapping[str, Any], day: str) -> list[tuple[int, int]]:
    ranges = []
    for pair in hours.get(day) or []:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            continue
        start, end = parse_hhmm(pair[0]), parse_hhmm(pair[1])
        if start is not None and end is not None:
            ranges.append((start, end))
    return ranges


def is_open(hours: Mapping[str, Any] | None, at: dt.datetime) -> bool | None:
    """True or False at the moment `at`; None when the hours are unknown.

    A day's range [open, close) holds that day's minutes; when close <= open it also holds
    the next day's minutes before close (past midnight), so yesterday's late range is looked
    at too. A day key missing while others are given means closed that day."""
    if hours is None or not is_known(hours):
        return None
    if hours.get("always"):
        return True
    moment = local(at)
    minute = moment.hour * 60 + moment.minute
    day = moment.weekday()
    for start, end in _ranges(hours, DAY_KEYS[day]):
        if start < end and start <= minute < end:
            return True
        if end <= start and minute >= start:  # past midnight: this evening's part
            return True
    for start, end in _ranges(hours, DAY_KEYS[(day - 1) % 7]):
        if end <= start and minute < end:  # past midnight: yesterday's range, early hours
            return True
    return False


def hours_problems(hours: object) -> list[str]:
    """What is wrong with a structured-hours value, as short English keys (the services turn
    them into Vietnamese messages): empty when it is well formed."""
    if not isinstance(hours, Mapping):
        return ["not_object"]
    problems = []
    for key, value in hours.items():
        if key == "always":
            if not isinstance(value, bool):
                problems.append("always")
            continue
        if key not in DAY_KEYS:
            problems.append(f"key:{key}")
            continue
        if not isinstance(value, list) or len(value) > 6:
            problems.append(f"day:{key}")
            continue
        for pair in value:
            ok = isinstance(pair, (list, tuple)) and len(pair) == 2
            if not ok or parse_hhmm(pair[0]) is None or parse_hhmm(pair[1]) is None:
                problems.append(f"day:{key}")
                break
    return problems
