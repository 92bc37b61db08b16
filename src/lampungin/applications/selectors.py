"""Reads of applications, always scoped by who asks (``permissions.scope_applications``)."""

from __future__ import annotations

import re

from django.db.models import QuerySet

from lampungin.accounts.access import Actor
from lampungin.applications.choices import OPEN_STATES, TRACKING_PREFIX, VERIFICATION_CODE_LENGTH
from lampungin.applications.models import Application, ApplicationEvent, ApplicationFile, Letter
from lampungin.applications.permissions import scope_applications
from lampungin.core.errors import NotFound
from lampungin.core.ids import ALPHABET, normalize_tracking_number


def _base() -> QuerySet[Application]:
    return Application.objects.select_related("service", "service__agency", "current_step", "current_agency")


def my_applications(actor: Actor) -> QuerySet[Application]:
    if not actor.is_authenticated:
        return Application.objects.none()
    return _base().filter(applicant_id=actor.user_id).order_by("-created_at")


def inbox(actor: Actor) -> QuerySet[Application]:
    """Open applications waiting at a step owned by one of ``actor``'s agencies, oldest deadline first."""
    if not actor.agency_ids:
        return Application.objects.none()
    return (
        _base()
        .filter(current_agency_id__in=actor.agency_ids, state__in=OPEN_STATES)
        .order_by("current_step__due_at", "created_at")
    )


def get_application(actor: Actor, tracking: str) -> Application:
    """The application ``tracking`` if ``actor`` may read it; ``NotFound`` otherwise (no leak)."""
    number = normalize_tracking_number(tracking, prefix=TRACKING_PREFIX)
    application = scope_applications(actor, _base()).filter(tracking=number).first() if number else None
    if application is None:
        raise NotFound("Permohonan tidak ditemukan.")
    return application


def steps(application: Application):
    return application.steps.select_related("agency").order_by("order")


def timeline(application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.order_by("seq")


def current_files(application: Application) -> QuerySet[ApplicationFile]:
    return application.files.filter(superseded_at__isnull=True)


_CODE = re.compile(rf"^[{ALPHABET}]{{{VERIFICATION_CODE_LENGTH}}}$")


def normalize_code(raw: str) -> str | None:
    code = re.sub(r"[\s\-]", "", raw.upper())
    return code if _CODE.match(code) else None


def letter_by_code(raw: str) -> Letter:
    """A letter by its verification code (public: anyone holding the letter may check it)."""
    code = normalize_code(raw)
    letter = (
        Letter.objects.select_related("application__service", "issuing_agency").filter(code=code).first()
        if code
        else None
    )
    if letter is None:
        raise NotFound("Kode verifikasi tidak dikenal.")
    return letter


def mask_name(name: str) -> str:
    """``Siti Rahmawati`` → ``S*** R*********``: enough to match the letter in hand, no more."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split() if word)
