"""``lampungin sla-tick``: run the SLA deadline check once (warn, breach, escalate)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from lampungin.cases.tasks import run_sla_check


class Command(BaseCommand):
    help = "Periksa tenggat SLA sekali: peringatan, keterlambatan, eskalasi."

    def handle(self, *args, **options) -> None:
        result = run_sla_check()
        self.stdout.write(
            f"terlambat: {result.breached}, peringatan: {result.at_risk}, eskalasi: {result.escalated}"
        )
