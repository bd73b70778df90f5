"""Quotes in news text: who said what, with which cue verb. Rules, no model, no database.

Direct quotes are the words between a pair of quotation marks (straight or curly double quotes, « » with or
without inner spaces, „ “ and „ ”, 「」, '' '', and single quotes outside double ones), found paragraph by
paragraph. Each is attributed by the words right after it (`“…,” he said`, `“…,” said the minister`), or right
before it (`Smith said: “…”`, `…, saying, “…”`); only a speech verb (or a colon) introduces a direct quote. A
quote interrupted by its attribution gives two quotes, and a translation in parentheses after a quote
(`«On ne lâchera rien» (“We will not give an inch”)`) shares its speaker. Quotation marks inside a reported
clause (`Putin said the plan was “dead on arrival”`) make the whole clause one mixed quote, governed by the
nearest speech verb before it. A reporting verb with no quotation marks gives an indirect quote: `X said
(that) …`, `X told reporters (that) …`, `…, X said.` (an attribution that closes its sentence governs the
whole clause before it), `…, Mr. Clarke said, …` (both halves), `according to X, …`, `…, adding that …`, and,
with lower confidence, stance verbs with a noun-phrase object (`Clinton cited derogatory comments …`, `called
for new tariffs`) when a person or organisation holds them: PolNeAR counts those as attributions, our gold
guidelines (tests/data/README.md) do not, so they are offered as the least sure suggestions, and never with an
infinitive (`urged both sides to return to talks`, `vowed to keep …`). A short quoted phrase with no reporting
verb (a title, a so-called term) is a scare quote and is passed over; a longer quotation that opens a sentence with no
attribution takes the person who opens the sentence before it, else the speaker of the previous quote when
that one is in the same or the previous paragraph. Speakers are resolved to one name per person or
organisation by `speakers.Cast`.

Span convention (the gold sets use it): a direct quote is the text inside the marks; an indirect quote is the
reported clause after the cue, without a leading "that" and the final full stop; a mixed quote is that clause
with its quotation marks. Offsets index the body as given: nothing is normalised. Confidence: 0.5 for an
indirect quote, 0.6 mixed, 0.7 direct; +0.1 with a cue, +0.15 with a speaker resolved to a name, -0.2 with no
speaker at all, -0.15 for a stance verb.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.suggestions.base import Candidate
from annotator.suggestions.speakers import (
    AUXILIARIES,
    COMMON_OPENERS,
    CORE_ORGANISATION_HEADS,
    DETERMINERS,
    ORGANISATION_HEADS,
    ORGANISATION_WORDS,
    PRONOUNS,
    ROLE_NOUNS,
    ROLE_OR_TITLE,
    TOKEN,
    Cast,
    Mention,
    Resolution,
    is_capitalised,
    norm,
    tokenize,
    word_list,
    word_set,
)
from annotator.suggestions.text import PADDING, Sentence, after_dateline, paragraphs, sentences, trim

# -- the cue lexicon ---------------------------------------------------------------------------------------------

# Verbs that report speech or writing; they introduce direct quotes as well as reported clauses.
SPEECH_VERBS = word_list(
    """
    say tell add state warn ask answer reply respond explain note write tweet post insist argue claim announce
    declare remark comment observe continue recall acknowledge admit concede confirm deny stress emphasize
    emphasise suggest predict promise vow pledge urge caution complain joke quip boast charge contend maintain
    assert allege exclaim shout yell scream whisper mutter recount testify report conclude agree counter wonder
    lament retort scoff plead demand threaten reveal disclose indicate estimate mention cite accuse blame
    criticize criticise praise reiterate repeat proclaim brag speculate hint recommend propose inform assure
    remind advise concur reason muse interject chime thunder rail rant fume snap gush marvel
    """
)
# Verbs of belief and finding: they report a clause but rarely a verbatim quotation.
THOUGHT_VERBS = word_list(
    """
    believe think feel know hope fear expect worry find show learn hear understand assume doubt realize realise
    recognize recognise reckon suspect imagine consider guess anticipate calculate forecast project want plan
    agree
    """
)
# Verbs of stance whose object is what the subject holds or asks for: "called for new tariffs", "cited a poll".
# They report no words, so they give indirect quotes of lower confidence, and only with a speaker-like subject.
STANCE_VERBS = word_list(
    """
    cite attack criticize criticise praise condemn support oppose reject propose demand blast defend question
    describe discuss pledge refuse decline welcome dismiss endorse slam applaud vow express recommend want seek
    favor favour call cite mention announce reveal recommend demand deny acknowledge confirm
    promise accuse blame urge echo liken laud hail tout decide offer lament ridicule mock denounce
    """
)
# Verbs whose object comes before the reported clause: "told reporters that …".
OBJECT_VERBS = word_set(
    """
    tell ask warn remind assure inform urge advise accuse blame promise caution criticize criticise praise thank
    """
)
IRREGULAR = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "written", "writing"),
    "think": ("think", "thinks", "thought", "thinking"),
    "find": ("find", "finds", "found", "finding"),
    "know": ("know", "knows", "knew", "known", "knowing"),
    "hear": ("hear", "hears", "heard", "hearing"),
    "feel": ("feel", "feels", "felt", "feeling"),
    "understand": ("understand", "understands", "understood", "understanding"),
    "show": ("show", "shows", "showed", "shown", "showing"),
    "learn": ("learn", "learns", "learned", "learnt", "learning"),
    "admit": ("admit", "admits", "admitted", "admitting"),
    "quip": ("quip", "quips", "quipped", "quipping"),
    "plan": ("plan", "plans", "planned", "planning"),
    "forecast": ("forecast", "forecasts", "forecasted", "forecasting"),
    "thunder": ("thunder", "thunders", "thundered", "thundering"),
    "snap": ("snap", "snaps", "snapped", "snapping"),
    "rant": ("rant", "rants", "ranted", "ranting"),
    "interject": ("interject", "interjects", "interjected", "interjecting"),
}
# "said" and friends as a participle after a comma ("…, saying …", "…, adding that …") take the sentence's speaker.
PARTICIPLE = re.compile(r"ing$")
PHRASES = {
    "according to": "according to",
    "pointed out": "point out",
    "points out": "point out",
    "point out": "point out",
    "pointing out": "point out",
    "called for": "call for",
    "calls for": "call for",
    "call for": "call for",
    "calling for": "call for",
    "called on": "call on",
    "calls on": "call on",
    "went on to say": "say",
    "made clear": "make clear",
    "makes clear": "make clear",
    "making clear": "make clear",
    "pointed to": "point to",
    "spoke of": "speak of",
    "speaks of": "speak of",
    "talked about": "talk about",
    "spoke about": "talk about",
}

# Headlines capitalise their verbs: "Clinton Hid Health Problems, Former Doctor Says".
HEADLINE_CUES = {"Says": "say", "Said": "say", "Warns": "warn", "Claims": "claim", "Tells": "tell", "Urges": "urge"}


def _forms(verb: str) -> tuple[str, ...]:
    if verb in IRREGULAR:
        return IRREGULAR[verb]
    if verb.endswith("e"):
        return verb, verb + "s", verb + "d", verb[:-1] + "ing"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"
    if verb.endswith(("sh", "ch", "ss", "x")):
        return verb, verb + "es", verb + "ed", verb + "ing"
    return verb, verb + "s", verb + "ed", verb + "ing"


def _lexicon() -> dict[str, str]:
    forms = {}
    for verb in STANCE_VERBS + THOUGHT_VERBS + SPEECH_VERBS:  # a verb in several lists counts as the last
        for form in _forms(verb):
            forms[form] = verb
    forms.update(PHRASES)
    forms.update(HEADLINE_CUES)
    return forms


CUE_FORMS = _lexicon()
SPEECH = set(SPEECH_VERBS) | {"point out", "call for", "call on", "make clear"}
STANCE = set(STANCE_VERBS) | {"call for", "call on", "want", "plan", "agree", "suggest", "point to", "speak of"}
STANCE |= {"talk about"}


def _trie_pattern(words: list[str]) -> str:
    """One regular expression for many words, shaped as a trie: Python's re tries alternatives one by one."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + pattern(child)
            for char, child in sorted(node.items())
            if char
        ]
        if not branches:
            return ""
        alternation = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{alternation})?" if "" in node else alternation

    return pattern(trie)


