"""OpenID Connect endpoints (django-oauth-toolkit views, adapted) and the citizen's consent pages."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views import AuthorizationView, ConnectDiscoveryInfoView, JwksInfoView, TokenView
from oauth2_provider.views.oidc import RPInitiatedLogoutView

from lampungin.accounts.models import CitizenProfile
from lampungin.accounts.phone import mask_phone
from lampungin.core import ratelimit
from lampungin.core.errors import DomainError, TooManyRequests
from lampungin.integrations.oidc import keys, selectors, services
from lampungin.integrations.oidc.choices import Scope
from lampungin.integrations.oidc.models import Application
from lampungin.integrations.oidc.scopes import known_scopes, scope_explanation, scope_label


class LimitedTokenView(TokenView):
    """The token endpoint, with a per-address limit: it checks client secrets, codes and
    refresh tokens, so unlimited it would let anyone guess them at network speed."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            ratelimit.check_address(request, "oidc-token")
        except TooManyRequests as exc:
            # RFC 6749 §5.2 shape, so that OAuth client libraries report it as they would any error.
            response = JsonResponse({"error": "rate_limited", "error_description": exc.message}, status=429)
            response["Retry-After"] = str(exc.retry_after)
            response["Cache-Control"] = "no-store"
            return response
        return super().post(request, *args, **kwargs)


class DiscoveryView(ConnectDiscoveryInfoView):
    """``/.well-known/openid-configuration`` with what the toolkit cannot know about our keys."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data.update(
            id_token_signing_alg_values_supported=[keys.ALGORITHM],
            revocation_endpoint=self._get_endpoint_url(request, "revoke-token", required=True),
            grant_types_supported=["authorization_code", "refresh_token"],
            ui_locales_supported=["id", "en"],
            claims_parameter_supported=False,
        )
        answer = JsonResponse(data)
        answer["Access-Control-Allow-Origin"] = "*"
        return answer


class JwksView(JwksInfoView):
    """The public keys: the current signing key and recently retired ones (see ``keys``)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = JsonResponse(keys.jwks())
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = f"public, max-age={oauth2_settings.OIDC_JWKS_MAX_AGE_SECONDS}"
        return response


def _scope_items(user, scopes: list[str]) -> list[dict[str, str]]:
    """One entry per requested scope for the consent screen: name, explanation, what is shared."""
    profile = CitizenProfile.objects.filter(user=user).first()
    preview = {
        Scope.PROFILE: user.full_name,
        Scope.EMAIL: user.email or _("(belum diisi)"),
        Scope.PHONE: mask_phone(user.phone) if user.phone else _("(belum diisi)"),
        Scope.NIK: (profile.nik_masked if profile else "") or _("(belum diisi)"),
    }
    items = []
    for scope in scopes:
        if scope not in known_scopes():
            continue
        items.append(
            {
                "scope": scope,
                "label": scope_label(scope),
                "explanation": scope_explanation(scope),
                "value": str(preview.get(Scope(scope), "")) if scope in Scope.values else "",
            }
        )
    return items


class AuthorizeView(AuthorizationView):
    """The authorization endpoint with Lampung In's consent screen.

    A citizen whose consent in force already covers the requested scopes is sent straight
    back to the app, exactly as if they had pressed *Izinkan* again; otherwise (or with
    ``prompt=consent``) the consent screen is shown. Pressing *Izinkan* records the consent
    in the same transaction that issues the authorization code.
    """

    template_name = "oidc/authorize.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if "scopes" in context and self.request.user.is_authenticated:
            context["scope_items"] = _scope_items(self.request.user, context["scopes"])
        return context

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        application = context.get("application")
        if "error" not in context and isinstance(application, Application) and "scopes" in context:
            prompt = set(self.request.GET.get("prompt", "").split())
            covered = selectors.consent_covers(
                user=self.request.user, application=application, scopes=context["scopes"]
            )
            if covered and "consent" not in prompt:
                form = self.get_form_class()(
                    data={**{k: v for k, v in self.get_initial().items() if v is not None}, "allow": "true"}
                )
                if form.is_valid():
                    return self.form_valid(form)
            elif "none" in prompt:
                return self._consent_required(context)
        return super().render_to_response(context, **response_kwargs)

    def _consent_required(self, context: dict[str, Any]) -> HttpResponse:
        """``prompt=none`` without a consent in force: OIDC Core §3.1.2.6 ``consent_required``."""
        params = {"error": "consent_required"}
        if context.get("state"):
            params["state"] = context["state"]
        uri = context["redirect_uri"]
        return self.redirect(f"{uri}{'&' if '?' in uri else '?'}{urlencode(params)}", context["application"])

    def form_valid(self, form) -> HttpResponse:
        if not form.cleaned_data.get("allow"):
            return super().form_valid(form)
        application = Application.objects.filter(client_id=form.cleaned_data["client_id"]).first()
        if application is None:
            return super().form_valid(form)  # the toolkit answers with the right error
        tampered = False
        with transaction.atomic():
            try:
                services.record_consent(
                    user=self.request.user,
                    application=application,
                    scopes=form.cleaned_data["scope"].split(),
                )
            except ValidationError:
                tampered = True  # scopes beyond the allow-list: only an edited form sends them
            else:
                response = super().form_valid(form)
                # On a refusal the toolkit also redirects, with ``error=`` instead of ``code=``.
                if "code" not in parse_qs(urlsplit(getattr(self, "success_url", None) or "").query):
                    transaction.set_rollback(True)
        if tampered:
            return super().form_valid(form)  # the toolkit answers invalid_scope
        return response


class LogoutView(RPInitiatedLogoutView):
    """RP-initiated logout (OIDC RP-Initiated Logout 1.0), with our confirmation page."""

    template_name = "oidc/logout_confirm.html"

    def form_valid(self, form) -> HttpResponse:
        if not form.cleaned_data.get("allow") and self.request.user.is_authenticated:
            # "Tetap masuk": the citizen said no; that is a choice, not an error page.
            messages.info(self.request, _("Anda tetap masuk di Lampung In."))
            return redirect("web:account")
        return super().form_valid(form)


# --- the citizen's consents (/akun/izin-aplikasi/) ---------------------------------------


@login_required
def consents(request: HttpRequest) -> HttpResponse:
    """The apps a citizen signed in to with Lampung In, what each may know, and since when."""
    return render(request, "oidc/consents.html", {"consents": selectors.consents_of(request.user)})


@login_required
@require_POST
def revoke_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw one of the signed-in citizen's own consents (someone else's is simply not found)."""
    try:
        consent = services.revoke_consent(user=request.user, consent_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Izin untuk %(app)s sudah dicabut. Aplikasi itu tidak lagi menerima data Anda.")
            % {"app": consent.application.name},
        )
    return redirect("web:sso_consents")
