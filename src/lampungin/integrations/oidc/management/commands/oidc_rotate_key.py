"""``lampungin oidc-rotate-key``: make a new ID-token signing key; the old one stays published."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from lampungin.integrations.oidc import keys
from lampungin.integrations.oidc.models import SigningKey


class Command(BaseCommand):
    help = (
        "Ganti kunci penanda tangan ID token. Kunci lama tetap diterbitkan di JWKS selama "
        "LAMPUNGIN_OIDC_RETIRED_KEY_DAYS hari agar token lama tetap dapat diverifikasi. --list: daftar kunci."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", action="store_true", help="list keys instead of rotating")

    def handle(self, *args, **options) -> None:
        if not options["list"]:
            rotation = keys.rotate_signing_key()
            self.stdout.write(f"new signing key: {rotation.new_kid}")
            if rotation.retired_kid:
                days = settings.OIDC_RETIRED_KEY_DAYS
                self.stdout.write(f"retired (still published for {days} days): {rotation.retired_kid}")
            if rotation.deleted:
                self.stdout.write(f"deleted keys retired long ago: {rotation.deleted}")
        published = set(keys.published_keys().values_list("kid", flat=True))
        for key in SigningKey.objects.order_by("-created_at"):
            state = "current" if key.is_current else ("published" if key.kid in published else "unpublished")
            self.stdout.write(f"{key.kid}\t{state}\tcreated {key.created_at:%Y-%m-%d %H:%M}")