CUE = re.compile(r"(?<![\w’'-])(?:" + _trie_pattern(list(CUE_FORMS)) + r"|According\s+to)(?![\w’'-])")

# -- quotation marks ---------------------------------------------------------------------------------------------

PAIRS = {
    "“": ("”", "“"),
    "„": ("“", "”"),
    "«": ("»",),
    "「": ("」",),
    "『": ("』",),
    '"': ('"',),
    "''": ("''",),
    "``": ("''",),
    "‘": ("’", "'"),
    "'": ("'", "’"),
}
QUOTE_CHARACTER = re.compile(r"''|``|[\"“”„«»「」『』‘’']")
SINGLE = {"‘", "'", "’"}
TERMINAL = ".?!…"
LOWER_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
SPACES = re.compile(r"\s+")
VERB_MARKERS = word_set(
    "to can could will would should may might must do does did not never is are was were be been has have had"
)
EVIDENCE_NOUNS = word_set("poll survey study data figures report research analysis records documents video")
WHEN_WORDS = word_set(
    """
    monday tuesday wednesday thursday friday saturday sunday yesterday today tonight week month year weekend
    morning afternoon evening night
    """
)
# Cue words that are as often nouns ("electricity demand", "the plans"): a cue only after a speaker-like subject.
NOUN_LIKE_CUES = word_set(
    """
    demand demands plan plans report reports claim claims call calls hope hopes fear fears estimate estimates
    promise promises support supports question questions offer offers answer answers comment comments need
    needs cut cuts record records show shows want wants warning forecast forecasts charge charges post posts
    note notes reply replies state states
    """
)
AND_BEFORE = re.compile(r"\b(?:and|but)\s+$")
THAT = re.compile(r"that\b")
THAT_OR_COLON = re.compile(r"(?:that|:)(?![\w’'])")
AGE = re.compile(r"\d+-year-old")
BOUNDARY = re.compile(r"[,;.?!:—–]")
PROGRESSIVE = re.compile(r"\b(?:is|are|was|were|be|been|am|'s|’s)\s+(?:\w+ly\s+)?$")
FEELING_THAT = re.compile(
    r"(?:(?:his|her|their|its|the|deep|grave|serious|strong)\s+)?(?:regret|concern|concerns|hope|fear|fears|"
    r"view|belief|confidence|doubt|doubts|worry|worries|optimism|frustration|disappointment|anger|alarm|surprise|"
    r"satisfaction|confidence)\s+(?=that\b)"
)
APPOSITION = re.compile(r"\s*(?:the|a|an)\s+[^,.;:]{1,60}?,")
COORDINATED = re.compile(r"(?:[,;]\s*|\s)(?:and|but|while|whereas)$")
PREVIOUS_WORD = re.compile(r"([A-Za-z]+)\s+$")
NOUN_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "these"})
OBJECT_PRONOUNS = frozenset({"me", "us", "him", "her", "them", "you", "reporters", "journalists"})
WORD = re.compile(r"[^\W_](?:[\w’'\-\u0300-\u036f]*[^\W_\u0300-\u036f])?")
TIME_WORDS = word_set(
    """
    monday tuesday wednesday thursday friday saturday sunday yesterday today tonight tomorrow recently again also
    later earlier publicly privately repeatedly previously once last this week month year night morning afternoon
    evening now then too separately late early flatly bluntly simply further first
    """
)
PREPOSITIONS = word_set(
    """
    in at during on to via through with before after from while when over outside inside for ahead
    """
)
NP_STOPS = frozenset({",", ".", ";", ":", "—", "–", "(", ")", "“", "”", '"', "?", "!"})
NP_STOP_WORDS = word_set(
    """
    who that which and as has had have is was are were said says will would could should may might can did does
    do in on to with during after before from while when because but or if than whose whom where told
    """
)
NAME_PARTICLES = frozenset({"of", "de", "van", "von", "al", "bin", "la", "le", "der", "da", "du"})
# Nouns that speak as a group with no article: "police said", "according to prosecutors".
COLLECTIVE_NOUNS = word_set(
    """
    police staff government administration management military security intelligence research data media
    """
)
# Words that open a new clause rather than the rest of an interrupted one: "…, he said, adding that …".
NOT_CONTINUATIONS = word_set(
    """
    who which as while when after before because and but or although though since according so whose where if
    until unless
    """
)
STOP_BEFORE_CUE = word_set(
    """
    that which what and or but to of in on at for with by as is was were are be it there this not if than so
    because while where when how why whether about from into been being do does did
    """
)


