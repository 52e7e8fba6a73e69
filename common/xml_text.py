"""Characters XML 1.0 cannot carry (C0 controls other than tab, newline and carriage return,
lone surrogates, U+FFFE and U+FFFF): refused in text people type, stripped on output.

One stray control character in one description would make every Open311 XML feed that
lists the report ill-formed for every client, so intake refuses it (with NUL, which
PostgreSQL cannot store) and the XML renderer strips any that older rows still hold.
"""

from __future__ import annotations

import re

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_illegal_characters(text: str) -> list[str]:
    """The distinct illegal characters of `text` as escapes ('\\x0b'), in order of first use."""
    seen: dict[str, None] = {}
    for match in _ILLEGAL.finditer(text):
        seen.setdefault(match.group().encode("unicode_escape", "backslashreplace").decode())
    return list(seen)


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry."""
    return _ILLEGAL.sub("", text)
