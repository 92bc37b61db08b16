"""The demo's sample relying party (examples/relying_party/), registered for single sign-on.

Fixed client id and secret so that the example runs against the demo without copying
credentials; a real app gets a random secret from ``lampungin oidc-client create``.
"""

from __future__ import annotations

from django.db import transaction

from lampungin.accounts.models import CitizenProfile
from lampungin.agencies.models import Agency
from lampungin.catalog.choices import ServiceKind
from lampungin.catalog.models import Service, ServiceGroup
from lampungin.core.crypto import blind_index
from lampungin.demo.accounts import DOMAIN
from lampungin.integrations.oidc import services
from lampungin.integrations.oidc.choices import Scope
from lampungin.integrations.oidc.models import Application

DEMO_RP_CLIENT_ID = "contoh-aplikasi-daerah"
DEMO_RP_SECRET = "rahasia-demo-contoh-aplikasi-daerah-2026"  # demo only; printed by `lampungin demo`
DEMO_RP_URL = "http://127.0.0.1:8001/"
DEMO_RP_REDIRECT = "http://127.0.0.1:8001/callback"
DEMO_RP_SERVICE = "contoh-aplikasi-daerah"
# Fictional (Kota Bandar Lampung has no kecamatan 99), so that the `nik` scope can be shown.
DEMO_CITIZEN_NIK = "1871995708909999"


@transaction.atomic
def ensure_demo_relying_party() -> Application:
    """Register the sample app (allowed the NIK scope, to show it) and list it in the catalog.

    The demo citizen gets a fictional NIK, so that the restricted ``nik`` scope has a value.
    """
    profile = CitizenProfile.objects.filter(user__email=f"warga@{DOMAIN}", nik_encrypted="").first()
    if (
        profile is not None
        and not CitizenProfile.objects.filter(nik_index=blind_index(DEMO_CITIZEN_NIK)).exists()
    ):
        profile.set_nik(DEMO_CITIZEN_NIK)
        profile.save(update_fields=["nik_encrypted", "nik_index"])
    agency = Agency.objects.get(code="diskominfotik")
    service, _created = Service.objects.get_or_create(
        code=DEMO_RP_SERVICE,
        defaults={
            "name": "Contoh Aplikasi Daerah (demo SSO)",
            "group": ServiceGroup.objects.get(code="pemerintahan"),
            "agency": agency,
            "kind": ServiceKind.APP,
            "url": DEMO_RP_URL,
            "summary": "Aplikasi contoh yang masuk dengan akun Lampung In (examples/relying_party/).",
            "is_sample": True,
        },
    )
    existing = Application.objects.filter(client_id=DEMO_RP_CLIENT_ID).first()
    if existing is not None:
        return existing
    return services.register_application(
        name="Contoh Aplikasi Daerah",
        redirect_uris=[DEMO_RP_REDIRECT],
        post_logout_redirect_uris=[DEMO_RP_URL],
        agency=agency,
        allowed_scopes=[s.value for s in Scope],
        client_id=DEMO_RP_CLIENT_ID,
        client_secret=DEMO_RP_SECRET,
        catalog_service=service,
    ).application
