"""Agreement between annotators: span matching, F1, and Krippendorff's alpha checked against the package."""

from __future__ import annotations

import random
from collections import Counter
from itertools import combinations

import krippendorff
import numpy as np
import pytest

from annotator.accounts.models import Role
from annotator.annotations.services import create_annotation, create_gold_annotation, submit_article
from annotator.reports.agreement import Span, compute_agreement, match_spans
from annotator.reports.alpha import nominal_alpha
from tests.factories import ArticleFactory, MembershipFactory

pytestmark = pytest.mark.django_db
LABELS = ["quote_type", "speaker", "category", "checkworthy", "polarity"]


def span(pk, start, end, author=1, kind="claim", first=None, second=None) -> Span:
    return Span(1, pk, author, kind, start, end, "submitted", first, second)


def tag(user, article, kind, start, end, **attributes):
    return create_annotation(actor=user, article=article, kind=kind, start=start, end=end, attributes=attributes)


def figures_of(project, kind: str):
    figures = compute_agreement(project)
    return next(k for k in figures.kinds if k.kind == kind), figures


def alpha_of(kind_figures, label: str) -> float | None:
    return next(a.alpha for a in kind_figures.alphas if a.label == label)


# --- matching ------------------------------------------------------------------------------------


def test_exact_matching_needs_the_same_start_and_end():
    a = [span(1, 0, 10), span(2, 20, 30)]
    b = [span(3, 0, 10, 2), span(4, 22, 35, 2)]
    assert [(x.pk, y.pk) for x, y in match_spans(a, b, exact=True)] == [(1, 3)]
    assert [(x.pk, y.pk) for x, y in match_spans(a, b, exact=False)] == [(1, 3), (2, 4)]


def test_overlap_matching_is_one_to_one_largest_overlap_first():
    a = [span(1, 0, 10), span(2, 8, 20)]
    b = [span(3, 2, 12, 2)]
    # b overlaps a1 by 8 code points and a2 by 4: a1 gets it, a2 stays unmatched.
    assert [(x.pk, y.pk) for x, y in match_spans(a, b, exact=False)] == [(1, 3)]


def test_an_identical_span_wins_a_tie_so_every_exact_match_is_an_overlap_match():
    a = [span(1, 0, 10)]
    b = [span(2, 0, 12, 2), span(3, 0, 10, 2)]  # both overlap a by 10
    assert [(x.pk, y.pk) for x, y in match_spans(a, b, exact=False)] == [(1, 3)]


def test_identical_spans_pair_one_to_one():
    a = [span(1, 0, 10), span(2, 0, 10)]
    b = [span(3, 0, 10, 2)]
    assert len(match_spans(a, b, exact=True)) == 1
    assert len(match_spans(a, b, exact=False)) == 1


def test_document_level_stances_match_on_the_same_target():
    a = [span(1, None, None, kind="stance", second="the tax")]
    b = [span(2, None, None, 2, kind="stance", second="the tax"), span(3, None, None, 2, kind="stance", second="x")]
    for exact in (True, False):
        assert [(x.pk, y.pk) for x, y in match_spans(a, b, exact=exact)] == [(1, 2)]


# --- a small case by hand ------------------------------------------------------------------------


def test_a_small_case_computed_by_hand(project, article, annotator, other_annotator):
    tag(annotator, article, "claim", 0, 5, category="statistic")
    tag(annotator, article, "claim", 10, 20, category="event")
    tag(other_annotator, article, "claim", 0, 5, category="statistic")
    tag(other_annotator, article, "claim", 12, 20, category="fact")
    tag(other_annotator, article, "claim", 30, 40, category="other")
    submit_article(actor=annotator, article=article)
    submit_article(actor=other_annotator, article=article)

    claims, figures = figures_of(project, "claim")

    # |A| = 2, |B| = 3; exact: [0, 5) only; overlap: [0, 5) and [10, 20)~[12, 20).
    assert claims.f1_exact == pytest.approx(2 * 1 / 5)
    assert claims.f1_overlap == pytest.approx(2 * 2 / 5)
    # Units (statistic, statistic) and (event, fact): n = 4, observed disagreement 2 (the second unit),
    # expected (4² − (2² + 1 + 1)) / 3 = 10/3; alpha = 1 − 2 / (10/3) = 0.4.
    assert alpha_of(claims, "category") == pytest.approx(0.4)
    assert krippendorff.alpha([[0, 1], [0, 2]], level_of_measurement="nominal") == pytest.approx(0.4)
    # Everyone left checkworthy at its default: one value only, alpha is undefined.
    assert alpha_of(claims, "checkworthy") is None
    assert figures.articles == 1
    [pair] = claims.pairs
    assert (pair.spans_a, pair.spans_b, pair.matches_exact, pair.matches_overlap) == (2, 3, 1, 2)
    rows = {(r.annotator, r.kind): r for r in figures.per_annotator}
    assert rows[(annotator.username, "claim")].f1_overlap == pytest.approx(0.8)
    assert rows[(annotator.username, "quote")].f1_overlap is None  # no quotes at all