NO_ONE = Resolution("", False)


@dataclass(frozen=True, slots=True)
class Segment:
    """A quoted stretch: the marks at `open` and `close`, the trimmed words inside at [start, end)."""

    open: int
    close: int  # index of the closing mark; the paragraph end when a quote runs on into the next paragraph
    close_end: int  # just after the closing mark
    start: int
    end: int
    single: bool


@dataclass(frozen=True, slots=True)
class Cue:
    start: int
    end: int
    verb: str


@dataclass(slots=True)
class Attribution:
    cue: Cue | None
    mention: Mention | None
    speaker: Resolution = NO_ONE


class QuoteSuggester:
    """Direct, mixed and indirect quotes with their speaker and cue."""

    name = "builtin.quotes"

    def suggest(self, body: str, title: str = "") -> list[Candidate]:
        return [
            Candidate(c.kind, c.start, c.end, {k: _copy(v) for k, v in c.attributes.items()}, c.confidence)
            for c in quote_candidates(body)
        ]


@functools.lru_cache(maxsize=8)
def quote_candidates(body: str) -> tuple[Candidate, ...]:
    """The quotes of a body, computed once for the quote and the claim suggesters of the same article."""
    return tuple(_Article(body).quotes())


def _copy(value: object) -> object:
    return list(value) if isinstance(value, list) else value


