"""Demo of inter-agency work: a report on a kabupaten road referred to Kabupaten Lampung
Selatan (not on the platform: by e-mail and the LAPOR! exchange) and its status coming back,
plus a routing rule and response templates. Idempotent and fast (one report)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from lampungin.accounts.access import Actor, actor_for
from lampungin.accounts.models import User
from lampungin.agencies.models import Agency
from lampungin.cases import services
from lampungin.cases.choices import Action, Channel, Privacy, ReportType, RuleAuthority, TemplateVisibility
from lampungin.cases.models import Case, ResponseTemplate, RoutingRule
from lampungin.catalog.models import ReportCategory
from lampungin.core import clock
from lampungin.integrations.lapor import exchange
from lampungin.regions.models import Region

KEY = "demo-referral-lampung-selatan"


@transaction.atomic
def seed_referral_demo() -> Case | None:
    """Create the referral story once; returns the case (None when the data it needs is missing)."""
    pemkab = Agency.objects.filter(code="pemkab-1801").first()
    reporter = User.objects.filter(email__startswith="warga@").first()
    admin = User.objects.filter(email__startswith="admin@").first()
    district = Region.objects.filter(code__startswith="18.01.", level="district").order_by("code").first()
    if not (pemkab and reporter and admin and district):
        return None
    if pemkab.onboarded or not pemkab.email:
        pemkab.onboarded = False
        pemkab.email = pemkab.email or "pengaduan@lampungselatankab.go.id"
        pemkab.save(update_fields=["onboarded", "email"])
    road = ReportCategory.objects.get(code="jalan-provinsi-rusak")
    RoutingRule.objects.get_or_create(
        name="Jalan kabupaten: sarankan rujukan ke pemkab/pemkot wilayahnya",
        defaults={"category": road, "keywords": "jalan kabupaten", "authority": RuleAuthority.REGENCY},
    )
    binamarga = Agency.objects.get(code="binamarga")
    for title, body, visibility in [
        (
            "Survei lokasi",
            "Terima kasih. Tim kami akan melakukan survei ke lokasi dalam minggu ini.",
            "public",
        ),
        ("Masuk usulan anggaran", "Perbaikan diusulkan pada anggaran perubahan tahun ini.", "internal"),
    ]:
        ResponseTemplate.objects.get_or_create(
            agency=binamarga,
            title=title,
            defaults={"body": body, "visibility": TemplateVisibility(visibility)},
        )
    existing = Case.objects.filter(reporter=reporter, idempotency_key=KEY).first()
    if existing:
        return existing
    start = clock.now() - timedelta(days=6)
    with clock.frozen_at(start):
        case = services.submit_report(
            reporter=reporter,
            report_type=ReportType.COMPLAINT,
            category_code=road.code,
            title=f"Jalan kabupaten berlubang di Kec. {district.name}",
            description="Jalan kabupaten menuju pasar berlubang besar dan tergenang saat hujan, "
            "sudah dua pengendara jatuh.",
            privacy=Privacy.PUBLIC,
            region_code=district.code,
            address="Jalan menuju pasar desa",
            idempotency_key=KEY,
            channel=Channel.DEMO,
        ).case
        clock.advance(timedelta(hours=20))
        services.perform_action(
            actor=actor_for(admin),
            case=case,
            action=Action.REFER,
            referred_to_code=pemkab.code,
            message="Ruas ini jalan kabupaten: kewenangan Pemerintah Kabupaten Lampung Selatan. "
            "Laporan dirujuk dan kabar tindak lanjutnya akan ditampilkan di sini.",
        )
    updates = [
        {
            "id": "DEMO-LAPOR-1",
            "tracking": case.tracking,
            "status": "diterima",
            "agency": pemkab.name,
            "message": "Laporan diterima Dinas PUPR Kabupaten Lampung Selatan.",
        },
        {
            "id": "DEMO-LAPOR-2",
            "tracking": case.tracking,
            "status": "diproses",
            "agency": pemkab.name,
            "message": "Penambalan dijadwalkan minggu depan oleh UPT Jalan Kabupaten.",
        },
    ]
    with clock.frozen_at(start + timedelta(days=3)):
        exchange.import_updates(actor=Actor(user=admin, platform_admin=True), items=updates, source="file")
    return case
