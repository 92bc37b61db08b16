"""``lampungin verify-timeline``: re-check the hash chain of every case and every service
application; exit 2 when one was altered."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from lampungin.applications import timeline as application_timeline
from lampungin.applications.models import Application
from lampungin.cases.integrity import check_chains
from lampungin.cases.models import Case
from lampungin.core.ids import normalize_tracking_number


class Command(BaseCommand):
    help = (
        "Periksa ulang rantai hash riwayat setiap laporan dan permohonan layanan; sebutkan yang "
        "riwayatnya diubah dan keluar dengan status bukan nol bila ada."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--case", metavar="LPG-XXXX-XX", help="periksa satu laporan saja")
        parser.add_argument("--application", metavar="PMH-…", help="periksa satu permohonan saja")
        parser.add_argument("--chunk-size", type=int, default=500, help=_("laporan per kueri"))

    def handle(self, *args, **options) -> None:
        chunk = max(1, options["chunk_size"])
        cases, applications = Case.objects.all(), Application.objects.all()
        if options["case"] or options["application"]:
            cases, applications = cases.none(), applications.none()
        if options["case"]:
            number = normalize_tracking_number(options["case"])
            if not number or not Case.objects.filter(tracking=number).exists():
                raise CommandError(_("Laporan %(n)s tidak ditemukan.") % {"n": options["case"]})
            cases = Case.objects.filter(tracking=number)
        if options["application"]:
            number = options["application"].strip().upper()
            if not Application.objects.filter(tracking=number).exists():
                raise CommandError(_("Permohonan %(n)s tidak ditemukan.") % {"n": options["application"]})
            applications = Application.objects.filter(tracking=number)
        started = time.monotonic()
        altered = 0
        checked = events = 0
        for report in check_chains(cases, chunk_size=chunk):
            checked, events = checked + 1, events + report.events
            altered += self._show(report.tracking, report.problems)
        summary = _("Diperiksa %(c)s laporan, %(e)s peristiwa dalam %(s).2f detik.") % {
            "c": checked,
            "e": events,
            "s": time.monotonic() - started,
        }
        self.stdout.write(summary)
        checked = events = 0
        for report in application_timeline.check_chains(applications, chunk_size=chunk):
            checked, events = checked + 1, events + report.events
            altered += self._show(report.tracking, report.problems)
        self.stdout.write(_("Diperiksa %(c)s permohonan, %(e)s peristiwa.") % {"c": checked, "e": events})
        if altered:
            raise CommandError(
                _("%(n)s laporan atau permohonan memiliki riwayat yang diubah setelah dicatat.")
                % {"n": altered},
                returncode=2,
            )
        self.stdout.write(self.style.SUCCESS(_("Semua riwayat utuh.")))

    def _show(self, tracking: str, problems: list[str]) -> int:
        if not problems:
            return 0
        self.stdout.write(self.style.ERROR(_("%(n)s: riwayat diubah") % {"n": tracking}))
        for problem in problems:
            self.stdout.write(f"  - {problem}")
        return 1
