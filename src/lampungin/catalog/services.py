"""Writes for the catalog: loading the seed services and categories."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from lampungin.agencies.models import Agency
from lampungin.catalog.models import ReportCategory, Service, ServiceGroup

DATA = Path(__file__).parent / "data"


def _load(name: str) -> list[dict]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@transaction.atomic
def load_seed_catalog() -> tuple[int, int]:
    """Create seed groups, services and report categories; idempotent and keeps admins' edits."""
    groups = {}
    for order, item in enumerate(_load("service_groups.json")):
        groups[item["code"]], _ = ServiceGroup.objects.get_or_create(
            code=item["code"], defaults={"name": item["name"], "icon": item.get("icon", ""), "order": order}
        )
    agencies = {a.code: a for a in Agency.objects.all()}
    standard = Service.STANDARD_FIELDS + ("service_time_days", "service_time_unit", "summary", "url")
    services = 0
    for item in _load("services.json"):
        defaults = {key: item[key] for key in standard if key in item}
        defaults.update(
            name=item["name"],
            group=groups[item["group"]],
            agency=agencies[item["agency"]],
            kind=item["kind"],
            keywords=", ".join(item.get("keywords", [])),
            is_sample=item.get("is_sample", True),
        )
        Service.objects.get_or_create(code=item["code"], defaults=defaults)
        services += 1
    categories = 0
    for item in _load("report_categories.json"):
        ReportCategory.objects.get_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "hint": item.get("hint", ""),
                "group": groups.get(item.get("group")),
                "default_agency": agencies[item["agency"]],
                "authority": item.get("authority", "province"),
                "keywords": ", ".join(item.get("keywords", [])),
            },
        )
        categories += 1
    return services, categories
