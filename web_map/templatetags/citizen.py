"""Template filters of the citizen pages: names of things in the page's language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def category_name(category) -> str:
    """The category's name in the active language (the Vietnamese one is the fallback)."""
    if category is None:
        return ""
    if (get_language() or "vi").startswith("en") and category.name_en:
        return category.name_en
    return category.name_vi
