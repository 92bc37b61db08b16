from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lampungin.core import clock
from lampungin.integrations.open311.models import ApiKey, Open311Request
from lampungin.integrations.open311.services import issue_key


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are made here or with ``lampungin apikey create``; the key is shown once, on creation."""

    list_display = ["name", "key_prefix", "agency", "scopes", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "key_prefix"]
    raw_id_fields = ["agency"]
    readonly_fields = ["key_prefix", "account", "created_at", "last_used_at"]
    actions = ["revoke"]

    def save_model(self, request: HttpRequest, obj: ApiKey, form, change: bool) -> None:
        raw = None if change else issue_key(obj)
        super().save_model(request, obj, form, change)
        if raw:
            messages.warning(
                request,
                _("Kunci API untuk %(name)s: %(key)s — salin sekarang, kunci tidak akan ditampilkan lagi.")
                % {"name": obj.name, "key": raw},
            )

    @admin.action(description=_("Cabut kunci terpilih"))
    def revoke(self, request: HttpRequest, queryset) -> None:
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=clock.now())
        self.message_user(request, _("%(n)s kunci dicabut.") % {"n": count})


@admin.register(Open311Request)
class Open311RequestAdmin(admin.ModelAdmin):
    """Where each Open311 report came from; a record, never edited."""

    list_display = ["case", "api_key", "device_id", "created_at"]
    list_filter = ["api_key"]
    search_fields = ["case__tracking", "device_id"]
    readonly_fields = [
        "case",
        "api_key",
        "idempotency_key",
        "device_id",
        "account_id",
        "attributes",
        "media_url",
        "created_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
