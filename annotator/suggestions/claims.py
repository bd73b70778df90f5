"""Check-worthy claims in news text: statements a fact-checker could verify, ranked by how much they invite it.

Rules, no model, no database. The units are sentences (`text.sentences`), cut where the quote suggester found
reported speech: a sentence holding a reported clause or a quotation gives that clause or quotation (`…, the
WHO said on Thursday, warning that gaps …` gives two units, the attribution itself none), any other sentence
gives itself, past a dateline ("GENEVA — "), without its final full stop.

Each unit is scored for check-worthiness from what fact-checkers look for: statistics (percentages, money,
counts, measures), dates and years, changes ("rose", "doubled"), comparisons and superlatives ("more than",
"the highest since"), causes and predictions; opinion (first-person beliefs, evaluative adjectives,
"should"), questions and very short units count against. The score is the candidate's confidence; only units
at or above `THRESHOLD` are suggested. The threshold was chosen on `tests/data/suggest_gold.jsonl` (overlap
matching; `bench/suggest.py --curve` prints the whole curve): the target is recall ≥ 0.70 at precision ≥ 0.50,
and 0.35 leaves a margin on both sides for articles unlike the gold set (there: recall 0.90, precision 0.80;
0.25 gives 0.92 / 0.74, 0.50 gives 0.77 / 0.87).
The category (statistic, event, fact, prediction, causal) comes from the same cues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.suggestions.base import Candidate, check_time_budget
from annotator.suggestions.lexicon import word_set
from annotator.suggestions.quotes import quote_candidates
from annotator.suggestions.text import PADDING, after_dateline, sentences, trim, without_final_stop

THRESHOLD = 0.35
# Words are looked up in sets, not matched by alternations: Python's re tries every alternative at every
# position, which made a dozen such patterns cost more than the whole quote analysis.
NUMBER_WORDS = word_set(
    """
    two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred hundreds thousand thousands million millions billion billions trillion dozen dozens
    half third quarter twice double doubled tripled quadrupled fourfold threefold twofold tenfold
    """
)
CURRENCY_WORDS = word_set(
    """
    dollars dollar euros euro pounds pound yen yuan rupees crowns kronor kroner krone francs pesos rubles roubles
    reais won usd eur gbp
    """
)
PERCENT_WORDS = word_set("percent percentage")
DATE_WORDS = word_set(
    """
    january february march april june july august september october november december jan feb mar apr jun jul
    aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday yesterday
    """
)
COMPARISON_WORDS = word_set(
    """
    highest lowest largest smallest biggest greatest fastest slowest oldest youngest worst best most least
    first record all-time unprecedented fewer than
    """
)
CHANGE_WORDS = word_set(
    """
    rose rise rises risen rising fell fall falls fallen falling increase increased increases increasing decrease
    decreased decline declined dropped drop drops jumped surged soared plunged slumped grew grow grows grown
    growing shrank doubled tripled halved climbed slipped cut cuts raised raises lowered recorded reached hit
    topped exceeded accounted
    """
)
CAUSAL_WORDS = word_set("because cause caused causes causing disrupted triggered")
CAUSAL_PHRASES = (
    "due to", "led to", "leads to", "lead to", "as a result", "resulted in", "result in", "blamed on",
    "driven by", "thanks to", "owing to", "linked to",
)  # fmt: skip
PREDICTION_WORDS = word_set("will would expects expected forecast forecasts projected predicts predicted")
PREDICTION_PHRASES = ("likely to", "set to", "on track to", "is due to", "plans to", "plan to", "aims to")
EVENT_WORDS = word_set(
    """
    approved announced signed passed voted won beat defeated arrested jailed sentenced convicted charged killed
    injured died struck launched opened closed blocked banned ruled elected appointed resigned detected
    discovered found presented published released agreed raised cut recorded stole stolen granted rejected
    awarded took hit
    """
)
OPINION_WORDS = word_set(
    """
    should must disgusting wonderful terrible awful amazing fantastic shameful outrageous ridiculous unfair fair
    great brilliant heartbreaking proud sad happy delighted disappointed disappointment frustrating beautiful
    incredible unimpressed welcome welcomed hope heart everything
    """
)
OPINION_PHRASES = ("ought to", "need to", "in my view", "in my opinion", "nothing more")
FIRST_PERSON = frozenset({"I", "me", "my", "we", "We", "us", "our", "Our", "My", "Me"})
BELIEF_VERBS = word_set("think believe feel hope want wish love hate know guess")
ANY_WORD = re.compile(r"[A-Za-z]+")
# Anchored after a non-letter: unanchored, findall tried every letter of a long word as a start (quadratic).
HYPHENATED = re.compile(r"(?<![a-z])[a-z]+-[a-z]+")
DIGIT = re.compile(r"\d")
OPENER = re.compile(r"(?:But|And|Yet|Still|However|Meanwhile|So),?\s+(?=[A-Za-z0-9])")
FUTURE = re.compile(r"\b(?:will|would|expected|forecast|projected|predict)", re.I)
CURRENCY_SYMBOL = re.compile(r"[$€£¥₹₩]\s?\d|\d\s?(?:[$€£¥]|USD|EUR|GBP)\b")
# The digits after a number's last separator are taken possessively: giving them back one by one re-ran the
# look-ahead over the whole word each time (quadratic in "111…1ab"), and could never succeed where the longest
# failed. The same matches as `\d[\d,.]*` with backtracking.
NUMBER = re.compile(r"(?<![\w.-])\d(?:[\d,.]*[,.])?\d*+(?![\w-]*[A-Za-z]{2})")
YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)s?\b")
MEASURE = re.compile(
    r"\d\s*(?:km|kilomet(?:re|er)s?|miles?|metres?|meters?|kg|kilograms?|tonnes?|tons?|degrees?|°|hours?|days?|"
    r"weeks?|months?|years?|light-years|people|cases|votes|seats|jobs|homes|points?|times|magnitude|gigawatts?|"
    r"megawatts?|barrels|patients|deaths|troops|members|countries|percent)\b",
    re.I,
)
SINCE_NUMBER = re.compile(r"since\s+(?:the\s+)?\d")
BY_YEAR = re.compile(r"by\s+20\d\d")


@dataclass(frozen=True, slots=True)
class Cues:
    """What a statement holds that makes it checkable, or not."""

    percent: bool
    money: bool
    count: bool
    measure: bool
    date: bool
    comparison: bool
    change: bool
    causal: bool
    prediction: bool
    event: bool
    opinion: bool
    first_person: bool
    question: bool
    words: int

    @classmethod
    def of(cls, text: str) -> Cues:
        lower = text.lower()
        original = set(ANY_WORD.findall(text))
        words = {w.lower() for w in original} | set(HYPHENATED.findall(lower))
        digits = DIGIT.search(text) is not None
        has_digit = digits and any(not YEAR.fullmatch(n) for n in NUMBER.findall(text))
        return cls(
            percent="%" in text or bool(words & PERCENT_WORDS) or "per cent" in lower,
            money=digits and (bool(CURRENCY_SYMBOL.search(text)) or (bool(words & CURRENCY_WORDS) and has_digit)),
            count=has_digit or bool(words & NUMBER_WORDS),
            measure=has_digit and bool(MEASURE.search(text)),
            date=bool(words & DATE_WORDS) or (digits and bool(YEAR.search(text))),
            comparison=" than " in lower
            or bool(words & COMPARISON_WORDS)
            or (digits and "since" in words and bool(SINCE_NUMBER.search(lower))),
            change=bool(words & CHANGE_WORDS) or "up from" in lower or "down from" in lower,
            causal=bool(words & CAUSAL_WORDS) or any(p in lower for p in CAUSAL_PHRASES),
            prediction=bool(words & PREDICTION_WORDS)
            or any(p in lower for p in PREDICTION_PHRASES)
            or (digits and bool(BY_YEAR.search(lower))),
            event=bool(words & EVENT_WORDS),
            opinion=bool(words & OPINION_WORDS)
            or any(p in lower for p in OPINION_PHRASES)
            or (bool(original & {"I", "we", "We"}) and bool(words & BELIEF_VERBS)),
            first_person=bool(original & FIRST_PERSON),
            question=text.rstrip(PADDING + "”\"'»」").endswith("?"),
            words=len(text.split()),
        )


class ClaimSuggester:
    """Check-worthy statements, the surest first: statistics, dated events, causes and predictions."""

    name = "builtin.claims"

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold

    def suggest(self, body: str, title: str = "") -> list[Candidate]:
        candidates = []
        for start, end, quoted in claim_units(body):
            check_time_budget()
            text = body[start:end]
            cues = Cues.of(text)
            score = _score(cues, quoted=quoted)
            if score < self.threshold:
                continue
            candidates.append(
                Candidate(
                    kind="claim",
                    start=start,
                    end=end,
                    attributes={
                        "checkworthy": True,
                        "category": _category(cues, text),
                        "verdict": None,
                        "verdict_note": "",
                        "evidence_url": "",
                    },
                    confidence=round(score, 2),
                )
            )
        return candidates


def claim_units(body: str) -> list[tuple[int, int, bool]]:
    """Sentences or reported clauses that could be claims: (start, end, inside a direct quotation)."""
    quotes = sorted((c.start, c.end, c.attributes["quote_type"]) for c in quote_candidates(body))
    units = []
    position = 0
    for sentence in sentences(body):
        check_time_budget()
        inside = []
        while position < len(quotes) and quotes[position][1] <= sentence.start:
            position += 1
        index = position
        while index < len(quotes) and quotes[index][0] < sentence.end:
            q_start, q_end, quote_type = quotes[index]
            start, end = max(q_start, sentence.start), min(q_end, sentence.end)
            if end - start > 1:
                inside.append((start, end, quote_type == "direct"))
            index += 1
        if not inside:
            start, end = sentence.start, sentence.end
            start = after_dateline(body, start, end)
            inside = [(start, end, False)]
        for start, end, quoted in inside:
            start, end = trim(body, start, end)
            opener = OPENER.match(body, start, end)
            if opener:
                start = opener.end()  # "But almost 290,000 patients …": the connective carries no part of the claim
            end = without_final_stop(body, start, end)
            if end - start > 1:
                units.append((start, end, quoted))
    return units


def checkworthiness(text: str, *, quoted: bool = False) -> float:
    """How much a statement invites checking, from 0 (an opinion) to 1 (a statistic with a date)."""
    return _score(Cues.of(text), quoted=quoted)


def _score(cues: Cues, *, quoted: bool) -> float:
    score = 0.2
    score += 0.35 * cues.percent + 0.3 * cues.money + 0.2 * cues.count + 0.1 * cues.measure
    score += 0.15 * cues.date + 0.15 * cues.comparison + 0.15 * cues.change + 0.15 * cues.causal
    score += 0.05 * cues.prediction + 0.1 * cues.event
    score -= 0.25 * cues.opinion + 0.1 * cues.first_person + 0.1 * quoted + 0.3 * cues.question
    if cues.words < 6:
        score -= 0.2
    return max(0.01, min(0.99, score))


def category(text: str) -> str:
    """The claim's category in the default vocabulary."""
    return _category(Cues.of(text), text)


def _category(cues: Cues, text: str) -> str:
    if cues.causal:
        return "causal"
    if cues.prediction and FUTURE.search(text):
        return "prediction"
    if cues.percent or cues.money or cues.measure or cues.change:
        return "statistic"
    if cues.event and cues.date:
        return "event"
    if cues.count:
        return "statistic"
    return "fact"
