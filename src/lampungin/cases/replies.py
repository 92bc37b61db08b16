"""Response templates: the replies an agency keeps for its categories (decision 0009)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lampungin.cases.models import Case
from lampungin.cases.work_models import ResponseTemplate


def templates_for(case: Case) -> QuerySet[ResponseTemplate]:
    """Active templates of the case's agency for its category or for every category."""
    return ResponseTemplate.objects.filter(agency_id=case.agency_id, is_active=True).filter(
        Q(category__isnull=True) | Q(category_id=case.category_id)
    )


def template_for(case: Case, template_id: str | int | None) -> ResponseTemplate | None:
    """The template ``template_id`` if it belongs to this case's choices (else None)."""
    try:
        pk = int(template_id or 0)
    except (TypeError, ValueError):
        return None
    return templates_for(case).filter(pk=pk).first() if pk else None
