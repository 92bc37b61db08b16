from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "lampungin.integrations"
    verbose_name = "Integrasi"

    def ready(self) -> None:
        # API keys with scopes open the REST API v1 too (accounts.api_auth).
        from lampungin.accounts.api_auth import register_bearer_resolver
        from lampungin.integrations.open311.api_auth import resolve_api_key

        register_bearer_resolver(resolve_api_key)

        # Referrals to governments not on the platform leave by e-mail after commit.
        from lampungin.core import outbox
        from lampungin.integrations.lapor.mail import send_referral_mail

        outbox.register("case.transition", send_referral_mail)
