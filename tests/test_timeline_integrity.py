"""Tamper evidence: ``verify-timeline`` over hash chains, daily Merkle digests, inclusion proofs."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date, datetime, time, timedelta

import pytest
from applications_support import setup_process, submit
from conftest import API, act
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from lampungin import cli
from lampungin.analytics import digests, merkle
from lampungin.analytics.models import TimelineDigest, TimelineDigestAlarm
from lampungin.analytics.tasks import publish_timeline_digests_task
from lampungin.applications.models import ApplicationEvent
from lampungin.cases import services
from lampungin.cases.choices import Action, Privacy, ReportType
from lampungin.cases.integrity import check_chains
from lampungin.cases.models import Case, CaseEvent
from lampungin.cases.timeline import compute_hash, verify_case_chain
from lampungin.core import clock
from lampungin.sla.calendar import WIB

DAY = date(2025, 11, 3)  # a Monday, long past, so its digest may be published
DESCRIPTION = "Lampu jalan padam sepanjang dua ratus meter sejak minggu lalu."


def wib(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm), tzinfo=WIB)


def file_case(reporter, when: datetime, **extra) -> Case:
    with clock.frozen_at(when):
        return services.submit_report(
            reporter=reporter,
            report_type=ReportType.COMPLAINT,
            category_code="jalan-provinsi-rusak",
            description=DESCRIPTION,
            privacy=Privacy.PUBLIC,
            region_code="18.71.01",
            **extra,
        ).case


def walk(case: Case, steps: list[tuple[Action, datetime]], staff) -> Case:
    for action, when in steps:
        with clock.frozen_at(when):
            # A disposition without an instruction: one event per step keeps the counts below simple.
            act(case, action, staff=staff, **({"message": ""} if action == Action.ASSIGN else {}))
    case.refresh_from_db()
    return case


@pytest.fixture
def day_cases(citizen, citizen2, officer_a) -> list[Case]:
    """Three cases with events on DAY (one also on the next day), filed at known instants."""
    a = walk(
        file_case(citizen, wib(DAY, "08:00")),
        [
            (Action.VERIFY, wib(DAY, "09:00")),
            (Action.ASSIGN, wib(DAY, "09:30")),
            (Action.START, wib(DAY, "10:00")),
        ],
        officer_a,
    )
    b = walk(file_case(citizen2, wib(DAY, "08:00")), [(Action.VERIFY, wib(DAY, "11:00"))], officer_a)
    c = walk(
        file_case(citizen, wib(DAY, "23:59")),
        [(Action.VERIFY, wib(DAY + timedelta(days=1), "00:00"))],
        officer_a,
    )
    return [a, b, c]


def rewrite_chain(case: Case, seq: int, **changes) -> None:
    """What someone with database access and the code would do: edit, then re-hash the whole chain."""
    CaseEvent.objects.filter(case=case, seq=seq).update(**changes)
    prev = ""
    for event in CaseEvent.objects.filter(case=case).order_by("seq"):
        event.prev_hash = prev
        event.hash = compute_hash(event, case.tracking, prev)
        CaseEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=event.hash)
        prev = event.hash
    Case.objects.filter(pk=case.pk).update(last_event_hash=prev)


def reference_root(hex_leaves: list[str]) -> str:
    """The construction of docs/timeline-integrity.md, written again from the document."""
    if not hex_leaves:
        return hashlib.sha256(b"").hexdigest()
    level = [hashlib.sha256(b"\x00" + bytes.fromhex(h)).digest() for h in hex_leaves]
    while len(level) > 1:
        pairs = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)
        ]
        level = pairs + ([level[-1]] if len(level) % 2 else [])
    return level[0].hex()


# ---------------------------------------------------------------------------------------
# verify-timeline
# ---------------------------------------------------------------------------------------


def run_verify(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_timeline", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


def test_intact_timelines_pass(day_cases):
    code, out = run_verify()
    assert code == 0
    assert "Diperiksa 3 laporan, 8 peristiwa" in out
    assert "Semua riwayat utuh" in out


def _edit_message(case: Case) -> None:
    CaseEvent.objects.filter(case=case, seq=2).update(message="Sudah selesai (diubah diam-diam).")


def _edit_time(case: Case) -> None:
    first = case.events.get(seq=1)
    CaseEvent.objects.filter(pk=first.pk).update(created_at=first.created_at - timedelta(days=2))


def _delete_middle(case: Case) -> None:
    CaseEvent.objects.filter(case=case, seq=2).delete()


def _delete_last(case: Case) -> None:
    CaseEvent.objects.filter(case=case, seq=case.last_event_seq).delete()


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (_edit_message, "peristiwa 2: isi berubah setelah dicatat"),
        (_edit_time, "peristiwa 1: isi berubah setelah dicatat"),
        (_delete_middle, "urutan 2 hilang"),
        (_delete_last, "peristiwa terakhir 4 tidak ditemukan"),
    ],
    ids=["message", "created_at", "middle-event-deleted", "last-event-deleted"],
)
def test_altered_case_is_named_and_exit_is_non_zero(day_cases, tamper, expected):
    altered, untouched, _other = day_cases
    tamper(altered)

    code, out = run_verify()

    assert code == 2
    assert f"{altered.tracking}: riwayat diubah" in out
    assert expected in out
    assert untouched.tracking not in out
    assert "1 laporan atau permohonan memiliki riwayat yang diubah" in out


def test_one_case_can_be_checked_alone(day_cases):
    altered, untouched, _other = day_cases
    _edit_message(altered)
    assert run_verify("--case", untouched.tracking.lower().replace("-", ""))[0] == 0
    code, out = run_verify("--case", altered.tracking)
    assert code == 2
    assert "Diperiksa 1 laporan" in out


def test_unknown_case_is_a_usage_error(db):
    code, out = run_verify("--case", "LPG-2345-67")
    assert code == 1
    assert "tidak ditemukan" in out


@pytest.fixture
def keep_connection(monkeypatch):
    """``run_from_argv`` closes every connection when done, which would end the test's transaction."""
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)


