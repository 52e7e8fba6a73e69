"""A name or text of a record in the reader's language: Vietnamese, English or Chinese.

Data shown to visitors (category, agency, layer and POI names, POI descriptions, Wi-Fi
notes) is stored in three columns: `<field>_vi` or plain `<field>` (Vietnamese, always
filled), `<field>_en` and `<field>_zh` (blank when nobody has translated it yet). One rule
picks the column everywhere, pages and messages alike, so a reader never sees English on one
page and Vietnamese for the same thing on the next: the reader's language if that column is
filled, else Vietnamese. Vietnamese is the fallback because it is the one always entered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language

LANGUAGE_SUFFIXES = ("vi", "en", "zh")


def language_suffix(language: str | None = None) -> str:
    """ "zh", "en" or "vi" for a language code ("zh-hans", "en-gb", "vi"; None: the active one)."""
    code = (language if language is not None else get_language() or "vi").lower()
    if code.startswith("zh"):
        return "zh"
    if code.startswith("en"):
        return "en"
    return "vi"


def _value(obj: Mapping[str, Any] | object, key: str) -> str:
    if isinstance(obj, Mapping):
        value = obj.get(key)
    else:
        value = getattr(obj, key, None)
    return "" if value is None else str(value).strip()


def vietnamese(obj: Mapping[str, Any] | object, field: str) -> str:
    """The Vietnamese value: `<field>_vi`, else the plain `<field>` column."""
    return _value(obj, f"{field}_vi") or _value(obj, field)


def localized(
    obj: Mapping[str, Any] | object | None, field: str, language: str | None = None
) -> str:
    """`obj`'s `field` in `language` (default: the active language), Vietnamese when the
    translation is blank. Works on model instances, dataclasses and dicts (`values()` rows).

    >>> row = {"name_vi": "Môi trường", "name_en": "Environment", "name_zh": ""}
    >>> localized(row, "name", "en"), localized(row, "name", "zh-hans")
    ('Environment', 'Môi trường')
    """
    if obj is None:
        return ""
    suffix = language_suffix(language)
    if suffix != "vi":
        translated = _value(obj, f"{field}_{suffix}")
        if translated:
            return translated
    return vietnamese(obj, field)


def all_languages(obj: Mapping[str, Any] | object, field: str) -> dict[str, str]:
    """{"vi": ..., "en": ..., "zh": ...}: each language's value, each falling back to Vietnamese."""
    return {suffix: localized(obj, field, suffix) for suffix in LANGUAGE_SUFFIXES}
