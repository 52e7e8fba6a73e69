"""Vietnamese phone numbers in one form (+84 and nine or ten digits): a report's contact phone
is stored so (from the API or an import), and sign-in looks it up so to claim the reports."""

from __future__ import annotations

import re

from common.validation import is_ascii_digits

_DIGITS = re.compile(r"[\s.\-()]")


def normalize_phone(raw: str | None) -> str | None:
    """'0912 345 678', '+84912345678' and '84912345678' all give '+84912345678'; None if the
    text is not a Vietnamese mobile or landline number."""
    if not raw:
        return None
    digits = _DIGITS.sub("", raw.strip())
    if digits.startswith("+84"):
        national = digits[3:]
    elif digits.startswith("84") and len(digits) >= 11:
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        return None
    if not is_ascii_digits(national) or not 9 <= len(national) <= 10 or national.startswith("0"):
        return None
    return "+84" + national
