"""Suggesters for the tests, so that they do not depend on the built-in algorithms (settings.SUGGESTERS)."""

from __future__ import annotations

import re

from annotator.suggestions.base import Candidate

QUOTED = re.compile(r"“([^”]+)”")
PERCENT = re.compile(r"[^.“”]*\d+%[^.“”]*")


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
        for match in PERCENT.finditer(body):
            start = match.start() + len(match.group()) - len(match.group().lstrip())
            end = match.end() - len(match.group()) + len(match.group().rstrip())
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
