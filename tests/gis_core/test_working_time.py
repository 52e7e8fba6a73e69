"""Deadlines in working hours: sessions, weekends, public holidays (Vietnamese calendar)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from gis_core.working_time import add_working_hours

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN)


@pytest.mark.parametrize(
    "start,hours,due",
    [
        # Within the morning session.
        (at(2026, 11, 23, 8, 0), 2, at(2026, 11, 23, 10, 0)),
        # Across the lunch break (11:30-13:30).
        (at(2026, 11, 23, 10, 30), 2, at(2026, 11, 23, 14, 30)),
        # Outside hours: starts counting at the next session.
        (at(2026, 11, 23, 18, 0), 1, at(2026, 11, 24, 8, 30)),
        # Friday 16:30 + 8 h: 1 h on Friday, the weekend skipped, 7 h on Monday.
        (at(2026, 11, 27, 16, 30), 8, at(2026, 11, 30, 16, 30)),
        # A working week = 40 h.
        (at(2026, 11, 23, 7, 30), 40, at(2026, 11, 27, 17, 30)),
        # 2026-09-01 and 09-02 are holidays (Quốc khánh): Monday 31 Aug 17:00 + 1 h -> Thu 3 Sep.
        (at(2026, 8, 31, 17, 0), 1, at(2026, 9, 3, 8, 0)),
    ],
)
def test_add_working_hours(start, hours, due):
    assert add_working_hours(start, hours) == due


def test_holidays_are_a_setting(settings):
    settings.PUBLIC_HOLIDAYS = ("2026-11-24",)
    assert add_working_hours(at(2026, 11, 23, 17, 0), 1) == at(2026, 11, 25, 8, 0)
    settings.WORKING_DAYS = ()
    with pytest.raises(ValueError, match="No working time"):
        add_working_hours(at(2026, 11, 23, 17, 0), 1, max_days=30)
