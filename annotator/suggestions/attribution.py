"""Attribution: who said it, and with which cue. The speaker of a cue is the noun phrase before it (`Putin has
also said`, `Smith, a spokesman for the ministry, said`), after it (`said the minister`, `according to
officials`), or the subject of the sentence (`…, adding that`); an attribution may close its sentence (`…, he
said on Monday.`). A found quote becomes a candidate here, with a confidence from its attribution.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from annotator.suggestions.article import ArticleText
from annotator.suggestions.base import Candidate
from annotator.suggestions.cues import OBJECT_VERBS, Cue
from annotator.suggestions.lexicon import AUXILIARIES, OBJECT_PRONOUNS, PREPOSITIONS, TIME_WORDS, WHEN_WORDS
from annotator.suggestions.marks import Segment
from annotator.suggestions.phrases import NP_STOPS, Mention, noun_phrase_after, noun_phrase_before
from annotator.suggestions.speakers import Resolution
from annotator.suggestions.text import PADDING, trim
from annotator.suggestions.tokens import WORD, is_adverb, is_capitalised, norm

BOUNDARY = re.compile(r"[,;.?!:—–]")
NO_ONE = Resolution("", False)


@dataclass(slots=True)
class Attribution:
    """The cue, the speaker's mention and who that is, of one quote."""

    cue: Cue | None
    mention: Mention | None
    speaker: Resolution = NO_ONE


