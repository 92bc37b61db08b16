from django.contrib import admin

from lampungin.core.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ["id", "topic", "created_at", "processed_at", "attempts"]
    list_filter = ["topic"]
    readonly_fields = [
        "topic",
        "payload",
        "created_at",
        "available_at",
        "claimed_until",
        "processed_at",
        "attempts",
        "last_error",
    ]
