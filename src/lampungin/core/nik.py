"""Structural validation of the Indonesian NIK (Nomor Induk Kependudukan).

There is no check digit: only the structure can be checked here. Authenticity needs
Dukcapil's service, behind an adapter in ``integrations``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class NikInfo:
    province: str
    regency: str
    district: str
    birth_date: dt.date
    female: bool


def parse_nik(raw: str, *, today: dt.date | None = None) -> NikInfo:
    """Decode a NIK or raise ValidationError with a message in Bahasa Indonesia."""
    nik = raw.strip().replace(" ", "")
    if len(nik) != 16 or not nik.isdigit():
        raise ValidationError(_("NIK harus 16 digit angka."), code="nik_format")
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = day > 40
    if female:
        day -= 40
    today = today or dt.date.today()  # noqa: DTZ011 - a date, used only to pick the century
    century = 2000 if 2000 + year2 <= today.year else 1900
    try:
        birth = dt.date(century + year2, month, day)
    except ValueError as exc:
        raise ValidationError(_("Tanggal lahir dalam NIK tidak valid."), code="nik_date") from exc
    if int(nik[12:16]) == 0:
        raise ValidationError(_("Nomor urut NIK tidak boleh 0000."), code="nik_serial")
    if nik[0:2] == "00" or nik[2:4] == "00" or nik[4:6] == "00":
        raise ValidationError(_("Kode wilayah dalam NIK tidak valid."), code="nik_region")
    return NikInfo(province=nik[0:2], regency=nik[2:4], district=nik[4:6], birth_date=birth, female=female)


def mask_nik(nik: str) -> str:
    """``1871**********01`` — enough for a person to recognise their own NIK."""
    return f"{nik[:4]}{'*' * 10}{nik[-2:]}" if len(nik) == 16 else "****************"
