"""Indirect quotes: a reporting verb with no quotation marks, and the clause it reports.

`X said (that) …`, `X told reporters (that) …`, `…, X said.` (an attribution that closes its sentence governs
the whole clause before it), `…, Mr. Clarke said, …` (both halves), `according to X, …`, `…, adding that …`,
and, with lower confidence, stance verbs with a noun-phrase object (`Clinton cited derogatory comments …`,
`called for new tariffs`) when a person or organisation holds them: PolNeAR counts those as attributions, our
gold guidelines (tests/data/README.md) do not, so they are offered as the least sure suggestions, and never
with an infinitive (`urged both sides to return to talks`, `vowed to keep …`).
"""

from __future__ import annotations

import re

from annotator.suggestions.attribution import only_trailing_words
from annotator.suggestions.clauses import ReportedClauses
from annotator.suggestions.cues import SPEECH, STANCE, THOUGHT_VERBS, Cue
from annotator.suggestions.lexicon import DETERMINERS, NOT_CONTINUATIONS, PRONOUNS
from annotator.suggestions.marks import Segment
from annotator.suggestions.phrases import Mention, is_agent
from annotator.suggestions.text import PADDING, after_dateline, trim, without_final_stop
from annotator.suggestions.tokens import TOKEN, WORD, is_capitalised, norm

AND_BEFORE = re.compile(r"\b(?:and|but)\s+$")
THAT = re.compile(r"that\b")
PROGRESSIVE = re.compile(r"\b(?:is|are|was|were|be|been|am|'s|’s)\s+(?:\w+ly\s+)?$")
APPOSITION = re.compile(r"\s*(?:the|a|an)\s+[^,.;:]{1,60}?,")


