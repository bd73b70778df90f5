"""Chart axes: counts are labelled with whole numbers, each once (the progress axis read 0, 0, 1, 2, 2)."""

from __future__ import annotations

import datetime as dt

import pytest

from annotator.reports.charts import bar_chart, line_chart, one_bar_each, percent


def labels(ticks) -> list[str]:
    return [tick.label for tick in ticks]


@pytest.mark.parametrize("highest", [1, 2, 3, 4, 7, 10, 13])
def test_a_count_axis_has_whole_ticks_without_repeats(highest):
    chart = one_bar_each("c", "Articles by progress", "articles", [("not started", highest), ("submitted", 0)])
    ticks = labels(chart.ticks)
    assert ticks == [str(int(label.replace(",", ""))) for label in ticks]
    assert len(ticks) == len(set(ticks))
    assert ticks[0] == "0" and int(ticks[-1]) >= highest


def test_two_articles_at_most_read_0_1_2():
    chart = one_bar_each("c", "Articles by progress", "articles", [("not started", 2), ("in progress", 1)])
    assert labels(chart.ticks) == ["0", "1", "2"]


def test_a_line_of_small_daily_counts_has_whole_ticks():
    chart = line_chart("d", "Per day", [(dt.date(2026, 1, 1), 1), (dt.date(2026, 1, 2), 2)])
    assert labels(chart.y_ticks) == ["0", "1", "2"]


def test_an_axis_of_fractions_keeps_its_fine_steps():
    chart = bar_chart("f", "F1", ["quote"], [("F1", [0.4])], fmt=percent, domain=(0, 1))
    assert labels(chart.ticks) == ["0%", "50%", "100%"]  # as before: fractions are not counts
