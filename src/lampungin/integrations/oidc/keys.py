"""ID-token signing keys: made on first use, rotated with ``lampungin oidc-rotate-key``.

Keys live in the database (:class:`SigningKey`), not in settings or files, so every web
process on every host signs with the same current key and publishes the same JWKS, and a
rotation takes effect without a restart. django-oauth-toolkit's ``OIDC_RSA_PRIVATE_KEY``
(one key, fixed at start-up) is therefore left empty; the validator and the JWKS view ask
this module instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from jwcrypto import jwk

from lampungin.core import crypto
from lampungin.integrations.oidc.models import SigningKey

ALGORITHM = "RS256"
KEY_SIZE = 2048


@dataclass(frozen=True)
class LoadedKey:
    """A private signing key ready to use, with its key id."""

    kid: str
    jwk: jwk.JWK


@dataclass(frozen=True)
class Rotation:
    """What ``rotate_signing_key`` did."""

    new_kid: str
    retired_kid: str | None
    deleted: int


def _new_key(*, current: bool) -> SigningKey:
    key = jwk.JWK.generate(kty="RSA", size=KEY_SIZE)
    kid = key.thumbprint()
    public = json.loads(key.export_public())
    public.update(kid=kid, alg=ALGORITHM, use="sig")
    pem = key.export_to_pem(private_key=True, password=None).decode()
    return SigningKey(
        kid=kid, private_key_encrypted=crypto.encrypt(pem), public_jwk=public, is_current=current
    )


@lru_cache(maxsize=8)
def _load(kid: str, encrypted: str) -> LoadedKey:
    # Parsing an RSA key costs milliseconds; a key's ciphertext never changes, so cache by it.
    return LoadedKey(kid=kid, jwk=jwk.JWK.from_pem(crypto.decrypt(encrypted).encode()))


def current_signing_key() -> LoadedKey:
    """The key that signs new ID tokens; the first one is generated on first use."""
    row = SigningKey.objects.filter(is_current=True).only("kid", "private_key_encrypted").first()
    if row is None:
        try:
            with transaction.atomic():
                row = _new_key(current=True)
                row.save()
        except IntegrityError:  # another process made the first key at the same moment
            row = SigningKey.objects.get(is_current=True)
    return _load(row.kid, row.private_key_encrypted)


def _publication_cutoff():
    return timezone.now() - timedelta(days=settings.OIDC_RETIRED_KEY_DAYS)


def published_keys() -> QuerySet[SigningKey]:
    """The current key and the keys retired recently enough to still verify old tokens."""
    return SigningKey.objects.filter(Q(is_current=True) | Q(retired_at__gte=_publication_cutoff()))


def jwks() -> dict:
    """The public JSON Web Key Set (RFC 7517) that relying parties verify ID tokens with."""
    current_signing_key()  # a fresh installation publishes a key before it signs anything
    return {"keys": [key.public_jwk for key in published_keys().order_by("-is_current", "-created_at")]}


def verification_key(kid: str) -> jwk.JWK | None:
    """The public key published under ``kid``, or None (unknown, or retired too long ago)."""
    row = published_keys().filter(kid=kid).only("public_jwk").first()
    return jwk.JWK(**row.public_jwk) if row else None


@transaction.atomic
def rotate_signing_key() -> Rotation:
    """Make a new current key; the old one stays published; keys retired long ago are deleted."""
    now = timezone.now()
    old = SigningKey.objects.select_for_update().filter(is_current=True).first()
    if old is not None:
        old.is_current = False
        old.retired_at = now
        old.save(update_fields=["is_current", "retired_at"])
    new = _new_key(current=True)
    new.save()
    deleted, _ = SigningKey.objects.filter(is_current=False, retired_at__lt=_publication_cutoff()).delete()
    return Rotation(new_kid=new.kid, retired_kid=old.kid if old else None, deleted=deleted)
