"""``{% my_applications as applications %}``: the signed-in citizen's applications for /akun/.

A tag rather than a new context variable, so the account view itself stays untouched.
"""

from __future__ import annotations

from django import template

from lampungin.accounts.access import actor_for
from lampungin.applications.selectors import my_applications as select_mine

register = template.Library()


@register.simple_tag(takes_context=True)
def my_applications(context) -> list:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return list(select_mine(actor_for(request.user))[:50])
