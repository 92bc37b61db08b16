"""Shared fixtures: Lampung reference data once per session, personas, cases, photos, API client.

Personas (STYLE habit 9) are built with the real services and models, so a test that
passes with them passes for the same reasons in production:

========================  ==================================================
``citizen``               Siti, files the reports
``citizen2``              Budi, another citizen
``officer_a``             officer of Dinas Bina Marga (``binamarga``)
``admin_a``               agency admin of Dinas Bina Marga
``officer_b``             officer of Dinas Kesehatan (``dinkes``)
``liaison``               regional liaison of Kota Bandar Lampung (``18.71``)
``analyst``               analyst (reads everything, writes nothing)
``auditor``               auditor (reads everything, writes nothing)
``platform_admin``        platform admin (membership, not a Django superuser)
========================  ==================================================

Every case a test needs is filed through ``services.submit_report`` and walked to its
state with ``services.perform_action`` (``make_case``), so it has a real timeline.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from PIL import ExifTags, Image

from lampungin.accounts.access import actor_for
from lampungin.accounts.choices import Role
from lampungin.accounts.models import StaffMembership, User
from lampungin.accounts.services import register_citizen
from lampungin.agencies.models import Agency
from lampungin.agencies.services import load_seed_agencies, regency_agency_code
from lampungin.cases import services
from lampungin.cases.choices import Action, CaseState, Privacy, RejectReason, ReportType
from lampungin.cases.lifecycle import ACTOR_OF, ActorKind
from lampungin.cases.models import Attachment, Case, CaseEvent
from lampungin.catalog.services import load_seed_catalog
from lampungin.core.models import OutboxMessage
from lampungin.regions.services import load_lampung_regions

PASSWORD = "Tapis-Lampung-2026!"
API = "/api/v1"
DESCRIPTION = "Jalan berlubang dalam di depan pasar, sudah dua motor jatuh minggu ini."

# ---------------------------------------------------------------------------------------
# Session: database with reference data, fast password hashing
# ---------------------------------------------------------------------------------------


def pytest_configure(config):
    # WhiteNoise warns that var/static/ (collectstatic's output) is missing; tests never need it.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The default test database plus regions (without desa), agencies and the catalog."""
    with django_db_blocker.unblock():
        load_lampung_regions(include_villages=False)
        load_seed_agencies()
        load_seed_catalog()


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    # PBKDF2 costs ~0.3 s per persona; the hasher is not what these tests are about.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache and are keyed by user id, which tests reuse."""
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads go to a per-test directory, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def media_root(_media_root) -> Path:
    return Path(_media_root)


# ---------------------------------------------------------------------------------------
# Personas
# ---------------------------------------------------------------------------------------


def _staff(email: str, name: str, role: str, *, agency: str = "", region: str = "") -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=name)
    StaffMembership.objects.create(
        user=user,
        role=role,
        agency=Agency.objects.get(code=agency) if agency else None,
        region_id=region or None,
    )
    return user


@pytest.fixture
def citizen(db) -> User:
    return register_citizen(full_name="Siti Rahmawati", email="siti@warga.test", password=PASSWORD)


@pytest.fixture
def citizen2(db) -> User:
    return register_citizen(
        full_name="Budi Santoso", email="budi@warga.test", phone="0812-7000-1234", password=PASSWORD
    )


@pytest.fixture
def officer_a(db) -> User:
    return _staff("andi@binamarga.test", "Andi Saputra", Role.OFFICER, agency="binamarga")


@pytest.fixture
def admin_a(db) -> User:
    return _staff("rina@binamarga.test", "Rina Marlina", Role.AGENCY_ADMIN, agency="binamarga")


@pytest.fixture
def officer_b(db) -> User:
    return _staff("yusuf@dinkes.test", "Yusuf Hakim", Role.OFFICER, agency="dinkes")


@pytest.fixture
def liaison(db) -> User:
    return _staff("hendra@bandarlampung.test", "Hendra Wijaya", Role.REGIONAL_LIAISON, region="18.71")


@pytest.fixture
def analyst(db) -> User:
    return _staff("dewi@bappeda.test", "Dewi Lestari", Role.ANALYST)