class _Article:
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
            Cue(m.start(), m.end(), CUE_FORMS.get(SPACES.sub(" ", m.group()).lower(), "according to"))
            for m in CUE.finditer(body)
            if not _after_determiner(body, m.start())
            and (m.group() not in NOUN_LIKE_CUES or self._after_speaker_like(m.start()))
        ]
        self.cue_starts = [c.start for c in self.cues]
        self.cue_starts_set = set(self.cue_starts)
        self.segments = [seg for start, end in self.paragraphs for seg in _segments(body, start, end)]
        self.segment_opens = [seg.open for seg in self.segments]
        self.candidates: list[Candidate] = []
        self.used_cues: set[int] = set()
        self.covered: list[tuple[int, int]] = []  # spans already given to a quote
        self._tails: dict[tuple, tuple[Cue, Mention | None, int] | None] = {}
        self._last_direct: tuple[Segment, Attribution] | None = None  # the last attributed direct quote

    def _after_speaker_like(self, position: int) -> bool:
        """Before a word that may be a noun ("demand", "plans"): a pronoun, a known name, or a noun for people,
        an organisation or a source of findings ("the ministry plans", "polls show"), so that it is a verb."""
        at = bisect.bisect_left(self.token_starts, position)
        while at > 0 and (_is_adverb(self.tokens[at - 1][2]) or self.tokens[at - 1][2] in {"also", "now", "still"}):
            at -= 1
        if at == 0:
            return False
        word = self.tokens[at - 1][2]
        lowered = norm(word)
        if lowered in VERB_MARKERS:
            return True  # "to call", "can call", "is warning", "does not want": a verb
        if _is_pronoun(word) or lowered in ROLE_NOUNS | CORE_ORGANISATION_HEADS | COLLECTIVE_NOUNS | EVIDENCE_NOUNS:
            return True
        if lowered.endswith("s") and lowered[:-1] in ROLE_NOUNS | CORE_ORGANISATION_HEADS | EVIDENCE_NOUNS:
            return True
        return is_capitalised(word) and self.cast.knows(word)

    # -- driving -------------------------------------------------------------------------------------------------

    def quotes(self) -> list[Candidate]:
        for unit_start, unit_end, segments in self._units():
            self._quoted(unit_start, unit_end, segments)
            self._reported(unit_start, unit_end, segments)
        self.candidates.sort(key=lambda c: (c.start, c.end))
        return self.candidates

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

    # -- direct and mixed quotes ---------------------------------------------------------------------------------

    def _quoted(self, unit_start: int, unit_end: int, segments: list[Segment]) -> None:
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
        end = _drop_final(self.body, start, end)
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

    # -- indirect quotes -----------------------------------------------------------------------------------------

    def _reported(self, unit_start: int, unit_end: int, segments: list[Segment]) -> None:
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
        if comma < 0 or not _only_trailing_words(self.body[after:comma] + ","):
            return None
        start, end = trim(self.body, comma + 1, high)
        end = _drop_final(self.body, start, end)
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
            return (start, _drop_final(body, start, end)), mention, False
        # `…, he said.` / `…, said the minister.`: the clause comes first.
        tail = self._tail_attribution(cue.start, high, segments, cue=cue, low=low)
        if tail is not None:
            _, mention, _ = tail
            start, end = trim(body, low, self._comma_before(cue, mention, low))
            start = after_dateline(body, start, end)
            if start < end:
                return (start, _drop_final(body, start, end)), mention, False
            return None
        # "…, adding that" is a participle; "is demanding that" is a verb with its auxiliary.
        participle = (
            cue.verb != "according to" and body[cue.start : cue.end].endswith("ing") and not PROGRESSIVE.search(before)
        )
        if participle:
            # `…, adding that …`: the speaker is the subject of the sentence.
            if not before.rstrip(PADDING).endswith((",", "—", "–")):
                return None
            mention = self._speaker_of(cue, low)
        else:
            mention = self._subject_before(cue.start, low)
            if mention is None and AND_BEFORE.search(before):
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
            if mention is None or not _is_agent(mention.text):
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

    # -- pieces of an attribution ---------------------------------------------------------------------------------

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
                    obj = _noun_phrase_forward(body, tokens, 0) if tokens else None
                    if obj is not None and len(obj.text.split()) <= 4:
                        rest = body[obj.end : high]
            mention = self._subject_before(candidate.start, start)
            if mention is not None:
                lead_end = self._end_before(mention.start)
                if (
                    _only_trailing_words(rest)
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
                and _only_trailing_words(body[mention.end : high])
            ):
                return candidate, mention, lead_end - 1
        return None

    def _end_before(self, position: int) -> int:
        """The end of the text before `position`, past whitespace."""
        while position > 0 and self.body[position - 1] in PADDING:
            position -= 1
        return position

    def _comma_before(self, cue: Cue, mention: Mention | None, low: int) -> int:
        edge = cue.start
        if mention is not None and mention.end <= cue.start:
            edge = mention.start
        return len(self.body[low:edge].rstrip(PADDING + ",—–-")) + low

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

    def _in_quotation(self, position: int) -> bool:
        at = bisect.bisect_right(self.segment_opens, position) - 1
        return at >= 0 and position < self.segments[at].close_end

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
        return _noun_phrase_forward(self.body, tokens, index)

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
                    outer = _noun_phrase_backward(self.body, tokens, _skip_back(tokens, back - 1))
                    inner = _noun_phrase_backward(self.body, tokens, index - 1)
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
        return _noun_phrase_backward(self.body, tokens, index)

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
        return _noun_phrase_forward(self.body, tokens, index)

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
            mention = _noun_phrase_forward(body, tokens, index)
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
            joined = COORDINATED.search(lead)
            if joined is not None and (mention is not None or cue.verb in STANCE | SPEECH):
                end = joined.start() + position
                break
        start, end = trim(body, position, end)
        if not mixed:
            for seg in segments:
                if start < seg.open < end:
                    end = seg.open
            start, end = trim(body, start, end)
        end = _drop_final(body, start, end)
        return end

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

    # -- look-ups ------------------------------------------------------------------------------------------------

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

    def _overlaps_covered(self, start: int, end: int) -> bool:
        at = bisect.bisect_left(self.covered, (end, end))
        return any(s < end and start < e for s, e in self.covered[max(0, at - 8) : at])

    @staticmethod
    def _inside_segment(position: int, segments: list[Segment]) -> bool:
        return any(seg.open <= position < seg.close_end for seg in segments)


