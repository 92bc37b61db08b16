from django.contrib import admin

from lampungin.core.models import OutboxMessage, PeriodicJobState


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


@admin.register(PeriodicJobState)
class PeriodicJobStateAdmin(admin.ModelAdmin):
    # An operator may pull next_run_at forward to make the scheduler queue a job now.
    list_display = ["name", "next_run_at", "last_run_at"]
    readonly_fields = ["name", "last_run_at"]
