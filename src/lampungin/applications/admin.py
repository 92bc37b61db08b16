from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from lampungin.accounts.access import actor_for
from lampungin.applications.choices import LetterStatus
from lampungin.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStep,
    FormField,
    Letter,
    ProcessStep,
    ServiceProcess,
)
from lampungin.applications.services import revoke_letter
from lampungin.core.errors import DomainError


class FormFieldInline(admin.StackedInline):
    model = FormField
    extra = 0
    fields = (
        ("order", "key", "label", "kind", "required"),
        "help_text",
        ("max_length", "pattern", "pattern_message"),
        ("min_value", "max_value"),
        "choices",
        ("file_types", "max_size_kb"),
    )


class ProcessStepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0
    autocomplete_fields = ("agency",)


@admin.register(ServiceProcess)
class ServiceProcessAdmin(admin.ModelAdmin):
    list_display = ("service", "is_active", "letter_title")
    list_filter = ("is_active",)
    search_fields = ("service__name", "service__code")
    autocomplete_fields = ("service",)
    inlines = [ProcessStepInline, FormFieldInline]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class StepInline(ReadOnlyInline):
    model = ApplicationStep
    fields = (
        "order",
        "name",
        "agency",
        "state",
        "started_at",
        "due_at",
        "paused_working_seconds",
        "finished_at",
    )
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = ("seq", "kind", "step_order", "actor_label", "message", "created_at", "hash")
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications change only through the services (and their timeline)."""

    list_display = ("tracking", "service", "state", "current_agency", "created_at")
    list_filter = ("state", "service")
    search_fields = ("tracking",)
    inlines = [StepInline, EventInline]
    exclude = ("answers",)  # personal data: read it in /kantor/permohonan/ where access is scoped

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ("number", "issuing_agency", "issued_at", "status")
    list_filter = ("status", "issuing_agency")
    search_fields = ("number", "code")
    fields = (
        "application",
        "number",
        "title",
        "issuing_agency",
        "issued_at",
        "file",
        "sha256",
        "status",
        "revoked_at",
        "revoked_reason",
    )
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Cabut surat terpilih (alasan: dicabut melalui admin)"))
    def revoke(self, request, queryset) -> None:
        actor = actor_for(request.user)
        for letter in queryset.filter(status=LetterStatus.VALID):
            try:
                revoke_letter(actor=actor, letter=letter, reason="Dicabut melalui admin.")
            except DomainError as exc:
                self.message_user(request, f"{letter.number}: {exc.message}", messages.ERROR)
