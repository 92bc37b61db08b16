"""Names for channels, delivery states and message kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    INAPP = "inapp", _("Di aplikasi")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    WEBPUSH = "webpush", _("Notifikasi peramban")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")
    SKIPPED = "skipped", _("Dilewati")


class MessageKind(models.TextChoices):
    """What a message is about; each kind has a template per language in templates/notifications/messages/."""

    CASE_STATUS = "case_status", _("Status laporan berubah")
    CASE_COMMENT = "case_comment", _("Tanggapan baru pada laporan")
    APPLICATION_UPDATE = "application_update", _("Permohonan layanan diproses")


# A person who never chose: in-app and e-mail on; SMS, WhatsApp and push only when opted in.
DEFAULT_ON = frozenset({Channel.INAPP, Channel.EMAIL})
# Channels a person can switch on and off on /akun/ (in-app is always on: it is the record).
OPTIONAL_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.WHATSAPP, Channel.WEBPUSH)