@pytest.fixture
def auditor(db) -> User:
    return _staff("agus@inspektorat.test", "Agus Salim", Role.AUDITOR)


def _platform_admin() -> User:
    existing = User.objects.filter(email="admin@diskominfotik.test").first()
    return existing or _staff("admin@diskominfotik.test", "Admin Diskominfotik", Role.PLATFORM_ADMIN)


@pytest.fixture
def platform_admin(db) -> User:
    return _platform_admin()


STAFF_PERSONAS = ("officer_a", "admin_a", "officer_b", "liaison", "analyst", "auditor", "platform_admin")
ALL_PERSONAS = ("citizen", "citizen2", *STAFF_PERSONAS)


# ---------------------------------------------------------------------------------------
# Service applications (helpers in applications_support.py)
# ---------------------------------------------------------------------------------------


@pytest.fixture
def process(db):
    """The demo's three-agency process: DPMPTSP → Dinas Bina Marga → DPMPTSP."""
    from applications_support import setup_process  # it imports this module

    return setup_process()


@pytest.fixture
def intake(db) -> User:
    """An officer of DPMPTSP, which owns steps 1 and 3 of that process."""
    from applications_support import make_staff

    return make_staff("loket@dpmptsp.test", "dpmptsp")


# ---------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------

# How to reach each state from a fresh submission.
_BASE = [Action.VERIFY, Action.ASSIGN, Action.START]
WALKS: dict[CaseState, list[Action]] = {
    CaseState.SUBMITTED: [],
    CaseState.VERIFIED: [Action.VERIFY],
    CaseState.ASSIGNED: [Action.VERIFY, Action.ASSIGN],
    CaseState.IN_PROGRESS: _BASE,
    CaseState.WAITING_REPORTER: [*_BASE, Action.REQUEST_INFO],
    CaseState.AWAITING_VALIDATION: [*_BASE, Action.SUBMIT_RESOLUTION],
    CaseState.RESOLVED: [*_BASE, Action.RESOLVE],
    CaseState.REOPENED: [*_BASE, Action.RESOLVE, Action.DISPUTE],
    CaseState.CLOSED: [*_BASE, Action.RESOLVE, Action.CONFIRM],
    CaseState.REJECTED: [Action.REJECT],
    CaseState.REFERRED: [Action.REFER],
}


def action_kwargs(case: Case, action: Action, staff: User) -> dict:
    """Everything ``perform_action`` needs for ``action`` (a message, assignee, reason…)."""
    return {
        "action": action,
        "message": f"Keterangan untuk tindakan {action.label}.",
        "assignee_id": staff.pk if action == Action.ASSIGN else None,
        "reject_reason": RejectReason.SPAM if action == Action.REJECT else "",
        "referred_to_code": regency_agency_code(case.regency_id) if action == Action.REFER else "",
        # TRANSFER: to another provincial agency (Dinas Kesehatan, or Bina Marga from there).
        "agency_code": ("dinkes" if case.agency.code != "dinkes" else "binamarga")
        if action == Action.TRANSFER
        else "",
    }


