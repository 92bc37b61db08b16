"""Map settings for templates: the tile URL template and its attribution (``LAMPUNGIN_MAP_*``)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def map_tile_url() -> str:
    return settings.MAP_TILE_URL


@register.simple_tag
def map_attribution() -> str:
    return settings.MAP_ATTRIBUTION
