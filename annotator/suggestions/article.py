"""An article body laid out for the quote rules: its sentences, paragraphs, tokens, cues, quoted stretches and
the people it names, with look-ups by offset (binary searches over sorted starts)."""

from __future__ import annotations

import bisect
import re

from annotator.suggestions.cues import CUE, NOUN_LIKE_CUES, Cue, cue_of
from annotator.suggestions.lexicon import (
    COLLECTIVE_NOUNS,
    CORE_ORGANISATION_HEADS,
    EVIDENCE_NOUNS,
    NOUN_DETERMINERS,
    ROLE_NOUNS,
    VERB_MARKERS,
)
from annotator.suggestions.marks import Segment, quoted_segments
from annotator.suggestions.phrases import is_pronoun
from annotator.suggestions.speakers import Cast
from annotator.suggestions.text import Sentence, paragraphs, sentences
from annotator.suggestions.tokens import is_adverb, is_capitalised, norm, tokenize

PREVIOUS_WORD = re.compile(r"([A-Za-z]+)\s+$")


class ArticleText:
    """One body, cut up once; the quote rules read it through the look-ups below."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.sentences = sentences(body)
        self.sentence_starts = [s.start for s in self.sentences]
        self.paragraphs = paragraphs(body)
        self.paragraph_starts = [start for start, _ in self.paragraphs]
        self.tokens = tokenize(body)
        self.token_starts = [t[0] for t in self.tokens]
        self.cast = Cast(body, self.tokens)
        self.cues = [
            cue_of(m)
            for m in CUE.finditer(body)
            if not _after_determiner(body, m.start())
            and (m.group() not in NOUN_LIKE_CUES or self._after_speaker_like(m.start()))
        ]
        self.cue_starts = [c.start for c in self.cues]
        self.cue_starts_set = set(self.cue_starts)
        self.segments = [seg for start, end in self.paragraphs for seg in quoted_segments(body, start, end)]
        self.segment_opens = [seg.open for seg in self.segments]

    def _after_speaker_like(self, position: int) -> bool:
        """Before a word that may be a noun ("demand", "plans"): a pronoun, a known name, or a noun for people,
        an organisation or a source of findings ("the ministry plans", "polls show"), so that it is a verb."""
        at = bisect.bisect_left(self.token_starts, position)
        while at > 0 and (is_adverb(self.tokens[at - 1][2]) or self.tokens[at - 1][2] in {"also", "now", "still"}):
            at -= 1
        if at == 0:
            return False
        word = self.tokens[at - 1][2]
        lowered = norm(word)
        if lowered in VERB_MARKERS:
            return True  # "to call", "can call", "is warning", "does not want": a verb
        if is_pronoun(word) or lowered in ROLE_NOUNS | CORE_ORGANISATION_HEADS | COLLECTIVE_NOUNS | EVIDENCE_NOUNS:
            return True
        if lowered.endswith("s") and lowered[:-1] in ROLE_NOUNS | CORE_ORGANISATION_HEADS | EVIDENCE_NOUNS:
            return True
        return is_capitalised(word) and self.cast.knows(word)

    def _tokens(self, low: int, high: int) -> list[tuple[int, int, str]]:
        """Tokens that lie within [low, high)."""
        first = bisect.bisect_left(self.token_starts, low)
        last = bisect.bisect_left(self.token_starts, high, first)
        while last > first and self.tokens[last - 1][1] > high:
            last -= 1
        return self.tokens[first:last]

    def _cues_in(self, low: int, high: int) -> list[Cue]:
        return self.cues[bisect.bisect_left(self.cue_starts, low) : bisect.bisect_left(self.cue_starts, high)]

    def _first_cue(self, low: int, high: int) -> Cue | None:
        found = self._cues_in(low, high)
        return found[0] if found else None

    def _last_cue(self, low: int, high: int) -> Cue | None:
        found = self._cues_in(low, high)
        return found[-1] if found else None

    def _sentence_at(self, position: int) -> Sentence | None:
        index = bisect.bisect_right(self.sentence_starts, position) - 1
        return self.sentences[index] if index >= 0 else None

    def _paragraph_index(self, position: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, position) - 1

    @staticmethod
    def _inside_segment(position: int, segments: list[Segment]) -> bool:
        return any(seg.open <= position < seg.close_end for seg in segments)

    def _in_quotation(self, position: int) -> bool:
        at = bisect.bisect_right(self.segment_opens, position) - 1
        return at >= 0 and position < self.segments[at].close_end


def _after_determiner(body: str, position: int) -> bool:
    """A cue word right after an article or possessive is a noun: "the plan", "a report", "his claims"."""
    match = PREVIOUS_WORD.search(body, max(0, position - 12), position)
    return match is not None and match.group(1).lower() in NOUN_DETERMINERS
