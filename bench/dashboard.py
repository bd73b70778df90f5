"""Server time of the project dashboard and the agreement and stats endpoints on a large project.

A project of 50,000 news-like articles and 1,000,000 annotations from 20 annotators (k = 2), loaded
with PostgreSQL COPY (fixed seed): 2,500 articles not started, 2,500 in progress (drafts of one
annotator), 20,000 submitted by two annotators and reviewed (85% of the annotations approved, the rest
rejected), 25,000 submitted by two annotators and waiting for review; submissions spread over 120
days. Each article has a hidden set of quotes, claims and stances (some stances document-level); each
annotator finds most of them, drawing 65% of the spans exactly and the rest with shifted ends, gives
the same labels most of the time, and adds a few spans of their own.

Measured in-process through Django's test client (server time, no network), as a reviewer:
  once        every article's share computed from scratch and stored (a project's first view)
  changed     one counted annotation changed on 1 (then 100) random articles before each request, so
              that the request refreshes their shares and recomputes the figures, median of 10
  unchanged   the same project unchanged, figures from the cache, median of 10
with the SQL queries of each request.

The project is built in a scratch database (--database, beside the one DATABASE_URL names, or on the
embedded server) on the first run and reused by later ones; --rebuild builds it again, --drop drops it at
the end. --articles scales the project (the shares above, 20 annotations an article).

    .venv/bin/python bench/dashboard.py                    # 50,000 articles, kept for the next run
    .venv/bin/python bench/dashboard.py --articles 500 --drop
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness

SLUG = "bench-dashboard"
ARTICLES = 50_000
PER_ARTICLE = 20  # annotations: 1,000,000 over the default 50,000 articles
ANNOTATORS = 20
NOT_STARTED, IN_PROGRESS, REVIEWED = 0.05, 0.05, 0.40  # of the articles; the rest submitted and waiting
DAYS = 120
SEED = 11
COLD_RUNS, WARM_RUNS = 10, 10
START = dt.datetime(2026, 7, 1, 8, tzinfo=dt.UTC)

SAMPLE = (
    "the minister said prices would fall by June while critics in Kyiv Zürich and São Paulo doubted "
    "forecast officials added growth was expected unions warned that wages lag behind inflation "
    "according to figures published on Tuesday the central bank kept rates unchanged"
)
WORDS = SAMPLE.split(" ")
SPEAKERS = [f"Speaker {i:03d}" for i in range(300)]
QUOTE_TYPES = ["direct", "indirect", "mixed"]
CATEGORIES = ["statistic", "event", "fact", "prediction", "causal", "other"]
POLARITIES = ["favor", "against", "neutral"]
TARGETS = [f"policy {i}" for i in range(10)]


def body_of(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(170)]
    return f"Report {n}. " + " ".join(words) + "."


def label_of(rng: random.Random, kind: str) -> dict:
    if kind == "quote":
        return {
            "speaker": rng.choice(SPEAKERS),
            "speaker_span": None,
            "cue_span": None,
            "quote_type": rng.choice(QUOTE_TYPES),
        }
    if kind == "claim":
        category = rng.choice(CATEGORIES) if rng.random() < 0.9 else None
        return {
            "checkworthy": rng.random() < 0.7,
            "category": category,
            "verdict": None,
            "verdict_note": "",
            "evidence_url": "",
        }
    return {"holder": "critics", "target": rng.choice(TARGETS), "polarity": rng.choice(POLARITIES)}  # fmt: skip


def hidden_spans(rng: random.Random, length: int) -> list[tuple[str, int | None, int | None, dict]]:
    """What a careful reader would tag: per kind, spans that do not overlap one another."""
    spans = []
    for kind, count in (("quote", 4), ("claim", 4), ("stance", 3)):
        segment = length // count
        for i in range(count):
            if kind == "stance" and i == 0 and rng.random() < 0.3:
                spans.append((kind, None, None, label_of(rng, kind)))
                continue
            start = i * segment + rng.randrange(0, segment // 2)
            end = start + rng.randrange(15, segment // 2)
            spans.append((kind, start, end, label_of(rng, kind)))
    return spans


EXTRA = True


def reading(rng: random.Random, length: int, hidden) -> list[tuple[str, int | None, int | None, dict, bool]]:
    """One annotator's version of the hidden spans: most found, some ends shifted, labels mostly the same."""
    mine = []
    for kind, start, end, label in hidden:
        if rng.random() >= 0.9:
            continue
        if start is not None and rng.random() >= 0.65:
            start = min(max(0, start + rng.randint(-8, 8)), length - 4)
            end = min(max(start + 3, end + rng.randint(-8, 8)), length)
        mine.append((kind, start, end, label if rng.random() < 0.85 else label_of(rng, kind), not EXTRA))
    for kind in ("quote", "claim", "stance"):
        if rng.random() < 0.35:
            start = rng.randrange(0, length - 40)
            mine.append((kind, start, start + rng.randrange(10, 40), label_of(rng, kind), EXTRA))
    return mine


