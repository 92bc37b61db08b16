"""Render a message kind in a person's language from templates/notifications/messages/<kind>.<lang>.txt.

The first line of a template is the subject (e-mail subject, push title, SMS text); the
rest is the body. Bahasa Indonesia is the default and the fallback.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import override

from lampungin.notifications.channels.base import Message

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def render(kind: str, language: str, context: dict[str, Any]) -> Message:
    """The message of ``kind`` in ``language`` (``id`` when that language has no template)."""
    language = language if language in LANGUAGES else settings.LANGUAGE_CODE
    with override(language):
        ctx = dict(context)
        if ctx.get("state"):
            from lampungin.cases.choices import CaseState

            ctx["state_label"] = str(CaseState(ctx["state"]).label)
        if ctx.get("event_kind"):
            from lampungin.applications.choices import EventKind

            ctx["event_label"] = str(EventKind(ctx["event_kind"]).label)
        text = render_to_string(f"notifications/messages/{kind}.{language}.txt", ctx)
    subject, _sep, body = text.strip().partition("\n")
    path = context.get("path", "")
    return Message(
        subject=subject.strip(), body=body.strip(), url=f"{settings.SITE_URL}{path}" if path else ""
    )
