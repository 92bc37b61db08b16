"""The lifecycle table, tested exhaustively: every action from every state."""

from __future__ import annotations

import itertools

import pytest
from conftest import WALKS, act, action_kwargs, photo, staff_of
from django.core.exceptions import ValidationError

from lampungin.accounts.access import actor_for
from lampungin.cases import lifecycle, services
from lampungin.cases.choices import Action, AttachmentKind, CaseState, EventKind, RejectReason, Visibility
from lampungin.cases.lifecycle import ACTOR_OF, INTERNAL_MESSAGE, MESSAGE_REQUIRED, TRANSITIONS, ActorKind
from lampungin.cases.models import Case, CaseEvent
from lampungin.cases.timeline import verify_case_chain
from lampungin.core.errors import Conflict
from lampungin.core.models import OutboxMessage

PAIRS = list(itertools.product(Action, CaseState))
ALLOWED = [(a, s) for a, s in PAIRS if s in TRANSITIONS[a]]
REFUSED = [(a, s) for a, s in PAIRS if s not in TRANSITIONS[a]]


def _ids(pairs):
    return [f"{a.value}-from-{s.value}" for a, s in pairs]


def test_every_pair_is_tested():
    assert len(ALLOWED) + len(REFUSED) == len(Action) * len(CaseState)
    assert len(ALLOWED) == sum(len(moves) for moves in TRANSITIONS.values())


def test_every_state_is_reachable_by_a_walk():
    assert set(WALKS) == set(CaseState)


def test_every_action_has_an_actor():
    assert set(ACTOR_OF) == set(Action) == set(TRANSITIONS)


@pytest.mark.parametrize(("action", "state"), ALLOWED, ids=_ids(ALLOWED))
def test_allowed_transition(make_case, citizen, officer_a, action, state):
    """The right actor moves the case and appends exactly one chained event and one outbox row."""
    case = make_case(citizen, state=state, staff=officer_a)
    assert case.state == state
    events_before = case.events.count()
    outbox_before = OutboxMessage.objects.count()
    target = TRANSITIONS[action][state]
    if ACTOR_OF[action] == ActorKind.STAFF:
        expected_actor = officer_a
    elif ACTOR_OF[action] == ActorKind.RECEIVER:
        expected_actor = staff_of(case.referred_to)
    else:  # the reporter, who also validates when the category names no agency
        expected_actor = case.reporter

    event = act(case, action, staff=officer_a)

    case.refresh_from_db()
    assert case.state == target
    # A reporter's message is kept in a second, parties-only event (never public), and a
    # disposition's instruction in a second, internal one.
    aside = case.events.filter(seq=event.seq + 1, data__for_action=action.value).first()
    words = 1 if aside else 0
    if expected_actor == case.reporter:
        assert (aside.kind, aside.visibility) == (EventKind.COMMENT, Visibility.PARTIES)
    elif action in INTERNAL_MESSAGE:
        assert (aside.kind, aside.visibility, event.message) == (EventKind.NOTE, Visibility.INTERNAL, "")
    else:
        assert aside is None and event.message
    assert case.events.count() == events_before + 1 + words
    assert event.seq == events_before + 1 == case.last_event_seq - words
    assert event.kind == EventKind.TRANSITION
    assert (event.action, event.from_state, event.to_state) == (action, state, target)
    assert event.actor == expected_actor
    assert verify_case_chain(case) == []
    assert OutboxMessage.objects.count() == outbox_before + 1


@pytest.mark.parametrize(("action", "state"), REFUSED, ids=_ids(REFUSED))
def test_refused_transition(make_case, citizen, officer_a, action, state):
    """A move the table does not list raises Conflict and changes nothing."""
    case = make_case(citizen, state=state, staff=officer_a)
    assert case.state == state
    events_before = case.events.count()
    outbox_before = OutboxMessage.objects.count()

    with pytest.raises(Conflict) as exc:
        act(case, action, staff=officer_a)

    assert exc.value.code == "transition_not_allowed"
    assert exc.value.status == 409
    assert exc.value.message == (
        f"Tindakan \u201c{action.label}\u201d tidak dapat dilakukan "
        f"pada laporan berstatus \u201c{state.label}\u201d."
    )
    case.refresh_from_db()
    assert case.state == state
    assert case.events.count() == events_before == case.last_event_seq
    assert OutboxMessage.objects.count() == outbox_before
    assert verify_case_chain(case) == []


def test_walked_case_has_full_timeline(make_case, citizen, officer_a):
    case = make_case(citizen, state=CaseState.CLOSED, staff=officer_a)
    events = list(case.events.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].kind == EventKind.SUBMITTED
    # The reporter's confirmation message follows its transition as a parties-only comment.
    assert events[-1].kind == EventKind.COMMENT
    assert events[-1].visibility == Visibility.PARTIES
    # The disposition's instruction is an internal note beside its transition.
    assert [e.kind for e in events if e.kind == EventKind.NOTE] == [EventKind.NOTE]
    events = [e for e in events if e.kind not in (EventKind.COMMENT, EventKind.NOTE)]
    assert [e.to_state for e in events] == [
        CaseState.SUBMITTED,
        CaseState.VERIFIED,
        CaseState.ASSIGNED,
        CaseState.IN_PROGRESS,
        CaseState.RESOLVED,
        CaseState.CLOSED,
    ]
    for previous, event in itertools.pairwise(case.events.order_by("seq")):
        assert event.prev_hash == previous.hash
    assert case.resolved_at is not None
    assert case.closed_at is not None
    assert verify_case_chain(case) == []