def test_the_cli_accepts_the_dashed_name_and_exits_non_zero(day_cases, capsys, keep_connection):
    assert cli.main(["verify-timeline"]) == 0
    _edit_time(day_cases[2])
    with pytest.raises(SystemExit) as exc:
        cli.main(["verify-timeline"])
    assert exc.value.code == 2
    assert day_cases[2].tracking in capsys.readouterr().out


def test_chain_check_costs_two_queries_per_chunk(day_cases, citizen, django_assert_num_queries):
    file_case(citizen, wib(DAY, "12:00"))
    file_case(citizen, wib(DAY, "13:00"))  # 5 cases: chunks of 2, 2 and 1
    with django_assert_num_queries(6):
        reports = list(check_chains(chunk_size=2))
    assert len(reports) == 5
    assert all(not r.problems for r in reports)


# ---------------------------------------------------------------------------------------
# The Merkle construction
# ---------------------------------------------------------------------------------------

LEAVES = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(11)]


@pytest.mark.parametrize("n", range(12))
def test_root_follows_the_documented_construction_and_every_path_verifies(n):
    leaves = LEAVES[:n]
    root = merkle.merkle_root(leaves)
    assert root == reference_root(leaves)
    for i, leaf in enumerate(leaves):
        assert merkle.verify_path(leaf, merkle.merkle_path(leaves, i), root)