# -- quotation marks ---------------------------------------------------------------------------------------------


def _segments(body: str, low: int, high: int) -> list[Segment]:
    """Quoted stretches of one paragraph. Single quotes inside double ones are part of the double quote."""
    found = []
    opened = None
    for match in _marks(body, low, high):
        mark = match.group()
        if opened is None:
            if mark in PAIRS and mark not in "”»」』":
                opened = match
            continue
        open_mark = opened.group()
        if mark in PAIRS[open_mark] and match.start() > opened.end():
            if open_mark == '"' or open_mark == "''" or _closes(body, match):
                found.append(_segment(body, opened, match.start(), match.end(), open_mark in SINGLE))
                opened = None
        elif mark in PAIRS and mark == open_mark and open_mark in "“„«":
            opened = match  # an opening mark that was never closed: start again from the new one
    if opened is not None and opened.group() not in SINGLE:
        # A quote that runs on into the next paragraph: news style leaves its closing mark out.
        found.append(_segment(body, opened, high, high, False))
    return [seg for seg in found if seg.start < seg.end]


def _marks(body: str, low: int, high: int) -> Iterator[re.Match]:
    """Quotation marks of a paragraph. A single quote counts when it can open (no word before it, a letter
    after it) or close (no space before it, no word after it): apostrophes ("don’t", "the ’90s") do not."""
    for match in QUOTE_CHARACTER.finditer(body, low, high):
        mark = match.group()
        if mark in SINGLE:
            index = match.start()
            before = body[index - 1] if index > 0 else ""
            after = body[index + 1] if index + 1 < high else ""
            opens = mark != "’" and not _wordlike(before) and after.isalpha()
            closes = mark != "‘" and before != "" and not before.isspace() and before not in "\"“„‘'"
            if not (opens or (closes and not _wordlike(after))):
                continue
        yield match


