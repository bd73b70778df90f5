"""How the dashboard writes its numbers: the same formats in its tables as on its charts."""

from __future__ import annotations

from django import template

from annotator.reports import charts

register = template.Library()
NOT_AVAILABLE = "n/a"


@register.filter
def count(value: int | None) -> str:
    return NOT_AVAILABLE if value is None else charts.count(value)


@register.filter
def ratio(value: float | None) -> str:
    return NOT_AVAILABLE if value is None else charts.ratio(value)


@register.filter
def percent(value: float | None) -> str:
    return NOT_AVAILABLE if value is None else charts.percent(value)


@register.filter
def tenths(value: float | None) -> str:
    return NOT_AVAILABLE if value is None else charts.tenths(value)


@register.filter
def share(part: int, whole: int) -> str:
    return charts.percent(part / whole) if whole else NOT_AVAILABLE
