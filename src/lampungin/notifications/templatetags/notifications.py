from django import template

from lampungin.notifications import selectors

register = template.Library()


@register.simple_tag
def unread_notifications(user) -> int:
    """How many unread notifications the signed-in person has (0 for visitors)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return selectors.unread_count(user.pk)


@register.inclusion_tag("notifications/_preferences.html", takes_context=True)
def channel_preferences(context):
    user = context["user"]
    return {
        "rows": selectors.preference_rows(user),
        "user": user,
        "has_phone": bool(user.phone),
        "csrf_token": context.get("csrf_token"),
    }
