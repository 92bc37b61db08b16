from django.contrib import admin

from lampungin.cases.models import Attachment, Case, CaseClock, CaseEvent, ResponseTemplate, RoutingRule


class ReadOnlyEventInline(admin.TabularInline):
    """The timeline is append-only: the admin shows it and never edits it."""

    model = CaseEvent
    extra = 0
    can_delete = False
    fields = [
        "seq",
        "created_at",
        "kind",
        "action",
        "from_state",
        "to_state",
        "actor_label",
        "visibility",
        "message",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyClockInline(admin.TabularInline):
    """SLA clocks are written by the lifecycle and the SLA check only."""

    model = CaseClock
    extra = 0
    can_delete = False
    fields = ["kind", "started_at", "due_at", "paused_at", "stopped_at", "breached_at", "escalation_level"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["tracking", "title", "state", "agency", "regency", "privacy", "created_at"]
    list_filter = ["state", "privacy", "report_type", "agency"]
    search_fields = ["tracking", "title"]
    readonly_fields = [f.name for f in Case._meta.fields]
    inlines = [ReadOnlyClockInline, ReadOnlyEventInline]

    def has_add_permission(self, request) -> bool:
        # Reports are filed through the service so they get a timeline and a tracking number.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "size", "width", "height", "created_at"]
    raw_id_fields = ["case", "event", "uploaded_by"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "category",
        "regency",
        "district",
        "keywords",
        "authority",
        "agency",
        "priority",
        "is_active",
    ]
    list_filter = ["is_active", "authority", "category"]
    search_fields = ["name", "keywords"]
    autocomplete_fields = ["regency", "district"]
    list_select_related = ["category", "regency", "district", "agency"]


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "category", "visibility", "is_active"]
    list_filter = ["visibility", "is_active", "agency"]
    search_fields = ["title", "body"]
    list_select_related = ["agency", "category"]
