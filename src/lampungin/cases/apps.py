from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lampungin.cases"
