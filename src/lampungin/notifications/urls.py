from django.urls import path

from lampungin.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/dibaca/", views.mark_read, name="read"),
    path("dibaca-semua/", views.mark_all_read, name="read_all"),
    path("preferensi/", views.preferences, name="preferences"),
    path("push/", views.push_subscription, name="push"),
]
