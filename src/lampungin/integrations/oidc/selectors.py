"""Reads for single sign-on: consents and the apps linked to catalog entries."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, QuerySet

from lampungin.accounts.models import User
from lampungin.catalog.models import Service
from lampungin.integrations.oidc.models import Application, Consent


def consent_in_force(*, user: User, application: Application) -> Consent | None:
    return Consent.objects.active().filter(user=user, application=application).first()


def consent_covers(*, user: User, application: Application, scopes: Iterable[str]) -> bool:
    """Whether ``user`` has a consent in force that lets ``application`` have all of ``scopes``."""
    consent = consent_in_force(user=user, application=application)
    return consent is not None and set(scopes) <= consent.scope_set


def consents_of(user: User) -> QuerySet[Consent]:
    """Every consent ``user`` gave, in force first, newest first (only ever their own)."""
    return (
        Consent.objects.filter(user=user)
        .select_related("application__agency")
        .order_by(F("revoked_at").asc(nulls_first=True), "-granted_at")
    )


def sso_application_for(service: Service) -> Application | None:
    """The registered app a catalog entry opens with 'Masuk dengan Lampung In', if any."""
    return Application.objects.filter(catalog_service=service).first()
