from django.contrib import admin

from lampungin.notifications.models import ChannelPreference, Delivery, Notification, PushSubscription


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "created_at", "read_at"]
    raw_id_fields = ["user", "source_event"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["user", "channel", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["channel", "status", "kind"]
    search_fields = ["dedupe_key", "provider_message_id"]
    raw_id_fields = ["user"]
    readonly_fields = [f.name for f in Delivery._meta.fields]


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "channel", "enabled", "updated_at"]
    raw_id_fields = ["user"]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "endpoint", "created_at"]
    raw_id_fields = ["user"]
