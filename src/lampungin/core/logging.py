"""Log filter that masks personal data before any handler writes it.

UU 27/2022 treats NIK and phone numbers as personal data; logs are copied to places
with weaker access control than the database, so they must never contain them.
"""

from __future__ import annotations

import logging
import re

# 16 digits starting with a province code (11–94) is a NIK; Indonesian mobile numbers
# start with 08 / 628 / +628 and have 9–13 digits after the prefix.
_NIK = re.compile(r"(?<!\d)([1-9]\d{3})\d{10}(\d{2})(?!\d)")
_PHONE = re.compile(r"(?<![\d+])(\+?62|0)8\d{6,11}(?!\d)")


def redact(text: str) -> str:
    """Replace NIK and phone numbers in ``text`` by masked forms."""
    # Same shape as core.nik.mask_nik: region code, ten stars, last two digits.
    text = _NIK.sub(lambda m: f"{m.group(1)}**********{m.group(2)}", text)
    return _PHONE.sub("[telepon disamarkan]", text)


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True
