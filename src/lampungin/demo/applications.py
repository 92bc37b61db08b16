"""A demo service with a three-agency online process, and one application that ended in a letter.

Rekomendasi teknis pemanfaatan ruang milik jalan (rumija) provinsi: DPMPTSP checks the
file, Dinas Bina Marga reviews it technically (and once asks for a clearer drawing),
DPMPTSP issues the letter. Seeded idempotently through the same services as real use,
at historical instants, so its timeline and step clocks are real.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from lampungin.accounts.access import actor_for
from lampungin.accounts.models import User
from lampungin.agencies.models import Agency
from lampungin.applications import services
from lampungin.applications.choices import FieldKind
from lampungin.applications.formdef import Upload
from lampungin.applications.models import Application, FormField, ProcessStep, ServiceProcess
from lampungin.catalog.models import Service, ServiceGroup
from lampungin.core import clock

SERVICE_CODE = "rekomendasi-teknis-rumija"
DOMAIN = "demo.lampungin.id"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"  # noqa: E501

FIELDS = [
    dict(key="nama_badan", label="Nama pemohon atau badan usaha", kind=FieldKind.TEXT, max_length=150),
    dict(
        key="nib",
        label="Nomor Induk Berusaha (NIB)",
        kind=FieldKind.TEXT,
        max_length=13,
        pattern=r"\d{13}",
        pattern_message="NIB terdiri dari 13 angka.",
        help_text="13 angka, tercantum pada dokumen NIB dari OSS.",
    ),
    dict(
        key="ruas_jalan",
        label="Ruas jalan provinsi",
        kind=FieldKind.CHOICE,
        choices="Jl. Ir. Sutami (Bandar Lampung – Lampung Timur)\nJl. Soekarno-Hatta (Bandar Lampung)\n"
        "Jl. Metro – Tanjung Kari\nRuas lain (sebutkan pada uraian)",
    ),
    dict(
        key="jenis",
        label="Jenis pemanfaatan",
        kind=FieldKind.CHOICE,
        choices="Utilitas (kabel/pipa)\nJalan masuk (akses)\nReklame\nLainnya",
    ),
    dict(
        key="panjang_m",
        label="Panjang pemanfaatan (meter)",
        kind=FieldKind.NUMBER,
        min_value=1,
        max_value=10000,
    ),
    dict(key="tanggal_mulai", label="Rencana tanggal mulai pekerjaan", kind=FieldKind.DATE),
    dict(
        key="gambar_teknis",
        label="Gambar teknis",
        kind=FieldKind.FILE,
        file_types="pdf,image",
        max_size_kb=5120,
        help_text="PDF atau foto, maksimal 5 MB.",
    ),
    dict(
        key="surat_permohonan",
        label="Surat permohonan bertanda tangan",
        kind=FieldKind.FILE,
        file_types="pdf",
    ),
]

STEPS = [
    (1, "Pemeriksaan kelengkapan berkas", "dpmptsp", 2),
    (2, "Kajian teknis dan peninjauan lapangan", "binamarga", 5),
    (3, "Penerbitan surat rekomendasi", "dpmptsp", 2),
]


@transaction.atomic
def ensure_demo_process() -> ServiceProcess:
    """The demo service, its form and its three steps (idempotent)."""
    service, _ = Service.objects.get_or_create(
        code=SERVICE_CODE,
        defaults={
            "name": "Rekomendasi teknis pemanfaatan ruang milik jalan provinsi",
            "group": ServiceGroup.objects.get(code="infrastruktur"),
            "agency": Agency.objects.get(code="dpmptsp"),
            "summary": "Rekomendasi teknis untuk utilitas, jalan masuk atau reklame di ruang milik jalan "
            "provinsi.",
            "requirements": "1. Surat permohonan\n2. NIB\n3. Gambar teknis rencana pemanfaatan",
            "procedure": "1. Ajukan permohonan online di Lampung In\n2. DPMPTSP memeriksa kelengkapan\n"
            "3. Dinas Bina Marga melakukan kajian teknis\n4. DPMPTSP menerbitkan surat rekomendasi",
            "service_time_days": 9,
            "service_time_text": "9 hari kerja sejak berkas lengkap",
            "fee": "Tidak dipungut biaya",
            "product": "Surat rekomendasi teknis (elektronik, dapat diverifikasi)",
            "is_sample": True,
        },
    )
    process, _ = ServiceProcess.objects.get_or_create(
        service=service,
        defaults={
            "letter_title": "Rekomendasi Teknis Pemanfaatan Ruang Milik Jalan Provinsi",
            "instructions": "Siapkan surat permohonan (PDF) dan gambar teknis. Tenggat tiap tahap dihitung "
            "dalam hari kerja dan dijeda selama permohonan dikembalikan kepada Anda untuk perbaikan.",
        },
    )
    for order, spec in enumerate(FIELDS, start=1):
        FormField.objects.get_or_create(process=process, key=spec["key"], defaults={**spec, "order": order})
    for order, name, agency, days in STEPS:
        ProcessStep.objects.get_or_create(
            process=process,
            order=order,
            defaults={"name": name, "agency": Agency.objects.get(code=agency), "sla_working_days": days},
        )
    return process


def _officer(agency_code: str) -> User:
    return User.objects.get(email=f"petugas.{agency_code}@{DOMAIN}")


def seed_demo_application() -> bool:
    """One application from the demo citizen that went all the way to a letter; False if it exists."""
    process = ensure_demo_process()
    applicant = User.objects.get(email=f"warga@{DOMAIN}")
    if Application.objects.filter(process=process, applicant=applicant).exists():
        return False
    intake, review = actor_for(_officer("dpmptsp")), actor_for(_officer("binamarga"))
    start = clock.now() - timedelta(days=12)
    with transaction.atomic(), clock.frozen_at(start):
        app = services.submit_application(
            applicant=applicant,
            service_code=SERVICE_CODE,
            answers={
                "nama_badan": "CV Tapis Jaya Utilitas",
                "nib": "9120001234567",
                "ruas_jalan": "Jl. Soekarno-Hatta (Bandar Lampung)",
                "jenis": "Utilitas (kabel/pipa)",
                "panjang_m": "120",
                "tanggal_mulai": (start + timedelta(days=30)).date().isoformat(),
            },
            files={
                "gambar_teknis": Upload("gambar-teknis.pdf", PDF),
                "surat_permohonan": Upload("surat-permohonan.pdf", PDF),
            },
        )
        clock.advance(timedelta(days=1, hours=2))
        app = services.approve_step(
            actor=intake, application=app, message="Berkas lengkap; diteruskan ke Bina Marga."
        )
        clock.advance(timedelta(days=1))
        app = services.return_to_applicant(
            actor=review,
            application=app,
            fields=["gambar_teknis"],
            message="Gambar teknis belum mencantumkan jarak galian dari tepi perkerasan. Mohon dilengkapi.",
        )
        clock.advance(timedelta(days=2))
        app = services.resubmit_application(
            actor=actor_for(applicant),
            application=app,
            answers={},
            files={"gambar_teknis": Upload("gambar-teknis-rev1.pdf", PDF)},
        )
        clock.advance(timedelta(days=2))
        app = services.approve_step(
            actor=review, application=app, message="Secara teknis dapat dipertimbangkan."
        )
        clock.advance(timedelta(days=1))
        services.approve_step(
            actor=intake,
            application=app,
            message="Disetujui dengan ketentuan kondisi jalan dikembalikan seperti semula.",
        )
    return True
