"""``lampungin verify-timeline``: re-check every case's hash chain; exit 1 when one was altered."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lampungin.cases.integrity import check_chains
from lampungin.cases.models import Case
from lampungin.core.ids import normalize_tracking_number


class Command(BaseCommand):
    help = (
        "Periksa ulang rantai hash riwayat setiap laporan; sebutkan laporan yang riwayatnya "
        "diubah dan keluar dengan status bukan nol bila ada."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--case", metavar="LPG-XXXX-XX", help="periksa satu laporan saja")
        parser.add_argument("--chunk-size", type=int, default=500, help=_("laporan per kueri"))

    def handle(self, *args, **options) -> None:
        cases = Case.objects.all()
        if options["case"]:
            number = normalize_tracking_number(options["case"])
            if not number or not Case.objects.filter(tracking=number).exists():
                raise CommandError(_("Laporan %(n)s tidak ditemukan.") % {"n": options["case"]})
            cases = cases.filter(tracking=number)
        started = time.monotonic()
        checked = events = altered = 0
        for report in check_chains(cases, chunk_size=max(1, options["chunk_size"])):
            checked += 1
            events += report.events
            if report.problems:
                altered += 1
                self.stdout.write(self.style.ERROR(_("%(n)s: riwayat diubah") % {"n": report.tracking}))
                for problem in report.problems:
                    self.stdout.write(f"  - {problem}")
        summary = _("Diperiksa %(c)s laporan, %(e)s peristiwa dalam %(s).2f detik.") % {
            "c": checked,
            "e": events,
            "s": time.monotonic() - started,
        }
        self.stdout.write(summary)
        if altered:
            raise CommandError(
                _("%(n)s laporan memiliki riwayat yang diubah setelah dicatat.") % {"n": altered},
                returncode=2,
            )
        self.stdout.write(self.style.SUCCESS(_("Semua riwayat utuh.")))
