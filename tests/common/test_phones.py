"""Phones are ASCII digits: other scripts' digits are not a Vietnamese number, though
str.isdigit() says they are digits."""

import pytest

from common.phones import normalize_phone


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("0912 345 678", "+84912345678"),
        ("+84 912-345-678", "+84912345678"),
        ("84912345678", "+84912345678"),
        (
            "0\u0669\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668",
            None,
        ),  # Arabic-Indic digits: isdigit() says yes, a phone says no
        ("\uff10\uff19\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18", None),  # fullwidth digits
        ("09123456\u00b28", None),
    ],
)
def test_only_ascii_digits_make_a_phone(raw, normalised):
    assert normalize_phone(raw) == normalised
