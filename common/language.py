"""The user's language for a request: the language cookie, else Accept-Language, else
Vietnamese (the source language). One mechanism for pages and the API alike.

Lighter than Django's LocaleMiddleware on the hot path: a request that carries neither a
cookie nor an Accept-Language header (most API clients, the benchmarks) skips negotiation.
URLs stay the same in every language (no /en/ prefixes); pages vary on Cookie and
Accept-Language so a shared cache never hands one language's page to another reader.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES or request.META.get(
            "HTTP_ACCEPT_LANGUAGE"
        ):
            language = translation.get_language_from_request(request)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
