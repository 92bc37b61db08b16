from __future__ import annotations

from django.db.models import QuerySet

from lampungin.accounts.models import User
from lampungin.notifications.choices import OPTIONAL_CHANNELS
from lampungin.notifications.models import Notification


def for_user(user_id: int) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=user_id).order_by("-created_at")


def unread_count(user_id: int) -> int:
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()


def preference_rows(user: User) -> list[tuple[str, str, bool]]:
    """(channel, label, on) for the optional channels, as the person would receive them now."""
    from lampungin.notifications.services import enabled_channels

    on = set(enabled_channels(user))
    return [(c.value, str(c.label), c in on) for c in OPTIONAL_CHANNELS]
