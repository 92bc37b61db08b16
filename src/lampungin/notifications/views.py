"""The notification centre (/akun/notifikasi/), channel preferences and the web-push subscription."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lampungin.notifications import selectors, services
from lampungin.notifications.channels.webpush import vapid_keys


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = list(selectors.for_user(request.user.pk)[:100])
    unread = any(n.read_at is None for n in notifications)
    return render(request, "notifications/list.html", {"notifications": notifications, "unread": unread})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    services.mark_read(user=request.user, notification_id=pk)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.mark_read(user=request.user)
    return redirect("notifications:list")


@login_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    try:
        services.set_channel_preferences(
            user=request.user,
            enabled=set(request.POST.getlist("channels")),
            language=request.POST.get("language") or None,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Preferensi notifikasi disimpan."))
    return redirect(reverse("web:account") + "#preferensi-notifikasi")


@login_required
def push_subscription(request: HttpRequest) -> HttpResponse:
    """GET: the VAPID public key; POST (JSON PushSubscription): subscribe; DELETE: unsubscribe."""
    if request.method == "GET":
        return JsonResponse({"publicKey": vapid_keys()[1]})
    try:
        data = json.loads(request.body or b"{}")
        endpoint = str(data.get("endpoint", ""))
        keys = data.get("keys") or {}
    except (ValueError, AttributeError):
        return JsonResponse({"error": _("JSON tidak valid.")}, status=400)
    if request.method == "DELETE":
        services.unsubscribe_push(user=request.user, endpoint=endpoint)
        return JsonResponse({"ok": True})
    if request.method != "POST":
        return JsonResponse({"error": "method"}, status=405)
    try:
        services.subscribe_push(
            user=request.user,
            endpoint=endpoint,
            p256dh=str(keys.get("p256dh", "")),
            auth=str(keys.get("auth", "")),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except ValidationError as exc:
        return JsonResponse({"error": "; ".join(exc.messages)}, status=400)
    return JsonResponse({"ok": True}, status=201)
