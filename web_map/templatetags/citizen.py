"""Template filters of the citizen pages: names of things in the page's language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def category_name(category) -> str:
    """The category's name in the active language (the Vietnamese one is the fallback);
    name_zh where the model has it."""
    if category is None:
        return ""
    language = (get_language() or "vi").lower()
    field = {"zh": "name_zh", "en": "name_en"}.get(language[:2], "")
    return (getattr(category, field, "") if field else "") or category.name_vi
