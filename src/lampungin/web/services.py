"""Writes of the citizen pages that belong to no lower app: a citizen's favourite services."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lampungin.accounts.models import User
from lampungin.catalog.models import Service
from lampungin.core.errors import NotFound
from lampungin.web.models import FavouriteService

MAX_FAVOURITES = 50


def set_favourite(*, user: User, service_code: str, favourite: bool) -> bool:
    """Pin (or unpin) a published service on ``user``'s account page; idempotent. Returns the new state."""
    service = Service.objects.filter(code=service_code, is_published=True).first()
    if service is None:
        raise NotFound(_("Layanan tidak ditemukan."))
    if not favourite:
        FavouriteService.objects.filter(user=user, service=service).delete()
        return False
    if FavouriteService.objects.filter(user=user).count() >= MAX_FAVOURITES:
        # Keep the newest: the oldest pin gives way, so the list stays one screen long.
        oldest = FavouriteService.objects.filter(user=user).order_by("created_at").first()
        if oldest:
            oldest.delete()
    try:
        with transaction.atomic():
            FavouriteService.objects.get_or_create(user=user, service=service)
    except IntegrityError:
        pass  # a double tap raced: the pin exists, which is what was asked
    return True
