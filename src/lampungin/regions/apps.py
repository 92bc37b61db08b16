from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "lampungin.regions"
