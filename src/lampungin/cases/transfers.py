"""Moving a case to another provincial agency: the TRANSFER action, and a verifier's routing
on VERIFY. Both keep the case row, its timeline and its tracking number (decision 0009).

``perform_action`` calls :func:`apply` (before the transition event, to set the fields and
say what the event records) and :func:`after_event` (after it, to let the SLA clocks know);
the case row is locked by the caller.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lampungin.agencies.choices import AgencyLevel
from lampungin.agencies.models import Agency
from lampungin.cases import clocks
from lampungin.cases.choices import Action
from lampungin.cases.models import Case


def _receiving_agency(case: Case, agency_code: str, *, required: bool) -> Agency | None:
    code = (agency_code or "").strip()
    if not code:
        if required:
            raise ValidationError({"agency": [_("Pilih instansi penerima.")]})
        return None
    target = Agency.objects.filter(code=code, is_active=True).first()
    if target is None or target.level != AgencyLevel.PROVINCE:
        raise ValidationError(
            {"agency": [_("Pilih instansi provinsi penerima; kabupaten/kota dan instansi nasional dirujuk.")]}
        )
    if target.pk == case.agency_id:
        if required:
            raise ValidationError({"agency": [_("Laporan sudah berada di instansi tersebut.")]})
        return None
    return target


def apply(case: Case, action: Action, *, agency_code: str) -> dict:
    """Hand ``case`` to the agency ``agency_code`` names; returns what the event records.

    TRANSFER needs a receiving provincial agency other than the current one; VERIFY may name
    one (a verifier forwarding a report from the queue). The disposition inside the old
    agency (unit, officer) does not travel: the receiving agency disposes it anew.
    """
    target = _receiving_agency(case, agency_code, required=action == Action.TRANSFER)
    if target is None:
        return {}
    source = case.agency
    case.agency = target
    case.unit = None
    case.assignee = None
    return {
        "from_agency": source.code,
        "from_agency_name": source.name,
        "to_agency": target.code,
        "to_agency_name": target.name,
    }


def after_event(case: Case, data: dict) -> None:
    """Tell the SLA clocks about the move recorded in ``data`` (nothing when there was none)."""
    if not data.get("to_agency"):
        return
    source = Agency.objects.get(code=data["from_agency"])
    clocks.on_transfer(case, source, case.agency)
