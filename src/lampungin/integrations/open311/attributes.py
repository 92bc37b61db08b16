"""Service attributes (Open311's extra questions of a service) and checking the answers.

Report categories have no extra questions yet, so ``attributes_for`` returns an empty list
for every category. When categories get form definitions, ``attributes_for`` maps them to
:class:`Attribute` and everything else here — the service definition, ``metadata`` in the
service list, and validation of ``attribute[code]`` answers — follows without change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from lampungin.catalog.models import ReportCategory

Answer = str | list[str]


class Datatype(StrEnum):
    """The datatypes GeoReport v2 defines for an attribute."""

    STRING = "string"
    NUMBER = "number"
    DATETIME = "datetime"
    TEXT = "text"
    SINGLEVALUELIST = "singlevaluelist"
    MULTIVALUELIST = "multivaluelist"


@dataclass(frozen=True)
class AttributeValue:
    """One choice of a list attribute."""

    key: str
    name: str


@dataclass(frozen=True)
class Attribute:
    """One extra question of a service, as GeoReport v2 describes it.

    ``variable`` False means the attribute is only informational (a note shown to the
    person reporting): it takes no answer.
    """

    code: str
    description: str
    datatype: Datatype = Datatype.STRING
    required: bool = False
    datatype_description: str = ""
    order: int = 0
    variable: bool = True
    values: tuple[AttributeValue, ...] = field(default=())

    def as_dict(self) -> dict:
        return {
            "variable": self.variable,
            "code": self.code,
            "datatype": str(self.datatype),
            "required": self.required,
            "datatype_description": self.datatype_description,
            "order": self.order,
            "description": self.description,
            "values": [{"key": v.key, "name": v.name} for v in self.values],
        }


def attributes_for(category: ReportCategory) -> list[Attribute]:
    """The extra questions of ``category``, in order. Categories have none yet."""
    return []


def check_answers(attributes: list[Attribute], answers: dict[str, Answer]) -> list[str]:
    """Problems with ``answers`` to ``attributes`` (empty when they are acceptable).

    Answers to codes the service does not define are kept, not refused: a client built for
    another jurisdiction may send extra attributes, and the spec does not forbid that.
    """
    problems: list[str] = []
    for attribute in attributes:
        if not attribute.variable:
            continue
        answer = answers.get(attribute.code)
        values = [answer] if isinstance(answer, str) else list(answer or [])
        values = [v for v in values if v != ""]
        if not values:
            if attribute.required:
                problems.append(
                    _("Atribut %(code)s wajib diisi (%(description)s).")
                    % {"code": attribute.code, "description": attribute.description}
                )
            continue
        problem = _check_values(attribute, values)
        if problem:
            problems.append(problem)
    return problems


def _check_values(attribute: Attribute, values: list[str]) -> str:
    code = attribute.code
    if attribute.datatype != Datatype.MULTIVALUELIST and len(values) > 1:
        return _("Atribut %(code)s hanya menerima satu nilai.") % {"code": code}
    if attribute.datatype in (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST):
        keys = {v.key for v in attribute.values}
        unknown = [v for v in values if v not in keys]
        if unknown:
            return _("Nilai atribut %(code)s tidak dikenal: %(values)s.") % {
                "code": code,
                "values": ", ".join(unknown),
            }
    elif attribute.datatype == Datatype.NUMBER:
        try:
            Decimal(values[0])
        except InvalidOperation:
            return _("Atribut %(code)s harus berupa angka.") % {"code": code}
    elif attribute.datatype == Datatype.DATETIME and not _is_iso_datetime(values[0]):
        return _("Atribut %(code)s harus berupa tanggal/waktu ISO-8601.") % {"code": code}
    return ""


def _is_iso_datetime(value: str) -> bool:
    try:
        return bool(parse_datetime(value) or parse_date(value))
    except ValueError:  # well formed but impossible, such as 2026-02-30
        return False
