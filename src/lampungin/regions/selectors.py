"""Reads for regions (public reference data: no scoping needed)."""

from __future__ import annotations

from django.db.models import QuerySet

from lampungin.regions.choices import Level
from lampungin.regions.geo import distance_km
from lampungin.regions.models import Region


def regencies() -> QuerySet[Region]:
    return Region.objects.filter(level=Level.REGENCY).order_by("code")


def districts() -> QuerySet[Region]:
    return Region.objects.filter(level=Level.DISTRICT).order_by("parent_id", "name")


def children_of(code: str) -> QuerySet[Region]:
    return Region.objects.filter(parent_id=code).order_by("name")


def nearest_regency(lat: float, lng: float) -> Region | None:
    """The kabupaten/kota whose approximate centre is nearest: a suggestion, not a boundary test."""
    candidates = [r for r in regencies() if r.lat is not None and r.lng is not None]
    if not candidates:
        return None
    return min(candidates, key=lambda r: distance_km(lat, lng, r.lat, r.lng))
