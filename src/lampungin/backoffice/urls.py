from django.urls import path

from lampungin.backoffice import views

app_name = "backoffice"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("kepatuhan/", views.service_times, name="service_times"),
    path("laporan/<str:tracking>/", views.case_work, name="case"),
]
