from django.urls import path

from lampungin.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("layanan/<slug:code>/", views.service_detail, name="service"),
    path("cari/", views.lookup, name="lookup"),
    path("laporan/<str:tracking>", views.public_report, name="public_report"),
    path("lapor/", views.report_new, name="report_new"),
    path("lapor/terkirim/<str:tracking>/", views.report_done, name="report_done"),
    path("akun/", views.account, name="account"),
    path("akun/daftar/", views.signup, name="signup"),
    path("akun/masuk/", views.login_view, name="login"),
    path("akun/keluar/", views.logout_view, name="logout"),
    path("akun/laporan/<str:tracking>/", views.my_report, name="my_report"),
    path("lampiran/<int:pk>", views.attachment, name="attachment"),
]
