"""``{% load favourites %}``: a citizen's pinned services, for the pages that show them."""

from __future__ import annotations

from django import template

from lampungin.web import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def favourite_services(context):
    return list(selectors.favourite_services(context["request"].user)[:50])


@register.simple_tag(takes_context=True)
def is_favourite(context, service) -> bool:
    return selectors.is_favourite(context["request"].user, service)
