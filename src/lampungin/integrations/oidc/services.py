"""Writes for single sign-on: registering apps, their secrets, and citizens' consents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_access_token_model, get_grant_model, get_refresh_token_model

from lampungin.accounts.models import User
from lampungin.agencies.models import Agency
from lampungin.catalog.models import Service
from lampungin.core.errors import NotFound
from lampungin.integrations.oidc.choices import DEFAULT_ALLOWED_SCOPES, ConsentEnd
from lampungin.integrations.oidc.models import Application, Consent
from lampungin.integrations.oidc.scopes import known_scopes


@dataclass(frozen=True)
class Registration:
    """A newly registered app and its client secret in clear: the only moment it exists in clear."""

    application: Application
    client_secret: str  # empty for a public client, which has no usable secret


def _ordered(scopes: Iterable[str]) -> str:
    """Scopes as one space-separated string in the canonical order (unknown ones kept last)."""
    wanted = set(scopes)
    known = [s for s in known_scopes() if s in wanted]
    return " ".join(known + sorted(wanted - set(known)))


@transaction.atomic
def register_application(
    *,
    name: str,
    redirect_uris: Sequence[str],
    agency: Agency | None = None,
    allowed_scopes: Iterable[str] = DEFAULT_ALLOWED_SCOPES,
    public: bool = False,
    post_logout_redirect_uris: Sequence[str] = (),
    catalog_service: Service | None = None,
    client_id: str = "",
    client_secret: str = "",
    registered_by: User | None = None,
) -> Registration:
    """Register a regional app (authorization code + PKCE, RS256 ID tokens) and return its secret.

    Only a hash of the secret is stored; a given ``client_secret`` (the demo's) is used as is.
    """
    application = Application(
        name=name.strip(),
        redirect_uris=" ".join(redirect_uris),
        post_logout_redirect_uris=" ".join(post_logout_redirect_uris),
        client_type=Application.CLIENT_PUBLIC if public else Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM,
        allowed_scopes=_ordered(allowed_scopes),
        agency=agency,
        catalog_service=catalog_service,
        user=registered_by,
        hash_client_secret=True,
    )
    if client_id:
        application.client_id = client_id
    # A public client never authenticates; it still gets an unusable random secret rather
    # than an empty one, whose hash would match an empty password.
    secret = client_secret or generate_client_secret()
    application.client_secret = secret
    errors: dict[str, list[str]] = {}
    if not application.name:
        errors["name"] = [_("Nama aplikasi wajib diisi.")]
    if not redirect_uris:
        errors["redirect_uris"] = [_("Isi paling sedikit satu redirect URI.")]
    try:
        application.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    application.save()
    return Registration(application=application, client_secret="" if public else secret)


@transaction.atomic
def reset_client_secret(*, application: Application) -> str:
    """Give ``application`` a new client secret and return it in clear; the old one stops working.

    Saves the application (a new one too, as the admin's add form does); only the hash is stored.
    """
    secret = generate_client_secret()
    application.client_secret = secret
    if application.pk is None:
        application.save()
    else:
        application.save(update_fields=["client_secret", "updated"])
    return secret


@transaction.atomic
def record_consent(*, user: User, application: Application, scopes: Iterable[str]) -> Consent:
    """Record that ``user`` lets ``application`` have ``scopes`` (all within the app's allow-list).

    A consent in force that already covers them is kept; otherwise it is replaced by one that
    covers both the old and the new scopes.
    """
    wanted = set(scopes)
    refused = wanted - application.allowed_scope_set
    if refused:
        raise ValidationError(
            {"scope": [_("Cakupan tidak diizinkan untuk aplikasi ini: %s") % ", ".join(sorted(refused))]}
        )
    current = Consent.objects.select_for_update().active().filter(user=user, application=application).first()
    if current is not None and wanted <= current.scope_set:
        return current
    if current is not None:
        wanted |= current.scope_set
        current.revoked_at = timezone.now()
        current.ended_because = ConsentEnd.REPLACED
        current.save(update_fields=["revoked_at", "ended_because"])
    return Consent.objects.create(user=user, application=application, scopes=_ordered(wanted))


def revoke_tokens(*, user: User, application: Application) -> None:
    """Make every token and pending code ``application`` holds for ``user`` unusable."""
    for refresh_token in get_refresh_token_model().objects.filter(
        user=user, application=application, revoked__isnull=True
    ):
        refresh_token.revoke()  # also deletes its access token
    get_access_token_model().objects.filter(user=user, application=application).delete()
    get_grant_model().objects.filter(user=user, application=application).delete()


@transaction.atomic
def revoke_consent(*, user: User, consent_id: int) -> Consent:
    """End ``user``'s consent: the app's tokens stop working now and its next sign-in asks again."""
    consent = (
        Consent.objects.select_for_update()
        .active()
        .select_related("application")
        .filter(pk=consent_id, user=user)
        .first()
    )
    if consent is None:
        raise NotFound(_("Izin tidak ditemukan atau sudah dicabut."))
    consent.revoked_at = timezone.now()
    consent.ended_because = ConsentEnd.REVOKED
    consent.save(update_fields=["revoked_at", "ended_because"])
    revoke_tokens(user=user, application=consent.application)
    return consent
