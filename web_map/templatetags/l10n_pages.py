"""Template tags every page's language needs: the JS catalog of the page's language (loaded
before the modules, so their gettext() calls translate) and the languages the switcher offers."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.translation import get_language

from web_map.catalog import catalog_url as _catalog_url

register = template.Library()


@register.simple_tag
def catalog_url() -> str:
    """The versioned /jsi18n/<language>/ URL of the active language (web_map.catalog)."""
    return _catalog_url()


@register.simple_tag
def language_choices() -> list[dict[str, object]]:
    """settings.LANGUAGES as the switcher shows them: each named in itself (the settings' own
    names, never translated, so "English" stays "English" on the Vietnamese page), the active
    one marked `current`."""
    active = (get_language() or settings.LANGUAGE_CODE).lower()
    return [
        {"code": code, "name": name, "current": code.lower() == active}
        for code, name in settings.LANGUAGES
    ]
