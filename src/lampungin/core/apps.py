from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lampungin.core"
    verbose_name = "Inti"
