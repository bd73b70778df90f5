"""How the dashboard writes its numbers: the same formats in its tables as on its charts."""

from __future__ import annotations

from collections.abc import Callable

from django import template

from annotator.reports import charts

register = template.Library()
NOT_AVAILABLE = "n/a"


def _or_not_available(format: Callable[[float], str]) -> Callable[[float | None], str]:
    """The chart's format of a figure, or "n/a" where the figure is undefined (None)."""

    def figure(value: float | None) -> str:
        return NOT_AVAILABLE if value is None else format(value)

    return figure


for format in (charts.count, charts.ratio, charts.percent, charts.tenths):
    register.filter(format.__name__, _or_not_available(format))


@register.filter
def share(part: int, whole: int) -> str:
    return charts.percent(part / whole) if whole else NOT_AVAILABLE
