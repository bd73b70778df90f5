"""Check-worthy claims in news text: statements a fact-checker could verify, ranked by how much they invite it.

Rules, no model, no database. The units are sentences (`text.sentences`), cut where the quote suggester found
reported speech: a sentence holding a reported clause or a quotation gives that clause or quotation (`…, the
WHO said on Thursday, warning that gaps …` gives two units, the attribution itself none), any other sentence
gives itself, past a dateline ("GENEVA — "), without its final full stop.

Each unit is scored for check-worthiness from what fact-checkers look for: statistics (percentages, money,
counts, measures), dates and years, changes ("rose", "doubled"), comparisons and superlatives ("more than",
"the highest since"), causes and predictions; opinion (first-person beliefs, evaluative adjectives,
"should"), questions and very short units count against. The score is the candidate's confidence; only units
at or above `THRESHOLD` are suggested, a threshold chosen on `tests/data/suggest_gold.jsonl` for recall ≥ 0.70
at precision ≥ 0.50 (overlap matching; `bench/suggest.py --curve` prints the whole curve).
The category (statistic, event, fact, prediction, causal) comes from the same cues.
"""

from __future__ import annotations

import re

from annotator.suggestions.base import Candidate
from annotator.suggestions.quotes import quote_candidates
from annotator.suggestions.speakers import word_set
from annotator.suggestions.text import PADDING, sentences, trim

THRESHOLD = 0.35

