"""Dates and numbers come out as each language's readers write them (common/formats).

FORMAT_MODULE_PATH puts our modules before Django's: Vietnamese short dates are "02/12/2026"
with "1.234,5" numbers, English keeps Django's US forms, and Simplified Chinese reads
"2026年12月2日" with "1,234.5". A missing or misnamed module falls back to Django's own
formats silently, which these assertions catch.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import date_format, number_format

DAY = dt.date(2026, 12, 2)
MOMENT = dt.datetime(2026, 12, 2, 14, 5)

CASES = {
    "vi": {
        "SHORT_DATE_FORMAT": "02/12/2026",
        "SHORT_DATETIME_FORMAT": "14:05 02/12/2026",
        "number": "1.234,5",
    },
    "en": {
        "SHORT_DATE_FORMAT": "12/02/2026",
        "DATE_FORMAT": "Dec. 2, 2026",
        "number": "1,234.5",
    },
    "zh-hans": {
        "DATE_FORMAT": "2026年12月2日",
        "DATETIME_FORMAT": "2026年12月2日 14:05",
        "SHORT_DATE_FORMAT": "2026/12/02",
        "SHORT_DATETIME_FORMAT": "2026/12/02 14:05",
        "number": "1,234.5",
    },
}


@pytest.mark.parametrize("language", sorted(CASES))
def test_dates_read_as_the_language_writes_them(language):
    expected = {k: v for k, v in CASES[language].items() if k != "number"}
    with translation.override(language):
        got = {name: date_format(MOMENT if "DATETIME" in name else DAY, name) for name in expected}
    assert got == expected


@pytest.mark.parametrize("language", sorted(CASES))
def test_numbers_use_the_language_separators(language):
    with translation.override(language):
        got = number_format(Decimal("1234.5"), force_grouping=True)
    assert got == CASES[language]["number"]


def test_large_chinese_numbers_group_by_thousands_not_by_wan():
    with translation.override("zh-hans"):
        assert number_format(12345678, force_grouping=True) == "12,345,678"
