"""Indonesian mobile numbers in one canonical form (+628…)."""

from __future__ import annotations

import re


def normalize_phone(raw: str) -> str | None:
    """``0812-3456-789`` → ``+628123456789``; None if it is not an Indonesian mobile number."""
    digits = re.sub(r"[\s\-().]", "", raw or "")
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    elif digits.startswith("62"):
        digits = "0" + digits[2:]
    if not re.fullmatch(r"08\d{8,12}", digits):
        return None
    return "+62" + digits[1:]


def mask_phone(phone: str) -> str:
    return phone[:5] + "****" + phone[-3:] if len(phone) > 8 else "****"
