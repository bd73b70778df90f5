"""How well and how fast the built-in suggesters work, against two gold sets. No database.

(a) `tests/data/suggest_gold.jsonl`, our own JSONL export of hand-checked articles: quotes and claims.
(b) the PolNeAR dev set (84 US political news articles with attribution relations), read at run time from
    ../shared/corpora/polnear beside the repository (or $POLNEAR_DIR). It has no licence: nothing of it is
    copied into the project, and the benchmark says so and goes on without it when the folder is absent.

For each set it prints quote span precision / recall / F1 (exact and overlap matching, one-to-one, greedy by
overlap size; each part of a quote in parts counts as a quote span, as each gold fragment does), the same for
direct quotes alone, speaker accuracy and cue accuracy on the quotes matched by overlap, the quotes in parts;
for (a) also claim spans (overlap). Then the speed of the suggest step alone (both suggesters, every article
of both sets, median of five runs). Run from the repository root:

    .venv/bin/python bench/suggest.py [--curve]      # --curve: claim scores at each confidence threshold
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from annotator.suggestions.claims import ClaimSuggester  # noqa: E402
from annotator.suggestions.evaluation import (  # noqa: E402
    GoldArticle,
    QuoteReport,
    Scores,
    claim_curve,
    evaluate_claims,
    evaluate_quotes,
    parts_report,
    read_jsonl_gold,
    read_polnear,
)
from annotator.suggestions.quotes import QuoteSuggester  # noqa: E402

GOLD_A = REPO_ROOT / "tests" / "data" / "suggest_gold.jsonl"
# shared/ lies beside the repository (/work/shared here, a copy beside the clone in CI).
POLNEAR = Path(os.environ.get("POLNEAR_DIR", REPO_ROOT.parent / "shared" / "corpora" / "polnear")).resolve()
RUNS = 5
SUGGESTERS = (QuoteSuggester(), ClaimSuggester())


def suggest_all(articles: list[GoldArticle]) -> list[list]:
    return [[c for s in SUGGESTERS for c in s.suggest(article.text)] for article in articles]


def line(label: str, scores: Scores) -> str:
    return (
        f"  {label:<24} P {scores.precision:.3f}  R {scores.recall:.3f}  F1 {scores.f1:.3f}"
        f"   ({scores.matched} matched, {scores.gold} gold, {scores.predicted} suggested)"
    )


def print_quotes(report: QuoteReport, speaker_rule: str) -> None:
    print(line("quotes, exact", report.exact))
    print(line("quotes, overlap", report.overlap))
    print(line("direct quotes, exact", report.direct_exact))
    print(line("direct quotes, overlap", report.direct_overlap))
    print(f"  {'speaker accuracy':<24} {report.speaker.value:.3f}   ({report.speaker.correct}/{report.speaker.total})")
    print(f"    {speaker_rule}")
    print(f"  {'speaker mention':<24} {report.mention.value:.3f}   ({report.mention.correct}/{report.mention.total})")
    print("    the suggested speaker span's text equals the gold one's (case-insensitive, whitespace collapsed)")
    print(f"  {'cue accuracy':<24} {report.cue.value:.3f}   ({report.cue.correct}/{report.cue.total})")
    print("    on quotes matched by overlap whose gold has a cue: right when the suggested cue span overlaps it")


def print_parts(articles: list[GoldArticle], predictions: list[list]) -> None:
    parts = parts_report(articles, predictions)
    print(
        f"  {'quotes in parts':<24} {parts.suggested} suggested, {parts.joined_right} of them joining gold quotes of"
        f" one attribution; the gold has {parts.gold_shared} attributions with two quotes or more"
    )


def main() -> int:
    import spacy

    print(f"Suggesters: {', '.join(s.name for s in SUGGESTERS)}; spaCy {spacy.__version__} (blank 'en' + sentencizer)")
    every_article: list[GoldArticle] = []

    print(f"\n(a) {GOLD_A.relative_to(REPO_ROOT)}")
    if GOLD_A.exists():
        gold = read_jsonl_gold(GOLD_A)
        every_article += gold
        predictions = suggest_all(gold)
        quotes = sum(len(a.quotes) for a in gold)
        direct = sum(q.quote_type == "direct" for a in gold for q in a.quotes)
        claims = sum(len(a.claims or ()) for a in gold)
        print(f"  {len(gold)} articles, {quotes} gold quotes ({direct} direct), {claims} gold claims")
        print_quotes(
            evaluate_quotes(gold, predictions),
            "right when the canonical speaker names are equal (case-insensitive, whitespace collapsed)",
        )
        print_parts(gold, predictions)
        print(line("claims, overlap", evaluate_claims(gold, predictions)))
        if "--curve" in sys.argv:
            every_unit = [ClaimSuggester(threshold=0.0).suggest(article.text) for article in gold]
            for threshold, scores in claim_curve(gold, every_unit, [x / 20 for x in range(0, 20)]):
                print(line(f"claims ≥ {threshold:.2f}", scores))
    else:
        print("  missing: no figures for set (a)")

    print(f"\n(b) PolNeAR dev, read from {POLNEAR} at run time (not copied: the corpus has no licence)")
    if (POLNEAR / "data" / "dev" / "attributions").is_dir():
        polnear = read_polnear(POLNEAR)
        every_article += polnear
        predictions = suggest_all(polnear)
        quotes = sum(len(a.quotes) for a in polnear)
        print(
            f"  {len(polnear)} articles, {quotes} gold contents. One annotation file per article (the lowest"
            " annotator id where several annotated it);\n  each fragment of a discontinuous Content is a gold"
            " quote of its own; a Content is direct when it lies in quotation marks.\n  PolNeAR's Content keeps"
            ' the marks of direct quotes and the "that" of indirect ones: overlap is the headline figure.'
        )
        print_quotes(
            evaluate_quotes(polnear, predictions, speaker_by_span=True),
            "right when the suggested speaker mention overlaps the gold Source span, or the canonical name"
            " equals the Source text",
        )
        print_parts(polnear, predictions)
    else:
        print(f"  absent: {POLNEAR} is not there, so no PolNeAR figures")

    if every_article:
        suggest_all(every_article)  # the first pass loads spaCy and fills its vocabulary: not timed
        wall, cpu = [], []
        for _ in range(RUNS):
            started, started_cpu = time.perf_counter(), time.process_time()
            suggest_all(every_article)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        count = len(every_article)
        print(
            f"\nSpeed: {count} articles, suggest step only (both suggesters), median of {RUNS} runs after a warm-up:"
            f" {count / statistics.median(wall):.0f} articles/s wall clock"
            f" ({statistics.median(wall) * 1000 / count:.2f} ms each),"
            f" {count / statistics.median(cpu):.0f} articles/s of CPU time; load average {os.getloadavg()[0]:.1f}"
            f" on {os.cpu_count()} CPUs"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
