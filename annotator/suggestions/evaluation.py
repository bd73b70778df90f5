"""How good the suggesters are against gold annotations: span precision, recall and F1, speaker and cue accuracy.

Pure functions over plain data; `bench/suggest.py` prints the figures and `tests/test_suggesters.py` holds them
to their targets. Two gold formats are read:
- our JSONL export (one article per line, `text` and `annotations` with `kind`, `start`, `end` and the kind's
  attributes: `speaker`, `speaker_span`, `cue_span`, `quote_type` for a quote);
- PolNeAR's brat standoff (`<article>_<annotator>.ann` beside `text/<article>.txt`), where each attribution
  event has a Content, a Cue and a Source span. Read from where it lies, never copied (it has no licence).

Matching is one-to-one: candidate pairs (gold, predicted) are taken greedily, largest overlap first, so that
one predicted span never counts for two gold spans. "Exact" requires equal offsets; "overlap" any shared
code point. The unit is a stretch of quoted text: each part of a suggested quote in parts (a quote interrupted
by its attribution) is matched as a quote of its own, as each fragment of a discontinuous PolNeAR Content is, and
as our gold set annotates such a quote (two quotes with the same attribution); `parts_report` counts how many
quotes in parts the suggester gives, and how many gold discontinuous Contents it gives as one quote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.suggestions.base import Candidate

Span = tuple[int, int]
QUOTE_MARKS = "\"“”„«»「」『』‘’'`"
# The trailing run is tried only where a run starts: tried at every position, a long run inside the text cost
# time quadratic in its length.
EDGE_PUNCTUATION = re.compile(r"^[\s.,;:—–-]+|(?<![\s.,;:—–-])[\s.,;:—–-]+$")


@dataclass(frozen=True, slots=True)
class GoldQuote:
    start: int
    end: int
    quote_type: str | None  # "direct" | "indirect" | "mixed"; PolNeAR: "direct" when the content is in marks
    speaker: str | None  # canonical name (JSONL) or the Source span's text (PolNeAR)
    speaker_span: Span | None
    cue_span: Span | None

    @property
    def span(self) -> Span:
        return self.start, self.end


@dataclass(frozen=True, slots=True)
class GoldArticle:
    name: str
    text: str
    quotes: tuple[GoldQuote, ...]
    claims: tuple[Span, ...] | None  # None: the gold set does not annotate claims


@dataclass(frozen=True, slots=True)
class Scores:
    matched: int
    gold: int
    predicted: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Scores) -> Scores:
        return Scores(self.matched + other.matched, self.gold + other.gold, self.predicted + other.predicted)


@dataclass(frozen=True, slots=True)
class Accuracy:
    correct: int
    total: int

    @property
    def value(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class QuoteReport:
    exact: Scores
    overlap: Scores
    direct_exact: Scores
    direct_overlap: Scores
    speaker: Accuracy  # on quotes matched by overlap whose gold has a speaker
    cue: Accuracy  # on quotes matched by overlap whose gold has a cue
    mention: Accuracy  # on quotes matched by overlap whose gold has a speaker mention: the same text


@dataclass(slots=True)
class _Tally:
    spans: dict[str, Scores] = field(default_factory=dict)
    speaker: list[int] = field(default_factory=lambda: [0, 0])
    cue: list[int] = field(default_factory=lambda: [0, 0])
    mention: list[int] = field(default_factory=lambda: [0, 0])

    def add(self, key: str, scores: Scores) -> None:
        self.spans[key] = self.spans.get(key, Scores(0, 0, 0)) + scores


# -- matching ----------------------------------------------------------------------------------------------------


def overlap(a: Span, b: Span) -> int:
    """Code points two half-open spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(gold: Sequence[Span], predicted: Sequence[Span], *, exact: bool) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), greedy by overlap size (exact: equal spans only)."""
    pairs = []
    for g, gold_span in enumerate(gold):
        for p, predicted_span in enumerate(predicted):
            if exact:
                if tuple(gold_span) == tuple(predicted_span):
                    pairs.append((gold_span[1] - gold_span[0], g, p))
            else:
                shared = overlap(gold_span, predicted_span)
                if shared > 0:
                    pairs.append((shared, g, p))
    pairs.sort(key=lambda item: (-item[0], item[1], item[2]))
    used_gold, used_predicted, matched = set(), set(), []
    for _, g, p in pairs:
        if g not in used_gold and p not in used_predicted:
            used_gold.add(g)
            used_predicted.add(p)
            matched.append((g, p))
    return sorted(matched)


def span_scores(gold: Sequence[Span], predicted: Sequence[Span], *, exact: bool) -> Scores:
    return Scores(len(match_spans(gold, predicted, exact=exact)), len(gold), len(predicted))


def same_speaker(a: str | None, b: str | None) -> bool:
    """Speaker names compare case-insensitively with whitespace (NBSP included) collapsed."""
    return bool(a) and bool(b) and _normal_name(a) == _normal_name(b)


def _normal_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def quote_fragments(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The quote candidates, a quote in parts as one candidate per part (with the quote's attributes)."""
    fragments = []
    for c in candidates:
        if c.kind != "quote":
            continue
        for start, end in c.parts or ((c.start, c.end),):
            fragments.append(Candidate("quote", start, end, c.attributes, c.confidence))
    return fragments


