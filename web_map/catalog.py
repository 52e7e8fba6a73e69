"""The JavaScript translation catalog, one URL per language (/jsi18n/en/), so browsers and
the service worker cache each language's catalog apart, and the page picks the one of the
language it was rendered in. Rendered once per language and process: it changes only with
a deploy (compilemessages)."""

from __future__ import annotations

import functools
import hashlib
from typing import cast

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe
from django.views.i18n import JavaScriptCatalog

# The apps whose locale/ folders hold djangojs strings; LOCALE_PATHS (locale/) always counts.
PACKAGES = ["web_map"]


@functools.lru_cache(maxsize=8)
def _rendered(language: str) -> tuple[bytes, str]:
    with translation.override(language):
        request = HttpRequest()
        request.method = "GET"
        response = cast(HttpResponse, JavaScriptCatalog.as_view(packages=PACKAGES)(request))
    body = response.content
    return body, hashlib.sha256(body).hexdigest()[:16]


def catalog_url(language: str | None = None) -> str:
    """The catalog of `language` (the active one by default), versioned by its content."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    return reverse("javascript-catalog", args=[language]) + f"?v={_rendered(language)[1]}"


@require_safe
def javascript_catalog(request: HttpRequest, language: str) -> HttpResponse:
    if language not in dict(settings.LANGUAGES):
        raise Http404("No such language.")
    body, etag = _rendered(language)
    if request.headers.get("If-None-Match") == f'"{etag}"':
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["ETag"] = f'"{etag}"'
    # The URL carries ?v=<hash> from catalog_url(), so a long life is safe.
    response["Cache-Control"] = "public, max-age=86400"
    return response