def test_empty_day_root_is_the_hash_of_the_empty_string():
    assert merkle.merkle_root([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_odd_node_is_promoted_not_duplicated():
    # With duplication, [a, b, c] and [a, b, c, c] would share a root (CVE-2012-2459).
    assert merkle.merkle_root(LEAVES[:3]) != merkle.merkle_root([*LEAVES[:3], LEAVES[2]])
    a, b, c = (merkle.leaf_node(x) for x in LEAVES[:3])
    assert merkle.merkle_root(LEAVES[:3]) == merkle.inner_node(merkle.inner_node(a, b), c).hex()


def test_a_forged_leaf_or_path_does_not_verify():
    root = merkle.merkle_root(LEAVES)
    path = merkle.merkle_path(LEAVES, 4)
    assert not merkle.verify_path(LEAVES[5], path, root)
    assert not merkle.verify_path(hashlib.sha256(b"palsu").hexdigest(), path, root)
    flipped = [merkle.PathStep("R" if s.side == "L" else "L", s.hash) for s in path]
    assert not merkle.verify_path(LEAVES[4], flipped, root)
    assert not merkle.verify_path("bukan-hex", path, root)


# ---------------------------------------------------------------------------------------
# Daily digests
# ---------------------------------------------------------------------------------------


def day_event_hashes(day: date) -> list[str]:
    start, end = digests.day_bounds(day)
    return list(
        CaseEvent.objects.filter(created_at__gte=start, created_at__lt=end)
        .order_by("created_at", "case__tracking", "seq")
        .values_list("hash", flat=True)
    )


def test_digest_covers_the_wib_day_in_order_and_is_stable(day_cases):
    digest = digests.compute_digest(DAY)

    hashes = day_event_hashes(DAY)
    assert digest.event_count == len(hashes) == 7  # 4 + 2 + the submission at 23:59; 00:00 is the next day
    assert digest.merkle_root == reference_root(hashes)
    first, last = (
        CaseEvent.objects.get(pk=digest.first_event_id),
        CaseEvent.objects.get(pk=digest.last_event_id),
    )
    assert first.created_at == wib(DAY, "08:00") and last.created_at == wib(DAY, "23:59")

    again = digests.compute_digest(DAY)
    assert (again.pk, again.merkle_root) == (digest.pk, digest.merkle_root)
    assert TimelineDigest.objects.count() == 1
    assert not TimelineDigestAlarm.objects.exists()


def test_an_empty_day_gets_the_empty_root(db):
    digest = digests.compute_digest(DAY)
    assert (digest.event_count, digest.merkle_root) == (0, merkle.EMPTY_ROOT)
    assert digest.first_event_id is None


def test_today_cannot_be_digested(db):
    with pytest.raises(ValueError, match="not over"):
        digests.compute_digest(digests.today_wib())


def test_a_rewritten_chain_passes_verify_timeline_but_not_the_digest(day_cases):
    case = day_cases[0]
    published = digests.compute_digest(DAY)
    rewrite_chain(case, 4, created_at=wib(DAY, "10:00") - timedelta(hours=1))

    case.refresh_from_db()
    assert verify_case_chain(case) == []  # the chain alone cannot tell
    assert merkle.merkle_root(day_event_hashes(DAY)) != published.merkle_root

    with pytest.raises(digests.TimelineTampered) as exc:
        digests.compute_digest(DAY)

    alarm = exc.value.alarm
    assert (alarm.day, alarm.published_root) == (DAY, published.merkle_root)
    assert alarm.recomputed_root == merkle.merkle_root(day_event_hashes(DAY))
    assert "berbeda dari yang diterbitkan" in alarm.detail
    published_now = TimelineDigest.objects.get(day=DAY)
    assert (published_now.merkle_root, published_now.computed_at) == (
        published.merkle_root,
        published.computed_at,
    )

    # A second detection keeps one alarm row for the same state.
    with pytest.raises(digests.TimelineTampered):
        digests.compute_digest(DAY)
    assert TimelineDigestAlarm.objects.count() == 1


def test_an_edit_that_left_the_hash_in_place_raises_the_alarm_too(day_cases):
    published = digests.compute_digest(DAY)
    _edit_message(day_cases[1])
    with pytest.raises(digests.TimelineTampered) as exc:
        digests.compute_digest(DAY)
    assert f"{day_cases[1].tracking}#2" in exc.value.alarm.detail
    assert TimelineDigest.objects.get(day=DAY).merkle_root == published.merkle_root


def test_a_day_whose_events_were_already_edited_is_never_published(day_cases):
    _edit_message(day_cases[1])
    with pytest.raises(digests.TimelineTampered):
        digests.compute_digest(DAY)
    assert not TimelineDigest.objects.exists()
    assert TimelineDigestAlarm.objects.get().published_root == ""


def test_a_deleted_case_is_only_caught_by_the_digest(day_cases):
    digests.compute_digest(DAY)
    day_cases[1].delete()
    assert run_verify()[0] == 0
    run = digests.recheck_published_digests()
    assert run.unchanged == 0
    assert [a.day for a in run.alarms] == [DAY]
    assert "7 peristiwa → 5 peristiwa" in run.alarms[0].detail


def test_timeline_digest_command_publishes_every_missing_day_up_to_yesterday(day_cases):
    out = io.StringIO()
    with clock.frozen_at(wib(DAY + timedelta(days=3), "00:15")):
        call_command("timeline_digest", stdout=out)
        call_command("timeline_digest", stdout=out)  # nothing left to do: idempotent
    days = list(TimelineDigest.objects.order_by("day").values_list("day", "event_count"))
    assert days == [(DAY, 7), (DAY + timedelta(days=1), 1), (DAY + timedelta(days=2), 0)]
    assert "3 digest baru diterbitkan" in out.getvalue()
    assert "0 digest baru diterbitkan" in out.getvalue()


def test_timeline_digest_command_for_one_day_and_verify(day_cases):
    out = io.StringIO()
    call_command("timeline_digest", "--day", DAY.isoformat(), stdout=out)
    assert TimelineDigest.objects.get().merkle_root in out.getvalue()
    call_command("timeline_digest", "--verify", stdout=out)
    assert "1 hari tidak berubah" in out.getvalue()

    rewrite_chain(day_cases[0], 2, message="Diverifikasi (ditulis ulang).")
    with pytest.raises(CommandError) as exc:
        call_command("timeline_digest", "--verify", stdout=out)
    assert exc.value.returncode == 2
    assert f"{DAY}: Akar Merkle" in out.getvalue()

    with pytest.raises(CommandError, match="belum berakhir"):
        call_command("timeline_digest", "--day", digests.today_wib().isoformat())


def test_the_dashed_cli_name_works(day_cases, keep_connection):
    assert cli.main(["timeline-digest", "--day", DAY.isoformat()]) == 0
    assert TimelineDigest.objects.filter(day=DAY).exists()


def test_the_daily_task_publishes_and_the_scheduler_runs_it_at_00_15_wib(day_cases):
    from lampungin.core import periodic

    with clock.frozen_at(wib(DAY + timedelta(days=2), "00:15")):
        assert publish_timeline_digests_task.call() == {"published": 2, "alarms": 0}
        assert publish_timeline_digests_task.call() == {"published": 0, "alarms": 0}
    job = periodic.jobs()["analytics.timeline_digest"]
    assert job.target is publish_timeline_digests_task
    assert job.next_after(wib(DAY, "00:15")) == wib(DAY + timedelta(days=1), "00:15")
    assert job.next_after(wib(DAY, "00:14")) == wib(DAY, "00:15")
    assert job.next_after(wib(DAY, "23:59")) == wib(DAY + timedelta(days=1), "00:15")


# ---------------------------------------------------------------------------------------
# Inclusion proofs: a service time that can be proven
# ---------------------------------------------------------------------------------------


def test_every_event_of_a_day_has_a_proof_against_the_published_root(day_cases):
    root = digests.compute_digest(DAY).merkle_root
    start, end = digests.day_bounds(DAY)
    for event in CaseEvent.objects.filter(created_at__gte=start, created_at__lt=end):
        proof = digests.inclusion_proof(event)
        assert proof.published_root == root
        assert digests.verify_inclusion(proof, root)


def test_a_proof_fails_for_a_forged_leaf_content_or_root(day_cases):
    root = digests.compute_digest(DAY).merkle_root
    resolve_like = day_cases[0].events.get(seq=4)  # "Diproses" at 10:00: the time to be proven
    proof = digests.inclusion_proof(resolve_like)
    assert '"created_at":"2025-11-03T03:00:00.000000+00:00"' in proof.canonical

    forged_time = proof.canonical.replace("T03:00:00", "T01:00:00")
    forged_hash = hashlib.sha256((forged_time + proof.prev_hash).encode()).hexdigest()
    assert not digests.verify_inclusion(
        digests.InclusionProof(**{**proof.__dict__, "canonical": forged_time}), root
    )
    assert not digests.verify_inclusion(
        digests.InclusionProof(**{**proof.__dict__, "canonical": forged_time, "leaf": forged_hash}), root
    )
    assert not digests.verify_inclusion(proof, merkle.merkle_root(LEAVES))


def test_proof_command_prints_a_self_contained_json(day_cases):
    root = digests.compute_digest(DAY).merkle_root
    out = io.StringIO()
    call_command("timeline_digest", "--proof", f"{day_cases[1].tracking}:2", stdout=out)
    proof = json.loads(out.getvalue())
    assert proof["construction"] == merkle.CONSTRUCTION
    assert proof["published_root"] == root
    leaf = hashlib.sha256((proof["canonical"] + proof["prev_hash"]).encode()).hexdigest()
    steps = [merkle.PathStep(s["side"], s["hash"]) for s in proof["path"]]
    assert leaf == proof["leaf"]
    assert merkle.verify_path(leaf, steps, root)


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def test_api_lists_digests_newest_first_without_signing_in(day_cases):
    with clock.frozen_at(wib(DAY + timedelta(days=3), "01:00")):
        digests.publish_missing_digests()
    response = Client().get(f"{API}/timeline-digests/")
    assert response.status_code == 200
    body = response.json()
    assert [d["day"] for d in body] == [str(DAY + timedelta(days=i)) for i in (2, 1, 0)]
    assert body[2]["event_count"] == 7
    assert body[2]["merkle_root"] == TimelineDigest.objects.get(day=DAY).merkle_root
    assert body[0]["merkle_root"] == merkle.EMPTY_ROOT
    assert Client().get(f"{API}/timeline-digests/", {"limit": 1}).json()[0]["day"] == str(
        DAY + timedelta(days=2)
    )


def test_api_day_gives_the_leaves_an_outsider_can_recompute(day_cases):
    digests.compute_digest(DAY)
    body = Client().get(f"{API}/timeline-digests/{DAY}").json()
    assert reference_root(body["leaves"]) == body["merkle_root"] == body["current_root"]
    assert body["intact"] is True
    assert len(body["leaves"]) == body["event_count"] == 7
    text = json.dumps(body)
    assert "Siti" not in text and day_cases[0].tracking not in text

    rewrite_chain(day_cases[0], 3, message="Didisposisikan (ditulis ulang).")
    body = Client().get(f"{API}/timeline-digests/{DAY}").json()
    assert body["intact"] is False
    assert reference_root(body["leaves"]) != body["merkle_root"]


def test_api_unknown_day_is_404(db):
    assert Client().get(f"{API}/timeline-digests/2025-01-01").status_code == 404
    assert Client().get(f"{API}/timeline-digests/bukan-tanggal").status_code in (400, 422)


def test_service_applications_are_checked_too(day_cases, citizen):
    setup_process()
    application = submit(citizen)
    code, out = run_verify()
    assert code == 0 and "Diperiksa 1 permohonan, 1 peristiwa." in out

    ApplicationEvent.objects.filter(application=application, seq=1).update(message="Diubah diam-diam.")
    code, out = run_verify()
    assert code == 2
    assert f"{application.tracking}: riwayat diubah" in out
    assert "peristiwa 1: isi berubah setelah dicatat" in out

    code, out = run_verify("--application", application.tracking.lower())
    assert code == 2 and "Diperiksa 0 laporan" in out and "Diperiksa 1 permohonan" in out
    code, out = run_verify("--case", day_cases[0].tracking)
    assert code == 0 and "Diperiksa 0 permohonan" in out
    code, out = run_verify("--application", "PMH-TIDAK-ADA")
    assert code == 1 and "Permohonan PMH-TIDAK-ADA tidak ditemukan" in out
