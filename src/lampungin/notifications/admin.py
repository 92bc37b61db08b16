from django.contrib import admin

from lampungin.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "created_at", "read_at"]
    raw_id_fields = ["user", "source_event"]
