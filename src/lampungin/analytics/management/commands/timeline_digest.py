"""``lampungin timeline-digest``: publish the daily timeline digests (Merkle roots) up to yesterday."""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lampungin.analytics import digests
from lampungin.analytics.wib import today_wib
from lampungin.cases.models import CaseEvent
from lampungin.core.ids import normalize_tracking_number


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Tanggal tidak valid: %(v)s (format YYYY-MM-DD).") % {"v": value}) from None


class Command(BaseCommand):
    help = (
        "Terbitkan digest harian riwayat laporan (akar Merkle per hari WIB) untuk setiap hari "
        "yang belum memilikinya sampai kemarin. Keluar dengan status 2 bila ada alarm perubahan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", metavar="YYYY-MM-DD", help="hitung satu hari saja")
        parser.add_argument(
            "--verify", action="store_true", help="hitung ulang semua hari yang sudah terbit dan bandingkan"
        )
        parser.add_argument(
            "--proof", metavar="LPG-XXXX-XX:SEQ", help="cetak bukti inklusi (JSON) satu peristiwa"
        )

    def handle(self, *args, **options) -> None:
        if options["proof"]:
            self._proof(options["proof"])
            return
        if options["day"]:
            day = _day(options["day"])
            if day >= today_wib():
                raise CommandError(_("Hari %(d)s belum berakhir (WIB).") % {"d": day})
            try:
                digest = digests.compute_digest(day)
            except digests.TimelineTampered as exc:
                self._alarms([exc.alarm])
                return
            self.stdout.write(f"{digest.day} {digest.event_count:>6} {digest.merkle_root}")
        elif options["verify"]:
            run = digests.recheck_published_digests()
            self.stdout.write(_("%(n)s hari tidak berubah.") % {"n": run.unchanged})
            self._alarms(run.alarms)
        else:
            run = digests.publish_missing_digests()
            for digest in run.published:
                self.stdout.write(f"{digest.day} {digest.event_count:>6} {digest.merkle_root}")
            self.stdout.write(_("%(n)s digest baru diterbitkan.") % {"n": len(run.published)})
            self._alarms(run.alarms)

    def _alarms(self, alarms: list) -> None:
        if not alarms:
            return
        for alarm in alarms:
            self.stdout.write(self.style.ERROR(f"{alarm.day}: {alarm.detail}"))
        raise CommandError(
            _("ALARM: riwayat %(n)s hari tidak cocok dengan digestnya.") % {"n": len(alarms)}, returncode=2
        )

    def _proof(self, spec: str) -> None:
        tracking, _sep, seq = spec.rpartition(":")
        number = normalize_tracking_number(tracking)
        event = (
            CaseEvent.objects.filter(case__tracking=number, seq=int(seq)).first()
            if number and seq.isdigit()
            else None
        )
        if event is None:
            raise CommandError(_("Peristiwa %(s)s tidak ditemukan.") % {"s": spec})
        proof = digests.inclusion_proof(event)
        self.stdout.write(json.dumps(proof.as_dict(), ensure_ascii=False, indent=2))
