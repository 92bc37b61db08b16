"""In-app: the notification centre on /akun/notifikasi/ (the record every other channel points to)."""

from __future__ import annotations

from lampungin.core import clock
from lampungin.notifications.channels.base import ChannelAdapter, Message
from lampungin.notifications.choices import Channel


class InAppChannel(ChannelAdapter):
    name = Channel.INAPP

    def send(self, *, user, message: Message, delivery) -> str:
        from lampungin.notifications.models import Notification

        notification, _created = Notification.objects.get_or_create(
            user=user,
            dedupe_key=delivery.dedupe_key,
            defaults={
                "title": message.subject[:200],
                "body": message.body[:500],
                "url": delivery.context.get("path", ""),
                "created_at": clock.now(),
            },
        )
        return str(notification.pk)
