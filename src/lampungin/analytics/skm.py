"""The SKM formula (Survei Kepuasan Masyarakat, PermenPANRB 14/2017): pure arithmetic, no database.

Nine elements (U1…U9) are scored 1–4 by each respondent. Per element the average score
(NRR, nilai rata-rata) is the sum of scores over the respondents; the index (IKM) is the sum
of the nine NRR weighted by 1/9 each. The regulation's tables print the weight as 0,111;
multiplying by the exact fraction instead keeps a uniform "all 4" survey at exactly 100.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

ELEMENTS: tuple[tuple[str, str], ...] = (
    ("u1", _("Persyaratan")),
    ("u2", _("Sistem, Mekanisme, dan Prosedur")),
    ("u3", _("Waktu Penyelesaian")),
    ("u4", _("Biaya/Tarif")),
    ("u5", _("Produk Spesifikasi Jenis Pelayanan")),
    ("u6", _("Kompetensi Pelaksana")),
    ("u7", _("Perilaku Pelaksana")),
    ("u8", _("Penanganan Pengaduan, Saran dan Masukan")),
    ("u9", _("Sarana dan Prasarana")),
)
ELEMENT_CODES: tuple[str, ...] = tuple(code for code, _label in ELEMENTS)
SCORE_MIN, SCORE_MAX = 1, 4
SCORE_LABELS: tuple[tuple[int, str], ...] = (
    (1, _("Tidak baik")),
    (2, _("Kurang baik")),
    (3, _("Baik")),
    (4, _("Sangat baik")),
)
WEIGHT = Fraction(1, len(ELEMENTS))  # 1/9, exact
CONVERSION = 25  # IKM 1–4 becomes a score of 25–100

# (lowest converted score, grade, quality of service), checked from the top.
GRADES: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", _("Sangat baik")),
    (Decimal("76.61"), "B", _("Baik")),
    (Decimal("65.00"), "C", _("Kurang baik")),
    (Decimal("0"), "D", _("Tidak baik")),
)


@dataclass(frozen=True)
class IkmResult:
    """The survey result of a set of responses; ``score`` is None when nobody answered."""

    respondents: int
    nrr: dict[str, Fraction]  # per element: sum of scores / respondents
    ikm: Fraction | None  # Σ NRR × 1/9, between 1 and 4
    score: Decimal | None  # IKM × 25, rounded half up to 2 decimals
    grade: str
    grade_label: str

    def nrr_rounded(self) -> list[tuple[str, str, Decimal]]:
        """(code, label, NRR to 2 decimals) per element, for tables."""
        return [(code, label, round_half_up(self.nrr[code])) for code, label in ELEMENTS if code in self.nrr]


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """``value`` rounded to ``places`` decimals, halves away from zero (as printed reports do)."""
    scale = 10**places
    scaled = math.floor(value * scale + Fraction(1, 2))
    return Decimal(scaled).scaleb(-places)


def grade(score: Decimal) -> tuple[str, str]:
    """The grade letter and its label for a converted score already rounded to 2 decimals."""
    for lowest, letter, label in GRADES:
        if score >= lowest:
            return letter, str(label)
    return GRADES[-1][1], str(GRADES[-1][2])


def compute_ikm(responses: Iterable[Sequence[int]]) -> IkmResult:
    """NRR per element, IKM, converted score and grade for ``responses`` (each nine scores 1–4)."""
    totals = [0] * len(ELEMENTS)
    count = 0
    for row in responses:
        if len(row) != len(ELEMENTS):
            raise ValueError(f"an SKM response has {len(ELEMENTS)} scores, got {len(row)}")
        for i, value in enumerate(row):
            if not SCORE_MIN <= int(value) <= SCORE_MAX:
                raise ValueError(f"SKM scores are {SCORE_MIN}–{SCORE_MAX}, got {value!r}")
            totals[i] += int(value)
        count += 1
    return ikm_from_totals(count, totals)


def ikm_from_totals(count: int, totals: Sequence[int]) -> IkmResult:
    """The same result from the number of respondents and the nine score sums (as a database sums them)."""
    if count == 0:
        return IkmResult(0, {}, None, None, "", "")
    nrr = {code: Fraction(total, count) for code, total in zip(ELEMENT_CODES, totals, strict=True)}
    ikm = sum((value * WEIGHT for value in nrr.values()), Fraction(0))
    score = round_half_up(ikm * CONVERSION)
    letter, label = grade(score)
    return IkmResult(count, nrr, ikm, score, letter, label)
