"""Demo of inter-agency work: a flood handled jointly by two agencies, a duplicate merged
into an earlier report, and a resolution rejected by the validator and redone.

Each story is filed and worked through the same services as the pages and the API, at
past instants, once (idempotency keys mark them); running the seed again changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from lampungin.accounts.access import actor_for
from lampungin.accounts.models import User
from lampungin.cases import joint, services
from lampungin.cases.choices import Action, Channel, Privacy, ReportType
from lampungin.cases.duplicates import merge_cases
from lampungin.cases.models import Case
from lampungin.catalog.choices import ResolutionValidation
from lampungin.catalog.models import ReportCategory
from lampungin.core import clock

DISTRICT = "18.71.01"  # a kecamatan of Kota Bandar Lampung
START = timedelta(days=12)


def _officer(agency_code: str) -> User:
    return User.objects.get(email=f"petugas.{agency_code}@demo.lampungin.id")


def _file(reporter: User, key: str, category: str, title: str, description: str) -> Case:
    return services.submit_report(
        reporter=reporter,
        report_type=ReportType.COMPLAINT,
        category_code=category,
        title=title,
        description=description,
        privacy=Privacy.PUBLIC,
        region_code=DISTRICT,
        address="Dekat jembatan Way Halim",
        idempotency_key=key,
        channel=Channel.DEMO,
    ).case


def _step(case: Case, who: User, action: str, message: str = "", **kwargs) -> None:
    clock.advance(timedelta(hours=5))
    services.perform_action(actor=actor_for(who), case=case, action=action, message=message, **kwargs)


def _work(case: Case, officer: User) -> None:
    _step(case, officer, Action.VERIFY, "Laporan diverifikasi.")
    _step(case, officer, Action.ASSIGN, "Ditangani petugas lapangan.", assignee_id=officer.pk)
    _step(case, officer, Action.START, "Petugas menuju lokasi.")


def seed_joint_flood(reporter: User) -> Case:
    """A flood report of Dinas PSDA with a joint task for BPBD; resolved once both are done."""
    key = "demo-joint-flood"
    existing = Case.objects.filter(reporter=reporter, idempotency_key=key).first()
    if existing:
        return existing
    psda, bpbd = _officer("psda"), _officer("bpbd")
    with clock.frozen_at(clock.now() - START):
        case = _file(
            reporter,
            key,
            "banjir",
            "Banjir setinggi lutut di permukiman",
            "Saluran drainase meluap, air masuk ke rumah warga setinggi lutut dan ada lansia yang "
            "perlu dievakuasi.",
        )
        _work(case, psda)
        clock.advance(timedelta(hours=1))
        task = joint.open_task(
            actor=actor_for(psda),
            case=case,
            agency_code="bpbd",
            description="Evakuasi warga lansia dan distribusi logistik darurat.",
        )
        clock.advance(timedelta(hours=20))
        joint.complete_task(
            actor=actor_for(bpbd),
            task=task,
            message="Tiga warga lansia dievakuasi, 40 paket logistik dibagikan.",
        )
        _step(case, psda, Action.RESOLVE, "Saluran dinormalisasi dan pompa air dioperasikan; genangan surut.")
    return case


def seed_merged_duplicate(reporter: User, other: User) -> Case:
    """Two reports of the same dark street: the later one is merged into the first."""
    key = "demo-duplicate-source"
    existing = Case.objects.filter(reporter=other, idempotency_key=key).first()
    if existing:
        return existing
    dishub = _officer("dishub")
    with clock.frozen_at(clock.now() - START + timedelta(days=1)):
        target = _file(
            reporter,
            "demo-duplicate-target",
            "penerangan-jalan",
            "Lampu jalan padam di Jl. Sultan Agung",
            "Lampu penerangan jalan padam sepanjang 300 meter, rawan kecelakaan di malam hari.",
        )
        clock.advance(timedelta(hours=3))
        source = _file(
            other,
            key,
            "penerangan-jalan",
            "PJU mati di Sultan Agung",
            "Lampu jalan di Jl. Sultan Agung mati semua sejak tiga hari, gelap sekali malam hari.",
        )
        clock.advance(timedelta(hours=2))
        merge_cases(
            actor=actor_for(dishub),
            source=source,
            target=target,
            message="Laporan ini sama dengan laporan sebelumnya; pelapor kami catat sebagai pendukung.",
        )
    return source


def seed_rejected_validation(reporter: User) -> Case:
    """A bridge repair whose first resolution the validator rejects; redone, then validated."""
    key = "demo-validation-rejected"
    existing = Case.objects.filter(reporter=reporter, idempotency_key=key).first()
    if existing:
        return existing
    category = ReportCategory.objects.get(code="jembatan-rusak")
    if category.resolution_validation != ResolutionValidation.AGENCY:
        # Demo configuration: bridge repairs count as done only once the governance bureau agrees.
        category.resolution_validation = ResolutionValidation.AGENCY
        category.validating_agency = _officer("biro-organisasi").memberships.first().agency
        category.save(update_fields=["resolution_validation", "validating_agency"])
    binamarga, validator = _officer("binamarga"), _officer("biro-organisasi")
    with clock.frozen_at(clock.now() - START + timedelta(days=2)):
        case = _file(
            reporter,
            key,
            "jembatan-rusak",
            "Pagar jembatan patah",
            "Pagar pengaman jembatan patah di dua sisi, anak sekolah melintas setiap pagi.",
        )
        _work(case, binamarga)
        _step(case, binamarga, Action.SUBMIT_RESOLUTION, "Pagar sudah diperbaiki.")
        _step(
            case,
            validator,
            Action.REJECT_RESOLUTION,
            "Hasil pemeriksaan lapangan: baru satu sisi yang diperbaiki. Mohon diselesaikan kedua sisi.",
        )
        clock.advance(timedelta(days=1))
        _step(
            case, binamarga, Action.SUBMIT_RESOLUTION, "Kedua sisi pagar jembatan sudah dipasang dan dicat."
        )
        _step(case, validator, Action.VALIDATE, "Diperiksa di lokasi: perbaikan lengkap.")
    return case


@transaction.atomic
def seed_inter_agency_demo() -> list[Case]:
    """The three stories; needs the demo accounts and agency officers."""
    reporter = User.objects.get(email="warga@demo.lampungin.id")
    other = User.objects.get(email="warga2@demo.lampungin.id")
    return [
        seed_joint_flood(reporter),
        seed_merged_duplicate(reporter, other),
        seed_rejected_validation(reporter),
    ]
