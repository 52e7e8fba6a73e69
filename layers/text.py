"""Folding Vietnamese names to plain lowercase ASCII, so a search without diacritics finds them.

Visitors type "tra co" on phones without a Vietnamese keyboard; the folded copy is stored
(PointOfInterest.name_ascii) so the search is a plain icontains with no database extension.
"""

from __future__ import annotations

import unicodedata


def fold_name(text: str) -> str:
    """ "Bãi Trà Cổ" -> "bai tra co"; "Đền" -> "den". Whitespace collapsed, lowercase."""
    # đ/Đ are letters of their own, not d plus a combining mark, so NFD leaves them alone.
    decomposed = unicodedata.normalize("NFD", (text or "").replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.lower().split())