def build(articles: int):
    from django.db import connection

    from annotator.accounts.models import Role, User
    from annotator.accounts.services import set_membership
    from annotator.articles.services import create_project

    not_started, in_progress_until = int(articles * NOT_STARTED), int(articles * (NOT_STARTED + IN_PROGRESS))
    reviewed_until = in_progress_until + int(articles * REVIEWED)
    rng = random.Random(SEED)
    project = create_project(actor=None, name="Dashboard benchmark", slug=SLUG)
    project.annotators_per_article = 2
    project.save(update_fields=["annotators_per_article"])
    reviewer = User.objects.create_user(username="bench-reviewer", password=None)
    set_membership(actor=None, project=project, user=reviewer, role=Role.REVIEWER)
    annotators = [User.objects.create_user(username=f"annotator-{i:02d}", password=None) for i in range(ANNOTATORS)]
    for user in annotators:
        set_membership(actor=None, project=project, user=user, role=Role.ANNOTATOR)
    ids = [u.pk for u in annotators]

    started = time.perf_counter()
    bodies = [body_of(rng, n) for n in range(articles)]
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        article_ids = harness.copy_articles(
            cursor, project.pk, bodies, at=START, title="Report {}", source="The Ledger"
        )

    rows, assignments = [], []
    for n, (article_id, body) in enumerate(zip(article_ids, bodies, strict=True)):
        if n < not_started:
            continue
        at = START + dt.timedelta(days=n * DAYS // articles, minutes=rng.randrange(0, 600))
        hidden = hidden_spans(rng, len(body))
        in_progress = n < in_progress_until
        people = rng.sample(ids, 1 if in_progress else 2)
        for person in people:
            assignments.append(
                (article_id, person, "in_progress" if in_progress else "submitted", at, None if in_progress else at)
            )
            for kind, start, end, label, extra in reading(rng, len(body), hidden):
                if in_progress:
                    status = "draft"
                elif n < reviewed_until:
                    status = "approved" if rng.random() < 0.85 else "rejected"
                else:
                    status = "submitted"
                text = body[start:end] if start is not None else None
                rows.append((article_id, kind, start, end, text, json.dumps(label), status, person, at, extra))
    # A few more spans of their own than needed were drawn: the last of those are left out.
    extras = [i for i, row in enumerate(rows) if row[-1]]
    dropped = set(extras[len(extras) - max(0, len(rows) - articles * PER_ARTICLE) :])
    rows = [row for i, row in enumerate(rows) if i not in dropped]
    print(f"generated {len(bodies):,} articles and {len(rows):,} annotations in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    with raw.cursor() as cursor:
        with cursor.copy(harness.ANNOTATION_COPY) as copy:
            for article_id, kind, start, end, text, label, status, person, at, _ in rows:
                submitted_at = None if status == "draft" else at
                copy.write_row(
                    (article_id, kind, start, end, text, label, status, "human", person, "", 2, at, at, submitted_at)
                )
        copy_sql = "COPY annotations_assignment (article_id, user_id, status, started_at, submitted_at) FROM STDIN"
        with cursor.copy(copy_sql) as copy:
            for row in assignments:
                copy.write_row(row)
    with connection.cursor() as cursor:
        for table in ("articles_article", "annotations_annotation", "annotations_assignment"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"stored them with COPY in {time.perf_counter() - started:.1f} s")
    return project


def change_one(rng: random.Random, project, articles: int = 1) -> None:
    """Someone changes one counted annotation on each of `articles` articles (as a reviewer's edit or a
    data fix would): the database marks them, and the next view refreshes their share."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE annotations_annotation SET attributes = attributes || jsonb_build_object('speaker', %s::text) "
            "WHERE id IN (SELECT DISTINCT ON (n.article_id) n.id FROM annotations_annotation n "
            "JOIN articles_article a ON a.id = n.article_id WHERE a.project_id = %s AND n.status <> 'draft' "
            "AND n.article_id = ANY(%s) ORDER BY n.article_id, n.id)",
            [f"Speaker {rng.randrange(1000)}", project.pk, rng.sample(ARTICLE_IDS, articles)],
        )


ARTICLE_IDS: list[int] = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles", type=int, default=ARTICLES, help=f"articles in a new build (default {ARTICLES:,})"
    )
    parser.add_argument("--database", default="annotator_bench_dashboard", help="the scratch database (name or URL)")
    parser.add_argument("--rebuild", action="store_true", help="drop the scratch database and build it again")
    parser.add_argument("--drop", action="store_true", help="drop the scratch database at the end")
    args = parser.parse_args()
    with harness.scratch_database(args.database, reuse=not args.rebuild, keep=not args.drop):
        measure(args.articles)


def measure(articles: int) -> None:
    import django
    from django.test import Client
    from django.urls import reverse

    from annotator.accounts.models import User
    from annotator.annotations.models import Annotation
    from annotator.articles.models import Project
    from annotator.reports.agreement import compute_agreement, project_agreement
    from annotator.reports.figures import refresh
    from annotator.reports.models import ProjectFigures
    from annotator.reports.stats import compute_stats

    project = Project.objects.filter(slug=SLUG).first() or build(articles)
    annotations = Annotation.objects.filter(article__project=project).count()
    reviewer = User.objects.get(username="bench-reviewer")
    ARTICLE_IDS.extend(
        Annotation.objects.filter(article__project=project, status__in=["submitted", "approved", "rejected"])
        .values_list("article_id", flat=True)
        .distinct()
    )
    print(
        f"{harness.machine()}; {platform.python_implementation()} {platform.python_version()}, Django "
        f"{django.get_version()}, PostgreSQL {harness.postgres_version()}; {project.articles.count():,} articles, "
        f"{annotations:,} annotations, {ANNOTATORS} annotators"
    )
    started = time.perf_counter()
    compute_stats(project)
    compute_agreement(project)
    scratch_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    ProjectFigures.objects.filter(project=project).delete()
    refresh(project)
    rebuild_ms = (time.perf_counter() - started) * 1000
    print(
        f"every article from scratch: counts and agreement computed in {scratch_ms:,.0f} ms; "
        f"computed and stored (the first view of a project, or after a new TIME_ZONE) in {rebuild_ms:,.0f} ms"
    )
    figures = project_agreement(project)
    for kind in figures.kinds:
        alphas = ", ".join(f"{a.label} {a.alpha:.3f}" for a in kind.alphas if a.alpha is not None)
        print(f"  {kind.kind}: F1 exact {kind.f1_exact:.3f}, overlap {kind.f1_overlap:.3f}; alpha {alphas}")

    rng = random.Random(7)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(reviewer)
    urls = {
        "dashboard page": reverse("project_dashboard", args=[project.slug]),
        "agreement endpoint": f"/api/v1/projects/{project.slug}/agreement/",
        "stats endpoint": f"/api/v1/projects/{project.slug}/stats/",
    }
    print(
        f"\n| | after 1 changed article (median of {COLD_RUNS}) | after 100 (median of {COLD_RUNS}) "
        f"| unchanged (median of {WARM_RUNS}) | SQL queries |"
    )
    print("|---|---|---|---|---|")
    for name, url in urls.items():
        get = lambda url=url: client.get(url)  # noqa: E731
        one, one_queries = harness.median_ms(get, COLD_RUNS, before=lambda: change_one(rng, project))
        hundred, _ = harness.median_ms(get, COLD_RUNS, before=lambda: change_one(rng, project, 100))
        client.get(url)
        warm, warm_queries = harness.median_ms(get, WARM_RUNS)
        print(f"| {name} | {one:,.0f} ms | {hundred:,.0f} ms | {warm:,.1f} ms | {one_queries} / {warm_queries} |")


if __name__ == "__main__":
    main()
