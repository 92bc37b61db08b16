from django.contrib import admin
from django.urls import include, path

from lampungin.accounts.admin import LimitedAdminAuthenticationForm
from lampungin.api.main import api
from lampungin.core import health

admin.site.site_header = "Lampung In — Admin"
admin.site.site_title = "Lampung In"
admin.site.index_title = "Konfigurasi platform"
admin.site.login_form = LimitedAdminAuthenticationForm

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("open311/v2/", include("lampungin.integrations.open311.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("kantor/", include("lampungin.backoffice.urls")),
    path("akun/notifikasi/", include("lampungin.notifications.urls")),
    # OpenID Connect: /.well-known/openid-configuration and /oidc/… (namespace "oauth2_provider").
    path("", include("lampungin.integrations.oidc.urls")),
    path("", include("lampungin.web.urls")),
]
