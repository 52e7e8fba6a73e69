"""A ward's title in the reader's language: "Phường Hải Hòa", "Hải Hòa Ward", "Hải Hòa坊".

The name itself stays Vietnamese in every language (it is the official name); only the unit
type is translated, in the order each language writes it (locale/README: the unit types'
sources). One home for the rule, so pages, tables and messages title a ward alike.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy

UNIT_TITLES = {
    "phuong": gettext_lazy("Phường %(name)s"),
    "xa": gettext_lazy("Xã %(name)s"),
    "thi_tran": gettext_lazy("Thị trấn %(name)s"),
}


def ward_title(name: str, unit_type: str | None, language: str | None = None) -> str:
    """`name` with its unit type in `language` (default: the active one); the bare name for
    an unknown unit type."""
    title = UNIT_TITLES.get(unit_type or "")
    if title is None:
        return name
    if language is None:
        return str(title) % {"name": name}
    with translation.override(language):
        return str(title) % {"name": name}


def ward_title_of(ward: object, language: str | None = None) -> str:
    """ward_title of a Ward row (anything with `name` and `unit_type`)."""
    return ward_title(getattr(ward, "name", ""), getattr(ward, "unit_type", None), language)
