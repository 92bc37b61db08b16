"""Errors that services raise and every interface (pages, API) turns into a clear answer.

Input problems are Django ``ValidationError`` (field → messages, HTTP 400). The errors
below carry a stable ``code`` for clients and a message in the user's language.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotAllowed(DomainError):
    """The actor may not do this (HTTP 403)."""

    status = 403
    code = "forbidden"


class NotFound(DomainError):
    """Missing, or hidden from this actor: both look the same so that existence is not leaked."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The request is valid but the object's current state forbids it (HTTP 409)."""

    status = 409
    code = "conflict"


class UnsupportedMediaType(DomainError):
    """The request body is not in the form the endpoint takes (HTTP 415)."""

    status = 415
    code = "unsupported_media_type"


class TooManyRequests(DomainError):
    """A rate limit was reached (HTTP 429); ``retry_after`` seconds, when known, go into the
    Retry-After header."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, code: str | None = None, retry_after: int | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after
