"""Direct and mixed quotes: the words between a pair of quotation marks.

A quote is attributed by the words right after it (`“…,” he said`, `“…,” said the minister`), or right before
it (`Smith said: “…”`, `…, saying, “…”`); only a speech verb (or a colon) introduces a direct quote. A quote
interrupted by its attribution gives two quotes, and a translation in parentheses after a quote shares its
speaker. Quotation marks inside a reported clause (`Putin said the plan was “dead on arrival”`) make the whole
clause one mixed quote, governed by the nearest speech verb before it. A short quoted phrase with no reporting
verb is a scare quote and is passed over; a longer one with no attribution continues the quote before it, or
takes the person who opens the sentence before it, else the speaker of the previous quote nearby.
"""

from __future__ import annotations

import bisect

from annotator.suggestions.attribution import NO_ONE, Attribution
from annotator.suggestions.clauses import ReportedClauses
from annotator.suggestions.cues import SPEECH
from annotator.suggestions.lexicon import DETERMINERS
from annotator.suggestions.marks import Segment
from annotator.suggestions.text import PADDING, trim, without_final_stop
from annotator.suggestions.tokens import WORD, norm

TERMINAL = ".?!…"


class DirectQuotes(ReportedClauses):
    """The quotes in quotation marks of an article, with their attributions."""

    def __init__(self, body: str) -> None:
        super().__init__(body)
        self._last_direct: tuple[Segment, Attribution] | None = None  # the last attributed direct quote

    def _quoted(self, unit_start: int, unit_end: int, segments: list[Segment]) -> None:
        """The direct and mixed quotes of one unit, in the order of their marks."""
        mixed_clauses: set[tuple[int, int]] = set()
        previous: Attribution | None = None  # the attribution of the direct quote just before, if any
        for number, seg in enumerate(segments):
            gap_before = (segments[number - 1].close_end if number else unit_start, seg.open)
            gap_after = (seg.close_end, segments[number + 1].open if number + 1 < len(segments) else unit_end)
            if previous is not None and self.body[gap_before[0] : gap_before[1]].strip(PADDING) == "(":
                # `«On ne lâchera rien» (“We will not give an inch”), he told …`: a translation, same speaker.
                self._emit(seg.start, seg.end, "direct", previous, seg.open)
                continue
            previous = None
            if number + 1 < len(segments) and self.body[gap_after[0] : gap_after[1]].strip(PADDING) == "(":
                translation = segments[number + 1]
                gap_after = (
                    translation.close_end,
                    segments[number + 2].open if number + 2 < len(segments) else unit_end,
                )
            attribution = self._trailing(seg, gap_after) or self._leading(seg, gap_before)
            if attribution is not None:
                self._emit(seg.start, seg.end, "direct", attribution, seg.open)
                previous = attribution
                self._last_direct = (seg, attribution)
                continue
            clause = self._mixed_clause(seg, unit_start, unit_end, segments)
            if clause is not None:
                span, attribution = clause
                if span not in mixed_clauses:
                    mixed_clauses.add(span)
                    self._emit(*span, "mixed", attribution, span[0])
                continue
            if self._is_scare_quote(seg, gap_before):
                continue
            attribution = self._shared(seg) or self._colon_before(seg)
            if attribution is not None:
                self._last_direct = (seg, attribution)
            else:
                attribution = self._inherited(seg)
            self._emit(seg.start, seg.end, "direct", attribution, seg.open)
            previous = attribution

    def _trailing(self, seg: Segment, gap: tuple[int, int]) -> Attribution | None:
        """`“…,” he said` / `“…,” said the minister` / `“…” Smith, a spokesman, told reporters`."""
        cue = self._first_cue(*gap)
        if cue is None:
            return None
        between = self.body[gap[0] : cue.start]
        if not between.strip(PADDING + ",—–-)"):
            # Inverted: the speaker follows the cue.
            mention = self._subject_after(cue.end, gap[1])
            if mention is None and cue.verb != "according to":
                return None
            if cue.verb == "according to" and mention is None:
                return None
            return self._attribute(cue, mention)
        # `“Q” he said` needs punctuation between quote and attribution, inside the marks or after them.
        separated = between.lstrip(PADDING + ")").startswith((",", "—", "–"))
        if not separated and not self.body[seg.start : seg.end].endswith((",", "?", "!", "—", "…", ".")):
            return None
        mention = self._subject_before(cue.start, gap[0])
        if mention is None or len(WORD.findall(between)) > 12:
            return None
        lead = self.body[gap[0] : mention.start].strip(PADDING).lstrip(",—–-)" + PADDING)
        if lead and not _is_apposition_lead(lead):
            return None  # other words stand between the quote and the speaker: not this quote's attribution
        return self._attribute(cue, mention)

    def _leading(self, seg: Segment, gap: tuple[int, int]) -> Attribution | None:
        """`Smith said: “…”` / `he told reporters, “…”` / `…, saying, “…”`."""
        cue = self._last_cue(*gap)
        if cue is None:
            return None
        after = self.body[cue.end : seg.open]
        stripped = after.strip(PADDING)
        if stripped and stripped[-1] not in ",:—–" and cue.verb != "according to":
            return None
        if cue.verb not in SPEECH and cue.verb != "according to" and not stripped.endswith(":"):
            return None  # `had shown 'genuine remorse'`: a verb that reports no words gives no direct quote
        if len(WORD.findall(after)) > 8:
            return None
        if cue.verb == "according to":
            mention = self._source_after(cue.end, seg.open)
            return self._attribute(cue, mention) if mention else None
        return self._attribute(cue, self._speaker_of(cue, gap[0]))

    def _mixed_clause(
        self, seg: Segment, unit_start: int, unit_end: int, segments: list[Segment]
    ) -> tuple[tuple[int, int], Attribution] | None:
        """A quoted fragment inside a clause reported by a cue of the same sentence: the clause is the quote."""
        sentence = self._sentence_at(seg.open)
        if sentence is None:
            return None
        low = max(unit_start, sentence.start)
        # The nearest speech verb governs the clause (`MacLeod said the decision showed that Scotland was
        # "open for business"`: said, not showed); else the nearest cue.
        free = [c for c in self._cues_in(low, seg.open) if not self._inside_segment(c.start, segments)]
        cue = next((c for c in reversed(free) if c.verb in SPEECH), free[-1] if free else None)
        if cue is not None:
            start = self._clause_start(cue, seg.open)
            end = self._clause_end(seg.close_end, unit_end, segments, mixed=True)
            if start < end and start <= seg.open:
                self.used_cues.add(cue.start)
                mention = self._speaker_of(cue, low)
                return (start, end), self._resolve(cue, mention)
            return None
        # `Their “official mission” is to deter Russia, he said.`: the attribution closes the sentence.
        tail = self._tail_attribution(seg.close_end, unit_end, segments)
        if tail is None:
            return None
        cue, mention, clause_end = tail
        start, end = trim(self.body, low, clause_end)
        end = without_final_stop(self.body, start, end)
        if start < end:
            self.used_cues.add(cue.start)
            return (start, end), self._resolve(cue, mention)
        return None

    def _is_scare_quote(self, seg: Segment, gap_before: tuple[int, int]) -> bool:
        """One to three quoted words inside a sentence, with no reporting verb to attribute them."""
        words = WORD.findall(self.body[seg.start : seg.end])
        if seg.single and len(words) < 6:
            return True
        starts_sentence = not self.body[gap_before[0] : seg.open].strip(PADDING + "—–-(")
        sentence = self._sentence_at(seg.open)
        if (
            sentence is not None
            and seg.open > sentence.start
            and self.body[sentence.start : seg.open].strip(PADDING + "—–-(:")
        ):
            starts_sentence = False
        ends_like_speech = self.body[seg.start : seg.end][-1:] in TERMINAL + ",—"
        if len(words) <= 3:
            return True
        if starts_sentence and (ends_like_speech or len(words) >= 5):
            return False
        return len(words) < 8 or not ends_like_speech

    def _shared(self, seg: Segment) -> Attribution | None:
        """The attribution of the quote before, when this one continues it: the next sentence of the same
        paragraph with only that attribution between them (`“…,” Nowak admitted. “But this group…”`), or the
        next paragraph of a quote that runs on (its first paragraph has no closing mark)."""
        if self._last_direct is None:
            return None
        before, attribution = self._last_direct
        if attribution.cue is None:
            return None
        paragraph = self._paragraph_index(seg.open)
        if self._paragraph_index(before.open) == paragraph:
            between = self.body[before.close_end : seg.open]
            for span in (attribution.cue, attribution.mention):
                if span is not None and before.close_end <= span.start and span.end <= seg.open:
                    between = between.replace(self.body[span.start : span.end], " ", 1)
            if len(WORD.findall(between)) <= 3 and between.strip(PADDING)[-1:] in {".", "!", "?", ""}:
                return attribution
            return None
        runs_on = before.close_end == self.paragraphs[paragraph - 1][1] and before.close == before.close_end
        if runs_on and paragraph - self._paragraph_index(before.open) == 1:
            return attribution
        return None

    def _colon_before(self, seg: Segment) -> Attribution | None:
        """A quote whose paragraph or sentence is announced by the one before it: `Smith said:` ¶ `“…”`."""
        index = bisect.bisect_right(self.sentence_starts, seg.open) - 1
        if index < 1 or self.sentences[index].start != seg.open:
            return None
        previous = self.sentences[index - 1]
        text = self.body[previous.start : previous.end]
        if not text.endswith(":"):
            return None
        cue = self._last_cue(previous.start, previous.end)
        if cue is None:
            return None
        return self._attribute(cue, self._speaker_of(cue, previous.start))

    def _inherited(self, seg: Segment) -> Attribution:
        """The speaker of the last quote, when it is in the same or the previous paragraph, or the person who
        opens the sentence before the quote in its paragraph (`O'Brien did not hide his disappointment. “…”`)."""
        paragraph = self.paragraphs[self._paragraph_index(seg.open)]
        subject = self.cast.subject_before(seg.open, paragraph[0])
        last = self.cast.last_speaker(seg.open)
        if subject is not None and (last is None or last[0] < paragraph[0]):
            return Attribution(None, None, subject)
        if last is not None and self._paragraph_index(seg.open) - self._paragraph_index(last[0]) <= 1:
            return Attribution(None, None, last[1])
        return Attribution(None, None, NO_ONE)


def _is_apposition_lead(text: str) -> bool:
    """`the company's chief operating officer,` before a named speaker: a description and its comma."""
    words = text.split()
    return text.endswith(",") and len(words) <= 8 and norm(words[0]) in DETERMINERS | {"another", "one"}
