"""``{% load sla_clocks %}``: SLA clocks of a case for pages.

``{% case_clocks case as clocks %}`` (all clocks, oldest first) and ``{% current_clock case
as clock %}`` (the open one due first, for lists: it uses ``clocks.with_next_clock``
annotations when the list has them, as the inbox does). The calendar version is read at
most once per template render, and not at all when the page shows no clock.
"""

from __future__ import annotations

from collections.abc import Callable

from django import template

from lampungin.cases import clocks
from lampungin.cases.models import Case
from lampungin.sla import selectors as sla_selectors

register = template.Library()
_KEY = "lampungin.sla.calendars"


def _calendars(context: template.Context) -> Callable[[], sla_selectors.CalendarSet]:
    """A lazy source: the version is read only if the page shows a clock at all."""
    return lambda: _read_calendars(context)


def _read_calendars(context: template.Context) -> sla_selectors.CalendarSet:
    # render_context gets a fresh top dict per {% include %}; its bottom dict lives as long
    # as the whole render, so one page reads the calendar version once.
    outermost = context.render_context.dicts[0]
    if _KEY not in outermost:
        outermost[_KEY] = sla_selectors.calendars()
    return outermost[_KEY]


@register.simple_tag(takes_context=True)
def case_clocks(context: template.Context, case: Case) -> list[clocks.ClockView]:
    return clocks.clock_views(case, calendars=_calendars(context))


@register.simple_tag(takes_context=True)
def current_clock(context: template.Context, case: Case) -> clocks.ClockView | None:
    return clocks.current_clock(case, calendars=_calendars(context))
