from django.contrib import admin

from lampungin.analytics.models import TimelineDigest, TimelineDigestAlarm


class _ReadOnly(admin.ModelAdmin):
    """Published records are evidence: nobody edits or deletes them through the admin."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TimelineDigest)
class TimelineDigestAdmin(_ReadOnly):
    list_display = ["day", "event_count", "merkle_root", "computed_at"]
    date_hierarchy = "day"


@admin.register(TimelineDigestAlarm)
class TimelineDigestAlarmAdmin(_ReadOnly):
    list_display = ["day", "published_root", "recomputed_root", "detected_at", "last_detected_at"]
