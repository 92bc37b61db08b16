"""``lampungin seed``: reference data (regions, agencies, catalog) and, with --demo, demo data."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from lampungin.agencies.services import load_seed_agencies
from lampungin.catalog.services import load_seed_catalog
from lampungin.regions.services import load_lampung_regions
from lampungin.sla.services import load_seed_calendar


class Command(BaseCommand):
    help = "Isi data referensi Lampung (wilayah, instansi, katalog); --demo menambah akun dan laporan demo."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--demo", action="store_true", help="also create demo accounts and ~300 reports")
        parser.add_argument("--no-villages", action="store_true", help="skip the 2,640 desa/kelurahan")
        parser.add_argument("--reports", type=int, default=300, help="number of demo reports")

    def handle(self, *args, **options) -> None:
        regions = load_lampung_regions(include_villages=not options["no_villages"])
        agencies = load_seed_agencies()
        services, categories = load_seed_catalog()
        holidays, schedules = load_seed_calendar()
        self.stdout.write(
            f"wilayah: {regions}, instansi: {agencies}, layanan: {services}, kategori: {categories}, "
            f"hari libur baru: {holidays}, jadwal kerja baru: {schedules}"
        )
        if options["demo"]:
            from lampungin.demo.accounts import ensure_agency_officers, ensure_demo_accounts
            from lampungin.demo.oidc import ensure_demo_relying_party
            from lampungin.demo.reports import seed_demo_reports

            ensure_demo_accounts()
            ensure_agency_officers()
            ensure_demo_relying_party()
            created = seed_demo_reports(target=options["reports"])
            self.stdout.write(f"laporan demo baru: {created}")
            from lampungin.demo.referrals import seed_referral_demo

            referral = seed_referral_demo()
            if referral is not None:
                self.stdout.write(f"contoh rujukan ke kabupaten (dengan kabar LAPOR!): {referral.tracking}")
            from lampungin.demo.inter_agency import seed_inter_agency_demo

            flood, duplicate, validation = seed_inter_agency_demo()
            self.stdout.write(
                f"penanganan bersama (banjir): {flood.tracking} · duplikat digabung: {duplicate.tracking} · "
                f"validasi ditolak lalu diulang: {validation.tracking}"
            )
            from lampungin.demo.applications import seed_demo_application

            self.stdout.write(f"permohonan demo baru: {int(seed_demo_application())}")
