"""Reads of the citizen pages that belong to no lower app."""

from __future__ import annotations

from lampungin.accounts.models import User
from lampungin.catalog.models import Service
from lampungin.web.models import FavouriteService


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
