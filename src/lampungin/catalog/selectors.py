"""Reads for the catalog (public)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lampungin.catalog.models import ReportCategory, Service


def published_services(query: str = "", group: str = "") -> QuerySet[Service]:
    qs = Service.objects.filter(is_published=True).select_related("agency", "group")
    if group:
        qs = qs.filter(group__code=group)
    for word in query.split()[:6]:
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(keywords__icontains=word)
            | Q(summary__icontains=word)
            | Q(agency__short_name__icontains=word)
        )
    return qs.order_by("name")


def active_categories() -> QuerySet[ReportCategory]:
    return ReportCategory.objects.filter(is_active=True).select_related("default_agency").order_by("name")
