"""Dispositions inside an agency: agency admin → unit → officer (decision 0009).

The ASSIGN action carries a unit, an officer, or both. A case disposed to a unit without an
officer waits there until one of the unit's officers picks it up (ASSIGN to themselves).
Workload (open cases and overdue clocks per officer and unit) is read here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from lampungin.accounts.access import Actor
from lampungin.accounts.choices import AGENCY_ROLES
from lampungin.accounts.models import StaffMembership
from lampungin.agencies.models import Agency, Unit
from lampungin.cases import permissions
from lampungin.cases.choices import OPEN_STATES
from lampungin.cases.models import Case
from lampungin.core import clock
from lampungin.core.errors import NotAllowed


def apply_assign(case: Case, *, assignee_id: int | None, unit_id: int | None) -> dict:
    """Set unit and/or officer of ``case``; returns what the event records.

    Must hold: at least one of them is given; the unit is an active unit of the case's
    agency; the officer is an active member of that agency. An officer without a unit
    brings their own unit; a unit without an officer leaves the case for the unit to pick up.
    """
    unit = None
    if unit_id:
        unit = Unit.objects.filter(pk=unit_id, agency_id=case.agency_id, is_active=True).first()
        if unit is None:
            raise ValidationError({"unit": [_("Unit kerja bukan bagian dari instansi ini.")]})
    if not assignee_id:
        if unit is None:
            raise ValidationError({"assignee": [_("Pilih unit kerja atau petugas yang akan menangani.")]})
        case.unit = unit
        case.assignee = None
        return {"assignee": None, "assignee_name": "", "unit": unit.name}
    membership = (
        StaffMembership.objects.filter(
            user_id=assignee_id,
            agency_id=case.agency_id,
            role__in=AGENCY_ROLES,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user", "unit")
        .first()
    )
    if membership is None:
        raise ValidationError({"assignee": [_("Petugas tersebut bukan anggota instansi penanggung jawab.")]})
    case.assignee = membership.user
    case.unit = unit or membership.unit or case.unit
    return {
        "assignee": membership.user_id,
        "assignee_name": membership.user.full_name,
        "unit": case.unit.name if case.unit else "",
    }


def may_pick_up(actor: Actor, case: Case) -> bool:
    """An officer of the case's agency may take a case waiting in a unit without an officer."""
    return bool(
        case.unit_id
        and case.assignee_id is None
        and case.agency_id in actor.agency_ids
        and permissions.handles(actor, case)
    )


@dataclass(frozen=True)
class WorkloadRow:
    label: str
    open_cases: int
    overdue: int
    unassigned: int = 0


@dataclass(frozen=True)
class Workload:
    agency: Agency
    officers: list[WorkloadRow]
    units: list[WorkloadRow]


def workload(actor: Actor, agency: Agency) -> Workload:
    """Open cases and overdue SLA clocks per officer and per unit of ``agency``.

    For the agency's admins and platform admins; three queries whatever the size.
    """
    if not (actor.platform_admin or agency.pk in actor.admin_agency_ids):
        raise NotAllowed(_("Beban kerja hanya untuk admin instansi."))
    now = clock.now()
    cases = permissions.scope_cases(actor).filter(agency=agency, state__in=OPEN_STATES)
    overdue = Count(
        "clocks", filter=Q(clocks__stopped_at__isnull=True, clocks__due_at__lt=now), distinct=True
    )
    per_officer = {
        row["assignee"]: row
        for row in cases.values("assignee").annotate(n=Count("id", distinct=True), late=overdue)
    }
    per_unit = {
        row["unit"]: row
        for row in cases.values("unit").annotate(
            n=Count("id", distinct=True),
            late=overdue,
            waiting=Count("id", filter=Q(assignee__isnull=True), distinct=True),
        )
    }
    members = (
        StaffMembership.objects.filter(agency=agency, role__in=AGENCY_ROLES, is_active=True)
        .select_related("user", "unit")
        .order_by("user__full_name")
    )
    officers = []
    seen: set[int] = set()
    for m in members:
        if m.user_id in seen:
            continue
        seen.add(m.user_id)
        row = per_officer.get(m.user_id, {})
        label = m.user.full_name + (f" ({m.unit.name})" if m.unit else "")
        officers.append(WorkloadRow(label, row.get("n", 0), row.get("late", 0)))
    if None in per_officer:
        row = per_officer[None]
        officers.append(WorkloadRow(_("Belum ada petugas"), row["n"], row["late"]))
    units = []
    for u in agency.units.filter(is_active=True).order_by("name"):
        row = per_unit.get(u.pk, {})
        units.append(WorkloadRow(u.name, row.get("n", 0), row.get("late", 0), row.get("waiting", 0)))
    if None in per_unit:
        row = per_unit[None]
        units.append(WorkloadRow(_("Belum didisposisikan ke unit"), row["n"], row["late"], row["waiting"]))
    return Workload(agency=agency, officers=officers, units=units)
