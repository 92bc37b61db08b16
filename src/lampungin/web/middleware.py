"""Site-wide request handling of the citizen pages: the language shown and compressed answers."""

from __future__ import annotations

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is not consulted.

    Many phones in Lampung run an English system language while their owners read
    Indonesian first: guessing from the browser would greet them in English. The language
    changes only through ``/i18n/setlang/``, which sets the language cookie.
    """

    def process_request(self, request) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        try:
            language = translation.get_supported_language_variant(chosen)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for text only: photos and other compressed media pass untouched.

    Pages, JSON, CSS and scripts shrink to a quarter on weak mobile links; compressing a JPEG
    again only costs CPU. Django (4.2+) pads each compressed response with random bytes, the
    mitigation against BREACH on pages that carry a CSRF token.
    """

    COMPRESSIBLE = ("text/", "application/json", "application/manifest+json", "application/javascript")

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(self.COMPRESSIBLE):
            return response
        return super().process_response(request, response)