class Attributor(ArticleText):
    """The speakers and cues of an article's quotes, and the quotes found so far as candidates."""

    def __init__(self, body: str) -> None:
        super().__init__(body)
        self.candidates: list[Candidate] = []
        self.used_cues: set[int] = set()
        self.covered: list[tuple[int, int]] = []  # spans already given to a quote
        self._tails: dict[tuple, tuple[Cue, Mention | None, int] | None] = {}

    def _tail_attribution(
        self, after: int, high: int, segments: list[Segment], cue: Cue | None = None, low: int | None = None
    ) -> tuple[Cue, Mention | None, int] | None:
        """An attribution that ends its sentence: `…, he said.`, `…, said the minister on Monday.`."""
        if cue is None:  # depends on the cues used so far: not remembered
            return self._find_tail_attribution(after, high, cue, low)
        key = (after, high, cue.start, low)
        if key not in self._tails:
            self._tails[key] = self._find_tail_attribution(after, high, cue, low)
        return self._tails[key]

    def _find_tail_attribution(
        self, after: int, high: int, cue: Cue | None, low: int | None
    ) -> tuple[Cue, Mention | None, int] | None:
        body = self.body
        cues = [cue] if cue is not None else [c for c in self._cues_in(after, high) if c.start not in self.used_cues]
        for candidate in cues:
            if candidate.verb == "according to":
                continue
            start = low if low is not None else after
            rest = body[candidate.end : high]
            if candidate.verb in OBJECT_VERBS:
                # `…, he told me on Friday, …`: the object of the verb belongs to the attribution.
                tokens = self._tokens(candidate.end, min(high, candidate.end + 80))
                if tokens and tokens[0][2] in OBJECT_PRONOUNS:
                    rest = body[tokens[0][1] : high]
                else:
                    obj = noun_phrase_after(body, tokens, 0) if tokens else None
                    if obj is not None and len(obj.text.split()) <= 4:
                        rest = body[obj.end : high]
            mention = self._subject_before(candidate.start, start)
            if mention is not None:
                lead_end = self._end_before(mention.start)
                if (
                    only_trailing_words(rest)
                    and body[lead_end - 1 : lead_end] in {",", "—", "–", "”", '"'}
                    and len(WORD.findall(body[mention.start : candidate.start])) <= 10
                ):
                    return candidate, mention, lead_end - 1
                continue
            if body[candidate.start : candidate.end].endswith("ing"):
                continue  # `…, adding that NATO members …` is no inverted attribution
            mention = self._subject_after(candidate.end, high)
            lead_end = self._end_before(candidate.start)
            if (
                mention is not None
                and body[lead_end - 1 : lead_end] in {",", "—", "–"}
                and only_trailing_words(body[mention.end : high])
            ):
                return candidate, mention, lead_end - 1
        return None

    def _end_before(self, position: int) -> int:
        """The end of the text before `position`, past whitespace."""
        while position > 0 and self.body[position - 1] in PADDING:
            position -= 1
        return position

    def _speaker_of(self, cue: Cue, low: int) -> Mention | None:
        """The speaker of a cue: its subject; after a comma the speaker that follows (`, said Smith`); for
        `…, saying` and `… and said` the subject of the clause before it."""
        mention = self._subject_before(cue.start, low)
        if mention is not None:
            return mention
        tokens = self._tokens(low, cue.start)
        index = _skip_back(tokens, len(tokens) - 1)
        previous = tokens[index][2] if index >= 0 else ""
        participle = self.body[cue.start : cue.end].endswith("ing")
        if not participle and previous in {"", ",", "—", "–", ":", "“", "”", '"', "(", "''"}:
            mention = self._subject_after(cue.end, min(len(self.body), cue.end + 160))
            if mention is not None:
                return mention
        if participle or previous.lower() in {",", "and", "but", "then", "or", "before", "after", "—", "–"}:
            # The subject of the sentence's main verb, past any quotation in between (`Reyes said 'the rules are
            # unclear' and warned that …`).
            sentence = self._sentence_at(cue.start)
            first = min(low, sentence.start) if sentence is not None else low
            for other in reversed(self._cues_in(first, cue.start)):
                if self._in_quotation(other.start):
                    continue
                found = self._subject_before(other.start, first) or self._subject_after(other.end, cue.start)
                if found is not None:
                    return found
            return self._sentence_subject(first, cue.start)
        return None

    def _sentence_subject(self, low: int, high: int) -> Mention | None:
        """The first noun phrase of a sentence, past a dateline ("STOCKHOLM —") and an opening adverbial."""
        tokens = self._tokens(low, high)
        index = 0
        for position, (_, _, word) in enumerate(tokens[:8]):
            if word in {"—", "–", "-", "―"} and all(
                not t[2][:1].isalpha() or t[2].isupper() or t[2] in {"Reuters", "AP", "AFP"} for t in tokens[:position]
            ):
                index = position + 1
                break
        if index < len(tokens) and norm(tokens[index][2]) in PREPOSITIONS | {"on", "in", "at", "last", "earlier"}:
            comma = next((i for i in range(index, min(index + 10, len(tokens))) if tokens[i][2] == ","), None)
            if comma is not None:
                index = comma + 1
        return noun_phrase_after(self.body, tokens, index)

    def _subject_before(self, position: int, low: int) -> Mention | None:
        """The noun phrase that ends right before a cue, past auxiliaries, adverbs and a parenthesis:
        `Putin has also said`, `Sen. Claire McCaskill (D-Mo.) said`, `Smith, a spokesman for the ministry, said`."""
        tokens = self._tokens(max(low, position - 240), position)
        index = _skip_back(tokens, len(tokens) - 1)
        if index < 0:
            return None
        delimiter = tokens[index][2]
        if delimiter in {",", "—", "–"}:
            # An apposition: `Smith, a spokesman for the ministry, said` / `The minister — who took office in
            # May — told AFP`.
            back = index - 1
            while back >= 0 and index - back < 24:
                word = tokens[back][2]
                if word == ")":
                    back = _opening_parenthesis(tokens, back)
                elif word == delimiter:
                    outer = noun_phrase_before(self.body, tokens, _skip_back(tokens, back - 1))
                    inner = noun_phrase_before(self.body, tokens, index - 1)
                    # `The opposition spokesperson, Helen Marsh, said`: the name in the apposition.
                    if (
                        inner is not None
                        and inner.start <= tokens[back + 1][0]
                        and is_capitalised(inner.text.split()[-1])
                        and (outer is None or not is_capitalised(outer.text.split()[-1]))
                    ):
                        return inner
                    return outer
                elif word in {".", ";", "“", "”", '"', ":", "—"}:
                    break
                back -= 1
            return None
        return noun_phrase_before(self.body, tokens, index)

    def _source_after(self, position: int, high: int) -> Mention | None:
        """What follows "according to": a noun phrase, or whatever stands before the next comma or stop."""
        mention = self._subject_after(position, high)
        if mention is not None:
            return mention
        tokens = self._tokens(position, min(high, position + 160))
        last = None
        for index, (_, _, word) in enumerate(tokens):
            if word in NP_STOPS or index >= 10:
                break
            last = index
        if last is None:
            return None
        start, end = tokens[0][0], tokens[last][1]
        return Mention(start, end, self.body[start:end])

    def _subject_after(self, position: int, high: int) -> Mention | None:
        """The noun phrase right after a cue: `said the minister`, `according to officials`."""
        tokens = self._tokens(position, min(high, position + 200))
        index = 0
        while index < len(tokens) and norm(tokens[index][2]) in TIME_WORDS:
            index += 1
        return noun_phrase_after(self.body, tokens, index)

    def _attribute(self, cue: Cue, mention: Mention | None) -> Attribution:
        self.used_cues.add(cue.start)
        return self._resolve(cue, mention)

    def _resolve(self, cue: Cue, mention: Mention | None) -> Attribution:
        if mention is None:
            return Attribution(cue, None, NO_ONE)
        return Attribution(cue, mention, self.cast.resolve(mention))

    def _emit(
        self, start: int, end: int, quote_type: str, attribution: Attribution, position: int, *, stance: bool = False
    ) -> None:
        """Record a quote as a candidate, surer with a cue and a named speaker (see quotes.py)."""
        start, end = trim(self.body, start, end)
        if start >= end:
            return
        cue = attribution.cue
        mention = attribution.mention
        confidence = {"direct": 0.7, "mixed": 0.6, "indirect": 0.5}[quote_type]
        if cue is not None:
            confidence += 0.1
        if attribution.speaker.named:
            confidence += 0.15
        elif not attribution.speaker.speaker:
            confidence -= 0.2
        if stance:
            confidence -= 0.15  # "cited …", "called for …": a stance, no words reported
        self.candidates.append(
            Candidate(
                kind="quote",
                start=start,
                end=end,
                attributes={
                    "speaker": attribution.speaker.speaker,
                    "speaker_span": [mention.start, mention.end] if mention else None,
                    "cue_span": [cue.start, cue.end] if cue else None,
                    "quote_type": quote_type,
                },
                confidence=round(min(confidence, 0.95), 2),
            )
        )
        bisect.insort(self.covered, (start, end))
        if attribution.speaker.speaker:
            self.cast.speaker_said(position, attribution.speaker)

    def _overlaps_covered(self, start: int, end: int) -> bool:
        at = bisect.bisect_left(self.covered, (end, end))
        return any(s < end and start < e for s, e in self.covered[max(0, at - 8) : at])


