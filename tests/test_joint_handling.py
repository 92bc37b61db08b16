"""Joint handling (decision 0010): tasks for other agencies, their clocks, resolution gate, scoping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import _staff, act
from django.core.exceptions import ValidationError

from lampungin.accounts.access import actor_for
from lampungin.accounts.choices import Role
from lampungin.cases import clocks, joint, permissions, selectors, services
from lampungin.cases.choices import Action, CaseState, EventKind, TaskState, Visibility
from lampungin.cases.clock_models import CaseClock
from lampungin.cases.tasks import run_sla_check
from lampungin.cases.timeline import verify_case_chain
from lampungin.core import clock, outbox
from lampungin.core.errors import Conflict, NotAllowed, NotFound
from lampungin.notifications.models import Notification
from lampungin.sla import services as sla_services
from lampungin.sla.choices import ClockKind


@pytest.fixture(autouse=True)
def _policy(db):
    sla_services.ensure_default_policy()


@pytest.fixture
def officer_c(db):
    """An officer of BPBD: neither responsible nor holding a task."""
    return _staff("citra@bpbd.test", "Citra Dewi", Role.OFFICER, agency="bpbd")


@pytest.fixture
def joint_case(make_case, citizen, officer_a, officer_b):
    case = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
    task = joint.open_task(
        actor=actor_for(officer_a),
        case=case,
        agency_code="dinkes",
        description="Periksa sumur warga yang tercemar setelah banjir.",
    )
    services.add_comment(
        actor=actor_for(officer_a), case=case, message="Catatan internal Bina Marga.", internal=True
    )
    joint.add_task_note(actor=actor_for(officer_b), task=task, message="Tim kesehatan berangkat besok.")
    case.refresh_from_db()
    return case, task


def test_open_task_records_a_public_event_and_starts_its_own_clock(joint_case):
    case, task = joint_case
    assert task.state == TaskState.OPEN
    event = case.events.get(kind=EventKind.TASK, data__change="opened")
    assert event.visibility == Visibility.PUBLIC
    assert "Dinkes" in event.message or "Kesehatan" in event.message
    task_clock = CaseClock.objects.get(task=task)
    assert (task_clock.kind, task_clock.stopped_at) == (ClockKind.FOLLOW_UP, None)
    # The case's own follow-up clock keeps running beside it, and the case's clocks
    # as displayed leave the task clock out.
    assert CaseClock.objects.filter(
        case=case, task__isnull=True, kind=ClockKind.FOLLOW_UP, stopped_at=None
    ).exists()
    assert all(v.kind != "task" for v in clocks.clock_views(case))
    assert len(clocks.clock_views(case)) == CaseClock.objects.filter(case=case, task__isnull=True).count()
    assert verify_case_chain(case) == []


def test_resolve_is_refused_while_a_task_is_open(joint_case, officer_a, officer_b):
    case, task = joint_case
    with pytest.raises(Conflict) as exc:
        act(case, Action.RESOLVE, staff=officer_a)
    assert exc.value.code == "open_tasks"
    assert "belum selesai" in exc.value.message
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS

    joint.complete_task(actor=actor_for(officer_b), task=task, message="Air sumur sudah dijernihkan.")
    task.refresh_from_db()
    assert task.state == TaskState.DONE and task.done_at is not None
    assert CaseClock.objects.get(task=task).stopped_at is not None
    act(case, Action.RESOLVE, staff=officer_a)
    case.refresh_from_db()
    assert case.state == CaseState.RESOLVED
    assert verify_case_chain(case) == []


def test_only_the_task_agency_completes_its_task(joint_case, officer_a, officer_c):
    _case, task = joint_case
    for user in (officer_a, officer_c):
        with pytest.raises(NotAllowed):
            joint.complete_task(actor=actor_for(user), task=task, message="Selesai.")
    with pytest.raises(ValidationError):
        joint.complete_task(actor=actor_for(officer_a), task=task, message=" ")


def test_open_task_rules(make_case, citizen, officer_a, officer_b):
    fresh = make_case(citizen, staff=officer_a)
    with pytest.raises(Conflict):
        joint.open_task(
            actor=actor_for(officer_a), case=fresh, agency_code="dinkes", description="Tolong bantu."
        )
    case = make_case(citizen, state=CaseState.ASSIGNED, staff=officer_a)
    with pytest.raises(ValidationError):
        joint.open_task(
            actor=actor_for(officer_a), case=case, agency_code="binamarga", description="Diri sendiri."
        )
    with pytest.raises(ValidationError):
        joint.open_task(actor=actor_for(officer_a), case=case, agency_code="tidak-ada", description="Tugas.")
    with pytest.raises(NotAllowed):
        joint.open_task(
            actor=actor_for(officer_b), case=case, agency_code="dinkes", description="Tugas saya."
        )
    joint.open_task(actor=actor_for(officer_a), case=case, agency_code="dinkes", description="Tugas pertama.")
    with pytest.raises(Conflict):
        joint.open_task(
            actor=actor_for(officer_a), case=case, agency_code="dinkes", description="Tugas kedua."
        )


# -- scoping per persona ----------------------------------------------------------------


def test_task_agency_reads_the_case_public_events_and_its_own_notes_only(joint_case, officer_b):
    case, task = joint_case
    actor = actor_for(officer_b)
    assert selectors.get_case(actor, case.tracking) == case
    assert selectors.inbox(actor).filter(pk=case.pk).exists()
    assert not permissions.is_staff_reader(actor, case)
    assert not permissions.handles(actor, case)
    assert not permissions.may_see_reporter(actor, case)
    events = list(selectors.timeline(actor, case))
    internal = [e for e in events if e.visibility == Visibility.INTERNAL]
    assert internal and all(e.data.get("task_id") == task.pk for e in internal)
    assert "Catatan internal Bina Marga." not in [e.message for e in events]
    assert {e.visibility for e in events} <= {Visibility.PUBLIC, Visibility.INTERNAL}
    assert [t.task for t in joint.task_views(actor, case)] == [task]
    with pytest.raises(NotAllowed):
        services.perform_action(actor=actor, case=case, action=Action.REQUEST_INFO, message="Mohon info.")


def test_responsible_agency_sees_every_task_note(joint_case, officer_a):
    case, _task = joint_case
    messages = [e.message for e in selectors.timeline(actor_for(officer_a), case)]
    assert "Tim kesehatan berangkat besok." in messages
    assert "Catatan internal Bina Marga." in messages


@pytest.mark.parametrize("persona", ["officer_c", "citizen2"])
def test_others_do_not_see_the_case(request, joint_case, persona):
    case, _task = joint_case
    actor = actor_for(request.getfixturevalue(persona))
    with pytest.raises(NotFound):
        selectors.get_case(actor, case.tracking)
    assert joint.visible_tasks(actor, case) == []


@pytest.mark.parametrize(
    ("persona", "tasks_seen"),
    [("officer_a", 1), ("officer_b", 1), ("analyst", 1), ("citizen", 0), ("liaison", 1)],
)
def test_visible_tasks_per_persona(request, joint_case, persona, tasks_seen):
    case, _task = joint_case
    assert len(joint.visible_tasks(actor_for(request.getfixturevalue(persona)), case)) == tasks_seen


def test_backoffice_case_page_shows_tasks_to_the_task_agency(client, joint_case, officer_b, officer_c):
    case, _task = joint_case
    client.force_login(officer_b)
    response = client.get(f"/kantor/laporan/{case.tracking}/")
    assert response.status_code == 200
    assert "Penanganan bersama" in response.content.decode()
    assert "Catatan internal Bina Marga." not in response.content.decode()
    client.force_login(officer_c)
    assert client.get(f"/kantor/laporan/{case.tracking}/").status_code == 404


def test_api_tasks(api_as, make_case, citizen, officer_a, officer_b):
    case = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
    response = api_as(officer_a).post(
        f"/reports/{case.tracking}/tasks", {"agency": "dinkes", "description": "Periksa kualitas air."}
    )
    assert response.status_code == 201, response.content
    task_id = response.json()["id"]
    assert response.json()["remaining_text"]
    listed = api_as(officer_b).get(f"/reports/{case.tracking}/tasks")
    assert [t["id"] for t in listed.json()] == [task_id]
    done = api_as(officer_b).post(f"/tasks/{task_id}/done", {"message": "Air layak minum."})
    assert done.status_code == 200 and done.json()["state"] == "done"


def test_a_task_clock_warns_and_breaches_to_the_task_agency(joint_case, officer_a, officer_b, admin_a):
    """The agency holding the task must meet its clock: its people are told, not the
    responsible agency's (which hears about the case's own clocks)."""
    _case, task = joint_case
    task_clock = CaseClock.objects.get(task=task)
    for moment, rung in ((task_clock.at_risk_at, "sla.at_risk"), (task_clock.due_at, "sla.breached")):
        with clock.frozen_at(moment + timedelta(minutes=1)):
            run_sla_check()
            outbox.dispatch()
        told = Notification.objects.filter(dedupe_key=f"{rung}:{task_clock.pk}:{task.agency_id}")
        assert set(told.values_list("user_id", flat=True)) == {officer_b.pk}, rung
        about_task = Notification.objects.filter(dedupe_key__startswith=f"{rung}:{task_clock.pk}:")
        assert not about_task.filter(user__in=[officer_a, admin_a]).exists(), rung
