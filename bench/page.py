"""Server time and SQL queries of the annotation workspace: the article page and the fragment after a save.

An article of 5,000 words with 500 annotations (quotes, claims and stances; nested and crossing ones
included) by one annotator. Measures, in-process through Django's test client (so: server time, no
network), the median of 50 renders of the article page and of 50 saves of one more annotation (the
htmx request and the fragment it returns), with the number of SQL queries of each. Everything runs
in one transaction that is rolled back at the end, so the database is left as it was.

    .venv/bin/python bench/page.py        # uses DATABASE_URL, or the embedded server
"""

from __future__ import annotations

import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness

WORDS = 5_000
ANNOTATIONS = 500
RUNS = 50
SEED = 7
SAMPLE = (
    "the minister said that prices would fall by June while critics in Kyiv Zürich and São Paulo "
    "doubted the forecast “we will rebuild” — officials added 12% growth 中文 😀 was expected"
)
VOCABULARY = SAMPLE.split(" ")


class Rollback(Exception):
    pass


def build(rng: random.Random):
    from annotator.accounts.models import Role, User
    from annotator.accounts.services import set_membership
    from annotator.annotations.models import Annotation
    from annotator.articles.ingestion import content_hash
    from annotator.articles.models import Article
    from annotator.articles.services import create_project

    words = [rng.choice(VOCABULARY) for _ in range(WORDS)]
    paragraphs = [" ".join(words[i : i + 80]) for i in range(0, WORDS, 80)]
    body = "\n\n".join(paragraphs)
    project = create_project(actor=None, name="bench page", slug=f"bench-page-{os.getpid()}")
    user = User.objects.create_user(username=f"bench-page-{os.getpid()}", password="x" * 20)
    set_membership(actor=None, project=project, user=user, role=Role.ANNOTATOR)
    article = Article.objects.create(project=project, title="Bench", body=body, content_hash=content_hash(body))
    kinds = ["quote", "claim", "stance"]
    rows = []
    for i in range(ANNOTATIONS):
        start = rng.randrange(0, len(body) - 400)
        end = start + rng.randrange(5, 400)
        kind = kinds[i % 3]
        attributes = {
            "quote": {"speaker": "Someone", "speaker_span": None, "cue_span": None, "quote_type": "direct"},
            "claim": {"checkworthy": True, "category": "statistic", "verdict": None, "verdict_note": "",
                      "evidence_url": ""},
            "stance": {"holder": "critics", "target": "the forecast", "polarity": "against"},
        }[kind]  # fmt: skip
        rows.append(
            Annotation(
                article=article,
                kind=kind,
                start=start,
                end=end,
                text=body[start:end],
                attributes=attributes,
                author=user,
            )
        )
    Annotation.objects.bulk_create(rows)
    return article, user, body


def main() -> None:
    harness.set_up_django()
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    rng = random.Random(SEED)
    pg_version = f"PostgreSQL {harness.postgres_version()}"
    try:
        with transaction.atomic():
            article, user, body = build(rng)
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            page_url = reverse("article_detail", args=[article.pk])
            save_url = reverse("annotation_create", args=[article.pk])
            client.get(page_url)  # warm caches (templates, URL resolver)
            page_ms, page_queries = harness.median_ms(lambda: client.get(page_url), RUNS, savepoints=False)
            size = len(client.get(page_url).content)

            def save():
                start = rng.randrange(0, len(body) - 50)
                return client.post(
                    save_url,
                    {"kind": "claim", "start": start, "end": start + 30, "checkworthy": "on"},
                    headers={"HX-Request": "true"},
                )

            save_ms, save_queries = harness.median_ms(save, RUNS, savepoints=False)
            fragment = len(save().content)
            raise Rollback
    except Rollback:
        pass
    print(f"Workspace server time — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    machine = platform.processor() or platform.machine()
    print(f"machine: nproc {os.cpu_count()}, {machine}, Python {platform.python_version()}")
    print(f"database: {pg_version}")
    print(f"article: {WORDS:,} words ({len(body):,} code points), {ANNOTATIONS} annotations, overlapping")
    print(f"article page:   median {page_ms:6.1f} ms over {RUNS} renders, {page_queries} SQL queries, {size:,} bytes")
    print(
        f"save fragment:  median {save_ms:6.1f} ms over {RUNS} saves,   {save_queries} SQL queries, {fragment:,} bytes"
    )
    print("targets: at most 10 queries each whatever the number of annotations; save fragment under 25 ms")


if __name__ == "__main__":
    main()
