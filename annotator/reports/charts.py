"""Bar and line charts drawn as SVG on the server: the geometry is computed here, the markup is in
templates/reports/_bar_chart.html and _line_chart.html.

Every series has its own fill pattern as well as its own colour (Okabe–Ito colours, told apart by
colour-blind readers too), every bar carries its value as text, and every chart has a table beside it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

WIDTH = 640
BAR = 16  # height of one bar
GAP = 10  # between categories
LABELS = 150  # room for category labels on the left
VALUES = 64  # room for value labels on the right
TOP = 8
AXIS = 22  # room for the axis labels below
STYLES = 4
LINE_WIDTH, LINE_HEIGHT = 960, 260


class Tick(NamedTuple):
    """A gridline from (x1, y1) to (x2, y2), labelled at (x, y)."""

    label: str
    x: float
    y: float
    x1: float
    y1: float
    x2: float
    y2: float


class Bar(NamedTuple):
    """One bar from x to x + width, its value written at (label_x, label_y); `title` is what hovering says."""

    x: float
    y: float
    width: float
    height: float
    style: int
    title: str
    value_label: str
    label_x: float
    label_y: float


class Point(NamedTuple):
    """A place on a chart and its words: a category's name written there, or what a dot says when hovered."""

    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Chart:
    """What every chart has: an id, a title and a description (what a screen reader says), its size."""

    id: str
    title: str
    description: str
    width: int
    height: int


@dataclass(frozen=True)
class BarChart(Chart):
    """Groups of horizontal bars over gridlines, the axis at `zero`, the last group ending at `bottom`."""

    bottom: float
    zero: float
    bars: list[Bar]
    categories: list[Point]
    ticks: list[Tick]
    legend: list[tuple[str, int]]  # each series' name and fill style, when there are two or more


@dataclass(frozen=True)
class LineChart(Chart):
    """A line through `points` (one a day), dots while the days are few, ticks on both axes."""

    # The plot area: room for the counts on the left and for the days below.
    left: ClassVar[float] = 56
    right: ClassVar[float] = LINE_WIDTH - 16
    top: ClassVar[float] = 12
    bottom: ClassVar[float] = LINE_HEIGHT - 28
    points: str
    dots: list[Point]
    x_ticks: list[Tick]
    y_ticks: list[Tick]


def count(value: float) -> str:
    return f"{value:,.0f}"


def tenths(value: float) -> str:
    return f"{value:,.1f}"


def ratio(value: float) -> str:
    return f"{value:.2f}"


def percent(value: float) -> str:
    return f"{value:.0%}"


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 × 10^n at or above the value (1 for nothing to show)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _steps(low: float, high: float, *, whole: bool = False) -> list[float]:
    """About five round values from low to high; whole numbers only for counts (0, 1, 2, not 0, 0.5, 1…)."""
    step = nice_ceiling((high - low) / 4)
    if whole:
        step = max(step, 1)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(round((high - first) / step) + 1)]


def bar_chart(
    id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    fmt: Callable[[float], str] = count,
    domain: tuple[float, float] | None = None,
    description: str = "",
) -> BarChart:
    """Horizontal bars, one group per category and one bar per series; None draws no bar ("n/a")."""
    values = [v for _, column in series for v in column if v is not None]
    low, high = domain or (0, nice_ceiling(max(values, default=0)))
    low, high = min(low, 0, *values), max(high, 0, *values)
    right = WIDTH - VALUES  # room for the value labels

    def scale(value: float) -> float:
        return LABELS + (value - low) / (high - low) * (right - LABELS)

    band = BAR * len(series) + GAP
    zero = _r(scale(0))
    bars, labels = [], []
    for i, category in enumerate(categories):
        top = TOP + i * band
        labels.append(Point(LABELS - 6, _r(top + BAR * len(series) / 2 + 4), _short(category)))
        for j, (name, column) in enumerate(series):
            value, y = column[i], top + j * BAR
            text = "n/a" if value is None else fmt(value)
            start, end = (zero, zero) if value is None else sorted((zero, _r(scale(value))))
            width = 0 if value is None else max(end - start, 0.5)
            says = f"{category}, {name}: {text}"
            bars.append(Bar(start, y, _r(width), BAR - 2, j % STYLES, says, text, _r(end + 4), y + 11))
    bottom = TOP + len(categories) * band
    return BarChart(
        id,
        title,
        description,
        WIDTH,
        bottom + AXIS,
        bottom=bottom,
        zero=zero,
        bars=bars,
        categories=labels,
        ticks=[
            Tick(fmt(v), _r(scale(v)), bottom + 16, _r(scale(v)), 0, _r(scale(v)), bottom)
            for v in _steps(low, high, whole=fmt is count)
        ],
        legend=[(name, j % STYLES) for j, (name, _) in enumerate(series)] if len(series) > 1 else [],
    )


def one_bar_each(id: str, title: str, name: str, bars: Sequence[tuple[str, float | None]], **options) -> BarChart:
    """A bar chart of one figure (`name`) per category, from (category, value) pairs."""
    return bar_chart(id, title, [category for category, _ in bars], [(name, [value for _, value in bars])], **options)


def line_chart(
    id: str, title: str, counts: Sequence[tuple[dt.date, int]], *, noun: str = "annotations", description: str = ""
) -> LineChart:
    """Counts per day as a line from the first day to the last; a day without any counts as 0."""
    left, right, top, bottom = LineChart.left, LineChart.right, LineChart.top, LineChart.bottom
    by_day = dict(counts)
    days = []
    if by_day:
        first, last = min(by_day), max(by_day)
        days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    high = nice_ceiling(max(by_day.values(), default=0))

    def x_of(i: int) -> float:
        return left + (i / (len(days) - 1) if len(days) > 1 else 0.5) * (right - left)

    def y_of(value: float) -> float:
        return bottom - value / high * (bottom - top)

    points = [(x_of(i), y_of(by_day.get(day, 0))) for i, day in enumerate(days)]
    every = max(1, math.ceil(len(days) / 6))
    return LineChart(
        id,
        title,
        description,
        LINE_WIDTH,
        LINE_HEIGHT,
        points=" ".join(f"{x:.1f},{y:.1f}" for x, y in points),
        dots=[
            Point(_r(x), _r(y), f"{day:%Y-%m-%d}: {by_day.get(day, 0):,} {noun}")
            for (x, y), day in zip(points, days, strict=True)
            if len(days) <= 62
        ],
        x_ticks=[
            Tick(f"{day:%b %-d}", _r(x_of(i)), bottom + 18, _r(x_of(i)), bottom, _r(x_of(i)), bottom + 4)
            for i, day in enumerate(days)
            if i % every == 0
        ],
        y_ticks=[
            Tick(count(v), left - 6, _r(y_of(v)) + 4, left, _r(y_of(v)), right, _r(y_of(v)))
            for v in _steps(0, high, whole=True)
        ],
    )


def _r(value: float) -> float:
    return round(value, 1)


def _short(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
