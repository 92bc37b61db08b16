"""SMS through the operator's HTTP gateway (LAMPUNGIN_SMS_GATEWAY_*)."""

from lampungin.notifications.channels.gateway import HttpGatewayChannel
from lampungin.notifications.choices import Channel


class SmsChannel(HttpGatewayChannel):
    name = Channel.SMS
    setting_prefix = "SMS"
