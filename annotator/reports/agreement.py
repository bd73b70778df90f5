"""How far the annotators of a project agree, per kind: `project_agreement`.

Which annotations count
    An annotator counts on an article once they have submitted it (their assignment is `submitted`).
    Their annotations there count when submitted, approved or rejected: drafts do not (nor pending
    suggestions, which are drafts without an author); an accepted suggestion counts as its author's.
    One annotator is one author. Pairwise figures use the articles with two or more such annotators;
    an annotator who submitted an article without tagging a kind has zero spans of that kind there.

How spans are matched between two annotators, per article and kind
    exact    same start and end, and the same parts; identical spans are paired one to one.
    overlap  the spans share at least one code point. Candidate pairs are taken greedily, largest
             overlap first (then the smaller union, so an identical span wins a tie; then start and
             id), each annotation matched at most once. Every exact match is also an overlap match.
    A quote in parts (annotations/parts.py) covers only its parts, not the attribution between them: it
    overlaps another span when one of its parts shares a code point with it (or with one of its parts),
    its overlap is the code points the two share part by part, and its size counts its parts only. So a
    quote in parts and the same words tagged as one long quote (attribution included) match by overlap,
    not exactly; and two quotes tagged in one part each, whose parts do not overlap, do not match.
    A document-level stance (no span) matches another annotator's document-level stance with the
    same target (case ignored), in both modes.

Span F1
    For a pair of annotators A and B, summed over the articles both submitted (micro over articles):
    F1 = 2·matches / (|A| + |B|), with |A| the number of A's spans of the kind on those articles.
    A kind's F1 is the mean of its pairs' F1 (pairs with at least one span).
    Per annotator, against the others: the same with every pair that includes the annotator pooled.
    Per annotator, against gold: the annotator's spans against the approved annotations of other
    people (reviewers' gold annotations included) on the articles the annotator submitted where
    someone else has an approved annotation of any kind; matched the same way.

Krippendorff's alpha (nominal) on the labels of matched spans
    Units are the clusters of overlap-matched spans: the connected components of the pairwise overlap
    matches of one article and kind. Coders are annotators; a coder with no span in a unit is a missing
    value. (With three or more annotators a chain of matches can bring two spans of one annotator into
    one unit; the one with the most matches there speaks for them.) A label missing on an annotation
    (no claim category, no speaker) is a missing value too. Labels: quote `quote_type` and `speaker`
    (case ignored), claim `category` and `checkworthy`, stance `polarity`. Alpha is computed from sums
    over the units that add up across articles (`alpha.AlphaStats`), with the `krippendorff` package's formula:
    tests check it equals the package's result on the reliability data matrix (coders × units). None
    when it is undefined (no unit with two values, or a single value).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations, groupby
from operator import attrgetter, itemgetter
from statistics import fmean
from typing import NamedTuple

from django.core.cache import caches
from django.utils import timezone

from annotator.accounts.models import User
from annotator.annotations.kinds import KINDS
from annotator.annotations.models import Status
from annotator.articles.models import Project
from annotator.reports.alpha import AlphaStats, unit_sums

COUNTED = (Status.SUBMITTED, Status.APPROVED, Status.REJECTED)
APPROVED = Status.APPROVED.value
# The labels compared per kind (annotations/kinds.py), in the order of the `first` and `second` label columns.
LABELS: dict[str, tuple[str, ...]] = {name: kind.compared for name, kind in KINDS.items()}


class Span(NamedTuple):
    """One counted annotation, reduced to what agreement reads; for a kind with one label, `second` is the attribute
    that matches its whole-article annotations (a stance's target)."""

    article_id: int
    pk: int
    author: int
    kind: str
    start: int | None
    end: int | None
    status: str
    first: str | None
    second: str | None
    parts: tuple[tuple[int, int], ...] | None = None  # a quote in parts; None for an ordinary span

    def pieces(self) -> tuple[tuple[int, int], ...]:
        """The stretches of text the span covers: its parts, or the span itself."""
        return self.parts or ((self.start, self.end),)


Match = tuple[Span, Span]


def shared_and_union(x: Span, y: Span) -> tuple[int, int]:
    """How many code points two spans share (part by part), and how many they cover together."""
    shared = sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in x.pieces() for s2, e2 in y.pieces())
    size = sum(e - s for s, e in x.pieces()) + sum(e - s for s, e in y.pieces())
    return shared, size - shared


LABEL_OF = (attrgetter("first"), attrgetter("second"))


