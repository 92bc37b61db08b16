"""About 300 demo reports spread over regions, categories, states and the last 90 days.

Every report is filed and moved through its lifecycle by the same service functions the
pages and the API use, at historical instants (``clock.frozen_at``), so the demo's
timelines, hash chains and outbox rows are exactly what real use produces.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction

from lampungin.accounts.access import actor_for
from lampungin.accounts.models import User
from lampungin.agencies.models import Agency
from lampungin.agencies.services import regency_agency_code
from lampungin.cases import services
from lampungin.cases.choices import Action, CaseState, Channel, Privacy, RejectReason, ReportType
from lampungin.cases.models import Case
from lampungin.catalog.models import ReportCategory
from lampungin.core import clock
from lampungin.regions.choices import Level
from lampungin.regions.models import Region

TARGET = 300

PROBLEMS = {
    "jalan-provinsi-rusak": (
        "Jalan berlubang cukup dalam di ruas jalan provinsi, sudah beberapa motor jatuh saat malam."
    ),
    "jembatan-rusak": "Lantai jembatan retak dan pagar pengaman patah, berbahaya untuk anak sekolah.",
    "penerangan-jalan": "Lampu penerangan jalan padam sepanjang kurang lebih 500 meter sejak dua minggu.",
    "banjir": "Saluran air tersumbat sehingga jalan dan rumah warga tergenang setiap hujan deras.",
    "sampah": "Tumpukan sampah di pinggir jalan tidak diangkut lebih dari seminggu dan berbau.",
    "layanan-rsud": "Antrean pendaftaran pasien sangat panjang dan informasi jadwal dokter tidak jelas.",
    "ppdb-sma-smk": "Situs pendaftaran sekolah tidak bisa diakses saat batas waktu pendaftaran.",
    "pajak-kendaraan-samsat": "Pembayaran pajak kendaraan lewat aplikasi gagal tetapi saldo sudah terpotong.",
    "bantuan-sosial": "Warga lanjut usia di lingkungan kami belum menerima bantuan sosial yang dijanjikan.",
}
GENERIC = "Mohon ditindaklanjuti, kondisi ini sudah berlangsung cukup lama dan mengganggu warga sekitar."

# How far along the lifecycle demo reports get (weights favour open work in the inbox).
PATHS: list[tuple[int, list[str]]] = [
    (18, []),
    (10, [Action.VERIFY]),
    (12, [Action.VERIFY, Action.ASSIGN]),
    (14, [Action.VERIFY, Action.ASSIGN, Action.START]),
    (5, [Action.VERIFY, Action.ASSIGN, Action.START, Action.REQUEST_INFO]),
    (12, [Action.VERIFY, Action.ASSIGN, Action.START, Action.RESOLVE]),
    (18, [Action.VERIFY, Action.ASSIGN, Action.START, Action.RESOLVE, Action.CONFIRM]),
    (3, [Action.VERIFY, Action.ASSIGN, Action.START, Action.RESOLVE, Action.DISPUTE]),
    (5, [Action.REJECT]),
    (6, [Action.REFER]),
]

MESSAGES = {
    Action.VERIFY: "Laporan sudah diverifikasi dan diteruskan ke bidang terkait.",
    Action.ASSIGN: "Didisposisikan kepada petugas lapangan.",
    Action.START: "Petugas sedang menindaklanjuti ke lokasi.",
    Action.REQUEST_INFO: "Mohon kirimkan patokan lokasi yang lebih jelas.",
    Action.RESOLVE: "Perbaikan telah selesai dilaksanakan. Terima kasih atas laporannya.",
    Action.CONFIRM: "Terima kasih, sudah diperbaiki.",
    Action.DISPUTE: "Perbaikan belum tuntas, masih ada bagian yang rusak.",
    Action.REJECT: "Laporan tidak memuat informasi yang cukup untuk ditindaklanjuti.",
    Action.REFER: "Lokasi berada pada kewenangan pemerintah kabupaten/kota; laporan dirujuk.",
}


def seed_demo_reports(*, target: int = TARGET, seed: int = 2026) -> int:
    """File demo reports until ``target`` exist; returns how many were created now."""
    existing = Case.objects.filter(channel=Channel.DEMO).count()
    if existing >= target:
        return 0
    rng = random.Random(seed + existing)
    citizens = list(User.objects.filter(email__startswith="warga").order_by("email"))
    categories = list(ReportCategory.objects.filter(is_active=True).select_related("default_agency"))
    districts = list(Region.objects.filter(level=Level.DISTRICT).values_list("code", flat=True))
    officers = {m.agency_id: m.user for m in _officer_memberships()}
    weights = [w for w, _ in PATHS]
    now = clock.now()
    created = 0
    for i in range(existing, target):
        category = rng.choice(categories)
        district = rng.choice(districts)
        submitted_at = now - timedelta(days=rng.uniform(0.5, 90), minutes=rng.randint(0, 600))
        path = rng.choices([p for _, p in PATHS], weights=weights)[0]
        reporter = citizens[i % len(citizens)]
        with transaction.atomic(), clock.frozen_at(submitted_at):
            result = services.submit_report(
                reporter=reporter,
                report_type=rng.choice(ReportType.values),
                category_code=category.code,
                description=f"{PROBLEMS.get(category.code, category.name + '.')} {GENERIC}",
                title=f"{category.name} di Kec. {Region.objects.get(code=district).name}",
                privacy=rng.choice([Privacy.PUBLIC, Privacy.PUBLIC, Privacy.ANONYMOUS, Privacy.CONFIDENTIAL]),
                region_code=district,
                address="Dekat balai desa",
                idempotency_key=f"demo-{i}",
                channel=Channel.DEMO,
            )
            case = result.case
            officer = officers.get(case.agency_id)
            reporter_actor = actor_for(reporter)
            for action in path:
                clock.advance(timedelta(hours=rng.uniform(2, 60)))
                if clock.now() > now:
                    break
                staff_action = action not in (Action.CONFIRM, Action.DISPUTE)
                actor = actor_for(officer) if staff_action else reporter_actor
                services.perform_action(
                    actor=actor,
                    case=case,
                    action=action,
                    message=MESSAGES.get(action, ""),
                    assignee_id=officer.pk if action == Action.ASSIGN else None,
                    reject_reason=RejectReason.NOT_COMPLAINT if action == Action.REJECT else "",
                    referred_to_code=regency_agency_code(district[:5]) if action == Action.REFER else "",
                )
        created += 1
    return created


def _officer_memberships():
    from lampungin.accounts.choices import Role
    from lampungin.accounts.models import StaffMembership

    return (
        StaffMembership.objects.filter(
            role=Role.OFFICER, user__email__startswith="petugas.", agency__in=Agency.objects.all()
        )
        .select_related("user")
        .order_by("-id")
    )


def state_counts() -> dict[str, int]:
    return {s.value: Case.objects.filter(state=s).count() for s in CaseState}
