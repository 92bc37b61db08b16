"""The case states SLA targets may name, registered by the cases app.

``sla`` sits below ``cases`` and must not import it, yet a target's start/stop/pause
states have to be real case states. ``cases`` registers its ``CaseState`` values here in
``AppConfig.ready`` (as higher floors register outbox handlers), and target validation
reads them back.
"""

from __future__ import annotations

from collections.abc import Iterable

_states: dict[str, object] = {}


def register_case_states(choices: Iterable[tuple[str, object]]) -> None:
    """Make ``(value, label)`` pairs the valid states of SLA targets (idempotent).

    Labels stay lazy translations so each reader sees them in its own language.
    """
    _states.update({str(value): label for value, label in choices})


def case_states() -> dict[str, object]:
    """Registered state value -> label (empty before the cases app is ready)."""
    return dict(_states)