def test_outbox_row_per_transition(make_case, citizen, officer_a):
    case = make_case(citizen, staff=officer_a)
    event = act(case, Action.VERIFY, staff=officer_a)
    message = OutboxMessage.objects.get(topic="case.transition", payload__event_id=event.pk)
    assert message.payload == {
        "case_id": case.pk,
        "event_id": event.pk,
        "action": "verify",
        "from": "submitted",
        "to": "verified",
    }
    assert message.processed_at is None
    assert OutboxMessage.objects.filter(topic="case.submitted", payload__case_id=case.pk).count() == 1


@pytest.mark.parametrize("action", sorted(MESSAGE_REQUIRED), ids=str)
def test_message_required(make_case, citizen, officer_a, action):
    state = next(iter(TRANSITIONS[action]))
    case = make_case(citizen, state=state, staff=officer_a)
    events_before = case.events.count()
    with pytest.raises(ValidationError) as exc:
        act(case, action, staff=officer_a, message="   ")
    assert exc.value.message_dict == {"message": ["Tuliskan keterangan untuk tindakan ini."]}
    case.refresh_from_db()
    assert case.state == state
    assert case.events.count() == events_before


@pytest.mark.parametrize("action", sorted(set(Action) - MESSAGE_REQUIRED), ids=str)
def test_message_optional(make_case, citizen, officer_a, action):
    state = next(iter(TRANSITIONS[action]))
    case = make_case(citizen, state=state, staff=officer_a)
    act(case, action, staff=officer_a, message="")
    case.refresh_from_db()
    assert case.state == TRANSITIONS[action][state]


def test_assign_to_officer_of_another_agency_refused(make_case, citizen, officer_a, officer_b):
    case = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
    with pytest.raises(ValidationError) as exc:
        act(case, Action.ASSIGN, staff=officer_a, assignee_id=officer_b.pk)
    assert exc.value.message_dict == {
        "assignee": ["Petugas tersebut bukan anggota instansi penanggung jawab."]
    }
    case.refresh_from_db()
    assert (case.state, case.assignee_id) == (CaseState.VERIFIED, None)


def test_assign_to_citizen_refused(make_case, citizen, citizen2, officer_a):
    case = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
    with pytest.raises(ValidationError, match="bukan anggota instansi"):
        act(case, Action.ASSIGN, staff=officer_a, assignee_id=citizen2.pk)


def test_assign_without_assignee_refused(make_case, citizen, officer_a):
    case = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
    with pytest.raises(ValidationError) as exc:
        act(case, Action.ASSIGN, staff=officer_a, assignee_id=None)
    assert exc.value.message_dict == {"assignee": ["Pilih unit kerja atau petugas yang akan menangani."]}


def test_assign_to_unit_of_another_agency_refused(make_case, citizen, officer_a):
    from lampungin.agencies.models import Unit

    case = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
    other_unit = Unit.objects.filter(agency__code="dinkes").first()
    with pytest.raises(ValidationError) as exc:
        act(case, Action.ASSIGN, staff=officer_a, unit_id=other_unit.pk)
    assert exc.value.message_dict == {"unit": ["Unit kerja bukan bagian dari instansi ini."]}


def test_assign_records_assignee_and_unit(make_case, citizen, officer_a, admin_a):
    from lampungin.agencies.models import Unit

    case = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
    unit = Unit.objects.get(agency__code="binamarga", name="Bidang Preservasi Jalan dan Jembatan")
    event = act(case, Action.ASSIGN, staff=officer_a, assignee_id=admin_a.pk, unit_id=unit.pk)
    case.refresh_from_db()
    assert (case.assignee, case.unit) == (admin_a, unit)
    assert event.data == {"assignee": admin_a.pk, "assignee_name": "Rina Marlina", "unit": unit.name}


@pytest.mark.parametrize("target", ["binamarga", "dinkes", "tidak-ada", ""])
def test_refer_to_provincial_or_unknown_agency_refused(make_case, citizen, officer_a, target):
    case = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
    with pytest.raises(ValidationError) as exc:
        act(case, Action.REFER, staff=officer_a, referred_to_code=target)
    assert exc.value.message_dict == {
        "referred_to": ["Pilih pemerintah kabupaten/kota atau instansi nasional tujuan rujukan."]
    }
    case.refresh_from_db()
    assert (case.state, case.referred_to_id) == (CaseState.VERIFIED, None)


