"""django-oauth-toolkit's request validator, adapted to Lampung In.

What changes from the toolkit's own: ID tokens are signed with the current key from the
database and verified with any published key (rotation); claims come from
:mod:`claims` (pairwise ``sub``, the NIK only under its scope, personal data only from
userinfo); and no code or refresh token is honoured without a consent in force.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import router, transaction
from jwcrypto import jws, jwt
from jwcrypto.common import JWException
from oauth2_provider.models import get_id_token_model
from oauth2_provider.oauth2_validators import OAuth2Validator

from lampungin.integrations.oidc import keys, selectors
from lampungin.integrations.oidc.claims import CLAIM_SCOPES, USERINFO_ONLY_CLAIMS, claims_for


class LampungInValidator(OAuth2Validator):
    oidc_claim_scope = {claim: str(scope) for claim, scope in CLAIM_SCOPES.items()}

    # --- claims -------------------------------------------------------------------------

    def get_discovery_claims(self, request) -> list[str]:
        return list(CLAIM_SCOPES)

    def get_oidc_claims(self, token, token_handler, request) -> dict[str, Any]:
        return claims_for(user=request.user, application=request.client, scopes=request.scopes)

    def get_id_token_dictionary(self, token, token_handler, request) -> tuple[dict[str, Any], Any]:
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        return {k: v for k, v in claims.items() if k not in USERINFO_ONLY_CLAIMS}, expiration_time

    def get_userinfo_claims(self, request) -> dict[str, Any]:
        return claims_for(user=request.user, application=request.client, scopes=request.scopes)

    # --- signing and verifying ID tokens -----------------------------------------------

    def finalize_id_token(self, id_token, token, token_handler, request) -> str:
        """Sign the ID token with the current key (the toolkit's version reads one key from settings)."""
        claims, expiration_time = self.get_id_token_dictionary(token, token_handler, request)
        id_token.update(**claims)
        if "nonce" not in id_token and request.nonce:
            id_token["nonce"] = request.nonce
        key = keys.current_signing_key()
        header = {"typ": "JWT", "alg": keys.ALGORITHM, "kid": key.kid}
        signed = jwt.JWT(header=json.dumps(header), claims=json.dumps(id_token, default=str))
        signed.make_signed_token(key.jwk)
        IDToken = get_id_token_model()
        with transaction.atomic(using=router.db_for_write(IDToken)):
            saved = self._save_id_token(id_token["jti"], request, expiration_time)
        request.access_token = saved
        request.id_token = saved
        return signed.serialize()

    def _get_key_for_token(self, token: str):
        """The published key named by the token's ``kid``, if the token is for a known app."""
        unverified = jws.JWS()
        try:
            unverified.deserialize(token)
            kid = unverified.jose_header.get("kid")
            claims = json.loads(unverified.objects["payload"].decode("utf-8"))
        except (JWException, ValueError, KeyError):
            return None
        if not kid or "aud" not in claims or self._get_client_by_audience(claims["aud"]) is None:
            return None
        return keys.verification_key(kid)

    # --- consent ------------------------------------------------------------------------

    def validate_code(self, client_id, code, client, request, *args, **kwargs) -> bool:
        if not super().validate_code(client_id, code, client, request, *args, **kwargs):
            return False
        return selectors.consent_covers(user=request.user, application=client, scopes=request.scopes)

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs) -> bool:
        if not super().validate_refresh_token(refresh_token, client, request, *args, **kwargs):
            return False
        scopes = self.get_original_scopes(refresh_token, request)
        scopes = scopes.split() if isinstance(scopes, str) else scopes
        return selectors.consent_covers(user=request.user, application=client, scopes=scopes)
