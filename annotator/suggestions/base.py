"""The suggester protocol: an article's text in, candidate annotations out, each with a confidence.

A suggester is any object with a `name` (stored on every suggestion it makes, so that the dashboard can
say how often people accepted its work) and a `suggest(body, title="")` method returning candidates.
Offsets count Unicode code points of `body`, half-open, exactly like stored annotations; attributes
follow the kind's shape in docs/suggestions.md (a quote: speaker, speaker_span, cue_span, quote_type; a claim:
checkworthy, category, verdict=None; a stance: holder, target, polarity). A suggester must not touch the
database: `annotator.suggestions.services` stores what it returns, checked like any annotation.

Settings name the suggesters by dotted path (`SUGGESTERS`); a team's own model plugs in the same way.
Each suggester has `SUGGEST_TIME_BUDGET_SECONDS` per article: one that calls `check_time_budget()` between its
units of work (the built-in ones do, per paragraph or sentence) is stopped there; one that does not is let
finish, and its work is dropped all the same.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

# A context variable rather than an argument: the protocol stays `suggest(body, title)`, and a thread or task
# running another article has a deadline of its own.
_deadline: ContextVar[float | None] = ContextVar("suggester_deadline", default=None)


class OutOfTime(Exception):
    """A suggester went past its time budget on an article."""


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Give the code inside `seconds` (None or 0: no limit) before check_time_budget() stops it."""
    token = _deadline.set(time.monotonic() + seconds if seconds else None)
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time_budget() -> None:
    """A suggester past its deadline stops (raises OutOfTime); called between units of work."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise OutOfTime


@dataclass(frozen=True, slots=True)
class Candidate:
    kind: str  # "quote" | "claim" | "stance"
    start: int | None
    end: int | None
    attributes: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.5  # 0..1, higher is surer
    # A quote in parts (annotations/parts.py): ((start, end), ...), start/end their hull; None for an ordinary span.
    parts: tuple[tuple[int, int], ...] | None = None


@runtime_checkable
class Suggester(Protocol):
    name: str

    def suggest(self, body: str, title: str = "") -> list[Candidate]: ...