# -- evaluating --------------------------------------------------------------------------------------------------


def evaluate_quotes(
    articles: Sequence[GoldArticle], predictions: Sequence[Sequence[Candidate]], *, speaker_by_span: bool = False
) -> QuoteReport:
    """Quote figures over a gold set; `predictions[i]` are the candidates for `articles[i]`.

    A speaker is right when the canonical names agree (`same_speaker`); with `speaker_by_span` (PolNeAR, whose
    gold speaker is only a mention) it is also right when the predicted speaker mention overlaps the gold one.
    A cue is right when the predicted cue span overlaps the gold cue span. A speaker mention is right when the
    text of the predicted speaker span equals the gold one (`same_speaker`).
    """
    tally = _Tally()
    for article, candidates in zip(articles, predictions, strict=True):
        quotes = quote_fragments(candidates)
        gold = [(q.start, q.end) for q in article.quotes]
        predicted = [(c.start, c.end) for c in quotes]
        tally.add("exact", span_scores(gold, predicted, exact=True))
        tally.add("overlap", span_scores(gold, predicted, exact=False))
        direct_gold = [(q.start, q.end) for q in article.quotes if q.quote_type == "direct"]
        direct_predicted = [(c.start, c.end) for c in quotes if c.attributes.get("quote_type") == "direct"]
        tally.add("direct_exact", span_scores(direct_gold, direct_predicted, exact=True))
        tally.add("direct_overlap", span_scores(direct_gold, direct_predicted, exact=False))
        for g, p in match_spans(gold, predicted, exact=False):
            expected, found = article.quotes[g], quotes[p].attributes
            if expected.speaker or expected.speaker_span:
                tally.speaker[1] += 1
                right = same_speaker(expected.speaker, found.get("speaker"))
                mention = found.get("speaker_span")
                if speaker_by_span and expected.speaker_span and mention:
                    right = right or overlap(expected.speaker_span, tuple(mention)) > 0
                tally.speaker[0] += right
            if expected.speaker_span:
                tally.mention[1] += 1
                found_mention = found.get("speaker_span")
                tally.mention[0] += bool(found_mention) and same_speaker(
                    article.text[found_mention[0] : found_mention[1]], article.text[slice(*expected.speaker_span)]
                )
            if expected.cue_span:
                tally.cue[1] += 1
                cue = found.get("cue_span")
                tally.cue[0] += bool(cue) and overlap(expected.cue_span, tuple(cue)) > 0
    return QuoteReport(
        exact=tally.spans["exact"],
        overlap=tally.spans["overlap"],
        direct_exact=tally.spans["direct_exact"],
        direct_overlap=tally.spans["direct_overlap"],
        speaker=Accuracy(*tally.speaker),
        cue=Accuracy(*tally.cue),
        mention=Accuracy(*tally.mention),
    )


@dataclass(frozen=True, slots=True)
class PartsReport:
    suggested: int  # quotes in parts suggested
    joined_right: int  # of those, every part overlaps a gold quote of one and the same attribution (its cue span)
    gold_shared: int  # gold attributions (cue spans) with two or more quotes: the most that could be joined


def parts_report(articles: Sequence[GoldArticle], predictions: Sequence[Sequence[Candidate]]) -> PartsReport:
    """How the suggester's quotes in parts compare with gold quotes that share one attribution (see the module doc)."""
    suggested = joined_right = gold_shared = 0
    for article, candidates in zip(articles, predictions, strict=True):
        cues: dict[Span, int] = {}
        for q in article.quotes:
            if q.cue_span:
                cues[q.cue_span] = cues.get(q.cue_span, 0) + 1
        gold_shared += sum(1 for n in cues.values() if n >= 2)
        for c in candidates:
            if c.kind != "quote" or not c.parts:
                continue
            suggested += 1
            attributions = [{q.cue_span for q in article.quotes if overlap(q.span, part) > 0} for part in c.parts]
            shared = set.intersection(*attributions) - {None}
            joined_right += bool(shared)
    return PartsReport(suggested, joined_right, gold_shared)


