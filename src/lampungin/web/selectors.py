"""Reads of the citizen pages that belong to no lower app."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from lampungin.accounts.models import User
from lampungin.catalog.models import Service
from lampungin.web.models import Announcement, FavouriteService

# "Layanan terpopuler" ranks by how often a service page is opened (``Service.view_count``,
# one ``F()`` UPDATE per view) plus its favourites: pinning a service says more than opening
# its page once, so a favourite weighs as much as FAVOURITE_WEIGHT views.
FAVOURITE_WEIGHT = 20


def favourite_services(user: User):
    """``user``'s pinned services that are still published, newest first."""
    if not user.is_authenticated:
        return Service.objects.none()
    return (
        Service.objects.filter(is_published=True, favourited_by__user=user)
        .select_related("agency")
        .order_by("-favourited_by__created_at")
    )


def is_favourite(user: User, service: Service) -> bool:
    return user.is_authenticated and FavouriteService.objects.filter(user=user, service=service).exists()


def current_announcements(limit: int = 3) -> QuerySet[Announcement]:
    """Published announcements that have started and not ended, newest first."""
    now = timezone.now()
    return (
        Announcement.objects.filter(is_published=True, starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("-starts_at", "-pk")[:limit]
    )


def popular_services(limit: int = 6) -> QuerySet[Service]:
    """Published services most used by citizens: views plus weighted favourites, one query."""
    return (
        Service.objects.filter(is_published=True)
        .annotate(favourites=Count("favourited_by"))
        .annotate(popularity=F("view_count") + FAVOURITE_WEIGHT * F("favourites"))
        .filter(popularity__gt=0)
        .select_related("agency")
        .order_by("-popularity", "name")[:limit]
    )
