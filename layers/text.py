"""Folding Vietnamese names to plain lowercase ASCII, so a search without diacritics finds them.

Visitors type "tra co" on phones without a Vietnamese keyboard; the folded copy is stored
(PointOfInterest.name_ascii) so the search is a plain icontains with no database extension.
"""

from __future__ import annotations

from common.text import strip_marks


def fold_name(text: str) -> str:
    """ "Bãi Trà Cổ" -> "bai tra co"; "Đền" -> "den". Whitespace collapsed, lowercase."""
    return " ".join(strip_marks(text).lower().split())


# What separates words in a name besides spaces; each becomes a space before matching.
PUNCTUATION = ",.;:!?()[]{}/\\-\u2013\u2014\"'\u201c\u201d&+\u00b7|_*#"
_WORD_BREAKS = str.maketrans(PUNCTUATION, " " * len(PUNCTUATION))


def words_text(text: str) -> str:
    """A text as " word word ", lowercase, punctuation as spaces, whitespace collapsed, so a
    word or phrase is found with LIKE '% word %' (layers.places.search)."""
    return " " + " ".join((text or "").lower().translate(_WORD_BREAKS).split()) + " "


def name_columns(name: str, name_en: str = "") -> dict[str, str]:
    """The stored search copies of a place's names (PointOfInterest.save and the bulk paths,
    which skip save): the folded name, and the names split into words as typed (Vietnamese
    with its diacritics and English) and folded (Vietnamese folded and English). Stored
    because computing them per row per query cost 0.2 s over 20,000 places
    (benchmarks/bench_tourist.py)."""
    english = words_text(name_en)
    return {
        "name_ascii": fold_name(name),
        "search_typed": words_text(name) + "|" + english,
        "search_folded": words_text(fold_name(name)) + "|" + english,
    }
