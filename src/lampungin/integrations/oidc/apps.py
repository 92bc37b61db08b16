from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OidcConfig(AppConfig):
    """Its own Django app (label ``oidc``), so that its models and migrations stay apart from
    the other integrations and can be swapped in as django-oauth-toolkit's application model."""

    name = "lampungin.integrations.oidc"
    label = "oidc"
    verbose_name = _("Masuk dengan Lampung In (OIDC)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Access tokens of our provider open the REST API v1 (accounts.api_auth).
        from lampungin.accounts.api_auth import register_bearer_resolver
        from lampungin.integrations.oidc.api_auth import resolve_access_token

        register_bearer_resolver(resolve_access_token)
