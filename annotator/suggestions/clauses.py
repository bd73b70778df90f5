"""Reported clauses: where the words a cue reports start and end. A clause starts past the cue's object,
adverbials, a comma or colon and "that" (`told reporters on Friday that …`); it ends with its sentence, or
at the comma before a next attribution, without its final full stop."""

from __future__ import annotations

import re

from annotator.suggestions.attribution import Attributor
from annotator.suggestions.cues import OBJECT_VERBS, SPEECH, STANCE, Cue
from annotator.suggestions.lexicon import PREPOSITIONS, TIME_WORDS
from annotator.suggestions.marks import Segment
from annotator.suggestions.phrases import Mention, noun_phrase_after
from annotator.suggestions.text import PADDING, trim, without_final_stop
from annotator.suggestions.tokens import norm

THAT_OR_COLON = re.compile(r"(?:that|:)(?![\w’'])")

FEELING_THAT = re.compile(
    r"(?:(?:his|her|their|its|the|deep|grave|serious|strong)\s+)?(?:regret|concern|concerns|hope|fear|fears|"
    r"view|belief|confidence|doubt|doubts|worry|worries|optimism|frustration|disappointment|anger|alarm|surprise|"
    r"satisfaction|confidence)\s+(?=that\b)"
)

COORDINATED = re.compile(r"(?:[,;]\s*|\s)(?:and|but|while|whereas)$")


class ReportedClauses(Attributor):
    """The bounds of the clauses that an article's cues report."""

    def _comma_before(self, cue: Cue, mention: Mention | None, low: int) -> int:
        edge = cue.start
        if mention is not None and mention.end <= cue.start:
            edge = mention.start
        return len(self.body[low:edge].rstrip(PADDING + ",—–-")) + low

    def _clause_start(self, cue: Cue, high: int) -> int:
        """Where the reported clause starts: past the cue's object, adverbials, a comma or colon and "that"."""
        position = self._skip_to_that(cue, high)
        feeling = FEELING_THAT.match(self.body, position, high)
        if feeling:
            position = feeling.end()  # `expressed regret that …`, `voiced concern that …`
        match = THAT_OR_COLON.match(self.body, position, high)
        if match:
            position = match.end()
        start, _ = trim(self.body, position, high)
        return start

    def _skip_to_that(self, cue: Cue, high: int) -> int:
        body = self.body
        tokens = self._tokens(cue.end, min(high, cue.end + 200))
        index = 0
        if cue.verb in OBJECT_VERBS and index < len(tokens) and tokens[index][2] != "that":
            mention = noun_phrase_after(body, tokens, index)
            if mention is not None:
                while index < len(tokens) and tokens[index][0] < mention.end:
                    index += 1
                if index >= len(tokens) or tokens[index][2] in {".", "!", "?", ";"}:
                    index = 0  # nothing after the object: the object is what is reported ("criticized the plan")
            elif any(t[2] == "that" for t in tokens[1:4]):
                # "telling parliament that …", "told Reuters news agency that …"
                that = next(i for i in range(1, 4) if tokens[i][2] == "that")
                if all(t[2][:1].isalpha() for t in tokens[:that]):
                    index = that
        while index < len(tokens):
            word = norm(tokens[index][2])
            if word in TIME_WORDS or tokens[index][2] == ",":
                index += 1
            elif word in PREPOSITIONS:
                ahead = next(
                    (j for j in range(index + 1, min(index + 8, len(tokens))) if tokens[j][2] in {",", "that", ":"}),
                    None,
                )
                if ahead is None:
                    break
                index = ahead
            else:
                break
        return tokens[index][0] if index < len(tokens) else high

    def _clause_end(self, position: int, high: int, segments: list[Segment], *, mixed: bool) -> int:
        """The end of a reported clause: its sentence's end, or the comma before a next attribution."""
        body = self.body
        end = high
        for cue in self._cues_in(position, high):
            if self._inside_segment(cue.start, segments):
                continue
            mention = self._subject_before(cue.start, position)
            edge = mention.start if mention is not None else cue.start
            lead = body[position:edge].rstrip(PADDING)
            if lead.endswith((",", "—", "–", ";")):
                end = len(lead) - 1 + position
                break
            # `… in 2025, and she predicted that …`, `… "responsible" and vowed to …`: a second attribution
            # ends the first clause.
            joined = COORDINATED.search(lead, _before_last_word(lead))
            if joined is not None and (mention is not None or cue.verb in STANCE | SPEECH):
                end = joined.start() + position
                break
        start, end = trim(body, position, end)
        if not mixed:
            for seg in segments:
                if start < seg.open < end:
                    end = seg.open
            start, end = trim(body, start, end)
        end = without_final_stop(body, start, end)
        return end


def _before_last_word(text: str) -> int:
    """Where the separator before a text's last word starts: `COORDINATED`, anchored at the end, is searched
    from there rather than tried at every position of the text."""
    position = len(text)
    while position > 0 and not text[position - 1].isspace() and text[position - 1] not in ",;":
        position -= 1
    while position > 0 and text[position - 1].isspace():
        position -= 1
    return max(0, position - 1)
