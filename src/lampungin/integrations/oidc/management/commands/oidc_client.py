"""``lampungin oidc-client``: register regional apps for "Masuk dengan Lampung In"."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lampungin.agencies.models import Agency
from lampungin.catalog.models import Service
from lampungin.integrations.oidc import services
from lampungin.integrations.oidc.choices import DEFAULT_ALLOWED_SCOPES
from lampungin.integrations.oidc.models import Application


class Command(BaseCommand):
    help = (
        "Daftarkan aplikasi daerah untuk SSO: create NAME --redirect-uri URI [--agency KODE] "
        '[--scopes "openid profile email"] [--public]; list; reset-secret CLIENT_ID.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="register an app and print its client_id and client_secret")
        create.add_argument("name")
        create.add_argument("--redirect-uri", action="append", required=True, dest="redirect_uris")
        create.add_argument("--logout-uri", action="append", default=[], dest="logout_uris")
        create.add_argument("--agency", default="", help="agency code, e.g. diskominfotik")
        create.add_argument("--scopes", default=" ".join(DEFAULT_ALLOWED_SCOPES))
        create.add_argument(
            "--public", action="store_true", help="public client (mobile app, SPA): no secret"
        )
        create.add_argument("--client-id", default="")
        create.add_argument("--service", default="", help="catalog service code the app opens")
        sub.add_parser("list", help="list registered apps")
        reset = sub.add_parser("reset-secret", help="issue a new client secret")
        reset.add_argument("client_id")

    def handle(self, *args, **options) -> None:
        getattr(self, f"_{options['action'].replace('-', '_')}")(options)

    def _create(self, options: dict) -> None:
        agency = service = None
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(f"unknown agency code {options['agency']!r}")
        if options["service"]:
            service = Service.objects.filter(code=options["service"]).first()
            if service is None:
                raise CommandError(f"unknown catalog service {options['service']!r}")
        try:
            registration = services.register_application(
                name=options["name"],
                redirect_uris=options["redirect_uris"],
                post_logout_redirect_uris=options["logout_uris"],
                agency=agency,
                allowed_scopes=options["scopes"].split(),
                public=options["public"],
                client_id=options["client_id"],
                catalog_service=service,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        self._print_credentials(registration.application, registration.client_secret)

    def _list(self, options: dict) -> None:
        for app in Application.objects.select_related("agency").order_by("name"):
            agency = app.agency.code if app.agency else "-"
            self.stdout.write(
                f"{app.client_id}\t{app.client_type}\t{agency}\t{app.allowed_scopes}\t{app.name}"
            )

    def _reset_secret(self, options: dict) -> None:
        app = Application.objects.filter(client_id=options["client_id"]).first()
        if app is None:
            raise CommandError(f"no app with client_id {options['client_id']!r}")
        if app.client_type == Application.CLIENT_PUBLIC:
            raise CommandError("a public client has no secret")
        self._print_credentials(app, services.reset_client_secret(application=app))

    def _print_credentials(self, app: Application, secret: str) -> None:
        self.stdout.write(f"client_id:     {app.client_id}")
        if secret:
            self.stdout.write(f"client_secret: {secret}")
            self.stdout.write("               (shown once: only its hash is stored)")
        else:
            self.stdout.write("client_secret: none (public client: use PKCE)")
        self.stdout.write(f"scopes:        {app.allowed_scopes}")
        self.stdout.write(f"discovery:     {settings.SITE_URL}/.well-known/openid-configuration")