def match_spans(a: Sequence[Span], b: Sequence[Span], *, exact: bool) -> list[Match]:
    """One-to-one matches between two annotators' spans of one kind on one article (see the module doc)."""
    if exact:
        same: dict[tuple, list[Span]] = defaultdict(list)
        for y in sorted(b, key=attrgetter("pk")):
            same[(y.start, y.end, y.parts) if y.start is not None else (None, y.second)].append(y)
        matches = []
        for x in sorted(a, key=attrgetter("pk")):
            partners = same.get((x.start, x.end, x.parts) if x.start is not None else (None, x.second))
            if partners:
                matches.append((x, partners.pop(0)))
        return matches
    candidates = []
    for x in a:
        for y in b:
            if x.start is None or y.start is None:
                if x.start is None and y.start is None and x.second == y.second:
                    candidates.append((0, 0, 0, 0, x.pk, y.pk, x, y))
            elif x.start < y.end and y.start < x.end:
                overlap, union = shared_and_union(x, y)
                if overlap > 0:
                    candidates.append((-overlap, union, x.start, y.start, x.pk, y.pk, x, y))
    if len(candidates) > 1:
        candidates.sort(key=itemgetter(0, 1, 2, 3, 4, 5))
    taken_a: set[int] = set()
    taken_b: set[int] = set()
    matches = []
    for *_, x, y in candidates:
        if x.pk not in taken_a and y.pk not in taken_b:
            taken_a.add(x.pk)
            taken_b.add(y.pk)
            matches.append((x, y))
    return matches


def f1(matches: int, spans: int) -> float | None:
    """2·matches / (|A| + |B|); None when neither has a span."""
    return 2 * matches / spans if spans else None


@dataclass(frozen=True)
class PairAgreement:
    kind: str
    annotator_a: str
    annotator_b: str
    articles: int
    spans_a: int
    spans_b: int
    matches_exact: int
    matches_overlap: int

    @property
    def f1_exact(self) -> float | None:
        return f1(self.matches_exact, self.spans_a + self.spans_b)

    @property
    def f1_overlap(self) -> float | None:
        return f1(self.matches_overlap, self.spans_a + self.spans_b)


@dataclass(frozen=True)
class LabelAlpha:
    label: str
    alpha: float | None
    units: int  # units with two or more values
    values: int  # distinct values among them


@dataclass(frozen=True)
class KindAgreement:
    kind: str
    articles: int
    spans: int
    f1_exact: float | None
    f1_overlap: float | None
    alphas: list[LabelAlpha]
    pairs: list[PairAgreement]


@dataclass(frozen=True)
class AnnotatorAgreement:
    annotator: str
    kind: str
    articles: int  # shared with at least one other annotator
    f1_exact: float | None
    f1_overlap: float | None
    gold_articles: int
    f1_exact_gold: float | None
    f1_overlap_gold: float | None


@dataclass(frozen=True)
class ProjectAgreement:
    revision: int
    computed_at: dt.datetime
    articles: int  # with two or more annotators
    annotators: int
    kinds: list[KindAgreement]
    per_annotator: list[AnnotatorAgreement]


