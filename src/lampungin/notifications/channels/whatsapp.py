"""WhatsApp through the operator's HTTP gateway (LAMPUNGIN_WHATSAPP_GATEWAY_*)."""

from lampungin.notifications.channels.gateway import HttpGatewayChannel
from lampungin.notifications.choices import Channel


class WhatsAppChannel(HttpGatewayChannel):
    name = Channel.WHATSAPP
    setting_prefix = "WHATSAPP"
