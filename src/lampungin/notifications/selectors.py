from __future__ import annotations

from django.db.models import QuerySet

from lampungin.notifications.models import Notification


def for_user(user_id: int) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=user_id).order_by("-created_at")