def test_drafts_and_unsubmitted_annotators_do_not_count(project, article, annotator, other_annotator):
    tag(annotator, article, "claim", 0, 5)
    submit_article(actor=annotator, article=article)
    tag(annotator, article, "claim", 10, 20)  # a draft, and it puts the assignment back in progress
    tag(other_annotator, article, "claim", 0, 5)  # never submitted
    claims, figures = figures_of(project, "claim")
    assert figures.articles == 0
    assert claims.f1_exact is None and claims.pairs == []


def test_an_annotator_who_tagged_nothing_of_a_kind_still_counts(project, article, annotator, other_annotator):
    tag(annotator, article, "quote", 0, 5, quote_type="direct", speaker="Ana Kovač")
    tag(other_annotator, article, "claim", 0, 5)
    submit_article(actor=annotator, article=article)
    submit_article(actor=other_annotator, article=article)
    quotes, _ = figures_of(project, "quote")
    assert quotes.f1_overlap == 0.0


def test_annotators_are_compared_with_other_peoples_gold(project, article, annotator, reviewer):
    tag(annotator, article, "claim", 0, 5)
    tag(annotator, article, "claim", 10, 20)
    submit_article(actor=annotator, article=article)
    create_gold_annotation(actor=reviewer, article=article, kind="claim", start=0, end=5)
    create_gold_annotation(actor=reviewer, article=article, kind="claim", start=30, end=40)
    figures = compute_agreement(project)
    row = next(r for r in figures.per_annotator if r.annotator == annotator.username and r.kind == "claim")
    assert row.gold_articles == 1
    assert row.f1_exact_gold == pytest.approx(2 * 1 / 4)
    assert row.articles == 0 and row.f1_exact is None  # nobody else submitted the article


# --- generated data with known answers -----------------------------------------------------------


def generate(project, annotators, rng: random.Random, *, articles: int, perfect: bool = False):
    """Annotate articles from hidden spans far apart, so that the units are known in advance.

    Returns the reliability data the package reads (label → coders × units) and, per pair of
    annotators, [spans of a, spans of b, exact matches, overlap matches].
    """
    values = {
        "quote_type": ["direct", "indirect", "mixed"],
        "speaker": ["ana kovač", "jürgen weiß", "the minister"],
        "category": ["statistic", "event", "fact", None],
        "checkworthy": [True, False],
        "polarity": ["favor", "against", "neutral"],
    }
    kind_labels = {"quote": ["quote_type", "speaker"], "claim": ["category", "checkworthy"], "stance": ["polarity"]}
    columns: dict[str, list[list]] = {label: [] for label in LABELS}
    pairs: dict[tuple[int, int], list[int]] = {}
    for n in range(articles):
        article = ArticleFactory(project=project, body=f"{'x' * 400} {n}")
        drawn: dict[int, list[tuple]] = {u.pk: [] for u in annotators}
        for unit, kind in enumerate(["quote", "claim", "stance"] * 3):
            start, end = 40 * unit + 5, 40 * unit + 25
            truth = {label: rng.choice(values[label]) for label in kind_labels[kind]}
            cells = {label: [] for label in kind_labels[kind]}
            for i, user in enumerate(annotators):
                if not perfect and rng.random() < 0.2:
                    for label in cells:
                        cells[label].append(None)
                    continue
                exact = perfect or rng.random() < 0.6
                s, e = (start, end) if exact else (start + i + 1, end - i - 1)
                given = {k: (v if perfect or rng.random() < 0.7 else rng.choice(values[k])) for k, v in truth.items()}
                attributes = {"quote_type": "direct"} if kind == "quote" else {}
                attributes |= {"speaker": (given.get("speaker") or "").title()} if kind == "quote" else {}
                attributes |= {k: v for k, v in given.items() if k != "speaker"}
                if kind == "stance":
                    attributes["target"] = "the forecast"
                tag(user, article, kind, s, e, **attributes)
                drawn[user.pk].append((kind, unit, exact))
                for label in cells:
                    cells[label].append(given[label])
            for label, cell in cells.items():
                columns[label].append(cell)
        for user in annotators:
            submit_article(actor=user, article=article)
        for ua, ub in combinations([u.pk for u in annotators], 2):
            tally = pairs.setdefault((ua, ub), [0, 0, 0, 0])
            units_a = {(k, u): x for k, u, x in drawn[ua]}
            units_b = {(k, u): x for k, u, x in drawn[ub]}
            tally[0] += len(units_a)
            tally[1] += len(units_b)
            tally[2] += sum(units_a[key] and units_b[key] for key in units_a.keys() & units_b.keys())
            tally[3] += len(units_a.keys() & units_b.keys())
    return columns, pairs


