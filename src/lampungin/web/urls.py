from django.urls import path

from lampungin.integrations.oidc import views as oidc_views
from lampungin.web import account_data, applications, favourites, pwa, ratings, similar, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("layanan/<slug:code>/", views.service_detail, name="service"),
    path("cari/", views.lookup, name="lookup"),
    path("laporan/<str:tracking>", views.public_report, name="public_report"),
    path("lapor/", views.report_new, name="report_new"),
    path("laporan/<str:tracking>/dukung", similar.support, name="support_report"),
    path("kepatuhan/", views.service_times, name="service_times"),
    path("lapor/terkirim/<str:tracking>/", views.report_done, name="report_done"),
    path("akun/", views.account, name="account"),
    path("akun/data-saya.json", account_data.download, name="account_data"),
    path("akun/hapus/", account_data.delete, name="account_delete"),
    path("akun/daftar/", views.signup, name="signup"),
    path("akun/masuk/", views.login_view, name="login"),
    path("akun/keluar/", views.logout_view, name="logout"),
    path("akun/laporan/<str:tracking>/", views.my_report, name="my_report"),
    path("akun/laporan/<str:tracking>/nilai/", ratings.rate_report, name="rate_report"),
    path("akun/izin-aplikasi/", oidc_views.consents, name="sso_consents"),
    path("akun/izin-aplikasi/<int:pk>/cabut/", oidc_views.revoke_consent, name="sso_consent_revoke"),
    path("lampiran/<int:pk>", views.attachment, name="attachment"),
    path("layanan/<slug:code>/favorit/", favourites.toggle, name="favourite"),
    path("layanan/<slug:code>/ajukan/", applications.apply, name="apply"),
    path("akun/permohonan/<str:tracking>/", applications.my_application, name="my_application"),
    path("akun/permohonan/<str:tracking>/tarik/", applications.withdraw, name="withdraw_application"),
    path("akun/permohonan/<str:tracking>/surat.pdf", applications.letter_pdf, name="application_letter"),
    path("berkas-permohonan/<int:pk>", applications.application_file, name="application_file"),
    path("verifikasi/<str:code>", applications.verify, name="verify_letter"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("luring/", pwa.offline, name="offline"),
]
