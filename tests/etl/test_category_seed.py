"""The classifier's seed set (data/category_seed.csv, issue 14) keeps its promises: at least
60 descriptions for every seeded category and none for an unknown one, in all three styles,
no repeats, the diacritic-free rows really free of them, and nothing that looks like a phone
number or an e-mail address (the descriptions are invented, and stay free of personal data)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

from gis_core.categories import SEED_CATEGORIES

SEED = Path(__file__).resolve().parents[2] / "data" / "category_seed.csv"
STYLES = {"diacritics", "no_diacritics", "informal"}
PHONE_LIKE = re.compile(r"\d[\d .]{7,}\d")  # nine or more digits in a run
EMAIL_LIKE = re.compile(r"\S+@\S+\.\w+")


def rows() -> list[dict[str, str]]:
    with SEED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_category_has_sixty_descriptions_in_each_style_and_no_unknown_one():
    found = rows()
    codes = {row["code"] for row in SEED_CATEGORIES}
    per_category = Counter(row["category"] for row in found)
    assert set(per_category) == codes
    assert min(per_category.values()) >= 60
    for code in codes:
        styles = {row["style"] for row in found if row["category"] == code}
        assert styles == STYLES, code


def test_no_repeats_no_personal_data_and_plain_rows_are_plain():
    found = rows()
    texts = [" ".join(row["text"].lower().split()) for row in found]
    assert len(texts) == len(set(texts))
    for row in found:
        text = row["text"]
        assert text.strip() and "\n" not in text
        assert not PHONE_LIKE.search(text.replace(".000", "")), text
        assert not EMAIL_LIKE.search(text), text
        if row["style"] == "no_diacritics":
            assert text.isascii(), text
