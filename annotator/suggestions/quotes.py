"""Quotes in news text: who said what, with which cue verb. Rules, no model, no database.

An article is read in units, runs of sentences joined by the quotes that cross them. In each unit the quotes
in quotation marks come first (`direct_quotes.py`: direct and mixed quotes), then the reported clauses that no
marks enclose (`indirect_quotes.py`: indirect quotes). Both build on `clauses.py` (where a reported clause
starts and ends), `attribution.py` (a quote's speaker and cue) and `article.py` (the body cut up once, with
look-ups by offset), which use the cues (`cues.py`), quotation marks (`marks.py`), noun phrases
(`phrases.py`) and the people and organisations of the article (`names.py`, `speakers.py`): a speaker is
resolved to one name per person or organisation by `speakers.Cast`.

A direct quote interrupted by its attribution in the middle of its sentence (“We will act,” she said, “and
soon.”) is one quote in parts (`join_interrupted`): two direct quotes in a row that share the cue between them,
when only that attribution and punctuation stand between them and the sentence goes on after it (a comma or a
dash); “We will act,” she said. “And soon.” stays two quotes, two sentences.

Span convention (the gold sets use it): a direct quote is the text inside the marks; an indirect quote is the
reported clause after the cue, without a leading "that" and the final full stop; a mixed quote is that clause
with its quotation marks. Offsets index the body as given: nothing is normalised. Confidence: 0.5 for an
indirect quote, 0.6 mixed, 0.7 direct; +0.1 with a cue, +0.15 with a speaker resolved to a name, -0.2 with no
speaker at all, -0.15 for a stance verb.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from annotator.suggestions.base import Candidate, check_time_budget
from annotator.suggestions.direct_quotes import TERMINAL, DirectQuotes
from annotator.suggestions.indirect_quotes import IndirectQuotes
from annotator.suggestions.marks import Segment
from annotator.suggestions.text import PADDING
from annotator.suggestions.tokens import WORD

# The rules compare each cue with the others and with the quotations of its unit, so a unit's cost grows
# faster than its length. News units stay far below these bounds (gold, seeds, FNC-1 and PolNeAR: at most
# 3,138 characters, 16 cues and 18 quotations, with FNC-1 articles joined into one line); a longer or denser
# unit is a list, a table or a hostile upload, and is left unread rather than left to run for minutes.
MAX_UNIT_LENGTH = 20_000
MAX_PER_UNIT = 60


class QuoteSuggester:
    """Direct, mixed and indirect quotes with their speaker and cue."""

    name = "builtin.quotes"

    def suggest(self, body: str, title: str = "") -> list[Candidate]:
        return [
            Candidate(c.kind, c.start, c.end, {k: _copy(v) for k, v in c.attributes.items()}, c.confidence, c.parts)
            for c in join_interrupted(body, quote_candidates(body))
        ]


@functools.lru_cache(maxsize=8)
def quote_candidates(body: str) -> tuple[Candidate, ...]:
    """The quotes of a body, computed once for the quote and the claim suggesters of the same article."""
    return tuple(QuoteReader(body).quotes())


# After the attribution that interrupts a quote, its sentence goes on.
CONTINUES = (",", "—", "–")
MAX_WORDS_BETWEEN = 12


def join_interrupted(body: str, candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates with each direct quote interrupted by its attribution made one quote in parts."""
    joined: list[Candidate] = []
    for candidate in candidates:
        previous = joined[-1] if joined else None
        if previous is not None and _interrupted(body, previous, candidate):
            parts = (*(previous.parts or ((previous.start, previous.end),)), (candidate.start, candidate.end))
            confidence = max(previous.confidence, candidate.confidence)
            joined[-1] = Candidate("quote", previous.start, candidate.end, previous.attributes, confidence, parts)
        else:
            joined.append(candidate)
    return joined


def _interrupted(body: str, first: Candidate, second: Candidate) -> bool:
    """Whether `second` continues `first` across their shared attribution, in the same sentence."""
    a, b = first.attributes, second.attributes
    cue = a.get("cue_span")
    if not (a.get("quote_type") == b.get("quote_type") == "direct") or not cue or cue != b.get("cue_span"):
        return False
    if a.get("speaker") != b.get("speaker") or a.get("speaker_span") != b.get("speaker_span"):
        return False
    if not first.end <= cue[0] < cue[1] <= second.start:
        return False
    between = body[first.end : second.start]
    for span in (cue, a.get("speaker_span")):
        if span and first.end <= span[0] and span[1] <= second.start:
            between = between.replace(body[span[0] : span[1]], " ", 1)
    stripped = between.strip(PADDING + "\"“”„«»‘’'")
    words = WORD.findall(between)
    continues = stripped.endswith(CONTINUES) and not body[first.start : first.end].rstrip().endswith(TERMINAL)
    return continues and len(words) <= MAX_WORDS_BETWEEN and not _sentence_end(between)


def _sentence_end(text: str) -> bool:
    return any(mark in text for mark in ".?!\n")


def _copy(value: object) -> object:
    return list(value) if isinstance(value, list) else value


class QuoteReader(DirectQuotes, IndirectQuotes):
    """One article read for its quotes, unit by unit."""

    def quotes(self) -> list[Candidate]:
        for unit_start, unit_end, segments in self._units():
            check_time_budget()
            if not self._is_prose(unit_start, unit_end, segments):
                continue
            self._quoted(unit_start, unit_end, segments)
            self._reported(unit_start, unit_end, segments)
        self.candidates.sort(key=lambda c: (c.start, c.end))
        return self.candidates

    def _is_prose(self, unit_start: int, unit_end: int, segments: list[Segment]) -> bool:
        """A unit the rules read: no longer, and with no more cues or quotations, than news prose has."""
        return (
            unit_end - unit_start <= MAX_UNIT_LENGTH
            and len(segments) <= MAX_PER_UNIT
            and len(self._cues_in(unit_start, unit_end)) <= MAX_PER_UNIT
        )

    def _units(self) -> list[tuple[int, int, list[Segment]]]:
        """Runs of sentences joined by the quotes that cross them, with the quotes inside each run."""
        units = []
        seg_index = 0
        index = 0
        while index < len(self.sentences):
            first = self.sentences[index]
            last_index = index
            segs = []
            while seg_index < len(self.segments) and self.segments[seg_index].open < first.start:
                seg_index += 1
            while seg_index < len(self.segments) and self.segments[seg_index].open < self.sentences[last_index].end:
                seg = self.segments[seg_index]
                segs.append(seg)
                while last_index + 1 < len(self.sentences) and self.sentences[last_index].end < seg.close_end:
                    last_index += 1
                seg_index += 1
            units.append((first.start, self.sentences[last_index].end, segs))
            index = last_index + 1
        return units
