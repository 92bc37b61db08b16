from django.contrib import admin

from lampungin.agencies.models import Agency, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "level", "region", "onboarded", "is_active"]
    list_filter = ["level", "onboarded", "is_active"]
    search_fields = ["code", "name", "short_name"]
    prepopulated_fields = {"code": ["short_name"]}
    inlines = [UnitInline]
    raw_id_fields = ["region"]