class IndirectQuotes(ReportedClauses):
    """The reported clauses of an article that no quotation marks enclose."""

    def _reported(self, unit_start: int, unit_end: int, segments: list[Segment]) -> None:
        """The indirect quotes of one unit, from the cues its direct and mixed quotes left unused."""
        cues = [
            cue
            for cue in self._cues_in(unit_start, unit_end)
            if cue.start not in self.used_cues and not self._inside_segment(cue.start, segments)
        ]
        # An attribution that closes its sentence governs the whole clause before it (`Leaders agreed on Friday
        # to open two crossings, the United Nations said.`): it goes first.
        closing = {cue.start for cue in cues if self._closes_sentence(cue, unit_end)}
        for cue in sorted(cues, key=lambda c: (c.start not in closing, c.start)):
            found = self._indirect(cue, unit_start, unit_end, segments)
            if found is None:
                continue
            (start, end), mention, stance = found
            if end - start < 2 or self._overlaps_covered(start, end):
                continue
            self.used_cues.add(cue.start)
            attribution = self._resolve(cue, mention)
            self._emit(start, end, "indirect", attribution, start, stance=stance)
            if end < cue.start:
                # `Too often, Mr. Clarke said, the debate …`: the clause goes on after the attribution.
                rest = self._continuation(cue, mention, unit_end, segments)
                if rest is not None and not self._overlaps_covered(*rest):
                    self._emit(*rest, "indirect", attribution, rest[0])

    def _closes_sentence(self, cue: Cue, unit_end: int) -> bool:
        sentence = self._sentence_at(cue.start)
        if sentence is None or cue.verb == "according to":
            return False
        high = min(unit_end, sentence.end)
        return self._tail_attribution(cue.start, high, [], cue=cue, low=sentence.start) is not None

    def _continuation(
        self, cue: Cue, mention: Mention | None, unit_end: int, segments: list[Segment]
    ) -> tuple[int, int] | None:
        """The rest of a clause that a mid-sentence attribution interrupts, after its comma."""
        sentence = self._sentence_at(cue.start)
        if sentence is None:
            return None
        high = min(unit_end, sentence.end)
        for seg in segments:
            if cue.end < seg.open < high:
                high = seg.open
        after = max(cue.end, mention.end if mention is not None else cue.end)
        comma = self.body.find(",", after, min(high, after + 40))
        if comma < 0 or not only_trailing_words(self.body[after:comma] + ","):
            return None
        start, end = trim(self.body, comma + 1, high)
        end = without_final_stop(self.body, start, end)
        first = TOKEN.match(self.body, start)
        if first is None or norm(first.group()) in NOT_CONTINUATIONS or first.start() in self.cue_starts_set:
            return None
        return (start, end) if len(WORD.findall(self.body[start:end])) >= 3 else None

    def _indirect(
        self, cue: Cue, unit_start: int, unit_end: int, segments: list[Segment]
    ) -> tuple[tuple[int, int], Mention | None, bool] | None:
        """The reported clause of a cue with no quotation marks, its speaker, and whether it is a stance's
        object rather than reported words."""
        body = self.body
        sentence = self._sentence_at(cue.start)
        if sentence is None:
            return None
        low = max(unit_start, sentence.start)
        high = min(unit_end, sentence.end)
        for seg in segments:  # the clause of an indirect quote stops at the next quotation
            if seg.open > cue.end and seg.open < high:
                high = seg.open
                break
            if seg.close_end <= cue.start and seg.close_end > low:
                low = seg.close_end
        before = body[low : cue.start]
        if cue.verb == "according to":
            mention = self._source_after(cue.end, high)
            if mention is None:
                return None
            if not before.strip(PADDING + ",—–-"):
                comma = body.find(",", mention.end, high)
                if comma < 0:
                    return None
                apposition = APPOSITION.match(body, comma + 1, high)
                if apposition:
                    comma = apposition.end() - 1  # `According to the Council of State, the … body, parts …`
                start, end = trim(body, comma + 1, high)
            else:
                start, end = trim(body, low, cue.start)
                while end > start and body[end - 1] in PADDING + ",—–-(":
                    end -= 1
            return (start, without_final_stop(body, start, end)), mention, False
        # `…, he said.` / `…, said the minister.`: the clause comes first.
        tail = self._tail_attribution(cue.start, high, segments, cue=cue, low=low)
        if tail is not None:
            _, mention, _ = tail
            start, end = trim(body, low, self._comma_before(cue, mention, low))
            start = after_dateline(body, start, end)
            if start < end:
                return (start, without_final_stop(body, start, end)), mention, False
            return None
        # "…, adding that" is a participle; "is demanding that" is a verb with its auxiliary.
        participle = (
            cue.verb != "according to"
            and body[cue.start : cue.end].endswith("ing")
            and not PROGRESSIVE.search(before, _last_words(before, 2))
        )
        if participle:
            # `…, adding that …`: the speaker is the subject of the sentence.
            if not before.rstrip(PADDING).endswith((",", "—", "–")):
                return None
            mention = self._speaker_of(cue, low)
        else:
            mention = self._subject_before(cue.start, low)
            if mention is None and AND_BEFORE.search(before, _last_words(before, 1)):
                mention = self._speaker_of(cue, low)  # `He claimed vast wealth and said …`
            if mention is None:
                return None
        start = self._clause_start(cue, high)
        if start >= high:
            return None
        follower = body[start:high]
        has_that = THAT.match(body, self._skip_to_that(cue, high), high) is not None
        reported = cue.verb in SPEECH or cue.verb in THOUGHT_VERBS
        stance = cue.verb in STANCE and not has_that and not (reported and _starts_clause(follower))
        if stance:
            # "Clinton cited derogatory comments …": the object is the content, when a speaker holds it.
            if mention is None or not is_agent(mention.text):
                return None
        elif not has_that and not _starts_clause(follower) and cue.verb not in {"say", "tell"}:
            return None
        end = self._clause_end(start, high, segments, mixed=False)
        start, end = trim(body, start, end)
        if len(WORD.findall(body[start:end])) < (2 if stance else 3):
            return None
        if stance and body.startswith("to ", start):
            return None  # "urged both sides to return to talks", "vowed to keep …": an intention, not words
        return (start, end), mention, stance


def _last_words(text: str, count: int) -> int:
    """Where the last `count` words of a text start (words split at white space), its padding past them.

    The patterns anchored at the end (`AND_BEFORE`, `PROGRESSIVE`) are searched from there: from the start,
    re tries every position of the text, and a sentence of many cues made that quadratic.
    """
    position = len(text)
    for _ in range(count):
        while position > 0 and text[position - 1].isspace():
            position -= 1
        while position > 0 and not text[position - 1].isspace():
            position -= 1
    return position


def _starts_clause(text: str) -> bool:
    """A reported clause without "that" starts with a subject: a pronoun, a determiner, a name or a number."""
    match = TOKEN.match(text)
    if not match:
        return False
    word = match.group()
    lowered = norm(word)
    return (
        lowered in PRONOUNS
        or lowered in DETERMINERS
        or lowered in {"there", "it", "this", "no", "nobody", "everyone", "nothing", "if", "when"}
        or is_capitalised(word)
        or word[:1].isdigit()
    )