def _wordlike(char: str) -> bool:
    return char != "" and (char.isalnum() or char in "_’'")


def _closes(body: str, match: re.Match) -> bool:
    mark = match.group()
    if mark in "“":  # a “ that closes („…“ or a typo): something before it, nothing word-like right after it
        after = body[match.end() : match.end() + 1]
        return not after or not after.isalnum()
    return True


def _segment(body: str, opened: re.Match, close: int, close_end: int, single: bool) -> Segment:
    start, end = trim(body, opened.end(), close)
    return Segment(opened.start(), close, close_end, start, end, single)


# -- noun phrases ------------------------------------------------------------------------------------------------


def _noun_phrase_backward(body: str, tokens: list[tuple[int, int, str]], index: int) -> Mention | None:
    """The noun phrase that ends with token `index`: a pronoun, a name with its titles, or a description."""
    if index < 0:
        return None
    start, end, word = tokens[index]
    lowered = norm(word)
    if _is_pronoun(word):
        if lowered in {"it", "who"}:
            return None
        return Mention(start, end, word)
    if not word[:1].isalpha() or lowered in STOP_BEFORE_CUE or lowered in DETERMINERS:
        return None
    first = index
    if is_capitalised(word):
        while first > 0:
            previous = tokens[first - 1][2]
            lowered_previous = norm(previous)
            if body[tokens[first - 1][1] : tokens[first][0]] not in (" ", "\u00a0"):
                break
            joins = previous in NAME_PARTICLES | {"and", "for"} and first >= 2 and is_capitalised(tokens[first - 2][2])
            if (
                (is_capitalised(previous) and previous[0].isalpha())
                or joins
                or lowered_previous in ROLE_OR_TITLE
                or AGE.fullmatch(previous)
            ):
                first -= 1
            elif lowered_previous in DETERMINERS:
                first -= 1
                break
            else:
                break
        # Lowercase words of a role in front of a name, after a comma, a quote or an article:
        # "union general secretary Bernadette Kelly", ", retired firefighter Colin Hayes".
        back = first - 1
        while back >= 0 and first - back <= 3 and _is_modifier(tokens[back][2]):
            back -= 1
        if back < first - 1 and (back < 0 or tokens[back][2] in {",", "“", "”", '"', "—", "–", ":"}):
            first = back + 1
        elif back < first - 1 and norm(tokens[back][2]) in DETERMINERS:
            first = back
        # Ordinary words that happen to open the sentence are not part of the name ("But Smith said").
        while first < index and norm(tokens[first][2]) in {"but", "and", "so", "yet", "then", "still", "now"}:
            first += 1
        if tokens[first][2] in {"“", '"', "„"}:
            first += 1
        # "and"/"for" join the words of an organisation's name only ("Fire and Disaster Management Agency").
        names = [norm(t[2]) for t in tokens[first : index + 1]]
        if not ORGANISATION_WORDS & set(names):
            for position in range(index, first, -1):
                if tokens[position][2] in {"and", "for"}:
                    first = position + 1
                    break
    else:
        # A description ends at a determiner: "the Russian president", "a spokesman for the ministry".
        back = index
        found = None
        while back >= 0 and index - back < 7:
            token = tokens[back][2]
            lowered_token = norm(token)
            if lowered_token in DETERMINERS:
                found = back
                break
            possessive = token in {"’", "'"} and back > 0 and tokens[back - 1][2].endswith("s")
            if (not token[:1].isalnum() and not possessive) or (lowered_token in STOP_BEFORE_CUE and back != index):
                break
            back -= 1
        if found is not None:
            first = found
            # "members of the alliance", "a spokesman for the ministry" (the head is before the preposition)
            if first >= 2 and tokens[first - 1][2] in {"of", "for", "at", "from", "with"}:
                head = _noun_phrase_backward(body, tokens, first - 2)
                if head is not None and head.text.lower() not in PRONOUNS:
                    return Mention(head.start, end, body[head.start : end])
        else:
            # A bare plural or a name-like modifier: "officials", "U.S. officials", "Administration officials".
            if (
                lowered not in ROLE_NOUNS
                and lowered not in COLLECTIVE_NOUNS
                and lowered not in ORGANISATION_HEADS
                and not lowered.endswith("s")
            ):
                return None
            while (
                first > 0
                and is_capitalised(tokens[first - 1][2])
                and tokens[first - 1][2][0].isalpha()
                and norm(tokens[first - 1][2]) not in COMMON_OPENERS
            ):
                first -= 1
            # "labor-policy experts", "independent analysts" after a comma or at the start.
            back = first - 1
            while back >= 0 and first - back <= 2 and _is_modifier(tokens[back][2]):
                back -= 1
            if back < first - 1 and (back < 0 or tokens[back][2] in {",", "“", "”", '"', "—", "–", ":"}):
                first = back + 1
    start = tokens[first][0]
    return Mention(start, end, body[start:end])


