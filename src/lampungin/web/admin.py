from django.contrib import admin

from lampungin.web.models import Announcement


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "ends_at", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "body"]
    date_hierarchy = "starts_at"
