"""Connections to outside systems: Open311 GeoReport v2 (``open311/``), the OpenID Connect
provider (``oidc/``, an app of its own); webhooks and the national LAPOR! exchange later."""
