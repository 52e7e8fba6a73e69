"""Vietnamese text without its marks: one rule for every search and every ASCII fallback.

đ/Đ are letters of their own, not d plus a combining mark, so NFD leaves them alone and they
are replaced first. Used by the place search (layers.text.fold_name), ASCII SMS
(gis_core.reporter_messages.unaccent) and the category classifier's features.
"""

from __future__ import annotations

import unicodedata


def strip_marks(text: str) -> str:
    """'Phản ánh đã xử lý' -> 'Phan anh da xu ly'; the case is kept."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