def _noun_phrase_forward(body: str, tokens: list[tuple[int, int, str]], index: int) -> Mention | None:
    """The noun phrase that starts at token `index` (after an inverted cue or "according to")."""
    if index >= len(tokens):
        return None
    start, _, word = tokens[index]
    lowered = norm(word)
    if _is_pronoun(word) and lowered not in {"it", "who"}:
        return Mention(start, tokens[index][1], word)
    if not word[:1].isalpha():
        return None
    last = index
    if is_capitalised(word) and lowered not in DETERMINERS:
        # A name with its titles: "Rep. G.K. Butterfield", "Secretary of State John Kerry", and with role words
        # before the name: "Green lawmaker Jonas Weber".
        while last + 1 < len(tokens) and last - index < 9:
            if _joins_name(body, tokens, last):
                last += 1
                continue
            role = last + 1
            while role < len(tokens) and role - last <= 2 and _is_modifier(tokens[role][2]):
                role += 1
            if (
                role > last + 1
                and role < len(tokens)
                and norm(tokens[role - 1][2]) in ROLE_OR_TITLE
                and is_capitalised(tokens[role][2])
            ):
                last = role
                continue
            break
        last = _without_loose_connector(tokens, index, last)
    elif lowered in {"that", "this", "these", "those"}:
        return None
    elif lowered in DETERMINERS or lowered in ROLE_NOUNS:
        # A description: up to its head noun, before any verb, relative pronoun or clause boundary.
        while last + 1 < len(tokens) and last - index < 7:
            if is_capitalised(tokens[last][2]) and _joins_name(body, tokens, last):
                last += 1  # "the Fire and Disaster Management Agency"
                continue
            nxt = tokens[last + 1][2]
            if nxt in NP_STOPS or (nxt.islower() and (nxt in NP_STOP_WORDS or _looks_like_verb(nxt))):
                break
            last += 1
        while last > index and norm(tokens[last][2]) in {"of", "for", "at", "the", "a", "an"}:
            last -= 1
    elif not (word.islower() and (lowered.endswith("s") or lowered in COLLECTIVE_NOUNS)):
        return None  # a bare plural or collective is a speaker: "said officials", "according to police"
    end = tokens[last][1]
    return Mention(start, end, body[start:end])


