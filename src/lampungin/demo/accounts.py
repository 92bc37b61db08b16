"""Demo accounts: one per role, printed by ``lampungin demo``. Never created in production seeds."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from lampungin.accounts.choices import Role
from lampungin.accounts.models import CitizenProfile, StaffMembership, User
from lampungin.agencies.models import Agency
from lampungin.agencies.services import regency_agency_code

DEMO_PASSWORD = "lampung-demo-2026"
DOMAIN = "demo.lampungin.id"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: str  # a Role, or "citizen"
    agency: str = ""
    region: str = ""
    description: str = ""


DEMO_ACCOUNTS = [
    DemoAccount(f"warga@{DOMAIN}", "Siti Rahmawati", "citizen", description="warga (pelapor)"),
    DemoAccount(f"warga2@{DOMAIN}", "Budi Santoso", "citizen", description="warga kedua"),
    DemoAccount(
        f"petugas.binamarga@{DOMAIN}",
        "Andi Saputra",
        Role.OFFICER,
        agency="binamarga",
        description="petugas Dinas Bina Marga dan Bina Konstruksi",
    ),
    DemoAccount(
        f"admin.binamarga@{DOMAIN}",
        "Rina Marlina",
        Role.AGENCY_ADMIN,
        agency="binamarga",
        description="admin OPD Dinas Bina Marga dan Bina Konstruksi",
    ),
    DemoAccount(
        f"petugas.dinkes@{DOMAIN}",
        "dr. Yusuf Hakim",
        Role.OFFICER,
        agency="dinkes",
        description="petugas Dinas Kesehatan",
    ),
    DemoAccount(
        f"penghubung.bandarlampung@{DOMAIN}",
        "Hendra Wijaya",
        Role.REGIONAL_LIAISON,
        region="18.71",
        description="penghubung Kota Bandar Lampung",
    ),
    DemoAccount(
        f"admin@{DOMAIN}",
        "Admin Diskominfotik",
        Role.PLATFORM_ADMIN,
        agency="diskominfotik",
        description="admin platform (Diskominfotik), juga /admin/",
    ),
    DemoAccount(
        f"analis.bappeda@{DOMAIN}",
        "Dewi Lestari",
        Role.ANALYST,
        agency="bappeda",
        description="analis Bappeda (hanya baca)",
    ),
    DemoAccount(
        f"auditor@{DOMAIN}",
        "Agus Salim",
        Role.AUDITOR,
        agency="inspektorat",
        description="auditor Inspektorat (hanya baca)",
    ),
]


@transaction.atomic
def ensure_demo_accounts() -> list[DemoAccount]:
    """Create the demo accounts (idempotent; resets their password to the demo one)."""
    hashed = make_password(DEMO_PASSWORD)
    for spec in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(email=spec.email, defaults={"full_name": spec.name})
        user.full_name = spec.name
        user.password = hashed
        user.is_staff = user.is_superuser = spec.role == Role.PLATFORM_ADMIN
        user.save()
        if spec.role == "citizen":
            CitizenProfile.objects.get_or_create(user=user)
            continue
        agency = (
            Agency.objects.get(code=spec.agency)
            if spec.agency and spec.role in (Role.OFFICER, Role.AGENCY_ADMIN)
            else None
        )
        StaffMembership.objects.get_or_create(
            user=user, role=spec.role, agency=agency, region_id=spec.region or None
        )
    # The liaison also acts for the Bandar Lampung city government (an agency of its own level).
    liaison = User.objects.get(email=f"penghubung.bandarlampung@{DOMAIN}")
    StaffMembership.objects.get_or_create(
        user=liaison, role=Role.OFFICER, agency=Agency.objects.get(code=regency_agency_code("18.71"))
    )
    return DEMO_ACCOUNTS


@transaction.atomic
def ensure_agency_officers() -> dict[int, User]:
    """One officer per agency, so that demo reports of every category can be worked."""
    hashed = make_password(DEMO_PASSWORD)
    officers: dict[int, User] = {}
    for agency in Agency.objects.all():
        email = f"petugas.{agency.code}@{DOMAIN}"
        user, _created = User.objects.get_or_create(
            email=email, defaults={"full_name": f"Petugas {agency.short_name}", "password": hashed}
        )
        StaffMembership.objects.get_or_create(user=user, role=Role.OFFICER, agency=agency)
        officers[agency.pk] = user
    return officers