def _skip_back(tokens: list[tuple[int, int, str]], index: int) -> int:
    """The index of the last token before `index` (included) that is not an auxiliary, adverb or parenthesis."""
    while index >= 0:
        word = tokens[index][2]
        if word == ")":
            index = _opening_parenthesis(tokens, index) - 1
        elif norm(word) in AUXILIARIES or is_adverb(word):
            index -= 1
        elif norm(word) in WHEN_WORDS:
            # `Brenner on Wednesday defended …`, `the ministry last week said …`
            index -= 1
            if index >= 0 and norm(tokens[index][2]) in {"on", "last", "this", "next", "early", "late", "earlier"}:
                index -= 1
        else:
            break
    return index


def _opening_parenthesis(tokens: list[tuple[int, int, str]], index: int) -> int:
    """The index of the "(" that the ")" at `index` closes (or `index` itself when none is near)."""
    for back in range(index - 1, max(-1, index - 12), -1):
        if tokens[back][2] == "(":
            return back
    return index


def only_trailing_words(text: str) -> bool:
    """What may follow an attribution that closes a clause: a time, a place or a medium, then the full stop,
    or a comma and more (`…, the WHO said on Thursday, warning that …`)."""
    stripped = text.strip(PADDING)
    if not stripped or stripped[0] in ",;(—–":
        return True
    words = WORD.findall(stripped)
    if words and norm(words[0]) not in TIME_WORDS | PREPOSITIONS:
        return False
    boundary = BOUNDARY.search(stripped)
    return boundary is not None and len(WORD.findall(stripped[: boundary.start()])) <= 8
