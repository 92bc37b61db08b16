"""One adapter per channel (STYLE habit 7); :func:`adapter_for` picks it by name."""

from __future__ import annotations

from lampungin.notifications.channels.base import ChannelAdapter, PermanentError, Skip, TemporaryError
from lampungin.notifications.choices import Channel


def adapter_for(channel: str) -> ChannelAdapter:
    from lampungin.notifications.channels.email import EmailChannel
    from lampungin.notifications.channels.inapp import InAppChannel
    from lampungin.notifications.channels.sms import SmsChannel
    from lampungin.notifications.channels.webpush import WebPushChannel
    from lampungin.notifications.channels.whatsapp import WhatsAppChannel

    adapters: dict[str, type[ChannelAdapter]] = {
        Channel.INAPP: InAppChannel,
        Channel.EMAIL: EmailChannel,
        Channel.SMS: SmsChannel,
        Channel.WHATSAPP: WhatsAppChannel,
        Channel.WEBPUSH: WebPushChannel,
    }
    return adapters[channel]()


__all__ = ["ChannelAdapter", "PermanentError", "Skip", "TemporaryError", "adapter_for"]