def _joins_name(body: str, tokens: list[tuple[int, int, str]], last: int) -> bool:
    nxt = tokens[last + 1][2]
    if body[tokens[last][1] : tokens[last + 1][0]] not in (" ", "\u00a0"):
        return False
    if is_capitalised(nxt) and nxt[0].isalpha():
        return True
    return nxt in NAME_PARTICLES | {"and", "for"} and last + 2 < len(tokens) and is_capitalised(tokens[last + 2][2])


def _without_loose_connector(tokens: list[tuple[int, int, str]], first: int, last: int) -> int:
    """A name joined by "and"/"for" is one only if it names an organisation: else it stops before them."""
    words = [norm(t[2]) for t in tokens[first : last + 1]]
    if ORGANISATION_WORDS & set(words):
        return last
    for index in range(first, last + 1):
        if tokens[index][2] in {"and", "for"}:
            return index - 1
    return last


def _looks_like_verb(word: str) -> bool:
    """A lowercase word that ends a description when it follows the head: "the tax cuts favoured …"."""
    return word.endswith("ed") and len(word) > 4 and word not in {"armed", "united", "retired", "elected"}


# -- small text rules --------------------------------------------------------------------------------------------


def _after_determiner(body: str, position: int) -> bool:
    """A cue word right after an article or possessive is a noun: "the plan", "a report", "his claims"."""
    match = PREVIOUS_WORD.search(body, max(0, position - 12), position)
    return match is not None and match.group(1).lower() in NOUN_DETERMINERS


def _is_pronoun(word: str) -> bool:
    """A personal pronoun, not an acronym that spells one ("WHO", "US")."""
    return word.lower() in PRONOUNS and (not word.isupper() or word == "I")


def _is_apposition_lead(text: str) -> bool:
    """`the company's chief operating officer,` before a named speaker: a description and its comma."""
    words = text.split()
    return text.endswith(",") and len(words) <= 8 and norm(words[0]) in DETERMINERS | {"another", "one"}


def _is_agent(text: str) -> bool:
    """A noun phrase that can hold a view: a pronoun, a name, or a person, group or organisation noun."""
    words = text.split()
    last = norm(words[-1])
    return (
        last in PRONOUNS
        or is_capitalised(words[-1])
        or last in ROLE_NOUNS
        or last in ORGANISATION_HEADS
        or last in COLLECTIVE_NOUNS
        or (last.endswith("s") and norm(last[:-1]) in ROLE_NOUNS | ORGANISATION_HEADS)
        or last in {"officials", "experts", "critics", "voters", "people", "residents", "analysts", "groups"}
    )


def _is_modifier(word: str) -> bool:
    """A lowercase word that may describe a role: "retired", "firefighter", "general", "78-year-old"."""
    return (bool(LOWER_WORD.fullmatch(word)) and norm(word) not in STOP_BEFORE_CUE | DETERMINERS) or bool(
        AGE.fullmatch(word)
    )


def _skip_back(tokens: list[tuple[int, int, str]], index: int) -> int:
    """The index of the last token before `index` (included) that is not an auxiliary, adverb or parenthesis."""
    while index >= 0:
        word = tokens[index][2]
        if word == ")":
            index = _opening_parenthesis(tokens, index) - 1
        elif norm(word) in AUXILIARIES or _is_adverb(word):
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


def _is_adverb(word: str) -> bool:
    return word.islower() and word.endswith("ly") and len(word) > 4


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


def _only_trailing_words(text: str) -> bool:
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


def _drop_final(body: str, start: int, end: int) -> int:
    """A span's end without its final full stop (or other sentence-final mark) and trailing commas."""
    while end > start and body[end - 1] in ".,;:" + PADDING:
        end -= 1
    return end
