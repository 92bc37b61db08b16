"""Referrals to governments not on the platform, by e-mail: an outbox handler, after commit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django.utils.translation import override

from lampungin.cases import referrals
from lampungin.cases.choices import Action, ReferralChannel
from lampungin.cases.models import CaseEvent


def send_referral_mail(payload: dict[str, Any]) -> None:
    """On a REFER transition to a government that is not onboarded but has an e-mail address,
    send it the report (never the reporter's identity) and note it on the timeline.

    Idempotent: a referral already noted as sent is not sent again.
    """
    if payload.get("action") != Action.REFER:
        return
    event = (
        CaseEvent.objects.select_related("case", "case__referred_to", "case__category", "case__regency")
        .filter(pk=payload.get("event_id"))
        .first()
    )
    if event is None or event.case.referred_to is None:
        return
    case, target = event.case, event.case.referred_to
    if referrals.channel_for(target) != ReferralChannel.EMAIL or referrals.already_sent(case, event.pk):
        return
    with override("id"):
        subject = _("[Lampung In] Rujukan laporan %(t)s: %(title)s") % {
            "t": case.tracking,
            "title": case.title,
        }
        body = _(
            "Yth. %(agency)s,\n\n"
            "Laporan warga berikut berada di luar kewenangan Pemerintah Provinsi Lampung dan kami rujuk "
            "kepada Bapak/Ibu.\n\n"
            "Nomor pelacakan: %(t)s\nKategori: %(category)s\nLokasi: %(regency)s\n\n%(description)s\n\n"
            "Alasan rujukan: %(reason)s\n\n"
            "Mohon kabar tindak lanjutnya dengan menyebut nomor pelacakan di atas (format pertukaran "
            "SP4N-LAPOR!, lihat docs/api/lapor-exchange.md). "
            "Identitas pelapor dilindungi dan tidak disertakan."
        ) % {
            "agency": target.name,
            "t": case.tracking,
            "category": case.category.name,
            "regency": case.regency.display_name,
            "description": case.description,
            "reason": event.message,
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [target.email])
    referrals.record_sent(
        case_id=case.pk, referral_event_id=event.pk, channel=ReferralChannel.EMAIL, recipient=target.email
    )
