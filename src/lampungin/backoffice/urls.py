from django.urls import path

from lampungin.backoffice import views

app_name = "backoffice"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("laporan/<str:tracking>/", views.case_work, name="case"),
]
