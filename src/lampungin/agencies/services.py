"""Writes for agencies: loading the seed list and the kabupaten/kota governments."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from lampungin.agencies.choices import AgencyLevel
from lampungin.agencies.models import Agency, Unit
from lampungin.regions.choices import Kind
from lampungin.regions.selectors import regencies

DATA = Path(__file__).parent / "data" / "agencies.json"


def regency_agency_code(region_code: str) -> str:
    return "pemkab-" + region_code.replace(".", "")


@transaction.atomic
def load_seed_agencies() -> int:
    """Create provincial agencies and one government per kabupaten/kota; idempotent, keeps edits."""
    count = 0
    for item in json.loads(DATA.read_text(encoding="utf-8")):
        agency, _created = Agency.objects.get_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "short_name": item["short_name"],
                "kind": item.get("kind", ""),
                "level": AgencyLevel.PROVINCE,
                "email": item.get("email", ""),
                "is_verification_desk": item.get("verification_desk", False),
            },
        )
        for unit_name in item.get("units", []):
            Unit.objects.get_or_create(agency=agency, name=unit_name)
        count += 1
    for region in regencies():
        title = "Pemerintah Kota" if region.kind == Kind.KOTA else "Pemerintah Kabupaten"
        short = ("Pemkot " if region.kind == Kind.KOTA else "Pemkab ") + region.name
        Agency.objects.get_or_create(
            code=regency_agency_code(region.code),
            defaults={
                "name": f"{title} {region.name}",
                "short_name": short,
                "kind": "pemda",
                "level": AgencyLevel.REGENCY,
                "region": region,
            },
        )
        count += 1
    return count
