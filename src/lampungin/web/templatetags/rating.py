"""``{% rating_prompt case %}``: the rating form (or the rating given) on the reporter's report page."""

from __future__ import annotations

from django import template

from lampungin.accounts.access import actor_for
from lampungin.analytics import services as analytics_services
from lampungin.analytics.ikm import MIN_PUBLIC_RESPONDENTS, public_ikm_summary
from lampungin.analytics.models import CaseRating
from lampungin.web.rating_forms import RatingForm

register = template.Library()


@register.inclusion_tag("web/_rating.html", takes_context=True)
def rating_prompt(context, case):
    actor = actor_for(context["request"].user)
    return {
        "case": case,
        "form": RatingForm() if analytics_services.may_rate(actor, case) else None,
        "rating": CaseRating.objects.filter(case=case).first(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("analytics/_ikm_table.html")
def public_ikm():
    """The public IKM per agency: aggregates of enough respondents only."""
    return {"ikm_rows": public_ikm_summary(), "min_respondents": MIN_PUBLIC_RESPONDENTS}
