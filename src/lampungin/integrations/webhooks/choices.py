"""Webhook event types and delivery states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    """What an agency system can subscribe to; the value is what ``X-LampungIn-Event`` carries."""

    CASE_SUBMITTED = "case.submitted", _("Laporan baru masuk ke instansi")
    CASE_ASSIGNED = "case.assigned", _("Laporan didisposisikan (ke petugas instansi)")
    CASE_TRANSITION = "case.transition", _("Status laporan berubah")
    SLA_AT_RISK = "sla.at_risk", _("Tenggat hampir habis")
    SLA_BREACHED = "sla.breached", _("Tenggat terlewati")
    CASE_REFERRAL_UPDATE = "case.referral_update", _("Rujukan dijawab/diperbarui")
    PING = "ping", _("Uji koneksi")


# Outbox topics this app listens to. ``case.transition`` with the "assign" action also
# produces ``case.assigned``; ``ping`` is only sent by hand from /admin/.
SOURCE_TOPICS = (
    EventType.CASE_SUBMITTED,
    EventType.CASE_TRANSITION,
    EventType.SLA_AT_RISK,
    EventType.SLA_BREACHED,
    EventType.CASE_REFERRAL_UPDATE,
)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu/dicoba ulang")
    SUCCEEDED = "succeeded", _("Berhasil")
    FAILED = "failed", _("Gagal (berhenti mencoba)")