def test_refer_to_regency_government(make_case, citizen, officer_a):
    case = make_case(citizen, state=CaseState.VERIFIED, staff=officer_a)
    act(case, Action.REFER, staff=officer_a, referred_to_code="pemkab-1801")
    case.refresh_from_db()
    assert case.state == CaseState.REFERRED
    assert case.referred_to.code == "pemkab-1801"
    assert case.tracking == Case.objects.get(pk=case.pk).tracking  # same case, same number


@pytest.mark.parametrize("reason", ["", "bukan-alasan"])
def test_reject_without_reason_refused(make_case, citizen, officer_a, reason):
    case = make_case(citizen, staff=officer_a)
    with pytest.raises(ValidationError) as exc:
        act(case, Action.REJECT, staff=officer_a, reject_reason=reason)
    assert exc.value.message_dict == {"reject_reason": ["Pilih alasan penolakan."]}
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    assert case.events.count() == 1


def test_reject_records_reason(make_case, citizen, officer_a):
    case = make_case(citizen, staff=officer_a)
    act(case, Action.REJECT, staff=officer_a, reject_reason=RejectReason.DUPLICATE)
    case.refresh_from_db()
    assert (case.state, case.reject_reason) == (CaseState.REJECTED, RejectReason.DUPLICATE)
    assert case.closed_at is not None


def test_unknown_action_refused(make_case, citizen, officer_a):
    case = make_case(citizen, staff=officer_a)
    with pytest.raises(ValidationError) as exc:
        services.perform_action(actor=actor_for(officer_a), case=case, action="terbang")
    assert exc.value.message_dict == {"action": ["Tindakan tidak dikenal."]}


def test_resolve_with_evidence_photo(make_case, citizen, officer_a, media_root):
    case = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
    event = services.perform_action(
        actor=actor_for(officer_a),
        case=case,
        action=Action.RESOLVE,
        message="Lubang sudah ditambal.",
        evidence=[photo("bukti.jpg")],
    )
    attachment = event.attachments.get()
    assert attachment.kind == AttachmentKind.EVIDENCE
    assert (media_root / attachment.file.name).is_file()


def test_altering_an_event_breaks_the_chain(make_case, citizen, officer_a):
    case = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
    assert verify_case_chain(case) == []
    event = case.events.get(seq=2)
    CaseEvent.objects.filter(pk=event.pk).update(message="Diubah diam-diam di basis data.")
    problems = verify_case_chain(case)
    assert problems == ["peristiwa 2: isi berubah setelah dicatat"]


def test_deleting_the_last_event_breaks_the_chain(make_case, citizen, officer_a):
    case = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
    last = case.last_event_seq
    case.events.get(seq=last).delete()
    problems = verify_case_chain(case)
    assert f"peristiwa terakhir {last} tidak ditemukan" in problems
    assert "ujung rantai tidak cocok dengan catatan laporan" in problems


def test_deleting_a_middle_event_breaks_the_chain(make_case, citizen, officer_a):
    case = make_case(citizen, state=CaseState.IN_PROGRESS, staff=officer_a)
    case.events.get(seq=2).delete()
    problems = verify_case_chain(case)
    assert "urutan 2 hilang (ditemukan 3)" in problems
    assert "peristiwa 3: rantai hash terputus" in problems


def test_comments_and_notes_extend_the_chain(make_case, citizen, officer_a):
    case = make_case(citizen, state=CaseState.ASSIGNED, staff=officer_a)
    services.add_comment(actor=actor_for(officer_a), case=case, message="Kami cek besok pagi.")
    services.add_comment(actor=actor_for(officer_a), case=case, message="Butuh alat berat.", internal=True)
    services.add_comment(actor=actor_for(citizen), case=case, message="Terima kasih, Pak.")
    case.refresh_from_db()
    kinds = list(case.events.order_by("seq").values_list("kind", "visibility"))[-3:]
    assert kinds == [
        (EventKind.COMMENT, Visibility.PUBLIC),
        (EventKind.NOTE, Visibility.INTERNAL),
        (EventKind.COMMENT, Visibility.PARTIES),
    ]
    assert case.state == CaseState.ASSIGNED
    assert verify_case_chain(case) == []


def test_allowed_actions_follow_the_table():
    assert lifecycle.allowed_actions(CaseState.RESOLVED, ActorKind.REPORTER) == [
        Action.CONFIRM,
        Action.DISPUTE,
    ]
    assert lifecycle.allowed_actions(CaseState.CLOSED, ActorKind.STAFF) == []
    assert lifecycle.allowed_actions(CaseState.REJECTED, ActorKind.REPORTER) == []


def test_action_kwargs_cover_required_fields(make_case, citizen, officer_a):
    """The helper itself: every action's extra fields are filled, so the table test tests the table."""
    case = make_case(citizen, staff=officer_a)
    for action in Action:
        kwargs = action_kwargs(case, action, officer_a)
        assert kwargs["message"]
    assert action_kwargs(case, Action.REFER, officer_a)["referred_to_code"] == "pemkab-1871"