def staff_of(agency: Agency) -> User:
    """The first active officer of ``agency``; one is created when the test has none."""
    membership = (
        StaffMembership.objects.filter(agency=agency, role=Role.OFFICER, is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if membership:
        return membership.user
    return _staff(
        f"petugas.{agency.code}@test.test", f"Petugas {agency.short_name}", Role.OFFICER, agency=agency.code
    )


def validator_of(case: Case) -> User:
    """Who validates ``case``'s resolution: an officer of its validating agency, else its reporter."""
    category = case.category
    if category.resolution_validation == "agency" and category.validating_agency_id:
        return staff_of(category.validating_agency)
    return case.reporter


def act(case: Case, action: Action, *, staff: User | None = None, **overrides):
    """Take ``action`` on ``case`` as the right actor: its reporter or an officer of its agency."""
    case.refresh_from_db()
    staff = staff or staff_of(case.agency)
    actor_user = case.reporter if ACTOR_OF[action] == ActorKind.REPORTER else staff
    if ACTOR_OF[action] == ActorKind.VALIDATOR:
        actor_user = validator_of(case)
    if ACTOR_OF[action] == ActorKind.RECEIVER:
        # The referred-to government's officer; with no referral (a refused move), the one
        # who may always speak for it, so that the lifecycle, not permission, refuses.
        actor_user = staff_of(case.referred_to) if case.referred_to else _platform_admin()
    kwargs = {**action_kwargs(case, action, staff), **overrides}
    return services.perform_action(actor=actor_for(actor_user), case=case, **kwargs)


@dataclass
class CaseMaker:
    def __call__(
        self,
        reporter: User,
        *,
        category: str = "jalan-provinsi-rusak",
        privacy: str = Privacy.PUBLIC,
        region_code: str = "18.71.01",
        state: CaseState | str | None = None,
        staff: User | None = None,
        photos: Sequence[services.PhotoUpload] = (),
        description: str = DESCRIPTION,
        **extra,
    ) -> Case:
        case = services.submit_report(
            reporter=reporter,
            report_type=extra.pop("report_type", ReportType.COMPLAINT),
            category_code=category,
            description=description,
            privacy=privacy,
            region_code=region_code,
            photos=photos,
            **extra,
        ).case
        for action in WALKS[CaseState(state)] if state else []:
            act(case, action, staff=staff)
        case.refresh_from_db()
        return case


@pytest.fixture
def make_case(db) -> CaseMaker:
    return CaseMaker()


# ---------------------------------------------------------------------------------------
# Photos
# ---------------------------------------------------------------------------------------

GPS_BANDAR_LAMPUNG = {
    ExifTags.GPS.GPSLatitudeRef: "S",
    ExifTags.GPS.GPSLatitude: (5.0, 25.0, 46.0),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (105.0, 15.0, 36.0),
}


def image_bytes(
    fmt: str = "JPEG",
    size: tuple[int, int] = (64, 48),
    *,
    gps: bool = False,
    noise: bool = False,
    color=(200, 80, 40),
) -> bytes:
    """An in-memory picture; with ``gps`` it carries a camera make and GPS position in EXIF,
    with ``noise`` it is random pixels (which compress badly: a large file from a small image)."""
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "KameraUji"
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS_BANDAR_LAMPUNG)
        image.save(out, format=fmt, exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def make_image() -> Callable[..., bytes]:
    return image_bytes


def photo(name: str = "foto.jpg", **kwargs) -> services.PhotoUpload:
    return services.PhotoUpload(name=name, data=image_bytes(**kwargs))


def upload(name: str, data: bytes):
    """A file for Django's test client (multipart)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/jpeg")


# ---------------------------------------------------------------------------------------
# API client
# ---------------------------------------------------------------------------------------


class ApiClient:
    """Django's test client speaking to /api/v1 with a bearer token (if any)."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.token = token

    def _headers(self, extra: dict | None) -> dict:
        headers = dict(extra or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def get(self, path: str, headers: dict | None = None, **params):
        return self.client.get(API + path, params, headers=self._headers(headers))

    def post(self, path: str, json: dict | None = None, headers: dict | None = None):
        return self.client.post(
            API + path, json or {}, content_type="application/json", headers=self._headers(headers)
        )

    def post_form(self, path: str, data: dict, headers: dict | None = None):
        """Multipart, as an app uploading photos sends it."""
        return self.client.post(API + path, data, headers=self._headers(headers))


def get_token(user: User, password: str = PASSWORD) -> str:
    response = Client().post(
        f"{API}/auth/token",
        {"username": user.email or user.phone, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.fixture
def api_as(db) -> Callable[[User | None], ApiClient]:
    """``api_as(user)``: an API client signed in with a token from POST /auth/token."""

    def make(user: User | None) -> ApiClient:
        return ApiClient(get_token(user) if user is not None else None)

    return make


# ---------------------------------------------------------------------------------------
# Leaving nothing behind
# ---------------------------------------------------------------------------------------


def footprint(media: Path) -> dict:
    """Rows and files a report leaves behind."""
    return {
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "attachments": Attachment.objects.count(),
        "outbox": OutboxMessage.objects.count(),
        "files": sorted(str(p) for p in media.rglob("*") if p.is_file()) if media.exists() else [],
    }
