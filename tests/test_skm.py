"""The satisfaction survey (SKM, PermenPANRB 14/2017): formula, grades, who may answer and when."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lampungin.accounts.access import actor_for
from lampungin.analytics import services
from lampungin.analytics.ikm import MIN_PUBLIC_RESPONDENTS, ikm_summary, public_ikm_summary, scope_responses
from lampungin.analytics.models import CaseRating, SkmResponse
from lampungin.analytics.skm import compute_ikm, grade, round_half_up
from lampungin.cases.choices import CaseState
from lampungin.core.errors import Conflict, NotAllowed

ALL = {f"u{i}": 4 for i in range(1, 10)}


# -- the formula -----------------------------------------------------------------------------


def test_hand_computed_example():
    # Three respondents. Per element sums: U1 4+3+2=9 … worked by hand:
    rows = [
        (4, 4, 3, 4, 3, 4, 4, 3, 3),  # 32
        (3, 3, 3, 4, 3, 3, 4, 2, 3),  # 28
        (2, 3, 4, 4, 2, 3, 3, 3, 2),  # 26
    ]
    result = compute_ikm(rows)
    assert result.respondents == 3
    assert result.nrr["u1"] == Fraction(9, 3) == 3
    assert result.nrr["u4"] == 4
    assert result.nrr["u8"] == Fraction(8, 3)
    # Σ NRR = 86/3; IKM = 86/27 = 3.185185…; × 25 = 2150/27 = 79.6296… → 79.63 → B
    assert result.ikm == Fraction(86, 27)
    assert result.score == Decimal("79.63")
    assert (result.grade, result.grade_label) == ("B", "Baik")


def test_exact_ninth_not_0_111():
    # 35/9 × 25 = 97.222… → 97.22 (with the printed weight 0.111 it would be 97.13)
    result = compute_ikm([(4, 4, 4, 4, 4, 4, 4, 4, 3)])
    assert result.score == Decimal("97.22")
    assert compute_ikm([tuple(ALL.values())]).score == Decimal("100.00")
    assert compute_ikm([(1,) * 9]).score == Decimal("25.00")


def test_no_respondents_gives_no_score():
    result = compute_ikm([])
    assert result.respondents == 0 and result.score is None and result.grade == ""


@pytest.mark.parametrize("row", [(4,) * 8, (5,) * 9, (0,) * 9])
def test_bad_rows_are_refused(row):
    with pytest.raises(ValueError):
        compute_ikm([row])


@pytest.mark.parametrize(
    ("score", "letter", "label"),
    [
        ("100.00", "A", "Sangat baik"),
        ("88.31", "A", "Sangat baik"),
        ("88.30", "B", "Baik"),
        ("76.61", "B", "Baik"),
        ("76.60", "C", "Kurang baik"),
        ("65.00", "C", "Kurang baik"),
        ("64.99", "D", "Tidak baik"),
        ("25.00", "D", "Tidak baik"),
    ],
)
def test_grade_boundaries(score, letter, label):
    assert grade(Decimal(score)) == (letter, label)


def test_rounding_happens_before_grading():
    assert round_half_up(Fraction(88305, 1000)) == Decimal("88.31")  # half rounds up → A
    assert round_half_up(Fraction(88304999, 1000000)) == Decimal("88.30")
    assert grade(round_half_up(Fraction(88305, 1000)))[0] == "A"


# -- who may answer, and when ----------------------------------------------------------------


def test_reporter_rates_a_resolved_case_with_survey(citizen, make_case):
    case = make_case(citizen, state=CaseState.RESOLVED)
    rating = services.rate_resolved_case(
        actor=actor_for(citizen), case=case, stars=5, comment="Cepat.", skm=ALL
    )
    assert rating.stars == 5 and rating.agency_id == case.agency_id
    response = SkmResponse.objects.get(case=case)
    assert response.scores == (4,) * 9 and response.respondent == citizen
    assert not services.may_rate(actor_for(citizen), case)


def test_survey_is_optional(citizen, make_case):
    case = make_case(citizen, state=CaseState.CLOSED)
    services.rate_resolved_case(actor=actor_for(citizen), case=case, stars=3, skm={"u1": "", "u2": None})
    assert CaseRating.objects.filter(case=case).exists()
    assert not SkmResponse.objects.exists()


def test_half_filled_survey_saves_nothing(citizen, make_case):
    case = make_case(citizen, state=CaseState.RESOLVED)
    with pytest.raises(ValidationError) as exc:
        services.rate_resolved_case(actor=actor_for(citizen), case=case, stars=4, skm={"u1": 4, "u2": 3})
    assert set(exc.value.message_dict) == {f"u{i}" for i in range(3, 10)}
    assert not CaseRating.objects.exists() and not SkmResponse.objects.exists()


def test_one_response_per_case(citizen, make_case):
    case = make_case(citizen, state=CaseState.RESOLVED)
    services.submit_case_survey(actor=actor_for(citizen), case=case, scores=ALL)
    with pytest.raises(Conflict):
        services.submit_case_survey(actor=actor_for(citizen), case=case, scores=ALL)
    services.rate_case(actor=actor_for(citizen), case=case, stars=4)
    with pytest.raises(Conflict):
        services.rate_case(actor=actor_for(citizen), case=case, stars=2)
    assert SkmResponse.objects.count() == 1 and CaseRating.objects.count() == 1


@pytest.mark.parametrize("persona", ["citizen2", "officer_a", "platform_admin"])
def test_only_the_reporter(request, persona, citizen, make_case):
    case = make_case(citizen, state=CaseState.RESOLVED)
    other = actor_for(request.getfixturevalue(persona))
    with pytest.raises(NotAllowed):
        services.submit_case_survey(actor=other, case=case, scores=ALL)
    with pytest.raises(NotAllowed):
        services.rate_case(actor=other, case=case, stars=5)


@pytest.mark.parametrize(
    "state", [CaseState.SUBMITTED, CaseState.IN_PROGRESS, CaseState.REOPENED, CaseState.REJECTED]
)
def test_only_when_resolved(state, citizen, make_case):
    case = make_case(citizen, state=state)
    with pytest.raises(Conflict):
        services.submit_case_survey(actor=actor_for(citizen), case=case, scores=ALL)
    with pytest.raises(Conflict):
        services.rate_case(actor=actor_for(citizen), case=case, stars=5)


@pytest.mark.parametrize("stars", [0, 6, "", "lima"])
def test_stars_are_1_to_5(stars, citizen, make_case):
    case = make_case(citizen, state=CaseState.RESOLVED)
    with pytest.raises(ValidationError):
        services.rate_case(actor=actor_for(citizen), case=case, stars=stars)


# -- aggregates ------------------------------------------------------------------------------


def _responses(make_case, citizen, n, scores):
    for _ in range(n):
        case = make_case(citizen, state=CaseState.RESOLVED)
        services.submit_case_survey(actor=actor_for(citizen), case=case, scores=scores)
    return case


def test_summary_per_agency_and_public_threshold(citizen, make_case, officer_a, officer_b, analyst):
    case = _responses(make_case, citizen, MIN_PUBLIC_RESPONDENTS - 1, ALL)
    assert public_ikm_summary() == []  # too few answers to publish
    _responses(make_case, citizen, 1, {f"u{i}": 3 for i in range(1, 10)})
    [row] = public_ikm_summary()
    assert row.key == case.agency_id and row.result.respondents == MIN_PUBLIC_RESPONDENTS
    assert row.result.score == Decimal("95.00")  # (4×4 + 3)/5 = 3.8 per element; 3.8 × 25
    assert ikm_summary(scope_responses(actor_for(analyst)))[0].result.score == Decimal("95.00")
    own = actor_for(officer_a) if case.agency_id in actor_for(officer_a).agency_ids else actor_for(officer_b)
    other = actor_for(officer_b) if own == actor_for(officer_a) else actor_for(officer_a)
    assert len(ikm_summary(scope_responses(own))) == 1
    assert ikm_summary(scope_responses(other)) == []


# -- pages -----------------------------------------------------------------------------------


def test_rating_form_without_javascript(client, citizen, make_case):
    case = make_case(citizen, state=CaseState.RESOLVED)
    client.force_login(citizen)
    page = client.get(reverse("web:my_report", args=[case.tracking])).content.decode()
    assert 'name="stars"' in page and 'type="radio"' in page and "<legend>" in page
    assert "U1. Persyaratan" in page and "U9. Sarana dan Prasarana" in page
    url = reverse("web:rate_report", args=[case.tracking])
    refused = client.post(url, {"stars": "", "u1": "4"})
    assert refused.status_code == 400
    done = client.post(url, {"stars": "4", "comment": "Baik", **ALL})
    assert done.status_code == 302
    assert CaseRating.objects.get(case=case).stars == 4
    assert SkmResponse.objects.filter(case=case).count() == 1
    page = client.get(reverse("web:my_report", args=[case.tracking])).content.decode()
    assert 'name="stars"' not in page and "Penilaian Anda" in page


def test_no_rating_form_before_resolution(client, citizen, make_case):
    case = make_case(citizen, state=CaseState.IN_PROGRESS)
    client.force_login(citizen)
    page = client.get(reverse("web:my_report", args=[case.tracking])).content.decode()
    assert 'name="stars"' not in page
    assert client.post(reverse("web:rate_report", args=[case.tracking]), {"stars": "5"}).status_code == 302
    assert not CaseRating.objects.exists()


def test_other_citizen_cannot_open_the_rating_page(client, citizen, citizen2, make_case):
    case = make_case(citizen, state=CaseState.RESOLVED)
    client.force_login(citizen2)
    assert client.post(reverse("web:rate_report", args=[case.tracking]), {"stars": "1"}).status_code == 404


def test_ikm_on_public_and_staff_pages(client, citizen, analyst, make_case):
    _responses(make_case, citizen, MIN_PUBLIC_RESPONDENTS, ALL)
    page = client.get(reverse("web:service_times")).content.decode()
    assert "Indeks Kepuasan Masyarakat (IKM)" in page and "100,00" in page  # Indonesian decimal comma
    assert citizen.full_name not in page
    client.force_login(analyst)
    page = client.get(reverse("backoffice:ikm")).content.decode()
    assert "100,00" in page and "A (Sangat baik)" in page
