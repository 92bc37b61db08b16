"""Helpers shared by the service-application tests (the demo's three-agency process)."""

from __future__ import annotations

from conftest import PASSWORD

from lampungin.accounts.access import actor_for
from lampungin.accounts.choices import Role
from lampungin.accounts.models import StaffMembership, User
from lampungin.agencies.models import Agency
from lampungin.applications import services
from lampungin.applications.formdef import Upload
from lampungin.applications.models import Application
from lampungin.demo.applications import SERVICE_CODE, ensure_demo_process

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def good_answers() -> dict[str, str]:
    return {
        "nama_badan": "CV Tapis Jaya",
        "nib": "9120001234567",
        "ruas_jalan": "Jl. Soekarno-Hatta (Bandar Lampung)",
        "jenis": "Reklame",
        "panjang_m": "12,5",
        "tanggal_mulai": "2026-12-20",
    }


def good_files() -> dict[str, Upload]:
    return {"gambar_teknis": Upload("gambar.pdf", PDF), "surat_permohonan": Upload("surat.pdf", PDF)}


def make_staff(email: str, agency: str, role: str = Role.OFFICER) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=f"Petugas {agency}")
    StaffMembership.objects.create(user=user, role=role, agency=Agency.objects.get(code=agency))
    return user


def setup_process():
    return ensure_demo_process()


def submit(applicant: User, **overrides) -> Application:
    return services.submit_application(
        applicant=applicant,
        service_code=SERVICE_CODE,
        answers={**good_answers(), **overrides.pop("answers", {})},
        files={**good_files(), **overrides.pop("files", {})},
    )


def approve(user: User, app: Application, message: str = "") -> Application:
    return services.approve_step(actor=actor_for(user), application=app, message=message)