@dataclass
class Tally:
    """Sums over articles: everything the figures need, added up article by article."""

    articles: int = 0
    article_of: Counter[int] = field(default_factory=Counter)  # annotator → shared articles
    gold_articles: Counter[int] = field(default_factory=Counter)
    spans: Counter[str] = field(default_factory=Counter)
    # (kind, a, b) with a < b → [articles, spans of a, spans of b, exact matches, overlap matches]
    pairs: dict[tuple[str, int, int], list[int]] = field(default_factory=dict)
    # (kind, annotator) → [spans of the annotator, gold spans, exact matches, overlap matches]
    gold: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    # Krippendorff's alpha per (kind, label), as AlphaStats' sums: pairable units, disagreement by m, value totals
    alpha_units: Counter[tuple[str, str]] = field(default_factory=Counter)
    disagreement: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    value_totals: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    def add(self, other: Tally, sign: int = 1) -> None:
        """Add (sign 1) or take away (sign -1) another tally: a project's tally is the sum of its articles'."""
        self.articles += sign * other.articles
        for mine, theirs in ((self.article_of, other.article_of), (self.gold_articles, other.gold_articles)):
            add_counts(mine, theirs, sign)
        add_counts(self.spans, other.spans, sign)
        for mine, theirs in ((self.pairs, other.pairs), (self.gold, other.gold)):
            for key, counts in theirs.items():
                total = [x + sign * y for x, y in zip(mine.get(key, [0] * len(counts)), counts, strict=True)]
                if any(total):
                    mine[key] = total
                else:
                    mine.pop(key, None)
        add_counts(self.alpha_units, other.alpha_units, sign)
        add_counts(self.disagreement, other.disagreement, sign)
        add_counts(self.value_totals, other.value_totals, sign)

    def is_empty(self) -> bool:
        return not (
            self.articles or self.article_of or self.gold_articles or self.pairs or self.gold or self.alpha_units
        )

    def to_json(self) -> dict:
        return {
            "articles": self.articles,
            "article_of": list(self.article_of.items()),
            "gold_articles": list(self.gold_articles.items()),
            "spans": self.spans,
            "pairs": [[*key, *counts] for key, counts in self.pairs.items()],
            "gold": [[*key, *counts] for key, counts in self.gold.items()],
            "alpha_units": [[*key, n] for key, n in self.alpha_units.items()],
            "disagreement": [[*key, n] for key, n in self.disagreement.items()],
            "value_totals": [[*key, n] for key, n in self.value_totals.items()],
        }

    @classmethod
    def from_json(cls, raw: dict) -> Tally:
        tally = cls(
            articles=raw["articles"],
            article_of=Counter(dict(raw["article_of"])),
            gold_articles=Counter(dict(raw["gold_articles"])),
            spans=Counter(raw["spans"]),
            pairs={(kind, a, b): counts for kind, a, b, *counts in raw["pairs"]},
            gold={(kind, x): counts for kind, x, *counts in raw["gold"]},
        )
        for name in ("alpha_units", "disagreement", "value_totals"):
            getattr(tally, name).update({tuple(key): n for *key, n in raw[name]})
        return tally

    def add_article(self, annotators: Sequence[int], spans: list[Span]) -> None:
        mine: dict[tuple[str, int], list[Span]] = {(kind, x): [] for kind in LABELS for x in annotators}
        approved: dict[str, list[Span]] = {kind: [] for kind in LABELS}
        for span in spans:
            if (span.kind, span.author) in mine:
                mine[(span.kind, span.author)].append(span)
            if span.status == APPROVED:
                approved[span.kind].append(span)
        if len(annotators) >= 2:
            self.articles += 1
            self.article_of.update(annotators)
            for kind in LABELS:
                self.spans[kind] += sum(len(mine[(kind, x)]) for x in annotators)
                self._add_pairs(kind, annotators, mine)
        approvers = {s.author for group in approved.values() for s in group}
        for x in annotators:
            if not approvers - {x}:
                continue
            self.gold_articles[x] += 1
            for kind in LABELS:
                reference = [s for s in approved[kind] if s.author != x]
                tally = self.gold.setdefault((kind, x), [0, 0, 0, 0])
                tally[0] += len(mine[(kind, x)])
                tally[1] += len(reference)
                if mine[(kind, x)] and reference:
                    tally[2] += len(match_spans(mine[(kind, x)], reference, exact=True))
                    tally[3] += len(match_spans(mine[(kind, x)], reference, exact=False))

    def _add_pairs(self, kind: str, annotators: Sequence[int], mine: dict[tuple[str, int], list[Span]]) -> None:
        edges: list[Match] = []
        for a, b in combinations(annotators, 2):
            spans_a, spans_b = mine[(kind, a)], mine[(kind, b)]
            tally = self.pairs.setdefault((kind, a, b), [0, 0, 0, 0, 0])
            tally[0] += 1
            tally[1] += len(spans_a)
            tally[2] += len(spans_b)
            if spans_a and spans_b:
                tally[3] += len(match_spans(spans_a, spans_b, exact=True))
                overlap = match_spans(spans_a, spans_b, exact=False)
                tally[4] += len(overlap)
                edges += overlap
        if not edges:
            return
        names = LABELS[kind]
        for name, label_of in zip(names, LABEL_OF, strict=False):
            if len(annotators) == 2:
                units = [[v for v in (label_of(x), label_of(y)) if v] for x, y in edges]
            else:
                units = [[v for s in component if (v := label_of(s))] for component in _components(edges)]
            for values in units:
                self.add_unit(kind, name, values)

    def add_unit(self, kind: str, label: str, values: list[str]) -> None:
        if len(values) >= 2:
            m, disagreement, per_value = unit_sums(values)
            self.alpha_units[(kind, label)] += 1
            self.disagreement[(kind, label, m)] += disagreement
            for value, c in per_value.items():
                self.value_totals[(kind, label, value)] += c

    def alpha_stats(self, kind: str, label: str) -> AlphaStats:
        return AlphaStats(
            units=self.alpha_units[(kind, label)],
            disagreement=Counter({m: d for (k, n, m), d in self.disagreement.items() if (k, n) == (kind, label)}),
            totals=Counter({v: c for (k, n, v), c in self.value_totals.items() if (k, n) == (kind, label)}),
        )


