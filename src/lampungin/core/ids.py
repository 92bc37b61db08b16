"""Tracking numbers that people can read out over the phone.

Format ``LPG-XXXX-XX``: six symbols from an alphabet without 0/O, 1/I/L and U (which
reads like V), so a number survives being spoken, handwritten or sent by SMS.
30^5 ≈ 24.3 million numbers (the sixth symbol is a check symbol), so a mistyped number
is caught before any lookup.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "LPG"
_PATTERN = re.compile(rf"^{PREFIX}-([{ALPHABET}]{{4}})-([{ALPHABET}]{{2}})$")


# Position weights coprime with 30, so that changing any one symbol always changes the
# check symbol (weights 1..5 missed e.g. a change by 15 positions at weight 2).
_WEIGHTS = (1, 7, 11, 13, 17)


def _check_symbol(body: str) -> str:
    total = sum(w * ALPHABET.index(ch) for w, ch in zip(_WEIGHTS, body, strict=True))
    return ALPHABET[total % len(ALPHABET)]


def new_tracking_number(prefix: str = PREFIX) -> str:
    """A fresh random tracking number such as ``LPG-7K3M-Q9`` (uniqueness is the caller's check).

    ``prefix`` names the kind of record (``PMH`` for service applications); the check
    symbol covers only the body, so each prefix has the same 24.3 million numbers.
    """
    body = "".join(secrets.choice(ALPHABET) for _ in range(5))
    full = body + _check_symbol(body)
    return f"{prefix}-{full[:4]}-{full[4:]}"


def random_code(length: int) -> str:
    """An unguessable code of ``length`` symbols from the tracking alphabet (log2(30) ≈ 4.9 bits each)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize_tracking_number(raw: str, prefix: str = PREFIX) -> str | None:
    """Canonical form of what a person typed, or None if it cannot be a tracking number.

    Lower case, spaces and missing dashes are forgiven; look-alike symbols are not
    guessed, because a wrong guess would show someone else's report.
    """
    cleaned = re.sub(r"[\s\-]", "", raw.upper())
    if cleaned.startswith(prefix):
        cleaned = cleaned[len(prefix) :]
    if len(cleaned) != 6 or any(ch not in ALPHABET for ch in cleaned):
        return None
    if _check_symbol(cleaned[:5]) != cleaned[5]:
        return None
    return f"{prefix}-{cleaned[:4]}-{cleaned[4:]}"


def is_valid_tracking_number(value: str) -> bool:
    return bool(_PATTERN.match(value)) and normalize_tracking_number(value) == value
