"""``lampungin apikey create NAME`` (prints the key once), ``apikey revoke NAME``, ``apikey list``."""

from __future__ import annotations

from argparse import ArgumentParser

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lampungin.core.errors import NotFound
from lampungin.integrations.open311.models import ApiKey
from lampungin.integrations.open311.services import create_api_key, revoke_api_key


class Command(BaseCommand):
    help = "Kelola kunci API Open311: create NAME, revoke NAME, list."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="buat kunci baru dan cetak sekali")
        create.add_argument("name", help="nama aplikasi klien (unik)")
        create.add_argument("--agency", default="", help="kode instansi pemilik aplikasi (opsional)")
        create.add_argument(
            "--scopes", default="", help="cakupan REST API v1, dipisah spasi (kosong: hanya Open311)"
        )
        revoke = sub.add_parser("revoke", help="cabut kunci")
        revoke.add_argument("name")
        sub.add_parser("list", help="daftar kunci (tanpa kuncinya)")

    def handle(self, *args, action: str, **options) -> None:
        if action == "create":
            try:
                key, raw = create_api_key(
                    name=options["name"], agency_code=options["agency"], scopes=options["scopes"]
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stderr.write(f"Kunci API untuk {key.name} (simpan sekarang; tidak akan ditampilkan lagi):")
            self.stdout.write(raw)
        elif action == "revoke":
            try:
                key = revoke_api_key(name=options["name"])
            except NotFound as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"dicabut: {key.name}")
        else:
            for key in ApiKey.objects.select_related("agency"):
                state = "dicabut" if key.revoked_at else "aktif"
                agency = key.agency.code if key.agency else "-"
                used = key.last_used_at.isoformat(timespec="seconds") if key.last_used_at else "-"
                self.stdout.write(f"{key.name}\t{key.key_prefix}…\t{agency}\t{state}\t{used}")