def add_counts(total: Counter, other: Counter, sign: int) -> None:
    for key, n in other.items():
        value = total[key] + sign * n
        if value:
            total[key] = value
        else:
            del total[key]


def _components(edges: list[Match]) -> list[list[Span]]:
    """The units of one article and kind: spans joined by matches, one span per annotator in each."""
    parent: dict[int, int] = {}

    def root(pk: int) -> int:
        while parent.setdefault(pk, pk) != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    degree: Counter[int] = Counter()
    spans: dict[int, Span] = {}
    for x, y in edges:
        parent[root(x.pk)] = root(y.pk)
        degree[x.pk] += 1
        degree[y.pk] += 1
        spans[x.pk], spans[y.pk] = x, y
    components: dict[int, list[Span]] = defaultdict(list)
    for pk, span in spans.items():
        components[root(pk)].append(span)
    units = []
    for members in components.values():
        members.sort(key=lambda s: (s.author, -degree[s.pk], s.start or 0, s.pk))
        units.append([next(group) for _, group in groupby(members, key=attrgetter("author"))])
    return units


def compute_agreement(project: Project) -> ProjectAgreement:
    """The project's agreement figures computed from every article now (what `project_agreement` must equal)."""
    from annotator.reports import figures  # figures builds on this module's Tally

    return figures_of(figures.compute(project).agreement, revision=0)


def figures_of(tally: Tally, revision: int) -> ProjectAgreement:
    """The figures of a tally (one query, for the annotators' names)."""
    ids = set(tally.article_of) | set(tally.gold_articles)
    names = dict(User.objects.filter(pk__in=ids).values_list("pk", "username")) if ids else {}
    kinds = []
    for kind, labels in LABELS.items():
        pairs = [
            PairAgreement(kind, names[a], names[b], *counts)
            for (k, a, b), counts in sorted(
                tally.pairs.items(), key=lambda item: (names[item[0][1]], names[item[0][2]])
            )
            if k == kind
        ]
        scored = [p for p in pairs if p.spans_a + p.spans_b]
        alphas = []
        for label in labels:
            stats = tally.alpha_stats(kind, label)
            alphas.append(LabelAlpha(label, stats.alpha(), stats.units, len(stats.totals)))
        kinds.append(
            KindAgreement(
                kind=kind,
                articles=tally.articles,
                spans=tally.spans[kind],
                f1_exact=fmean(p.f1_exact for p in scored) if scored else None,
                f1_overlap=fmean(p.f1_overlap for p in scored) if scored else None,
                alphas=alphas,
                pairs=pairs,
            )
        )
    per_annotator = []
    for x in sorted(ids, key=names.__getitem__):
        for kind in LABELS:
            mine = [counts for (k, a, b), counts in tally.pairs.items() if k == kind and x in (a, b)]
            spans = sum(c[1] + c[2] for c in mine)
            gold = tally.gold.get((kind, x), [0, 0, 0, 0])
            per_annotator.append(
                AnnotatorAgreement(
                    annotator=names[x],
                    kind=kind,
                    articles=tally.article_of[x],
                    f1_exact=f1(sum(c[3] for c in mine), spans),
                    f1_overlap=f1(sum(c[4] for c in mine), spans),
                    gold_articles=tally.gold_articles[x],
                    f1_exact_gold=f1(gold[2], gold[0] + gold[1]),
                    f1_overlap_gold=f1(gold[3], gold[0] + gold[1]),
                )
            )
    return ProjectAgreement(
        revision=revision,
        computed_at=timezone.now(),
        articles=tally.articles,
        annotators=len(tally.article_of),
        kinds=kinds,
        per_annotator=per_annotator,
    )


def project_agreement(project: Project) -> ProjectAgreement:
    """The project's agreement figures, from its stored tally brought up to date (figures.py); the figures
    of one version of the tally are cached."""
    from annotator.reports import figures  # figures builds on this module's Tally

    key = f"agreement:{project.pk}"
    cached = caches["figures"].get(key)
    now = figures.current(project, cached_version=cached.revision if cached is not None else None)
    if now.share is None:
        return cached
    result = figures_of(now.share.agreement, revision=now.version)
    caches["figures"].set(key, result, timeout=None)
    return result
