"""The language a report was made in, and the words of the catalogue in that language.

A citizen is written to (receipt, status changes) in the language they reported in, which is
stored on the report (Report.language). It is the request's active language (common.language:
the cookie, else Accept-Language, else Vietnamese), so the web map, the app, the outbox's
replays and Open311 clients all get it without a field of their own. Staff entering a report
for a caller choose it (Vietnamese unless they say); e-mail and imports are Vietnamese.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from common.localized import localized

# Languages whose text cannot be written in GSM-7, even without diacritics: their SMS needs
# a gateway that sends Unicode (gis_core.notifications falls back to Vietnamese otherwise).
UNICODE_ONLY_PREFIXES = ("zh",)


def language_codes() -> list[str]:
    """The codes Report.language takes: settings.LANGUAGES'."""
    return [code for code, _name in settings.LANGUAGES]


def report_language(code: str | None) -> str:
    """`code` as one of language_codes() ("en-GB" -> "en", "zh-cn" -> "zh-hans"), else the
    site's language (Vietnamese)."""
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


def request_language() -> str:
    """The active language of the request being served, as a Report.language."""
    return report_language(translation.get_language())


def needs_unicode(language: str) -> bool:
    """Whether an SMS in `language` is unreadable without Unicode (Chinese): Vietnamese and
    English only lose their diacritics on a GSM-7 gateway."""
    return language.startswith(UNICODE_ONLY_PREFIXES)


def category_name(category, language: str) -> str:
    """The category's name in `language` (common.localized: Vietnamese when not translated)."""
    return localized(category, "name", language)
