from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lampungin.demo"
    verbose_name = "Data demo"
