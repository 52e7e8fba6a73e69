"""Template filters of the citizen pages: names of things in the page's language."""

from __future__ import annotations

from typing import Any

from django import template

from common.localized import localized as localized_value
from ward_boundaries.names import ward_title_of

register = template.Library()


@register.filter
def category_name(category: Any) -> str:
    """The category's name in the active language (the Vietnamese one is the fallback)."""
    return localized_value(category, "name")


@register.filter
def localized(obj: Any, field: str) -> str:
    """`{{ agency|localized:"name" }}`: obj's field in the active language, else Vietnamese
    (common.localized: `<field>_zh`, `<field>_en`, then `<field>_vi` or `<field>`)."""
    return localized_value(obj, field)


@register.filter
def ward_title(ward: Any) -> str:
    """`{{ report.ward|ward_title }}`: "Phường Hải Hòa", "Hải Hòa Ward", "Hải Hòa坊"."""
    return ward_title_of(ward) if ward else ""


@register.filter
def public_photos(photos: Any, kind: str = "") -> list:
    """The photos the public may see (blurred and published: ReportPhoto.is_public), of
    `kind` ("report" or "answer") when given; a pending photo is never shown."""
    return [p for p in photos if p.is_public and (not kind or p.kind == kind)]


@register.filter
def pending_photos(photos: Any) -> int:
    """How many photos are still being blurred (shown as a note, never as an image)."""
    return sum(1 for p in photos if not p.is_public)
