from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lampungin.core import clock
from lampungin.integrations.webhooks import services
from lampungin.integrations.webhooks.models import WebhookDelivery, WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "target_url", "is_active", "created_at"]
    list_filter = ["is_active", "agency"]
    readonly_fields = ["created_at"]
    actions = ["ping"]

    def save_model(self, request, obj, form, change):
        try:
            services.validate_subscription(target_url=obj.target_url, event_types=obj.event_types)
        except ValidationError as exc:
            # Saved anyway (an operator may fix DNS later) but every attempt will be refused.
            self.message_user(request, "; ".join(exc.messages), messages.WARNING)
        if not obj.created_at:
            obj.created_at = clock.now()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Kirim peristiwa uji (ping)"))
    def ping(self, request, queryset):
        for subscription in queryset:
            services.send_ping(subscription=subscription)
        self.message_user(request, _("Ping diantrekan."))


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["uuid", "event_type", "subscription", "status", "attempts", "response_code", "created_at"]
    list_filter = ["status", "event_type"]
    search_fields = ["event_id", "uuid"]
    raw_id_fields = ["subscription", "replay_of"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["replay"]

    @admin.action(description=_("Kirim ulang"))
    def replay(self, request, queryset):
        for delivery in queryset.select_related("subscription"):
            services.replay(delivery=delivery)
        self.message_user(request, _("%(n)s pengiriman baru diantrekan.") % {"n": queryset.count()})

    def has_add_permission(self, request):
        return False
