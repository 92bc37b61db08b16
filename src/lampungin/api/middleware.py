"""Per-address limits on REST API calls.

Anonymous calls (the catalog, regions, public reports, registration and sign-in) are what a
scraper or a password-guesser uses: ``PUBLIC_RATE_LIMIT`` a minute per address. Calls with an
``Authorization`` header are checked by each endpoint, after this runs, so a made-up header
must not be a way around the limit: they get their own budget per address, ten times larger
(an agency system or a NAT of many phones). A signed-in session is already verified and
counted per account where it matters (reports per hour).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from lampungin.core import ratelimit
from lampungin.core.errors import TooManyRequests

PREFIX = "/api/"
AUTHORIZED_FACTOR = 10


class AnonymousRateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if request.path.startswith(PREFIX) and not (user and user.is_authenticated):
            with_header = bool(request.headers.get("Authorization"))
            try:
                ratelimit.check_address(
                    request,
                    "api-auth" if with_header else "api-anon",
                    factor=AUTHORIZED_FACTOR if with_header else 1,
                )
            except TooManyRequests as exc:
                # The API's error shape (api/main.py): detail + code.
                response = JsonResponse({"detail": exc.message, "code": exc.code}, status=exc.status)
                response["Retry-After"] = str(exc.retry_after)
                return response
        return self.get_response(request)
