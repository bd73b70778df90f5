"""Suggesters for the tests, so that they do not depend on the built-in algorithms (settings.SUGGESTERS)."""

from __future__ import annotations

import re
import time

from annotator.suggestions.base import Candidate, check_time_budget

QUOTED = re.compile(r"“([^”]+)”")
PERCENT = re.compile(r"\d+%")
BOUNDARY = ".“”"


def _phrase_around(body: str, start: int, end: int) -> tuple[int, int]:
    """The phrase around [start, end): out to the nearest full stop or curly quote, white space trimmed."""
    left = max(body.rfind(c, 0, start) for c in BOUNDARY) + 1
    rights = [i for i in (body.find(c, end) for c in BOUNDARY) if i >= 0]
    right = min(rights) if rights else len(body)
    while body[left].isspace():
        left += 1
    while body[right - 1].isspace():
        right -= 1
    return left, right


class FixedSuggester:
    """Every “…” is a direct quote by Ana Kovač with its cue "said"; every phrase with a percentage a claim."""

    name = "test.fixed"

    def suggest(self, body: str, title: str = "") -> list[Candidate]:
        candidates = []
        cue = body.find("said")
        for match in QUOTED.finditer(body):
            attributes = {
                "speaker": "Ana Kovač",
                "quote_type": "direct",
                "cue_span": [cue, cue + 4] if cue >= 0 else None,
            }
            candidates.append(Candidate("quote", match.start(1), match.end(1), attributes, 0.9))
        phrases = dict.fromkeys(_phrase_around(body, m.start(), m.end()) for m in PERCENT.finditer(body))
        for start, end in phrases:
            candidates.append(Candidate("claim", start, end, {"checkworthy": True, "category": "statistic"}, 0.6))
        return candidates


class SecondSuggester(FixedSuggester):
    """The same proposals under another name (a team's own model, say)."""

    name = "test.second"


class InvalidSuggester:
    """One good candidate among bad ones: each bad one must be dropped, never stored, never fatal."""

    name = "test.invalid"

    def suggest(self, body: str, title: str = "") -> list:
        return [
            Candidate("quote", 0, 5, {"speaker": "Someone"}, 0.5),  # good
            Candidate("stance", None, None, {"target": "inflation", "polarity": "against"}, 0.5),  # good: no span
            Candidate("quote", 0, len(body) + 10, {}, 0.5),  # past the end
            Candidate("claim", 5, 2, {}, 0.5),  # end before start
            Candidate("riddle", 0, 5, {}, 0.5),  # no such kind
            Candidate("claim", 0, 5, {"category": "gossip"}, 0.5),  # not in the vocabulary
            Candidate("quote", 0, 5, {"mood": "angry"}, 0.5),  # no such attribute
            Candidate("quote", 0, 5, {"speaker": "A"}, 7.0),  # confidence out of range
            Candidate("claim", 0, 5, {}, float("nan")),
            {"kind": "quote", "start": 0, "end": 5},  # not a Candidate
        ]


class BrokenSuggester:
    """A model that crashes on every article."""

    name = "test.broken"

    def suggest(self, body: str, title: str = "") -> list[Candidate]:
        raise RuntimeError("the model is not loaded")


class Nameless:
    """Not a suggester: no name."""

    def suggest(self, body: str, title: str = "") -> list[Candidate]:
        return []


FIXED = "tests.suggesters.FixedSuggester"


class SlowSuggester(FixedSuggester):
    """A model that takes longer than the time budget, then proposes what FixedSuggester proposes."""

    name = "test.slow"
    seconds = 0.5

    def suggest(self, body: str, title: str = "") -> list[Candidate]:
        time.sleep(self.seconds)
        return super().suggest(body, title)


class LoopingSuggester(FixedSuggester):
    """A model that reads an article paragraph by paragraph, checking its time budget between paragraphs."""

    name = "test.looping"

    def suggest(self, body: str, title: str = "") -> list[Candidate]:
        while True:  # never finishes on its own: only the budget stops it
            check_time_budget()
            time.sleep(0.01)