NUMBER_WORDS = word_set(
    """
    two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred hundreds thousand thousands million millions billion billions trillion dozen dozens
    half third quarter twice double doubled tripled quadrupled fourfold threefold twofold tenfold
    """
)
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|Jan\\.|Feb\\.|"
    "Mar\\.|Apr\\.|Jun\\.|Jul\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\."
)
PERCENT = re.compile(r"\d\s?%|\b(?:per\s?cent|percent|percentage points?)\b", re.I)
MONEY = re.compile(
    r"[$€£¥₹₩]\s?\d|\d\s?(?:[$€£¥]|USD|EUR|GBP)\b"
    r"|\b\d[\d,.]*\s*(?:million|billion|trillion|bn|m)?\s*(?:dollars|euros|pounds|yen|yuan|rupees|crowns|kronor|"
    r"kroner|francs|pesos|rubles|roubles|reais|won)\b"
    r"|\b(?:million|billion|trillion)\s+(?:dollars|euros|pounds|yen|yuan|crowns)\b",
    re.I,
)
NUMBER = re.compile(r"(?<![\w.-])\d[\d,.]*(?![\w-]*[A-Za-z]{2})")
YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)s?\b")
DATE = re.compile(
    rf"\b(?:{MONTHS})(?:\s+\d{{1,2}})?\b|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
MEASURE = re.compile(
    r"\d\s*(?:km|kilomet(?:re|er)s?|miles?|metres?|meters?|kg|kilograms?|tonnes?|tons?|degrees?|°|hours?|days?|"
    r"weeks?|months?|years?|light-years|people|cases|votes|seats|jobs|homes|points?|times|magnitude|gigawatts?|"
    r"megawatts?|barrels|patients|deaths|troops|members|countries|percent)\b",
    re.I,
)
COMPARISON = re.compile(
    r"\b(?:more|less|fewer|higher|lower|larger|smaller|bigger|greater|faster|slower|older|younger|worse|better)"
    r"\s+than\b|\b(?:highest|lowest|largest|smallest|biggest|greatest|fastest|slowest|oldest|youngest|worst|best|"
    r"most|least|first|last|record|all-time|unprecedented|only)\b|\bsince\s+(?:\d|the\s+\d|records\s+began)",
    re.I,
)
CHANGE = re.compile(
    r"\b(?:rose|rise[sn]?|rising|fell|fall(?:s|en|ing)?|increased?|increases|increasing|decreased?|declined?|"
    r"dropped|drops?|jumped|surged|soared|plunged|slumped|grew|grow(?:s|n|ing)?|shrank|doubled|tripled|halved|"
    r"climbed|slipped|cut|cuts|raised|raises|lowered|recorded|reached|hit|topped|exceeded|accounted|"
    r"up\s+from|down\s+from)\b",
    re.I,
)
CAUSAL = re.compile(
    r"\b(?:because|due\s+to|caused?|causes|causing|led\s+to|leads\s+to|lead\s+to|as\s+a\s+result|result(?:ed)?\s+"
    r"in|blamed\s+on|driven\s+by|thanks\s+to|owing\s+to|linked\s+to|disrupted|triggered)\b",
    re.I,
)
PREDICTION = re.compile(
    r"\b(?:will|would|expects?|expected|forecasts?|forecast|projected|predicts?|predicted|likely\s+to|"
    r"set\s+to|on\s+track\s+to|is\s+due\s+to|plans?\s+to|aims?\s+to|by\s+20\d\d)\b",
    re.I,
)
EVENT = re.compile(
    r"\b(?:approved|announced|signed|passed|voted|won|beat|defeated|arrested|jailed|sentenced|convicted|charged|"
    r"killed|injured|died|struck|launched|opened|closed|blocked|banned|ruled|elected|appointed|resigned|"
    r"detected|discovered|found|presented|published|released|agreed|raised|cut|recorded|stole|stolen|"
    r"granted|rejected|awarded|took|hit)\b",
    re.I,
)
OPINION = re.compile(
    r"\b(?:I|we)\s+(?:think|believe|feel|hope|want|wish|love|hate|know|guess|would\s+rather)\b"
    r"|\bin\s+my\s+(?:view|opinion)\b|\b(?:should|must|ought\s+to|need\s+to)\b"
    r"|\b(?:disgusting|wonderful|terrible|awful|amazing|fantastic|shameful|outrageous|ridiculous|unfair|fair|"
    r"great|brilliant|heartbreaking|proud|sad|happy|delighted|disappointed|disappointment|frustrating|"
    r"beautiful|incredible|unimpressed|welcome|welcomed|hope|heart|everything|nothing\s+more)\b",
    re.I,
)
FIRST_PERSON = re.compile(r"\b(?:I|me|my|we|us|our)\b")
DATELINE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .,'’-]+(?:\([^)]*\))?\s*[—–-]+\s*")


class ClaimSuggester:
    """Check-worthy statements, the surest first: statistics, dated events, causes and predictions."""

    name = "builtin.claims"

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold

    def suggest(self, body: str, title: str = "") -> list[Candidate]:
        candidates = []
        for start, end, quoted in claim_units(body):
            text = body[start:end]
            score = checkworthiness(text, quoted=quoted)
            if score < self.threshold:
                continue
            candidates.append(
                Candidate(
                    kind="claim",
                    start=start,
                    end=end,
                    attributes={
                        "checkworthy": True,
                        "category": category(text),
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
            dateline = DATELINE.match(body, start, end)
            if dateline and dateline.end() < end:
                start = dateline.end()
            inside = [(start, end, False)]
        for start, end, quoted in inside:
            start, end = trim(body, start, end)
            end = _without_final_stop(body, start, end)
            if end - start > 1:
                units.append((start, end, quoted))
    return units


def checkworthiness(text: str, *, quoted: bool = False) -> float:
    """How much a statement invites checking, from 0 (an opinion) to 1 (a statistic with a date)."""
    words = len(text.split())
    score = 0.2
    has_percent = bool(PERCENT.search(text))
    has_money = bool(MONEY.search(text))
    numbers = [n for n in NUMBER.findall(text) if not YEAR.fullmatch(n)]
    has_count = bool(numbers) or any(w.lower().strip(",.") in NUMBER_WORDS for w in text.split())
    if has_percent:
        score += 0.35
    if has_money:
        score += 0.3
    if has_count:
        score += 0.2
    if MEASURE.search(text):
        score += 0.1
    if YEAR.search(text) or DATE.search(text):
        score += 0.15
    if COMPARISON.search(text):
        score += 0.15
    if CHANGE.search(text):
        score += 0.15
    if CAUSAL.search(text):
        score += 0.15
    if PREDICTION.search(text):
        score += 0.05
    if EVENT.search(text):
        score += 0.1
    if OPINION.search(text):
        score -= 0.25
    if FIRST_PERSON.search(text):
        score -= 0.1
    if quoted:
        score -= 0.1
    if text.rstrip(PADDING + "”\"'»」").endswith("?"):
        score -= 0.3
    if words < 6:
        score -= 0.2
    return max(0.01, min(0.99, score))


def category(text: str) -> str:
    """The claim's category in the default vocabulary."""
    if CAUSAL.search(text):
        return "causal"
    if PREDICTION.search(text) and re.search(r"\b(?:will|would|expected|forecast|projected|predict)", text, re.I):
        return "prediction"
    if PERCENT.search(text) or MONEY.search(text) or MEASURE.search(text) or CHANGE.search(text):
        return "statistic"
    if EVENT.search(text) and (DATE.search(text) or YEAR.search(text)):
        return "event"
    if NUMBER.search(text):
        return "statistic"
    return "fact"


def _without_final_stop(body: str, start: int, end: int) -> int:
    while end > start and body[end - 1] in ".,;:" + PADDING:
        end -= 1
    return end
