"""``lampungin lapor export [--since DATE] [--output FILE]`` and ``lampungin lapor import FILE``.

The SP4N-LAPOR! exchange (docs/api/lapor-exchange.md): referred reports out to the national
channel, status updates back into each case's timeline.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError

from lampungin.accounts.access import Actor
from lampungin.accounts.models import User
from lampungin.integrations.lapor import exchange

WIB = ZoneInfo("Asia/Jakarta")


def _since(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(datetime.fromisoformat(text).date(), time.min, tzinfo=WIB)
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--since: tanggal tidak valid: {text}") from exc
    return value if value.tzinfo else value.replace(tzinfo=WIB)


class Command(BaseCommand):
    help = "Pertukaran SP4N-LAPOR!: ekspor laporan yang dirujuk, impor kabar status dari instansi rujukan."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        out = sub.add_parser("export", help="tulis laporan yang dirujuk ke berkas JSON")
        out.add_argument("--since", help="sejak tanggal (YYYY-MM-DD, WIB) atau waktu ISO 8601")
        out.add_argument("--output", "-o", help="berkas tujuan (bawaan: keluaran standar)")
        into = sub.add_parser("import", help="catat kabar status dari berkas JSON")
        into.add_argument("file")

    def handle(self, *args, **options) -> None:
        if options["verb"] == "export":
            text = exchange.dumps(exchange.export_document(since=_since(options.get("since"))))
            if options.get("output"):
                Path(options["output"]).write_text(text + "\n", encoding="utf-8")
                count = text.count('"tracking"')
                self.stdout.write(f"{count} laporan rujukan ditulis ke {options['output']}")
            else:
                sys.stdout.write(text + "\n")
            return
        try:
            document = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"tidak dapat membaca {options['file']}: {exc}") from exc
        # An operator at the console acts as the platform (recorded as "LAPOR!" in the timeline).
        actor = Actor(user=User.objects.filter(is_superuser=True).order_by("id").first(), platform_admin=True)
        result = exchange.import_updates(actor=actor, items=exchange.updates_of(document), source="file")
        self.stdout.write(f"kabar tercatat: {result.recorded}, sudah ada: {result.duplicates}")
        for error in result.errors:
            self.stderr.write(f"  #{error['index']} {error['id']}: {error['error']}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} kabar gagal dicatat")
