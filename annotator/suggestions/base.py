"""The suggester protocol: an article's text in, candidate annotations out, each with a confidence.

A suggester is any object with a `name` (stored on every suggestion it makes, so that the dashboard can
say how often people accepted its work) and a `suggest(body, title="")` method returning candidates.
Offsets count Unicode code points of `body`, half-open, exactly like stored annotations; attributes
follow the kind's shape in docs/suggestions.md (a quote: speaker, speaker_span, cue_span, quote_type; a claim:
checkworthy, category, verdict=None; a stance: holder, target, polarity). A suggester must not touch the
database: `annotator.suggestions.services` stores what it returns, checked like any annotation.

Settings name the suggesters by dotted path (`SUGGESTERS`); a team's own model plugs in the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class Candidate:
    kind: str  # "quote" | "claim" | "stance"
    start: int | None
    end: int | None
    attributes: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.5  # 0..1, higher is surer


@runtime_checkable
class Suggester(Protocol):
    name: str

    def suggest(self, body: str, title: str = "") -> list[Candidate]: ...