def evaluate_claims(articles: Sequence[GoldArticle], predictions: Sequence[Sequence[Candidate]]) -> Scores:
    """Claim span scores (overlap matching) over the articles whose gold set annotates claims."""
    total = Scores(0, 0, 0)
    for article, candidates in zip(articles, predictions, strict=True):
        if article.claims is None:
            continue
        predicted = [(c.start, c.end) for c in candidates if c.kind == "claim"]
        total += span_scores(list(article.claims), predicted, exact=False)
    return total


def claim_curve(
    articles: Sequence[GoldArticle], predictions: Sequence[Sequence[Candidate]], thresholds: Iterable[float]
) -> list[tuple[float, Scores]]:
    """Claim scores keeping only candidates at or above each confidence threshold."""
    return [
        (
            threshold,
            evaluate_claims(articles, [[c for c in cands if c.confidence >= threshold] for cands in predictions]),
        )
        for threshold in thresholds
    ]


# -- reading gold sets -------------------------------------------------------------------------------------------


def read_jsonl_gold(path: Path) -> list[GoldArticle]:
    """Articles of a JSONL export with their quote and claim annotations."""
    import json

    articles = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            record = json.loads(line)
            quotes, claims = [], []
            for a in record.get("annotations", []):
                if a.get("start") is None:
                    continue
                if a["kind"] == "quote":
                    quotes.append(
                        GoldQuote(
                            a["start"],
                            a["end"],
                            a.get("quote_type"),
                            a.get("speaker") or None,
                            _span_or_none(a.get("speaker_span")),
                            _span_or_none(a.get("cue_span")),
                        )
                    )
                elif a["kind"] == "claim" and a.get("checkworthy", True):
                    claims.append((a["start"], a["end"]))
            name = str(record.get("title") or record.get("id") or f"line {number}")
            articles.append(GoldArticle(name, record["text"], tuple(quotes), tuple(claims)))
    return articles


def polnear_annotation_files(root: Path, split: str = "dev") -> dict[str, Path]:
    """One annotation file per article: the first annotator's, by annotator id, where several annotated it."""
    chosen: dict[str, Path] = {}
    for path in sorted((root / "data" / split / "attributions").glob("*.ann")):
        article = path.stem.rsplit("_", 1)[0]
        chosen.setdefault(article, path)
    return chosen


def read_polnear(root: Path, split: str = "dev") -> list[GoldArticle]:
    """PolNeAR attributions as gold quotes.

    Each fragment of a discontinuous Content span (`s e;s e`, a quote interrupted by its attribution) is a gold
    quote of its own, with its event's Source and Cue; our suggesters give such a quote as two quotes too. A
    content is "direct" when its text, past leading and trailing punctuation, starts and ends with a quotation
    mark. The speaker is the Source span's text, and its span; the cue is the Cue span (its first fragment).
    """
    articles = []
    for article, path in polnear_annotation_files(root, split).items():
        text = (root / "data" / split / "text" / f"{article}.txt").read_text(encoding="utf-8")
        spans: dict[str, list[Span]] = {}
        events = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("T"):
                tid, middle, _ = line.split("\t", 2)
                _, offsets = middle.split(" ", 1)
                spans[tid] = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]  # type: ignore[misc]
            elif line.startswith("E"):
                roles = dict(part.split(":", 1) for part in line.split("\t")[1].split())
                events.append(roles)
        quotes = []
        for roles in events:
            source = spans.get(roles.get("Source", ""))
            cue = spans.get(roles.get("Cue", ""))
            source_span = (source[0][0], source[-1][1]) if source else None
            for role in ("Content", "Content2"):
                for fragment in spans.get(roles.get(role, ""), []):
                    quotes.append(
                        GoldQuote(
                            fragment[0],
                            fragment[1],
                            "direct" if _in_quotation_marks(text[fragment[0] : fragment[1]]) else "indirect",
                            " ".join(text[s:e] for s, e in source) if source else None,
                            source_span,
                            cue[0] if cue else None,
                        )
                    )
        articles.append(GoldArticle(article, text, tuple(sorted(quotes, key=lambda q: (q.start, q.end))), None))
    return articles


def _in_quotation_marks(text: str) -> bool:
    inner = EDGE_PUNCTUATION.sub("", text)
    return len(inner) > 2 and inner[0] in QUOTE_MARKS and inner[-1] in QUOTE_MARKS


def _span_or_none(value: object) -> Span | None:
    if isinstance(value, list | tuple) and len(value) == 2:
        return int(value[0]), int(value[1])
    return None