def reliability_data(cells: list[list]) -> np.ndarray:
    """Coders × units, values as numbers, np.nan where a coder gave none."""
    codes = {v: i for i, v in enumerate(sorted({str(v) for unit in cells for v in unit if v is not None}))}
    return np.array([[np.nan if v is None else codes[str(v)] for v in unit] for unit in cells], dtype=float).T


def test_alpha_equals_the_krippendorff_package_on_generated_data(project):
    annotators = [MembershipFactory(project=project, role=Role.ANNOTATOR).user for _ in range(3)]
    columns, _ = generate(project, annotators, random.Random(2024), articles=8)
    figures = compute_agreement(project)
    for kind in figures.kinds:
        for a in kind.alphas:
            expected = krippendorff.alpha(reliability_data(columns[a.label]), level_of_measurement="nominal")
            assert a.alpha == pytest.approx(expected, abs=1e-12), (kind.kind, a.label)


def test_pairwise_f1_on_generated_data(project):
    annotators = [MembershipFactory(project=project, role=Role.ANNOTATOR).user for _ in range(3)]
    _, expected = generate(project, annotators, random.Random(7), articles=5)
    figures = compute_agreement(project)
    names = {u.pk: u.username for u in annotators}
    got: dict[tuple[str, str], list[int]] = {}
    for kind in figures.kinds:
        for p in kind.pairs:
            counts = (p.spans_a, p.spans_b, p.matches_exact, p.matches_overlap)
            total = got.setdefault((p.annotator_a, p.annotator_b), [0, 0, 0, 0])
            total[:] = [t + c for t, c in zip(total, counts, strict=True)]
    assert got == {(names[a], names[b]): counts for (a, b), counts in expected.items()}


def test_perfect_agreement_gives_one(project):
    annotators = [MembershipFactory(project=project, role=Role.ANNOTATOR).user for _ in range(2)]
    generate(project, annotators, random.Random(3), articles=6, perfect=True)
    figures = compute_agreement(project)
    for kind in figures.kinds:
        assert kind.f1_exact == 1.0 and kind.f1_overlap == 1.0
        for a in kind.alphas:
            assert a.alpha == 1.0, (kind.kind, a.label)


def test_alpha_summed_per_unit_equals_the_package_for_many_values():
    rng = random.Random(5)
    units: Counter = Counter()
    coders = 4
    matrix = []
    for _ in range(300):
        truth = rng.randrange(40)
        cell = [
            None if rng.random() < 0.3 else (truth if rng.random() < 0.6 else rng.randrange(40)) for _ in range(coders)
        ]
        matrix.append(cell)
        units[tuple(sorted(f"speaker {v:02d}" for v in cell if v is not None))] += 1
    expected = krippendorff.alpha(reliability_data(matrix), level_of_measurement="nominal")
    assert nominal_alpha(units) == pytest.approx(expected, abs=1e-12)


def test_alpha_is_undefined_without_pairable_units_or_with_one_value():
    assert nominal_alpha(Counter({("a",): 3})) is None
    assert nominal_alpha(Counter({("a", "a"): 3})) is None
    assert nominal_alpha(Counter({("a", "a"): 1, ("b", "b"): 1})) == 1.0
