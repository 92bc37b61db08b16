from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "lampungin.integrations"
    verbose_name = "Integrasi"
