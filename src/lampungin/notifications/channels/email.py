"""E-mail through Django's mail backend (the demo's file backend writes real messages to var/mail)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from lampungin.notifications.channels.base import ChannelAdapter, Message, Skip, TemporaryError
from lampungin.notifications.choices import Channel


class EmailChannel(ChannelAdapter):
    name = Channel.EMAIL

    def send(self, *, user, message: Message, delivery) -> str:
        if not user.email:
            raise Skip(_("pengguna tidak punya alamat e-mail"))
        mail = EmailMessage(
            subject=message.subject,
            body=f"{message.body}\n\n{message.url}\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
            headers={"X-LampungIn-Delivery": str(delivery.pk)},
        )
        try:
            mail.send(fail_silently=False)
        except OSError as exc:  # SMTP down, disk full: try again later
            raise TemporaryError(str(exc)) from exc
        return mail.extra_headers.get("Message-ID", "")
