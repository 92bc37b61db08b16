from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lampungin.api"

    def ready(self) -> None:
        # Account deletion erases what every app holds about the person (accounts.erasure).
        from lampungin.api import personal_data

        personal_data.register()
